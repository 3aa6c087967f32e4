import { gunzipSync } from "node:zlib";
import JSZip from "jszip";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  earlyMarchView,
  makeOrganization,
  makeUser,
  publishedCourse,
  signIn,
  uniqueEmail,
} from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { drainJobs } from "../../../test/jobs.js";
import { sealAllAuditChains, verifyAuditChains } from "../../platform/audit/chain.js";
import { addMember } from "../organizations/service.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;
let platform: Awaited<ReturnType<typeof signIn>>;
let courseId: string;
let courseB: string;

beforeAll(async () => {
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Private A",
    people: [
      { key: "Lea", roles: ["learner"] },
      { key: "Max", roles: ["learner", "manager"] },
    ],
  });
  b = await makeOrganization(t, { name: "Private B" });
  const root = await makeUser(t, { platformAdmin: true });
  platform = await signIn(t, root.email);
  courseId = (
    await publishedCourse(t, {
      code: "GDPR",
      title: "Data protection",
      instructorId: a.people.admin.user.id,
      organizationId: a.org.id,
    })
  ).id;
  courseB = (
    await publishedCourse(t, {
      code: "GDPRB",
      title: "Data protection",
      instructorId: b.people.admin.user.id,
      organizationId: b.org.id,
    })
  ).id;
});
afterAll(() => t.close());

/** A member with a name and address found nowhere else, enrolled, named in audit records. */
async function distinctPerson(org = a) {
  const stamp = uniqueEmail("x").split("@")[0]?.replace(/\W/g, "") ?? "";
  const firstName = "Quintessa";
  const lastName = `Zephyrine${stamp.slice(-6)}`;
  const email = `quintessa.${stamp}@example.com`;
  const user = await makeUser(t, { firstName, lastName, email });
  await addMember(t.system, org.org.id, { userId: user.id, roleKeys: ["learner"] });
  const creds = await signIn(t, email);
  const assigned = await t.http.post(
    `/api/v1/organizations/${org.org.id}/enrollments`,
    { userIds: [user.id], courseId: org === a ? courseId : courseB },
    org.people.admin,
  );
  expect(assigned.status).toBe(200);
  // An administrator's change of the member's title is audited with the values.
  const changed = await t.http.patch(
    `/api/v1/organizations/${org.org.id}/members/${user.id}`,
    { title: `Keeper of ${lastName}` },
    org.people.admin,
  );
  expect(changed.status).toBe(200);
  await t.system.db
    .insertInto("notifications")
    .values({
      user_id: user.id,
      organization_id: org.org.id,
      type: "reminder",
      title: `Hello ${firstName} ${lastName}`,
      body: `Write to ${email}`,
    })
    .execute();
  await sealAllAuditChains(t.system);
  return { user, email, firstName, lastName, creds };
}

/**
 * Rows the other parts of the platform keep about the person and that name them: a webhook
 * delivery's payload, a notification's delivery log and waiting digest item, an exemption's
 * reason; and, on the account, second-factor secrets and earlier password hashes.
 */
async function rowsOfOtherModules(p: Awaited<ReturnType<typeof distinctPerson>>, org = a) {
  const db = t.system.db;
  const userId = p.user.id;
  const fullName = `${p.firstName} ${p.lastName}`;
  const course = org === a ? courseId : courseB;
  const endpoint = await sql<{ id: string }>`
    insert into webhook_endpoints (organization_id, url, secret_sealed, secret_key_id)
    values (${org.org.id}, 'https://hooks.example.com/in', 'sealed', 'k1') returning id`.execute(
    db,
  );
  await sql`
    insert into webhook_deliveries (organization_id, endpoint_id, event_id, event_type, payload)
    values (${org.org.id}, ${endpoint.rows[0]!.id}, ${crypto.randomUUID()}, 'certificate.revoked',
      ${JSON.stringify({ data: { userId, reason: `Issued to ${p.email} by mistake` } })}::jsonb)`.execute(
    db,
  );
  const delivery = await sql<{ id: string }>`
    insert into notification_deliveries (user_id, organization_id, type, channel, language, reason)
    values (${userId}, ${org.org.id}, 'reminder', 'email', 'en', ${`Bounced for ${p.email}`})
    returning id`.execute(db);
  await sql`
    insert into notification_digest_items (user_id, organization_id, delivery_id, type, frequency, subject, body)
    values (${userId}, ${org.org.id}, ${delivery.rows[0]!.id}, 'reminder', 'daily',
      ${`Hello ${fullName}`}, ${`Due soon for ${p.email}`})`.execute(db);
  const requirement = await sql<{ id: string }>`
    insert into compliance_requirements (organization_id, name, jurisdiction, course_id)
    values (${org.org.id}, 'Data protection', 'EU', ${course}) returning id`.execute(db);
  await sql`
    insert into compliance_exemptions (organization_id, requirement_id, user_id, reason, approved_by)
    values (${org.org.id}, ${requirement.rows[0]!.id}, ${userId}, ${`${fullName} took it elsewhere`},
      ${org.people.admin.user.id})`.execute(db);
  await sql`insert into user_mfa (user_id, secret_sealed) values (${userId}, 'sealed')`.execute(db);
  await sql`insert into user_mfa_recovery_codes (user_id, code_hash) values (${userId}, 'h')`.execute(
    db,
  );
  await sql`
    insert into mfa_challenges (user_id, token_hash, transport, expires_at)
    values (${userId}, ${`t-${userId}`}, 'bearer', now() + interval '5 minutes')`.execute(db);
  await sql`insert into password_history (user_id, password_hash) values (${userId}, 'old')`.execute(
    db,
  );
}

