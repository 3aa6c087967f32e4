import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/database.js";
import { type DatabaseHandle, transaction } from "./connection.js";

// Both engines keep parameterized statements prepared: a server per pooled connection, PGlite
// on its one connection.
describe("prepared statements", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await freshDatabase();
    await handle.exec("create table things (id int primary key, name text)");
    await handle.exec("insert into things values (1, 'one'), (2, 'two')");
  });
  afterAll(() => handle.close());

  const prepared = (db: DatabaseHandle["db"]) =>
    sql<{ statement: string }>`select statement from pg_prepared_statements`
      .execute(db)
      .then((r) => r.rows.map((row) => row.statement));

  it("keep parameterized statements prepared on their connection, and nothing else", async () => {
    const seen = await transaction(handle.db, async (trx) => {
      const row = await sql<{ name: string }>`select name from things where id = ${2}`.execute(trx);
      expect(row.rows).toEqual([{ name: "two" }]);
      await sql`select count(*) from things`.execute(trx);
      return prepared(trx);
    });
    expect(seen).toContain("select name from things where id = $1");
    expect(seen.some((s) => s.includes("count(*)"))).toBe(false);
  });

  it("survive a table changing shape: retried at once outside a transaction, unnamed afterwards", async () => {
    const read = (db: DatabaseHandle["db"]) =>
      sql<Record<string, unknown>>`select * from things where id = ${1}`.execute(db);
    // Prepare it on every connection the pool has open (PGlite has one).
    await Promise.all(Array.from({ length: 4 }, () => read(handle.db)));
    await handle.exec("alter table things add column note text");
    expect((await read(handle.db)).rows).toEqual([{ id: 1, name: "one", note: null }]);
    const inside = await transaction(handle.db, (trx) => read(trx));
    expect(inside.rows).toEqual([{ id: 1, name: "one", note: null }]);
  });

  it("keep preparing new statements after an earlier one went stale", async () => {
    await handle.exec("create table shapes (id int primary key, label text)");
    await handle.exec("insert into shapes values (1, 'a')");
    const whole = (db: DatabaseHandle["db"]) =>
      sql<Record<string, unknown>>`select * from shapes where id = ${1}`.execute(db);
    await whole(handle.db);
    // Prepared after the one that goes stale, so forgetting that one frees no name in use.
    await sql`select label from shapes where id = ${1}`.execute(handle.db);
    await handle.exec("alter table shapes add column extra int");
    expect((await whole(handle.db)).rows).toEqual([{ id: 1, label: "a", extra: null }]);
    for (let n = 1; n <= 3; n++) {
      const fresh = await sql<{
        n: number;
      }>`select ${n}::int + id as n from shapes where id = ${1}`.execute(handle.db);
      expect(fresh.rows).toEqual([{ n: n + 1 }]);
    }
  });
});
