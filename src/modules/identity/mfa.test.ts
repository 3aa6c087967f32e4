import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { cleanup } from "../system/maintenance.js";
import { hotp, totpCode, totpStep } from "./totp.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Enrolls an authenticator for a signed-in person; answers the secret and recovery codes. */
async function enroll(token: string) {
  const start = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, { token });
  expect(start.status).toBe(200);
  const secret: string = start.body.data.secret;
  const confirm = await t.http.post(
    "/api/v1/auth/mfa/confirm",
    { code: totpCode(secret, t.clock.now()) },
    { token },
  );
  expect(confirm.status).toBe(200);
  return { secret, recoveryCodes: confirm.body.data.recoveryCodes as string[] };
}

async function mfaUser() {
  const user = await makeUser(t);
  const creds = await signIn(t, user.email);
  const { secret, recoveryCodes } = await enroll(creds.token as string);
  // The next code belongs to the next time step.
  t.clock.advance(30_000);
  return { user, creds, secret, recoveryCodes };
}

async function passwordStep(email: string) {
  const res = await t.http.post("/api/v1/auth/login", { email, password: PASSWORD });
  expect(res.status).toBe(200);
  expect(res.body.data.mfaRequired).toBe(true);
  return res.body.data.challengeToken as string;
}

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC's SHA-1 test vectors", () => {
    // RFC 6238 Appendix B, secret "12345678901234567890", 8 digits there; the last 6 here.
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(hotp(secret, totpStep(new Date(59_000)))).toBe("287082");
    expect(hotp(secret, totpStep(new Date(1111111109_000)))).toBe("081804");
    expect(hotp(secret, totpStep(new Date(2000000000_000)))).toBe("279037");
  });
});

describe("enrollment", () => {
  it("takes effect only once a code confirms it, and stores the secret sealed", async () => {
    const user = await makeUser(t);
    const { token } = await signIn(t, user.email);
    const wrongPassword = await t.http.post(
      "/api/v1/auth/mfa/enroll",
      { password: "Not-It-123!" },
      { token },
    );
    expect(wrongPassword.status).toBe(401);
    const start = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, { token });
    expect(start.status).toBe(200);
    expect(start.body.data.otpauthUri).toMatch(
      new RegExp(`^otpauth://totp/Lyceum%3A.*secret=${start.body.data.secret}`),
    );
    const row = await t.system.db
      .selectFrom("user_mfa")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.confirmed_at).toBeNull();
    expect(row.secret_sealed).not.toContain(start.body.data.secret);
    expect(row.secret_sealed.startsWith("v1.")).toBe(true);
    // Not yet on: signing in still needs only the password.
    const plain = await t.http.post("/api/v1/auth/login", {
      email: user.email,
      password: PASSWORD,
    });
    expect(plain.body.data.tokens).toBeDefined();
    expect((await t.http.get("/api/v1/auth/mfa", { token })).body.data).toMatchObject({
      enabled: false,
      pending: true,
    });

    const wrong = await t.http.post("/api/v1/auth/mfa/confirm", { code: "000000" }, { token });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("INVALID_MFA_CODE");
    const confirm = await t.http.post(
      "/api/v1/auth/mfa/confirm",
      { code: totpCode(start.body.data.secret, t.clock.now()) },
      { token },
    );
    expect(confirm.status).toBe(200);
    const codes: string[] = confirm.body.data.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await t.system.db
      .selectFrom("user_mfa_recovery_codes")
      .select("code_hash")
      .where("user_id", "=", user.id)
      .execute();
    expect(stored).toHaveLength(10);
    expect(stored.map((r) => r.code_hash)).not.toContain(codes[0]);
    const status = await t.http.get("/api/v1/auth/mfa", { token });
    expect(status.body.data).toEqual({
      enabled: true,
      methods: ["totp", "recovery-code"],
      pending: false,
      enabledAt: t.clock.now().toISOString(),
      recoveryCodesRemaining: 10,
    });
    const audits = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "risk_level"])
      .where("entity_id", "=", user.id)
      .where("action", "like", "user.mfa%")
      .orderBy("created_at")
      .execute();
    expect(audits.map((a) => a.action)).toEqual(["user.mfa-enroll-start", "user.mfa-enable"]);
    expect(audits.every((a) => a.risk_level === "high")).toBe(true);
    const again = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, { token });
    expect(again.body.error.code).toBe("MFA_ALREADY_ENABLED");
  });
});

