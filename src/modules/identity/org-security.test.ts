import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, PASSWORD, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import type { Lyceum } from "../../app.js";
import { queryCount } from "../../db/connection.js";
import { addMember } from "../organizations/service.js";
import { ipAllowed, parseCidr } from "./org-security.js";
import { OrganizationSecurityCache } from "./org-security-cache.js";
import { totpCode } from "./totp.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const DEFAULTS = {
  mfaRequired: false,
  sessionTimeoutMinutes: null,
  ipAllowList: [] as string[],
  passwordPolicy: { minLength: 8, minDigits: 1, minSpecial: 1, historyCount: 0, maxAgeDays: null },
};

const settingsUrl = (orgId: string) => `/api/v1/organizations/${orgId}/security-settings`;

/** A request from a given client address (to this Lyceum, or to another on the same database). */
async function from(ip: string, url: string, as: Credentials, lyceum: Lyceum = t.lyceum) {
  const res = await lyceum.app.inject({
    method: "GET",
    url,
    remoteAddress: ip,
    headers: { authorization: `Bearer ${as.token}` },
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

async function enrollMfa(token: string): Promise<string> {
  const start = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, { token });
  const secret: string = start.body.data.secret;
  const confirm = await t.http.post(
    "/api/v1/auth/mfa/confirm",
    { code: totpCode(secret, t.clock.now()) },
    { token },
  );
  expect(confirm.status).toBe(200);
  t.clock.advance(30_000);
  return secret;
}

/** Two organizations; `both` is a member (with read access) of each. */
async function twoOrganizations() {
  const a = await makeOrganization(t, { people: [{ key: "both", roles: ["content-admin"] }] });
  const b = await makeOrganization(t);
  const both = a.people.both;
  if (!both) throw new Error("no member");
  await addMember(t.system, b.org.id, { userId: both.user.id, roleKeys: ["content-admin"] });
  return { a, b, both };
}

describe("input and permissions", () => {
  it("answers the platform's defaults until set, and only to organization administrators", async () => {
    const { a, both } = await twoOrganizations();
    const read = await t.http.get(settingsUrl(a.org.id), a.people.admin);
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(DEFAULTS);
    expect((await t.http.get(settingsUrl(a.org.id), both)).status).toBe(403);
    const put = await t.http.put(settingsUrl(a.org.id), DEFAULTS, both);
    expect(put.status).toBe(403);
  });

  it("refuses bad input and changes nothing", async () => {
    const { a } = await twoOrganizations();
    for (const body of [
      { ...DEFAULTS, ipAllowList: ["10.0.0.0/33"] },
      { ...DEFAULTS, ipAllowList: ["not-an-address"] },
      { ...DEFAULTS, passwordPolicy: { ...DEFAULTS.passwordPolicy, minLength: 6 } },
      { ...DEFAULTS, sessionTimeoutMinutes: 0 },
      { ...DEFAULTS, extra: true },
      { mfaRequired: true },
    ]) {
      const res = await t.http.put(settingsUrl(a.org.id), body, a.people.admin);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const stored = await t.system.db
      .selectFrom("organization_security_settings")
      .selectAll()
      .where("organization_id", "=", a.org.id)
      .execute();
    expect(stored).toEqual([]);
  });

  it("reads CIDR networks of both families", () => {
    expect(parseCidr("192.168.1.0/24")).toEqual({
      address: "192.168.1.0",
      prefix: 24,
      family: "ipv4",
    });
    expect(parseCidr("2001:DB8::/32")).toEqual({
      address: "2001:db8::",
      prefix: 32,
      family: "ipv6",
    });
    expect(parseCidr("10.0.0.1")).toEqual({ address: "10.0.0.1", prefix: 32, family: "ipv4" });
    expect(parseCidr("10.0.0.0/x")).toBeNull();
    expect(ipAllowed("::ffff:192.168.1.7", ["192.168.1.0/24"])).toBe(true);
    expect(ipAllowed("192.168.2.7", ["192.168.1.0/24"])).toBe(false);
    expect(ipAllowed("2001:db8:5::1", ["2001:db8::/32"])).toBe(true);
    expect(ipAllowed("2001:db9::1", ["2001:db8::/32"])).toBe(false);
    expect(ipAllowed(null, [])).toBe(true);
  });
});

describe("IP allow-list", () => {
  it("refuses people from other addresses in the organization only, never its admin's own", async () => {
    const { a, b, both } = await twoOrganizations();
    const lockout = await t.http.put(
      settingsUrl(a.org.id),
      { ...DEFAULTS, ipAllowList: ["10.0.0.0/8"] },
      a.people.admin,
    );
    expect(lockout.status).toBe(422);
    expect(lockout.body.error.code).toBe("IP_ALLOW_LIST_LOCKOUT");
    const saved = await t.http.put(
      settingsUrl(a.org.id),
      { ...DEFAULTS, ipAllowList: ["127.0.0.1", "2001:db8::/32", "10.1.0.0/16"] },
      a.people.admin,
    );
    expect(saved.status).toBe(200);
    expect(saved.body.data.ipAllowList).toEqual(["127.0.0.1/32", "2001:db8::/32", "10.1.0.0/16"]);
    const orgA = `/api/v1/organizations/${a.org.id}`;
    const refused = await from("192.0.2.5", orgA, both);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("IP_NOT_ALLOWED");
    expect((await from("2001:db8:1::9", orgA, both)).status).toBe(200);
    expect((await from("10.1.200.3", orgA, both)).status).toBe(200);
    // Organization B has no list: the same person from the same address is welcome there.
    expect((await from("192.0.2.5", `/api/v1/organizations/${b.org.id}`, both)).status).toBe(200);
    // Outside any organization's scope (their own profile) nothing changes.
    expect((await from("192.0.2.5", "/api/v1/users/me", both)).status).toBe(200);
    const log = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("organization_id", "=", a.org.id)
      .where("event", "=", "organization.ip-refused")
      .execute();
    expect(log).toHaveLength(1);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "risk_level", "after"])
      .where("organization_id", "=", a.org.id)
      .where("action", "=", "organization.security-settings-update")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.risk_level).toBe("high");
  });
});

