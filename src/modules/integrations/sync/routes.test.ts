import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../../test/harness.js";
import { drainJobs } from "../../../../test/jobs.js";
import { addMember } from "../../organizations/service.js";
import { seedPerson } from "../fakes/common.js";
import { type MoodleFake, startMoodleFake } from "../fakes/moodle-fake.js";

/**
 * The sync over HTTP against a local Moodle that speaks Moodle's web services: an
 * administrator connects it, previews a dry run, runs the import through the worker, and
 * reads the external enrollments, their progress, the run's report and the monitoring.
 */
let t: TestApp;
let moodle: MoodleFake;
let orgId: string;
let admin: Credentials;
let other: Credentials;
let integrationId: string;
const PER_COURSE = 4;

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(t, ["integrations.sync"]);

beforeAll(async () => {
  moodle = await startMoodleFake({ courses: 2, enrollmentsPerCourse: PER_COURSE });
  t = await createTestApp();
  const a = await makeOrganization(t, { name: "Sync Org" });
  orgId = a.org.id;
  admin = a.people.admin;
  other = (await makeOrganization(t, { name: "Elsewhere" })).people.admin;
  // Everyone of the first course works here; of the second, the first two only.
  for (const n of [0, 1, 2, 3, 4, 5]) {
    const user = await makeUser(t, { email: seedPerson(n).email });
    await addMember(t.system, orgId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
  }
  const created = await t.http.post(
    `/api/v1/organizations/${orgId}/lms-integrations`,
    {
      name: "Campus Moodle",
      code: "campus",
      lmsType: "moodle",
      method: "api",
      authType: "api-token",
      credentials: { token: moodle.token },
      baseUrl: moodle.url,
    },
    admin,
  );
  expect(created.status).toBe(201);
  integrationId = created.body.data.id;
});
afterAll(async () => {
  await t?.close();
  await moodle?.close();
});

describe("syncing an integration", () => {
  it("a dry run reports what it would change and writes nothing", async () => {
    const res = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/sync`,
      { dryRun: true },
      admin,
    );
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ status: "queued", dryRun: true, trigger: "manual" });
    await work();
    const run = await t.http.get(`/api/v1/integration-sync-runs/${res.body.data.id}`, admin);
    expect(run.body.data).toMatchObject({
      status: "succeeded",
      counts: { created: 2 + 6, skipped: 2, failed: 0 },
      phase: "done",
    });
    const records = await t.http.get(
      `/api/v1/integration-sync-runs/${res.body.data.id}/records?outcome=created&entity=course`,
      admin,
    );
    expect(records.body.data.map((r: { externalId: string }) => r.externalId).sort()).toEqual([
      "2",
      "3",
    ]);
    expect(records.body.data[0].changes.title[0]).toBeNull();
    const stored = await t.http.get(`/api/v1/organizations/${orgId}/lms-enrollments`, admin);
    expect(stored.body.meta.pagination.total).toBe(0);
  });

  it("a run imports the courses and enrollments, with the person's progress and score", async () => {
    const res = await t.http.post(`/api/v1/lms-integrations/${integrationId}/sync`, {}, admin);
    expect(res.status).toBe(202);
    const again = await t.http.post(`/api/v1/lms-integrations/${integrationId}/sync`, {}, admin);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("SYNC_IN_PROGRESS");
    await work();
    const run = await t.http.get(`/api/v1/integration-sync-runs/${res.body.data.id}`, admin);
    expect(run.body.data).toMatchObject({
      status: "succeeded",
      counts: { created: 8, skipped: 2 },
    });
    expect(run.body.data.remoteCalls).toBeGreaterThan(0);
    const skipped = await t.http.get(
      `/api/v1/integration-sync-runs/${res.body.data.id}/records?outcome=skipped`,
      admin,
    );
    expect(skipped.body.data.map((r: { reason: string }) => r.reason).sort()).toEqual([
      `No member of the organization has the email ${seedPerson(6).email}`,
      `No member of the organization has the email ${seedPerson(7).email}`,
    ]);
    const list = await t.http.get(
      `/api/v1/organizations/${orgId}/lms-enrollments?status=completed`,
      admin,
    );
    // Enrollment 0 of each course completes (the fake's rule: every fifth).
    expect(
      list.body.data.map((e: { learner: { email: string } }) => e.learner.email).sort(),
    ).toEqual([seedPerson(0).email, seedPerson(4).email].sort());
    const first = list.body.data.find(
      (e: { learner: { email: string } }) => e.learner.email === seedPerson(0).email,
    );
    expect(first).toMatchObject({
      integration: { id: integrationId, name: "Campus Moodle", lmsType: "moodle" },
      externalStatus: "completed",
      status: "completed",
      progressPercent: 100,
      course: { externalId: "2" },
    });
    expect(first.score).toBeGreaterThanOrEqual(70);
    const one = await t.http.get(`/api/v1/lms-enrollments/${first.id}`, admin);
    expect(one.body.data).toEqual(first);
    const progress = await t.http.get(`/api/v1/lms-progress/${first.id}`, admin);
    expect(progress.body.data.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["enrollment-created", "enrollment-completed", "course-completed"]),
    );
    const analytics = await t.http.get(`/api/v1/organizations/${orgId}/lms-analytics`, admin);
    expect(analytics.body.data).toEqual([
      expect.objectContaining({
        integrationId,
        enrollments: 6,
        completed: 2,
        completionRate: 0.333,
        learners: 6,
        courses: 2,
        health: expect.objectContaining({ status: "healthy", successRate: 1, runs: 1 }),
      }),
    ]);
    const runs = await t.http.get(
      `/api/v1/lms-integrations/${integrationId}/sync-runs?dryRun=false`,
      admin,
    );
    expect(runs.body.data.map((r: { status: string }) => r.status)).toEqual(["succeeded"]);
  });

  it("an expired token fails the run in words and shows in the integration's health", async () => {
    moodle.expireToken();
    const res = await t.http.post(`/api/v1/lms-integrations/${integrationId}/sync`, {}, admin);
    await work();
    const run = await t.http.get(`/api/v1/integration-sync-runs/${res.body.data.id}`, admin);
    expect(run.body.data.status).toBe("failed");
    expect(run.body.data.error).toMatch(/token/i);
    const monitoring = await t.http.put(
      `/api/v1/lms-integrations/${integrationId}/monitoring`,
      { slaHours: 12, incidentAfterFailures: 1 },
      admin,
    );
    expect(monitoring.status).toBe(200);
    expect(monitoring.body.data).toMatchObject({ slaHours: 12, incidentAfterFailures: 1 });
    const read = await t.http.get(`/api/v1/lms-integrations/${integrationId}`, admin);
    expect(read.body.data).toMatchObject({ slaHours: 12, incidentAfterFailures: 1 });
    const health = await t.http.get(`/api/v1/lms-integrations/${integrationId}/health`, admin);
    expect(health.body.data).toMatchObject({
      runs: 2,
      failed: 1,
      successRate: 0.5,
      status: "degraded",
      sla: { hours: 12, met: true },
    });
  });

  it("records an enrollment by hand for a system without an API", async () => {
    const person = await t.system.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", seedPerson(5).email)
      .executeTakeFirstOrThrow();
    const body = {
      externalId: "paper-1",
      userId: person.id,
      course: { externalId: "fire-101", title: "Fire warden day" },
      status: "certified",
      completedAt: "2026-10-10T12:00:00Z",
      certifiedAt: "2026-10-10T12:00:00Z",
      credits: 1.5,
      cost: { amountMinor: 45_000, currency: "EUR" },
    };
    const res = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/lms-enrollments`,
      body,
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      externalId: "paper-1",
      status: "completed",
      externalStatus: "certified",
      credits: 1.5,
      cost: { amountMinor: 45_000, currency: "EUR" },
      course: { title: "Fire warden day", externalId: "fire-101" },
    });
    const again = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/lms-enrollments`,
      { ...body, credits: 2 },
      admin,
    );
    expect(again.body.data).toMatchObject({ id: res.body.data.id, credits: 2 });
  });

  it("another organization's administrator finds none of it", async () => {
    const run = await t.system.db
      .selectFrom("integration_sync_runs")
      .select("id")
      .where("integration_id", "=", integrationId)
      .executeTakeFirstOrThrow();
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select("id")
      .where("integration_id", "=", integrationId)
      .executeTakeFirstOrThrow();
    for (const url of [
      `/api/v1/integration-sync-runs/${run.id}`,
      `/api/v1/integration-sync-runs/${run.id}/records`,
      `/api/v1/lms-integrations/${integrationId}/sync-runs`,
      `/api/v1/lms-integrations/${integrationId}/health`,
      `/api/v1/lms-enrollments/${enrollment.id}`,
      `/api/v1/lms-progress/${enrollment.id}`,
    ]) {
      const res = await t.http.get(url, other);
      expect(res.status, url).toBe(404);
    }
    const sync = await t.http.post(`/api/v1/lms-integrations/${integrationId}/sync`, {}, other);
    expect(sync.status).toBe(404);
    const list = await t.http.get(`/api/v1/organizations/${orgId}/lms-enrollments`, other);
    expect(list.status).toBe(403);
  });
});
