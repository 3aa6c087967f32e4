import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signIn } from "../../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../../test/harness.js";
import { drainJobs } from "../../../../test/jobs.js";
import { signatureHeader, verifySignature } from "../../../platform/net/signature.js";
import { SecretBox } from "../../../platform/secrets.js";
import { addMember } from "../../organizations/service.js";
import { loadSyncTarget } from "../sync/target.js";
import { processDeliveries } from "./jobs.js";
import { MAX_BODY_BYTES } from "./payload.js";
import { reencryptWebhookSecrets, signingSecrets } from "./secrets.js";

/**
 * Inbound webhooks over HTTP: an administrator generates the signing secret, the external
 * system posts signed deliveries, the worker turns them into a sync run, and the deliveries
 * list shows what became of them. Every delivery that does not prove its sender answers the
 * same 401.
 */
let t: TestApp;
let orgId: string;
let admin: Credentials;
let adminEmail: string;
let otherAdminEmail: string;
let otherAdmin: Credentials;
let integrationId: string;
let otherIntegrationId: string;
let secret: string;
let otherSecret: string;
let sequence = 0;

const MEMBER = "webhook.member@example.org";
const STRANGER = "webhook.stranger@example.org";

/** Works the queue until the runs it started are done. */
const work = () =>
  drainJobs(t, ["integrations.webhook-deliveries", "integrations.sync"], { dueOnly: true });

function delivery(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    id: `evt_${sequence}`,
    type: "learning-records",
    occurredAt: t.clock.now().toISOString(),
    data: {
      courses: [{ externalId: "c-1", title: "Forklift safety", code: "FS-1" }],
      enrollments: [
        {
          externalId: "e-member",
          courseExternalId: "c-1",
          person: { externalId: "p-1", email: MEMBER, firstName: "Mia" },
          status: "completed",
          completedAt: "2026-03-01T10:00:00Z",
          progressPercent: 100,
          score: 92,
        },
        {
          externalId: "e-stranger",
          courseExternalId: "c-1",
          person: { externalId: "p-2", email: STRANGER },
          status: "in-progress",
          progressPercent: 40,
        },
      ],
    },
    ...overrides,
  };
}

/** Posts a body as the external system would: raw bytes with their signature. */
function send(
  id: string,
  body: unknown,
  options: { secrets?: string[]; at?: Date; header?: string | null; raw?: string } = {},
) {
  const raw = options.raw ?? JSON.stringify(body);
  const header =
    options.header === undefined
      ? signatureHeader(options.secrets ?? [secret], raw, options.at ?? t.clock.now())
      : options.header;
  return t.http.request("POST", `/api/v1/integration-webhooks/${id}`, {
    payload: raw,
    headers: {
      "content-type": "application/json",
      ...(header === null ? {} : { "lyceum-signature": header }),
    },
  });
}

async function webhookIntegration(as: Credentials, organizationId: string, code: string) {
  const created = await t.http.post(
    `/api/v1/organizations/${organizationId}/lms-integrations`,
    { name: "Partner LMS", code, lmsType: "inbound-webhook", method: "webhook" },
    as,
  );
  expect(created.status).toBe(201);
  return created.body.data.id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  const a = await makeOrganization(t, { name: "Webhook Org" });
  orgId = a.org.id;
  admin = a.people.admin;
  adminEmail = a.people.admin.user.email;
  const b = await makeOrganization(t, { name: "Other Org" });
  otherAdmin = b.people.admin;
  otherAdminEmail = b.people.admin.user.email;
  const member = await makeUser(t, { email: MEMBER });
  await addMember(t.system, orgId, {
    userId: member.id,
    roleKeys: ["learner"],
    departmentId: null,
  });
  // The stranger exists, but in the other organization only: never matched in A's.
  const stranger = await makeUser(t, { email: STRANGER });
  await addMember(t.system, b.org.id, {
    userId: stranger.id,
    roleKeys: ["learner"],
    departmentId: null,
  });
  integrationId = await webhookIntegration(admin, orgId, "partner");
  otherIntegrationId = await webhookIntegration(otherAdmin, b.org.id, "partner");
  const otherAnswer = await t.http.post(
    `/api/v1/lms-integrations/${otherIntegrationId}/webhook-secret`,
    {},
    otherAdmin,
  );
  otherSecret = otherAnswer.body.data.secret;
});
afterAll(async () => {
  await t?.close();
});

