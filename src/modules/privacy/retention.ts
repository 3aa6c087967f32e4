import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { sealAllAuditChains } from "../../platform/audit/chain.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, notFound } from "../../platform/http/errors.js";
import { processPrivacyRequest } from "./requests.js";
import {
  RETENTION_CATEGORIES,
  type RetentionAction,
  type RetentionCategory,
  type RetentionPolicyRow,
} from "./schema.js";

/**
 * Retention policies (seed 004 13.4.13): per organization and data category, what happens to
 * data older than N days — deleted, archived (written to the storage provider as gzip JSONL,
 * then deleted), anonymized or aggregated — and when the policy is next reviewed. The daily
 * job applies every enabled policy; a dry run says what a run would touch. Every run leaves a
 * line per category in the archival log (range, rows, file, checksum) and an audit record.
 */

const DAY = 86_400_000;
/** What each category can be made to do. */
export const ALLOWED_ACTIONS: Record<RetentionCategory, readonly RetentionAction[]> = {
  "learning-events": ["delete", "archive", "anonymize", "aggregate"],
  "audit-logs": ["archive"],
  "report-files": ["delete"],
  mail: ["delete", "archive", "anonymize"],
  sessions: ["delete"],
  "departed-people": ["anonymize"],
  notifications: ["delete", "archive"],
};
/** The platform's floor per category: no policy may keep data for less. */
export const MINIMUM_DAYS: Record<RetentionCategory, number> = {
  "learning-events": 30,
  "audit-logs": 365,
  "report-files": 1,
  mail: 7,
  sessions: 1,
  "departed-people": 30,
  notifications: 7,
};
/** Rows one run handles per category (the next day's run goes on). */
const BATCH = 20_000;

export interface PolicyInput {
  action: RetentionAction;
  retainDays: number;
  reviewEveryDays?: number;
  enabled?: boolean;
}

export async function listPolicies(
  ctx: Ctx,
  organizationId: string,
): Promise<RetentionPolicyRow[]> {
  return ctx.db
    .selectFrom("retention_policies")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("category")
    .execute();
}

export async function putPolicy(
  ctx: Ctx,
  organizationId: string,
  category: RetentionCategory,
  input: PolicyInput,
): Promise<RetentionPolicyRow> {
  if (!ALLOWED_ACTIONS[category].includes(input.action))
    throw new AppError(
      "UNPROCESSABLE",
      `Data of the category ${category} can be: ${ALLOWED_ACTIONS[category].join(", ")}`,
      { field: "action" },
    );
  if (input.retainDays < MINIMUM_DAYS[category])
    throw new AppError(
      "UNPROCESSABLE",
      `Data of the category ${category} must be kept at least ${MINIMUM_DAYS[category]} days`,
      { field: "retainDays", details: { minimumDays: MINIMUM_DAYS[category] } },
    );
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const before = await tx.db
      .selectFrom("retention_policies")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("category", "=", category)
      .executeTakeFirst();
    const reviewEvery = input.reviewEveryDays ?? before?.review_every_days ?? 365;
    const values = {
      action: input.action,
      retain_days: input.retainDays,
      review_every_days: reviewEvery,
      enabled: input.enabled ?? before?.enabled ?? true,
      // Saving a policy is a review of it.
      last_reviewed_at: now,
      last_reviewed_by: tx.actor.kind === "user" ? tx.actor.userId : null,
      next_review_at: new Date(now.getTime() + reviewEvery * DAY),
      updated_at: now,
    };
    const row = await tx.db
      .insertInto("retention_policies")
      .values({
        organization_id: organizationId,
        category,
        ...values,
        created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(["organization_id", "category"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: before ? "retention-policy.updated" : "retention-policy.created",
      entityType: "retention-policy",
      entityId: row.id,
      before: before
        ? { action: before.action, retainDays: before.retain_days, enabled: before.enabled }
        : undefined,
      after: { category, action: row.action, retainDays: row.retain_days, enabled: row.enabled },
      regulatoryImpact: "gdpr",
    });
    return row;
  });
}

