import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { sha256 } from "../../platform/crypto.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NEW_PASSWORD = "Brand-New-Secret-42!";

async function resetTokenFor(email: string): Promise<string> {
  const mail = await t.system.db
    .selectFrom("mail_outbox")
    .select("text_body")
    .where("to_address", "=", email)
    .where("template", "=", "password-reset")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return decodeURIComponent(/token=([\w-]+)/.exec(mail.text_body)?.[1] ?? "");
}

describe("forgot and reset password", () => {
  it("answers identically for known and unknown addresses, mailing only the known one", async () => {
    const user = await makeUser(t);
    const known = await t.http.post("/api/v1/auth/forgot-password", { email: user.email });
    const unknown = await t.http.post("/api/v1/auth/forgot-password", {
      email: "nobody@example.com",
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select(["to_address", "template"])
      .where("template", "=", "password-reset")
      .execute();
    expect(mails.map((m) => m.to_address)).toContain(user.email);
    expect(mails.map((m) => m.to_address)).not.toContain("nobody@example.com");
  });

  it("stores the token hashed with a one-hour expiry, and a new request voids the old token", async () => {
    const user = await makeUser(t);
    await t.http.post("/api/v1/auth/forgot-password", { email: user.email });
    const first = await resetTokenFor(user.email);
    const row = await t.system.db
      .selectFrom("password_resets")
      .selectAll()
      .where("token_hash", "=", sha256(first))
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - t.clock.now().getTime()).toBe(3_600_000);
    t.clock.advance(1000);
    await t.http.post("/api/v1/auth/forgot-password", { email: user.email });
    const second = await resetTokenFor(user.email);
    expect(second).not.toBe(first);
    const voided = await t.http.post("/api/v1/auth/reset-password", {
      token: first,
      password: NEW_PASSWORD,
    });
    expect(voided.body.error.code).toBe("INVALID_TOKEN");
    expect(
      (await t.http.post("/api/v1/auth/reset-password", { token: second, password: NEW_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it("sets the new password, signs out every session, mails a confirmation, and works once", async () => {
    const user = await makeUser(t);
    const a = await signIn(t, user.email);
    const b = await signIn(t, user.email);
    await t.http.post("/api/v1/auth/forgot-password", { email: user.email });
    const token = await resetTokenFor(user.email);
    const res = await t.http.post("/api/v1/auth/reset-password", { token, password: NEW_PASSWORD });
    expect(res.status).toBe(200);
    for (const creds of [a, b])
      expect((await t.http.get("/api/v1/users/me", creds)).body.error.code).toBe("SESSION_REVOKED");
    const sessions = await t.system.db
      .selectFrom("user_sessions")
      .select("revoked_reason")
      .where("user_id", "=", user.id)
      .execute();
    expect(sessions.every((s) => s.revoked_reason === "password-reset")).toBe(true);
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: PASSWORD })).status,
    ).toBe(401);
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: NEW_PASSWORD }))
        .status,
    ).toBe(200);
    const confirmation = await t.system.db
      .selectFrom("mail_outbox")
      .select("template")
      .where("to_address", "=", user.email)
      .where("template", "=", "password-changed")
      .execute();
    expect(confirmation).toHaveLength(1);
    const twice = await t.http.post("/api/v1/auth/reset-password", {
      token,
      password: "Another-Secret-43!",
    });
    expect(twice.body.error.code).toBe("INVALID_TOKEN");
  });

  it("refuses a weak new password and changes nothing", async () => {
    const user = await makeUser(t);
    await t.http.post("/api/v1/auth/forgot-password", { email: user.email });
    const token = await resetTokenFor(user.email);
    const before = await t.system.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    const res = await t.http.post("/api/v1/auth/reset-password", { token, password: "weak" });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("WEAK_PASSWORD");
    const after = await t.system.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
    expect(
      (await t.http.post("/api/v1/auth/reset-password", { token, password: NEW_PASSWORD })).status,
    ).toBe(200);
  });

  it("refuses an expired token", async () => {
    const user = await makeUser(t);
    await t.http.post("/api/v1/auth/forgot-password", { email: user.email });
    const token = await resetTokenFor(user.email);
    t.clock.advance(3_600_000 + 1000);
    const res = await t.http.post("/api/v1/auth/reset-password", { token, password: NEW_PASSWORD });
    expect(res.body.error.code).toBe("INVALID_TOKEN");
  });

  it("unlocks a locked account", async () => {
    const user = await makeUser(t);
    for (let i = 0; i < 5; i++)
      await t.http.post("/api/v1/auth/login", { email: user.email, password: "Wrong-password-1!" });
    await t.http.post("/api/v1/auth/forgot-password", { email: user.email });
    await t.http.post("/api/v1/auth/reset-password", {
      token: await resetTokenFor(user.email),
      password: NEW_PASSWORD,
    });
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: NEW_PASSWORD }))
        .status,
    ).toBe(200);
  });
});

describe("change password", () => {
  it("needs the current password, keeps this session and signs out the others", async () => {
    const user = await makeUser(t);
    const current = await signIn(t, user.email);
    const other = await signIn(t, user.email);
    const wrong = await t.http.post(
      "/api/v1/auth/change-password",
      { currentPassword: "Nope-nope-1!", newPassword: NEW_PASSWORD },
      current,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.field).toBe("currentPassword");
    const res = await t.http.post(
      "/api/v1/auth/change-password",
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      current,
    );
    expect(res.status).toBe(200);
    expect((await t.http.get("/api/v1/users/me", current)).status).toBe(200);
    expect((await t.http.get("/api/v1/users/me", other)).status).toBe(401);
    expect(
      (await t.http.post("/api/v1/auth/login", { email: user.email, password: NEW_PASSWORD }))
        .status,
    ).toBe(200);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", user.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain("user.password-change");
  });
});
