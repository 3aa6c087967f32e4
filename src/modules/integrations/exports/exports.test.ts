import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../../test/harness.js";
import { drainJobs } from "../../../../test/jobs.js";
import { createCourse } from "../../catalog/courses.js";
import { addMember } from "../../organizations/service.js";
import { type CanvasFake, startCanvasFake } from "../fakes/canvas-fake.js";
import { type MoodleFake, startMoodleFake } from "../fakes/moodle-fake.js";
import { requestSync } from "../sync/engine.js";
import { exportAfterImport, queueScheduledSyncs } from "../sync/jobs.js";

/**
 * The export direction over HTTP against a local Moodle and a local Canvas that speak their
 * systems' APIs: course links, export runs through the worker, what the systems received, and
 * the run's report.
 */
let t: TestApp;
let moodle: MoodleFake;
let canvas: CanvasFake;
let orgId: string;
let admin: Credentials;
let other: Credentials;
let otherCourseId: string;
let courseId: string;
let spareCourseId: string;
let moodleId: string;
let canvasId: string;
let importOnlyId: string;
const people: Record<string, { id: string; email: string; enrollmentId: string }> = {};

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(t, ["integrations.sync"]);

async function integration(body: Record<string, unknown>): Promise<string> {
  const res = await t.http.post(
    `/api/v1/organizations/${orgId}/lms-integrations`,
    { method: "api", authType: "api-token", ...body },
    admin,
  );
  expect(res.status).toBe(201);
  return res.body.data.id;
}

/** Sends now, lets the worker run it, and answers the run with its reported records. */
async function send(id: string, dryRun = false) {
  const res = await t.http.post(`/api/v1/lms-integrations/${id}/exports`, { dryRun }, admin);
  expect(res.status).toBe(202);
  expect(res.body.data).toMatchObject({ direction: "export", dryRun, status: "queued" });
  await work();
  const run = await t.http.get(`/api/v1/integration-sync-runs/${res.body.data.id}`, admin);
  const records = await t.http.get(
    `/api/v1/integration-sync-runs/${res.body.data.id}/records?pageSize=100`,
    admin,
  );
  return {
    run: run.body.data,
    records: records.body.data as Array<{
      entity: string;
      externalId: string;
      outcome: string;
      reason: string | null;
    }>,
  };
}

const summary = (records: Array<{ entity: string; outcome: string; externalId: string }>) =>
  records.map((r) => `${r.entity} ${r.outcome} ${r.externalId}`).sort();

