import { createHash } from "node:crypto";
import { sql } from "kysely";
import { type Ctx, inTransaction } from "../context.js";

/**
 * The tamper-evident audit trail. Each organization's records form a hash chain (platform
 * records, without an organization, form one of their own): a record's hash covers its content
 * and the hash of the record before it, so changing, inserting or removing a sealed record
 * breaks the chain from there on, and `verifyAuditChains` (the `lyceum audit verify` command)
 * says where.
 *
 * Records are written unsealed, in the transaction of the change they record, and sealed by a
 * single sealer shortly after (a job every minute; the table lock makes a second sealer wait).
 * A record therefore takes its place in the order the sealer finds it, not the order of its
 * id: a transaction that commits late is sealed late. Writers never wait on one another for
 * the chain.
 */

/** The chain of records without an organization (platform administration). */
export const PLATFORM_CHAIN = "00000000-0000-0000-0000-000000000000";
/** What the first record of a chain follows. */
export const GENESIS = "0".repeat(64);

/** The columns a seal covers: everything a record says, and its place in the chain. */
const SEALED = [
  "id",
  "organization_id",
  "actor_type",
  "actor_user_id",
  "actor_api_key_id",
  "actor_scim_token_id",
  "action",
  "entity_type",
  "entity_id",
  "before",
  "after",
  "ip_address",
  "user_agent",
  "request_id",
  "created_at",
  "justification",
  "risk_level",
  "data_sensitivity",
  "regulatory_impact",
] as const;

type SealedRow = { [K in (typeof SEALED)[number]]: unknown };

/** JSON with keys in code-point order at every depth, so the same content gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The action of the record an erasure seals into a chain when it redacted sealed records of
 * it (modules/privacy): `after.records` lists each redacted record's id with the digest of its
 * content as redacted, and `after.requestId` the erasure. A redacted record no longer matches
 * its seal; the verifier then checks it against that digest instead, and still checks that
 * it follows the record before it and that the one after follows it.
 */
export const REDACTION_ACTION = "privacy.audit-records-redacted";

