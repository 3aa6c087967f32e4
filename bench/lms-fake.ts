/**
 * A local external LMS in a process of its own, for `bench:sync`: starts the Moodle or Canvas
 * fake of src/modules/integrations/fakes with the given size, prints `{url, token, accountId}` as one JSON line,
 * and runs until its standard input closes.
 *
 *   node --import tsx bench/lms-fake.ts moodle <courses> <enrollmentsPerCourse>
 */
import { startCanvasFake } from "../src/modules/integrations/fakes/canvas-fake.js";
import { startMoodleFake } from "../src/modules/integrations/fakes/moodle-fake.js";

const [kind, courses, perCourse] = process.argv.slice(2);
const size = { courses: Number(courses), enrollmentsPerCourse: Number(perCourse), record: false };
const fake = kind === "canvas" ? await startCanvasFake(size) : await startMoodleFake(size);
process.stdout.write(
  `${JSON.stringify({ url: fake.url, token: fake.token, accountId: "accountId" in fake ? fake.accountId : null })}\n`,
);
process.stdin.resume();
process.stdin.on("end", async () => {
  await fake.close();
  process.exit(0);
});
