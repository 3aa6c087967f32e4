import { sql } from "kysely";
import { audit } from "../../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../../platform/context.js";
import { AppError } from "../../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../../platform/http/pagination.js";
import { type Integration, visibleIntegration } from "../integrations.js";
import type { DeadLetterRow, SyncRecordRow, SyncRunRow } from "./schema.js";

/** The reading side of sync runs, their reports and dead letters, and monitoring settings. */

export async function listRuns(
  ctx: Ctx,
  integrationId: string,
  query: PageRequest & { status?: SyncRunRow["status"]; dryRun?: boolean },
) {
  await visibleIntegration(ctx, integrationId);
  let q = ctx.db
    .selectFrom("integration_sync_runs as r")
    .selectAll("r")
    .where("r.integration_id", "=", integrationId);
  if (query.status) q = q.where("r.status", "=", query.status);
  if (query.dryRun !== undefined) q = q.where("r.dry_run", "=", query.dryRun);
  return paginate(q, query, sortOf(query.sort, { createdAt: "r.created_at" }), "r.id");
}

/** A run the caller may see (through its integration); anything else is not found. */
export async function visibleRun(
  ctx: Ctx,
  runId: string,
): Promise<{ run: SyncRunRow; integration: Integration }> {
  const run = await ctx.db
    .selectFrom("integration_sync_runs")
    .selectAll()
    .where("id", "=", runId)
    .executeTakeFirst();
  if (!run) throw new AppError("NOT_FOUND", "Sync run not found");
  try {
    return { run, integration: await visibleIntegration(ctx, run.integration_id) };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND")
      throw new AppError("NOT_FOUND", "Sync run not found");
    throw error;
  }
}

export async function listRecords(
  ctx: Ctx,
  runId: string,
  query: PageRequest & {
    outcome?: SyncRecordRow["outcome"];
    entity?: SyncRecordRow["entity"];
    externalId?: string;
  },
) {
  await visibleRun(ctx, runId);
  let q = ctx.db
    .selectFrom("integration_sync_records as r")
    .selectAll("r")
    .where("r.run_id", "=", runId);
  if (query.outcome) q = q.where("r.outcome", "=", query.outcome);
  if (query.entity) q = q.where("r.entity", "=", query.entity);
  if (query.externalId) q = q.where("r.external_id", "=", query.externalId);
  return paginate(
    q,
    query,
    sortOf(query.sort, { createdAt: "r.created_at", externalId: "r.external_id" }),
    "r.id",
  );
}

export async function listDeadLetters(
  ctx: Ctx,
  integrationId: string,
  query: PageRequest & { status?: DeadLetterRow["status"] },
) {
  await visibleIntegration(ctx, integrationId);
  let q = ctx.db
    .selectFrom("integration_dead_letters as d")
    .selectAll("d")
    .where("d.integration_id", "=", integrationId);
  if (query.status) q = q.where("d.status", "=", query.status);
  return paginate(
    q,
    query,
    sortOf(query.sort, { createdAt: "d.created_at", updatedAt: "d.updated_at" }),
    "d.id",
  );
}

/** Gives up on a dead letter: it stays listed as discarded, with who did it in the audit log. */
export async function discardDeadLetter(ctx: Ctx, id: string): Promise<DeadLetterRow> {
  const letter = await ctx.db
    .selectFrom("integration_dead_letters")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  const integration = letter
    ? await visibleIntegration(ctx, letter.integration_id).catch(() => null)
    : null;
  if (!letter || !integration) throw new AppError("NOT_FOUND", "Dead letter not found");
  if (letter.status !== "open")
    throw new AppError("CONFLICT", `The dead letter is already ${letter.status}`);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .updateTable("integration_dead_letters")
      .set({ status: "discarded", updated_at: tx.clock.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: letter.organization_id,
      action: "integration.dead-letter-discarded",
      entityType: "integration",
      entityId: letter.integration_id,
      after: { deadLetterId: id, externalId: letter.external_id, entity: letter.entity },
    });
    return row;
  });
}

