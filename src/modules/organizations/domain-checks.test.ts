import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signIn } from "../../../test/factories.js";
import { FakeDnsServer } from "../../../test/fake-dns.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { DAY } from "../../platform/clock.js";
import { recheckDomains } from "./domain-checks.js";
import { addMember } from "./service.js";

let t: TestApp;
let dns: FakeDnsServer;
beforeAll(async () => {
  dns = await FakeDnsServer.start();
  t = await createTestApp({ env: { DNS_SERVERS: dns.address } });
});
afterAll(async () => {
  await t.close();
  await dns.close();
});

const RECORD = "_lyceum-challenge.rechecked.example";

describe("the periodic re-check of verified domains", () => {
  it("marks a domain whose record is gone and mails its administrators once, dropping nobody", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [
        { key: "hr", roles: ["hr-admin"] },
        { key: "learner", roles: ["learner"] },
      ],
    });
    const claimed = await t.http.post(
      `/api/v1/organizations/${org.id}/domains`,
      { domain: "rechecked.example" },
      people.admin,
    );
    dns.setTxt(RECORD, [claimed.body.data.record.value]);
    const verifyUrl = `/api/v1/organizations/${org.id}/domains/${claimed.body.data.id}/verify`;
    expect((await t.http.post(verifyUrl, {}, people.admin)).status).toBe(200);
    const staff = await makeUser(t, { email: "staff@rechecked.example" });
    await addMember(t.system, org.id, { userId: staff.id, source: "domain" });
    // A domain the platform vouched for has no record to look up.
    const vouched = await makeOrganization(t, { domain: "vouched.example" });

    // Checked less than a week ago: nothing to do.
    expect(await recheckDomains(t.system)).toEqual({
      checked: 0,
      found: 0,
      missing: 0,
      unanswered: 0,
    });
    t.clock.advance(8 * DAY);
    expect(await recheckDomains(t.system)).toMatchObject({ checked: 1, found: 1 });

    dns.remove(RECORD);
    t.clock.advance(8 * DAY);
    const lostAt = t.clock.now();
    expect(await recheckDomains(t.system)).toMatchObject({ checked: 1, missing: 1 });
    const row = await t.system.db
      .selectFrom("organization_domains")
      .select(["status", "record_missing_since", "last_checked_at"])
      .where("id", "=", claimed.body.data.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: "verified",
      record_missing_since: lostAt,
      last_checked_at: lostAt,
    });
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select("to_address")
      .where("template", "=", "domain-record-missing")
      .orderBy("to_address")
      .execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual(
      [people.admin.user.email, people.hr?.user.email].sort(),
    );
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", claimed.body.data.id)
      .where("action", "=", "domain.record-missing")
      .execute();
    expect(audit).toHaveLength(1);
    const members = await t.system.db
      .selectFrom("organization_members")
      .select("user_id")
      .where("organization_id", "=", org.id)
      .execute();
    expect(members).toHaveLength(4);

    // Still missing a week later: checked, but no second mail and the first date kept.
    t.clock.advance(8 * DAY);
    expect(await recheckDomains(t.system)).toMatchObject({ checked: 1, missing: 1 });
    const again = await t.system.db
      .selectFrom("mail_outbox")
      .select("id")
      .where("template", "=", "domain-record-missing")
      .execute();
    expect(again).toHaveLength(2);

    // A name server that does not answer changes nothing.
    dns.fail(RECORD);
    t.clock.advance(8 * DAY);
    expect(await recheckDomains(t.system)).toMatchObject({ checked: 1, unanswered: 1 });

    // Once the record is back, verifying again clears the mark (so would the next re-check).
    dns.setTxt(RECORD, [claimed.body.data.record.value]);
    const hr = await signIn(t, people.hr?.user.email as string);
    const cleared = await t.http.post(verifyUrl, {}, hr);
    expect(cleared.status).toBe(200);
    expect(cleared.body.data).toMatchObject({ status: "verified", recordMissingSince: null });
    // The domain the platform vouched for was never looked up.
    expect(dns.queries.filter((q) => q.name.endsWith("vouched.example"))).toEqual([]);
    expect(vouched.org.id).not.toBe(org.id);
  });

  it("mails only the people whose role to manage domains is still in force", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [
        { key: "current", roles: ["hr-admin"] },
        { key: "former", roles: ["hr-admin"] },
      ],
    });
    const record = "_lyceum-challenge.lapsed-roles.example";
    const claimed = await t.http.post(
      `/api/v1/organizations/${org.id}/domains`,
      { domain: "lapsed-roles.example" },
      people.admin,
    );
    dns.setTxt(record, [claimed.body.data.record.value]);
    const verifyUrl = `/api/v1/organizations/${org.id}/domains/${claimed.body.data.id}/verify`;
    expect((await t.http.post(verifyUrl, {}, people.admin)).status).toBe(200);
    // The former administrator's role ran out before the record went missing.
    await t.system.db
      .updateTable("user_roles")
      .set({ expires_at: new Date(t.clock.now().getTime() + DAY) })
      .where("organization_id", "=", org.id)
      .where("user_id", "=", people.former?.user.id as string)
      .execute();
    dns.remove(record);
    t.clock.advance(8 * DAY);
    await recheckDomains(t.system);
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select("to_address")
      .where("template", "=", "domain-record-missing")
      .where("organization_id", "=", org.id)
      .execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual(
      [people.admin.user.email, people.current?.user.email].sort(),
    );
  });
});
