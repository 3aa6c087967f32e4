import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, PASSWORD, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { SoftAuthenticator } from "../../../test/soft-authenticator.js";
import { totpCode } from "./totp.js";
import { relyingParty } from "./webauthn.js";

let t: TestApp;
let rp: { id: string; origin: string };
beforeAll(async () => {
  t = await createTestApp();
  rp = relyingParty(t.system.config);
});
afterAll(() => t.close());

const KEYS = "/api/v1/auth/webauthn/credentials";

function authenticator() {
  return new SoftAuthenticator(rp.id, rp.origin);
}

async function registrationOptions(as: Credentials) {
  const res = await t.http.post(
    "/api/v1/auth/webauthn/registration-options",
    { password: PASSWORD },
    as,
  );
  expect(res.status).toBe(200);
  return res.body.data;
}

/** Adds a key for a signed-in person; answers the stored key's id and the answered recovery codes. */
async function addKeyAnswer(as: Credentials, key: SoftAuthenticator, name = "Desk key") {
  const options = await registrationOptions(as);
  const res = await t.http.post(KEYS, { name, response: key.register(options) }, as);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.data.id as string, recoveryCodes: res.body.data.recoveryCodes as string[] };
}

/** Adds a key for a signed-in person; answers the stored key's id. */
async function addKey(as: Credentials, key: SoftAuthenticator, name = "Desk key") {
  return (await addKeyAnswer(as, key, name)).id;
}

async function personWithKey() {
  const user = await makeUser(t);
  const creds = await signIn(t, user.email);
  const key = authenticator();
  const { id: keyId, recoveryCodes } = await addKeyAnswer(creds, key);
  return { user, creds, key, keyId, recoveryCodes };
}

/**
 * The password step: answers its challenge token, checking the methods offered (a key, and the
 * recovery codes that came with it, by default).
 */
async function passwordStep(email: string, methods = ["recovery-code", "webauthn"]) {
  const res = await t.http.post("/api/v1/auth/login", { email, password: PASSWORD });
  expect(res.status).toBe(200);
  expect(res.body.data.mfaRequired).toBe(true);
  expect(res.body.data.methods).toEqual(methods);
  return res.body.data.challengeToken as string;
}

/** The hashes of a person's recovery codes and whether each was used, in a stable order. */
async function storedCodes(userId: string) {
  return t.system.db
    .selectFrom("user_mfa_recovery_codes")
    .select(["code_hash", "used_at"])
    .where("user_id", "=", userId)
    .orderBy("code_hash")
    .execute();
}

async function mfaStatus(as: Credentials) {
  const res = await t.http.get("/api/v1/auth/mfa", as);
  expect(res.status).toBe(200);
  return res.body.data;
}

async function signInOptions(challengeToken: string) {
  const res = await t.http.post("/api/v1/auth/login/mfa/webauthn-options", { challengeToken });
  expect(res.status).toBe(200);
  return res.body.data;
}

/** The before and after of a person's latest audit record of `action`. */
async function auditChange(userId: string, action: string) {
  return t.system.db
    .selectFrom("audit_logs")
    .select(["before", "after"])
    .where("entity_id", "=", userId)
    .where("action", "=", action)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}

async function auditActions(userId: string): Promise<string[]> {
  const rows = await t.system.db
    .selectFrom("audit_logs")
    .select("action")
    .where("entity_id", "=", userId)
    .where("action", "like", "user.webauthn-%")
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.action);
}