/** SHA-256 (hex) of a record's content alone (what an erasure's attestation lists). */
export function contentDigest(row: SealedRow): string {
  const content: Record<string, unknown> = {};
  for (const column of SEALED) {
    const value = row[column];
    content[column] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

/** The columns a seal covers, for code that redacts a record and attests it. */
export const SEALED_COLUMNS = SEALED;

/** SHA-256 (hex) of the previous hash, the record's place and its content. */
export function sealOf(row: SealedRow, seq: number, prevHash: string): string {
  const content: Record<string, unknown> = { seq };
  for (const column of SEALED) {
    const value = row[column];
    content[column] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return createHash("sha256")
    .update(`${prevHash}\n${canonicalJson(content)}`)
    .digest("hex");
}

const chainOf = (organizationId: string | null) => organizationId ?? PLATFORM_CHAIN;

/**
 * Seals the records written since the last seal, oldest first, up to `limit`; answers how many.
 * One sealer at a time: the heads table is locked for the transaction.
 */
export async function sealAuditChains(ctx: Ctx, options: { limit?: number } = {}): Promise<number> {
  const limit = options.limit ?? 5000;
  return inTransaction(ctx, async (tx) => {
    await sql`lock table audit_chain_heads in exclusive mode`.execute(tx.db);
    const rows = await tx.db
      .selectFrom("audit_logs")
      .select([...SEALED])
      .where("hash", "is", null)
      .orderBy("id")
      .limit(limit)
      .execute();
    if (!rows.length) return 0;
    const keys = [...new Set(rows.map((r) => chainOf(r.organization_id)))];
    const heads = new Map(
      (
        await tx.db
          .selectFrom("audit_chain_heads")
          .select(["chain_key", "seq", "hash"])
          .where("chain_key", "in", keys)
          .execute()
      ).map((h) => [h.chain_key, { seq: Number(h.seq), hash: h.hash }]),
    );
    const now = tx.clock.now();
    const sealed: Array<{ id: string; seq: number; prev: string; hash: string }> = [];
    for (const row of rows) {
      const key = chainOf(row.organization_id);
      const head = heads.get(key) ?? { seq: 0, hash: GENESIS };
      const seq = head.seq + 1;
      const hash = sealOf(row, seq, head.hash);
      sealed.push({ id: row.id, seq, prev: head.hash, hash });
      heads.set(key, { seq, hash });
    }
    await sql`
      update audit_logs as a set chain_seq = s.seq, prev_hash = s.prev, hash = s.hash, sealed_at = ${now}
      from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as s (id uuid, seq bigint, prev text, hash text)
      where a.id = s.id`.execute(tx.db);
    await sql`
      insert into audit_chain_heads (chain_key, seq, hash, updated_at)
      select h.key, h.seq, h.hash, ${now}
      from jsonb_to_recordset(${JSON.stringify(
        keys.map((key) => ({ key, ...heads.get(key) })),
      )}::jsonb) as h (key uuid, seq bigint, hash text)
      on conflict (chain_key) do update set seq = excluded.seq, hash = excluded.hash, updated_at = excluded.updated_at`.execute(
      tx.db,
    );
    return rows.length;
  });
}

/** Seals until nothing is left unsealed; answers how many records were sealed. */
export async function sealAllAuditChains(ctx: Ctx): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealAuditChains(ctx);
    total += n;
    if (n === 0) return total;
  }
}

export interface ChainReport {
  /** Null: the platform's chain. */
  organizationId: string | null;
  sealed: number;
  unsealed: number;
  ok: boolean;
  /** The first place the chain does not hold, and why. */
  broken: { seq: number; id: string | null; reason: string } | null;
}

/**
 * Checks every sealed record of the chains asked for (one organization, the platform's with
 * null, all without `organizationId`), in order, against its hash and its predecessor's, and
 * the last one against the chain's head. Reads in pages, so a long chain costs little memory.
 */
export async function verifyAuditChains(
  ctx: Ctx,
  options: { organizationId?: string | null } = {},
): Promise<ChainReport[]> {
  let heads = ctx.db.selectFrom("audit_chain_heads").select(["chain_key", "seq", "hash"]);
  if (options.organizationId !== undefined)
    heads = heads.where("chain_key", "=", chainOf(options.organizationId));
  const rows = await heads.orderBy("chain_key").execute();
  const reports: ChainReport[] = [];
  for (const head of rows) reports.push(await verifyChain(ctx, head));
  if (options.organizationId !== undefined && !rows.length)
    reports.push(
      await verifyChain(ctx, { chain_key: chainOf(options.organizationId), seq: 0, hash: GENESIS }),
    );
  return reports;
}

async function verifyChain(
  ctx: Ctx,
  head: { chain_key: string; seq: number | string; hash: string },
): Promise<ChainReport> {
  const organizationId = head.chain_key === PLATFORM_CHAIN ? null : head.chain_key;
  // The expression of the chain's unique index, so the walk reads the index in order.
  const inChain = sql<boolean>`coalesce(organization_id, ${PLATFORM_CHAIN}::uuid) = ${head.chain_key}::uuid`;
  const unsealed = await ctx.db
    .selectFrom("audit_logs")
    .select(sql<number>`count(*)::integer`.as("n"))
    .where(inChain)
    .where("hash", "is", null)
    .executeTakeFirstOrThrow();
  const report = (sealed: number, broken: ChainReport["broken"]): ChainReport => ({
    organizationId,
    sealed,
    unsealed: unsealed.n,
    ok: broken === null,
    broken,
  });
  // A chain whose oldest records were archived and deleted by retention starts from the
  // checkpoint left in their place: the last archived record's place and hash.
  const checkpoint = await ctx.db
    .selectFrom("audit_chain_checkpoints")
    .select(["seq", "hash"])
    .where("chain_key", "=", head.chain_key)
    .executeTakeFirst();
  let prev = checkpoint?.hash ?? GENESIS;
  let expected = checkpoint ? Number(checkpoint.seq) + 1 : 1;
  const redactions = await attestedRedactions(ctx, inChain);
  const page = 2000;
  for (;;) {
    const batch = await ctx.db
      .selectFrom("audit_logs")
      .select([...SEALED, "chain_seq", "prev_hash", "hash", "redacted_by_request_id"])
      .where(inChain)
      .where(sql<boolean>`chain_seq >= ${expected}`)
      .orderBy(sql`coalesce(organization_id, ${PLATFORM_CHAIN}::uuid)`)
      .orderBy("chain_seq")
      .limit(page)
      .execute();
    for (const row of batch) {
      const seq = Number(row.chain_seq);
      if (seq !== expected)
        return report(expected - 1, {
          seq: expected,
          id: null,
          reason: `The record sealed at ${expected} is missing`,
        });
      if (row.prev_hash !== prev)
        return report(expected - 1, {
          seq,
          id: row.id,
          reason: "The record does not follow the one sealed before it",
        });
      if (row.redacted_by_request_id) {
        const attested = redactions.get(row.id);
        if (
          !attested ||
          attested.requestId !== row.redacted_by_request_id ||
          attested.digest !== contentDigest(row)
        )
          return report(expected - 1, {
            seq,
            id: row.id,
            reason:
              "The record was changed after it was sealed and no recorded erasure explains it",
          });
      } else if (sealOf(row, seq, prev) !== row.hash)
        return report(expected - 1, {
          seq,
          id: row.id,
          reason: "The record was changed after it was sealed",
        });
      prev = row.hash as string;
      expected += 1;
    }
    if (batch.length < page) break;
  }
  const last = expected - 1;
  if (last !== Number(head.seq) || prev !== head.hash)
    return report(last, {
      seq: last + 1,
      id: null,
      reason:
        last < Number(head.seq)
          ? `Records sealed after ${last} are missing (the chain's head is at ${head.seq})`
          : "The chain goes on past its recorded head",
    });
  return report(last, null);
}

/**
 * The redactions attested in a chain by sealed erasure records: redacted record id → the
 * erasure and the digest of the record's redacted content. The attestations are records of the
 * chain themselves, so the walk checks them too.
 */
async function attestedRedactions(
  ctx: Ctx,
  inChain: ReturnType<typeof sql<boolean>>,
): Promise<Map<string, { requestId: string; digest: string }>> {
  const rows = await ctx.db
    .selectFrom("audit_logs")
    .select(["after"])
    .where(inChain)
    .where("action", "=", REDACTION_ACTION)
    .where("hash", "is not", null)
    .execute();
  const found = new Map<string, { requestId: string; digest: string }>();
  for (const row of rows) {
    const after = (row.after ?? {}) as {
      requestId?: string;
      records?: Array<{ id: string; digest: string }>;
    };
    for (const record of after.records ?? [])
      if (after.requestId)
        found.set(record.id, { requestId: after.requestId, digest: record.digest });
  }
  return found;
}
