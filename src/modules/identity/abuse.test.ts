/**
 * Limits against distributed guessing and mail flooding that hold in the database: failed
 * sign-ins per client address across accounts (password spraying), mails per recipient from
 * any number of addresses, registrations per address. Each test reproduces the bypass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD, signIn, uniqueEmail } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { HOUR, MINUTE } from "../../platform/clock.js";
import { sha256 } from "../../platform/crypto.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: "5",
      MAILS_PER_RECIPIENT_PER_HOUR: "3",
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: "3",
    },
  });
});
afterAll(() => t.close());

const post = (url: string, payload: object, ip: string, token?: string) =>
  t.lyceum.app.inject({
    method: "POST",
    url,
    payload,
    remoteAddress: ip,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

const mailsTo = async (email: string, template?: string) =>
  (
    await t.system.db
      .selectFrom("mail_outbox")
      .select(["template", "text_body"])
      .where("to_address", "=", email)
      .$if(!!template, (q) => q.where("template", "=", template as string))
      .execute()
  ).length;

describe("password spraying from one address", () => {
  it("refuses the address after its failures across accounts, without locking any account", async () => {
    const victims = [];
    for (let i = 0; i < 8; i++) victims.push(await makeUser(t, { email: uniqueEmail("spray") }));
    const spray = (email: string, password = "Spring-2026!") =>
      post("/api/v1/auth/login", { email, password }, "198.51.100.1");
    const answers = [];
    for (const victim of victims) answers.push(await spray(victim.email));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = answers[5]?.json();
    expect(refused.error.code).toBe("RATE_LIMITED");
    expect(Number(answers[5]?.headers["retry-after"])).toBeGreaterThan(0);

    // The right password from that address is refused too: a hit cannot be confirmed.
    expect((await spray(victims[7]!.email, PASSWORD)).statusCode).toBe(429);

    const rows = await t.system.db
      .selectFrom("users")
      .select(["email", "failed_login_attempts", "locked_until"])
      .where(
        "email",
        "in",
        victims.map((v) => v.email),
      )
      .execute();
    expect(rows.every((r) => r.locked_until === null)).toBe(true);
    expect(rows.filter((r) => r.failed_login_attempts === 1)).toHaveLength(5);
    expect(rows.filter((r) => r.failed_login_attempts === 0)).toHaveLength(3);

    // The people themselves sign in from their own addresses as usual.
    const own = await post(
      "/api/v1/auth/login",
      { email: victims[7]!.email, password: PASSWORD },
      "203.0.113.9",
    );
    expect(own.statusCode).toBe(200);
    const logs = await t.system.db
      .selectFrom("system_logs")
      .select(["event", "ip_address"])
      .where("event", "=", "auth.address-throttled")
      .execute();
    expect(logs).toEqual([{ event: "auth.address-throttled", ip_address: "198.51.100.1" }]);
  });

  it("counts unknown addresses too, and lets the address in again as the hour slides by", async () => {
    const user = await makeUser(t);
    const attempt = (email: string, password = "Wrong-Guess-1!") =>
      post("/api/v1/auth/login", { email, password }, "198.51.100.2");
    for (let i = 0; i < 5; i++) {
      expect((await attempt(`ghost${i}@example.com`)).statusCode).toBe(401);
    }
    expect((await attempt(user.email, PASSWORD)).statusCode).toBe(429);
    t.clock.advance(HOUR + 13 * MINUTE);
    expect((await attempt(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it("keeps the count across processes sharing the database", async () => {
    for (let i = 0; i < 5; i++) {
      await post(
        "/api/v1/auth/login",
        { email: `p${i}@example.com`, password: "x" },
        "198.51.100.3",
      );
    }
    const other = await t.sibling();
    const res = await other.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "p9@example.com", password: "x" },
      remoteAddress: "198.51.100.3",
    });
    expect(res.statusCode).toBe(429);
  });
});

describe("mails per recipient", () => {
  it("sends at most the limit of reset mails to one address, however many addresses ask", async () => {
    const victim = await makeUser(t, { email: uniqueEmail("flooded") });
    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(
        await post("/api/v1/auth/forgot-password", { email: victim.email }, `10.9.${i}.1`),
      );
    }
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(202));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(await mailsTo(victim.email, "password-reset")).toBe(3);
    // A suppressed request leaves the last mailed link working.
    const open = await t.system.db
      .selectFrom("password_resets")
      .select("token_hash")
      .where("user_id", "=", victim.id)
      .where("used_at", "is", null)
      .execute();
    expect(open).toHaveLength(1);
    const last = await t.system.db
      .selectFrom("mail_outbox")
      .select("text_body")
      .where("to_address", "=", victim.email)
      .execute();
    const tokens = last.map((m) =>
      decodeURIComponent(/token=([\w-]+)/.exec(m.text_body)?.[1] ?? ""),
    );
    expect(tokens.map(sha256)).toContain(open[0]?.token_hash);
    // Letter case and +tags name the same mailbox.
    const variant = victim.email.replace("@", "+again@").toUpperCase();
    await post("/api/v1/auth/forgot-password", { email: variant }, "10.9.99.1");
    expect(await mailsTo(victim.email)).toBe(3);

    t.clock.advance(2 * HOUR);
    await post("/api/v1/auth/forgot-password", { email: victim.email }, "10.9.0.1");
    expect(await mailsTo(victim.email, "password-reset")).toBe(4);
  });

  it("answers alike for a limited address, a fresh one and one without an account", async () => {
    const limited = await makeUser(t, { email: uniqueEmail("limited") });
    for (let i = 0; i < 3; i++) {
      await post("/api/v1/auth/forgot-password", { email: limited.email }, `10.10.${i}.1`);
    }
    const fresh = await makeUser(t, { email: uniqueEmail("fresh") });
    const answers = await Promise.all(
      [limited.email, fresh.email, "no-account@example.com"].map((email) =>
        post("/api/v1/auth/forgot-password", { email }, "10.10.9.1"),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202]);
    expect(answers.map((a) => a.body)).toEqual([
      answers[0]?.body,
      answers[0]?.body,
      answers[0]?.body,
    ]);
    expect(await mailsTo(limited.email)).toBe(3);
    expect(await mailsTo(fresh.email)).toBe(1);
  });

  it("limits verification mails, resent or caused by an email change", async () => {
    const email = uniqueEmail("unverified");
    const registered = await post(
      "/api/v1/auth/register",
      { email, password: PASSWORD, firstName: "Una", lastName: "Verified" },
      "10.11.0.1",
    );
    expect(registered.statusCode).toBe(201);
    for (let i = 0; i < 5; i++) {
      const res = await post("/api/v1/auth/resend-verification", { email }, `10.11.${i}.2`);
      expect(res.statusCode).toBe(202);
    }
    expect(await mailsTo(email, "email-verification")).toBe(3);

    // Someone keeps pointing their own account's new address at a stranger's mailbox.
    const target = uniqueEmail("stranger");
    const attacker = await makeUser(t);
    const creds = await signIn(t, attacker.email);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.lyceum.app.inject({
        method: "PATCH",
        url: "/api/v1/users/me",
        payload: { email: target },
        remoteAddress: `10.12.${i}.1`,
        headers: { authorization: `Bearer ${creds.token}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await mailsTo(target, "email-change-verification")).toBe(3);
  });
});

describe("registrations per address", () => {
  const register = (email: string, ip: string, password = PASSWORD) =>
    post("/api/v1/auth/register", { email, password, firstName: "R", lastName: "Egister" }, ip);

  it("refuses an address past its registrations, whatever addresses it signs up", async () => {
    const statuses = [];
    const emails = [1, 2, 3, 4].map(() => uniqueEmail("bulk"));
    for (const email of emails) statuses.push((await register(email, "192.0.2.50")).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const created = await t.system.db
      .selectFrom("users")
      .select("email")
      .where("email", "in", emails)
      .execute();
    expect(created).toHaveLength(3);
    // Other addresses are not affected.
    expect((await register(uniqueEmail("bulk"), "192.0.2.51")).statusCode).toBe(201);
  });

  it("counts probes for taken addresses but not a rejected weak password", async () => {
    const taken = await makeUser(t);
    expect((await register(uniqueEmail("weak"), "192.0.2.60", "weak")).statusCode).toBe(422);
    for (let i = 0; i < 3; i++) {
      expect((await register(taken.email, "192.0.2.60")).statusCode).toBe(409);
    }
    expect((await register(uniqueEmail("late"), "192.0.2.60")).statusCode).toBe(429);
  });
});
