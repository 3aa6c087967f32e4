import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { DatabaseHandle } from "./connection.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** Lists the committed SQL migrations in the order they apply (by file name). */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), "utf8");
      return {
        name: file.replace(/\.sql$/, ""),
        sql: text,
        checksum: createHash("sha256").update(text).digest("hex"),
      };
    });
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so several processes
 * starting at once apply each migration exactly once. A landed migration whose file changed
 * since it was applied stops the run: migrations are never edited after landing.
 */
export async function migrate(
  handle: DatabaseHandle,
  options: { dir?: string; onProgress?: (name: string, index: number, total: number) => void } = {},
): Promise<MigrationResult> {
  const migrations = loadMigrations(options.dir);
  return handle.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7390001)`.execute(trx);
    await sql`create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
    const rows = await sql<{ name: string; checksum: string }>`
      select name, checksum from schema_migrations`.execute(trx);
    const done = new Map(rows.rows.map((r) => [r.name, r.checksum]));
    for (const m of migrations) {
      const checksum = done.get(m.name);
      if (checksum && checksum !== m.checksum) {
        throw new Error(
          `migration ${m.name} was edited after it was applied; add a new migration instead`,
        );
      }
    }
    const pending = migrations.filter((m) => !done.has(m.name));
    let index = 0;
    for (const m of pending) {
      options.onProgress?.(m.name, ++index, pending.length);
      await sql.raw(m.sql).execute(trx);
      await sql`insert into schema_migrations (name, checksum) values (${m.name}, ${m.checksum})`.execute(
        trx,
      );
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: done.size };
  });
}
