import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { sealAllAuditChains } from "../../platform/audit/chain.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, notFound } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { enqueueJob } from "../../platform/jobs/queue.js";
import { can } from "../../platform/policy/engine.js";
import { eraseSubject } from "./erasure.js";
import { buildExportZip } from "./export.js";
import type { PrivacyRequestRow, PrivacyRequestType } from "./schema.js";

export const PROCESS_JOB = "privacy.process-request";
/** How long an export's file stays downloadable. */
export const EXPORT_DAYS = 30;

/**
 * Data subject requests. An organization's privacy managers file them for a member (scope:
 * what the organization holds); the platform administrator for anyone (scope: the account);
 * a person for themselves (their account). Exports and erasures are worked by a job; an
 * erasure a person asks for themselves waits for the platform administrator, who processes or
 * rejects it. A restriction is in force as soon as it is recorded, until lifted.
 */
export interface NewRequest {
  organizationId: string | null;
  type: PrivacyRequestType;
  subjectUserId: string;
  reason?: string | null;
  /** The person asking for themselves: an erasure then waits for the platform administrator. */
  self?: boolean;
}

const requesterOf = (ctx: Ctx) => (ctx.actor.kind === "user" ? ctx.actor.userId : null);

export async function createPrivacyRequest(
  ctx: Ctx,
  input: NewRequest,
): Promise<PrivacyRequestRow> {
  return inTransaction(ctx, async (tx) => {
    const subject = await tx.db
      .selectFrom("users")
      .select(["id", "deleted_at"])
      .where("id", "=", input.subjectUserId)
      .executeTakeFirst();
    if (!subject) throw notFound("Person");
    if (input.organizationId) {
      const member = await tx.db
        .selectFrom("organization_members")
        .select("id")
        .where("organization_id", "=", input.organizationId)
        .where("user_id", "=", input.subjectUserId)
        .executeTakeFirst();
      if (!member) throw notFound("Person");
    }
    if (input.type !== "export" && subject.deleted_at)
      throw new AppError("CONFLICT", "This person's account was already erased");
    if (input.type === "restriction") {
      const existing = await restrictionOf(tx, input.subjectUserId, input.organizationId);
      if (existing && existing.organization_id === input.organizationId)
        throw new AppError(
          "ALREADY_EXISTS",
          "Processing of this person's data is already restricted",
        );
    }
    const now = tx.clock.now();
    const immediate = input.type === "restriction";
    const row = await tx.db
      .insertInto("privacy_requests")
      .values({
        organization_id: input.organizationId,
        type: input.type,
        status: immediate ? "completed" : "requested",
        subject_user_id: input.subjectUserId,
        requested_by: requesterOf(tx),
        reason: input.reason ?? null,
        scope: input.organizationId ? "organization" : "account",
        completed_at: immediate ? now : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: input.organizationId,
      action: immediate ? "privacy-request.restriction-applied" : "privacy-request.created",
      entityType: "privacy-request",
      entityId: row.id,
      after: {
        type: row.type,
        subjectUserId: row.subject_user_id,
        scope: row.scope,
        reason: row.reason,
      },
      regulatoryImpact: "gdpr",
      dataSensitivity: "pii",
    });
    // A person's own erasure of their account waits for the platform administrator.
    if (!immediate && !(input.self && input.type === "erasure"))
      await enqueueJob(tx.db, PROCESS_JOB, { requestId: row.id }, { runAt: now });
    return row;
  });
}

export async function getPrivacyRequest(
  ctx: Ctx,
  id: string,
  organizationId?: string | null,
): Promise<PrivacyRequestRow> {
  let query = ctx.db.selectFrom("privacy_requests").selectAll().where("id", "=", id);
  if (organizationId !== undefined)
    query = organizationId === null ? query : query.where("organization_id", "=", organizationId);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("Request");
  return row;
}

/** A request with the name of the person it is about (null once nothing names them). */
export type NamedPrivacyRequest = PrivacyRequestRow & { subject_name: string | null };

const subjectName = sql<string | null>`nullif(trim(s.first_name || ' ' || s.last_name), '')`.as(
  "subject_name",
);

