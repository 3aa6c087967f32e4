import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { createQuiz } from "../assessments/quizzes.js";
import { addMember } from "../organizations/service.js";
import { PREDEFINED } from "./predefined.js";
import { reportCatalog } from "./service.js";

/**
 * The report engine on a small known dataset: every figure below is worked out by hand from the
 * rows test/report-data.ts inserts, in the organization's time zone (America/New_York).
 */

let t: TestApp;
let orgId: string;
let url: string;
let who: Awaited<ReturnType<typeof reportWorld>>["who"];
let ids: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  ({ orgId, url, who, ids } = await reportWorld(t));
});
afterAll(() => t.close());

type Row = { values: Record<string, unknown>; total: boolean; kind: string; other?: string[] };

const emailOf = async (id: string) =>
  (
    await t.system.db
      .selectFrom("users")
      .select("email")
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
  ).email;

async function preview(definition: unknown, as = who.viewer) {
  const res = await t.http.post(`${url}/preview?limit=100`, definition, as);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { base: string; rows: Row[]; columns: Array<{ key: string }> };
}

describe("report engine", () => {
  it("answers one row for a report of measures only, with or without shares", async () => {
    const plain = await preview({ measures: [{ id: "enrollments", type: "count" }] });
    expect(plain.rows).toEqual([{ values: { enrollments: 7 }, total: false, kind: "detail" }]);
    const shared = await preview({
      measures: [{ id: "enrollments", type: "count" }],
      display: { showPercentages: true, showTotals: true },
    });
    expect(shared.rows).toEqual([
      { values: { enrollments: 7, "enrollments%": 100 }, total: false, kind: "detail" },
    ]);
  });

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
      {
        values: { "department.name": "Engineering", n: 4, "n%": 57.14 },
        total: false,
        kind: "detail",
      },
      { values: { "department.name": "Sales", n: 3, "n%": 42.86 }, total: false, kind: "detail" },
      { values: { "department.name": null, n: 7, "n%": 100 }, total: true, kind: "total" },
    ]);
  });

  it("groups time in the organization's time zone, and keeps a top N with Other", async () => {
    let report = await preview({
      dimensions: [{ entity: "time", fields: ["month"] }],
      measures: [{ id: "events", type: "event-count" }],
    });
    expect(report.base).toBe("activity");
    // 03:00 UTC on 1 March is still February in New York.
    expect(report.rows.map((r) => [r.values["time.month"], r.values.events])).toEqual([
      ["2026-02-01", 2],
      ["2026-03-01", 3],
    ]);
    report = await preview({
      measures: [{ id: "events", type: "event-count" }],
      groups: [
        {
          field: "activity.eventType",
          topN: 1,
          sortBy: "count",
          sortDirection: "desc",
          showOther: true,
        },
      ],
    });
    expect(report.rows.map((r) => [r.values, r.other])).toEqual([
      [{ "activity.eventType": "content-viewed", events: 3 }, undefined],
      [{ "activity.eventType": "Other", events: 2 }, ["activity.eventType"]],
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

  it("refuses bad patterns, empty lists, non-boolean answers and inverted date ranges everywhere", async () => {
    const custom = (field: string, operator: string, value: unknown) => ({
      measures: [{ id: "n", type: "count" }],
      filters: { customFilters: [{ field, operator, value }] },
    });
    const value = "filters.customFilters.0.value";
    const refused: Array<[string, unknown, string]> = [
      ["an unbalanced pattern", custom("course.title", "regex", "(safe"), value],
      // Valid in JavaScript, not in PostgreSQL's engine, which runs it.
      ["a JavaScript-only pattern", custom("course.title", "regex", "(?<word>safe)"), value],
      ["an empty in list", custom("enrollment.status", "in", []), value],
      ["an empty nin list", custom("enrollment.status", "nin", []), value],
      ["an empty answer to a yes/no field", custom("enrollment.isMandatory", "eq", ""), value],
      ["text for an id", custom("course.id", "eq", "R-C1"), value],
      ["a day the calendar lacks", custom("enrollment.enrolledAt", "gte", "2026-02-30"), value],
      [
        "an inverted date range",
        {
          measures: [{ id: "n", type: "count" }],
          filters: {
            dateRange: {
              field: "enrolledAt",
              start: "2026-03-01T00:00:00Z",
              end: "2026-02-01T00:00:00Z",
            },
          },
        },
        "filters.dateRange.end",
      ],
    ];
    const template = await t.system.db
      .selectFrom("report_templates")
      .select("id")
      .where("slug", "=", "enrollment-summary")
      .where("is_system", "=", true)
      .executeTakeFirstOrThrow();
    for (const [what, definition, field] of refused) {
      const check = await t.http.post(`${url}/validate`, definition, who.viewer);
      expect(check.body.data.valid, what).toBe(false);
      expect(
        check.body.data.errors.map((e: { field: string }) => e.field),
        what,
      ).toEqual([field]);
      for (const path of ["preview", "estimate"]) {
        const res = await t.http.post(`${url}/${path}`, definition, who.viewer);
        expect(
          [res.status, res.body.error?.code, res.body.error?.field],
          `${what}: ${path}`,
        ).toEqual([400, "VALIDATION_ERROR", field]);
      }
      const job = await t.http.post(
        `/api/v1/organizations/${orgId}/report-jobs`,
        { name: "Bad", definition, outputFormat: "csv" },
        who.viewer,
      );
      expect([job.status, job.body.error?.code, job.body.error?.field], what).toEqual([
        400,
        "VALIDATION_ERROR",
        `definition.${field}`,
      ]);
      const schedule = await t.http.post(
        `/api/v1/organizations/${orgId}/report-schedules`,
        {
          name: "Bad",
          templateId: template.id,
          frequency: "daily",
          timezone: "UTC",
          filterOverrides: (definition as { filters: unknown }).filters,
        },
        who.viewer,
      );
      expect(
        [schedule.status, schedule.body.error?.code, schedule.body.error?.field],
        what,
      ).toEqual([400, "VALIDATION_ERROR", field.replace(/^filters\./, "filterOverrides.")]);
    }
    expect(
      await t.system.db.selectFrom("report_jobs").select("id").where("name", "=", "Bad").execute(),
    ).toEqual([]);
    // Patterns PostgreSQL reads its own way run as PostgreSQL reads them: \m starts a word.
    const words = await preview(custom("course.title", "regex", "\\mbas"));
    expect(words.rows[0]?.values.n).toBe(4);
    const yes = await preview(custom("enrollment.isMandatory", "eq", false));
    expect(yes.rows[0]?.values.n).toBe(7);
    // The real-time reports refuse an inverted range too.
    const res = await t.http.get(
      `/api/v1/organizations/${orgId}/reports/completion?from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z`,
      who.viewer,
    );
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([
      400,
      "VALIDATION_ERROR",
      "to",
    ]);
  });

  it("credits teaching to the cohort's instructor, else the course owner", async () => {
    // Two instructors called Grace Hopper each teach a cohort of Safety basics; a third cohort
    // names no instructor. The course owner is the report viewer.
    const grace = [
      await makeUser(t, { firstName: "Grace", lastName: "Hopper" }),
      await makeUser(t, { firstName: "Grace", lastName: "Hopper" }),
    ];
    for (const g of grace)
      await addMember(t.system, orgId, { userId: g.id, roleKeys: ["instructor"] });
    const cohort = async (name: string, instructorId: string | null, learner: string) => {
      const row = await t.system.db
        .insertInto("cohorts")
        .values({
          course_id: ids.c1 as string,
          organization_id: orgId,
          name,
          starts_at: new Date("2026-01-01T00:00:00Z"),
          ends_at: new Date("2026-06-01T00:00:00Z"),
          capacity: 10,
          instructor_id: instructorId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await t.system.db
        .updateTable("enrollments")
        .set({ cohort_id: row.id })
        .where("id", "=", ids[`${learner}-c1`] as string)
        .execute();
    };
    await cohort("Spring A", grace[0]?.id as string, "L2");
    await cohort("Spring B", grace[1]?.id as string, "L3");
    await cohort("Spring C", null, "L4");
    const owner = ids.viewer as string;
    const people = [
      { id: owner, email: (await emailOf(owner)) as string, name: "viewer Doe", n: 5 },
      ...grace.map((g) => ({ id: g.id, email: g.email, name: "Grace Hopper", n: 1 })),
    ].sort((a, b) => a.id.localeCompare(b.id));
    const report = await preview(
      {
        dimensions: [{ entity: "instructor", fields: ["id", "name"] }],
        measures: [{ id: "n", type: "count" }],
        display: { sortBy: "instructor.id" },
      },
      who.admin,
    );
    expect(report.rows.map((r) => r.values)).toEqual(
      people.map((p) => ({ "instructor.id": p.id, "instructor.name": p.name, n: p.n })),
    );
    // The instructor filter agrees with the dimension.
    const count = async (instructorIds: string[]) =>
      (
        await preview(
          { measures: [{ id: "n", type: "count" }], filters: { instructorIds } },
          who.admin,
        )
      ).rows[0]?.values.n;
    expect(await count([grace[0]?.id as string])).toBe(1);
    expect(await count([owner])).toBe(5);
    // Instructor workload: a row per instructor, namesakes apart.
    const workload = await preview(
      { ...PREDEFINED["instructor-workload"]?.definition, display: { sortBy: "instructor.id" } },
      who.admin,
    );
    expect(workload.rows.map((r) => r.values)).toEqual(
      people.map((p) => ({
        "instructor.id": p.id,
        "instructor.name": p.name,
        "instructor.email": p.email,
        courses: p.n === 5 ? 2 : 1,
        learners: p.n === 5 ? 4 : 1,
        enrollments: p.n,
      })),
    );
    await t.system.db
      .updateTable("enrollments")
      .set({ cohort_id: null })
      .where("organization_id", "=", orgId)
      .execute();
  });

  it("counts pass and fail rates over quizzes that are passed or failed only", async () => {
    const module = await t.system.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", ids.c1 as string)
      .executeTakeFirstOrThrow();
    // A failed practice run and a passed pre-course quiz carry a pass mark of their own, but
    // nobody passes or fails those kinds.
    const practice = await createQuiz(t.system, module.id, { title: "Warm-up", kind: "practice" });
    const pre = await createQuiz(t.system, module.id, { title: "Before", kind: "pre-course" });
    const attempt = (quizId: string, learner: string, score: number, passed: boolean) => ({
      quiz_id: quizId,
      enrollment_id: ids[`${learner}-c1`] as string,
      user_id: ids[learner] as string,
      course_id: ids.c1 as string,
      attempt_number: 1,
      status: "graded" as const,
      started_at: new Date("2026-03-04T10:00:00Z"),
      submitted_at: new Date("2026-03-04T10:10:00Z"),
      question_ids: [],
      score,
      passed,
    });
    await t.system.db
      .insertInto("quiz_attempts")
      .values([attempt(practice.id, "L1", 40, false), attempt(pre.id, "L2", 90, true)])
      .execute();
    const report = await preview(
      {
        measures: [
          { id: "attempts", type: "count" },
          { id: "pass", type: "pass-rate" },
          { id: "fail", type: "fail-rate" },
          { id: "avg", type: "avg-score" },
        ],
      },
      who.admin,
    );
    // Safety check: L1 passed (90), L2 failed (60), L3 passed (80). Every graded attempt
    // counts and has its score averaged; only Safety check's count towards the rates.
    expect(report.rows.map((r) => r.values)).toEqual([
      { attempts: 5, pass: 66.67, fail: 33.33, avg: 72 },
    ]);
    await t.system.db.deleteFrom("quizzes").where("id", "in", [practice.id, pre.id]).execute();
  });

  it("names learners by their registered name, or by the display name they chose", async () => {
    await t.system.db
      .updateTable("users")
      .set({ display_name: "Lee" })
      .where("id", "=", ids.L1 as string)
      .execute();
    const report = await preview(
      {
        dimensions: [{ entity: "learner", fields: ["name", "displayName"] }],
        measures: [{ id: "n", type: "count" }],
        filters: { learnerIds: [ids.L1, ids.L2] },
        display: { sortBy: "learner.name" },
      },
      who.admin,
    );
    expect(report.rows.map((r) => r.values)).toEqual([
      { "learner.name": "L1 Doe", "learner.displayName": "Lee", n: 2 },
      { "learner.name": "L2 Doe", "learner.displayName": "L2 Doe", n: 1 },
    ]);
    await t.system.db
      .updateTable("users")
      .set({ display_name: null })
      .where("id", "=", ids.L1 as string)
      .execute();
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

  it("answers every property of the catalog through the routes' response schemas", async () => {
    const data = async (part: string, as = who.admin) => {
      const res = await t.http.get(`${url}/${part}`, as);
      expect(res.status, part).toBe(200);
      return res.body.data;
    };
    // An organization admin holds every permission the entities need, as the system does.
    const catalog = JSON.parse(JSON.stringify(await reportCatalog(t.system, orgId)));
    const dimensions = await data("dimensions");
    expect(dimensions).toEqual({ bases: catalog.bases, dimensions: catalog.dimensions });
    for (const part of ["measures", "slicers", "groups", "filters"])
      expect(await data(part), part).toEqual(catalog[part]);

    expect(dimensions.bases).toEqual([
      {
        key: "enrollment",
        label: "Enrollments",
        date: "when the learner enrolled (enrolled_at)",
        requires: null,
        allowed: true,
      },
      {
        key: "activity",
        label: "Learning events",
        date: "when the event happened (occurred_at)",
        requires: null,
        allowed: true,
      },
      {
        key: "assessment",
        label: "Graded quiz attempts",
        date: "when the attempt was submitted (submitted_at)",
        requires: null,
        allowed: true,
      },
      {
        key: "integration-run",
        label: "Integration sync runs",
        date: "when the run started (started_at; when it was requested for a run not started yet)",
        requires: "integrations:manage",
        allowed: true,
      },
      {
        key: "integration-incident",
        label: "Integration incidents",
        date: "when the incident was opened (opened_at)",
        requires: "integrations:manage",
        allowed: true,
      },
      {
        key: "compliance-assignment",
        label: "Compliance assignments",
        date: "when the current assignment is due (due_at; empty for a person only exempt)",
        requires: "compliance:read",
        allowed: true,
      },
    ]);
    const entity = (key: string) =>
      dimensions.dimensions.find((d: { entity: string }) => d.entity === key);
    expect(entity("learner")).toEqual({
      entity: "learner",
      label: "Learner",
      description: null,
      bases: ["enrollment", "activity", "assessment", "compliance-assignment"],
      available: true,
      reason: null,
      requires: "members:read",
      allowed: true,
      fields: expect.arrayContaining([
        { key: "learner.email", field: "email", label: "Email", type: "string", description: null },
        {
          key: "learner.name",
          field: "name",
          label: "Name",
          type: "string",
          description:
            "First and last name as registered (as certificates print it); never the display name",
        },
        {
          key: "learner.displayName",
          field: "displayName",
          label: "Display name",
          type: "string",
          description: "The name the person chose to be shown by, else first and last name",
        },
      ]),
    });
    expect(entity("time").description).toMatch(/^The base's own date/);
    expect(entity("course")).toMatchObject({ requires: null, allowed: true });
    expect(entity("program")).toEqual({
      entity: "program",
      label: "Program (learning path)",
      description: null,
      bases: [],
      available: false,
      reason: "Learning paths are not a report dimension yet",
      requires: null,
      allowed: false,
      fields: [],
    });
    // The viewer gets the same catalog, with the entities it may not use marked.
    const forViewer = await data("dimensions", who.viewer);
    expect(
      forViewer.dimensions.map((d: { entity: string; allowed: boolean }) => ({
        ...d,
        allowed: entity(d.entity).allowed,
      })),
    ).toEqual(dimensions.dimensions);

    const measures = await data("measures");
    expect(measures.find((m: { type: string }) => m.type === "count")).toEqual({
      type: "count",
      label: "Count",
      bases: ["enrollment", "activity", "assessment"],
      field: null,
      format: "number",
      definition: "Rows of the base: enrollments, learning events or graded attempts.",
      precision: "A whole number",
    });
    expect(measures.find((m: { type: string }) => m.type === "completion-rate").precision).toBe(
      "A percentage rounded to 2 decimals",
    );
    expect(measures.every((m: { precision: string }) => m.precision.length > 0)).toBe(true);
    expect(measures.find((m: { type: string }) => m.type === "count-distinct")).toMatchObject({
      field: "any",
    });
    expect(measures.find((m: { type: string }) => m.type === "avg-score")).toMatchObject({
      bases: ["assessment"],
      field: null,
      format: "percent",
    });

    const slicers = await data("slicers");
    expect(slicers.find((s: { type: string }) => s.type === "time")).toEqual({
      type: "time",
      fieldTypes: ["date"],
      options: ["timeGranularity"],
      granularities: ["hour", "day", "week", "month", "quarter", "year"],
    });
    expect(slicers.find((s: { type: string }) => s.type === "dynamic")).toEqual({
      type: "dynamic",
      fieldTypes: [],
      options: [],
      supported: false,
    });
    expect(await data("groups")).toEqual({
      granularities: ["hour", "day", "week", "month", "quarter", "year"],
      sortBy: ["value", "label", "count"],
      options: ["topN", "showOther"],
    });
    const filters = await data("filters");
    expect(filters.structured).toEqual(expect.arrayContaining(["departmentIds", "passStatus"]));
    expect(filters.dateRangeFields).toEqual([
      "createdAt",
      "enrolledAt",
      "completedAt",
      "eventDate",
    ]);
    expect(filters.operators).toEqual(expect.arrayContaining(["eq", "between", "regex"]));
    expect(filters.dateRange.description).toMatch(/^Half-open: rows from start \(included\)/);
    expect(filters.dateRange.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      [...filters.dateRangeFields].sort(),
    );
    expect(
      filters.dateRange.fields.find((f: { field: string }) => f.field === "enrolledAt").description,
    ).toMatch(/events recorded without one .* drop out/);
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

  it("shows on the transcript the certificate certification status counts, and surveys as completed", async () => {
    const enrollmentId = ids["L1-c1"] as string;
    const cert = (number: string, issued: string, revoked: string | null) =>
      t.system.db
        .insertInto("certificates")
        .values({
          certificate_number: number,
          enrollment_id: enrollmentId,
          user_id: ids.L1 as string,
          course_id: ids.c1 as string,
          organization_id: orgId,
          recipient_name: "L1 Doe",
          course_title: "Safety basics",
          issuer_name: "Acme Reports",
          issued_at: new Date(issued),
          badge_data: "{}",
          pdf_key: `certificates/${number}.pdf`,
          revoked_at: revoked ? new Date(revoked) : null,
          revoked_reason: revoked ? "Issued with a typo" : null,
        })
        .execute();
    // The first certificate was revoked and reissued.
    await cert("LYC-2026-REVOKED01", "2026-01-07T15:00:00Z", "2026-01-20T09:00:00Z");
    await cert("LYC-2026-REISSUED1", "2026-01-21T09:00:00Z", null);
    const module = await t.system.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", ids.c1 as string)
      .executeTakeFirstOrThrow();
    const survey = await createQuiz(t.system, module.id, {
      title: "Course feedback",
      kind: "survey",
    });
    const graded = await t.system.db
      .selectFrom("quizzes")
      .select("id")
      .where("title", "=", "Safety check")
      .executeTakeFirstOrThrow();
    const result = (quizId: string, passed: boolean, score: number | null) => ({
      enrollment_id: enrollmentId,
      quiz_id: quizId,
      user_id: ids.L1 as string,
      attempts_used: 1,
      best_score: score,
      passed,
    });
    // A survey's standing is stored with passed = false: nobody passes it.
    await t.system.db
      .insertInto("quiz_results")
      .values([result(survey.id, false, null), result(graded.id, true, 90)])
      .execute();

    const res = await t.http.get(
      `/api/v1/organizations/${orgId}/reports/transcript/${ids.L1}`,
      who.admin,
    );
    expect(res.status).toBe(200);
    const safety = res.body.data.courses.find(
      (c: { title: string }) => c.title === "Safety basics",
    );
    expect(safety.certificate).toEqual({
      number: "LYC-2026-REISSUED1",
      issuedAt: "2026-01-21T09:00:00.000Z",
      expiresAt: null,
      revoked: false,
      status: "valid",
    });
    expect(safety.quizzes).toEqual([
      {
        title: "Course feedback",
        kind: "survey",
        bestScore: null,
        result: "completed",
        passed: null,
        attempts: 1,
      },
      {
        title: "Safety check",
        kind: "graded",
        bestScore: 90,
        result: "passed",
        passed: true,
        attempts: 1,
      },
    ]);
    // The certification-status report counts the same certificate for the enrollment.
    const report = await preview(
      {
        dimensions: [{ entity: "certificate", fields: ["number", "status"] }],
        measures: [{ id: "n", type: "count" }],
        filters: { learnerIds: [ids.L1], courseIds: [ids.c1] },
      },
      who.admin,
    );
    expect(report.rows.map((r) => r.values)).toEqual([
      { "certificate.number": "LYC-2026-REISSUED1", "certificate.status": "valid", n: 1 },
    ]);
    await t.system.db
      .deleteFrom("quiz_results")
      .where("enrollment_id", "=", enrollmentId)
      .execute();
    await t.system.db.deleteFrom("quizzes").where("id", "=", survey.id).execute();
    await t.system.db
      .deleteFrom("certificates")
      .where("enrollment_id", "=", enrollmentId)
      .execute();
  });
});
