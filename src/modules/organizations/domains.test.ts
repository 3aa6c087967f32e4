import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, registerAndVerify, signIn } from "../../../test/factories.js";
import { FakeDnsServer } from "../../../test/fake-dns.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { syncCatalog } from "../access/provision.js";

let t: TestApp;
let dns: FakeDnsServer;
let platform: Credentials;
beforeAll(async () => {
  dns = await FakeDnsServer.start();
  t = await createTestApp({ env: { DNS_SERVERS: dns.address } });
  const admin = await makeUser(t, { platformAdmin: true });
  platform = await signIn(t, admin.email);
});
afterAll(async () => {
  await t.close();
  await dns.close();
});

const domainsUrl = (orgId: string) => `/api/v1/organizations/${orgId}/domains`;

async function claim(orgId: string, domain: string, as: Credentials) {
  const res = await t.http.post(domainsUrl(orgId), { domain }, as);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; record: { name: string; value: string } };
}

describe("verified email domains", () => {
  it("are claimed, proven through their TXT record, and then let the organization add its people", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [{ key: "hr", roles: ["hr-admin"] }],
    });
    const url = domainsUrl(org.id);
    const res = await t.http.post(url, { domain: " Acme-Proof.Example. " }, people.admin);
    expect(res.status).toBe(201);
    const token = (
      await t.system.db
        .selectFrom("organization_domains")
        .selectAll()
        .where("id", "=", res.body.data.id)
        .executeTakeFirstOrThrow()
    ).verification_token;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.data).toMatchObject({
      organizationId: org.id,
      domain: "acme-proof.example",
      status: "pending",
      verificationMethod: null,
      verifiedAt: null,
      record: {
        type: "TXT",
        name: "_lyceum-challenge.acme-proof.example",
        value: `lyceum-verification=${token}`,
      },
    });
    const claimId = res.body.data.id;
    const verify = `${url}/${claimId}/verify`;

    // Nothing published yet: refused, with what to publish.
    const missing = await t.http.post(verify, {}, people.hr);
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({
      code: "DOMAIN_VERIFICATION_FAILED",
      details: {
        reason: "record-not-found",
        recordName: "_lyceum-challenge.acme-proof.example",
        expected: `lyceum-verification=${token}`,
        found: [],
      },
    });
    // A record with another value (someone else's token) is refused too.
    dns.setTxt("_lyceum-challenge.acme-proof.example", ["lyceum-verification=not-ours"]);
    const wrong = await t.http.post(verify, {}, people.hr);
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details).toMatchObject({
      reason: "value-mismatch",
      found: ["lyceum-verification=not-ours"],
    });
    expect((await t.http.get(`${url}/${claimId}`, people.admin)).body.data.status).toBe("pending");

    // The right value among other records verifies it.
    dns.setTxt("_lyceum-challenge.acme-proof.example", [
      "v=spf1 -all",
      `lyceum-verification=${token}`,
    ]);
    const ok = await t.http.post(verify, {}, people.hr);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({
      status: "verified",
      verificationMethod: "dns",
      verifiedAt: t.clock.now().toISOString(),
      verifiedBy: people.hr?.user.id,
      lastCheckedAt: t.clock.now().toISOString(),
    });
    expect(dns.queries.filter((q) => q.name === "_lyceum-challenge.acme-proof.example")).toEqual(
      [1, 2, 3].map(() => ({ name: "_lyceum-challenge.acme-proof.example", type: 16 })),
    );
    const shown = await t.http.get(`/api/v1/organizations/${org.id}`, people.admin);
    expect(shown.body.data.domains).toEqual(["acme-proof.example"]);
    const listed = await t.http.get(url, people.admin);
    expect(listed.body.data.map((d: { domain: string }) => d.domain)).toEqual([
      "acme-proof.example",
    ]);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", claimId)
      .orderBy("created_at")
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["domain.claim", "domain.verify"]);

    // An account that verified an address at the domain is added at once…
    const insider = await makeUser(t, { email: "insider@acme-proof.example" });
    const added = await t.http.post(
      `/api/v1/organizations/${org.id}/members`,
      { email: "Insider@acme-proof.example", roleKeys: ["instructor"] },
      people.admin,
    );
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ userId: insider.id, source: "admin" });
    expect(added.body.data.roles).toEqual(["instructor"]);
    const invitesToInsider = await t.system.db
      .selectFrom("organization_invites")
      .select("id")
      .where("email", "=", "insider@acme-proof.example")
      .execute();
    expect(invitesToInsider).toEqual([]);
    // …while an unverified account there, an address without one, and an account elsewhere
    // are invited, exactly as before.
    await makeUser(t, { email: "unproven@acme-proof.example", verified: false });
    const outsider = await makeUser(t);
    for (const email of [
      "unproven@acme-proof.example",
      "nobody@acme-proof.example",
      outsider.email,
    ]) {
      const invited = await t.http.post(
        `/api/v1/organizations/${org.id}/members`,
        { email },
        people.admin,
      );
      expect(invited.status, email).toBe(202);
      expect(invited.body.data.invite).toMatchObject({ email, status: "pending" });
    }

    // Auto-join is the organization's own switch, and takes in verified people of the domain.
    const on = await t.http.patch(
      `/api/v1/organizations/${org.id}`,
      { autoJoin: true },
      people.admin,
    );
    expect(on.status).toBe(200);
    expect((await registerAndVerify(t, "joiner@acme-proof.example")).status).toBe(200);
    const joined = await t.system.db
      .selectFrom("organization_members as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select(["u.email", "m.source"])
      .where("m.organization_id", "=", org.id)
      .where("m.source", "=", "domain")
      .execute();
    expect(joined).toEqual([{ email: "joiner@acme-proof.example", source: "domain" }]);
  });

  it("let nobody in while a claim is pending", async () => {
    const { org, people } = await makeOrganization(t);
    await claim(org.id, "pending-only.example", people.admin);
    await t.http.patch(`/api/v1/organizations/${org.id}`, { autoJoin: true }, people.admin);
    await makeUser(t, { email: "known@pending-only.example" });
    const res = await t.http.post(
      `/api/v1/organizations/${org.id}/members`,
      { email: "known@pending-only.example" },
      people.admin,
    );
    expect(res.status).toBe(202);
    await registerAndVerify(t, "fresh@pending-only.example");
    const members = await t.system.db
      .selectFrom("organization_members")
      .select("user_id")
      .where("organization_id", "=", org.id)
      .execute();
    expect(members.map((m) => m.user_id)).toEqual([people.admin.user.id]);
  });

  it("refuse public mail domains, things that are not domains, and a second claim", async () => {
    const { org, people } = await makeOrganization(t);
    for (const domain of ["gmail.com", "GMAIL.COM", "outlook.com", "yahoo.com", "mail.gmx.de"]) {
      const res = await t.http.post(domainsUrl(org.id), { domain }, people.admin);
      expect(res.status, domain).toBe(422);
      expect(res.body.error).toMatchObject({ code: "PUBLIC_EMAIL_DOMAIN", field: "domain" });
    }
    for (const domain of [
      "not a domain",
      "localhost",
      "-bad-.example",
      "a..example",
      "x@y.example",
    ]) {
      const res = await t.http.post(domainsUrl(org.id), { domain }, people.admin);
      expect(res.status, domain).toBe(400);
      expect(res.body.error).toMatchObject({ code: "VALIDATION_ERROR", field: "domain" });
    }
    await claim(org.id, "twice.example", people.admin);
    const again = await t.http.post(domainsUrl(org.id), { domain: "Twice.Example" }, people.admin);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_EXISTS");
    // International names are stored in their ASCII form.
    const idn = await claim(org.id, "bücher.example", people.admin);
    expect(idn.record.name).toBe("_lyceum-challenge.xn--bcher-kva.example");
    // Platform administrators cannot create an organization around a public domain either.
    const created = await t.http.post(
      "/api/v1/organizations",
      { name: "Mail For All", domain: "gmail.com" },
      platform,
    );
    expect(created.status).toBe(422);
    expect(created.body.error.code).toBe("PUBLIC_EMAIL_DOMAIN");
  });

  it("cannot be verified by a second organization", async () => {
    const a = await makeOrganization(t);
    const b = await makeOrganization(t);
    const claimA = await claim(a.org.id, "contested.example", a.people.admin);
    const claimB = await claim(b.org.id, "contested.example", b.people.admin);
    expect(claimA.record.value).not.toBe(claimB.record.value);
    dns.setTxt("_lyceum-challenge.contested.example", [claimA.record.value, claimB.record.value]);
    const verifyA = await t.http.post(
      `${domainsUrl(a.org.id)}/${claimA.id}/verify`,
      {},
      a.people.admin,
    );
    expect(verifyA.status).toBe(200);
    const verifyB = await t.http.post(
      `${domainsUrl(b.org.id)}/${claimB.id}/verify`,
      {},
      b.people.admin,
    );
    expect(verifyB.status).toBe(409);
    expect(verifyB.body.error.code).toBe("DOMAIN_TAKEN");
    const c = await makeOrganization(t);
    const claimC = await t.http.post(
      domainsUrl(c.org.id),
      { domain: "contested.example" },
      c.people.admin,
    );
    expect(claimC.status).toBe(409);
    expect(claimC.body.error.code).toBe("DOMAIN_TAKEN");
    // Nor by the platform's word, nor when creating an organization.
    const vouched = await t.http.post(
      `${domainsUrl(b.org.id)}/${claimB.id}/verify`,
      { skipDnsCheck: true },
      platform,
    );
    expect(vouched.status).toBe(409);
    const created = await t.http.post(
      "/api/v1/organizations",
      { name: "Contested Too", domain: "contested.example" },
      platform,
    );
    expect(created.status).toBe(409);

    // Once A lets the domain go, B's proof counts; A's members stay.
    const removed = await t.http.delete(`${domainsUrl(a.org.id)}/${claimA.id}`, a.people.admin);
    expect(removed.status).toBe(200);
    const stored = await t.system.db
      .selectFrom("organization_domains")
      .select("organization_id")
      .where("domain", "=", "contested.example")
      .execute();
    expect(stored).toEqual([{ organization_id: b.org.id }]);
    const retry = await t.http.post(
      `${domainsUrl(b.org.id)}/${claimB.id}/verify`,
      {},
      b.people.admin,
    );
    expect(retry.status).toBe(200);
    expect(retry.body.data.status).toBe("verified");
  });

  it("answer DNS_LOOKUP_FAILED when no name server answers, and change nothing", async () => {
    const { org, people } = await makeOrganization(t);
    const claimed = await claim(org.id, "servfail.example", people.admin);
    dns.fail("_lyceum-challenge.servfail.example");
    const res = await t.http.post(`${domainsUrl(org.id)}/${claimed.id}/verify`, {}, people.admin);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      code: "DNS_LOOKUP_FAILED",
      details: { recordName: "_lyceum-challenge.servfail.example", reason: "ESERVFAIL" },
    });
    const row = await t.system.db
      .selectFrom("organization_domains")
      .select(["status", "verified_at"])
      .where("id", "=", claimed.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "pending", verified_at: null });
  });

  it("are vouched for without DNS by platform administrators only", async () => {
    const { org, people } = await makeOrganization(t);
    const claimed = await claim(org.id, "no-dns.example", people.admin);
    const verify = `${domainsUrl(org.id)}/${claimed.id}/verify`;
    const refused = await t.http.post(verify, { skipDnsCheck: true }, people.admin);
    expect(refused.status).toBe(403);
    expect(refused.body.error.field).toBe("skipDnsCheck");
    const before = dns.queries.length;
    const vouched = await t.http.post(verify, { skipDnsCheck: true }, platform);
    expect(vouched.status).toBe(200);
    expect(vouched.body.data).toMatchObject({
      status: "verified",
      verificationMethod: "platform",
      lastCheckedAt: null,
    });
    expect(dns.queries.length).toBe(before);
    // Organizations created by the platform with a domain get it verified the same way.
    const created = await t.http.post(
      "/api/v1/organizations",
      { name: "Platform Made", domain: "platform-made.example" },
      platform,
    );
    expect(created.status).toBe(201);
    expect(created.body.data.domains).toEqual(["platform-made.example"]);
  });

  it("are managed by holders of domains:manage only, inside their own organization", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [
        { key: "learner", roles: ["learner"] },
        { key: "coordinator", roles: ["training-coordinator"] },
      ],
    });
    const claimed = await claim(org.id, "guarded.example", people.admin);
    for (const who of ["learner", "coordinator"]) {
      const as = people[who] as Credentials;
      expect((await t.http.get(domainsUrl(org.id), as)).status, who).toBe(403);
      expect((await t.http.post(domainsUrl(org.id), { domain: "x.example" }, as)).status).toBe(403);
      expect((await t.http.delete(`${domainsUrl(org.id)}/${claimed.id}`, as)).status).toBe(403);
    }
    const other = await makeOrganization(t);
    // Another organization's administrator, through its own organization's path.
    for (const res of [
      await t.http.get(`${domainsUrl(other.org.id)}/${claimed.id}`, other.people.admin),
      await t.http.post(`${domainsUrl(other.org.id)}/${claimed.id}/verify`, {}, other.people.admin),
      await t.http.delete(`${domainsUrl(other.org.id)}/${claimed.id}`, other.people.admin),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await t.http.get(domainsUrl(other.org.id), other.people.admin)).body.data).toEqual([]);
    const still = await t.system.db
      .selectFrom("organization_domains")
      .select("status")
      .where("id", "=", claimed.id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe("pending");
  });

  it("are released when their organization is deleted", async () => {
    const gone = await makeOrganization(t, { domain: "released.example" });
    expect((await t.http.delete(`/api/v1/organizations/${gone.org.id}`, platform)).status).toBe(
      200,
    );
    const rows = await t.system.db
      .selectFrom("organization_domains")
      .select("id")
      .where("domain", "=", "released.example")
      .execute();
    expect(rows).toEqual([]);
    const next = await makeOrganization(t);
    const claimed = await claim(next.org.id, "released.example", next.people.admin);
    const vouched = await t.http.post(
      `${domainsUrl(next.org.id)}/${claimed.id}/verify`,
      { skipDnsCheck: true },
      platform,
    );
    expect(vouched.status).toBe(200);
  });

  it("are managed by the built-in roles of organizations made before the permission existed", async () => {
    const { org } = await makeOrganization(t);
    // The database as it was before domains:manage: no such permission, granted to nobody.
    await t.system.db
      .deleteFrom("role_permissions")
      .where("permission_key", "like", "domains:%")
      .execute();
    await t.system.db.deleteFrom("permissions").where("key", "like", "domains:%").execute();
    const { added } = await syncCatalog(t.system.db);
    expect(added.sort()).toEqual(["domains:manage:all", "domains:manage:organization"]);
    const holders = await t.system.db
      .selectFrom("role_permissions as rp")
      .innerJoin("roles as r", "r.id", "rp.role_id")
      .select(["r.key", "rp.permission_key"])
      .where("rp.permission_key", "like", "domains:%")
      .where((eb) =>
        eb.or([eb("r.organization_id", "=", org.id), eb("r.organization_id", "is", null)]),
      )
      .orderBy("r.key")
      .execute();
    expect(holders).toEqual([
      { key: "hr-admin", permission_key: "domains:manage:organization" },
      { key: "org-admin", permission_key: "domains:manage:organization" },
      { key: "platform-admin", permission_key: "domains:manage:all" },
    ]);
  });
});