describe("adding a security key", () => {
  it("stores the key with its public key, counter and transports, and audits it", async () => {
    const { user, creds, key, keyId } = await personWithKey();
    const row = await t.system.db
      .selectFrom("user_webauthn_credentials")
      .selectAll()
      .where("id", "=", keyId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      user_id: user.id,
      credential_id: key.id,
      name: "Desk key",
      transports: ["usb"],
      last_used_at: null,
    });
    expect(Number(row.counter)).toBe(0);
    expect(row.public_key.length).toBeGreaterThan(40);
    const list = await t.http.get(KEYS, creds);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: keyId, name: "Desk key", transports: ["usb"] }),
    ]);
    expect(await auditActions(user.id)).toEqual(["user.webauthn-add"]);
    // A second prompt excludes the key already registered.
    const again = await registrationOptions(creds);
    expect(again.excludeCredentials).toEqual([
      { id: key.id, type: "public-key", transports: ["usb"] },
    ]);
  });

  it("needs the password (or a current code) before the prompt, so a stolen session adds no key", async () => {
    const user = await makeUser(t);
    const creds = await signIn(t, user.email);
    const url = "/api/v1/auth/webauthn/registration-options";
    const none = await t.http.post(url, {}, creds);
    expect(none.status).toBe(400);
    const wrong = await t.http.post(url, { password: "not-the-password" }, creds);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
    const challenges = await t.system.db
      .selectFrom("webauthn_challenges")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(challenges).toEqual([]);
  });

  it("refuses a replayed challenge, a wrong origin and a key already registered", async () => {
    const user = await makeUser(t);
    const creds = await signIn(t, user.email);
    const key = authenticator();
    const options = await registrationOptions(creds);
    const wrongOrigin = await t.http.post(
      KEYS,
      { name: "Key", response: key.register(options, { origin: "https://evil.example" }) },
      creds,
    );
    expect(wrongOrigin.status).toBe(422);
    expect(wrongOrigin.body.error.code).toBe("WEBAUTHN_REGISTRATION_FAILED");
    // The failed answer spent the challenge: the right answer to it is refused too.
    const replay = await t.http.post(KEYS, { name: "Key", response: key.register(options) }, creds);
    expect(replay.status).toBe(422);
    const fresh = await registrationOptions(creds);
    const body = { name: "Key", response: key.register(fresh) };
    expect((await t.http.post(KEYS, body, creds)).status).toBe(201);
    expect((await t.http.post(KEYS, body, creds)).status).toBe(422);
    // Another person cannot register the same credential.
    const other = await signIn(t, (await makeUser(t)).email);
    const taken = await t.http.post(
      KEYS,
      { name: "Mine", response: key.register(await registrationOptions(other)) },
      other,
    );
    expect(taken.status).toBe(422);
    const keys = await t.system.db
      .selectFrom("user_webauthn_credentials")
      .select("user_id")
      .where("credential_id", "=", key.id)
      .execute();
    expect(keys).toEqual([{ user_id: user.id }]);
  });

  it("refuses a challenge another person was given, and an expired one", async () => {
    const a = await signIn(t, (await makeUser(t)).email);
    const b = await signIn(t, (await makeUser(t)).email);
    const key = authenticator();
    const forA = await registrationOptions(a);
    const stolen = await t.http.post(KEYS, { name: "K", response: key.register(forA) }, b);
    expect(stolen.status).toBe(422);
    const late = await registrationOptions(a);
    t.clock.advance(5 * 60_000 + 1);
    const expired = await t.http.post(KEYS, { name: "K", response: key.register(late) }, a);
    expect(expired.status).toBe(422);
  });

  it("refuses malformed answers with a validation error", async () => {
    const creds = await signIn(t, (await makeUser(t)).email);
    const options = await registrationOptions(creds);
    const response = authenticator().register(options);
    for (const body of [
      { name: "", response },
      { name: "K", response: { ...response, type: "password" } },
      { name: "K", response: { ...response, response: { clientDataJSON: "x" } } },
      { name: "K", response, extra: 1 },
    ]) {
      const res = await t.http.post(KEYS, body, creds);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe("signing in with a security key", () => {
  it("completes the second step, moves the counter on and records the use", async () => {
    const { user, key, keyId } = await personWithKey();
    const token = await passwordStep(user.email);
    const options = await signInOptions(token);
    expect(options.rpId).toBe(rp.id);
    expect(options.allowCredentials).toEqual([
      { id: key.id, type: "public-key", transports: ["usb"] },
    ]);
    const res = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: token,
      webauthn: key.assert(options),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const session = await t.system.db
      .selectFrom("user_sessions")
      .select("mfa_verified_at")
      .where("id", "=", res.body.data.sessionId)
      .executeTakeFirstOrThrow();
    expect(session.mfa_verified_at).not.toBeNull();
    const row = await t.system.db
      .selectFrom("user_webauthn_credentials")
      .select(["counter", "last_used_at"])
      .where("id", "=", keyId)
      .executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(1);
    expect(row.last_used_at).toEqual(t.clock.now());
    expect(await auditActions(user.id)).toEqual(["user.webauthn-add", "user.webauthn-use"]);
  });

  it("refuses a replayed assertion, a wrong origin and a counter that goes back", async () => {
    const { user, key } = await personWithKey();
    const token = await passwordStep(user.email);
    const options = await signInOptions(token);
    const wrongOrigin = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: token,
      webauthn: key.assert(options, { origin: "https://evil.example" }),
    });
    expect(wrongOrigin.status).toBe(401);
    expect(wrongOrigin.body.error.code).toBe("INVALID_MFA_CODE");
    // The challenge is spent, even by a wrong answer.
    const replay = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: token,
      webauthn: key.assert(options),
    });
    expect(replay.status).toBe(401);
    const good = key.assert(await signInOptions(token), { counter: 5 });
    const accepted = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: token,
      webauthn: good,
    });
    expect(accepted.status).toBe(200);
    // The same assertion in a new sign-in step: its challenge is not that step's.
    const second = await passwordStep(user.email);
    await signInOptions(second);
    const replayed = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: second,
      webauthn: good,
    });
    expect(replayed.status).toBe(401);
    // A cloned key answering an older count.
    const cloned = key.assert(await signInOptions(second), { counter: 3 });
    const regress = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: second,
      webauthn: cloned,
    });
    expect(regress.status).toBe(401);
    const row = await t.system.db
      .selectFrom("user_webauthn_credentials")
      .select("counter")
      .where("credential_id", "=", key.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(5);
    const failures = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("user_id", "=", user.id)
      .where("event", "=", "auth.webauthn-login-refused")
      .execute();
    expect(failures).toHaveLength(4);
  });

  it("refuses another person's key and counts toward the account's limit", async () => {
    const a = await personWithKey();
    const b = await personWithKey();
    const token = await passwordStep(a.user.email);
    for (let i = 0; i < 4; i++) {
      const res = await t.http.post("/api/v1/auth/login/mfa", {
        challengeToken: token,
        webauthn: b.key.assert(await signInOptions(token)),
      });
      expect(res.status).toBe(401);
    }
    // A fifth wrong answer spends the step.
    await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: token,
      webauthn: b.key.assert(await signInOptions(token)),
    });
    const spent = await t.http.post("/api/v1/auth/login/mfa/webauthn-options", {
      challengeToken: token,
    });
    expect(spent.status).toBe(401);
    expect(spent.body.error.code).toBe("MFA_CHALLENGE_INVALID");
    // Five more in a new step reach the account's limit of ten.
    const next = await passwordStep(a.user.email);
    for (let i = 0; i < 5; i++) {
      await t.http.post("/api/v1/auth/login/mfa", {
        challengeToken: next,
        webauthn: b.key.assert(await signInOptions(next)),
      });
    }
    const third = await passwordStep(a.user.email);
    const limited = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: third,
      webauthn: a.key.assert(await signInOptions(third)),
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
  });
});

