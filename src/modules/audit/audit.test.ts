import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;
let platform: Credentials;
beforeAll(async () => {
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Audited A",
    people: [
      { key: "auditor", roles: ["auditor"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  b = await makeOrganization(t, {
    name: "Audited B",
    people: [{ key: "auditor", roles: ["auditor"] }],
  });
  platform = await signIn(t, (await makeUser(t, { platformAdmin: true })).email);
});
afterAll(() => t.close());

describe("audit trail", () => {
  it("records a change made through the API with actor, before and after, address, agent and request id", async () => {
    const res = await t.http.request("POST", `/api/v1/organizations/${a.org.id}/departments`, {
      body: { name: "Quality" },
      as: a.people.admin,
      headers: { "user-agent": "AuditTest/1.0", "x-request-id": "req-audit-1" },
    });
    expect(res.status).toBe(201);
    const log = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs?action=department.create`,
      a.people.auditor,
    );
    expect(log.status).toBe(200);
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({
      action: "department.create",
      entityType: "department",
      entityId: res.body.data.id,
      actor: {
        type: "user",
        userId: a.people.admin.user.id,
        email: a.people.admin.user.email,
        name: "Org Admin",
      },
      ipAddress: "127.0.0.1",
      userAgent: "AuditTest/1.0",
      requestId: "req-audit-1",
    });
    expect(log.body.data[0].after).toMatchObject({ name: "Quality", organization_id: a.org.id });
  });

  it("filters by action prefix, entity and actor, newest first, with paging", async () => {
    await t.http.patch(
      `/api/v1/organizations/${a.org.id}`,
      { name: "Audited A renamed" },
      a.people.admin,
    );
    t.clock.advance(1000);
    await t.http.patch(
      `/api/v1/organizations/${a.org.id}`,
      { name: "Audited A again" },
      a.people.admin,
    );
    const updates = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs?action=organization.&entityType=organization&limit=1`,
      a.people.auditor,
    );
    expect(updates.body.meta.pagination.total).toBe(3);
    expect(updates.body.data[0].after).toEqual({ name: "Audited A again" });
    const byActor = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs?actorUserId=${a.people.learner!.user.id}`,
      a.people.auditor,
    );
    expect(byActor.body.data).toEqual([]);
    const window = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs?from=${encodeURIComponent(t.clock.now().toISOString())}`,
      a.people.auditor,
    );
    expect(window.body.data.map((e: { action: string }) => e.action)).toEqual([
      "organization.update",
    ]);
  });

  it("shows each organization's auditors only their own trail", async () => {
    const own = await t.http.get(`/api/v1/organizations/${b.org.id}/audit-logs`, b.people.auditor);
    expect(own.status).toBe(200);
    expect(
      own.body.data.every((e: { organizationId: string }) => e.organizationId === b.org.id),
    ).toBe(true);
    expect(
      (await t.http.get(`/api/v1/organizations/${a.org.id}/audit-logs`, b.people.auditor)).status,
    ).toBe(403);
    expect(
      (await t.http.get(`/api/v1/organizations/${a.org.id}/audit-logs`, a.people.learner)).status,
    ).toBe(403);
    expect((await t.http.get("/api/v1/audit-logs", a.people.auditor)).status).toBe(403);
    const all = await t.http.get(`/api/v1/audit-logs?organizationId=${b.org.id}`, platform);
    expect(all.body.data.length).toBe(own.body.data.length);
  });

  it("gives platform administrators the system log, the mail outbox and the jobs", async () => {
    await t.http.post("/api/v1/auth/login", {
      email: a.people.learner!.user.email,
      password: "Wrong-pass-1!",
    });
    const events = await t.http.get(
      `/api/v1/admin/system-logs?event=auth.login-failed&userId=${a.people.learner!.user.id}`,
      platform,
    );
    expect(events.status).toBe(200);
    expect(events.body.data[0]).toMatchObject({
      event: "auth.login-failed",
      level: "warn",
      userId: a.people.learner!.user.id,
    });
    await t.http.post("/api/v1/auth/forgot-password", { email: a.people.learner!.user.email });
    const outbox = await t.http.get(
      `/api/v1/admin/mail-outbox?to=${encodeURIComponent(a.people.learner!.user.email)}`,
      platform,
    );
    expect(outbox.body.data[0]).toMatchObject({
      template: "password-reset",
      status: "queued",
      attempts: 0,
    });
    const jobs = await t.http.get("/api/v1/admin/jobs", platform);
    expect(jobs.status).toBe(200);
    for (const url of [
      "/api/v1/admin/system-logs",
      "/api/v1/admin/mail-outbox",
      "/api/v1/admin/jobs",
    ]) {
      expect((await t.http.get(url, a.people.admin)).status).toBe(403);
    }
  });
});
