import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { addMember } from "../organizations/service.js";
import { SYSTEM_LOOKUPS } from "./reference.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let platform: Credentials;
beforeAll(async () => {
  t = await createTestApp({ clockStart: "2026-03-01T23:30:00Z" });
  w = await makeOrganization(t, {
    people: [
      { key: "learner", roles: ["learner"] },
      { key: "viewer", roles: ["learner", "report-viewer"] },
    ],
  });
  await t.system.db
    .updateTable("organizations")
    .set({ timezone: "Europe/Berlin" })
    .where("id", "=", w.org.id)
    .execute();
  platform = await signIn(t, (await makeUser(t, { platformAdmin: true })).email);
});
afterAll(() => t.close());

describe("lookup values", () => {
  it("are seeded from seed 000 for every category", async () => {
    const res = await t.http.get("/api/v1/lookup-values?category=activity-event");
    expect(res.status).toBe(200);
    expect(res.body.data.map((v: { key: string }) => v.key)).toEqual(
      SYSTEM_LOOKUPS["activity-event"]!.map((v) => v.key),
    );
    expect(res.body.data[0]).toMatchObject({
      key: "enrollment-created",
      displayAs: "Enrollment Created",
      sortOrder: 10,
      isSystem: true,
    });
    const measures = await t.http.get("/api/v1/lookup-values?category=measure-type");
    expect(measures.body.data.map((v: { key: string }) => v.key)).toContain("completion-rate");
    const scorm = res.body.data.find((v: { key: string }) => v.key === "scorm-launched");
    expect(scorm.displayAs).toBe("SCORM Launched");
  });

  it("can be added at runtime, per organization, and deactivated", async () => {
    const orgValue = await t.http.post(
      `/api/v1/organizations/${w.org.id}/lookup-values`,
      {
        category: "activity-event",
        key: "webinar-attended",
        displayAs: "Webinar Attended",
        sortOrder: 85,
        metadata: { icon: "video-camera" },
      },
      w.people.admin,
    );
    expect(orgValue.status).toBe(201);
    const mine = await t.http.get(
      `/api/v1/lookup-values?category=activity-event&organizationId=${w.org.id}`,
      w.people.learner,
    );
    expect(mine.body.data.map((v: { key: string }) => v.key)).toContain("webinar-attended");
    const global = await t.http.get("/api/v1/lookup-values?category=activity-event");
    expect(global.body.data.map((v: { key: string }) => v.key)).not.toContain("webinar-attended");
    const dup = await t.http.post(
      `/api/v1/organizations/${w.org.id}/lookup-values`,
      { category: "activity-event", key: "login", displayAs: "X" },
      w.people.admin,
    );
    expect(dup.body.error.code).toBe("ALREADY_EXISTS");
    const bad = await t.http.post(
      `/api/v1/organizations/${w.org.id}/lookup-values`,
      { category: "Activity Event", key: "x", displayAs: "X" },
      w.people.admin,
    );
    expect(bad.body.error.field).toBe("category");
    const byLearner = await t.http.post(
      `/api/v1/organizations/${w.org.id}/lookup-values`,
      { category: "activity-event", key: "y", displayAs: "Y" },
      w.people.learner,
    );
    expect(byLearner.status).toBe(403);
    const globalByOrgAdmin = await t.http.post(
      "/api/v1/lookup-values",
      { category: "activity-event", key: "z", displayAs: "Z" },
      w.people.admin,
    );
    expect(globalByOrgAdmin.status).toBe(403);
    const platformValue = await t.http.post(
      "/api/v1/lookup-values",
      { category: "report-type", key: "skills-matrix", displayAs: "Skills Matrix" },
      platform,
    );
    expect(platformValue.status).toBe(201);
    const systemRow = global.body.data.find((v: { key: string }) => v.key === "video-seeked");
    expect(
      (
        await t.http.patch(
          `/api/v1/lookup-values/${systemRow.id}`,
          { isActive: false },
          w.people.admin,
        )
      ).status,
    ).toBe(403);
    const off = await t.http.patch(
      `/api/v1/lookup-values/${systemRow.id}`,
      { isActive: false },
      platform,
    );
    expect(off.body.data.isActive).toBe(false);
    const after = await t.http.get("/api/v1/lookup-values?category=activity-event");
    expect(after.body.data.map((v: { key: string }) => v.key)).not.toContain("video-seeked");
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", systemRow.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["lookup-value.update"]);
  });
});