export async function policyOf(ctx: Ctx, organizationId: string, category: RetentionCategory) {
  const row = await ctx.db
    .selectFrom("retention_policies")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("category", "=", category)
    .executeTakeFirst();
  if (!row) throw notFound("Retention policy");
  return row;
}

export async function deletePolicy(ctx: Ctx, organizationId: string, category: RetentionCategory) {
  const row = await policyOf(ctx, organizationId, category);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("retention_policies").where("id", "=", row.id).execute();
    await audit(tx, {
      organizationId,
      action: "retention-policy.deleted",
      entityType: "retention-policy",
      entityId: row.id,
      before: { category, action: row.action, retainDays: row.retain_days },
    });
  });
}

export async function reviewPolicy(
  ctx: Ctx,
  organizationId: string,
  category: RetentionCategory,
  note: string | null,
): Promise<RetentionPolicyRow> {
  const row = await policyOf(ctx, organizationId, category);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const done = await tx.db
      .updateTable("retention_policies")
      .set({
        last_reviewed_at: now,
        last_reviewed_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        next_review_at: new Date(now.getTime() + row.review_every_days * DAY),
        updated_at: now,
      })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "retention-policy.reviewed",
      entityType: "retention-policy",
      entityId: row.id,
      after: { category, nextReviewAt: done.next_review_at.toISOString(), note },
    });
    return done;
  });
}

export async function setLegalHold(
  ctx: Ctx,
  organizationId: string,
  until: Date | null,
  reason: string | null,
): Promise<Date | null> {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("organizations")
      .select("legal_hold_until")
      .where("id", "=", organizationId)
      .executeTakeFirstOrThrow();
    await tx.db
      .updateTable("organizations")
      .set({ legal_hold_until: until })
      .where("id", "=", organizationId)
      .execute();
    await audit(tx, {
      organizationId,
      action: "organization.legal-hold-changed",
      entityType: "organization",
      entityId: organizationId,
      before: { legalHoldUntil: before.legal_hold_until?.toISOString() ?? null },
      after: { legalHoldUntil: until?.toISOString() ?? null },
      justification: reason ?? undefined,
      riskLevel: "high",
    });
    return until;
  });
}