describe("sign-in with a second step", () => {
  it("answers a challenge after the password and a session only after the code", async () => {
    const { user, secret } = await mfaUser();
    const sessionsBefore = await t.system.db
      .selectFrom("user_sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    const challengeToken = await passwordStep(user.email);
    const sessionsAfter = await t.system.db
      .selectFrom("user_sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(sessionsAfter).toHaveLength(sessionsBefore.length);
    const done = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken,
      code: totpCode(secret, t.clock.now()),
    });
    expect(done.status).toBe(200);
    expect(done.body.data.user.id).toBe(user.id);
    const me = await t.http.get("/api/v1/users/me", { token: done.body.data.tokens.accessToken });
    expect(me.status).toBe(200);
    const session = await t.system.db
      .selectFrom("user_sessions")
      .select("mfa_verified_at")
      .where("id", "=", done.body.data.sessionId)
      .executeTakeFirstOrThrow();
    expect(session.mfa_verified_at?.toISOString()).toBe(t.clock.now().toISOString());
    // The challenge works once.
    const twice = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken,
      code: totpCode(secret, t.clock.now()),
    });
    expect(twice.body.error.code).toBe("MFA_CHALLENGE_INVALID");
  });

  it("refuses a code used before (no replay within its window)", async () => {
    const { user, secret } = await mfaUser();
    const code = totpCode(secret, t.clock.now());
    const first = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      code,
    });
    expect(first.status).toBe(200);
    t.clock.advance(10_000);
    const replay = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      code,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("INVALID_MFA_CODE");
  });

  it("expires the challenge after five minutes", async () => {
    const { user, secret } = await mfaUser();
    const challengeToken = await passwordStep(user.email);
    t.clock.advance(5 * 60_000 + 1000);
    const late = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken,
      code: totpCode(secret, t.clock.now()),
    });
    expect(late.body.error.code).toBe("MFA_CHALLENGE_INVALID");
    // The hourly cleanup deletes challenges a week past their expiry.
    t.clock.advance(8 * 24 * 60 * 60_000);
    const cleaned = await cleanup(t.lyceum.services);
    expect(cleaned.mfaChallengesDeleted).toBeGreaterThanOrEqual(1);
    const left = await t.system.db
      .selectFrom("mfa_challenges")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(left).toEqual([]);
  });

  it("accepts each recovery code once", async () => {
    const { user, recoveryCodes, creds } = await mfaUser();
    const code = recoveryCodes[0] as string;
    const first = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: code.toUpperCase(),
    });
    expect(first.status).toBe(200);
    const again = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: code,
    });
    expect(again.body.error.code).toBe("INVALID_MFA_CODE");
    const status = await t.http.get("/api/v1/auth/mfa", { token: creds.token });
    expect(status.body.data.recoveryCodesRemaining).toBe(9);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", user.id)
      .where("action", "=", "user.mfa-recovery-code-use")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("spends a challenge after five wrong codes and the account after ten", async () => {
    const { user, secret } = await mfaUser();
    const challengeToken = await passwordStep(user.email);
    for (let i = 0; i < 5; i++) {
      const wrong = await t.http.post("/api/v1/auth/login/mfa", { challengeToken, code: "000001" });
      expect(wrong.body.error.code).toBe("INVALID_MFA_CODE");
    }
    const spent = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken,
      code: totpCode(secret, t.clock.now()),
    });
    expect(spent.body.error.code).toBe("MFA_CHALLENGE_INVALID");
    const second = await passwordStep(user.email);
    for (let i = 0; i < 5; i++) {
      await t.http.post("/api/v1/auth/login/mfa", { challengeToken: second, code: "000001" });
    }
    const third = await passwordStep(user.email);
    const limited = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: third,
      code: totpCode(secret, t.clock.now()),
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    const logs = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("user_id", "=", user.id)
      .where("event", "=", "auth.mfa-login-code-wrong")
      .execute();
    expect(logs).toHaveLength(10);
    t.clock.advance(31 * 60_000);
    const later = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      code: totpCode(secret, t.clock.now()),
    });
    expect(later.status).toBe(200);
  });

  it("refuses a code and a recovery code together, and a malformed code, changing nothing", async () => {
    const { user, recoveryCodes } = await mfaUser();
    const challengeToken = await passwordStep(user.email);
    const both = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken,
      code: "123456",
      recoveryCode: recoveryCodes[1],
    });
    expect(both.status).toBe(400);
    const letters = await t.http.post("/api/v1/auth/login/mfa", { challengeToken, code: "abcdef" });
    expect(letters.status).toBe(400);
    const row = await t.system.db
      .selectFrom("mfa_challenges")
      .select(["failed_attempts", "used_at"])
      .where("user_id", "=", user.id)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_attempts: 0, used_at: null });
  });
});

describe("recovery codes and turning it off", () => {
  it("replaces the recovery codes with the password or a code", async () => {
    const { user, creds, secret, recoveryCodes } = await mfaUser();
    const fresh = await t.http.post(
      "/api/v1/auth/mfa/recovery-codes",
      { code: totpCode(secret, t.clock.now()) },
      { token: creds.token },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.recoveryCodes).toHaveLength(10);
    const old = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: recoveryCodes[0],
    });
    expect(old.body.error.code).toBe("INVALID_MFA_CODE");
    const viaNew = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: fresh.body.data.recoveryCodes[0],
    });
    expect(viaNew.status).toBe(200);
  });

  it("turns off with the password, not with a wrong one", async () => {
    const { user, creds } = await mfaUser();
    const wrong = await t.http.post(
      "/api/v1/auth/mfa/disable",
      { password: "Wrong-Password-1!" },
      { token: creds.token },
    );
    expect(wrong.status).toBe(401);
    expect((await t.http.get("/api/v1/auth/mfa", creds)).body.data.enabled).toBe(true);
    const off = await t.http.post(
      "/api/v1/auth/mfa/disable",
      { password: PASSWORD },
      { token: creds.token },
    );
    expect(off.status).toBe(200);
    expect((await t.http.get("/api/v1/auth/mfa", creds)).body.data).toEqual({
      enabled: false,
      methods: [],
      pending: false,
      enabledAt: null,
      recoveryCodesRemaining: 0,
    });
    // The app was the last second factor: its recovery codes are gone with it.
    const codes = await t.system.db
      .selectFrom("user_mfa_recovery_codes")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(codes).toEqual([]);
    const plain = await t.http.post("/api/v1/auth/login", {
      email: user.email,
      password: PASSWORD,
    });
    expect(plain.body.data.tokens).toBeDefined();
    const log = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("user_id", "=", user.id)
      .where("event", "=", "auth.mfa-disabled")
      .execute();
    expect(log).toHaveLength(1);
  });
});
