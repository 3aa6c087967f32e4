import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("mail outbox", () => {
  it("stores mail only when the transaction that queued it commits", async () => {
    const { mailer, db } = t.lyceum.services;
    await expect(
      db.transaction().execute(async (trx) => {
        await mailer.enqueue(trx, {
          to: "rolled-back@example.com",
          subject: "x",
          text: "x",
          template: "test",
        });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const rows = await db
      .selectFrom("mail_outbox")
      .select("id")
      .where("to_address", "=", "rolled-back@example.com")
      .execute();
    expect(rows).toHaveLength(0);
  });

  it("never sends the same message twice when deliveries run concurrently", async () => {
    const { mailer, db } = t.lyceum.services;
    for (let i = 0; i < 25; i++) {
      await mailer.enqueue(db, {
        to: `bulk-${i}@example.com`,
        subject: `Message ${i}`,
        text: "hello",
        template: "test",
      });
    }
    const results = await Promise.all([
      mailer.deliverDue(db, 10),
      mailer.deliverDue(db, 10),
      mailer.deliverDue(db, 10),
      mailer.deliverDue(db, 10),
    ]);
    const sent = results.reduce((n, r) => n + r.sent, 0);
    expect(sent).toBe(25);
    const recipients = t.mail.sent.filter((m) => m.to.startsWith("bulk-")).map((m) => m.to);
    expect(recipients).toHaveLength(25);
    expect(new Set(recipients).size).toBe(25);
    const states = await db
      .selectFrom("mail_outbox")
      .select("status")
      .where("template", "=", "test")
      .where("to_address", "like", "bulk-%")
      .execute();
    expect(states.every((s) => s.status === "sent")).toBe(true);
  });

  it("gives up after the last attempt and marks the message failed", async () => {
    const { db } = t.lyceum.services;
    const failing = {
      name: "failing",
      send: async () => Promise.reject(new Error("no route to host")),
    };
    const { Mailer } = await import("./mailer.js");
    const mailer = new Mailer(failing, "x@example.com", t.clock, t.lyceum.services.log);
    const id = await mailer.enqueue(db, {
      to: "doomed@example.com",
      subject: "x",
      text: "x",
      template: "doomed",
    });
    await db.updateTable("mail_outbox").set({ max_attempts: 2 }).where("id", "=", id).execute();
    await mailer.deliverDue(db);
    t.clock.advance(31_000);
    await mailer.deliverDue(db);
    const row = await db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(2);
    expect(row.last_error).toContain("no route to host");
  });
});
