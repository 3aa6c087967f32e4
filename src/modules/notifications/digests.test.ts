import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { MemoryPushProvider, MemorySmsProvider } from "../../platform/messaging/providers.js";
import { periodEnd, sendDueDigests, sendMessage } from "./digests.js";
import { MESSAGE_JOB, notify } from "./notify.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("digests", () => {
  it("ends a day at midnight and a week on Monday, in UTC", () => {
    const wednesday = new Date("2026-12-09T15:30:00Z");
    expect(periodEnd(wednesday, "daily").toISOString()).toBe("2026-12-09T00:00:00.000Z");
    expect(periodEnd(wednesday, "weekly").toISOString()).toBe("2026-12-07T00:00:00.000Z");
  });

  it("holds a person's mail for their daily digest and sends one summary once the day is over", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [{ key: "learner", roles: ["learner"] }],
    });
    const learner = people.learner;
    if (!learner) throw new Error("no learner");
    const res = await t.http.put(
      "/api/v1/notifications/preferences",
      { digest: "daily", types: { "quiz-graded": { digest: "immediate" } } },
      learner,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.digest).toBe("daily");
    expect(res.body.data.types["quiz-graded"].digest).toBe("immediate");
    expect(res.body.data.types["course-completed"].digest).toBe("daily");

    for (const courseTitle of ["Digest A", "Digest B"])
      await notify(t.system, {
        userId: learner.user.id,
        organizationId: org.id,
        type: "course-completed",
        variables: { courseTitle },
      });
    await notify(t.system, {
      userId: learner.user.id,
      organizationId: org.id,
      type: "quiz-graded",
      variables: { quizTitle: "Right away", score: 90, passed: true },
    });
    const mails = () =>
      t.system.db
        .selectFrom("mail_outbox")
        .selectAll()
        .where("to_address", "=", learner.user.email)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    expect((await mails()).map((m) => m.subject)).toEqual(["Right away: graded"]);
    expect(await sendDueDigests(t.system)).toBe(0);

    t.clock.advance(24 * 3_600_000);
    expect(await sendDueDigests(t.system)).toBe(1);
    const sent = await mails();
    expect(sent).toHaveLength(2);
    const digest = sent[1];
    expect(digest?.subject).toBe("Your daily summary: 2 notifications");
    expect(digest?.template).toBe("digest");
    expect(digest?.text_body).toContain("You completed Digest A");
    expect(digest?.text_body).toContain("You completed Digest B");
    const deliveries = await t.system.db
      .selectFrom("notification_deliveries")
      .select(["status", "mail_outbox_id"])
      .where("user_id", "=", learner.user.id)
      .where("type", "=", "course-completed")
      .where("channel", "=", "email")
      .execute();
    expect(deliveries).toEqual([
      { status: "queued", mail_outbox_id: digest?.id },
      { status: "queued", mail_outbox_id: digest?.id },
    ]);
    const items = await t.system.db
      .selectFrom("notification_digest_items")
      .select("sent_at")
      .where("user_id", "=", learner.user.id)
      .execute();
    expect(items.every((i) => i.sent_at !== null)).toBe(true);
    expect(await sendDueDigests(t.system)).toBe(0);
  });

  it("does not send held mail to a person restricted since, except what the law requires", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [{ key: "learner", roles: ["learner"] }],
    });
    const learner = people.learner!;
    const res = await t.http.put("/api/v1/notifications/preferences", { digest: "daily" }, learner);
    expect(res.status).toBe(200);
    await notify(t.system, {
      userId: learner.user.id,
      organizationId: org.id,
      type: "course-completed",
      variables: { courseTitle: "Held A" },
    });
    await notify(t.system, {
      userId: learner.user.id,
      organizationId: org.id,
      type: "payment-received",
      variables: { courseTitle: "Paid B", amount: "EUR 10.00" },
    });
    const restricted = await t.http.post(
      `/api/v1/organizations/${org.id}/privacy-requests`,
      { type: "restriction", userId: learner.user.id },
      people.admin,
    );
    expect(restricted.status).toBe(201);

    t.clock.advance(24 * 3_600_000);
    expect(await sendDueDigests(t.system)).toBe(1);
    const sent = await t.system.db
      .selectFrom("mail_outbox")
      .select(["subject", "text_body"])
      .where("to_address", "=", learner.user.email)
      .execute();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe("Your daily summary: 1 notification");
    expect(sent[0]?.text_body).toContain("Paid B");
    expect(sent[0]?.text_body).not.toContain("Held A");
    const deliveries = await t.system.db
      .selectFrom("notification_deliveries")
      .select(["type", "status", "reason"])
      .where("user_id", "=", learner.user.id)
      .where("channel", "=", "email")
      .orderBy("type")
      .execute();
    expect(deliveries).toEqual([
      {
        type: "course-completed",
        status: "failed",
        reason: "Not sent: the person's processing is restricted",
      },
      { type: "payment-received", status: "queued", reason: null },
    ]);
    expect(await sendDueDigests(t.system)).toBe(0);
  });

  it("sends SMS and push through their providers when a person asks for them, and logs failures", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [{ key: "texter", roles: ["learner"] }],
    });
    const person = people.texter;
    if (!person) throw new Error("no person");
    await t.system.db
      .updateTable("users")
      .set({ phone: "+4915112345678" })
      .where("id", "=", person.user.id)
      .execute();
    const res = await t.http.put(
      "/api/v1/notifications/preferences",
      { types: { "course-completed": { sms: true, push: true } } },
      person,
    );
    expect(res.body.data.types["course-completed"]).toMatchObject({ sms: true, push: true });
    await notify(t.system, {
      userId: person.user.id,
      organizationId: org.id,
      type: "course-completed",
      variables: { courseTitle: "Texting 101" },
      actionPath: "/courses/t",
    });
    const jobs = await t.system.db
      .selectFrom("jobs")
      .selectAll()
      .where("name", "=", MESSAGE_JOB)
      .execute();
    const mine = jobs;
    const sms = new MemorySmsProvider();
    const push = new MemoryPushProvider();
    for (const job of mine)
      await sendMessage(t.system, { sms, push }, job.payload as never, {
        attempts: 1,
        max_attempts: 4,
      });
    expect(sms.sent).toEqual([{ to: "+4915112345678", body: "You completed Texting 101" }]);
    expect(push.sent).toEqual([
      {
        userId: person.user.id,
        title: "You completed Texting 101",
        body: "Well done! Your transcript is up to date.",
        url: "http://lyceum.test/courses/t",
      },
    ]);
    const log = await t.system.db
      .selectFrom("notification_deliveries")
      .select(["channel", "status", "provider_message_id"])
      .where("user_id", "=", person.user.id)
      .where("channel", "in", ["sms", "push"])
      .orderBy("channel")
      .execute();
    expect(log).toEqual([
      { channel: "push", status: "sent", provider_message_id: "memory-push-1" },
      { channel: "sms", status: "sent", provider_message_id: "memory-sms-1" },
    ]);

    const broken = {
      sms: { name: "broken", send: async () => Promise.reject(new Error("gateway down")) },
      push,
    };
    const smsJob = mine.find((j) => (j.payload as { channel: string }).channel === "sms");
    if (!smsJob) throw new Error("no sms job");
    await expect(
      sendMessage(t.system, broken, smsJob.payload as never, { attempts: 4, max_attempts: 4 }),
    ).rejects.toThrow("gateway down");
    const failed = await t.system.db
      .selectFrom("notification_deliveries")
      .select(["status", "reason", "retries"])
      .where("id", "=", (smsJob.payload as { deliveryId: string }).deliveryId)
      .executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: "failed", reason: "gateway down", retries: 3 });
  });
});
