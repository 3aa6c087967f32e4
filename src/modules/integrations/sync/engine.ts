import { sql } from "kysely";
import { audit } from "../../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../../platform/context.js";
import { AppError, isUniqueViolation } from "../../../platform/http/errors.js";
import { enqueueJob } from "../../../platform/jobs/queue.js";
import { mirrorExternalCourses, mirroredCourseIds } from "../../catalog/external.js";
import {
  type ExternalEnrollmentInput,
  type StoredExternalEnrollment,
  storeExternalEnrollments,
} from "../../enrollment/external.js";
import { type Connector, ConnectorError, type ExternalEnrollment } from "../connectors/types.js";
import { runExport } from "../exports/run.js";
import type { Rules } from "../rules.js";
import { applyIntegrationRules, revive } from "./apply-rules.js";
import { watchRun } from "./monitoring.js";
import {
  SYNC_ENTITIES,
  type SyncCursor,
  type SyncEntity,
  type SyncRecordOutcome,
  type SyncRunRow,
  type SyncSource,
  type SyncTrigger,
} from "./schema.js";

/**
 * The sync engine (issue 15 §3). A run is a job: it reads the external system page by page —
 * the courses, then each course's enrollments — and commits each page in one transaction with
 * the run's counters and its cursor. A worker that dies mid-run leaves the cursor at the last
 * committed page; the job is taken over when its lease runs out and the run goes on from there,
 * and as every write is an upsert keyed by the integration and the external id, a page done
 * twice changes nothing. Records that cannot be stored go to the run's report with their reason;
 * those that failed wait in the dead-letter list to be tried again.
 */

export const SYNC_JOB = "integrations.sync";

/** What the engine needs of an integration; loaded (credentials opened) by the integrations module. */
export interface SyncTarget {
  id: string;
  organizationId: string;
  name: string;
  direction: "import" | "export" | "both";
  isActive: boolean;
  /** Stands as the instructor of mirrored courses (a course needs one): the integration's owner. */
  ownerId: string | null;
  /** The integration's mapping, transformation and validation rules (rules.ts). */
  rules: Rules | null;
  connector: Connector;
}

/** Loads what a run reads from: the integration's connector, or the run's own source. */
export type TargetLoader = (ctx: Ctx, run: SyncRunRow) => Promise<SyncTarget>;

export const START: SyncCursor = {
  phase: "courses",
  coursePage: null,
  courses: [],
  courseIndex: 0,
  enrollmentPage: null,
};

/**
 * Queues a run of one integration (one at a time: a second request while one is queued or
 * running answers SYNC_IN_PROGRESS). Incremental: the run asks for what changed since the
 * start of the last run that finished, unless `full`. With `direction: "export"` the run pushes
 * Lyceum's people, enrollments and completions out instead (exports/run.ts); it is
 * incremental through what was sent before, so `full` and `since` do not apply.
 */
