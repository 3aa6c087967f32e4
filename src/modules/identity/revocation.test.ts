import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, PASSWORD, signIn } from "../../../test/factories.js";
import {
  type Credentials,
  createTestApp,
  HttpClient,
  type TestApp,
} from "../../../test/harness.js";
import type { Lyceum } from "../../app.js";
import { queryCount } from "../../db/connection.js";
import { FEED_APPLICATION } from "../../db/listener.js";

// Sessions and grants are kept in each process and dropped when the database announces a
// change; none of that may delay a revocation: the very next request is refused.

let t: TestApp;
let platformAdmin: Credentials;
beforeAll(async () => {
  t = await createTestApp();
  platformAdmin = await signIn(t, (await makeUser(t, { platformAdmin: true })).email);
});
afterAll(() => t.close());

/** A person with a role that reads the members list of a fresh organization. */
async function world(app: TestApp = t) {
  const w = await makeOrganization(app, { people: [{ key: "hr", roles: ["hr-admin"] }] });
  const members = `/api/v1/organizations/${w.org.id}/members`;
  return { ...w, members, hr: w.people.hr as NonNullable<typeof w.people.hr> };
}

/** Statements one request ran. */
async function statementsOf(request: () => Promise<unknown>): Promise<number> {
  const before = queryCount(t.lyceum.services.db);
  await request();
  return queryCount(t.lyceum.services.db) - before;
}

/** Two successful requests, so the session and grants are in the cache. */
async function warm(app: { http: HttpClient }, url: string, as: Credentials): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await app.http.get(url, as)).status).toBe(200);
}

/** An API key of the organization that reads its members, and how to revoke it (answered status). */
async function membersKey(orgId: string, admin: Credentials) {
  const created = await t.http.post(
    `/api/v1/organizations/${orgId}/api-keys`,
    { name: "Sync", scopes: ["members:read:organization"] },
    admin,
  );
  const revoke = async () =>
    (
      await t.http.post(
        `/api/v1/organizations/${orgId}/api-keys/${created.body.data.key.id}/revoke`,
        {},
        admin,
      )
    ).status;
  return { key: { apiKey: created.body.data.secret as string }, revoke };
}

describe("the session cache", () => {
  it("answers a known session without asking the database again", async () => {
    const { hr, members } = await world();
    const first = await statementsOf(() => t.http.get(members, hr));
    const second = await statementsOf(() => t.http.get(members, hr));
    // The session check, the grants and the organization's security settings are not read again.
    expect(first - second).toBe(3);
  });
});

describe("revocation takes effect on the very next request", () => {
  it("after logout", async () => {
    const { hr } = await world();
    await warm(t, "/api/v1/users/me", hr);
    expect((await t.http.post("/api/v1/auth/logout", {}, hr)).status).toBe(200);
    expect((await t.http.get("/api/v1/users/me", hr)).body.error.code).toBe("SESSION_REVOKED");
  });

  it("after another session revokes this one", async () => {
    const { hr } = await world();
    const other = await signIn(t, hr.user.email);
    await warm(t, "/api/v1/users/me", other);
    const res = await t.http.delete(`/api/v1/auth/sessions/${other.sessionId}`, hr);
    expect(res.status).toBe(200);
    expect((await t.http.get("/api/v1/users/me", other)).body.error.code).toBe("SESSION_REVOKED");
    expect((await t.http.get("/api/v1/users/me", hr)).status).toBe(200);
  });

  it("after a password change, for every other session", async () => {
    const { hr } = await world();
    const other = await signIn(t, hr.user.email);
    await warm(t, "/api/v1/users/me", other);
    await warm(t, "/api/v1/users/me", hr);
    const res = await t.http.post(
      "/api/v1/auth/change-password",
      { currentPassword: PASSWORD, newPassword: "Another-Horse-10!" },
      hr,
    );
    expect(res.status).toBe(200);
    expect((await t.http.get("/api/v1/users/me", other)).body.error.code).toBe("SESSION_REVOKED");
    expect((await t.http.get("/api/v1/users/me", hr)).status).toBe(200);
  });

  it("after the account is suspended", async () => {
    const { hr } = await world();
    await warm(t, "/api/v1/users/me", hr);
    const res = await t.http.patch(
      `/api/v1/users/${hr.user.id}/status`,
      { status: "suspended", reason: "test" },
      platformAdmin,
    );
    expect(res.status).toBe(200);
    expect((await t.http.get("/api/v1/users/me", hr)).status).toBe(401);
  });

  it("after a role is taken away", async () => {
    const { hr, members, org, people } = await world();
    await warm(t, members, hr);
    const assignments = await t.http.get(
      `/api/v1/organizations/${org.id}/role-assignments?userId=${hr.user.id}&roleKey=hr-admin`,
      people.admin,
    );
    const id = assignments.body.data[0].id as string;
    const removed = await t.http.delete(
      `/api/v1/organizations/${org.id}/role-assignments/${id}`,
      people.admin,
    );
    expect(removed.status).toBe(200);
    expect((await t.http.get(members, hr)).status).toBe(403);
  });

  it("after the membership is suspended, and after the organization is", async () => {
    const { hr, members, org, people } = await world();
    await warm(t, members, hr);
    const suspended = await t.http.patch(
      `${members}/${hr.user.id}`,
      { status: "suspended" },
      people.admin,
    );
    expect(suspended.status).toBe(200);
    expect((await t.http.get(members, hr)).status).toBe(403);
    await warm(t, members, people.admin);
    const off = await t.http.patch(
      `/api/v1/organizations/${org.id}`,
      { status: "suspended" },
      platformAdmin,
    );
    expect(off.status).toBe(200);
    expect((await t.http.get(members, people.admin)).status).toBe(403);
  });

  it("after an API key is revoked", async () => {
    const { org, people, members } = await world();
    const { key, revoke } = await membersKey(org.id, people.admin);
    await warm(t, members, key);
    expect(await revoke()).toBe(200);
    expect((await t.http.get(members, key)).body.error.code).toBe("INVALID_API_KEY");
  });

  it("after a change made straight in the database, as another process or the CLI would", async () => {
    const w = await world();
    const { members } = w;
    const hr = { ...w.hr, ...(await signIn(t, w.hr.user.email)) };
    await warm(t, members, hr);
    // The clock of these tests is not the database's: expire the role by the test clock.
    const past = new Date(t.clock.now().getTime() - 1000);
    await sql`update user_roles set expires_at = ${past} where user_id = ${hr.user.id}`.execute(
      t.system.db,
    );
    expect((await t.http.get(members, hr)).status).toBe(403);
    await sql`update user_sessions set revoked_at = now() where id = ${hr.sessionId}`.execute(
      t.system.db,
    );
    expect((await t.http.get("/api/v1/users/me", hr)).body.error.code).toBe("SESSION_REVOKED");
  });

  it("when a role assignment expires by the clock", async () => {
    const { hr, members, org, people } = await world();
    const expiresAt = new Date(t.clock.now().getTime() + 60_000).toISOString();
    await t.http.post(
      `/api/v1/organizations/${org.id}/role-assignments`,
      { userId: people.admin.user.id, roleKey: "report-viewer", expiresAt },
      people.admin,
    );
    const viewer = await makeUser(t);
    const { addMember } = await import("../organizations/service.js");
    await addMember(t.system, org.id, { userId: viewer.id, roleKeys: ["learner"] });
    const assigned = await t.http.post(
      `/api/v1/organizations/${org.id}/role-assignments`,
      { userId: viewer.id, roleKey: "hr-admin", expiresAt },
      people.admin,
    );
    expect(assigned.status).toBe(201);
    const creds = await signIn(t, viewer.email);
    await warm(t, members, creds);
    t.clock.advance(61_000);
    expect((await t.http.get(members, creds)).status).toBe(403);
    expect((await t.http.get(members, hr)).status).toBe(200);
  });
});