describe("MFA required", () => {
  it("sends members without MFA to enroll, refuses password-only sessions, and leaves other organizations alone", async () => {
    const { a, b, both } = await twoOrganizations();
    const first = await t.http.put(
      settingsUrl(a.org.id),
      { ...DEFAULTS, mfaRequired: true },
      a.people.admin,
    );
    expect(first.status).toBe(403);
    expect(first.body.error.code).toBe("MFA_ENROLLMENT_REQUIRED");
    await enrollMfa(a.people.admin.token as string);
    const saved = await t.http.put(
      settingsUrl(a.org.id),
      { ...DEFAULTS, mfaRequired: true },
      a.people.admin,
    );
    expect(saved.status).toBe(200);

    const orgA = `/api/v1/organizations/${a.org.id}`;
    const orgB = `/api/v1/organizations/${b.org.id}`;
    const refused = await t.http.get(orgA, both);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("MFA_ENROLLMENT_REQUIRED");
    expect((await t.http.get(orgB, both)).status).toBe(200);

    // A second session, signed in with the password alone, before enrolling.
    const other = await signIn(t, both.user.email);
    const secret = await enrollMfa(both.token as string);
    // The session that confirmed the code passes; the password-only one does not.
    expect((await t.http.get(orgA, both)).status).toBe(200);
    const passwordOnly = await t.http.get(orgA, other);
    expect(passwordOnly.status).toBe(403);
    expect(passwordOnly.body.error.code).toBe("MFA_SESSION_REQUIRED");
    expect((await t.http.get(orgB, other)).status).toBe(200);
    // Signing in again with a code opens a session that passes.
    const step = await t.http.post("/api/v1/auth/login", {
      email: both.user.email,
      password: PASSWORD,
    });
    const done = await t.http.post("/api/v1/auth/login/mfa", {
      challengeToken: step.body.data.challengeToken,
      code: totpCode(secret, t.clock.now()),
    });
    expect((await t.http.get(orgA, { token: done.body.data.tokens.accessToken })).status).toBe(200);
  });
});

