import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import {
  GENESIS,
  sealAllAuditChains,
  sealAuditChains,
  sealOf,
  verifyAuditChains,
} from "../../platform/audit/chain.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Chained A",
    people: [{ key: "auditor", roles: ["auditor"] }],
  });
  b = await makeOrganization(t, {
    name: "Chained B",
    people: [{ key: "auditor", roles: ["auditor"] }],
  });
});
afterAll(() => t.close());

const chainOf = (organizationId: string) =>
  t.system.db
    .selectFrom("audit_logs")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("chain_seq", "is not", null)
    .orderBy("chain_seq")
    .execute();

async function department(name: string, org = a) {
  const res = await t.http.post(
    `/api/v1/organizations/${org.org.id}/departments`,
    { name },
    org.people.admin,
  );
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

const verification = (org: typeof a) =>
  t.http.get(`/api/v1/organizations/${org.org.id}/audit-logs/verification`, org.people.auditor);

describe("the tamper-evident audit trail", () => {
  it("writes records unsealed and seals them into one chain per organization, each following the one before", async () => {
    const id = await department("Sealed later");
    const fresh = await t.system.db
      .selectFrom("audit_logs")
      .select(["hash", "chain_seq"])
      .where("entity_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(fresh).toEqual({ hash: null, chain_seq: null });

    expect(await sealAllAuditChains(t.system)).toBeGreaterThan(0);
    expect(await sealAuditChains(t.system)).toBe(0);
    for (const org of [a, b]) {
      const chain = await chainOf(org.org.id);
      expect(chain.length).toBeGreaterThan(1);
      expect(chain.map((r) => Number(r.chain_seq))).toEqual(chain.map((_, i) => i + 1));
      expect(chain[0]?.prev_hash).toBe(GENESIS);
      for (let i = 1; i < chain.length; i++) expect(chain[i]?.prev_hash).toBe(chain[i - 1]?.hash);
      for (const row of chain)
        expect(row.hash).toBe(sealOf(row, Number(row.chain_seq), row.prev_hash as string));
    }
    const listed = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs?entityId=${id}`,
      a.people.auditor,
    );
    expect(listed.body.data[0].chain).toEqual({
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("goes on from the chain's head with records written after a seal", async () => {
    const before = await chainOf(a.org.id);
    await department("Next in line");
    await sealAllAuditChains(t.system);
    const after = await chainOf(a.org.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)?.prev_hash).toBe(before.at(-1)?.hash);
    const res = await verification(a);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      organizationId: a.org.id,
      sealed: after.length,
      unsealed: 0,
      ok: true,
      broken: null,
    });
  });

  it("counts records not sealed yet without calling the chain broken", async () => {
    await department("Waiting for the sealer", b);
    const res = await verification(b);
    expect(res.body.data).toMatchObject({ ok: true, unsealed: 1, broken: null });
    await sealAllAuditChains(t.system);
    expect((await verification(b)).body.data).toMatchObject({ ok: true, unsealed: 0 });
  });

  it("names the first record changed after sealing, and holds again once it is put back", async () => {
    const chain = await chainOf(a.org.id);
    const victim = chain[2];
    if (!victim) throw new Error("the chain is too short");
    await t.system.db
      .updateTable("audit_logs")
      .set({ after: JSON.stringify({ name: "Rewritten history" }) })
      .where("id", "=", victim.id)
      .execute();
    const res = await verification(a);
    expect(res.body.data).toEqual({
      organizationId: a.org.id,
      sealed: 2,
      unsealed: 0,
      ok: false,
      broken: {
        seq: 3,
        id: victim.id,
        reason: "The record was changed after it was sealed",
      },
    });
    // Organization B's chain is its own: A's broken record does not touch it.
    expect((await verification(b)).body.data.ok).toBe(true);
    await t.system.db
      .updateTable("audit_logs")
      .set({ after: victim.after === null ? null : JSON.stringify(victim.after) })
      .where("id", "=", victim.id)
      .execute();
    expect((await verification(a)).body.data.ok).toBe(true);
  });

  it("notices a record removed from the middle or the end, and a forged hash that does not follow", async () => {
    const chain = await chainOf(a.org.id);
    const middle = chain[1];
    const last = chain.at(-1);
    if (!middle || !last) throw new Error("the chain is too short");
    await t.system.db.deleteFrom("audit_logs").where("id", "=", middle.id).execute();
    expect((await verification(a)).body.data).toMatchObject({
      ok: false,
      sealed: 1,
      broken: { seq: 2, id: null, reason: "The record sealed at 2 is missing" },
    });
    await t.system.db
      .insertInto("audit_logs")
      .values({ ...middle, before: json(middle.before), after: json(middle.after) })
      .execute();
    expect((await verification(a)).body.data.ok).toBe(true);

    await t.system.db.deleteFrom("audit_logs").where("id", "=", last.id).execute();
    expect((await verification(a)).body.data.broken).toEqual({
      seq: Number(last.chain_seq),
      id: null,
      reason: `Records sealed after ${Number(last.chain_seq) - 1} are missing (the chain's head is at ${Number(last.chain_seq)})`,
    });
    // Re-sealing the removal away is not possible either: a forged record must follow its
    // predecessor's hash, and the head says where the chain ended.
    await t.system.db
      .insertInto("audit_logs")
      .values({
        ...last,
        before: json(last.before),
        after: json(last.after),
        prev_hash: "f".repeat(64),
      })
      .execute();
    expect((await verification(a)).body.data.broken).toMatchObject({
      seq: Number(last.chain_seq),
      id: last.id,
      reason: "The record does not follow the one sealed before it",
    });
    await t.system.db
      .updateTable("audit_logs")
      .set({ prev_hash: last.prev_hash })
      .where("id", "=", last.id)
      .execute();
    expect((await verification(a)).body.data.ok).toBe(true);
  });

  it("classifies records by risk and sensitivity, and filters by a risk level and above", async () => {
    const role = await t.http.post(
      `/api/v1/organizations/${a.org.id}/roles`,
      { key: "chain-auditor", name: "Chain auditor", permissions: [] },
      a.people.admin,
    );
    expect(role.status).toBe(201);
    const high = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs?riskLevel=high`,
      a.people.auditor,
    );
    expect(high.status).toBe(200);
    expect(high.body.data.length).toBeGreaterThan(0);
    expect(
      high.body.data.every((r: { riskLevel: string }) =>
        ["high", "critical"].includes(r.riskLevel),
      ),
    ).toBe(true);
    expect(high.body.data[0]).toMatchObject({
      action: "role.create",
      riskLevel: "high",
      dataSensitivity: "restricted",
      regulatoryImpact: null,
      justification: null,
    });
    const departments = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs?action=department.create`,
      a.people.auditor,
    );
    expect(departments.body.data[0]).toMatchObject({ riskLevel: null, dataSensitivity: null });
  });

  it("lets one sealer at a time take records, so concurrent seals never give two records one place", async () => {
    for (let i = 0; i < 5; i++) await department(`Concurrent ${i}`);
    const sealed = await Promise.all([
      sealAllAuditChains(t.system),
      sealAllAuditChains(t.system),
      sealAllAuditChains(t.system),
    ]);
    expect(sealed.reduce((n, x) => n + x, 0)).toBeGreaterThanOrEqual(5);
    const duplicates = await sql<{ n: number }>`
      select count(*)::integer as n from (
        select organization_id, chain_seq from audit_logs where chain_seq is not null
        group by organization_id, chain_seq having count(*) > 1) d`.execute(t.system.db);
    expect(duplicates.rows[0]?.n).toBe(0);
    const reports = await verifyAuditChains(t.system);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.every((r) => r.ok)).toBe(true);
  });

  it("refuses another organization's auditor", async () => {
    const res = await t.http.get(
      `/api/v1/organizations/${a.org.id}/audit-logs/verification`,
      b.people.auditor,
    );
    expect([403, 404]).toContain(res.status);
  });
});

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