describe("the signing secret", () => {
  it("is generated once, shown once, and the integration only says it is set", async () => {
    const before = await t.http.get(`/api/v1/lms-integrations/${integrationId}`, admin);
    expect(before.body.data.webhookSecret).toEqual({
      set: false,
      rotatedAt: null,
      previousValidUntil: null,
    });
    const res = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/webhook-secret`,
      {},
      admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      endpointUrl: `http://lyceum.test/api/v1/integration-webhooks/${integrationId}`,
      rotatedAt: t.clock.now().toISOString(),
      previousValidUntil: null,
    });
    secret = res.body.data.secret;
    const after = await t.http.get(`/api/v1/lms-integrations/${integrationId}`, admin);
    expect(after.body.data.webhookSecret).toEqual({
      set: true,
      rotatedAt: t.clock.now().toISOString(),
      previousValidUntil: null,
    });
    expect(JSON.stringify(after.body)).not.toContain(secret);
    const list = await t.http.get(`/api/v1/organizations/${orgId}/lms-integrations`, admin);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const stored = await t.system.db
      .selectFrom("integration_webhook_secrets")
      .selectAll()
      .where("integration_id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(secret.slice(6));
    expect(stored.secret_key_id).toBe(t.lyceum.services.secrets.keyId);
    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "after"])
      .where("entity_id", "=", integrationId)
      .where("action", "=", "lms-integration.webhook-secret-set")
      .execute();
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited)).not.toContain(secret);
  });

  it("is refused for integrations that are not inbound webhooks, and to other organizations", async () => {
    const moodle = await t.http.post(
      `/api/v1/organizations/${orgId}/lms-integrations`,
      { name: "Moodle", code: "moodle", lmsType: "moodle", method: "file-upload" },
      admin,
    );
    const res = await t.http.post(
      `/api/v1/lms-integrations/${moodle.body.data.id}/webhook-secret`,
      {},
      admin,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    const foreign = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/webhook-secret`,
      {},
      otherAdmin,
    );
    expect(foreign.status).toBe(404);
    const moodleGet = await t.http.get(`/api/v1/lms-integrations/${moodle.body.data.id}`, admin);
    expect(moodleGet.body.data).not.toHaveProperty("webhookSecret");
  });
});

describe("receiving deliveries", () => {
  it("stores a signed delivery, answers 202, and a run imports it for members only", async () => {
    const body = delivery();
    const res = await send(integrationId, body);
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({
      deliveryId: body.id,
      eventType: "learning-records",
      status: "received",
      courseCount: 1,
      enrollmentCount: 2,
      runId: null,
      duplicate: false,
    });
    await work();
    const list = await t.http.get(
      `/api/v1/lms-integrations/${integrationId}/webhook-deliveries`,
      admin,
    );
    expect(list.status).toBe(200);
    const [stored] = list.body.data;
    expect(stored).toMatchObject({ deliveryId: body.id, status: "processed", error: null });
    expect(stored.runId).toEqual(expect.any(String));
    const run = await t.http.get(`/api/v1/integration-sync-runs/${stored.runId}`, admin);
    expect(run.body.data).toMatchObject({
      status: "succeeded",
      trigger: "webhook",
      counts: { created: 2, skipped: 1, failed: 0 },
    });
    const skipped = await t.http.get(
      `/api/v1/integration-sync-runs/${stored.runId}/records?outcome=skipped`,
      admin,
    );
    expect(skipped.body.data.map((r: { reason: string }) => r.reason)).toEqual([
      `No member of the organization has the email ${STRANGER}`,
    ]);
    const enrollments = await t.http.get(
      `/api/v1/organizations/${orgId}/lms-enrollments?integrationId=${integrationId}`,
      admin,
    );
    expect(enrollments.body.data).toHaveLength(1);
    expect(enrollments.body.data[0]).toMatchObject({
      learner: { email: MEMBER },
      externalStatus: "completed",
      status: "completed",
      progressPercent: 100,
      course: { externalId: "c-1" },
    });
    const progress = await t.http.get(`/api/v1/lms-progress/${enrollments.body.data[0].id}`, admin);
    expect(progress.body.data.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["enrollment-created", "enrollment-completed"]),
    );
    const strangers = await t.system.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", STRANGER)
      .execute();
    expect(strangers).toHaveLength(1);
  });

  it("answers a delivery id received before with the first result, and does nothing twice", async () => {
    const body = delivery({ id: "evt_once" });
    const first = await send(integrationId, body);
    expect(first.status).toBe(202);
    await work();
    const again = await send(integrationId, {
      ...body,
      data: { ...body.data, enrollments: [] },
    });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      id: first.body.data.id,
      deliveryId: "evt_once",
      status: "processed",
      duplicate: true,
    });
    await work();
    const rows = await t.system.db
      .selectFrom("integration_webhook_deliveries")
      .select("id")
      .where("delivery_id", "=", "evt_once")
      .execute();
    expect(rows).toHaveLength(1);
    const runs = await t.system.db
      .selectFrom("integration_sync_runs")
      .select("id")
      .where("integration_id", "=", integrationId)
      .execute();
    expect(runs).toHaveLength(2);
  });

  it("answers the same 401 to everything that does not prove the sender", async () => {
    const body = delivery();
    const raw = JSON.stringify(body);
    const now = t.clock.now();
    const answers = [
      await send(integrationId, body, { header: null }),
      await send(integrationId, body, { header: "t=abc,v1=zz" }),
      await send(integrationId, body, { secrets: ["whsec_guessed"] }),
      // Organization B's own secret on A's address.
      await send(integrationId, body, { secrets: [otherSecret] }),
      await send(integrationId, body, { at: new Date(now.getTime() - 301_000) }),
      await send(integrationId, body, { at: new Date(now.getTime() + 301_000) }),
      // Signed, then changed on the way.
      await send(integrationId, body, {
        raw: raw.replace("Forklift", "Crane"),
        header: signatureHeader(secret, raw, now),
      }),
      await send("01950000-0000-7000-8000-000000000000", body),
      await send("not-an-id", body),
      await send(otherIntegrationId, body, { secrets: [secret] }),
    ];
    const { requestId: _, ...first } = answers[0]?.body ?? {};
    for (const res of answers) {
      expect(res.status).toBe(401);
      const { requestId, ...rest } = res.body;
      expect(requestId).toEqual(expect.any(String));
      expect(rest).toEqual(first);
    }
    expect(answers[0]?.body.error.code).toBe("WEBHOOK_UNAUTHENTICATED");
    const rows = await t.system.db
      .selectFrom("integration_webhook_deliveries")
      .select("id")
      .where("delivery_id", "=", body.id)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it("answers 401 for an inactive integration, 413 for a body too large, 400 at the bad path", async () => {
    const inactive = await webhookIntegration(admin, orgId, "inactive");
    const made = await t.http.post(
      `/api/v1/lms-integrations/${inactive}/webhook-secret`,
      {},
      admin,
    );
    await t.http.patch(`/api/v1/lms-integrations/${inactive}`, { isActive: false }, admin);
    const refused = await send(inactive, delivery(), { secrets: [made.body.data.secret] });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("WEBHOOK_UNAUTHENTICATED");

    const big = "x".repeat(MAX_BODY_BYTES + 10);
    const tooLarge = await send(integrationId, null, { raw: big });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({
      success: false,
      error: { code: "PAYLOAD_TOO_LARGE" },
    });

    const bad = delivery();
    (bad.data.enrollments[1] as { status: string }).status = "half-done";
    const invalid = await send(integrationId, bad);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("VALIDATION_ERROR");
    expect(JSON.stringify(invalid.body.error)).toContain("data.enrollments.1.status");

    const extra = await send(integrationId, { ...delivery(), extra: true });
    expect(extra.status).toBe(400);

    const orphan = delivery({
      data: {
        enrollments: [
          {
            externalId: "e-x",
            courseExternalId: "unknown-course",
            person: { externalId: "p-1", email: MEMBER },
            status: "in-progress",
          },
        ],
      },
    });
    const unknownCourse = await send(integrationId, orphan);
    expect(unknownCourse.status).toBe(400);
    expect(unknownCourse.body.error.field).toBe("data.enrollments.0.courseExternalId");

    // A course mirrored by an earlier delivery may be named alone.
    const known = delivery({
      data: {
        enrollments: [
          {
            externalId: "e-member-2",
            courseExternalId: "c-1",
            person: { externalId: "p-1", email: MEMBER },
            status: "in-progress",
          },
        ],
      },
    });
    expect((await send(integrationId, known)).status).toBe(202);
    await work();
  });

  it("accepts the previous secret until the grace period ends, then only the new one", async () => {
    const rotated = await t.http.post(
      `/api/v1/lms-integrations/${integrationId}/webhook-secret`,
      {},
      admin,
    );
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.data.secret as string;
    expect(fresh).not.toBe(secret);
    expect(rotated.body.data.previousValidUntil).toBe(
      new Date(t.clock.now().getTime() + 24 * 3_600_000).toISOString(),
    );
    expect((await send(integrationId, delivery(), { secrets: [secret] })).status).toBe(202);
    expect((await send(integrationId, delivery(), { secrets: [fresh] })).status).toBe(202);
    // A sender switching over signs with both.
    expect((await send(integrationId, delivery(), { secrets: [secret, fresh] })).status).toBe(202);
    const shown = await t.http.get(`/api/v1/lms-integrations/${integrationId}`, admin);
    expect(shown.body.data.webhookSecret.previousValidUntil).toBe(
      rotated.body.data.previousValidUntil,
    );
    await work();
    t.clock.advance(24 * 3_600_000 + 1000);
    admin = await signIn(t, adminEmail);
    otherAdmin = await signIn(t, otherAdminEmail);
    const old = await send(integrationId, delivery(), { secrets: [secret] });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe("WEBHOOK_UNAUTHENTICATED");
    expect((await send(integrationId, delivery(), { secrets: [fresh] })).status).toBe(202);
    const later = await t.http.get(`/api/v1/lms-integrations/${integrationId}`, admin);
    expect(later.body.data.webhookSecret.previousValidUntil).toBeNull();
    secret = fresh;
    await work();
  });

  it("waits while another run of the integration is active, then processes", async () => {
    const manual = await t.http.post(`/api/v1/lms-integrations/${integrationId}/sync`, {}, admin);
    expect(manual.status).toBe(202);
    const body = delivery();
    expect((await send(integrationId, body)).status).toBe(202);
    // The delivery job finds the manual run queued: it fails, to be tried again later.
    await expect(processDeliveries(t.system, integrationId, loadSyncTarget)).rejects.toMatchObject({
      code: "SYNC_IN_PROGRESS",
      message: "Another sync of the integration is running; its deliveries wait for it to end",
    });
    const waiting = await t.system.db
      .selectFrom("integration_webhook_deliveries")
      .select(["status", "run_id"])
      .where("delivery_id", "=", body.id)
      .executeTakeFirstOrThrow();
    expect(waiting).toEqual({ status: "received", run_id: null });
    await work();
    t.clock.advance(60_000);
    await work();
    const stored = await t.system.db
      .selectFrom("integration_webhook_deliveries")
      .select(["status", "run_id"])
      .where("delivery_id", "=", body.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("processed");
    expect(stored.run_id).not.toBe(manual.body.data.id);
  });
});

describe("the deliveries list", () => {
  it("pages newest first, filters by status, and is not shown to another organization", async () => {
    const all = await t.http.get(
      `/api/v1/lms-integrations/${integrationId}/webhook-deliveries?limit=2`,
      admin,
    );
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(2);
    expect(all.body.meta.pagination.total).toBeGreaterThan(2);
    const times = all.body.data.map((d: { receivedAt: string }) => d.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const failed = await t.http.get(
      `/api/v1/lms-integrations/${integrationId}/webhook-deliveries?status=failed`,
      admin,
    );
    expect(failed.body.data).toEqual([]);
    const foreign = await t.http.get(
      `/api/v1/lms-integrations/${integrationId}/webhook-deliveries`,
      otherAdmin,
    );
    expect(foreign.status).toBe(404);
    const own = await t.http.get(
      `/api/v1/lms-integrations/${otherIntegrationId}/webhook-deliveries`,
      otherAdmin,
    );
    expect(own.body.data).toEqual([]);
  });
});

describe("keeping the secret", () => {
  it("re-seals it under a new deployment key, and the sender's secret still verifies", async () => {
    const services = t.lyceum.services;
    const box = new SecretBox("a-new-deployment-secret-of-enough-length", [services.config.secret]);
    const rotated = { ...services, secrets: box };
    const result = await reencryptWebhookSecrets(rotated, { ...t.system, secrets: box });
    expect(result.failed).toEqual([]);
    expect(result.reencrypted).toBeGreaterThanOrEqual(2);
    const row = await t.system.db
      .selectFrom("integration_webhook_secrets")
      .selectAll()
      .where("integration_id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(row.secret_key_id).toBe(box.keyId);
    expect(signingSecrets(rotated, row, t.clock.now())).toContain(secret);
    // Put back under the running app's key for the tests after this one.
    const back = new SecretBox(services.config.secret, [
      "a-new-deployment-secret-of-enough-length",
    ]);
    await reencryptWebhookSecrets({ ...services, secrets: back }, { ...t.system, secrets: back });
    expect((await send(integrationId, delivery())).status).toBe(202);
    await work();
  });

  it("is erased with its integration, which then answers the same 401", async () => {
    const doomed = await webhookIntegration(admin, orgId, "doomed");
    const made = await t.http.post(`/api/v1/lms-integrations/${doomed}/webhook-secret`, {}, admin);
    expect((await send(doomed, delivery(), { secrets: [made.body.data.secret] })).status).toBe(202);
    expect((await t.http.delete(`/api/v1/lms-integrations/${doomed}`, admin)).status).toBe(200);
    const left = await t.system.db
      .selectFrom("integration_webhook_secrets")
      .select("integration_id")
      .where("integration_id", "=", doomed)
      .execute();
    expect(left).toEqual([]);
    const refused = await send(doomed, delivery(), { secrets: [made.body.data.secret] });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("WEBHOOK_UNAUTHENTICATED");
    await work();
    const stored = await t.system.db
      .selectFrom("integration_webhook_deliveries")
      .select(["status", "error"])
      .where("integration_id", "=", doomed)
      .execute();
    expect(stored).toEqual([
      {
        status: "failed",
        error: "The integration was deactivated or removed before the delivery was processed",
      },
    ]);
  });
});

describe("the signature scheme", () => {
  it("verifies any of several v1 values in constant-time comparisons, within ±300 s", () => {
    const now = new Date("2026-03-02T09:00:00Z");
    const raw = Buffer.from('{"a":1}');
    const header = signatureHeader(["whsec_a", "whsec_b"], raw, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifySignature(["whsec_b"], raw, header, now)).toBe(true);
    expect(verifySignature(["whsec_c"], raw, header, now)).toBe(false);
    expect(verifySignature(["whsec_a"], raw, header, new Date(now.getTime() + 300_000))).toBe(true);
    expect(verifySignature(["whsec_a"], raw, header, new Date(now.getTime() + 301_000))).toBe(
      false,
    );
    expect(verifySignature(["whsec_a"], Buffer.from('{"a":2}'), header, now)).toBe(false);
    expect(verifySignature(["whsec_a"], raw, undefined, now)).toBe(false);
  });
});