export async function legalHoldOf(ctx: Ctx, organizationId: string): Promise<Date | null> {
  const row = await ctx.db
    .selectFrom("organizations")
    .select("legal_hold_until")
    .where("id", "=", organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("Organization");
  return row.legal_hold_until && row.legal_hold_until > ctx.clock.now()
    ? row.legal_hold_until
    : null;
}

/** The rows of each category older than the cutoff, as queries the count and the run share. */
const CANDIDATES = {
  "learning-events": (ctx: Ctx, organizationId: string, cutoff: Date) =>
    ctx.db
      .selectFrom("learning_events")
      .where("organization_id", "=", organizationId)
      .where("occurred_at", "<", cutoff),
  "audit-logs": (ctx: Ctx, organizationId: string, cutoff: Date) =>
    ctx.db
      .selectFrom("audit_logs")
      .where("organization_id", "=", organizationId)
      .where("hash", "is not", null)
      .where("created_at", "<", cutoff),
  "report-files": (ctx: Ctx, organizationId: string, cutoff: Date) =>
    ctx.db
      .selectFrom("report_jobs")
      .where("organization_id", "=", organizationId)
      .where("file_key", "is not", null)
      .where("created_at", "<", cutoff),
  mail: (ctx: Ctx, organizationId: string, cutoff: Date) =>
    ctx.db
      .selectFrom("mail_outbox")
      .where("organization_id", "=", organizationId)
      .where("status", "in", ["sent", "failed"])
      .where("created_at", "<", cutoff),
  sessions: (ctx: Ctx, organizationId: string, cutoff: Date) =>
    ctx.db
      .selectFrom("user_sessions")
      .where("user_id", "in", (eb) =>
        eb
          .selectFrom("organization_members")
          .select("user_id")
          .where("organization_id", "=", organizationId),
      )
      .where((eb) => eb.or([eb("expires_at", "<", cutoff), eb("revoked_at", "<", cutoff)])),
  // Members deactivated (by an administrator or the HR system) before the cutoff and not yet
  // anonymized.
  "departed-people": (ctx: Ctx, organizationId: string, cutoff: Date) =>
    ctx.db
      .selectFrom("organization_members")
      .where("organization_id", "=", organizationId)
      .where("status", "=", "suspended")
      .where("updated_at", "<", cutoff)
      .where("user_id", "not in", (eb) =>
        eb
          .selectFrom("privacy_requests")
          .select("subject_user_id")
          .where("organization_id", "=", organizationId)
          .where("type", "=", "erasure")
          .where("status", "=", "completed"),
      ),
  notifications: (ctx: Ctx, organizationId: string, cutoff: Date) =>
    ctx.db
      .selectFrom("notifications")
      .where("organization_id", "=", organizationId)
      .where("created_at", "<", cutoff),
};

async function countCandidates(
  ctx: Ctx,
  organizationId: string,
  category: RetentionCategory,
  cutoff: Date,
): Promise<number> {
  if (category === "audit-logs") return auditPrefixLength(ctx, organizationId, cutoff);
  // biome-ignore lint/suspicious/noExplicitAny: every category's query counts the same way
  const query = (CANDIDATES[category] as any)(ctx, organizationId, cutoff);
  const row = (await query.select(sql<number>`count(*)::integer`.as("n")).executeTakeFirst()) as
    | { n: number }
    | undefined;
  return row?.n ?? 0;
}

export interface DryRunLine {
  category: RetentionCategory;
  action: RetentionAction | null;
  retainDays: number | null;
  cutoff: string | null;
  affected: number;
  held: boolean;
}

/** What a run would do now, per category (categories without a policy: nothing). */
export async function dryRun(ctx: Ctx, organizationId: string): Promise<DryRunLine[]> {
  const policies = new Map((await listPolicies(ctx, organizationId)).map((p) => [p.category, p]));
  const hold = await legalHoldOf(ctx, organizationId);
  const lines: DryRunLine[] = [];
  for (const category of RETENTION_CATEGORIES) {
    const policy = policies.get(category);
    if (!policy || !policy.enabled) {
      lines.push({
        category,
        action: policy?.action ?? null,
        retainDays: policy?.retain_days ?? null,
        cutoff: null,
        affected: 0,
        held: false,
      });
      continue;
    }
    const cutoff = new Date(ctx.clock.now().getTime() - policy.retain_days * DAY);
    lines.push({
      category,
      action: policy.action,
      retainDays: policy.retain_days,
      cutoff: cutoff.toISOString(),
      affected: await countCandidates(ctx, organizationId, category, cutoff),
      held: hold !== null,
    });
  }
  return lines;
}

export interface RunLine {
  category: RetentionCategory;
  action: RetentionAction;
  rows: number;
  archiveId: string | null;
  skipped: string | null;
}

/** Applies the organization's enabled policies now. */
export async function runRetention(ctx: Ctx, organizationId: string): Promise<RunLine[]> {
  const policies = (await listPolicies(ctx, organizationId)).filter((p) => p.enabled);
  const hold = await legalHoldOf(ctx, organizationId);
  const lines: RunLine[] = [];
  for (const policy of policies) {
    if (hold) {
      lines.push({
        category: policy.category,
        action: policy.action,
        rows: 0,
        archiveId: null,
        skipped: `Legal hold until ${hold.toISOString()}`,
      });
      continue;
    }
    const cutoff = new Date(ctx.clock.now().getTime() - policy.retain_days * DAY);
    const { rows, archiveId } = await applyPolicy(ctx, policy, cutoff);
    lines.push({
      category: policy.category,
      action: policy.action,
      rows,
      archiveId,
      skipped: null,
    });
    await ctx.db
      .updateTable("retention_policies")
      .set({ last_run_at: ctx.clock.now() })
      .where("id", "=", policy.id)
      .execute();
  }
  if (lines.length)
    await audit(ctx, {
      organizationId,
      action: "retention.run",
      entityType: "organization",
      entityId: organizationId,
      after: { lines },
      regulatoryImpact: "gdpr",
    });
  return lines;
}

/** The daily job: every organization with an enabled policy. */
export async function runDueRetention(ctx: Ctx): Promise<number> {
  const orgs = await ctx.db
    .selectFrom("retention_policies")
    .select("organization_id")
    .where("enabled", "=", true)
    .groupBy("organization_id")
    .execute();
  for (const org of orgs) await runRetention(ctx, org.organization_id);
  return orgs.length;
}

/**
 * Writes the archival log's line for one category of a run: the action, the time range and how
 * many rows it handled; with `archived`, also the archive itself (gzip JSONL) to the storage
 * provider, with its size and checksum.
 */
async function writeArchive(
  ctx: Ctx,
  policy: RetentionPolicyRow,
  entry: {
    action: string;
    range: { from: Date | null; to: Date };
    rows: number;
    archived?: Array<Record<string, unknown>>;
  },
): Promise<string> {
  const id = crypto.randomUUID();
  let file: { file_key: string; file_size: number; checksum: string } | null = null;
  if (entry.archived?.length) {
    const body = gzipSync(
      Buffer.from(`${entry.archived.map((r) => JSON.stringify(r)).join("\n")}\n`),
    );
    const key = `retention/${policy.organization_id}/${policy.category}/${id}.jsonl.gz`;
    await ctx.storage.put(key, body, "application/gzip");
    file = {
      file_key: key,
      file_size: body.length,
      checksum: createHash("sha256").update(body).digest("hex"),
    };
  }
  const row = await ctx.db
    .insertInto("retention_archives")
    .values({
      id,
      organization_id: policy.organization_id,
      policy_id: policy.id,
      category: policy.category,
      action: entry.action,
      range_from: entry.range.from,
      range_to: entry.range.to,
      row_count: entry.rows,
      file_key: file?.file_key ?? null,
      file_size: file?.file_size ?? null,
      checksum: file?.checksum ?? null,
      created_at: ctx.clock.now(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const oldest = (rows: Array<Record<string, unknown>>, column: string): Date | null => {
  let min: Date | null = null;
  for (const r of rows) {
    const v = r[column];
    if (v instanceof Date && (!min || v < min)) min = v;
  }
  return min;
};

async function applyPolicy(
  ctx: Ctx,
  policy: RetentionPolicyRow,
  cutoff: Date,
): Promise<{ rows: number; archiveId: string | null }> {
  const org = policy.organization_id;
  const action = policy.action;
  switch (policy.category) {
    case "learning-events": {
      const rows = await CANDIDATES["learning-events"](ctx, org, cutoff)
        .selectAll()
        .orderBy("occurred_at")
        .limit(BATCH)
        .execute();
      if (!rows.length) return { rows: 0, archiveId: null };
      const ids = rows.map((r) => r.id);
      const range = { from: oldest(rows, "occurred_at"), to: cutoff };
      return inTransaction(ctx, async (tx) => {
        let archived: Array<Record<string, unknown>> | undefined;
        if (action === "archive") archived = rows;
        if (action === "aggregate") {
          const totals = new Map<string, Record<string, unknown>>();
          for (const r of rows) {
            const key = `${r.day_key}|${r.course_id}|${r.event_type}`;
            const t = totals.get(key) ?? {
              day: r.day_key,
              courseId: r.course_id,
              eventType: r.event_type,
              events: 0,
              learners: new Set<string>(),
              durationSeconds: 0,
            };
            t.events = (t.events as number) + 1;
            (t.learners as Set<string>).add(r.learner_id);
            t.durationSeconds = (t.durationSeconds as number) + (r.duration_seconds ?? 0);
            totals.set(key, t);
          }
          archived = [...totals.values()].map((t) => ({
            ...t,
            learners: (t.learners as Set<string>).size,
          }));
        }
        if (action === "anonymize")
          await tx.db
            .updateTable("learning_events")
            .set({ context: "{}", data: "{}", session_id: null })
            .where("id", "in", ids)
            .execute();
        else await tx.db.deleteFrom("learning_events").where("id", "in", ids).execute();
        const archiveId = await writeArchive(tx, policy, {
          action,
          range,
          rows: rows.length,
          archived,
        });
        return { rows: rows.length, archiveId };
      });
    }
    case "audit-logs":
      return archiveAuditPrefix(ctx, policy, cutoff);
    case "report-files": {
      const rows = await CANDIDATES["report-files"](ctx, org, cutoff)
        .select(["id", "file_key", "created_at"])
        .limit(BATCH)
        .execute();
      for (const r of rows) if (r.file_key) await ctx.storage.delete(r.file_key);
      if (rows.length)
        await ctx.db
          .updateTable("report_jobs")
          .set({ status: "expired", file_key: null })
          .where(
            "id",
            "in",
            rows.map((r) => r.id),
          )
          .execute();
      const archiveId = await writeArchive(ctx, policy, {
        action,
        range: { from: oldest(rows, "created_at"), to: cutoff },
        rows: rows.length,
      });
      return { rows: rows.length, archiveId };
    }
    case "mail":
    case "notifications": {
      const table = policy.category === "mail" ? "mail_outbox" : "notifications";
      const rows: Array<Record<string, unknown> & { id: string }> =
        policy.category === "mail"
          ? await CANDIDATES.mail(ctx, org, cutoff).selectAll().limit(BATCH).execute()
          : await CANDIDATES.notifications(ctx, org, cutoff).selectAll().limit(BATCH).execute();
      if (!rows.length) return { rows: 0, archiveId: null };
      const ids = rows.map((r) => r.id);
      const range = { from: oldest(rows, "created_at"), to: cutoff };
      return inTransaction(ctx, async (tx) => {
        const archiveId = await writeArchive(tx, policy, {
          action,
          range,
          rows: rows.length,
          archived: action === "archive" ? rows : undefined,
        });
        if (action === "anonymize" && table === "mail_outbox")
          await tx.db
            .updateTable("mail_outbox")
            .set({
              to_address: "anonymized@erased.invalid",
              subject: "(anonymized)",
              text_body: "",
              html_body: null,
            })
            .where("id", "in", ids)
            .execute();
        else await tx.db.deleteFrom(table).where("id", "in", ids).execute();
        return { rows: rows.length, archiveId };
      });
    }
    case "sessions": {
      const rows = await CANDIDATES["sessions"](ctx, org, cutoff)
        .select(["id"])
        .limit(BATCH)
        .execute();
      if (rows.length)
        await ctx.db
          .deleteFrom("user_sessions")
          .where(
            "id",
            "in",
            rows.map((r) => r.id),
          )
          .execute();
      const archiveId = await writeArchive(ctx, policy, {
        action,
        range: { from: null, to: cutoff },
        rows: rows.length,
      });
      return { rows: rows.length, archiveId };
    }
    case "departed-people": {
      const rows = await CANDIDATES["departed-people"](ctx, org, cutoff)
        .select(["user_id"])
        .limit(200)
        .execute();
      for (const r of rows) {
        const request = await ctx.db
          .insertInto("privacy_requests")
          .values({
            organization_id: org,
            type: "erasure",
            subject_user_id: r.user_id,
            reason: `Retention policy: personal data of people who left, after ${policy.retain_days} days`,
            created_at: ctx.clock.now(),
            updated_at: ctx.clock.now(),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await audit(ctx, {
          organizationId: org,
          action: "privacy-request.created",
          entityType: "privacy-request",
          entityId: request.id,
          after: {
            type: "erasure",
            subjectUserId: r.user_id,
            scope: "organization",
            retention: true,
          },
          regulatoryImpact: "gdpr",
        });
        await processPrivacyRequest(ctx, request.id);
      }
      const archiveId = await writeArchive(ctx, policy, {
        action,
        range: { from: null, to: cutoff },
        rows: rows.length,
      });
      return { rows: rows.length, archiveId };
    }
  }
}

/**
 * How many records from the start of the organization's chain were all written before the
 * cutoff: the prefix an archive may take. (A record sealed late after a younger one ends it.)
 */
async function auditPrefixLength(ctx: Ctx, organizationId: string, cutoff: Date): Promise<number> {
  const firstYoung = await ctx.db
    .selectFrom("audit_logs")
    .select(sql<number>`min(chain_seq)`.as("seq"))
    .where("organization_id", "=", organizationId)
    .where("chain_seq", "is not", null)
    .where("created_at", ">=", cutoff)
    .executeTakeFirst();
  const bounds = await ctx.db
    .selectFrom("audit_logs")
    .select([sql<number>`min(chain_seq)`.as("min"), sql<number>`max(chain_seq)`.as("max")])
    .where("organization_id", "=", organizationId)
    .where("chain_seq", "is not", null)
    .executeTakeFirstOrThrow();
  if (bounds.min === null) return 0;
  const end = firstYoung?.seq != null ? Number(firstYoung.seq) - 1 : Number(bounds.max);
  return Math.max(0, end - Number(bounds.min) + 1);
}

/**
 * Archives the oldest records of the organization's audit chain — a prefix, so the chain
 * stays whole — to the storage provider, leaves a checkpoint (the last archived record's place
 * and hash) that verification starts from, and deletes them. The archive holds every sealed
 * column, so it can be verified on its own from the previous checkpoint.
 */
async function archiveAuditPrefix(
  ctx: Ctx,
  policy: RetentionPolicyRow,
  cutoff: Date,
): Promise<{ rows: number; archiveId: string | null }> {
  const org = policy.organization_id;
  // Everything written so far takes its place first, so the prefix is settled.
  await sealAllAuditChains(ctx);
  const count = Math.min(BATCH, await auditPrefixLength(ctx, org, cutoff));
  if (!count) return { rows: 0, archiveId: null };
  return inTransaction(ctx, async (tx) => {
    await sql`lock table audit_chain_heads in exclusive mode`.execute(tx.db);
    const rows = await tx.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("organization_id", "=", org)
      .where("chain_seq", "is not", null)
      .orderBy("chain_seq")
      .limit(count)
      .execute();
    const last = rows[rows.length - 1];
    if (!last?.hash) return { rows: 0, archiveId: null };
    const archiveId = await writeArchive(tx, policy, {
      action: "archive",
      range: { from: oldest(rows, "created_at"), to: cutoff },
      rows: rows.length,
      archived: rows,
    });
    await tx.db
      .insertInto("audit_chain_checkpoints")
      .values({
        chain_key: org,
        seq: Number(last.chain_seq),
        hash: last.hash,
        archive_id: archiveId,
        created_at: tx.clock.now(),
      })
      .onConflict((oc) =>
        oc.column("chain_key").doUpdateSet({
          seq: Number(last.chain_seq),
          hash: last.hash as string,
          archive_id: archiveId,
          created_at: tx.clock.now(),
        }),
      )
      .execute();
    await tx.db
      .deleteFrom("audit_logs")
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .execute();
    return { rows: rows.length, archiveId };
  });
}

export async function listArchives(ctx: Ctx, organizationId: string, limit = 100) {
  return ctx.db
    .selectFrom("retention_archives")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
