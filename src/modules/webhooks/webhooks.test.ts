import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, signedInUser, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { drainJobs } from "../../../test/jobs.js";
import { inTransaction } from "../../platform/context.js";
import { verifySignature } from "../../platform/net/signature.js";
import { createLesson } from "../catalog/content.js";
import { createCourse, publishCourse } from "../catalog/courses.js";
import { revokeCertificate } from "../certificates/certificates.js";
import { enroll } from "../enrollment/enroll.js";
import { requestSync, runSync } from "../integrations/sync/engine.js";
import { loadSyncTarget } from "../integrations/sync/target.js";
import {
  backoffMs,
  DISABLE_AFTER_FAILURES,
  deliverDue,
  FIRST_DELAY_MS,
  JITTER,
  MAX_ATTEMPTS,
  purgeOldDeliveries,
} from "./delivery.js";

/**
 * Outbound webhooks end to end: endpoints made over the API, domain events written as
 * deliveries in the emitter's transaction, sent by the worker to a real HTTP receiver on
 * loopback that checks the signature, retried on the injected clock, given up, disabled.
 */

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: string; organizationId: string; data: any };
}

class Receiver {
  readonly received: Received[] = [];
  status = 200;
  answer = "thanks";
  private server!: Server;
  url = "";

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        this.received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
        res.writeHead(this.status, { "content-type": "text/plain" });
        res.end(this.answer);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  close() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }

  of(type: string) {
    return this.received.filter((r) => r.body.type === type);
  }
}

let t: TestApp;
let receiver: Receiver;
let orgA: string;
let orgB: string;
let adminA: Credentials;
let adminB: Credentials;
let adminEmail: string;
let adminBEmail: string;
let instructorId: string;
let seq = 0;

const ALL_TYPES = [
  "enrollment.created",
  "enrollment.completed",
  "certificate.issued",
  "certificate.revoked",
  "quiz.graded",
  "integration.sync-failed",
];

beforeAll(async () => {
  t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORK: "true" } });
  receiver = new Receiver();
  await receiver.start();
  const a = await makeOrganization(t, { name: "Webhook Alpha" });
  const b = await makeOrganization(t, { name: "Webhook Beta" });
  orgA = a.org.id;
  orgB = b.org.id;
  adminA = a.people.admin;
  adminEmail = a.people.admin.user.email;
  adminBEmail = b.people.admin.user.email;
  adminB = b.people.admin;
  instructorId = a.people.admin.user.id;
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

async function createWebhook(eventTypes = ALL_TYPES, url = receiver.url, as = adminA, org = orgA) {
  const res = await t.http.post(
    `/api/v1/organizations/${org}/webhooks`,
    { url, description: "Receiver", eventTypes },
    as,
  );
  expect(res.status).toBe(201);
  return res.body.data as { webhook: { id: string }; secret: string };
}

async function oneLessonCourse() {
  seq += 1;
  const course = await createCourse(t.system, {
    organizationId: orgA,
    code: `HOOK-${seq}`,
    title: `Hooked ${seq}`,
    description: "A course whose events go out as webhooks.",
    category: "testing",
    instructorId,
  });
  const intro = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  const lesson = await createLesson(t.system, intro.id, {
    title: "Only lesson",
    contentType: "text",
    content: { html: "<p>Hi</p>" },
  });
  await publishCourse(t.system, course.id);
  return { course, lesson };
}

const send = () => drainJobs(t, ["webhooks.deliver"], { dueOnly: true });