/** Names the person a request is about, for the answers about one request. */
export async function withSubjectName(
  ctx: Ctx,
  row: PrivacyRequestRow,
): Promise<NamedPrivacyRequest> {
  const person = await ctx.db
    .selectFrom("users as s")
    .select(subjectName)
    .where("s.id", "=", row.subject_user_id)
    .executeTakeFirst();
  return { ...row, subject_name: person?.subject_name ?? null };
}

export async function listPrivacyRequests(
  ctx: Ctx,
  filter: {
    organizationId?: string | null;
    subjectUserId?: string;
    type?: PrivacyRequestType;
    status?: string;
    page: number;
    limit: number;
  },
) {
  // the subject's name with each row: lists name people beyond any page of members
  let query = ctx.db
    .selectFrom("privacy_requests as r")
    .leftJoin("users as s", "s.id", "r.subject_user_id")
    .selectAll("r")
    .select(subjectName);
  if (filter.organizationId) query = query.where("r.organization_id", "=", filter.organizationId);
  if (filter.subjectUserId) query = query.where("r.subject_user_id", "=", filter.subjectUserId);
  if (filter.type) query = query.where("r.type", "=", filter.type);
  if (filter.status)
    query = query.where("r.status", "=", filter.status as PrivacyRequestRow["status"]);
  return paginate(query, filter, { column: "r.created_at", direction: "desc" }, "r.id");
}

/** Works an export or an erasure (the job, or the platform administrator's "process"). */
export async function processPrivacyRequest(ctx: Ctx, id: string): Promise<PrivacyRequestRow> {
  const claimed = await ctx.db
    .updateTable("privacy_requests")
    .set({ status: "processing", updated_at: ctx.clock.now() })
    .where("id", "=", id)
    .where("status", "=", "requested")
    .returningAll()
    .executeTakeFirst();
  if (!claimed) {
    const row = await getPrivacyRequest(ctx, id);
    if (row.status === "processing" || row.status === "completed") return row;
    throw new AppError("REQUEST_NOT_PENDING", "This request is no longer waiting to be processed");
  }
  try {
    if (claimed.type === "export") {
      const { body, checksum, counts } = await buildExportZip(ctx, {
        requestId: claimed.id,
        userId: claimed.subject_user_id,
        organizationId: claimed.organization_id,
      });
      const key = `privacy/${claimed.organization_id ?? "platform"}/${claimed.id}.zip`;
      await ctx.storage.put(key, body, "application/zip");
      return await complete(ctx, claimed, {
        file_key: key,
        file_size: body.length,
        file_checksum: checksum,
        summary: JSON.stringify({ counts }),
        expires_at: new Date(ctx.clock.now().getTime() + EXPORT_DAYS * 86_400_000),
      });
    }
    const result = await inTransaction(ctx, async (tx) => {
      const erased = await eraseSubject(tx, {
        requestId: claimed.id,
        userId: claimed.subject_user_id,
        organizationId: claimed.organization_id,
      });
      return complete(tx, claimed, { summary: JSON.stringify({ counts: erased.counts }) });
    });
    // The attestations of redacted audit records take their place in the chains at once, so
    // verification holds from now on.
    await sealAllAuditChains(ctx);
    return result;
  } catch (error) {
    await ctx.db
      .updateTable("privacy_requests")
      .set({
        status: "requested",
        error: error instanceof Error ? error.message.slice(0, 1000) : String(error),
        updated_at: ctx.clock.now(),
      })
      .where("id", "=", id)
      .execute();
    throw error;
  }
}

async function complete(
  ctx: Ctx,
  row: PrivacyRequestRow,
  set: {
    file_key?: string;
    file_size?: number;
    file_checksum?: string;
    summary: string;
    expires_at?: Date;
  },
): Promise<PrivacyRequestRow> {
  const now = ctx.clock.now();
  const done = await ctx.db
    .updateTable("privacy_requests")
    .set({ ...set, status: "completed", completed_at: now, error: null, updated_at: now })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    organizationId: row.organization_id,
    action: `privacy-request.${row.type === "export" ? "exported" : "erased"}`,
    entityType: "privacy-request",
    entityId: row.id,
    after: { subjectUserId: row.subject_user_id, scope: row.scope, ...JSON.parse(set.summary) },
    regulatoryImpact: "gdpr",
    dataSensitivity: "pii",
    riskLevel: row.type === "erasure" ? "high" : "medium",
  });
  return done;
}

