import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeOrganization,
  makeUser,
  PASSWORD,
  registerAndVerify,
  signIn,
} from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { ORGANIZATION_ROLES } from "../access/catalog.js";
import { addMember, createOrganization } from "./service.js";

let t: TestApp;
let platform: Credentials;
beforeAll(async () => {
  t = await createTestApp();
  const admin = await makeUser(t, { platformAdmin: true });
  platform = await signIn(t, admin.email);
});
afterAll(() => t.close());

describe("organizations", () => {
  it("are created by platform administrators with their own built-in roles and a first administrator", async () => {
    const owner = await makeUser(t);
    const res = await t.http.post(
      "/api/v1/organizations",
      { name: "Acme Academy", domain: "Acme.Example", seatsPurchased: 10, adminEmail: owner.email },
      platform,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: "Acme Academy",
      slug: "acme-academy",
      domains: ["acme.example"],
      seats: { purchased: 10, used: 1, available: 9 },
    });
    const orgId = res.body.data.id;
    const roles = await t.system.db
      .selectFrom("roles")
      .select("key")
      .where("organization_id", "=", orgId)
      .execute();
    expect(roles.map((r) => r.key).sort()).toEqual(ORGANIZATION_ROLES.map((r) => r.key).sort());
    const member = await t.system.db
      .selectFrom("organization_members")
      .selectAll()
      .where("organization_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(member.user_id).toBe(owner.id);
    const ownerCreds = await signIn(t, owner.email);
    const me = await t.http.get("/api/v1/users/me", ownerCreds);
    expect(me.body.data.memberships[0].roles).toContain("org-admin");
    expect(me.body.data.memberships[0].permissions).toContain("roles:manage:organization");

    const dupSlug = await t.http.post("/api/v1/organizations", { name: "Acme Academy" }, platform);
    expect(dupSlug.body.error.code).toBe("SLUG_TAKEN");
    const dupDomain = await t.http.post(
      "/api/v1/organizations",
      { name: "Other", domain: "acme.example" },
      platform,
    );
    expect(dupDomain.body.error.code).toBe("DOMAIN_TAKEN");
    const asOwner = await t.http.post("/api/v1/organizations", { name: "Mine" }, ownerCreds);
    expect(asOwner.status).toBe(403);
  });

  it("are listed to their members, and all of them to platform administrators", async () => {
    const a = await makeOrganization(t, { name: "Listed Alpha" });
    await makeOrganization(t, { name: "Listed Beta" });
    const mine = await t.http.get("/api/v1/organizations", a.people.admin);
    expect(mine.body.data.map((o: { name: string }) => o.name)).toEqual(["Listed Alpha"]);
    const all = await t.http.get("/api/v1/organizations?search=listed", platform);
    expect(all.body.data.map((o: { name: string }) => o.name)).toEqual([
      "Listed Alpha",
      "Listed Beta",
    ]);
    expect(all.body.meta.pagination.total).toBe(2);
  });

  it("are updated by their administrators within the rules", async () => {
    const { org, people } = await makeOrganization(t, {
      seats: 5,
      people: [{ key: "learner", roles: ["learner"] }],
    });
    const url = `/api/v1/organizations/${org.id}`;
    const ok = await t.http.patch(
      url,
      {
        name: "Renamed",
        timezone: "America/New_York",
        seatsPurchased: 3,
        autoJoinRole: "instructor",
      },
      people.admin,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({
      name: "Renamed",
      timezone: "America/New_York",
      autoJoinRole: "instructor",
      seats: { purchased: 3, used: 2 },
    });
    const tooFew = await t.http.patch(url, { seatsPurchased: 1 }, people.admin);
    expect(tooFew.status).toBe(422);
    expect(tooFew.body.error.field).toBe("seatsPurchased");
    expect((await t.http.patch(url, { timezone: "Nowhere/City" }, people.admin)).status).toBe(400);
    expect((await t.http.patch(url, { autoJoinRole: "ghost" }, people.admin)).status).toBe(404);
    expect((await t.http.patch(url, { status: "suspended" }, people.admin)).status).toBe(403);
    // Domains are claimed and proven under /domains, never typed into the settings; auto-join
    // only ever applies to verified ones, so it is the organization's own choice.
    expect((await t.http.patch(url, { domain: "acme.example" }, people.admin)).status).toBe(400);
    const autoJoin = await t.http.patch(url, { autoJoin: true }, people.admin);
    expect(autoJoin.status).toBe(200);
    expect(autoJoin.body.data).toMatchObject({ autoJoin: true, domains: [] });
    expect((await t.http.patch(url, { autoJoin: false }, people.admin)).status).toBe(200);
    expect((await t.http.patch(url, { name: "By learner" }, people.learner)).status).toBe(403);
    const stored = await t.system.db
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ name: "Renamed", seats_purchased: 3, status: "active" });
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("entity_id", "=", org.id)
      .where("action", "=", "organization.update")
      .execute();
    // The rename and seats, auto-join on, auto-join off.
    expect(audit).toHaveLength(3);
    expect(audit.map((a) => a.before)).toContainEqual(
      expect.objectContaining({ name: org.name, seats_purchased: 5 }),
    );
  });

  it("suspended by the platform lose their members' organization permissions", async () => {
    const { org, people } = await makeOrganization(t);
    expect((await t.http.get(`/api/v1/organizations/${org.id}`, people.admin)).status).toBe(200);
    const res = await t.http.patch(
      `/api/v1/organizations/${org.id}`,
      { status: "suspended" },
      platform,
    );
    expect(res.body.data.status).toBe("suspended");
    expect((await t.http.get(`/api/v1/organizations/${org.id}`, people.admin)).status).toBe(403);
    await t.http.patch(`/api/v1/organizations/${org.id}`, { status: "active" }, platform);
    expect((await t.http.get(`/api/v1/organizations/${org.id}`, people.admin)).status).toBe(200);
  });

  it("deleted by the platform disappear, with their API keys revoked", async () => {
    const { org, people } = await makeOrganization(t);
    const key = await t.http.post(
      `/api/v1/organizations/${org.id}/api-keys`,
      { name: "k", scopes: ["members:read:organization"] },
      people.admin,
    );
    expect((await t.http.delete(`/api/v1/organizations/${org.id}`, people.admin)).status).toBe(403);
    expect((await t.http.delete(`/api/v1/organizations/${org.id}`, platform)).status).toBe(200);
    expect((await t.http.get(`/api/v1/organizations/${org.id}`, platform)).status).toBe(404);
    expect(
      (
        await t.http.get(`/api/v1/organizations/${org.id}/members`, {
          apiKey: key.body.data.secret,
        })
      ).status,
    ).toBe(401);
    const mine = await t.http.get("/api/v1/organizations", people.admin);
    expect(mine.body.data).toEqual([]);
  });
});