export async function requestSync(
  ctx: Ctx,
  integration: { id: string; organizationId: string },
  options: {
    dryRun?: boolean;
    full?: boolean;
    trigger?: SyncTrigger;
    source?: SyncSource;
    direction?: "import" | "export";
  } = {},
): Promise<SyncRunRow> {
  const direction = options.direction ?? "import";
  return inTransaction(ctx, async (tx) => {
    const last =
      options.full || options.source || direction === "export"
        ? undefined
        : await tx.db
            .selectFrom("integration_sync_runs")
            .select("started_at")
            .where("integration_id", "=", integration.id)
            .where("status", "in", ["succeeded", "partial"])
            .where("dry_run", "=", false)
            .where("direction", "=", "import")
            .orderBy("started_at", "desc")
            .limit(1)
            .executeTakeFirst();
    let run: SyncRunRow;
    try {
      run = await tx.db
        .insertInto("integration_sync_runs")
        .values({
          organization_id: integration.organizationId,
          integration_id: integration.id,
          direction,
          dry_run: options.dryRun ?? false,
          trigger: options.trigger ?? "manual",
          requested_by: tx.actor.kind === "user" ? tx.actor.userId : null,
          cursor: JSON.stringify(START),
          source: options.source ? JSON.stringify(options.source) : null,
          since: last?.started_at ?? null,
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError(
          "SYNC_IN_PROGRESS",
          "A sync of this integration is already queued or running",
        );
      throw error;
    }
    await enqueueJob(tx.db, SYNC_JOB, { runId: run.id }, { maxAttempts: 5, runAt: tx.clock.now() });
    await audit(tx, {
      organizationId: integration.organizationId,
      action: "integration.sync-requested",
      entityType: "integration",
      entityId: integration.id,
      after: {
        runId: run.id,
        direction,
        dryRun: run.dry_run,
        trigger: run.trigger,
        since: run.since,
        source: options.source ?? null,
      },
    });
    return run;
  });
}

export interface RecordLine {
  entity: SyncEntity;
  externalId: string;
  outcome: SyncRecordOutcome | "unchanged";
  reason?: string | null;
  changes?: Record<string, [unknown, unknown]> | null;
  /** For failures: what to keep in the dead-letter list. */
  payload?: unknown;
}

/**
 * Runs (or resumes) a queued run until it is done. Answers the run as it ended. A transient
 * failure of the external system (timeout, rate limit, unreachable) is thrown so the job is
 * tried again later from the cursor, unless this was the job's last attempt; any other failure
 * ends the run as failed, with the reason in words.
 */
export async function runSync(
  ctx: Ctx,
  runId: string,
  loadTarget: TargetLoader,
  attempt: { last: boolean } = { last: true },
): Promise<SyncRunRow> {
  let run = await ctx.db
    .selectFrom("integration_sync_runs")
    .selectAll()
    .where("id", "=", runId)
    .executeTakeFirstOrThrow();
  if (run.status !== "queued" && run.status !== "running") return run;
  const now = ctx.clock.now();
  run = await ctx.db
    .updateTable("integration_sync_runs")
    .set({ status: "running", started_at: run.started_at ?? now, updated_at: now })
    .where("id", "=", runId)
    .returningAll()
    .executeTakeFirstOrThrow();
  try {
    const target = await loadTarget(ctx, run);
    if (!target.isActive) return await finish(ctx, run, "cancelled", "The integration is inactive");
    if (run.direction === "export") {
      if (target.direction === "import")
        return await finish(ctx, run, "cancelled", "The integration only reads data in");
      await runExport(ctx, run, target);
    } else {
      if (target.direction === "export")
        return await finish(ctx, run, "cancelled", "The integration only sends data out");
      let cursor: SyncCursor = run.cursor ?? START;
      while (cursor.phase !== "done") {
        cursor =
          cursor.phase === "courses"
            ? await coursePage(ctx, run, target, cursor)
            : await enrollmentPage(ctx, run, target, cursor);
      }
    }
    run = await ctx.db
      .selectFrom("integration_sync_runs")
      .selectAll()
      .where("id", "=", runId)
      .executeTakeFirstOrThrow();
    return await finish(ctx, run, run.failed_count > 0 ? "partial" : "succeeded", null);
  } catch (error) {
    if (error instanceof ConnectorError && error.transient && !attempt.last) throw error;
    const message =
      error instanceof ConnectorError || error instanceof AppError
        ? error.message
        : "The sync stopped on an unexpected error; the server log has its details";
    const ended = await finish(ctx, run, "failed", message);
    if (!(error instanceof ConnectorError) && !(error instanceof AppError)) throw error;
    return ended;
  }
}

/** One page of courses: mirrored (or compared, in a dry run), then the cursor moves on. */
async function coursePage(
  ctx: Ctx,
  run: SyncRunRow,
  target: SyncTarget,
  cursor: SyncCursor,
): Promise<SyncCursor> {
  const began = Date.now();
  const page = await target.connector.listCourses({ cursor: cursor.coursePage, since: run.since });
  const remoteMs = Date.now() - began;
  return inTransaction(ctx, async (tx) => {
    const lines: RecordLine[] = [];
    const valid = page.items.filter((course) => {
      if (course.externalId && course.title?.trim()) return true;
      lines.push({
        entity: "course",
        externalId: course.externalId || "(none)",
        outcome: "failed",
        reason: "The course has no id or no title",
        payload: course,
      });
      return false;
    });
    if (valid.length && !target.ownerId)
      throw new AppError(
        "VALIDATION_ERROR",
        "The integration needs an owner to stand as instructor of its courses",
      );
    const mirrored = await mirrorExternalCourses(
      tx,
      {
        organizationId: run.organization_id,
        integrationId: run.integration_id,
        instructorId: target.ownerId as string,
      },
      valid,
      { dryRun: run.dry_run },
    );
    for (const m of mirrored)
      lines.push({
        entity: "course",
        externalId: m.externalId,
        outcome: m.outcome,
        changes: m.outcome === "updated" || run.dry_run ? m.changes : null,
      });
    const seen = new Set(cursor.courses);
    const courses = [
      ...cursor.courses,
      ...valid.map((c) => c.externalId).filter((id) => !seen.has(id)),
    ];
    let next: SyncCursor = { ...cursor, coursePage: page.next, courses };
    if (!page.next) {
      // Enrollments change without their course changing: every mirrored course is read.
      const known = await tx.db
        .selectFrom("courses")
        .select("external_id")
        .where("integration_id", "=", run.integration_id)
        .where("deleted_at", "is", null)
        .orderBy("created_at")
        .execute();
      const all = new Set(courses);
      for (const k of known) if (k.external_id) all.add(k.external_id);
      next = {
        ...next,
        phase: all.size ? "enrollments" : "done",
        courses: [...all],
        courseIndex: 0,
      };
    }
    await saveProgress(tx, run, next, lines, remoteMs);
    return next;
  });
}

/** One page of one course's enrollments: people found by email, stored, reported. */
async function enrollmentPage(
  ctx: Ctx,
  run: SyncRunRow,
  target: SyncTarget,
  cursor: SyncCursor,
): Promise<SyncCursor> {
  const courseExternalId = cursor.courses[cursor.courseIndex] as string;
  const began = Date.now();
  const page = await target.connector.listEnrollments(courseExternalId, {
    cursor: cursor.enrollmentPage,
    since: run.since,
  });
  const remoteMs = Date.now() - began;
  return inTransaction(ctx, async (tx) => {
    const lines = await storePage(tx, run, courseExternalId, page.items, target.rules);
    const next: SyncCursor = page.next
      ? { ...cursor, enrollmentPage: page.next }
      : cursor.courseIndex + 1 < cursor.courses.length
        ? { ...cursor, courseIndex: cursor.courseIndex + 1, enrollmentPage: null }
        : { ...cursor, phase: "done", enrollmentPage: null };
    await saveProgress(tx, run, next, lines, remoteMs);
    return next;
  });
}

/**
 * Resolves people and the course inside the run's organization and stores a page of
 * enrollments; answers the report lines. Used by runs and by dead-letter retries.
 */
async function storePage(
  ctx: Ctx,
  run: Pick<SyncRunRow, "organization_id" | "integration_id" | "dry_run">,
  courseExternalId: string,
  received: ExternalEnrollment[],
  rules: Rules | null,
): Promise<RecordLine[]> {
  const lines: RecordLine[] = [];
  const items: ExternalEnrollment[] = [];
  for (const original of received) {
    if (original.unreadable) {
      lines.push({
        entity: "enrollment",
        externalId: original.externalId || "(none)",
        outcome: "failed",
        reason: original.unreadable,
        payload: original,
      });
      continue;
    }
    const { item, problems } = applyIntegrationRules(rules, original);
    if (problems.length)
      lines.push({
        entity: "enrollment",
        externalId: original.externalId || "(none)",
        outcome: "failed",
        reason: `The integration's rules refused the record: ${problems.join("; ")}`,
        payload: original,
      });
    else items.push(item);
  }
  const courseIds = await mirroredCourseIds(ctx, run.integration_id, [courseExternalId]);
  const courseId = courseIds.get(courseExternalId) ?? null;
  const emails = [
    ...new Set(
      items.map((i) => i.person.email?.trim().toLowerCase()).filter((e): e is string => !!e),
    ),
  ];
  const people = emails.length
    ? await ctx.db
        .selectFrom("organization_members as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["u.id", "u.email"])
        .where("m.organization_id", "=", run.organization_id)
        // Addresses are stored in lower case: the unique index finds them.
        .where("u.email", "in", emails)
        .where("u.deleted_at", "is", null)
        .execute()
    : [];
  const byEmail = new Map(people.map((p) => [p.email, p.id]));
  const inputs: ExternalEnrollmentInput[] = [];
  for (const item of items) {
    const problem = !item.externalId
      ? "The enrollment has no id"
      : !item.person.email
        ? "The external system gave no email for this person"
        : null;
    if (problem) {
      lines.push({
        entity: "enrollment",
        externalId: item.externalId || "(none)",
        outcome: "failed",
        reason: problem,
        payload: item,
      });
      continue;
    }
    const email = item.person.email?.trim().toLowerCase() as string;
    const userId = byEmail.get(email);
    if (!userId) {
      lines.push({
        entity: "enrollment",
        externalId: item.externalId,
        outcome: "skipped",
        reason: `No member of the organization has the email ${email}`,
      });
      continue;
    }
    if (!courseId) {
      if (run.dry_run) {
        lines.push({
          entity: "enrollment",
          externalId: item.externalId,
          outcome: "created",
          changes: { status: [null, item.status], course: [null, courseExternalId] },
        });
        continue;
      }
      lines.push({
        entity: "enrollment",
        externalId: item.externalId,
        outcome: "failed",
        reason: `The course ${courseExternalId} is not mirrored`,
        payload: item,
      });
      continue;
    }
    inputs.push({ ...item, userId, courseId });
  }
  const { stored, conflicts } = await storeExternalEnrollments(
    ctx,
    { organizationId: run.organization_id, integrationId: run.integration_id },
    inputs,
    { dryRun: run.dry_run },
  );
  const byId = new Map(items.map((i) => [i.externalId, i]));
  for (const [externalId, reason] of conflicts)
    lines.push({
      entity: "enrollment",
      externalId,
      outcome: "failed",
      reason,
      payload: byId.get(externalId),
    });
  for (const s of stored) lines.push(lineOf(s, run.dry_run));
  return lines;
}

function lineOf(s: StoredExternalEnrollment, dryRun: boolean): RecordLine {
  return {
    entity: "enrollment",
    externalId: s.externalId,
    outcome: s.outcome,
    changes: s.outcome === "updated" || (dryRun && s.outcome === "created") ? s.changes : null,
  };
}

/** Commits a page's report lines, dead letters, counters and the cursor with its data. */
export async function saveProgress(
  ctx: Ctx,
  run: SyncRunRow,
  cursor: SyncCursor,
  lines: RecordLine[],
  /** Time the external system took to answer the page, when one was asked. */
  remoteMs: number | null = null,
): Promise<void> {
  const count = (outcome: RecordLine["outcome"]) =>
    lines.filter((l) => l.outcome === outcome).length;
  const now = ctx.clock.now();
  const reported = lines.filter((l) => l.outcome !== "unchanged");
  if (reported.length)
    await sql`
      insert into integration_sync_records (run_id, organization_id, entity, external_id, outcome, reason, changes)
      select ${run.id}, ${run.organization_id}, r.entity, r.external_id, r.outcome, r.reason, r.changes
      from jsonb_to_recordset(${JSON.stringify(
        reported.map((l) => ({
          entity: l.entity,
          external_id: l.externalId,
          outcome: l.outcome,
          reason: l.reason ?? null,
          changes: l.changes ?? null,
        })),
      )}::jsonb) as r (entity text, external_id text, outcome text, reason text, changes jsonb)`.execute(
      ctx.db,
    );
  if (!run.dry_run) {
    const failed = lines.filter((l) => l.outcome === "failed");
    if (failed.length)
      await sql`
        insert into integration_dead_letters as d (organization_id, integration_id, run_id, entity, external_id, payload, error)
        select ${run.organization_id}, ${run.integration_id}, ${run.id}, r.entity, r.external_id, r.payload, r.error
        from jsonb_to_recordset(${JSON.stringify(
          failed.map((l) => ({
            entity: l.entity,
            external_id: l.externalId,
            payload: l.payload ?? {},
            error: l.reason ?? "Failed",
          })),
        )}::jsonb) as r (entity text, external_id text, payload jsonb, error text)
        on conflict (integration_id, entity, external_id) where status = 'open' do update set
          attempts = d.attempts + 1, error = excluded.error, payload = excluded.payload,
          run_id = excluded.run_id, updated_at = ${now}`.execute(ctx.db);
    const done = lines.filter(
      (l) => l.outcome === "created" || l.outcome === "updated" || l.outcome === "unchanged",
    );
    if (done.length)
      await ctx.db
        .updateTable("integration_dead_letters")
        .set({ status: "retried", updated_at: now })
        .where("integration_id", "=", run.integration_id)
        .where("status", "=", "open")
        .where((eb) =>
          eb.or(
            SYNC_ENTITIES.map((entity) =>
              eb.and([
                eb("entity", "=", entity),
                eb("external_id", "in", [
                  ...done.filter((l) => l.entity === entity).map((l) => l.externalId),
                  "",
                ]),
              ]),
            ),
          ),
        )
        .execute();
  }
  await ctx.db
    .updateTable("integration_sync_runs")
    .set((eb) => ({
      cursor: JSON.stringify(cursor),
      pages: eb("pages", "+", 1),
      remote_calls: eb("remote_calls", "+", remoteMs === null ? 0 : 1),
      remote_ms: eb("remote_ms", "+", Math.round(remoteMs ?? 0)),
      created_count: eb("created_count", "+", count("created")),
      updated_count: eb("updated_count", "+", count("updated")),
      unchanged_count: eb("unchanged_count", "+", count("unchanged")),
      skipped_count: eb("skipped_count", "+", count("skipped")),
      failed_count: eb("failed_count", "+", count("failed")),
      updated_at: now,
    }))
    .where("id", "=", run.id)
    .execute();
}

/** Ends a run and notes it on the integration (its last sync, and its error count). */
export async function finish(
  ctx: Ctx,
  run: SyncRunRow,
  status: "succeeded" | "partial" | "failed" | "cancelled",
  error: string | null,
): Promise<SyncRunRow> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const ended = await tx.db
      .updateTable("integration_sync_runs")
      .set({ status, error, finished_at: now, updated_at: now })
      .where("id", "=", run.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (!run.dry_run && status !== "cancelled")
      await tx.db
        .updateTable("lms_integrations")
        .set((eb) =>
          status === "failed"
            ? {
                last_sync_at: now,
                last_error: error,
                error_count: eb("error_count", "+", 1),
                connection_status: "error",
              }
            : { last_sync_at: now, last_successful_sync_at: now, error_count: 0, last_error: null },
        )
        .where("id", "=", run.integration_id)
        .execute();
    if (!run.dry_run) await watchRun(tx, ended);
    await audit(tx, {
      organizationId: run.organization_id,
      action: `integration.sync-${status}`,
      entityType: "integration",
      entityId: run.integration_id,
      after: {
        runId: run.id,
        direction: run.direction,
        dryRun: run.dry_run,
        created: ended.created_count,
        updated: ended.updated_count,
        unchanged: ended.unchanged_count,
        skipped: ended.skipped_count,
        failed: ended.failed_count,
        error,
      },
    });
    return ended;
  });
}

/**
 * Tries the open dead letters of an integration again (those of enrollments: their payload is
 * the record as the external system sent it), in a run of its own with trigger `retry`.
 */
export async function retryDeadLetters(
  ctx: Ctx,
  integration: { id: string; organizationId: string },
  ids?: string[],
): Promise<SyncRunRow> {
  const run = await requestRetryRun(ctx, integration);
  let letters = ctx.db
    .selectFrom("integration_dead_letters")
    .selectAll()
    .where("integration_id", "=", integration.id)
    .where("status", "=", "open")
    .where("entity", "=", "enrollment")
    // Records an export could not push are pushed again by the next export run.
    .where(sql<boolean>`payload->>'direction' is distinct from 'export'`);
  if (ids) letters = letters.where("id", "in", ids.length ? ids : [""]);
  const rows = await letters.orderBy("created_at").execute();
  const byCourse = new Map<string, ExternalEnrollment[]>();
  for (const row of rows) {
    const item = revive(row.payload as ExternalEnrollment);
    const list = byCourse.get(item.courseExternalId) ?? [];
    list.push(item);
    byCourse.set(item.courseExternalId, list);
  }
  const rules = await rulesOfIntegration(ctx, integration.id);
  await inTransaction(ctx, async (tx) => {
    for (const [course, items] of byCourse)
      await saveProgress(
        tx,
        run,
        { ...START, phase: "done" },
        await storePage(tx, run, course, items, rules),
      );
  });
  const counted = await ctx.db
    .selectFrom("integration_sync_runs")
    .selectAll()
    .where("id", "=", run.id)
    .executeTakeFirstOrThrow();
  return finish(ctx, counted, counted.failed_count > 0 ? "partial" : "succeeded", null);
}

async function requestRetryRun(ctx: Ctx, integration: { id: string; organizationId: string }) {
  try {
    return await ctx.db
      .insertInto("integration_sync_runs")
      .values({
        organization_id: integration.organizationId,
        integration_id: integration.id,
        trigger: "retry",
        requested_by: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        status: "running",
        started_at: ctx.clock.now(),
        cursor: JSON.stringify({ ...START, phase: "done" }),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(
        "SYNC_IN_PROGRESS",
        "A sync of this integration is already queued or running",
      );
    throw error;
  }
}

/** The stored rules of an integration. */
async function rulesOfIntegration(ctx: Ctx, id: string): Promise<Rules> {
  const row = await ctx.db
    .selectFrom("lms_integrations")
    .select(["field_mappings", "transformation_rules", "validation_rules"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return {
    fieldMappings: row.field_mappings as Rules["fieldMappings"],
    transformationRules: row.transformation_rules as Rules["transformationRules"],
    validationRules: row.validation_rules as Rules["validationRules"],
  };
}