export async function listIncidents(
  ctx: Ctx,
  integrationId: string,
  query: PageRequest & { status?: "open" | "resolved" },
) {
  await visibleIntegration(ctx, integrationId);
  let q = ctx.db
    .selectFrom("integration_incidents as i")
    .selectAll("i")
    .where("i.integration_id", "=", integrationId);
  if (query.status) q = q.where("i.status", "=", query.status);
  return paginate(q, query, sortOf(query.sort, { openedAt: "i.opened_at" }), "i.id");
}

/** The service level and the failures that open an incident, audited. */
export async function setMonitoring(
  ctx: Ctx,
  integrationId: string,
  input: { slaHours: number | null; incidentAfterFailures: number },
): Promise<Integration> {
  const before = await visibleIntegration(ctx, integrationId);
  return inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable("lms_integrations")
      .set({
        sla_hours: input.slaHours,
        incident_after_failures: input.incidentAfterFailures,
        updated_at: tx.clock.now(),
        updated_by: tx.actor.kind === "user" ? tx.actor.userId : null,
      })
      .where("id", "=", integrationId)
      .execute();
    await audit(tx, {
      organizationId: before.organization_id,
      action: "integration.monitoring-update",
      entityType: "integration",
      entityId: integrationId,
      before: { slaHours: before.sla_hours, incidentAfterFailures: before.incident_after_failures },
      after: input,
    });
    return visibleIntegration(tx, integrationId);
  });
}

/** Counts of an organization's external learning per integration (seed 003 §9.1 lms-analytics). */
export async function externalAnalytics(ctx: Ctx, organizationId: string) {
  const rows = await ctx.db
    .selectFrom("lms_integrations as i")
    .leftJoin("enrollments as e", (join) =>
      join
        .onRef("e.integration_id", "=", "i.id")
        .onRef("e.organization_id", "=", "i.organization_id"),
    )
    .select([
      "i.id",
      "i.name",
      "i.lms_type",
      "i.sla_hours",
      "i.last_successful_sync_at",
      sql<number>`count(e.id)::integer`.as("enrollments"),
      sql<number>`count(e.id) filter (where e.status = 'completed')::integer`.as("completed"),
      sql<number>`count(e.id) filter (where e.status = 'active')::integer`.as("active"),
      sql<number>`count(distinct e.user_id)::integer`.as("learners"),
      sql<number>`count(distinct e.course_id)::integer`.as("courses"),
      sql<number | null>`round(avg(e.score), 2)`.as("averageScore"),
      sql<number>`coalesce(sum(e.credits), 0)`.as("credits"),
      sql<number>`coalesce(sum(e.time_spent_seconds), 0)::bigint`.as("seconds"),
      sql<Record<string, number> | null>`(select jsonb_object_agg(currency, total) from (
        select x.currency, sum(x.amount)::bigint as total from enrollments x
        where x.integration_id = i.id and x.organization_id = i.organization_id
          and x.amount is not null and x.currency is not null
        group by x.currency) costs)`.as("cost"),
    ])
    .where("i.organization_id", "=", organizationId)
    .where("i.deleted_at", "is", null)
    .groupBy("i.id")
    .orderBy("i.name")
    .execute();
  return rows.map((r) => ({
    integrationId: r.id,
    name: r.name,
    lmsType: r.lms_type,
    enrollments: r.enrollments,
    active: r.active,
    completed: r.completed,
    completionRate: r.enrollments ? Math.round((r.completed / r.enrollments) * 1000) / 1000 : null,
    learners: r.learners,
    courses: r.courses,
    averageScore: r.averageScore === null ? null : Number(r.averageScore),
    credits: Number(r.credits),
    hoursSpent: Math.round((Number(r.seconds) / 3600) * 10) / 10,
    costMinor: Object.fromEntries(Object.entries(r.cost ?? {}).map(([k, v]) => [k, Number(v)])),
    lastSuccessfulSyncAt: r.last_successful_sync_at,
    slaHours: r.sla_hours,
  }));
}