describe("seats", () => {
  it("are never oversold, even by concurrent joins", async () => {
    const org = await createOrganization(t.system, { name: "Tiny Seats", seatsPurchased: 5 });
    const users = await Promise.all(Array.from({ length: 12 }, () => makeUser(t)));
    const results = await Promise.allSettled(
      users.map((u) => addMember(t.system, org.id, { userId: u.id })),
    );
    const joined = results.filter((r) => r.status === "fulfilled").length;
    expect(joined).toBe(5);
    const refused = results
      .filter((r) => r.status === "rejected")
      .map((r) => (r as PromiseRejectedResult).reason.code);
    expect(new Set(refused)).toEqual(new Set(["SEATS_EXHAUSTED"]));
    const row = await t.system.db
      .selectFrom("organizations")
      .select(["seats_used"])
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    const members = await t.system.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", org.id)
      .execute();
    expect(row.seats_used).toBe(5);
    expect(members).toHaveLength(5);
  });
});

describe("email-domain auto-join", () => {
  it("adds verified people of the domain with the auto-join role", async () => {
    const { org } = await makeOrganization(t, { domain: "autojoin.example" });
    await t.system.db
      .updateTable("organizations")
      .set({ auto_join_role: "report-viewer" })
      .where("id", "=", org.id)
      .execute();
    await t.http.post("/api/v1/auth/register", {
      email: "new@autojoin.example",
      password: PASSWORD,
      firstName: "N",
      lastName: "U",
    });
    const before = await t.system.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", org.id)
      .execute();
    expect(before).toHaveLength(1);
    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .select("text_body")
      .where("to_address", "=", "new@autojoin.example")
      .executeTakeFirstOrThrow();
    await t.http.post("/api/v1/auth/verify-email", {
      token: decodeURIComponent(/token=([\w-]+)/.exec(mail.text_body)?.[1] ?? ""),
    });
    const creds = await signIn(t, "new@autojoin.example");
    const me = await t.http.get("/api/v1/users/me", creds);
    expect(me.body.data.memberships).toHaveLength(1);
    expect(me.body.data.memberships[0].organization.id).toBe(org.id);
    expect(me.body.data.memberships[0].roles.sort()).toEqual(["learner", "report-viewer"]);
    const member = await t.system.db
      .selectFrom("organization_members")
      .selectAll()
      .where("organization_id", "=", org.id)
      .where("source", "=", "domain")
      .execute();
    expect(member).toHaveLength(1);
  });

  it("skips a full organization without failing the verification, and ignores organizations without auto-join", async () => {
    const { org } = await makeOrganization(t, { domain: "full.example", seats: 1 });
    const verified = await registerAndVerify(t, "late@full.example");
    expect(verified.status).toBe(200);
    const members = await t.system.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", org.id)
      .execute();
    expect(members).toHaveLength(1);
    const log = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("organization_id", "=", org.id)
      .execute();
    expect(log.map((l) => l.event)).toContain("organization.auto-join-skipped");

    const closed = await makeOrganization(t, { domain: "closed.example" });
    await t.system.db
      .updateTable("organizations")
      .set({ auto_join: false })
      .where("id", "=", closed.org.id)
      .execute();
    await registerAndVerify(t, "someone@closed.example");
    const closedMembers = await t.system.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", closed.org.id)
      .execute();
    expect(closedMembers).toHaveLength(1);
  });
});
