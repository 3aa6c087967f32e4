import { type Selectable, sql } from "kysely";
import type { Db } from "../../db/connection.js";
import type { JobsTable } from "../../db/schema.js";

export type JobRow = Selectable<JobsTable>;

export interface EnqueueOptions {
  runAt?: Date;
  priority?: number;
  maxAttempts?: number;
  /** At most one queued or running job per key; a second enqueue returns null. */
  dedupeKey?: string;
}

/** Adds a job to the queue, in the caller's transaction when given one. */
export async function enqueueJob(
  db: Db,
  name: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const row = await db
    .insertInto("jobs")
    .values({
      name,
      payload: JSON.stringify(payload),
      run_at: options.runAt ?? sql<Date>`now()`,
      priority: options.priority ?? 0,
      max_attempts: options.maxAttempts ?? 3,
      dedupe_key: options.dedupeKey ?? null,
    })
    .onConflict((oc) =>
      oc
        .column("dedupe_key")
        // Literal, not parameters: the arbiter index is chosen when the statement is planned,
        // and a generic plan of a prepared statement cannot prove `status in ($1, $2)` implies
        // the partial index's predicate.
        .where(sql<boolean>`dedupe_key is not null and status in ('queued', 'running')`)
        .doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Claims the most urgent due job among `names` under a lease. `FOR UPDATE SKIP LOCKED` lets
 * any number of workers share the queue without claiming the same job twice.
 */
export async function claimJob(
  db: Db,
  workerId: string,
  names: string[],
  leaseMs: number,
  now: Date,
): Promise<JobRow | undefined> {
  if (names.length === 0) return undefined;
  return db
    .updateTable("jobs")
    .set({
      status: "running",
      attempts: sql`attempts + 1`,
      locked_by: workerId,
      lease_expires_at: new Date(now.getTime() + leaseMs),
      started_at: now,
    })
    .where(
      "id",
      "=",
      db
        .selectFrom("jobs")
        .select("id")
        .where("status", "=", "queued")
        .where("run_at", "<=", now)
        .where("name", "in", names)
        .orderBy("priority", "desc")
        .orderBy("run_at")
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Pushes a running job's lease forward; false when the job is no longer this worker's. */
export async function extendLease(
  db: Db,
  id: string,
  workerId: string,
  leaseMs: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({ lease_expires_at: new Date(now.getTime() + leaseMs) })
    .where("id", "=", id)
    .where("locked_by", "=", workerId)
    .where("status", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function completeJob(
  db: Db,
  id: string,
  workerId: string,
  result: unknown,
  now: Date,
) {
  await db
    .updateTable("jobs")
    .set({
      status: "completed",
      result: JSON.stringify(result ?? null),
      finished_at: now,
      lease_expires_at: null,
      last_error: null,
    })
    .where("id", "=", id)
    .where("locked_by", "=", workerId)
    .execute();
}

/** Records a failure; the job goes back to the queue with backoff until its attempts run out. */
export async function failJob(db: Db, job: JobRow, workerId: string, error: unknown, now: Date) {
  const retry = job.attempts < job.max_attempts;
  const backoffMs = Math.min(2 ** job.attempts * 5_000, 15 * 60_000);
  await db
    .updateTable("jobs")
    .set({
      status: retry ? "queued" : "failed",
      // The message only: administrators read it through the API; the stack is in the log.
      last_error: String((error as Error)?.message ?? error).slice(0, 4000),
      run_at: retry ? new Date(now.getTime() + backoffMs) : job.run_at,
      finished_at: retry ? null : now,
      lease_expires_at: null,
      locked_by: null,
    })
    .where("id", "=", job.id)
    .where("locked_by", "=", workerId)
    .execute();
}

/** Returns jobs whose worker vanished (lease expired) to the queue. */
export async function requeueExpiredLeases(db: Db, now: Date): Promise<number> {
  const result = await db
    .updateTable("jobs")
    .set({ status: "queued", locked_by: null, lease_expires_at: null })
    .where("status", "=", "running")
    .where("lease_expires_at", "<", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