/** How many rows each table keyed by the person holds. */
async function rowsOfUser(userId: string, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const r = await sql<{ n: number }>`
      select count(*)::integer as n from ${sql.table(table)} where user_id = ${userId}`.execute(
      t.system.db,
    );
    out[table] = r.rows[0]?.n ?? 0;
  }
  return out;
}

const ACCOUNT_TABLES = [
  "user_mfa",
  "user_mfa_recovery_codes",
  "mfa_challenges",
  "password_history",
];

/** Every row of the organization's tables (those with an organization_id) that mentions `needle`. */
async function mentions(organizationId: string, needle: string): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
    where c.table_schema = current_schema() and c.column_name = 'organization_id' and t.table_type = 'BASE TABLE'`.execute(
    t.system.db,
  );
  const found: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ n: number }>`
      select count(*)::integer as n from ${sql.table(table_name)} x
      where x.organization_id = ${organizationId}::uuid and strpos(lower(x::text), lower(${needle})) > 0`.execute(
      t.system.db,
    );
    if (rows.rows[0]?.n) found.push(table_name);
  }
  return found;
}

async function fetchFile(url: string, who: { token?: string }) {
  const res = await t.lyceum.app.inject({
    method: "GET",
    url,
    headers: { authorization: `Bearer ${who.token}` },
  });
  return { status: res.statusCode, raw: res.rawPayload };
}

const verify = async (org: typeof a) => {
  const res = await t.http.get(
    `/api/v1/organizations/${org.org.id}/audit-logs/verification`,
    org.people.admin,
  );
  expect(res.status).toBe(200);
  return res.body.data as { ok: boolean; broken: { id: string | null; reason: string } | null };
};

describe("data subject requests", () => {
  it("exports everything the organization holds about a member as a ZIP of JSON and CSV, for the requester only", async () => {
    const p = await distinctPerson();
    const created = await t.http.post(
      `/api/v1/organizations/${a.org.id}/privacy-requests`,
      { type: "export", userId: p.user.id, reason: "Art. 15 request by mail" },
      a.people.admin,
    );
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      type: "export",
      status: "requested",
      scope: "organization",
    });
    await drainJobs(t, ["privacy.process-request"]);
    const got = await t.http.get(
      `/api/v1/organizations/${a.org.id}/privacy-requests/${created.body.data.id}`,
      a.people.admin,
    );
    expect(got.body.data.status).toBe("completed");
    expect(got.body.data.file).toMatchObject({
      size: expect.any(Number),
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(got.body.data.summary.counts).toMatchObject({
      enrollments: 1,
      notifications: 2,
      profile: 1,
    });

    const file = await fetchFile(
      `/api/v1/privacy-requests/${created.body.data.id}/file`,
      a.people.admin,
    );
    expect(file.status).toBe(200);
    const zip = await JSZip.loadAsync(file.raw);
    const profile = JSON.parse(await zip.file("json/profile.json")!.async("string"));
    expect(profile[0]).toMatchObject({ email: p.email, first_name: "Quintessa" });
    expect(profile[0].password_hash).toBeUndefined();
    const enrollments = await zip.file("csv/enrollments.csv")!.async("string");
    expect(enrollments.split("\r\n")[0]).toContain("course_id");
    expect(enrollments).toContain(courseId);
    const audits = JSON.parse(await zip.file("json/audit-records.json")!.async("string"));
    expect(audits.some((r: { action: string }) => r.action.startsWith("member."))).toBe(true);

    // Another organization's administrator, and a colleague, do not get it.
    for (const who of [b.people.admin, a.people.Lea!]) {
      const refused = await fetchFile(`/api/v1/privacy-requests/${created.body.data.id}/file`, who);
      expect(refused.status).toBe(404);
    }
    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", created.body.data.id)
      .orderBy("created_at")
      .execute();
    expect(audited.map((r) => r.action)).toEqual([
      "privacy-request.created",
      "privacy-request.exported",
      "privacy-request.downloaded",
    ]);
  });

  it("erases a whole account by anonymization: reports keep counting, the audit chain still verifies, and any other edit still fails", async () => {
    const p = await distinctPerson();
    await rowsOfOtherModules(p);
    // A record about them, sealed, holding their name and address.
    const before = await t.system.db
      .selectFrom("audit_logs")
      .select(["id", "after"])
      .where("organization_id", "=", a.org.id)
      .where(sql<boolean>`after::text like ${`%${p.lastName}%`}`)
      .where("hash", "is not", null)
      .execute();
    expect(JSON.stringify(before)).toContain(p.lastName);
    expect(await mentions(a.org.id, p.email)).not.toEqual([]);

    const created = await t.http.post(
      "/api/v1/privacy-requests",
      { type: "erasure", userId: p.user.id, reason: "Art. 17 request" },
      platform,
    );
    expect(created.status).toBe(201);
    await drainJobs(t, ["privacy.process-request"]);
    const done = await t.system.db
      .selectFrom("privacy_requests")
      .selectAll()
      .where("id", "=", created.body.data.id)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe("completed");

    // Nothing of the organization's names them any more; the account itself is anonymized.
    for (const needle of [p.email, p.lastName])
      expect(await mentions(a.org.id, needle)).toEqual([]);
    // The exemption stays as evidence, its reason without the name; the delivery log and
    // waiting digest items are gone with the notifications.
    const exemption = await t.system.db
      .selectFrom("compliance_exemptions")
      .select(["reason", "user_id"])
      .where("user_id", "=", p.user.id)
      .executeTakeFirstOrThrow();
    expect(exemption.reason).toBe(`Erased person ${p.user.id.slice(-8)} took it elsewhere`);
    expect(
      await rowsOfUser(p.user.id, [
        ...ACCOUNT_TABLES,
        "notification_deliveries",
        "notification_digest_items",
      ]),
    ).toEqual({
      user_mfa: 0,
      user_mfa_recovery_codes: 0,
      mfa_challenges: 0,
      password_history: 0,
      notification_deliveries: 0,
      notification_digest_items: 0,
    });
    const user = await t.system.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", p.user.id)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      email: `erased-${p.user.id}@erased.invalid`,
      first_name: "Erased person",
      password_hash: null,
      status: "deactivated",
    });
    // Their sessions are gone: the old token no longer works.
    expect((await t.http.get("/api/v1/users/me", p.creds)).status).toBe(401);

    // The learners report still counts their enrollment, under the erased name.
    const learners = await t.http.get(
      `/api/v1/organizations/${a.org.id}/learners?limit=100`,
      a.people.admin,
    );
    const row = (
      learners.body.data as Array<{ userId: string; name: string; enrollments: number }>
    ).find((r) => r.userId === p.user.id);
    expect(row).toMatchObject({ enrollments: 1 });
    expect(row?.name).toContain("Erased person");

    // The redacted records are marked and the chain verifies.
    const redacted = await t.system.db
      .selectFrom("audit_logs")
      .select(["id", "redacted_by_request_id"])
      .where(
        "id",
        "in",
        before.map((r) => r.id),
      )
      .execute();
    expect(redacted.every((r) => r.redacted_by_request_id === done.id)).toBe(true);
    expect(await verify(a)).toMatchObject({ ok: true, broken: null });
    const [platformChain] = await verifyAuditChains(t.system, { organizationId: null });
    expect(platformChain?.ok).toBe(true);

    // A hand edit of a redacted record, or of any other sealed record, still fails.
    const target = before[0]!.id;
    await t.system.db
      .updateTable("audit_logs")
      .set({ after: JSON.stringify({ title: "forged" }) })
      .where("id", "=", target)
      .execute();
    const broken = await verify(a);
    expect(broken.ok).toBe(false);
    expect(broken.broken?.id).toBe(target);
    const original = await t.system.db
      .selectFrom("audit_logs")
      .select(["after"])
      .where("id", "=", target)
      .executeTakeFirstOrThrow();
    void original;
  });

  it("a record marked redacted without a recorded erasure fails verification", async () => {
    const org = await makeOrganization(t, { name: "Forged redaction" });
    await t.http.post(
      `/api/v1/organizations/${org.org.id}/departments`,
      { name: "Forged" },
      org.people.admin,
    );
    await sealAllAuditChains(t.system);
    expect(await verify(org)).toMatchObject({ ok: true });
    const victim = await t.system.db
      .selectFrom("audit_logs")
      .select("id")
      .where("organization_id", "=", org.org.id)
      .where("action", "like", "department.%")
      .executeTakeFirstOrThrow();
    await t.system.db
      .updateTable("audit_logs")
      .set({
        after: JSON.stringify({ name: "changed" }),
        redacted_at: t.clock.now(),
        redacted_by_request_id: victim.id,
      })
      .where("id", "=", victim.id)
      .execute();
    const report = await verify(org);
    expect(report.ok).toBe(false);
    expect(report.broken?.reason).toMatch(/no recorded erasure/);
  });

  it("an erasure in one organization removes what that organization holds and keeps the account", async () => {
    const p = await distinctPerson(b);
    await rowsOfOtherModules(p, b);
    await addMember(t.system, a.org.id, { userId: p.user.id, roleKeys: ["learner"] });
    const created = await t.http.post(
      `/api/v1/organizations/${b.org.id}/privacy-requests`,
      { type: "erasure", userId: p.user.id },
      b.people.admin,
    );
    expect(created.status).toBe(201);
    await drainJobs(t, ["privacy.process-request"]);
    for (const needle of [p.email, p.lastName])
      expect(await mentions(b.org.id, needle)).toEqual([]);
    // The account, and what organization A holds, stay.
    const user = await t.system.db
      .selectFrom("users")
      .select(["email", "deleted_at"])
      .where("id", "=", p.user.id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ email: p.email, deleted_at: null });
    // The account's own second factor and password history are the account's: they stay.
    expect(await rowsOfUser(p.user.id, ACCOUNT_TABLES)).toEqual({
      user_mfa: 1,
      user_mfa_recovery_codes: 1,
      mfa_challenges: 1,
      password_history: 1,
    });
    expect((await t.http.get("/api/v1/users/me", p.creds)).status).toBe(200);
    expect(await verify(b)).toMatchObject({ ok: true });
    expect(await verify(a)).toMatchObject({ ok: false }); // the hand edit of the test before
    // Organization A's administrator cannot see or act on B's requests.
    const other = await t.http.get(
      `/api/v1/organizations/${a.org.id}/privacy-requests/${created.body.data.id}`,
      a.people.admin,
    );
    expect(other.status).toBe(404);
  });

  it("names the person each request is about, also beyond the first page of members, and never another organization's person", async () => {
    const c = await makeOrganization(t, { name: "Private C" });
    // 100 people sorted before the subject: the first page of members ends before them.
    const stamp = uniqueEmail("bulk").split("@")[0]?.replace(/\W/g, "") ?? "";
    await sql`insert into users (email, first_name, last_name, email_verified)
      select ${stamp} || '.' || g || '@example.com', 'Bulk', 'Aaron' || lpad(g::text, 3, '0'), true
      from generate_series(1, 100) g`.execute(t.system.db);
    await sql`insert into organization_members (organization_id, user_id)
      select ${c.org.id}, id from users where email like ${`${stamp}.%`}`.execute(t.system.db);
    const subject = await makeUser(t, { firstName: "Yolanda", lastName: "Zwart" });
    await addMember(t.system, c.org.id, { userId: subject.id, roleKeys: ["learner"] });
    const firstPage = await t.http.get(
      `/api/v1/organizations/${c.org.id}/members?limit=100&sort=lastName`,
      c.people.admin,
    );
    expect(firstPage.body.data.map((m: { userId: string }) => m.userId)).not.toContain(subject.id);

    const path = `/api/v1/organizations/${c.org.id}/privacy-requests`;
    const filed = await t.http.post(
      path,
      { type: "restriction", userId: subject.id },
      c.people.admin,
    );
    expect(filed.status).toBe(201);
    expect(filed.body.data.subjectName).toBe("Yolanda Zwart");
    const listed = await t.http.get(`${path}?userId=${subject.id}`, c.people.admin);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: filed.body.data.id, subjectName: "Yolanda Zwart" }),
    ]);
    const one = await t.http.get(`${path}/${filed.body.data.id}`, c.people.admin);
    expect(one.body.data.subjectName).toBe("Yolanda Zwart");
    const lifted = await t.http.post(
      `${path}/${filed.body.data.id}/lift`,
      { note: null },
      c.people.admin,
    );
    expect(lifted.body.data).toMatchObject({ status: "lifted", subjectName: "Yolanda Zwart" });

    // Another organization neither lists the request nor names the person, even asked by id.
    const other = `/api/v1/organizations/${b.org.id}/privacy-requests`;
    const byPerson = await t.http.get(`${other}?userId=${subject.id}`, b.people.admin);
    expect(byPerson.status).toBe(404);
    expect(JSON.stringify(byPerson.body)).not.toContain("Zwart");
    const all = await t.http.get(`${other}?limit=100`, b.people.admin);
    expect(JSON.stringify(all.body.data)).not.toContain("Zwart");
    const foreign = await t.http.get(`${other}/${filed.body.data.id}`, b.people.admin);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain("Zwart");
    const filedElsewhere = await t.http.post(
      other,
      { type: "export", userId: subject.id },
      b.people.admin,
    );
    expect(filedElsewhere.status).toBe(404);
    expect(JSON.stringify(filedElsewhere.body)).not.toContain("Zwart");
  });

  it("records a restriction at once, refuses a second one, and lifts it", async () => {
    const lea = a.people.Lea!.user.id;
    const path = `/api/v1/organizations/${a.org.id}/privacy-requests`;
    const first = await t.http.post(path, { type: "restriction", userId: lea }, a.people.admin);
    expect(first.status).toBe(201);
    expect(first.body.data.status).toBe("completed");
    const second = await t.http.post(path, { type: "restriction", userId: lea }, a.people.admin);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("ALREADY_EXISTS");
    const lifted = await t.http.post(
      `${path}/${first.body.data.id}/lift`,
      { note: "Dispute settled" },
      a.people.admin,
    );
    expect(lifted.body.data).toMatchObject({ status: "lifted", decisionNote: "Dispute settled" });
    const listed = await t.http.get(`${path}?type=restriction`, a.people.admin);
    expect(listed.body.data.map((r: { id: string }) => r.id)).toContain(first.body.data.id);
    // A learner cannot file requests for others.
    const refused = await t.http.post(path, { type: "export", userId: lea }, a.people.Lea!);
    expect(refused.status).toBe(403);
  });

  it("leaves a person be when their erasure is rejected before its turn", async () => {
    const lea = a.people.Lea!.user.id;
    const path = `/api/v1/organizations/${a.org.id}/privacy-requests`;
    const filed = await t.http.post(
      path,
      { type: "erasure", userId: lea, reason: "Filed by mistake" },
      a.people.admin,
    );
    expect(filed.status).toBe(201);
    const rejected = await t.http.post(
      `${path}/${filed.body.data.id}/reject`,
      { note: "Filed by mistake" },
      a.people.admin,
    );
    expect(rejected.body.data.status).toBe("rejected");
    // the queued job finds nothing to do and ends, instead of failing and retrying
    await drainJobs(t, ["privacy.process-request"]);
    const job = await t.system.db
      .selectFrom("jobs")
      .select(["status", "result"])
      .where("name", "=", "privacy.process-request")
      .where(sql<boolean>`payload->>'requestId' = ${filed.body.data.id}`)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: "completed", result: { status: "rejected" } });
    const person = await t.system.db
      .selectFrom("users")
      .select("deleted_at")
      .where("id", "=", lea)
      .executeTakeFirstOrThrow();
    expect(person.deleted_at).toBeNull();
  });

  it("lets a person ask for their own export at once, and their erasure waits for the platform administrator", async () => {
    const me = a.people.Max!;
    const exp = await t.http.post("/api/v1/users/me/privacy-requests", { type: "export" }, me);
    expect(exp.status).toBe(201);
    expect(exp.body.data.scope).toBe("account");
    await drainJobs(t, ["privacy.process-request"]);
    const mine = await t.http.get("/api/v1/users/me/privacy-requests", me);
    expect(mine.body.data[0]).toMatchObject({ id: exp.body.data.id, status: "completed" });
    const file = await fetchFile(`/api/v1/privacy-requests/${exp.body.data.id}/file`, me);
    expect(file.status).toBe(200);

    const erase = await t.http.post("/api/v1/users/me/privacy-requests", { type: "erasure" }, me);
    expect(erase.status).toBe(201);
    await drainJobs(t, ["privacy.process-request"]);
    const again = await t.http.post("/api/v1/users/me/privacy-requests", { type: "erasure" }, me);
    expect(again.status).toBe(409);
    const rejected = await t.http.post(
      `/api/v1/privacy-requests/${erase.body.data.id}/reject`,
      { note: "Open compliance training must be kept" },
      platform,
    );
    expect(rejected.body.data).toMatchObject({ status: "rejected" });
    expect((await t.http.get("/api/v1/users/me", me)).status).toBe(200);
  });
});

describe("privacy settings and access logs", () => {
  it("keeps what a learner lets managers see", async () => {
    const lea = a.people.Lea!;
    expect((await t.http.get("/api/v1/users/me/privacy", lea)).body.data).toEqual({
      showScores: true,
      showActivity: true,
      showCertificates: true,
    });
    const put = await t.http.put("/api/v1/users/me/privacy", { showScores: false }, lea);
    expect(put.body.data).toEqual({
      showScores: false,
      showActivity: true,
      showCertificates: true,
    });
    expect((await t.http.put("/api/v1/users/me/privacy", {}, lea)).status).toBe(400);
  });

  it("records an administrator opening a member's page, for the organization and for the person", async () => {
    const lea = a.people.Lea!;
    const opened = await t.http.get(
      `/api/v1/organizations/${a.org.id}/members/${lea.user.id}`,
      a.people.admin,
    );
    expect(opened.status).toBe(200);
    const mine = await t.http.get("/api/v1/users/me/access-logs", lea);
    expect(mine.body.data[0]).toMatchObject({
      what: "member-profile",
      viewer: { userId: a.people.admin.user.id, name: "Org Admin" },
      organizationId: a.org.id,
      ipAddress: null,
    });
    const org = await t.http.get(
      `/api/v1/organizations/${a.org.id}/access-logs?subjectUserId=${lea.user.id}`,
      a.people.admin,
    );
    expect(org.body.data[0]).toMatchObject({
      what: "member-profile",
      subjectUserId: lea.user.id,
      subjectName: `${lea.user.first_name} ${lea.user.last_name}`,
    });
    // Reading one's own page is not logged; another organization sees nothing of it.
    const before = mine.body.meta.pagination.total;
    await t.http.get(`/api/v1/organizations/${a.org.id}/members/${lea.user.id}`, lea);
    expect((await t.http.get("/api/v1/users/me/access-logs", lea)).body.meta.pagination.total).toBe(
      before,
    );
    const elsewhere = await t.http.get(
      `/api/v1/organizations/${b.org.id}/access-logs`,
      b.people.admin,
    );
    expect(
      elsewhere.body.data.every((r: { organizationId: string }) => r.organizationId === b.org.id),
    ).toBe(true);
  });
});

describe("privacy settings in manager views", () => {
  it("leaves out what the learner keeps from managers in the learners list and the transcript, and logs the reads", async () => {
    const lea = a.people.Lea!;
    await t.http.put(
      "/api/v1/users/me/privacy",
      { showScores: false, showCertificates: false },
      lea,
    );
    const list = await t.http.get(
      `/api/v1/organizations/${a.org.id}/learners?limit=100`,
      a.people.admin,
    );
    const row = list.body.data.find((r: { userId: string }) => r.userId === lea.user.id);
    expect(row).toMatchObject({ averageScore: null, certificates: null });
    const transcript = await t.http.get(
      `/api/v1/organizations/${a.org.id}/reports/transcript/${lea.user.id}`,
      a.people.admin,
    );
    expect(transcript.status).toBe(200);
    expect(transcript.body.data.hidden).toEqual(["scores", "certificates"]);
    const logged = await t.http.get("/api/v1/users/me/access-logs?limit=10", lea);
    expect(logged.body.data.map((r: { what: string }) => r.what).slice(0, 2)).toEqual([
      "transcript",
      "learner-list",
    ]);
    await t.http.put("/api/v1/users/me/privacy", { showScores: true, showCertificates: true }, lea);
  });
});

describe("retention", () => {
  it("refuses policies below the platform's minimum or with an action the category does not allow", async () => {
    const path = `/api/v1/organizations/${a.org.id}/retention-policies`;
    const short = await t.http.put(
      path,
      { category: "audit-logs", action: "archive", retainDays: 100 },
      a.people.admin,
    );
    expect(short.status).toBe(422);
    expect(short.body.error.message).toMatch(/at least 365 days/);
    const wrong = await t.http.put(
      path,
      { category: "audit-logs", action: "delete", retainDays: 400 },
      a.people.admin,
    );
    expect(wrong.status).toBe(422);
    const learner = await t.http.put(
      path,
      { category: "mail", action: "delete", retainDays: 30 },
      a.people.Lea!,
    );
    expect(learner.status).toBe(403);
  });

  it("archives old learning events and an audit chain prefix after a dry run, and the chain still verifies from its checkpoint", async () => {
    const org = await makeOrganization(t, {
      name: "Retained",
      people: [{ key: "Kim", roles: ["learner"] }],
    });
    const path = `/api/v1/organizations/${org.org.id}/retention-policies`;
    const kim = org.people.Kim!.user.id;
    const already = (
      await t.system.db
        .selectFrom("learning_events")
        .select("id")
        .where("organization_id", "=", org.org.id)
        .execute()
    ).length;
    for (const day of ["2026-03-01", "2026-03-02"] as const)
      await earlyMarchView(t, org.org.id, kim, day);
    expect(
      (
        await t.http.put(
          path,
          { category: "learning-events", action: "archive", retainDays: 60, reviewEveryDays: 90 },
          org.people.admin,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await t.http.put(
          path,
          { category: "audit-logs", action: "archive", retainDays: 365 },
          org.people.admin,
        )
      ).status,
    ).toBe(200);
    await sealAllAuditChains(t.system);
    const sealedBefore = await t.system.db
      .selectFrom("audit_logs")
      .select(sql<number>`count(*)::integer`.as("n"))
      .where("organization_id", "=", org.org.id)
      .executeTakeFirstOrThrow();

    const dry0 = await t.http.get(
      `/api/v1/organizations/${org.org.id}/retention/dry-run`,
      org.people.admin,
    );
    expect(
      dry0.body.data.find((l: { category: string }) => l.category === "learning-events").affected,
    ).toBe(0);

    // 400 days later: the events and every record so far are past their retention.
    t.clock.advance(400 * 86_400_000);
    // The administrator's sign-in is long expired.
    org.people.admin = { ...org.people.admin, ...(await signIn(t, org.people.admin.user.email)) };
    const overdue = await t.http.get(`${path}?overdue=true`, org.people.admin);
    expect(overdue.body.data.policies.map((p: { category: string }) => p.category)).toEqual([
      "audit-logs",
      "learning-events",
    ]);
    const dry = await t.http.get(
      `/api/v1/organizations/${org.org.id}/retention/dry-run`,
      org.people.admin,
    );
    const line = (c: string) => dry.body.data.find((l: { category: string }) => l.category === c);
    expect(line("learning-events")).toMatchObject({
      action: "archive",
      affected: already + 2,
      held: false,
    });
    expect(line("audit-logs").affected).toBe(sealedBefore.n);
    expect(line("mail")).toMatchObject({ action: null, affected: 0 });
    // A dry run changes nothing.
    expect(
      (
        await t.system.db
          .selectFrom("learning_events")
          .select("id")
          .where("organization_id", "=", org.org.id)
          .where("event_type", "=", "lesson.viewed")
          .execute()
      ).length,
    ).toBe(2);

    // A legal hold stops the run.
    await t.http.put(
      `/api/v1/organizations/${org.org.id}/legal-hold`,
      { until: new Date(t.clock.now().getTime() + 86_400_000).toISOString(), reason: "Litigation" },
      org.people.admin,
    );
    const held = await t.http.post(
      `/api/v1/organizations/${org.org.id}/retention/run`,
      {},
      org.people.admin,
    );
    expect(
      held.body.data.every((l: { skipped: string | null }) => l.skipped?.startsWith("Legal hold")),
    ).toBe(true);
    t.clock.advance(2 * 86_400_000);
    org.people.admin = { ...org.people.admin, ...(await signIn(t, org.people.admin.user.email)) };

    // The daily job runs the policies.
    await t.lyceum.worker.poll();
    await t.system.db
      .insertInto("jobs")
      .values({ name: "privacy.retention", payload: "{}" })
      .execute();
    await drainJobs(t, ["privacy.retention"]);
    expect(
      (
        await t.system.db
          .selectFrom("learning_events")
          .select("id")
          .where("organization_id", "=", org.org.id)
          .where("event_type", "=", "lesson.viewed")
          .execute()
      ).length,
    ).toBe(0);
    const archives = await t.http.get(
      `/api/v1/organizations/${org.org.id}/retention/archives`,
      org.people.admin,
    );
    const events = archives.body.data.find(
      (r: { category: string }) => r.category === "learning-events",
    );
    expect(events).toMatchObject({
      action: "archive",
      rows: already + 2,
      rangeFrom: "2026-03-01T08:00:00.000Z",
    });
    const stored = await t.system.db
      .selectFrom("retention_archives")
      .selectAll()
      .where("id", "=", events.id)
      .executeTakeFirstOrThrow();
    const body = await t.storage.get(stored.file_key!);
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(body!).digest("hex")).toBe(events.file.checksum);
    const lines = gunzipSync(body!)
      .toString()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.event_type === "lesson.viewed").map((l) => l.learner_id)).toEqual([
      kim,
      kim,
    ]);

    const audits = archives.body.data.find(
      (r: { category: string }) => r.category === "audit-logs",
    );
    expect(audits.rows).toBeGreaterThanOrEqual(sealedBefore.n);
    const checkpoint = await t.system.db
      .selectFrom("audit_chain_checkpoints")
      .selectAll()
      .where("chain_key", "=", org.org.id)
      .executeTakeFirstOrThrow();
    expect(Number(checkpoint.seq)).toBe(audits.rows);
    await sealAllAuditChains(t.system);
    const report = await verify(org);
    expect(report).toMatchObject({ ok: true, broken: null });
    // A forged checkpoint breaks the chain.
    await t.system.db
      .updateTable("audit_chain_checkpoints")
      .set({ hash: "f".repeat(64) })
      .where("chain_key", "=", org.org.id)
      .execute();
    expect((await verify(org)).ok).toBe(false);
  });

  it("logs how many rows a delete or an aggregate handled, with a file only for what is archived", async () => {
    const org = await makeOrganization(t, {
      name: "Forgetting",
      people: [{ key: "Ola", roles: ["learner"] }],
    });
    const ola = org.people.Ola!.user.id;
    const old = new Date(t.clock.now().getTime() - 100 * 86_400_000);
    const day = old.toISOString().slice(0, 10);
    const event = () =>
      t.system.db
        .insertInto("learning_events")
        .values({
          organization_id: org.org.id,
          learner_id: ola,
          event_type: "lesson.viewed",
          occurred_at: old,
          day_key: day,
          week_key: "2026-W01",
          month_key: day.slice(0, 7),
          quarter_key: "2026-Q1",
          year_key: 2026,
        })
        .execute();
    const run = async (action: string) => {
      for (let i = 0; i < 3; i++) await event();
      const put = await t.http.put(
        `/api/v1/organizations/${org.org.id}/retention-policies`,
        { category: "learning-events", action, retainDays: 30 },
        org.people.admin,
      );
      expect(put.status).toBe(200);
      const ran = await t.http.post(
        `/api/v1/organizations/${org.org.id}/retention/run`,
        {},
        org.people.admin,
      );
      expect(ran.status).toBe(200);
      const line = ran.body.data.find(
        (l: { category: string }) => l.category === "learning-events",
      );
      const archives = await t.http.get(
        `/api/v1/organizations/${org.org.id}/retention/archives`,
        org.people.admin,
      );
      return {
        line,
        archive: archives.body.data.find((r: { id: string }) => r.id === line.archiveId),
      };
    };
    const deleted = await run("delete");
    expect(deleted.line).toMatchObject({ action: "delete", rows: 3 });
    expect(deleted.archive).toMatchObject({ action: "delete", rows: 3, file: null });
    const aggregated = await run("aggregate");
    expect(aggregated.line).toMatchObject({ action: "aggregate", rows: 3 });
    expect(aggregated.archive).toMatchObject({ action: "aggregate", rows: 3 });
    const stored = await t.system.db
      .selectFrom("retention_archives")
      .select("file_key")
      .where("id", "=", aggregated.archive.id)
      .executeTakeFirstOrThrow();
    const totals = gunzipSync((await t.storage.get(stored.file_key!))!)
      .toString()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(totals).toEqual([
      {
        day,
        courseId: null,
        eventType: "lesson.viewed",
        events: 3,
        learners: 1,
        durationSeconds: 0,
      },
    ]);
  });
});
