import { randomUUID } from "node:crypto";
import { type RawBuilder, sql } from "kysely";
import { type Db, isEmbedded } from "./connection.js";

/**
 * Reads a query's rows in batches through a server-side cursor, so the caller holds one batch at
 * a time however many rows the query returns, and may do other work between batches (write a
 * file, renew a lease) through the same handle.
 *
 * On PostgreSQL the cursor lives in a read-only transaction on a connection of its own. The
 * embedded engine has a single connection that everything shares, so there the cursor is
 * declared WITH HOLD: the engine keeps the result on its side (spilling to its temporary files)
 * and other queries run between the fetches.
 *
 * Returns the number of rows read.
 */
export async function forEachBatch<R>(
  db: Db,
  query: RawBuilder<R>,
  batchSize: number,
  onBatch: (rows: R[]) => Promise<void>,
): Promise<number> {
  const name = sql.id(`rows_${randomUUID().replaceAll("-", "")}`);
  const fetch = sql<R>`fetch ${sql.raw(String(Math.max(1, Math.floor(batchSize))))} from ${name}`;
  const drain = async (handle: Db) => {
    let total = 0;
    for (;;) {
      const { rows } = await fetch.execute(handle);
      if (!rows.length) return total;
      total += rows.length;
      await onBatch(rows);
      if (rows.length < batchSize) return total;
    }
  };
  if (!isEmbedded(db) || db.isTransaction) {
    const inTransaction = async (trx: Db) => {
      await sql`declare ${name} no scroll cursor for ${query}`.execute(trx);
      // On failure the transaction's rollback closes the cursor.
      const total = await drain(trx);
      await sql`close ${name}`.execute(trx);
      return total;
    };
    if (db.isTransaction) return inTransaction(db);
    return db.transaction().execute(async (trx) => {
      await sql`set transaction read only`.execute(trx);
      return inTransaction(trx);
    });
  }
  await sql`declare ${name} no scroll cursor with hold for ${query}`.execute(db);
  try {
    return await drain(db);
  } finally {
    // A held cursor outlives transactions: it must be closed, even after a failure.
    await sql`close ${name}`.execute(db).catch(() => undefined);
  }
}