describe("learning events", () => {
  it("record sign-ins and sign-outs with context", async () => {
    const person = await makeUser(t);
    const creds = await t.http.request("POST", "/api/v1/auth/login", {
      body: { email: person.email, password: "Correct-Horse-9!" },
      headers: {
        "user-agent":
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1 Version/17.0",
      },
    });
    await t.http.post("/api/v1/auth/logout", {}, { token: creds.body.data.tokens.accessToken });
    const events = await t.system.db
      .selectFrom("learning_events")
      .selectAll()
      .where("learner_id", "=", person.id)
      .orderBy("occurred_at")
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.event_type)).toEqual(["login", "logout"]);
    expect(events[0]?.context).toMatchObject({
      deviceType: "mobile",
      os: "iOS",
      ipAddress: "127.0.0.1",
    });
    expect(events[0]?.session_id).toBe(creds.body.data.sessionId);
  });

  it("record sign-ins and sign-outs in each organization the person is active in", async () => {
    const person = await makeUser(t);
    const other = await makeOrganization(t);
    const left = await makeOrganization(t);
    for (const org of [w.org.id, other.org.id, left.org.id])
      await addMember(t.system, org, { userId: person.id, roleKeys: ["learner"] });
    await t.system.db
      .updateTable("organization_members")
      .set({ status: "suspended" })
      .where("organization_id", "=", left.org.id)
      .where("user_id", "=", person.id)
      .execute();
    const session = await signIn(t, person.email);
    await t.http.post("/api/v1/auth/logout", {}, session);
    const events = await t.system.db
      .selectFrom("learning_events")
      .select(["event_type", "organization_id", "session_id"])
      .where("learner_id", "=", person.id)
      .execute();
    const key = (e: { event_type: string; organization_id: string | null }) =>
      `${e.event_type} ${e.organization_id}`;
    expect(events.map(key).sort()).toEqual(
      [
        `login ${w.org.id}`,
        `login ${other.org.id}`,
        `logout ${w.org.id}`,
        `logout ${other.org.id}`,
      ].sort(),
    );
    expect(new Set(events.map((e) => e.session_id))).toEqual(new Set([session.sessionId]));
    // So the organization's activity reports count the sign-in, once.
    const report = await t.http.post(
      `/api/v1/organizations/${w.org.id}/report-metadata/preview`,
      {
        dimensions: [{ entity: "activity", fields: ["eventType"] }],
        measures: [{ id: "events", type: "event-count" }],
        filters: { learnerIds: [person.id], activityTypes: ["login", "logout"] },
      },
      w.people.viewer,
    );
    expect(report.body.data.rows.map((r: { values: unknown }) => r.values)).toEqual([
      { "activity.eventType": "login", events: 1 },
      { "activity.eventType": "logout", events: 1 },
    ]);
  });

  it("ingest a batch, accepting valid events and explaining each refusal", async () => {
    const learner = w.people.learner!;
    const other = await makeUser(t);
    const res = await t.http.post(
      "/api/v1/learning-events/batch",
      {
        events: [
          {
            type: "content-viewed",
            organizationId: w.org.id,
            durationSeconds: 95,
            data: { progress: 40 },
          },
          { type: "webinar-attended", organizationId: w.org.id },
          { type: "made-up-event", organizationId: w.org.id },
          { type: "content-viewed", learnerId: other.id },
          { type: "video-played", occurredAt: "2030-01-01T00:00:00Z" },
          { type: 42 },
          { type: "content-completed" },
        ],
      },
      learner,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ accepted: 3, rejected: 4 });
    const statuses = res.body.data.results.map(
      (r: { status: string; error?: { field?: string } }) => [r.status, r.error?.field ?? null],
    );
    expect(statuses).toEqual([
      ["accepted", null],
      ["accepted", null],
      ["rejected", "type"],
      ["rejected", "learnerId"],
      ["rejected", "occurredAt"],
      ["rejected", "type"],
      ["accepted", null],
    ]);
    const stored = await t.system.db
      .selectFrom("learning_events")
      .selectAll()
      .where("id", "=", res.body.data.results[0].id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      learner_id: learner.user.id,
      organization_id: w.org.id,
      event_type: "content-viewed",
      duration_seconds: 95,
      source: "client",
      day_key: "2026-03-02",
      week_key: "2026-W10",
      month_key: "2026-03",
      quarter_key: "2026-Q1",
      year_key: 2026,
    });
    expect(stored.data).toEqual({ progress: 40 });
    const personal = await t.system.db
      .selectFrom("learning_events")
      .selectAll()
      .where("id", "=", res.body.data.results[6].id)
      .executeTakeFirstOrThrow();
    expect(personal).toMatchObject({ organization_id: null, day_key: "2026-03-01" });
  });

  it("refuse an empty or oversized batch outright", async () => {
    expect(
      (await t.http.post("/api/v1/learning-events/batch", { events: [] }, w.people.learner)).status,
    ).toBe(400);
    const many = Array.from({ length: 501 }, () => ({ type: "login" }));
    expect(
      (await t.http.post("/api/v1/learning-events/batch", { events: many }, w.people.learner))
        .status,
    ).toBe(400);
  });

  it("let API keys record for their organization's members", async () => {
    const key = await t.http.post(
      `/api/v1/organizations/${w.org.id}/api-keys`,
      {
        name: "LMS sync",
        scopes: ["learning-events:create:organization"],
        accessLevel: "read-write",
      },
      w.people.admin,
    );
    const secret = key.body.data.secret;
    const outsider = await makeUser(t);
    const res = await t.http.post(
      "/api/v1/learning-events/batch",
      {
        events: [
          { type: "course-completed", learnerId: w.people.learner!.user.id },
          { type: "course-completed", learnerId: outsider.id },
          { type: "course-completed" },
        ],
      },
      { apiKey: secret },
    );
    expect(res.body.data.results.map((r: { status: string }) => r.status)).toEqual([
      "accepted",
      "rejected",
      "rejected",
    ]);
    expect(res.body.data.results[1].error.code).toBe("NOT_FOUND");
  });

  it("are readable by the learner and by organization readers within their reach", async () => {
    const mine = await t.http.get(
      "/api/v1/learning-events/mine?type=content-viewed",
      w.people.learner,
    );
    expect(mine.body.data).toHaveLength(1);
    expect(mine.body.data[0].aggregation.weekKey).toBe("2026-W10");
    const org = await t.http.get(
      `/api/v1/organizations/${w.org.id}/learning-events?learnerId=${w.people.learner!.user.id}`,
      w.people.viewer,
    );
    expect(org.status).toBe(200);
    expect(org.body.data.length).toBeGreaterThanOrEqual(3);
    expect(
      org.body.data.every((e: { organizationId: string }) => e.organizationId === w.org.id),
    ).toBe(true);
    const learnerView = await t.http.get(
      `/api/v1/organizations/${w.org.id}/learning-events`,
      w.people.learner,
    );
    expect(learnerView.status).toBe(200);
    expect(
      learnerView.body.data.every(
        (e: { learnerId: string }) => e.learnerId === w.people.learner!.user.id,
      ),
    ).toBe(true);
  });
});