describe("idle session timeout", () => {
  it("ends a session idle in the organization past its timeout, there only", async () => {
    const { a, b, both } = await twoOrganizations();
    await t.http.put(
      settingsUrl(a.org.id),
      { ...DEFAULTS, sessionTimeoutMinutes: 30 },
      a.people.admin,
    );
    const session = await signIn(t, both.user.email);
    const orgA = `/api/v1/organizations/${a.org.id}`;
    const orgB = `/api/v1/organizations/${b.org.id}`;
    expect((await t.http.get(orgA, session)).status).toBe(200);

    // Access tokens last 15 minutes: refresh the same session as the web app does.
    const refresh = async (refreshToken: string) => {
      const res = await t.http.post("/api/v1/auth/refresh", { refreshToken });
      return {
        token: res.body.data.tokens.accessToken,
        refreshToken: res.body.data.tokens.refreshToken,
      };
    };
    t.clock.advance(20 * MINUTE);
    let current = await refresh(session.refreshToken);
    expect((await t.http.get(orgA, current)).status).toBe(200);
    t.clock.advance(29 * MINUTE);
    current = await refresh(current.refreshToken);
    expect((await t.http.get(orgA, current)).status).toBe(200);
    t.clock.advance(31 * MINUTE);
    current = await refresh(current.refreshToken);
    const idle = await t.http.get(orgA, current);
    expect(idle.status).toBe(401);
    expect(idle.body.error.code).toBe("SESSION_IDLE_TIMEOUT");
    // Organization B has no timeout; the session still works there.
    expect((await t.http.get(orgB, current)).status).toBe(200);
    const fresh = await signIn(t, both.user.email);
    expect((await t.http.get(orgA, fresh)).status).toBe(200);
  });
});

describe("password policy", () => {
  it("applies the strictest policy of a person's organizations when they set a password, and its maximum age at sign-in", async () => {
    const { a, b, both } = await twoOrganizations();
    const policyA = { minLength: 14, minDigits: 2, minSpecial: 1, historyCount: 3, maxAgeDays: 90 };
    await t.http.put(
      settingsUrl(a.org.id),
      { ...DEFAULTS, passwordPolicy: policyA },
      a.people.admin,
    );
    await t.http.put(
      settingsUrl(b.org.id),
      {
        ...DEFAULTS,
        passwordPolicy: { ...DEFAULTS.passwordPolicy, minLength: 10, maxAgeDays: 30 },
      },
      b.people.admin,
    );
    const change = (currentPassword: string, newPassword: string, as: Credentials) =>
      t.http.post("/api/v1/auth/change-password", { currentPassword, newPassword }, as);

    const short = await change(PASSWORD, "Short-Pass-1!", both);
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe("WEAK_PASSWORD");
    const oneDigit = await change(PASSWORD, "Long-Password-One-1!", both);
    expect(oneDigit.body.error.code).toBe("WEAK_PASSWORD");
    const same = await change(PASSWORD, PASSWORD, both);
    expect(same.status).toBe(422);
    // PASSWORD is 16 characters but has one digit: refused as weak before reuse is considered.
    expect(same.body.error.code).toBe("WEAK_PASSWORD");
    const first = "First-Password-12!";
    expect((await change(PASSWORD, first, both)).status).toBe(200);
    const second = "Second-Password-34!";
    expect((await change(first, second, both)).status).toBe(200);
    const back = await change(second, first, both);
    expect(back.status).toBe(422);
    expect(back.body.error.code).toBe("PASSWORD_REUSED");
    const history = await t.system.db
      .selectFrom("password_history")
      .select("password_hash")
      .where("user_id", "=", both.user.id)
      .execute();
    expect(history).toHaveLength(2);
    expect(history.map((h) => h.password_hash)).not.toContain(first);

    // Someone outside both organizations keeps the platform's rules.
    const outsider = await makeUser(t);
    const outsiderSession = await signIn(t, outsider.email);
    expect((await change(PASSWORD, "Plain-Pass-9!", outsiderSession)).status).toBe(200);

    // B's 30 days are stricter than A's 90.
    t.clock.advance(29 * DAY);
    expect(
      (await t.http.post("/api/v1/auth/login", { email: both.user.email, password: second }))
        .status,
    ).toBe(200);
    t.clock.advance(2 * DAY);
    const expired = await t.http.post("/api/v1/auth/login", {
      email: both.user.email,
      password: second,
    });
    expect(expired.status).toBe(403);
    expect(expired.body.error.code).toBe("PASSWORD_EXPIRED");
    // The outsider's old password is still fine.
    expect(
      (
        await t.http.post("/api/v1/auth/login", {
          email: outsider.email,
          password: "Plain-Pass-9!",
        })
      ).status,
    ).toBe(200);
  });
});