beforeAll(async () => {
  moodle = await startMoodleFake({ courses: 2, enrollmentsPerCourse: 2 });
  canvas = await startCanvasFake({ courses: 2, enrollmentsPerCourse: 2 });
  t = await createTestApp();
  const a = await makeOrganization(t, { name: "Export Org" });
  orgId = a.org.id;
  admin = a.people.admin;
  const b = await makeOrganization(t, { name: "Elsewhere" });
  other = b.people.admin;
  const course = await createCourse(t.system, {
    organizationId: orgId,
    code: "SAFE-101",
    title: "Workplace safety",
    description: "Safety at work.",
    instructorId: a.people.admin.user.id,
  });
  courseId = course.id;
  spareCourseId = (
    await createCourse(t.system, {
      organizationId: orgId,
      code: "SPARE-1",
      title: "Spare course",
      description: "Linked and unlinked.",
      instructorId: a.people.admin.user.id,
    })
  ).id;
  otherCourseId = (
    await createCourse(t.system, {
      organizationId: b.org.id,
      code: "B-1",
      title: "Elsewhere's course",
      description: "Not ours.",
      instructorId: b.people.admin.user.id,
    })
  ).id;
  const enrol = async (
    key: string,
    member: boolean,
    status: "active" | "completed",
    first: string,
  ) => {
    const user = await makeUser(t, {
      email: `${key}@staff.example`,
      firstName: first,
      lastName: "Doe",
    });
    if (member)
      await addMember(t.system, orgId, {
        userId: user.id,
        roleKeys: ["learner"],
        departmentId: null,
      });
    const row = await t.system.db
      .insertInto("enrollments")
      .values({
        user_id: user.id,
        course_id: courseId,
        organization_id: orgId,
        status,
        completed_at: status === "completed" ? new Date("2026-11-20T10:00:00Z") : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    people[key] = { id: user.id, email: user.email, enrollmentId: row.id };
  };
  await enrol("ana", true, "completed", "Ana");
  await enrol("ben", true, "active", "Ben");
  // Enrolled, but not a member of the organization (left it): never sent.
  await enrol("olga", false, "active", "Olga");

  moodleId = await integration({
    name: "Campus Moodle",
    code: "moodle",
    lmsType: "moodle",
    credentials: { token: moodle.token },
    baseUrl: moodle.url,
    direction: "both",
  });
  canvasId = await integration({
    name: "Canvas",
    code: "canvas",
    lmsType: "canvas",
    credentials: { token: canvas.token },
    baseUrl: canvas.url,
    direction: "export",
    options: { accountId: "1" },
  });
  importOnlyId = await integration({
    name: "Read only",
    code: "read-only",
    lmsType: "moodle",
    credentials: { token: moodle.token },
    baseUrl: moodle.url,
    direction: "import",
  });
});
afterAll(async () => {
  await t?.close();
  await moodle?.close();
  await canvas?.close();
});

describe("course links", () => {
  it("links the organization's courses, once each, and lists and removes them", async () => {
    const made = await t.http.post(
      `/api/v1/lms-integrations/${moodleId}/course-links`,
      { courseId, externalCourseId: "2" },
      admin,
    );
    expect(made.status).toBe(201);
    expect(made.body.data).toMatchObject({
      integrationId: moodleId,
      courseId,
      courseTitle: "Workplace safety",
      courseCode: "SAFE-101",
      externalCourseId: "2",
    });
    const twice = await t.http.post(
      `/api/v1/lms-integrations/${moodleId}/course-links`,
      { courseId, externalCourseId: "3" },
      admin,
    );
    expect(twice.status).toBe(409);
    const spare = await t.http.post(
      `/api/v1/lms-integrations/${moodleId}/course-links`,
      { courseId: spareCourseId, externalCourseId: "3" },
      admin,
    );
    expect(spare.status).toBe(201);
    const list = await t.http.get(`/api/v1/lms-integrations/${moodleId}/course-links`, admin);
    expect(list.body.data.map((l: { externalCourseId: string }) => l.externalCourseId)).toEqual([
      "2",
      "3",
    ]);
    // Another organization's administrator sees neither the links nor can remove one.
    expect(
      (await t.http.get(`/api/v1/lms-integrations/${moodleId}/course-links`, other)).status,
    ).toBe(404);
    const foreign = await t.http.delete(
      `/api/v1/integration-course-links/${spare.body.data.id}`,
      other,
    );
    expect(foreign.status).toBe(404);
    const removed = await t.http.delete(
      `/api/v1/integration-course-links/${spare.body.data.id}`,
      admin,
    );
    expect(removed.status).toBe(200);
    const after = await t.http.get(`/api/v1/lms-integrations/${moodleId}/course-links`, admin);
    expect(after.body.data).toHaveLength(1);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", moodleId)
      .where("action", "like", "integration.course-link-%")
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      "integration.course-link-created",
      "integration.course-link-created",
      "integration.course-link-removed",
    ]);
  });

  it("refuses another organization's course as not found", async () => {
    const res = await t.http.post(
      `/api/v1/lms-integrations/${moodleId}/course-links`,
      { courseId: otherCourseId, externalCourseId: "9" },
      admin,
    );
    expect(res.status).toBe(404);
    const stored = await t.system.db
      .selectFrom("integration_course_links")
      .select("id")
      .where("course_id", "=", otherCourseId)
      .execute();
    expect(stored).toHaveLength(0);
  });
});

