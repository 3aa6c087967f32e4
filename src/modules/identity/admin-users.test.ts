import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD, signedInUser, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { addMember, createOrganization } from "../organizations/service.js";

let t: TestApp;
let admin: Credentials;
let orgId: string;
beforeAll(async () => {
  t = await createTestApp();
  const platformAdmin = await makeUser(t, {
    platformAdmin: true,
    firstName: "Pat",
    lastName: "Platform",
  });
  admin = await signIn(t, platformAdmin.email);
  const org = await createOrganization(t.system, { name: "Listing Org" });
  orgId = org.id;
  for (const [first, last, verified] of [
    ["Zoe", "Zimmer", true],
    ["Yann", "Young", true],
    ["Xavier", "Percent%", false],
  ] as const) {
    const u = await makeUser(t, {
      firstName: first,
      lastName: last,
      verified,
      email: `${first.toLowerCase()}@list.example`,
    });
    if (first !== "Xavier")
      await addMember(t.system, orgId, {
        userId: u.id,
        roleKeys: first === "Zoe" ? ["learner", "instructor"] : ["learner"],
      });
    t.clock.advance(60_000);
  }
});
afterAll(() => t.close());

describe("admin list of people", () => {
  it("is for platform administrators only", async () => {
    const { token } = await signedInUser(t);
    expect((await t.http.get("/api/v1/users", { token })).status).toBe(403);
    expect((await t.http.get("/api/v1/users", admin)).status).toBe(200);
    const logged = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("event", "=", "admin.users-listed")
      .execute();
    expect(logged).toHaveLength(1);
  });

  it("filters by organization, role, verification and creation time, with organizations and roles per person", async () => {
    const byOrg = await t.http.get(`/api/v1/users?organizationId=${orgId}&sort=lastName`, admin);
    expect(byOrg.body.data.map((u: { lastName: string }) => u.lastName)).toEqual([
      "Young",
      "Zimmer",
    ]);
    expect(byOrg.body.data[1].organizations).toEqual([{ id: orgId, name: "Listing Org" }]);
    expect(byOrg.body.data[1].roles).toEqual(["instructor", "learner"]);
    const byRole = await t.http.get("/api/v1/users?role=instructor", admin);
    expect(byRole.body.data.map((u: { firstName: string }) => u.firstName)).toEqual(["Zoe"]);
    const unverified = await t.http.get("/api/v1/users?emailVerified=false", admin);
    expect(unverified.body.data.map((u: { firstName: string }) => u.firstName)).toEqual(["Xavier"]);
    const zoe = byOrg.body.data[1];
    const after = await t.http.get(
      `/api/v1/users?search=list.example&createdFrom=${encodeURIComponent(zoe.createdAt)}&sort=createdAt`,
      admin,
    );
    expect(after.body.data.map((u: { firstName: string }) => u.firstName)).toEqual([
      "Zoe",
      "Yann",
      "Xavier",
    ]);
  });

  it("searches names and emails, taking wildcards literally", async () => {
    const byName = await t.http.get("/api/v1/users?search=zimm", admin);
    expect(byName.body.data.map((u: { firstName: string }) => u.firstName)).toEqual(["Zoe"]);
    const full = await t.http.get(
      `/api/v1/users?search=${encodeURIComponent("yann young")}`,
      admin,
    );
    expect(full.body.data).toHaveLength(1);
    const literal = await t.http.get(`/api/v1/users?search=${encodeURIComponent("%")}`, admin);
    expect(literal.body.data.map((u: { firstName: string }) => u.firstName)).toEqual(["Xavier"]);
  });

  it("sorts and pages with pagination meta", async () => {
    const page1 = await t.http.get(
      "/api/v1/users?search=list.example&limit=2&page=1&sort=-createdAt",
      admin,
    );
    const page2 = await t.http.get(
      "/api/v1/users?search=list.example&limit=2&page=2&sort=-createdAt",
      admin,
    );
    expect(page1.body.meta.pagination).toMatchObject({
      page: 1,
      limit: 2,
      total: 3,
      totalPages: 2,
      hasNext: true,
      hasPrev: false,
    });
    expect(page2.body.meta.pagination).toMatchObject({ page: 2, hasNext: false, hasPrev: true });
    const names = [...page1.body.data, ...page2.body.data].map(
      (u: { firstName: string }) => u.firstName,
    );
    expect(names).toEqual(["Xavier", "Yann", "Zoe"]);
    const bad = await t.http.get("/api/v1/users?sort=password", admin);
    expect(bad.status).toBe(400);
    const tooMany = await t.http.get("/api/v1/users?limit=1000", admin);
    expect(tooMany.body.error.field).toBe("limit");
  });

  it("suspends an account, signing it out everywhere, and reactivates it", async () => {
    const victim = await signedInUser(t);
    const res = await t.http.patch(
      `/api/v1/users/${victim.user.id}/status`,
      { status: "suspended", reason: "abuse" },
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.user.status).toBe("suspended");
    expect((await t.http.get("/api/v1/users/me", victim)).body.error.code).toBe("SESSION_REVOKED");
    const sessions = await t.system.db
      .selectFrom("user_sessions")
      .select("revoked_reason")
      .where("user_id", "=", victim.user.id)
      .execute();
    expect(sessions.map((s) => s.revoked_reason)).toEqual(["account-suspended"]);
    const login = await t.http.post("/api/v1/auth/login", {
      email: victim.user.email,
      password: PASSWORD,
    });
    expect(login.body.error.code).toBe("ACCOUNT_SUSPENDED");
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("entity_id", "=", victim.user.id)
      .where("action", "=", "user.suspend")
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ status: "suspended", suspended_reason: "abuse" });
    const back = await t.http.patch(
      `/api/v1/users/${victim.user.id}/status`,
      { status: "active" },
      admin,
    );
    expect(back.body.data.user.status).toBe("active");
  });

  it("shows one person to themselves and to platform administrators, to nobody else", async () => {
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    expect((await t.http.get(`/api/v1/users/${a.user.id}`, a)).status).toBe(200);
    expect((await t.http.get(`/api/v1/users/${a.user.id}`, admin)).status).toBe(200);
    expect((await t.http.get(`/api/v1/users/${a.user.id}`, b)).status).toBe(404);
  });
});