describe("the guard's cost", () => {
  /** Statements one request ran. */
  async function statementsOf(request: () => Promise<unknown>): Promise<number> {
    const before = queryCount(t.lyceum.services.db);
    await request();
    return queryCount(t.lyceum.services.db) - before;
  }

  it("reads nothing in an organization that enforces nothing, once where it does, and follows a change at once", async () => {
    const { a, both } = await twoOrganizations();
    const orgA = `/api/v1/organizations/${a.org.id}`;
    const get = async () => expect((await t.http.get(orgA, both)).status).toBe(200);
    await get();
    const none = await statementsOf(get);
    expect(await statementsOf(get)).toBe(none);

    // Settings that enforce nothing on requests (a password policy) cost nothing either.
    const strict = { ...DEFAULTS.passwordPolicy, minLength: 12 };
    const policy = { ...DEFAULTS, passwordPolicy: strict };
    expect((await t.http.put(settingsUrl(a.org.id), policy, a.people.admin)).status).toBe(200);
    await get();
    expect(await statementsOf(get)).toBe(none);

    // An idle timeout is checked against the session on every request: one query.
    const timeout = { ...policy, sessionTimeoutMinutes: 30 };
    expect((await t.http.put(settingsUrl(a.org.id), timeout, a.people.admin)).status).toBe(200);
    await get();
    expect(await statementsOf(get)).toBe(none + 1);

    // Taken away again: the first request reads the settings, the next ones nothing.
    expect((await t.http.put(settingsUrl(a.org.id), policy, a.people.admin)).status).toBe(200);
    expect(await statementsOf(get)).toBe(none + 1);
    expect(await statementsOf(get)).toBe(none);
  });

  it("refuses at once in another process that knew the organization enforced nothing", async () => {
    const { a, both } = await twoOrganizations();
    const other = await t.sibling();
    const orgA = `/api/v1/organizations/${a.org.id}`;
    for (let i = 0; i < 2; i++)
      expect((await from("192.0.2.5", orgA, both, other)).status).toBe(200);
    const saved = await t.http.put(
      settingsUrl(a.org.id),
      { ...DEFAULTS, ipAllowList: ["127.0.0.1"] },
      a.people.admin,
    );
    expect(saved.status).toBe(200);
    const refused = await from("192.0.2.5", orgA, both, other);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("IP_NOT_ALLOWED");
  });

  it("does not keep a read that a change overtook, and forgets the oldest organization first", () => {
    const cache = new OrganizationSecurityCache(2);
    const before = cache.generation;
    cache.drop("o1");
    cache.store(before, "o1", false);
    expect(cache.enforces("o1")).toBeUndefined();
    for (const id of ["o1", "o2", "o3"]) cache.store(cache.generation, id, id === "o3");
    expect(cache.enforces("o1")).toBeUndefined();
    expect(cache.enforces("o2")).toBe(false);
    expect(cache.enforces("o3")).toBe(true);
  });
});
