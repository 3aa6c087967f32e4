/**
 * A report worker that claims a job, does part of the work and then hangs, so a test can kill
 * it mid-job: `node --import tsx test/report-worker-child.ts <database-url> <now-iso> <lease-ms>`.
 */
import { connect } from "../src/db/connection.js";
import { claimReportJob } from "../src/modules/reports/runner.js";

const [url, nowIso, leaseMs] = process.argv.slice(2);
const handle = await connect({ url, poolSize: 1 });
const job = await claimReportJob(
  handle.db,
  "doomed-worker",
  new Date(nowIso as string),
  Number(leaseMs),
);
if (!job) {
  console.log("nothing to claim");
  process.exit(2);
}
await handle.db.updateTable("report_jobs").set({ progress: 30 }).where("id", "=", job.id).execute();
console.log(`claimed ${job.id}`);
// Mid-job: the test kills this process now.
setInterval(() => undefined, 1000);