describe("removing a security key", () => {
  it("needs the password, only touches one's own keys, and ends two-step sign-in with the last key", async () => {
    const { user, creds, keyId } = await personWithKey();
    const other = await personWithKey();
    const url = `${KEYS}/${keyId}/remove`;
    const wrong = await t.http.post(url, { password: "Not-It-123!" }, creds);
    expect(wrong.status).toBe(401);
    const noTotp = await t.http.post(url, { code: "123456" }, creds);
    expect(noTotp.status).toBe(409);
    const notMine = await t.http.post(url, { password: PASSWORD }, other.creds);
    expect(notMine.status).toBe(404);
    expect((await t.http.get(KEYS, creds)).body.data).toHaveLength(1);

    const removed = await t.http.post(url, { password: PASSWORD }, creds);
    expect(removed.status).toBe(200);
    expect((await t.http.get(KEYS, creds)).body.data).toEqual([]);
    expect(await auditActions(user.id)).toEqual(["user.webauthn-add", "user.webauthn-remove"]);
    const sessions = await t.system.db
      .selectFrom("user_sessions")
      .select("mfa_verified_at")
      .where("user_id", "=", user.id)
      .execute();
    expect(sessions.every((s) => s.mfa_verified_at === null)).toBe(true);
    const plain = await t.http.post("/api/v1/auth/login", {
      email: user.email,
      password: PASSWORD,
    });
    expect(plain.body.data.mfaRequired).toBeUndefined();
    expect(plain.body.data.sessionId).toBeTruthy();
  });
});

