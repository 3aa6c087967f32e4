import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { addMember } from "../organizations/service.js";
import { createTeam } from "../organizations/structure.js";
import { PREDEFINED } from "./predefined.js";
import { processNextReportJob } from "./runner.js";

let t: TestApp;
let world: Awaited<ReturnType<typeof reportWorld>>;

beforeAll(async () => {
  t = await createTestApp({ env: { REPORT_JOBS_PER_HOUR: "100" } });
  world = await reportWorld(t);
});
afterAll(() => t.close());

const base = () => `/api/v1/organizations/${world.orgId}/report-templates`;

async function drain() {
  const done = [];
  for (;;) {
    const job = await processNextReportJob(t.lyceum.services, "template-worker");
    if (!job) return done;
    done.push(job);
  }
}

describe("report templates", () => {
  it("include the predefined reports, each run by the engine", async () => {
    const res = await t.http.get(`${base()}?system=true`, world.who.admin);
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { slug: string }) => x.slug).sort()).toEqual(
      Object.keys(PREDEFINED).sort(),
    );
    for (const template of res.body.data) {
      const job = await t.http.post(
        `/api/v1/report-templates/${template.id}/generate`,
        { organizationId: world.orgId, outputFormat: "json" },
        world.who.admin,
      );
      expect(job.status, template.slug).toBe(201);
    }
    const finished = await drain();
    expect(finished.map((j) => [j.report_type, j.status]).filter(([, s]) => s !== "ready")).toEqual(
      [],
    );
    expect(finished).toHaveLength(Object.keys(PREDEFINED).length);
    const completion = finished.find((j) => j.report_type === "completion-rates");
    const file = await t.storage.get(completion?.file_key as string);
    const rows = JSON.parse(String(file)).rows.map(
      (r: { values: Record<string, unknown> }) => r.values,
    );
    expect(rows[0]).toMatchObject({ "course.title": "Safety basics", completionRate: 50 });
    const certs = finished.find((j) => j.report_type === "certification-status");
    const certRows = JSON.parse(String(await t.storage.get(certs?.file_key as string))).rows;
    expect(
      certRows
        .filter((r: { total: boolean }) => !r.total)
        .map((r: { values: Record<string, unknown> }) => r.values),
    ).toEqual([
      { "course.title": "Safety basics", "certificate.status": "none", enrollments: 4 },
      { "course.title": "Sales craft", "certificate.status": "none", enrollments: 3 },
    ]);
    const used = await t.http.get(`${base()}?system=true`, world.who.admin);
    expect(used.body.data.every((x: { usageCount: number }) => x.usageCount === 1)).toBe(true);
    // System templates are read-only; a copy is not.
    const system = res.body.data[0];
    let change = await t.http.put(
      `/api/v1/report-templates/${system.id}`,
      { name: "Mine" },
      world.who.admin,
    );
    expect(change.status).toBe(403);
    const copy = await t.http.post(
      `/api/v1/report-templates/${system.id}/duplicate`,
      { organizationId: world.orgId },
      world.who.admin,
    );
    expect(copy.status).toBe(201);
    expect(copy.body.data).toMatchObject({
      isSystem: false,
      visibility: "private",
      reportType: "custom",
    });
    change = await t.http.put(
      `/api/v1/report-templates/${copy.body.data.id}`,
      { name: "Mine" },
      world.who.admin,
    );
    expect(change.status).toBe(200);
  });

  it("keep private templates private until shared, and version every change", async () => {
    let res = await t.http.post(
      base(),
      {
        name: "Completion by department",
        definition: {
          dimensions: [{ entity: "department", fields: ["name"] }],
          measures: [{ id: "rate", type: "completion-rate" }],
        },
        category: "completion",
        tags: ["monthly"],
      },
      world.who.viewer,
    );
    expect(res.status).toBe(201);
    const template = res.body.data;
    expect(template).toMatchObject({
      slug: "completion-by-department",
      version: 1,
      visibility: "private",
    });
    expect(
      (await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.head)).status,
    ).toBe(404);
    res = await t.http.post(
      `/api/v1/report-templates/${template.id}/share`,
      { userIds: [world.ids.head] },
      world.who.viewer,
    );
    expect(res.body.data.sharedWith).toEqual([world.ids.head]);
    expect(
      (await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.head)).status,
    ).toBe(200);
    // Only the author (or a report manager) changes it.
    expect(
      (
        await t.http.put(
          `/api/v1/report-templates/${template.id}`,
          { name: "Hijacked" },
          world.who.head,
        )
      ).status,
    ).toBe(403);
    res = await t.http.put(
      `/api/v1/report-templates/${template.id}`,
      { name: "Completion by department (monthly)", tags: ["monthly", "hr"] },
      world.who.viewer,
    );
    expect(res.body.data).toMatchObject({
      version: 2,
      previousVersionId: template.id,
      isLatest: true,
    });
    const versions = await t.http.get(
      `/api/v1/report-templates/${template.id}/versions`,
      world.who.viewer,
    );
    expect(
      versions.body.data.map((v: { version: number; isLatest: boolean }) => [
        v.version,
        v.isLatest,
      ]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);
    // The old id still leads to the latest version; the slug stays.
    res = await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.viewer);
    expect(res.body.data).toMatchObject({ version: 2, slug: "completion-by-department" });
    res = await t.http.post(
      base(),
      {
        name: "x",
        slug: "completion-by-department",
        definition: { measures: [{ id: "n", type: "count" }] },
      },
      world.who.viewer,
    );
    expect(res.body.error.code).toBe("SLUG_TAKEN");
    res = await t.http.post(
      base(),
      { name: "Bad", definition: { measures: [{ id: "n", type: "nope" }] } },
      world.who.viewer,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("definition.measures.0.type");

    // Department visibility: Engineering's people see it.
    res = await t.http.post(
      `/api/v1/report-templates/${template.id}/share`,
      { visibility: "department", departmentId: world.ids.eng },
      world.who.viewer,
    );
    expect(res.body.data).toMatchObject({ visibility: "department", departmentId: world.ids.eng });
    const l1 = await t.http.get(`${base()}?system=false`, world.who.L1);
    expect(l1.body.data.map((x: { id: string }) => x.id)).toContain(res.body.data.id);

    // Generating counts the use on the template.
    const job = await t.http.post(
      `/api/v1/report-templates/${template.id}/generate`,
      { filters: { departmentIds: [world.ids.eng] } },
      world.who.viewer,
    );
    expect(job.status).toBe(201);
    const [ran] = await drain();
    expect(ran).toMatchObject({ status: "ready", template_id: res.body.data.id });
    const ranDefinition = ran?.definition as { filters: unknown };
    expect(ranDefinition.filters).toEqual({
      departmentIds: [world.ids.eng],
    });
    res = await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.viewer);
    expect(res.body.data).toMatchObject({ usageCount: 1 });

    expect(
      (await t.http.delete(`/api/v1/report-templates/${template.id}`, world.who.viewer)).status,
    ).toBe(200);
    expect(
      (await t.http.get(`/api/v1/report-templates/${template.id}`, world.who.viewer)).status,
    ).toBe(404);
  });

  it("name their author, sharing and versions' writers, and say who may change them", async () => {
    const team = await createTeam(t.system, world.orgId, { name: "Night shift" });
    let res = await t.http.post(
      base(),
      { name: "Study time", definition: { measures: [{ id: "n", type: "avg-study-time" }] } },
      world.who.viewer,
    );
    const id = res.body.data.id as string;
    await t.http.post(
      `/api/v1/report-templates/${id}/share`,
      { userIds: [world.ids.head], visibility: "team", teamId: team.id },
      world.who.viewer,
    );
    res = await t.http.get(`/api/v1/report-templates/${id}`, world.who.viewer);
    expect(res.body.data).toMatchObject({
      owner: { id: world.ids.viewer, name: "viewer Doe" },
      sharedWithPeople: [{ id: world.ids.head, name: "head Doe" }],
      team: { id: team.id, name: "Night shift" },
      department: null,
      abilities: { change: true },
    });
    // The person it is shared with sees it but may not change it; a report manager may.
    res = await t.http.get(`/api/v1/report-templates/${id}`, world.who.head);
    expect(res.body.data.abilities).toEqual({ change: false });
    res = await t.http.get(`/api/v1/report-templates/${id}`, world.who.admin);
    expect(res.body.data.abilities).toEqual({ change: true });
    // A report manager's change is a version written by them.
    res = await t.http.put(
      `/api/v1/report-templates/${id}`,
      { visibility: "organization" },
      world.who.admin,
    );
    expect(res.body.data).toMatchObject({ version: 2, visibility: "organization", teamId: null });
    res = await t.http.get(`/api/v1/report-templates/${id}/versions`, world.who.viewer);
    expect(
      res.body.data.map((v: { version: number; author: { name: string }; team: unknown }) => [
        v.version,
        v.author.name,
        v.team,
      ]),
    ).toEqual([
      [2, "Org Admin", null],
      [1, "viewer Doe", { id: team.id, name: "Night shift" }],
    ]);
    const system = await t.system.db
      .selectFrom("report_templates")
      .select("id")
      .where("is_system", "=", true)
      .executeTakeFirstOrThrow();
    res = await t.http.get(
      `/api/v1/report-templates/${system.id}?organizationId=${world.orgId}`,
      world.who.admin,
    );
    expect(res.body.data).toMatchObject({ owner: null, abilities: { change: false } });
    res = await t.http.get(
      `/api/v1/report-templates/${system.id}/versions?organizationId=${world.orgId}`,
      world.who.viewer,
    );
    expect(
      res.body.data.map((v: { version: number; author: unknown }) => [v.version, v.author]),
    ).toEqual([[1, null]]);
  });

  it("give namesakes a row each in the transcript and assessment results", async () => {
    // Two people called Ada Lovelace, each enrolled in Safety basics with one graded attempt.
    const adas: Array<{ id: string; email: string }> = [];
    const quiz = await t.system.db
      .selectFrom("quizzes")
      .select("id")
      .where("title", "=", "Safety check")
      .executeTakeFirstOrThrow();
    for (const [seconds, score] of [
      [100, 50],
      [200, 70],
    ] as const) {
      const user = await makeUser(t, { firstName: "Ada", lastName: "Lovelace" });
      await addMember(t.system, world.orgId, { userId: user.id, roleKeys: ["learner"] });
      const enrollment = await t.system.db
        .insertInto("enrollments")
        .values({
          user_id: user.id,
          course_id: world.ids.c1 as string,
          organization_id: world.orgId,
          status: "active",
          progress_percent: 40,
          time_spent_seconds: seconds,
          enrolled_at: new Date("2026-01-20T10:00:00Z"),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await t.system.db
        .insertInto("quiz_attempts")
        .values({
          quiz_id: quiz.id,
          enrollment_id: enrollment.id,
          user_id: user.id,
          course_id: world.ids.c1 as string,
          attempt_number: 1,
          status: "graded",
          started_at: new Date("2026-03-03T10:00:00Z"),
          submitted_at: new Date("2026-03-03T10:20:00Z"),
          question_ids: [],
          score,
          passed: false,
        })
        .execute();
      adas.push({ id: user.id, email: user.email });
    }
    const run = async (slug: string) => {
      const template = await t.system.db
        .selectFrom("report_templates")
        .select("id")
        .where("slug", "=", slug)
        .where("is_system", "=", true)
        .executeTakeFirstOrThrow();
      const res = await t.http.post(
        `/api/v1/report-templates/${template.id}/generate`,
        {
          organizationId: world.orgId,
          outputFormat: "json",
          filters: { learnerIds: adas.map((a) => a.id) },
        },
        world.who.admin,
      );
      expect(res.status, slug).toBe(201);
      const [job] = await drain();
      const file = JSON.parse(String(await t.storage.get(job?.file_key as string)));
      return file.rows.map((r: { values: Record<string, unknown> }) => r.values);
    };
    const order = (rows: Array<Record<string, unknown>>) =>
      [...rows].sort((a, b) => String(a["learner.id"]).localeCompare(String(b["learner.id"])));
    const [first, second] = [...adas].sort((a, b) => a.id.localeCompare(b.id)) as [
      { id: string; email: string },
      { id: string; email: string },
    ];
    const seconds = (a: { id: string }) => (a.id === adas[0]?.id ? 100 : 200);
    const score = (a: { id: string }) => (a.id === adas[0]?.id ? 50 : 70);
    expect(order(await run("transcript"))).toEqual(
      [first, second].map((a) => ({
        "learner.id": a.id,
        "learner.name": "Ada Lovelace",
        "learner.email": a.email,
        "course.title": "Safety basics",
        "enrollment.status": "active",
        "enrollment.completedAt": null,
        progress: 40,
        studySeconds: seconds(a),
      })),
    );
    expect(order(await run("assessment-results"))).toEqual(
      [first, second].map((a) => ({
        "learner.id": a.id,
        "learner.name": "Ada Lovelace",
        "learner.email": a.email,
        "assessment.quizTitle": "Safety check",
        attempts: 1,
        best: score(a),
        averageScore: score(a),
      })),
    );
  });
});
