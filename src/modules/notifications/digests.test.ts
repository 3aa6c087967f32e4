import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { periodEnd, sendDueDigests } from "./digests.js";
import { notify } from "./notify.js";

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
});