describe("an organization that requires MFA", () => {
  it("accepts a member whose only second factor is a security key", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [{ key: "member", roles: ["content-admin"] }],
    });
    const admin = people.admin;
    // The administrator qualifies with a key, too.
    await addKey(admin, authenticator());
    const put = await t.http.put(
      `/api/v1/organizations/${org.id}/security-settings`,
      {
        mfaRequired: true,
        sessionTimeoutMinutes: null,
        ipAllowList: [],
        passwordPolicy: {
          minLength: 8,
          minDigits: 1,
          minSpecial: 1,
          historyCount: 0,
          maxAgeDays: null,
        },
      },
      admin,
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const member = people.member as Credentials & { user: { email: string } };
    const orgUrl = `/api/v1/organizations/${org.id}`;
    const before = await t.http.get(orgUrl, member);
    expect(before.body.error.code).toBe("MFA_ENROLLMENT_REQUIRED");
    const key = authenticator();
    await addKey(member, key);
    expect((await t.http.get(orgUrl, member)).status).toBe(200);
    const token = await passwordStep(member.user.email);
    const done = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: token,
      webauthn: key.assert(await signInOptions(token)),
    });
    expect((await t.http.get(orgUrl, { token: done.body.data.tokens.accessToken })).status).toBe(
      200,
    );
  });
});

