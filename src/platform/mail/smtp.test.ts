import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD, uniqueEmail } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { notify } from "../../modules/notifications/notify.js";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives, or refuses it while `failing`. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { failing: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("bounce")) {
        const error = new Error("no such mailbox") as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => {
        raw += chunk.toString("utf8");
      });
      stream.on("end", () => {
        if (state.failing) {
          const error = new Error("mailbox unavailable") as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { server, port, received, state };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;

beforeAll(async () => {
  smtp = await startSmtp();
  // No transport override: the app uses its real SMTP transport (nodemailer) on SMTP_URL.
  t = await createTestApp({
    configuredMail: true,
    env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: "Lyceum <no-reply@lyceum.test>" },
  });
  expect(t.lyceum.services.mailer.transportName).toBe("smtp");
});

afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
});

describe("mail through a real SMTP server", () => {
  it("delivers the verification mail of a new account", async () => {
    const email = uniqueEmail("smtp");
    const res = await t.http.post("/api/v1/auth/register", {
      email,
      password: PASSWORD,
      firstName: "Sam",
      lastName: "Mailer",
    });
    expect(res.status).toBe(201);
    await t.deliverMail();
    const message = smtp.received.find((m) => m.to.includes(email));
    expect(message).toBeDefined();
    expect(message?.from).toBe("no-reply@lyceum.test");
    expect(message?.raw).toContain("Subject: Confirm your email address");
    const unfolded = message?.raw.replace(/=\r\n/g, "").replace(/=3D/g, "=") ?? "";
    expect(unfolded).toMatch(/http:\/\/lyceum\.test\/verify-email\?token=[\w-]+/);
    const row = await t.system.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("to_address", "=", email)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("sent");
    expect(row.provider).toBe("smtp");
    expect(row.provider_message_id).toMatch(/@/);
    expect(row.attempts).toBe(1);
  });

  it("keeps a refused message queued with the error, and delivers it on a later attempt", async () => {
    const email = uniqueEmail("retry");
    smtp.state.failing = true;
    await t.http.post("/api/v1/auth/forgot-password", { email: "nobody@example.com" });
    await t.http.post("/api/v1/auth/register", {
      email,
      password: PASSWORD,
      firstName: "Rita",
      lastName: "Retry",
    });
    await t.deliverMail();
    let row = await t.system.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("to_address", "=", email)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("queued");
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain("mailbox unavailable");
    expect(row.next_attempt_at.getTime()).toBeGreaterThan(t.clock.now().getTime());

    smtp.state.failing = false;
    await t.deliverMail();
    row = await t.system.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("to_address", "=", email)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("queued");

    t.clock.advance(31_000);
    await t.deliverMail();
    row = await t.system.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("to_address", "=", email)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(2);
    expect(smtp.received.some((m) => m.to.includes(email))).toBe(true);
  });

  it("records a recipient the server refuses as bounced in the delivery log, without retrying", async () => {
    const user = await makeUser(t, { email: uniqueEmail("bounce") });
    const ok = await makeUser(t, { email: uniqueEmail("fine") });
    for (const person of [user, ok])
      await notify(t.system, {
        userId: person.id,
        type: "course-completed",
        variables: { courseTitle: "Bounce 101" },
      });
    await t.deliverMail();
    const rows = await t.system.db
      .selectFrom("notification_deliveries as d")
      .innerJoin("mail_outbox as m", "m.id", "d.mail_outbox_id")
      .select([
        "d.user_id",
        "d.status",
        "d.reason",
        "d.retries",
        "d.bounced_at",
        "m.status as mail",
      ])
      .where("d.user_id", "in", [user.id, ok.id])
      .where("d.channel", "=", "email")
      .execute();
    const bounced = rows.find((r) => r.user_id === user.id);
    expect(bounced).toMatchObject({ status: "bounced", mail: "failed", retries: 1 });
    expect(bounced?.reason).toContain("no such mailbox");
    expect(bounced?.bounced_at).not.toBeNull();
    expect(rows.find((r) => r.user_id === ok.id)).toMatchObject({ status: "sent", mail: "sent" });
  });
});