describe("outbound webhooks", () => {
  it("publishes the catalog of event types with their fields", async () => {
    const res = await t.http.get("/api/v1/webhook-event-types", adminA);
    expect(res.status).toBe(200);
    const types = res.body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(ALL_TYPES);
    const issued = res.body.data.find((e: { type: string }) => e.type === "certificate.issued");
    expect(Object.keys(issued.fields)).toEqual(
      expect.arrayContaining(["certificateId", "certificateNumber", "userId", "courseId"]),
    );
  });

  it("refuses bad input", async () => {
    for (const body of [
      { url: "ftp://example.org/x", eventTypes: ["quiz.graded"] },
      { url: "https://example.org/x", eventTypes: ["no.such-event"] },
      { url: "https://example.org/x", eventTypes: [] },
      { url: "https://user:pw@example.org/x", eventTypes: ["quiz.graded"] },
      { url: "https://example.org/x", eventTypes: ["quiz.graded"], extra: 1 },
    ]) {
      const res = await t.http.post(`/api/v1/organizations/${orgA}/webhooks`, body, adminA);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const learner = await signedInUser(t);
    const res = await t.http.post(
      `/api/v1/organizations/${orgA}/webhooks`,
      { url: "https://example.org/x", eventTypes: ["quiz.graded"] },
      learner,
    );
    expect(res.status).toBe(403);
  });

  it("delivers every event type, signed, from the emitter's transaction through the worker", async () => {
    const { webhook, secret } = await createWebhook();
    expect(secret).toMatch(/^whsec_/);
    const stored = await t.system.db
      .selectFrom("webhook_endpoints")
      .select("secret_sealed")
      .where("id", "=", webhook.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(secret);
    const got = await t.http.get(`/api/v1/webhooks/${webhook.id}`, adminA);
    expect(JSON.stringify(got.body)).not.toContain(secret);
    receiver.received.length = 0;

    // Enrollment created, completed, certificate issued and revoked: the real paths.
    const { course, lesson } = await oneLessonCourse();
    const learner = await signedInUser(t);
    const result = await enroll(t.system, {
      userId: learner.user.id,
      courseId: course.id,
      source: "admin",
    });
    if (result.kind !== "enrolled") throw new Error("not enrolled");
    // Nothing is sent before the worker runs.
    expect(receiver.received).toHaveLength(0);
    await t.http.post(`/api/v1/lessons/${lesson.id}/start`, {}, learner);
    const done = await t.http.post(`/api/v1/lessons/${lesson.id}/complete`, {}, learner);
    expect(done.body.data.courseCompleted).toBe(true);
    const cert = await t.system.db
      .selectFrom("certificates")
      .selectAll()
      .where("enrollment_id", "=", result.enrollment.id)
      .executeTakeFirstOrThrow();
    await revokeCertificate(t.system, cert.id, "Issued by mistake");
    // Grading and a failed sync, raised as their modules raise them.
    await inTransaction(t.system, async (tx) => {
      await tx.events.emit(tx, "quiz.graded", {
        attemptId: "0190a0c0-0000-7000-8000-000000000001",
        quizId: "0190a0c0-0000-7000-8000-000000000002",
        enrollmentId: result.enrollment.id,
        userId: learner.user.id,
        courseId: course.id,
        organizationId: orgA,
        score: 80,
        passed: true,
        regrade: false,
      });
      await tx.events.emit(tx, "integration.sync-failed", {
        integrationId: "0190a0c0-0000-7000-8000-000000000003",
        runId: "0190a0c0-0000-7000-8000-000000000004",
        organizationId: orgA,
        error: "The LMS refused the token",
      });
    });
    // An event of another organization, and one that rolls back, are not delivered here.
    await inTransaction(t.system, (tx) =>
      tx.events.emit(tx, "integration.sync-failed", {
        integrationId: "0190a0c0-0000-7000-8000-000000000005",
        runId: "0190a0c0-0000-7000-8000-000000000006",
        organizationId: orgB,
        error: "elsewhere",
      }),
    );
    await inTransaction(t.system, async (tx) => {
      await tx.events.emit(tx, "integration.sync-failed", {
        integrationId: "0190a0c0-0000-7000-8000-000000000007",
        runId: "0190a0c0-0000-7000-8000-000000000008",
        organizationId: orgA,
        error: "rolled back",
      });
      throw new Error("roll back");
    }).catch(() => undefined);

    await send();
    expect(receiver.received.map((r) => r.body.type).sort()).toEqual([...ALL_TYPES].sort());
    for (const r of receiver.received) {
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["lyceum-event"]).toBe(r.body.type);
      expect(r.headers["lyceum-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(
        verifySignature([secret], Buffer.from(r.raw), r.headers["lyceum-signature"], t.clock.now()),
      ).toBe(true);
      expect(
        verifySignature(
          ["whsec_wrong"],
          Buffer.from(r.raw),
          r.headers["lyceum-signature"],
          t.clock.now(),
        ),
      ).toBe(false);
      expect(r.body.organizationId).toBe(orgA);
    }
    expect(receiver.of("enrollment.created")[0]?.body.data).toEqual({
      enrollmentId: result.enrollment.id,
      userId: learner.user.id,
      courseId: course.id,
      source: "admin",
      status: "active",
    });
    expect(receiver.of("certificate.issued")[0]?.body.data).toMatchObject({
      certificateId: cert.id,
      certificateNumber: cert.certificate_number,
    });
    expect(receiver.of("certificate.revoked")[0]?.body.data).toMatchObject({
      certificateId: cert.id,
      reason: "Issued by mistake",
    });
    expect(receiver.of("enrollment.completed")[0]?.body.data).toMatchObject({
      enrollmentId: result.enrollment.id,
    });
    expect(receiver.of("integration.sync-failed")[0]?.body.data.error).toBe(
      "The LMS refused the token",
    );

    const list = await t.http.get(`/api/v1/webhooks/${webhook.id}/deliveries?limit=100`, adminA);
    expect(list.body.data).toHaveLength(6);
    expect(list.body.data.every((d: { status: string }) => d.status === "delivered")).toBe(true);
    const one = await t.http.get(`/api/v1/webhook-deliveries/${list.body.data[0].id}`, adminA);
    expect(one.body.data).toMatchObject({
      responseStatus: 200,
      responseBody: "thanks",
      attempts: 1,
    });
    expect(one.body.data.request.body.type).toBe(list.body.data[0].eventType);
    const filtered = await t.http.get(
      `/api/v1/webhooks/${webhook.id}/deliveries?eventType=quiz.graded`,
      adminA,
    );
    expect(filtered.body.data.map((d: { eventType: string }) => d.eventType)).toEqual([
      "quiz.graded",
    ]);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", webhook.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain("webhook.create");
    await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
  });

  it("writes integration.sync-failed when a real sync run fails", async () => {
    const { webhook } = await createWebhook(["integration.sync-failed"]);
    const created = await t.http.post(
      `/api/v1/organizations/${orgA}/lms-integrations`,
      {
        name: "Unreachable Moodle",
        code: "unreachable-moodle",
        lmsType: "moodle",
        method: "api",
        authType: "api-token",
        credentials: { token: "token" },
        baseUrl: "http://127.0.0.1:9",
        maxRetries: 0,
      },
      adminA,
    );
    expect(created.status).toBe(201);
    const integrationId = created.body.data.id as string;
    const run = await requestSync(t.system, { id: integrationId, organizationId: orgA });
    await runSync(t.system, run.id, loadSyncTarget);
    const rows = await t.system.db
      .selectFrom("webhook_deliveries")
      .select(["event_type", "payload", "status"])
      .where("endpoint_id", "=", webhook.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe("pending");
    expect(rows[0]?.payload.data).toMatchObject({ integrationId, runId: run.id });
    await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
    await t.http.delete(`/api/v1/lms-integrations/${integrationId}`, adminA);
  });

  it("retries on the backoff schedule, gives up after the last attempt, and redelivers by hand", async () => {
    const { webhook } = await createWebhook(["integration.sync-failed"]);
    receiver.received.length = 0;
    receiver.status = 503;
    receiver.answer = "x".repeat(5000);
    await inTransaction(t.system, (tx) =>
      tx.events.emit(tx, "integration.sync-failed", {
        integrationId: "0190a0c0-0000-7000-8000-000000000009",
        runId: "0190a0c0-0000-7000-8000-00000000000a",
        organizationId: orgA,
        error: "down",
      }),
    );
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const sentAt = t.clock.now().getTime();
      expect(await deliverDue(t.system)).toBe(1);
      const row = await t.system.db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .where("endpoint_id", "=", webhook.id)
        .executeTakeFirstOrThrow();
      expect(row.attempts).toBe(attempt);
      expect(row.response_status).toBe(503);
      expect(row.response_body).toHaveLength(2048);
      if (attempt === MAX_ATTEMPTS) {
        expect(row.status).toBe("dead");
        expect(row.next_attempt_at).toBeNull();
        break;
      }
      expect(row.status).toBe("failed");
      const wait = (row.next_attempt_at as Date).getTime() - sentAt;
      waits.push(wait);
      expect(wait).toBeGreaterThanOrEqual(backoffMs(attempt));
      expect(wait).toBeLessThanOrEqual(backoffMs(attempt) * (1 + JITTER));
      // Not due a moment before its time.
      t.clock.advance(backoffMs(attempt) - 1000);
      expect(await deliverDue(t.system)).toBe(0);
      t.clock.advance(wait - backoffMs(attempt) + 1000);
    }
    expect(backoffMs(1)).toBe(FIRST_DELAY_MS);
    expect(backoffMs(2)).toBe(2 * FIRST_DELAY_MS);
    expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
    // Every attempt carries the same event id and the same delivery id.
    expect(new Set(receiver.received.map((r) => r.body.id)).size).toBe(1);

    receiver.status = 200;
    receiver.answer = "ok";
    // Hours went by: the administrator signs in again.
    adminA = await signIn(t, adminEmail);
    const dead = await t.http.get(`/api/v1/webhooks/${webhook.id}/deliveries?status=dead`, adminA);
    expect(dead.body.data).toHaveLength(1);
    const again = await t.http.post(
      `/api/v1/webhook-deliveries/${dead.body.data[0].id}/redeliver`,
      {},
      adminA,
    );
    expect(again.status).toBe(201);
    expect(again.body.data).toMatchObject({
      status: "pending",
      eventId: dead.body.data[0].eventId,
    });
    await send();
    const copy = await t.http.get(`/api/v1/webhook-deliveries/${again.body.data.id}`, adminA);
    expect(copy.body.data).toMatchObject({ status: "delivered", responseStatus: 200 });
    const endpoint = await t.http.get(`/api/v1/webhooks/${webhook.id}`, adminA);
    expect(endpoint.body.data).toMatchObject({ status: "active", consecutiveFailures: 0 });
    await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
  });

  it("disables an endpoint after repeated failures, tells the administrators, and enables it again", async () => {
    const { webhook } = await createWebhook(["integration.sync-failed"]);
    receiver.status = 500;
    for (let i = 0; i < DISABLE_AFTER_FAILURES; i++)
      await inTransaction(t.system, (tx) =>
        tx.events.emit(tx, "integration.sync-failed", {
          integrationId: "0190a0c0-0000-7000-8000-00000000000b",
          runId: "0190a0c0-0000-7000-8000-00000000000c",
          organizationId: orgA,
          error: `failure ${i}`,
        }),
      );
    await deliverDue(t.system);
    const res = await t.http.get(`/api/v1/webhooks/${webhook.id}`, adminA);
    expect(res.body.data).toMatchObject({
      status: "disabled",
      consecutiveFailures: DISABLE_AFTER_FAILURES,
    });
    expect(res.body.data.disabledReason).toMatch(/in a row/);
    const notes = await t.system.db
      .selectFrom("notifications")
      .selectAll()
      .where("type", "=", "webhook-disabled")
      .execute()
      .then((rows) =>
        rows.filter((n) => (n.data as { webhookId?: string }).webhookId === webhook.id),
      );
    expect(notes.map((n) => n.user_id)).toEqual([instructorId]);
    expect(notes[0]?.action_url).toContain(`/organization/webhooks/${webhook.id}`);
    // A disabled endpoint gets no new deliveries and cannot be tested.
    await inTransaction(t.system, (tx) =>
      tx.events.emit(tx, "integration.sync-failed", {
        integrationId: "0190a0c0-0000-7000-8000-00000000000b",
        runId: "0190a0c0-0000-7000-8000-00000000000d",
        organizationId: orgA,
        error: "while disabled",
      }),
    );
    const count = await t.system.db
      .selectFrom("webhook_deliveries")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("endpoint_id", "=", webhook.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(DISABLE_AFTER_FAILURES);
    expect((await t.http.post(`/api/v1/webhooks/${webhook.id}/test`, {}, adminA)).status).toBe(422);
    receiver.status = 200;
    const enabled = await t.http.patch(
      `/api/v1/webhooks/${webhook.id}`,
      { status: "active" },
      adminA,
    );
    expect(enabled.body.data).toMatchObject({ status: "active", consecutiveFailures: 0 });
    receiver.received.length = 0;
    const ping = await t.http.post(`/api/v1/webhooks/${webhook.id}/test`, {}, adminA);
    expect(ping.body.data).toMatchObject({
      eventType: "webhook.ping",
      status: "delivered",
      responseStatus: 200,
    });
    expect(receiver.received[0]?.body.data.webhookId).toBe(webhook.id);
    await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
  });

  it("refuses loopback addresses unless the deployment allows private networks", async () => {
    const { webhook } = await createWebhook(["integration.sync-failed"]);
    receiver.received.length = 0;
    t.lyceum.services.config.webhooks.allowPrivateNetwork = false;
    try {
      const ping = await t.http.post(`/api/v1/webhooks/${webhook.id}/test`, {}, adminA);
      expect(ping.body.data.status).toBe("failed");
      expect(ping.body.data.responseStatus).toBeNull();
      expect(ping.body.data.error).toMatch(/private network.*WEBHOOK_ALLOW_PRIVATE_NETWORK/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      t.lyceum.services.config.webhooks.allowPrivateNetwork = true;
    }
    await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
  });

  it("rotates the signing secret: deliveries are signed with the new one", async () => {
    const { webhook, secret } = await createWebhook(["integration.sync-failed"]);
    const rotated = await t.http.post(`/api/v1/webhooks/${webhook.id}/rotate-secret`, {}, adminA);
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.secret).not.toBe(secret);
    receiver.received.length = 0;
    await t.http.post(`/api/v1/webhooks/${webhook.id}/test`, {}, adminA);
    const r = receiver.received[0] as Received;
    const header = r.headers["lyceum-signature"];
    expect(
      verifySignature([rotated.body.data.secret], Buffer.from(r.raw), header, t.clock.now()),
    ).toBe(true);
    expect(verifySignature([secret], Buffer.from(r.raw), header, t.clock.now())).toBe(false);
    await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
  });

  it("gives an API key with webhook fields an endpoint of its own that follows the key", async () => {
    const created = await t.http.post(
      `/api/v1/organizations/${orgA}/api-keys`,
      {
        name: "HR feed",
        scopes: [],
        webhookUrl: receiver.url,
        webhookEvents: ["certificate.revoked", "not-an-event"],
      },
      adminA,
    );
    expect(created.status).toBe(201);
    const keyId = created.body.data.key.id;
    let list = await t.http.get(`/api/v1/organizations/${orgA}/webhooks`, adminA);
    const linked = list.body.data.find((w: { apiKeyId: string | null }) => w.apiKeyId === keyId);
    expect(linked).toMatchObject({
      url: receiver.url,
      eventTypes: ["certificate.revoked"],
      status: "active",
    });
    // Changed with the key only.
    const patch = await t.http.patch(
      `/api/v1/webhooks/${linked.id}`,
      { url: "https://example.org/" },
      adminA,
    );
    expect(patch.status).toBe(422);
    await t.http.patch(
      `/api/v1/organizations/${orgA}/api-keys/${keyId}`,
      { webhookEvents: ["quiz.graded"], isActive: false },
      adminA,
    );
    let one = await t.http.get(`/api/v1/webhooks/${linked.id}`, adminA);
    expect(one.body.data).toMatchObject({ eventTypes: ["quiz.graded"], status: "disabled" });
    await t.http.patch(
      `/api/v1/organizations/${orgA}/api-keys/${keyId}`,
      { isActive: true },
      adminA,
    );
    one = await t.http.get(`/api/v1/webhooks/${linked.id}`, adminA);
    expect(one.body.data.status).toBe("active");
    // Its secret is read by rotating it, and signs its deliveries.
    const rotated = await t.http.post(`/api/v1/webhooks/${linked.id}/rotate-secret`, {}, adminA);
    receiver.received.length = 0;
    await t.http.post(`/api/v1/webhooks/${linked.id}/test`, {}, adminA);
    const r = receiver.received[0] as Received;
    expect(
      verifySignature(
        [rotated.body.data.secret],
        Buffer.from(r.raw),
        r.headers["lyceum-signature"],
        t.clock.now(),
      ),
    ).toBe(true);
    // Revoking the key removes its endpoint.
    await t.http.post(`/api/v1/organizations/${orgA}/api-keys/${keyId}/revoke`, {}, adminA);
    list = await t.http.get(`/api/v1/organizations/${orgA}/webhooks`, adminA);
    expect(list.body.data.some((w: { apiKeyId: string | null }) => w.apiKeyId === keyId)).toBe(
      false,
    );
  });

  it("keeps each organization's webhooks and deliveries to itself", async () => {
    adminB = await signIn(t, adminBEmail);
    const { webhook } = await createWebhook(["integration.sync-failed"]);
    const ping = await t.http.post(`/api/v1/webhooks/${webhook.id}/test`, {}, adminA);
    const deliveryId = ping.body.data.id;
    for (const [method, url] of [
      ["GET", `/api/v1/webhooks/${webhook.id}`],
      ["GET", `/api/v1/webhooks/${webhook.id}/deliveries`],
      ["GET", `/api/v1/webhook-deliveries/${deliveryId}`],
      ["POST", `/api/v1/webhook-deliveries/${deliveryId}/redeliver`],
      ["POST", `/api/v1/webhooks/${webhook.id}/test`],
      ["POST", `/api/v1/webhooks/${webhook.id}/rotate-secret`],
      ["DELETE", `/api/v1/webhooks/${webhook.id}`],
    ] as const) {
      const res = await t.http.request(method, url, {
        as: adminB,
        body: method === "POST" ? {} : undefined,
      });
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    const bList = await t.http.get(`/api/v1/organizations/${orgB}/webhooks`, adminB);
    expect(bList.body.data).toEqual([]);
    const aList = await t.http.get(`/api/v1/organizations/${orgA}/webhooks`, adminB);
    expect(aList.status).toBe(403);
    await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
  });

  it("changes a webhook, gives up its waiting deliveries when disabled by hand, and lists in the order asked", async () => {
    const first = await createWebhook(["integration.sync-failed"]);
    t.clock.advance(1000);
    const { webhook } = await createWebhook(["integration.sync-failed"]);
    const ids = [first.webhook.id, webhook.id];
    const order = (res: { body: { data: { id: string }[] } }) =>
      res.body.data.map((w) => w.id).filter((id) => ids.includes(id));
    const oldestFirst = await t.http.get(
      `/api/v1/organizations/${orgA}/webhooks?sort=createdAt&limit=100`,
      adminA,
    );
    expect(order(oldestFirst)).toEqual(ids);
    const newestFirst = await t.http.get(
      `/api/v1/organizations/${orgA}/webhooks?limit=100`,
      adminA,
    );
    expect(order(newestFirst)).toEqual([...ids].reverse());

    const unknown = await t.http.patch(
      `/api/v1/webhooks/${webhook.id}`,
      { eventTypes: ["no.such-event"] },
      adminA,
    );
    expect(unknown.status).toBe(400);
    const changed = await t.http.patch(
      `/api/v1/webhooks/${webhook.id}`,
      {
        url: "https://example.org/hooks",
        description: null,
        eventTypes: ["quiz.graded", "integration.sync-failed", "quiz.graded"],
      },
      adminA,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({
      url: "https://example.org/hooks",
      description: null,
      eventTypes: ["integration.sync-failed", "quiz.graded"],
      status: "active",
    });

    for (const runId of [
      "0190a0c0-0000-7000-8000-0000000000e1",
      "0190a0c0-0000-7000-8000-0000000000e2",
    ]) {
      await inTransaction(t.system, (tx) =>
        tx.events.emit(tx, "integration.sync-failed", {
          integrationId: "0190a0c0-0000-7000-8000-0000000000e0",
          runId,
          organizationId: orgA,
          error: "waiting",
        }),
      );
      t.clock.advance(1000);
    }
    const deliveryIds = (res: { body: { data: { id: string }[] } }) =>
      res.body.data.map((d) => d.id);
    const deliveriesUp = await t.http.get(
      `/api/v1/webhooks/${webhook.id}/deliveries?sort=createdAt`,
      adminA,
    );
    const deliveriesDown = await t.http.get(`/api/v1/webhooks/${webhook.id}/deliveries`, adminA);
    expect(deliveryIds(deliveriesUp)).toHaveLength(2);
    expect(deliveryIds(deliveriesDown)).toEqual([...deliveryIds(deliveriesUp)].reverse());

    const disabled = await t.http.patch(
      `/api/v1/webhooks/${webhook.id}`,
      { status: "disabled" },
      adminA,
    );
    expect(disabled.body.data).toMatchObject({
      status: "disabled",
      disabledReason: "Disabled by hand",
    });
    const given = await t.system.db
      .selectFrom("webhook_deliveries")
      .select(["endpoint_id", "status", "error", "next_attempt_at"])
      .where("endpoint_id", "in", ids)
      .execute();
    expect(given.filter((d) => d.endpoint_id === webhook.id)).toEqual([
      {
        endpoint_id: webhook.id,
        status: "dead",
        error: "The webhook was disabled",
        next_attempt_at: null,
      },
      {
        endpoint_id: webhook.id,
        status: "dead",
        error: "The webhook was disabled",
        next_attempt_at: null,
      },
    ]);
    // The other webhook's deliveries still wait.
    expect(given.filter((d) => d.endpoint_id === first.webhook.id).map((d) => d.status)).toEqual([
      "pending",
      "pending",
    ]);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", webhook.id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      "webhook.create",
      "webhook.disable",
      "webhook.update",
    ]);

    const removed = await t.http.delete(`/api/v1/webhooks/${webhook.id}`, adminA);
    expect(removed.status).toBe(200);
    expect((await t.http.get(`/api/v1/webhooks/${webhook.id}`, adminA)).status).toBe(404);
    const left = await t.system.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("endpoint_id", "=", webhook.id)
      .execute();
    expect(left).toEqual([]);
    await t.http.delete(`/api/v1/webhooks/${first.webhook.id}`, adminA);
  });

  it("deletes finished deliveries after the retention", async () => {
    const { webhook } = await createWebhook(["integration.sync-failed"]);
    await t.http.post(`/api/v1/webhooks/${webhook.id}/test`, {}, adminA);
    expect(await purgeOldDeliveries(t.system)).toBe(0);
    t.clock.advance(31 * 24 * 60 * 60_000);
    expect(await purgeOldDeliveries(t.system)).toBeGreaterThanOrEqual(1);
    const left = await t.system.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("endpoint_id", "=", webhook.id)
      .execute();
    expect(left).toEqual([]);
    adminA = await signIn(t, adminEmail);
  });
});