describe("recovery codes of an account with security keys", () => {
  it("answers ten codes with the first key only, stored hashed, and reports them in the status", async () => {
    const { user, creds, keyId, recoveryCodes } = await personWithKey();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    const stored = await storedCodes(user.id);
    expect(stored).toHaveLength(10);
    expect(stored.every((row) => row.used_at === null)).toBe(true);
    expect(stored.map((row) => row.code_hash)).not.toContain(recoveryCodes[0]);
    const key = await t.system.db
      .selectFrom("user_webauthn_credentials")
      .select("created_at")
      .where("id", "=", keyId)
      .executeTakeFirstOrThrow();
    expect(await mfaStatus(creds)).toEqual({
      enabled: true,
      methods: ["recovery-code", "webauthn"],
      pending: false,
      enabledAt: key.created_at.toISOString(),
      recoveryCodesRemaining: 10,
    });

    t.clock.advance(60_000);
    const second = await addKeyAnswer(creds, authenticator(), "Spare key");
    expect(second.recoveryCodes).toEqual([]);
    expect(await storedCodes(user.id)).toEqual(stored);
    expect((await mfaStatus(creds)).enabledAt).toBe(key.created_at.toISOString());
  });

  it("signs in with a recovery code, which is then used up", async () => {
    const { user, creds, recoveryCodes } = await personWithKey();
    const code = recoveryCodes[3] as string;
    const first = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: code,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data.user.id).toBe(user.id);
    const session = await t.system.db
      .selectFrom("user_sessions")
      .select("mfa_verified_at")
      .where("id", "=", first.body.data.sessionId)
      .executeTakeFirstOrThrow();
    expect(session.mfa_verified_at).toEqual(t.clock.now());
    const used = (await storedCodes(user.id)).filter((row) => row.used_at !== null);
    expect(used).toHaveLength(1);
    expect(used[0]?.used_at).toEqual(t.clock.now());

    const again = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: code,
    });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("INVALID_MFA_CODE");
    expect((await mfaStatus(creds)).recoveryCodesRemaining).toBe(9);
    const audits = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", user.id)
      .where("action", "=", "user.mfa-recovery-code-use")
      .execute();
    expect(audits).toHaveLength(1);
  });

  it("replaces the codes with the password; the old ones stop working", async () => {
    const { user, creds, recoveryCodes } = await personWithKey();
    const url = "/api/v1/auth/mfa/recovery-codes";
    // No authenticator app: a code cannot prove the owner.
    const withCode = await t.http.post(url, { code: "123456" }, creds);
    expect(withCode.status).toBe(409);
    expect(withCode.body.error.code).toBe("MFA_NOT_ENABLED");
    const wrong = await t.http.post(url, { password: "Not-It-123!" }, creds);
    expect(wrong.status).toBe(401);
    const before = await storedCodes(user.id);

    const fresh = await t.http.post(url, { password: PASSWORD }, creds);
    expect(fresh.status).toBe(200);
    const codes: string[] = fresh.body.data.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(codes).not.toContain(recoveryCodes[0]);
    const after = await storedCodes(user.id);
    expect(after).toHaveLength(10);
    expect(after.map((row) => row.code_hash)).not.toContain(before[0]?.code_hash);
    const old = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: recoveryCodes[0],
    });
    expect(old.body.error.code).toBe("INVALID_MFA_CODE");
    const viaNew = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: codes[0],
    });
    expect(viaNew.status).toBe(200);

    // An account without any second factor has no codes to replace.
    const plain = await signIn(t, (await makeUser(t)).email);
    const none = await t.http.post(url, { password: PASSWORD }, plain);
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("MFA_NOT_ENABLED");
  });

  it("keeps the codes while a key remains and deletes them with the last one", async () => {
    const { user, creds, keyId } = await personWithKey();
    const spareId = await addKey(creds, authenticator(), "Spare key");
    const codes = await storedCodes(user.id);
    const first = await t.http.post(`${KEYS}/${keyId}/remove`, { password: PASSWORD }, creds);
    expect(first.status).toBe(200);
    expect(await storedCodes(user.id)).toEqual(codes);
    expect((await mfaStatus(creds)).recoveryCodesRemaining).toBe(10);

    const last = await t.http.post(`${KEYS}/${spareId}/remove`, { password: PASSWORD }, creds);
    expect(last.status).toBe(200);
    expect(await storedCodes(user.id)).toEqual([]);
    expect(await mfaStatus(creds)).toEqual({
      enabled: false,
      methods: [],
      pending: false,
      enabledAt: null,
      recoveryCodesRemaining: 0,
    });
    // A key added afterwards is a first second factor again.
    const again = await addKeyAnswer(creds, authenticator(), "New key");
    expect(again.recoveryCodes).toHaveLength(10);
  });

  it("shares the codes with the authenticator app: adding it keeps them, turning it off while a key remains keeps them", async () => {
    const { user, creds, recoveryCodes } = await personWithKey();
    const codes = await storedCodes(user.id);
    const start = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, creds);
    expect(start.status).toBe(200);
    const confirm = await t.http.post(
      "/api/v1/auth/mfa/confirm",
      { code: totpCode(start.body.data.secret, t.clock.now()) },
      creds,
    );
    expect(confirm.status).toBe(200);
    expect(confirm.body.data.recoveryCodes).toEqual([]);
    expect(await storedCodes(user.id)).toEqual(codes);
    expect(await mfaStatus(creds)).toMatchObject({
      enabled: true,
      methods: ["totp", "recovery-code", "webauthn"],
      recoveryCodesRemaining: 10,
    });

    const off = await t.http.post("/api/v1/auth/mfa/disable", { password: PASSWORD }, creds);
    expect(off.status).toBe(200);
    expect(await storedCodes(user.id)).toEqual(codes);
    // The audit trail says two-step sign-in stayed on (the key remains).
    expect(await auditChange(user.id, "user.mfa-disable")).toEqual({
      before: { mfa_enabled: true, authenticator_app: true },
      after: { mfa_enabled: true, authenticator_app: false },
    });
    expect(await mfaStatus(creds)).toMatchObject({
      enabled: true,
      methods: ["recovery-code", "webauthn"],
      recoveryCodesRemaining: 10,
    });
    const sessions = await t.system.db
      .selectFrom("user_sessions")
      .select("mfa_verified_at")
      .where("id", "=", creds.sessionId)
      .executeTakeFirstOrThrow();
    expect(sessions.mfa_verified_at).not.toBeNull();
    const signedIn = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: await passwordStep(user.email),
      recoveryCode: recoveryCodes[0],
    });
    expect(signedIn.status).toBe(200);
    // Turning the app off a second time finds none.
    const twice = await t.http.post("/api/v1/auth/mfa/disable", { password: PASSWORD }, creds);
    expect(twice.body.error.code).toBe("MFA_NOT_ENABLED");
  });

  it("gives a key added after the app no new codes, and deletes the app's codes with the app once no key is left", async () => {
    const user = await makeUser(t);
    const creds = await signIn(t, user.email);
    const start = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, creds);
    const confirm = await t.http.post(
      "/api/v1/auth/mfa/confirm",
      { code: totpCode(start.body.data.secret, t.clock.now()) },
      creds,
    );
    expect(confirm.body.data.recoveryCodes).toHaveLength(10);
    const codes = await storedCodes(user.id);
    const { id, recoveryCodes } = await addKeyAnswer(creds, authenticator());
    expect(recoveryCodes).toEqual([]);
    expect(await storedCodes(user.id)).toEqual(codes);
    const removed = await t.http.post(`${KEYS}/${id}/remove`, { password: PASSWORD }, creds);
    expect(removed.status).toBe(200);
    expect(await storedCodes(user.id)).toEqual(codes);
    expect((await auditChange(user.id, "user.webauthn-remove"))?.after).toEqual({
      mfa_enabled: true,
    });
    const off = await t.http.post("/api/v1/auth/mfa/disable", { password: PASSWORD }, creds);
    expect(off.status).toBe(200);
    expect(await storedCodes(user.id)).toEqual([]);
    expect((await auditChange(user.id, "user.mfa-disable"))?.after).toEqual({
      mfa_enabled: false,
      authenticator_app: false,
    });
  });

  it("lets an account whose key came without codes create them, and offers no recovery code until then", async () => {
    const { user, creds } = await personWithKey();
    // Keys registered before recovery codes came with them: no codes at all.
    await t.system.db
      .deleteFrom("user_mfa_recovery_codes")
      .where("user_id", "=", user.id)
      .execute();
    expect(await mfaStatus(creds)).toMatchObject({
      enabled: true,
      methods: ["webauthn"],
      recoveryCodesRemaining: 0,
    });
    await passwordStep(user.email, ["webauthn"]);
    const created = await t.http.post(
      "/api/v1/auth/mfa/recovery-codes",
      { password: PASSWORD },
      creds,
    );
    expect(created.status).toBe(200);
    expect(created.body.data.recoveryCodes).toHaveLength(10);
    expect(await storedCodes(user.id)).toHaveLength(10);
    await passwordStep(user.email);
  });
});
