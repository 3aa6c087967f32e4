import { sql } from "kysely";
import type { Db } from "./connection.js";

/**
 * Vacuum and planner statistics for the embedded engine.
 *
 * PGlite runs PostgreSQL in single-user mode, where the autovacuum launcher never starts: its
 * `autovacuum` setting reads `on`, yet no table is ever vacuumed or analyzed. Without this
 * job an embedded Lyceum keeps every dead row version its updates and deletes leave (sessions,
 * progress, the job queue), and the planner keeps the statistics of the day a table was
 * created, which is none for every table the migrations made. Index-only scans need the
 * visibility map that only vacuum sets, so counts stay full table scans as well.
 *
 * `vacuumWhereDue` does what autovacuum would, with its default thresholds: it reads the
 * engine's activity statistics and vacuums (and analyzes) the tables with enough dead or
 * newly inserted rows, and analyzes those with enough changed rows. A PostgreSQL server
 * runs autovacuum itself, so the scheduled job only calls this on the embedded engine.
 */

/** Autovacuum's defaults (PostgreSQL 15): a base number of rows plus a fraction of the table. */
export const AUTOVACUUM_THRESHOLDS = {
  /** `autovacuum_vacuum_threshold` and `autovacuum_vacuum_scale_factor`: dead rows. */
  vacuum: { base: 50, fraction: 0.2 },
  /** `autovacuum_vacuum_insert_threshold` and its scale factor: rows inserted since the last vacuum. */
  insert: { base: 1000, fraction: 0.2 },
  /** `autovacuum_analyze_threshold` and `autovacuum_analyze_scale_factor`: rows changed. */
  analyze: { base: 50, fraction: 0.1 },
};

export type VacuumThresholds = typeof AUTOVACUUM_THRESHOLDS;

/** What was done to one table, and why. */
export interface TableMaintenance {
  table: string;
  /** `vacuum`: vacuumed and analyzed; `analyze`: statistics only. */
  action: "vacuum" | "analyze";
  deadRows: number;
  insertedRows: number;
  changedRows: number;
}

interface TableActivity {
  table: string;
  dead: number;
  inserted: number;
  changed: number;
  /** The planner's row estimate; -1 (or 0) before the first vacuum or analyze. */
  rows: number;
}

/** The tables of the application's schema that autovacuum's rules would pick now. */
export async function dueTables(
  db: Db,
  thresholds: VacuumThresholds = AUTOVACUUM_THRESHOLDS,
): Promise<TableMaintenance[]> {
  // A backend hands its activity counts to the statistics at most once a second; what it did
  // since (on the embedded engine, every request's work) shows only after the next hand-over.
  // Forcing one, at the end of this statement, makes the read below see all of it.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<TableActivity>`
    select s.relname as "table", s.n_dead_tup::integer as dead,
           s.n_ins_since_vacuum::integer as inserted, s.n_mod_since_analyze::integer as changed,
           c.reltuples::float8 as rows
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
    order by s.relname`.execute(db);
  const over = (count: number, rule: { base: number; fraction: number }, size: number) =>
    count > rule.base + rule.fraction * size;
  const due: TableMaintenance[] = [];
  for (const t of rows) {
    const size = Math.max(0, Number(t.rows));
    const vacuum =
      over(Number(t.dead), thresholds.vacuum, size) ||
      over(Number(t.inserted), thresholds.insert, size);
    const analyze = over(Number(t.changed), thresholds.analyze, size);
    if (!vacuum && !analyze) continue;
    due.push({
      table: t.table,
      action: vacuum ? "vacuum" : "analyze",
      deadRows: Number(t.dead),
      insertedRows: Number(t.inserted),
      changedRows: Number(t.changed),
    });
  }
  return due;
}

/**
 * Vacuums and analyzes the tables that are due, one statement per table, so that on the
 * embedded engine requests get the connection between tables. Never inside a transaction
 * (VACUUM refuses to run in one).
 */
export async function vacuumWhereDue(
  db: Db,
  thresholds: VacuumThresholds = AUTOVACUUM_THRESHOLDS,
): Promise<TableMaintenance[]> {
  if (db.isTransaction) throw new Error("vacuum cannot run inside a transaction");
  const due = await dueTables(db, thresholds);
  for (const t of due) {
    const table = sql.table(t.table);
    if (t.action === "vacuum") await sql`vacuum (analyze) ${table}`.execute(db);
    else await sql`analyze ${table}`.execute(db);
  }
  return due;
}
