import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createQuiz } from "../assessments/quizzes.js";
import { createCourse } from "../catalog/courses.js";
import { recordEvents } from "../events/record.js";
import { addMember } from "../organizations/service.js";
import { createDepartment } from "../organizations/structure.js";

/**
 * The report engine on a small known dataset: every figure below is worked out by hand from the
 * rows inserted here, in the organization's time zone (America/New_York).
 */

let t: TestApp;
let orgId: string;
let url: string;
type Credentials = Parameters<TestApp["http"]["get"]>[1];
const who: Record<string, Credentials> = {};
type Who = (typeof who)[string];
const ids: Record<string, string> = {};

const day = (iso: string) => new Date(iso);

beforeAll(async () => {
  t = await createTestApp();
  const { org, people } = await makeOrganization(t, { name: "Acme Reports" });
  orgId = org.id;
  url = `/api/v1/organizations/${orgId}/report-metadata`;
  who.admin = people.admin;
  await t.system.db
    .updateTable("organizations")
    .set({ timezone: "America/New_York" })
    .where("id", "=", orgId)
    .execute();
  const eng = await createDepartment(t.system, orgId, { name: "Engineering", code: "ENG" });
  const sales = await createDepartment(t.system, orgId, { name: "Sales", code: "SAL" });
  ids.eng = eng.id;
  const member = async (key: string, roleKeys: string[], departmentId: string | null) => {
    const user = await makeUser(t, { firstName: key, lastName: "Doe" });
    await addMember(t.system, orgId, { userId: user.id, roleKeys, departmentId });
    ids[key] = user.id;
    return user;
  };
  for (const key of ["L1", "L2", "L3"]) await member(key, ["learner"], eng.id);
  for (const key of ["L4", "L5", "L6"]) await member(key, ["learner"], sales.id);
  const viewer = await member("viewer", ["report-viewer"], null);
  const head = await member("head", ["department-admin"], eng.id);
  who.viewer = await signIn(t, viewer.email);
  who.head = await signIn(t, head.email);
  who.L1 = await signIn(
    t,
    (
      await t.system.db
        .selectFrom("users")
        .select("email")
        .where("id", "=", ids.L1 as string)
        .executeTakeFirstOrThrow()
    ).email,
  );

  const course = (code: string, title: string, category: string) =>
    createCourse(t.system, {
      organizationId: orgId,
      instructorId: ids.viewer as string,
      code,
      title,
      description: "A course for the report engine tests.",
      category,
    });
  const c1 = await course("R-C1", "Safety basics", "safety");
  const c2 = await course("R-C2", "Sales craft", "sales");
  ids.c1 = c1.id;
  ids.c2 = c2.id;
  const enrollment = async (
    learner: string,
    courseId: string,
    status: string,
    progress: number,
    seconds: number,
    enrolled: string,
    completed: string | null,
    started = true,
  ) => {
    const row = await t.system.db
      .insertInto("enrollments")
      .values({
        user_id: ids[learner] as string,
        course_id: courseId,
        organization_id: orgId,
        status: status as "active",
        progress_percent: progress,
        time_spent_seconds: seconds,
        enrolled_at: day(enrolled),
        started_at: started ? day(enrolled) : null,
        completed_at: completed ? day(completed) : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids[`${learner}-${courseId === c1.id ? "c1" : "c2"}`] = row.id;
  };
  await enrollment(
    "L1",
    c1.id,
    "completed",
    100,
    3600,
    "2026-01-05T15:00:00Z",
    "2026-01-07T15:00:00Z",
  );
  await enrollment(
    "L2",
    c1.id,
    "completed",
    100,
    1800,
    "2026-01-10T15:00:00Z",
    "2026-01-14T15:00:00Z",
  );
  await enrollment("L3", c1.id, "active", 50, 900, "2026-01-12T15:00:00Z", null);
  await enrollment("L4", c1.id, "dropped", 10, 60, "2026-01-15T15:00:00Z", null);
  await enrollment(
    "L5",
    c2.id,
    "completed",
    100,
    7200,
    "2026-02-01T10:00:00Z",
    "2026-02-02T10:00:00Z",
  );
  await enrollment("L6", c2.id, "active", 0, 0, "2026-02-03T10:00:00Z", null, false);
  await enrollment("L1", c2.id, "active", 20, 300, "2026-02-04T10:00:00Z", null);

  const event = (learner: string, type: string, at: string, courseId = c1.id) => ({
    type,
    learnerId: ids[learner] as string,
    organizationId: orgId,
    courseId,
    occurredAt: day(at),
  });
  await recordEvents(t.system, [
    event("L1", "content-viewed", "2026-03-01T03:00:00Z"), // 28 Feb, 22:00 in New York
    event("L1", "content-viewed", "2026-03-01T12:00:00Z"),
    event("L2", "content-viewed", "2026-03-02T12:00:00Z"),
    event("L5", "content-completed", "2026-02-15T12:00:00Z", c2.id),
    event("L4", "login", "2026-03-05T12:00:00Z"),
  ]);

  const module = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", c1.id)
    .executeTakeFirstOrThrow();
  const quiz = await createQuiz(t.system, module.id, { title: "Safety check" });
  const attempt = async (
    learner: string,
    status: string,
    score: number | null,
    passed: boolean | null,
  ) =>
    t.system.db
      .insertInto("quiz_attempts")
      .values({
        quiz_id: quiz.id,
        enrollment_id: ids[`${learner}-c1`] as string,
        user_id: ids[learner] as string,
        course_id: c1.id,
        attempt_number: 1,
        status: status as "graded",
        started_at: day("2026-03-03T10:00:00Z"),
        submitted_at: status === "in-progress" ? null : day("2026-03-03T10:20:00Z"),
        question_ids: [],
        score,
        passed,
      })
      .execute();
  await attempt("L1", "graded", 90, true);
  await attempt("L2", "graded", 60, false);
  await attempt("L3", "graded", 80, true);
  await attempt("L4", "in-progress", null, null);
});
afterAll(() => t.close());

type Row = { values: Record<string, unknown>; total: boolean };

async function preview(definition: unknown, as = who.viewer) {
  const res = await t.http.post(`${url}/preview?limit=100`, definition, as);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { base: string; rows: Row[]; columns: Array<{ key: string }> };
}

describe("report engine", () => {
  it("computes the enrollment rates per course exactly as documented", async () => {
    const report = await preview({
      dimensions: [{ entity: "course", fields: ["title"] }],
      measures: [
        { id: "enrollments", type: "count" },
        { id: "completion", type: "completion-rate" },
        { id: "dropout", type: "dropout-rate" },
        { id: "retention", type: "retention-rate" },
        { id: "engagement", type: "engagement-rate" },
        { id: "ttc", type: "avg-time-to-complete" },
        { id: "study", type: "avg-study-time" },
        { id: "medianProgress", type: "median", field: "enrollment.progressPercent" },
        { id: "learners", type: "count-distinct", field: "learner.id" },
      ],
      display: { sortBy: "course.title", sortDirection: "asc" },
    });
    expect(report.base).toBe("enrollment");
    expect(report.rows.map((r) => r.values)).toEqual([
      {
        "course.title": "Safety basics",
        enrollments: 4,
        completion: 50,
        dropout: 25,
        retention: 75,
        engagement: 100,
        ttc: (2 * 86_400 + 4 * 86_400) / 2,
        study: (3600 + 1800 + 900 + 60) / 4,
        medianProgress: (50 + 100) / 2,
        learners: 4,
      },
      {
        "course.title": "Sales craft",
        enrollments: 3,
        completion: 33.33,
        dropout: 0,
        retention: 100,
        engagement: 66.67,
        ttc: 86_400,
        study: (7200 + 0 + 300) / 3,
        medianProgress: 20,
        learners: 3,
      },
    ]);
  });

  it("adds totals and shares of the total, by department", async () => {
    const report = await preview({
      dimensions: [{ entity: "department", fields: ["name"] }],
      measures: [{ id: "n", type: "count" }],
      display: { showTotals: true, showPercentages: true },
    });
    expect(report.rows).toEqual([
      { values: { "department.name": "Engineering", n: 4, "n%": 57.14 }, total: false },
      { values: { "department.name": "Sales", n: 3, "n%": 42.86 }, total: false },
      { values: { "department.name": null, n: 7, "n%": 100 }, total: true },
    ]);
  });

  it("groups time in the organization's time zone, and keeps a top N with Other", async () => {
    let report = await preview({
      dimensions: [{ entity: "time", fields: ["month"] }],
      measures: [{ id: "events", type: "event-count" }],
    });
    expect(report.base).toBe("activity");
    // 03:00 UTC on 1 March is still February in New York.
    expect(
      report.rows.map((r) => [String(r.values["time.month"]).slice(0, 10), r.values.events]),
    ).toEqual([
      ["2026-02-01", 2],
      ["2026-03-01", 3],
    ]);
    report = await preview({
      measures: [{ id: "events", type: "event-count" }],
      groups: [{ field: "activity.eventType", topN: 1, showOther: true }],
    });
    expect(report.rows.map((r) => r.values)).toEqual([
      { "activity.eventType": "Other", events: 2 },
      { "activity.eventType": "content-viewed", events: 3 },
    ]);
  });

  it("measures graded attempts: average score, pass and fail rates", async () => {
    const report = await preview(
      {
        dimensions: [{ entity: "assessment", fields: ["quizTitle"] }],
        measures: [
          { id: "avg", type: "avg-score" },
          { id: "pass", type: "pass-rate" },
          { id: "fail", type: "fail-rate" },
          { id: "sd", type: "std-dev", field: "assessment.score" },
        ],
      },
      who.head,
    );
    expect(report.base).toBe("assessment");
    // The department head sees Engineering's learners only (L1–L3), all three graded.
    expect(report.rows.map((r) => r.values)).toEqual([
      { "assessment.quizTitle": "Safety check", avg: 76.67, pass: 66.67, fail: 33.33, sd: 15.2753 },
    ]);
  });

  it("limits rows to the learners the caller's report scope reaches", async () => {
    const all = await preview({ measures: [{ id: "n", type: "count" }] });
    expect(all.rows[0]?.values.n).toBe(7);
    const eng = await preview({ measures: [{ id: "n", type: "count" }] }, who.head);
    expect(eng.rows[0]?.values.n).toBe(4);
    // A learner's own report scope: their own two enrollments.
    const own = await preview({ measures: [{ id: "n", type: "count" }] }, who.L1);
    expect(own.rows[0]?.values.n).toBe(2);
    const outsider = await makeOrganization(t);
    const res = await t.http.post(
      `${url}/preview`,
      { measures: [{ id: "n", type: "count" }] },
      outsider.people.admin,
    );
    expect(res.status).toBe(403);
  });

  it("binds every value: filters with each kind of operator, and injection finds nothing", async () => {
    const count = async (filters: unknown) =>
      (await preview({ measures: [{ id: "n", type: "count" }], filters })).rows[0]?.values.n;
    expect(
      await count({
        customFilters: [{ field: "course.title", operator: "contains", value: "safe" }],
      }),
    ).toBe(4);
    expect(
      await count({
        customFilters: [{ field: "course.title", operator: "startsWith", value: "Sales" }],
      }),
    ).toBe(3);
    expect(
      await count({
        customFilters: [
          { field: "enrollment.progressPercent", operator: "between", value: 10, valueEnd: 50 },
        ],
      }),
    ).toBe(3);
    expect(
      await count({
        customFilters: [
          { field: "enrollment.status", operator: "in", value: ["completed", "dropped"] },
        ],
      }),
    ).toBe(4);
    expect(
      await count({ customFilters: [{ field: "enrollment.completedAt", operator: "isNull" }] }),
    ).toBe(4);
    expect(await count({ completionStatus: ["complete"], departmentIds: [ids.eng] })).toBe(2);
    expect(
      await count({
        dateRange: {
          field: "enrolledAt",
          start: "2026-02-01T00:00:00Z",
          end: "2026-03-01T00:00:00Z",
        },
      }),
    ).toBe(3);
    expect(
      await count({
        customFilters: [{ field: "course.title", operator: "eq", value: "x' or '1'='1" }],
      }),
    ).toBe(0);
    expect(
      await count({
        customFilters: [{ field: "learner.email", operator: "contains", value: "%" }],
      }),
    ).toBe(0);
    const users = await t.system.db.selectFrom("users").select("id").execute();
    expect(users.length).toBeGreaterThan(8);
  });

  it("validates with field-level errors, including role-based dimension access", async () => {
    const check = async (definition: unknown, as = who.viewer) =>
      (await t.http.post(`${url}/validate`, definition, as)).body.data;
    expect(await check({ measures: [{ id: "n", type: "count" }] })).toEqual({
      valid: true,
      errors: [],
    });
    let result = await check({
      dimensions: [{ entity: "learner", fields: ["passwordHash"] }],
      measures: [
        { id: "n", type: "sum" },
        { id: "n", type: "count", field: "course.title" },
      ],
      filters: { customFilters: [{ field: "users.password_hash", operator: "eq", value: 1 }] },
    });
    expect(result.valid).toBe(false);
    expect(result.errors.map((e: { field: string }) => e.field)).toEqual([
      "filters.customFilters.0.field",
    ]);
    result = await check({
      dimensions: [{ entity: "learner", fields: ["passwordHash"] }],
      measures: [
        { id: "n", type: "sum" },
        { id: "n", type: "count", field: "course.title" },
      ],
      display: { sortBy: "nothing" },
    });
    expect(result.errors.map((e: { field: string }) => e.field)).toEqual([
      "dimensions.0.fields.0",
      "measures.0.field",
      "measures.1.id",
      "measures.1.field",
      "display.sortBy",
    ]);
    result = await check({
      measures: [
        { id: "events", type: "event-count" },
        { id: "rate", type: "completion-rate" },
      ],
    });
    expect(result.errors[0].message).toMatch(/do not share a base/);
    // The report viewer may read reports but not assessment results (progress:read).
    result = await check({
      dimensions: [{ entity: "assessment", fields: ["quizTitle"] }],
      measures: [{ id: "avg", type: "avg-score" }],
    });
    expect(result.errors[0].message).toMatch(/progress:read/);
    const catalog = await t.http.get(`${url}/dimensions`, who.viewer);
    const assessment = catalog.body.data.dimensions.find(
      (d: { entity: string }) => d.entity === "assessment",
    );
    expect(assessment).toMatchObject({ allowed: false, requires: "progress:read" });
    const preview = await t.http.post(
      `${url}/preview`,
      { measures: [{ id: "n", type: "wat" }] },
      who.viewer,
    );
    expect(preview.status).toBe(400);
    expect(preview.body.error.field).toBe("measures.0.type");
  });

  it("estimates rows and cost without running the report, and serves the catalog", async () => {
    const res = await t.http.post(
      `${url}/estimate`,
      {
        dimensions: [{ entity: "course", fields: ["title"] }],
        measures: [{ id: "n", type: "count" }],
      },
      who.viewer,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ base: "enrollment", expensive: false, warnings: [] });
    expect(res.body.data.cost).toBeGreaterThan(0);
    expect(res.body.data.estimatedRows).toBeGreaterThanOrEqual(1);
    for (const part of ["measures", "slicers", "groups", "filters"]) {
      const r = await t.http.get(`${url}/${part}`, who.viewer);
      expect(r.status).toBe(200);
    }
    const measures = (await t.http.get(`${url}/measures`, who.viewer)).body.data;
    expect(measures.find((m: { type: string }) => m.type === "completion-rate").definition).toMatch(
      /status completed/,
    );
  });

  it("serves the real-time completion and performance reports (deprecated) and transcripts", async () => {
    const base = `/api/v1/organizations/${orgId}/reports`;
    let res = await t.http.get(`${base}/completion?courseIds=${ids.c1}`, who.viewer);
    expect(res.status).toBe(200);
    expect(res.headers["x-deprecated"]).toBe("true");
    expect(res.headers.sunset).toBe("Sun, 23 May 2027 00:00:00 GMT");
    expect(res.headers["x-migration-path"]).toBe(`POST /api/v1/organizations/${orgId}/report-jobs`);
    expect(res.body.data).toEqual([
      {
        "course.id": ids.c1,
        "course.code": "R-C1",
        "course.title": "Safety basics",
        enrollments: 4,
        completionRate: 50,
        averageProgress: 65,
        averageStudySeconds: 1590,
        averageSecondsToComplete: 259_200,
      },
    ]);
    res = await t.http.get(`${base}/performance`, who.viewer);
    expect(res.status).toBe(403);
    res = await t.http.get(`${base}/performance`, who.head);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        "course.title": "Safety basics",
        attempts: 3,
        averageScore: 76.67,
        passRate: 66.67,
      }),
    ]);
    res = await t.http.get(`${base}/transcript/${ids.L1}`, who.viewer);
    expect(res.status).toBe(200);
    expect(
      res.body.data.courses.map((c: { title: string; status: string }) => [c.title, c.status]),
    ).toEqual([
      ["Sales craft", "active"],
      ["Safety basics", "completed"],
    ]);
    res = await t.http.get(`${base}/transcript/${ids.L4}`, who.head);
    expect(res.status).toBe(404);
  });
});
