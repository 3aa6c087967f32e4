import { createHash } from "node:crypto";
import type pg from "pg";

/** Statements longer than this are not kept prepared (bulk inserts, long IN lists). */
const MAX_TEXT = 16_000;

/**
 * Makes the pool's connections keep parameterized statements prepared (named, per
 * connection), so PostgreSQL parses and plans each distinct statement once per connection
 * instead of on every execution; for most of Lyceum's queries planning costs more than
 * running them. Statements without parameters (migrations, several statements at once) run
 * as before.
 *
 * Bounded: at most `limit` distinct statements per process are named; others run unnamed.
 * A prepared statement whose tables changed shape under it (a migration by a newer process
 * during a rolling deploy) fails with "cached plan must not change result type": that
 * statement is never named again in this process, and outside a transaction it is retried
 * unnamed at once.
 */
export function keepStatementsPrepared(pool: pg.Pool, limit = 1000): void {
  const names = new Map<string, string>();
  const stale = new Set<string>();
  const nameOf = (text: string): string | null => {
    const known = names.get(text);
    if (known) return stale.has(known) ? null : known;
    if (names.size >= limit || text.length > MAX_TEXT) return null;
    const name = `lyceum_${createHash("sha1").update(text).digest("base64url").slice(0, 22)}`;
    names.set(text, name);
    return name;
  };
  const wrapped = new WeakSet<pg.PoolClient>();
  pool.on("connect", (client) => {
    const poolClient = client as pg.PoolClient;
    if (wrapped.has(poolClient)) return;
    wrapped.add(poolClient);
    const query = poolClient.query.bind(poolClient) as (...args: unknown[]) => unknown;
    const run = async (text: string, values: unknown[]) => {
      const name = nameOf(text);
      if (!name) return query(text, values);
      const idle = poolClient.getTransactionStatus() === "I";
      try {
        return await query({ name, text, values });
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        stale.add(name);
        if (!idle) throw error;
        return query(text, values);
      }
    };
    (poolClient as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      const [text, values] = args;
      // Kysely calls query(text, values) and awaits the promise; anything else passes through.
      if (args.length === 2 && typeof text === "string" && Array.isArray(values) && values.length)
        return run(text, values);
      return query(...args);
    };
  });
}

/** The error a prepared statement answers once its table changed shape (a migration). */
export function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === "0A000" && /cached plan must not change result type/.test(e.message ?? "");
}