// A sibling is another Lyceum on the same database: its own caches and its own change feed
// (on a server, its own listening connection), as a second process has.
describe("two processes on one database", () => {
  let b: { lyceum: Lyceum; http: HttpClient };
  beforeAll(async () => {
    const lyceum = await t.sibling();
    b = { lyceum, http: new HttpClient(lyceum) };
  });

  it("refuse a session signed out in the other one on the very next request", async () => {
    const { hr } = await world();
    await warm(b, "/api/v1/users/me", hr);
    expect((await t.http.post("/api/v1/auth/logout", {}, hr)).status).toBe(200);
    expect((await b.http.get("/api/v1/users/me", hr)).body.error.code).toBe("SESSION_REVOKED");
  });

  it("refuse a suspended account and a role taken away in the other one", async () => {
    const { hr, members, org, people } = await world();
    await warm(b, members, hr);
    const assignments = await t.http.get(
      `/api/v1/organizations/${org.id}/role-assignments?userId=${hr.user.id}&roleKey=hr-admin`,
      people.admin,
    );
    await t.http.delete(
      `/api/v1/organizations/${org.id}/role-assignments/${assignments.body.data[0].id}`,
      people.admin,
    );
    expect((await b.http.get(members, hr)).status).toBe(403);
    await warm(b, "/api/v1/users/me", people.admin);
    await t.http.patch(
      `/api/v1/users/${people.admin.user.id}/status`,
      { status: "suspended", reason: "test" },
      platformAdmin,
    );
    expect((await b.http.get("/api/v1/users/me", people.admin)).status).toBe(401);
  });

  it("refuse an API key revoked in the other one", async () => {
    const { org, people, members } = await world();
    const { key, revoke } = await membersKey(org.id, people.admin);
    await warm(b, members, key);
    await revoke();
    expect((await b.http.get(members, key)).body.error.code).toBe("INVALID_API_KEY");
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "check every request in the database while the change feed is down",
    async () => {
      const w = await world();
      const { members } = w;
      const hr = await signIn(t, w.hr.user.email);
      await warm(b, members, hr);
      const cut = await sql<{ pid: number }>`
      select pg_terminate_backend(pid) as pid from pg_stat_activity
      where application_name = ${FEED_APPLICATION} and datname = current_database()`.execute(
        t.system.db,
      );
      expect(cut.rows.length).toBe(2);
      const served = await statementsOf(() => b.http.get(members, hr));
      await sql`update user_sessions set revoked_at = now() where id = ${hr.sessionId}`.execute(
        t.system.db,
      );
      expect((await b.http.get(members, hr)).body.error.code).toBe("SESSION_REVOKED");
      expect((await t.http.get(members, hr)).body.error.code).toBe("SESSION_REVOKED");
      // Without the feed the session and the grants were read again.
      expect(served).toBeGreaterThanOrEqual(3);
    },
  );
});