describe("export runs", () => {
  it("an import-only integration refuses to send", async () => {
    const res = await t.http.post(`/api/v1/lms-integrations/${importOnlyId}/exports`, {}, admin);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("UNPROCESSABLE");
    expect(res.body.error.message).toMatch(/only reads data in/);
  });

  it("a dry run reports what it would send and sends nothing", async () => {
    const before = moodle.requests.length;
    const { run, records } = await send(moodleId, true);
    expect(run).toMatchObject({ status: "succeeded", counts: { created: 5, failed: 0 } });
    expect(summary(records)).toEqual([
      "completion created 2:ana@staff.example",
      "enrollment created 2:ana@staff.example",
      "enrollment created 2:ben@staff.example",
      "person created ana@staff.example",
      "person created ben@staff.example",
    ]);
    expect(moodle.requests.length).toBe(before);
    const stored = await t.system.db
      .selectFrom("integration_exports")
      .select("id")
      .where("integration_id", "=", moodleId)
      .execute();
    expect(stored).toHaveLength(0);
  });

  it("pushes people, enrollments and completions to Moodle; the completion Moodle cannot take is skipped", async () => {
    const { run, records } = await send(moodleId);
    expect(run).toMatchObject({
      status: "succeeded",
      direction: "export",
      counts: { created: 4, skipped: 1, failed: 0 },
    });
    expect(
      moodle.users.map((u) => [u.username, u.email, u.firstname, u.auth, u.createpassword]),
    ).toEqual([
      ["ana@staff.example", "ana@staff.example", "Ana", "manual", true],
      ["ben@staff.example", "ben@staff.example", "Ben", "manual", true],
    ]);
    expect(moodle.enrolments).toEqual([
      { courseid: 2, userid: 10000, roleid: 5 },
      { courseid: 2, userid: 10001, roleid: 5 },
    ]);
    const creates = moodle.requests.filter(
      (r) => moodle.params(r).get("wsfunction") === "core_user_create_users",
    );
    expect(moodle.params(creates[0]!).get("users[0][lastname]")).toBe("Doe");
    const skipped = records.find((r) => r.entity === "completion");
    expect(skipped).toMatchObject({ outcome: "skipped", externalId: "2:ana@staff.example" });
    expect(skipped?.reason).toMatch(/Moodle's web services cannot mark course 2 completed/);
    expect(records.some((r) => r.externalId.includes("olga"))).toBe(false);
    const sent = await t.system.db
      .selectFrom("integration_exports")
      .select(["entity", "local_id", "external_id"])
      .where("integration_id", "=", moodleId)
      .orderBy("entity")
      .orderBy("external_id")
      .execute();
    expect(sent).toEqual([
      { entity: "completion", local_id: people.ana!.enrollmentId, external_id: null },
      { entity: "enrollment", local_id: people.ana!.enrollmentId, external_id: "2:10000" },
      { entity: "enrollment", local_id: people.ben!.enrollmentId, external_id: "2:10001" },
      { entity: "person", local_id: people.ana!.id, external_id: "10000" },
      { entity: "person", local_id: people.ben!.id, external_id: "10001" },
    ]);
    const integration = await t.http.get(`/api/v1/lms-integrations/${moodleId}`, admin);
    expect(integration.body.data.lastSuccessfulSyncAt).not.toBeNull();
  });

  it("a second run sends nothing new", async () => {
    const before = moodle.requests.length;
    const { run, records } = await send(moodleId);
    expect(run).toMatchObject({
      status: "succeeded",
      counts: { created: 0, updated: 0, skipped: 0, failed: 0, unchanged: 5 },
    });
    expect(records).toEqual([]);
    expect(moodle.requests.length).toBe(before);
  });

  it("pushes to Canvas, concludes completed enrollments, and a changed completion once", async () => {
    await t.http.post(
      `/api/v1/lms-integrations/${canvasId}/course-links`,
      { courseId, externalCourseId: "1001" },
      admin,
    );
    const first = await send(canvasId);
    expect(first.run).toMatchObject({ status: "succeeded", counts: { created: 5, failed: 0 } });
    expect(
      canvas.users.map((u) => [u.uniqueId, u.name, u.sortableName, u.skipRegistration]),
    ).toEqual([
      ["ana@staff.example", "Ana Doe", "Doe, Ana", true],
      ["ben@staff.example", "Ben Doe", "Doe, Ben", true],
    ]);
    expect(canvas.created).toEqual([
      { courseId: 1001, userId: "7000", type: "StudentEnrollment", enrollmentState: "active" },
      { courseId: 1001, userId: "7001", type: "StudentEnrollment", enrollmentState: "active" },
    ]);
    expect(canvas.ended).toEqual([
      expect.objectContaining({ courseId: 1001, userId: 7000, task: "conclude" }),
    ]);
    const search = canvas.requests.find((r) => r.path === "/api/v1/accounts/1/users");
    expect(search?.query.get("search_term")).toBe("ana@staff.example");

    // Ana's completion moves; Ben completes.
    await t.system.db
      .updateTable("enrollments")
      .set({ completed_at: new Date("2026-11-25T09:00:00Z") })
      .where("id", "=", people.ana!.enrollmentId)
      .execute();
    await t.system.db
      .updateTable("enrollments")
      .set({ status: "completed", completed_at: new Date("2026-11-26T09:00:00Z") })
      .where("id", "=", people.ben!.enrollmentId)
      .execute();
    const second = await send(canvasId);
    expect(summary(second.records)).toEqual([
      "completion created 1001:ben@staff.example",
      "completion updated 1001:ana@staff.example",
    ]);
    expect(canvas.ended.map((e) => [e.userId, e.task])).toEqual([
      [7000, "conclude"],
      [7001, "conclude"],
    ]);
    const third = await send(canvasId);
    expect(third.records).toEqual([]);
    expect(third.run.counts).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
  });

  it("a record the system refuses is dead-lettered and sent again by the next run", async () => {
    const dora = await makeUser(t, { email: "dora@staff.example", firstName: "Dora" });
    await addMember(t.system, orgId, {
      userId: dora.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
    await t.system.db
      .insertInto("enrollments")
      .values({ user_id: dora.id, course_id: courseId, organization_id: orgId, status: "active" })
      .execute();
    canvas.faults.add(
      { kind: "server-error", status: 422 },
      { match: (r) => r.method === "POST" && r.path === "/api/v1/accounts/1/users" },
    );
    const failed = await send(canvasId);
    expect(failed.run).toMatchObject({ status: "partial", counts: { failed: 1, skipped: 1 } });
    expect(summary(failed.records)).toEqual([
      "enrollment skipped 1001:dora@staff.example",
      "person failed dora@staff.example",
    ]);
    const letters = await t.http.get(
      `/api/v1/lms-integrations/${canvasId}/dead-letters?status=open`,
      admin,
    );
    expect(letters.body.data).toHaveLength(1);
    expect(letters.body.data[0]).toMatchObject({
      entity: "person",
      externalId: "dora@staff.example",
    });
    expect(letters.body.data[0].error).toMatch(/HTTP 422/);

    const again = await send(canvasId);
    expect(summary(again.records)).toEqual([
      "enrollment created 1001:dora@staff.example",
      "person created dora@staff.example",
    ]);
    expect(canvas.users.at(-1)?.uniqueId).toBe("dora@staff.example");
    const open = await t.http.get(
      `/api/v1/lms-integrations/${canvasId}/dead-letters?status=open`,
      admin,
    );
    expect(open.body.data).toHaveLength(0);
  });

  it("schedules export runs for export integrations, and for both after the import", async () => {
    await t.system.db
      .updateTable("lms_integrations")
      .set({ sync_frequency: "cron", sync_cron: "*/5 * * * *" })
      .where("id", "in", [moodleId, canvasId])
      .execute();
    t.clock.advance(10 * 60_000);
    expect(await queueScheduledSyncs(t.system)).toBe(2);
    const queued = await t.system.db
      .selectFrom("integration_sync_runs")
      .select(["integration_id", "direction"])
      .where("status", "=", "queued")
      .execute();
    expect(queued.map((r) => [r.integration_id, r.direction]).sort()).toEqual(
      [
        [moodleId, "import"],
        [canvasId, "export"],
      ].sort(),
    );
    await work();
    const moodleRuns = await t.system.db
      .selectFrom("integration_sync_runs")
      .select(["direction", "trigger", "status"])
      .where("integration_id", "=", moodleId)
      .where("trigger", "=", "schedule")
      .orderBy("created_at")
      .execute();
    expect(moodleRuns.map((r) => r.direction).sort()).toEqual(["export", "import"]);
    expect(moodleRuns.every((r) => r.status === "succeeded" || r.status === "partial")).toBe(true);
    // Once the export has run, nothing follows it.
    const last = await t.system.db
      .selectFrom("integration_sync_runs")
      .selectAll()
      .where("integration_id", "=", moodleId)
      .where("direction", "=", "export")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(await exportAfterImport(t.system, last)).toBeNull();
  });

  it("one run at a time per integration, import or export", async () => {
    const run = await requestSync(
      t.system,
      { id: canvasId, organizationId: orgId },
      { direction: "export" },
    );
    const res = await t.http.post(`/api/v1/lms-integrations/${canvasId}/exports`, {}, admin);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("SYNC_IN_PROGRESS");
    await work();
    const done = await t.http.get(`/api/v1/integration-sync-runs/${run.id}`, admin);
    expect(done.body.data.status).toBe("succeeded");
  });
});