export async function rejectPrivacyRequest(
  ctx: Ctx,
  row: PrivacyRequestRow,
  note: string,
): Promise<PrivacyRequestRow> {
  if (row.status !== "requested")
    throw new AppError("REQUEST_NOT_PENDING", "Only a request still waiting can be rejected");
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const done = await tx.db
      .updateTable("privacy_requests")
      .set({
        status: "rejected",
        decided_by: requesterOf(tx),
        decision_note: note,
        updated_at: now,
      })
      .where("id", "=", row.id)
      .where("status", "=", "requested")
      .returningAll()
      .executeTakeFirst();
    if (!done)
      throw new AppError("REQUEST_NOT_PENDING", "Only a request still waiting can be rejected");
    await audit(tx, {
      organizationId: row.organization_id,
      action: "privacy-request.rejected",
      entityType: "privacy-request",
      entityId: row.id,
      before: { status: row.status },
      after: { status: "rejected", note },
      regulatoryImpact: "gdpr",
    });
    return done;
  });
}

export async function liftRestriction(
  ctx: Ctx,
  row: PrivacyRequestRow,
  note: string | null,
): Promise<PrivacyRequestRow> {
  if (row.type !== "restriction" || row.status !== "completed")
    throw new AppError("REQUEST_NOT_PENDING", "Only a restriction in force can be lifted");
  return inTransaction(ctx, async (tx) => {
    const done = await tx.db
      .updateTable("privacy_requests")
      .set({
        status: "lifted",
        decided_by: requesterOf(tx),
        decision_note: note,
        updated_at: tx.clock.now(),
      })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "privacy-request.restriction-lifted",
      entityType: "privacy-request",
      entityId: row.id,
      before: { status: "completed" },
      after: { status: "lifted", note },
      regulatoryImpact: "gdpr",
    });
    return done;
  });
}

/**
 * The restriction in force for a person in an organization: one of the organization's, or one
 * on the whole account.
 */
export async function restrictionOf(
  ctx: Ctx,
  userId: string,
  organizationId: string | null,
): Promise<PrivacyRequestRow | undefined> {
  return ctx.db
    .selectFrom("privacy_requests")
    .selectAll()
    .where("type", "=", "restriction")
    .where("status", "=", "completed")
    .where("subject_user_id", "=", userId)
    .where((eb) =>
      organizationId
        ? eb.or([eb("organization_id", "=", organizationId), eb("organization_id", "is", null)])
        : eb("organization_id", "is", null),
    )
    .executeTakeFirst();
}

/** The export's file, for its requester, its subject or a privacy manager of its scope. */
export async function exportFile(
  ctx: Ctx,
  id: string,
): Promise<{ row: PrivacyRequestRow; body: Buffer }> {
  const row = await getPrivacyRequest(ctx, id);
  const me = requesterOf(ctx);
  const access = await ctx.actor.access();
  const allowed =
    (me && (row.requested_by === me || row.subject_user_id === me)) ||
    can(access, "privacy:manage", { organizationId: row.organization_id });
  if (!allowed) throw notFound("Request");
  if (row.type !== "export" || row.status !== "completed" || !row.file_key)
    throw new AppError("CONFLICT", "The export is not ready");
  if (row.expires_at && row.expires_at <= ctx.clock.now())
    throw new AppError("CONFLICT", "The export has expired; ask for a new one");
  const body = await ctx.storage.get(row.file_key);
  if (!body) throw notFound("File");
  await audit(ctx, {
    organizationId: row.organization_id,
    action: "privacy-request.downloaded",
    entityType: "privacy-request",
    entityId: row.id,
    regulatoryImpact: "gdpr",
    dataSensitivity: "pii",
  });
  return { row, body };
}
