import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { sha256 } from "../../platform/crypto.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const body = (email: string, password = PASSWORD) => ({
  email,
  password,
  firstName: "Grace",
  lastName: "Hopper",
});

function tokenFrom(text: string): string {
  const match = /token=([\w-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no token in ${text}`);
  return decodeURIComponent(match[1]);
}

describe("registration", () => {
  it("creates an unverified account, mails a verification link, and does not sign in", async () => {
    const email = uniqueEmail("Register").toUpperCase();
    const res = await t.http.post("/api/v1/auth/register", body(email));
    expect(res.status).toBe(201);
    expect(res.body.data.user).toMatchObject({
      email: email.toLowerCase(),
      emailVerified: false,
      firstName: "Grace",
    });
    expect(res.body.data).not.toHaveProperty("tokens");
    expect(JSON.stringify(res.body)).not.toContain("password");

    const user = await t.system.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", email.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(user.email_verified).toBe(false);
    expect(user.password_hash).toMatch(/^\$argon2id\$/);

    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(mail.template).toBe("email-verification");
    expect(mail.text_body).toContain("http://lyceum.test/verify-email?token=");
    const token = tokenFrom(mail.text_body);
    const stored = await t.system.db
      .selectFrom("email_verifications")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(token));
    expect(stored.token_hash).not.toBe(token);

    const roles = await t.system.db
      .selectFrom("user_roles as ur")
      .innerJoin("roles as r", "r.id", "ur.role_id")
      .select(["r.key", "ur.organization_id"])
      .where("ur.user_id", "=", user.id)
      .execute();
    expect(roles).toEqual([{ key: "learner", organization_id: null }]);
    const welcome = await t.system.db
      .selectFrom("notifications")
      .selectAll()
      .where("user_id", "=", user.id)
      .execute();
    expect(welcome.map((n) => n.type)).toEqual(["welcome"]);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("entity_id", "=", user.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain("user.create");
  });

  it("refuses weak passwords listing what is missing, and stores nothing", async () => {
    const email = uniqueEmail();
    const res = await t.http.post("/api/v1/auth/register", body(email, "alllowercase"));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("WEAK_PASSWORD");
    expect(res.body.error.field).toBe("password");
    expect(res.body.error.details.requirements).toEqual(
      expect.arrayContaining(["an uppercase letter", "a number", "a special character"]),
    );
    const user = await t.system.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", email)
      .executeTakeFirst();
    expect(user).toBeUndefined();
  });

  it("refuses an address that already has an account", async () => {
    const email = uniqueEmail();
    expect((await t.http.post("/api/v1/auth/register", body(email))).status).toBe(201);
    const again = await t.http.post("/api/v1/auth/register", body(email.toUpperCase()));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("EMAIL_TAKEN");
    const count = await t.system.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("validates required fields and the email format", async () => {
    const res = await t.http.post("/api/v1/auth/register", {
      email: "nope",
      password: PASSWORD,
      firstName: "",
      lastName: "X",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    const fields = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(fields).toEqual(expect.arrayContaining(["email", "firstName"]));
  });

  it("limits self-registration to allowed domains when configured", async () => {
    const limited = await createTestApp({ env: { ALLOWED_EMAIL_DOMAINS: "school.example" } });
    try {
      const refused = await limited.http.post(
        "/api/v1/auth/register",
        body("someone@elsewhere.example"),
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("EMAIL_DOMAIN_NOT_ALLOWED");
      const accepted = await limited.http.post(
        "/api/v1/auth/register",
        body("pupil@school.example"),
      );
      expect(accepted.status).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe("email verification", () => {
  async function registerAndGetToken(email: string) {
    await t.http.post("/api/v1/auth/register", body(email));
    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .select("text_body")
      .where("to_address", "=", email)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    return tokenFrom(mail.text_body);
  }

  it("verifies with the mailed token once, then signs in", async () => {
    const email = uniqueEmail();
    const token = await registerAndGetToken(email);
    const unverified = await t.http.post("/api/v1/auth/login", { email, password: PASSWORD });
    expect(unverified.status).toBe(403);
    expect(unverified.body.error.code).toBe("EMAIL_NOT_VERIFIED");
    const res = await t.http.post("/api/v1/auth/verify-email", { token });
    expect(res.status).toBe(200);
    expect(res.body.data.user.emailVerified).toBe(true);
    expect(res.body.data.emailChanged).toBe(false);
    const again = await t.http.post("/api/v1/auth/verify-email", { token });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("INVALID_TOKEN");
    expect((await t.http.post("/api/v1/auth/login", { email, password: PASSWORD })).status).toBe(
      200,
    );
  });

  it("refuses an expired or unknown token", async () => {
    const email = uniqueEmail();
    const token = await registerAndGetToken(email);
    t.clock.advance(49 * 3_600_000);
    const expired = await t.http.post("/api/v1/auth/verify-email", { token });
    expect(expired.body.error.code).toBe("INVALID_TOKEN");
    const unknown = await t.http.post("/api/v1/auth/verify-email", { token: "x".repeat(43) });
    expect(unknown.body.error.code).toBe("INVALID_TOKEN");
    const user = await t.system.db
      .selectFrom("users")
      .select("email_verified")
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(user.email_verified).toBe(false);
  });

  it("resends a link only to unverified accounts and answers alike for unknown addresses", async () => {
    const email = uniqueEmail();
    const first = await registerAndGetToken(email);
    const known = await t.http.post("/api/v1/auth/resend-verification", { email });
    const unknown = await t.http.post("/api/v1/auth/resend-verification", {
      email: "nobody-here@example.com",
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select("to_address")
      .where("to_address", "in", [email, "nobody-here@example.com"])
      .execute();
    expect(mails.filter((m) => m.to_address === email)).toHaveLength(2);
    expect(mails.filter((m) => m.to_address === "nobody-here@example.com")).toHaveLength(0);
    // the new link replaces the old one
    expect((await t.http.post("/api/v1/auth/verify-email", { token: first })).body.error.code).toBe(
      "INVALID_TOKEN",
    );
  });
});
