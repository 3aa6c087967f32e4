import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/database.js";
import { type DatabaseHandle, transaction } from "./connection.js";
import { dueTables, vacuumWhereDue } from "./vacuum.js";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await freshDatabase();
  // Autovacuum off for these tables, so that on a server only the code under test vacuums them.
  await handle.exec(`
    create table churn (id int primary key, note text) with (autovacuum_enabled = false);
    create table quiet (id int primary key) with (autovacuum_enabled = false);
    create table grown (id int primary key) with (autovacuum_enabled = false);`);
});
afterAll(() => handle.close());

/**
 * Statistics reach a server's shared view when a session goes idle (at most a second or so
 * later); PGlite counts them at once. Retries until `check` passes.
 */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let tries = 0; !check(value) && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

async function counts(table: string) {
  const { rows } = await sql<{ vacuums: number; analyzes: number; dead: number }>`
    select vacuum_count::integer as vacuums, analyze_count::integer as analyzes,
           n_dead_tup::integer as dead
    from pg_stat_user_tables where relname = ${table}`.execute(handle.db);
  return rows[0];
}

describe("vacuum where autovacuum would (the embedded engine has no autovacuum)", () => {
  it("picks tables by autovacuum's thresholds, vacuums and analyzes them, and leaves the others", async () => {
    await transaction(handle.db, async (tx) => {
      await sql`insert into churn select n, 'row ' || n from generate_series(1, 2000) n`.execute(
        tx,
      );
      await sql`insert into quiet select n from generate_series(1, 10) n`.execute(tx);
      await sql`insert into grown select n from generate_series(1, 1500) n`.execute(tx);
    });
    await sql`delete from churn where id % 2 = 0`.execute(handle.db);

    const due = await eventually(
      () => dueTables(handle.db),
      (tables) => tables.some((t) => t.table === "churn" && t.deadRows === 1000),
    );
    const churn = due.find((t) => t.table === "churn");
    expect(churn).toMatchObject({ action: "vacuum", deadRows: 1000, insertedRows: 2000 });
    // 1,500 rows inserted into a table the planner has never sized: over the insert threshold.
    expect(due.find((t) => t.table === "grown")).toMatchObject({
      action: "vacuum",
      insertedRows: 1500,
    });
    // Ten rows are under every threshold (50 changed rows, 1,000 inserted).
    expect(due.find((t) => t.table === "quiet")).toBeUndefined();

    const done = await vacuumWhereDue(handle.db);
    expect(done.map((t) => t.table)).toEqual(expect.arrayContaining(["churn", "grown"]));
    expect(done.map((t) => t.table)).not.toContain("quiet");

    // The planner now knows each table's size, and the dead rows are gone.
    const { rows } = await sql<{ relname: string; reltuples: number }>`
      select relname, reltuples::integer as reltuples from pg_class
      where relname in ('churn', 'grown', 'quiet') order by relname`.execute(handle.db);
    expect(rows).toEqual([
      { relname: "churn", reltuples: 1000 },
      { relname: "grown", reltuples: 1500 },
      { relname: "quiet", reltuples: -1 },
    ]);
    const after = await eventually(
      () => counts("churn"),
      (c) => c?.vacuums === 1 && c.analyzes === 1 && c.dead === 0,
    );
    expect(after).toEqual({ vacuums: 1, analyzes: 1, dead: 0 });
    expect(await counts("quiet")).toMatchObject({ vacuums: 0, analyzes: 0 });

    // Nothing is due any more, until enough changes again.
    const again = await eventually(
      () => dueTables(handle.db),
      (tables) => !tables.some((t) => t.table === "churn" || t.table === "grown"),
    );
    expect(again.map((t) => t.table)).not.toContain("churn");
  });

  it("analyzes without vacuuming when rows changed but few died", async () => {
    // 200 updates leave 200 dead rows in a table of 1,000: under vacuum's 50 + 20 % (250),
    // over analyze's 50 + 10 % (150).
    await sql`update churn set note = 'changed' where id <= 400 and id % 2 = 1`.execute(handle.db);
    const due = await eventually(
      () => dueTables(handle.db),
      (tables) => tables.some((t) => t.table === "churn"),
    );
    expect(due.find((t) => t.table === "churn")).toMatchObject({
      action: "analyze",
      changedRows: 200,
    });
    const before = await counts("churn");
    await vacuumWhereDue(handle.db);
    const after = await eventually(
      () => counts("churn"),
      (c) => c?.analyzes === (before?.analyzes ?? 0) + 1,
    );
    expect(after).toMatchObject({
      vacuums: before?.vacuums,
      analyzes: (before?.analyzes ?? 0) + 1,
    });
  });

  it("refuses to run inside a transaction", async () => {
    await expect(transaction(handle.db, (tx) => vacuumWhereDue(tx))).rejects.toThrow(
      /inside a transaction/,
    );
  });
});
