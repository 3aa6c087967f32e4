import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { createCourse } from "../catalog/courses.js";
import { addMember } from "../organizations/service.js";
import { createDepartment } from "../organizations/structure.js";

/**
 * How the engine forms, orders, marks and limits report rows, on test/report-data.ts's world
 * with a little more: a department named "Other" (learner L7), a third course "Zen coding"
 * whose category is empty text, fully completed by L6 and L7, and two more graded attempts on
 * "Safety check" (L4 scored 100, L3's has no score). Figures are worked out by hand:
 *
 *   enrollments   Safety basics 4 (2 completed: 50 %), Sales craft 3 (1: 33.33 %),
 *                 Zen coding 2 (2: 100 %) — 9 in all
 *   departments   Engineering 4, Sales 4, Other 1
 *   scores        60, 80, 90, 100 and one without a score
 */

let t: TestApp;
let world: Awaited<ReturnType<typeof reportWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  world = await reportWorld(t);
  const { orgId, ids } = world;
  const other = await createDepartment(t.system, orgId, { name: "Other", code: "OTH" });
  const l7 = await makeUser(t, { firstName: "L7", lastName: "Doe" });
  await addMember(t.system, orgId, {
    userId: l7.id,
    roleKeys: ["learner"],
    departmentId: other.id,
  });
  const zen = await createCourse(t.system, {
    organizationId: orgId,
    instructorId: ids.viewer as string,
    code: "R-C3",
    title: "Zen coding",
    description: "A course for the report engine tests.",
    category: "zen",
  });
  await t.system.db.updateTable("courses").set({ category: "" }).where("id", "=", zen.id).execute();
  for (const learner of [ids.L6 as string, l7.id])
    await t.system.db
      .insertInto("enrollments")
      .values({
        user_id: learner,
        course_id: zen.id,
        organization_id: orgId,
        status: "completed",
        progress_percent: 100,
        time_spent_seconds: 600,
        enrolled_at: new Date("2026-02-10T10:00:00Z"),
        started_at: new Date("2026-02-10T10:00:00Z"),
        completed_at: new Date("2026-02-11T10:00:00Z"),
      })
      .execute();
  const quiz = await t.system.db
    .selectFrom("quizzes")
    .select("id")
    .where("title", "=", "Safety check")
    .executeTakeFirstOrThrow();
  for (const [learner, score, passed] of [
    ["L4", 100, true],
    ["L3", null, null],
  ] as const)
    await t.system.db
      .insertInto("quiz_attempts")
      .values({
        quiz_id: quiz.id,
        enrollment_id: ids[`${learner}-c1`] as string,
        user_id: ids[learner] as string,
        course_id: ids.c1 as string,
        attempt_number: 2,
        status: "graded",
        started_at: new Date("2026-03-04T10:00:00Z"),
        submitted_at: new Date("2026-03-04T10:20:00Z"),
        question_ids: [],
        score,
        passed,
      })
      .execute();
});
afterAll(() => t.close());

interface Row {
  values: Record<string, unknown>;
  total: boolean;
  kind?: string;
  groupedBy?: string[];
  other?: string[];
}

async function preview(definition: unknown, as = world.who.viewer, limit = 100) {
  const res = await t.http.post(
    `${world.url}/preview?limit=${limit}`,
    definition,
    as as Parameters<TestApp["http"]["post"]>[2],
  );
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as {
    rows: Row[];
    columns: Array<{ key: string; type: string; granularity?: string }>;
  };
}

describe("report rows", () => {
  it("count-distinct counts neither empty text nor missing values", async () => {
    const report = await preview({
      measures: [
        { id: "categories", type: "count-distinct", field: "course.category" },
        { id: "n", type: "count" },
      ],
    });
    // safety, sales and '' (Zen coding): two values that are not empty.
    expect(report.rows.map((r) => r.values)).toEqual([{ categories: 2, n: 9 }]);
  });
});
