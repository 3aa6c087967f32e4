import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/database.js";
import type { DatabaseHandle } from "./connection.js";
import { forEachBatch } from "./cursor.js";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await freshDatabase();
  await handle.exec("create table marks (n int primary key, note text)");
});
afterAll(() => handle.close());

const numbers = (to: number, tag: string) =>
  sql<{
    n: number;
    tag: string;
  }>`select g as n, ${tag}::text as tag from generate_series(1, ${to}::int) g order by g`;

describe("forEachBatch (a server-side cursor)", () => {
  it("hands every row over once, in order, in batches of the asked size", async () => {
    const batches: number[][] = [];
    const total = await forEachBatch(handle.db, numbers(2_345, "x"), 1_000, async (rows) => {
      expect(rows.every((r) => r.tag === "x")).toBe(true);
      batches.push(rows.map((r) => r.n));
    });
    expect(total).toBe(2_345);
    expect(batches.map((b) => b.length)).toEqual([1_000, 1_000, 345]);
    expect(batches.flat()).toEqual(Array.from({ length: 2_345 }, (_, i) => i + 1));
  });

  it("answers nothing for an empty result, and lets other queries run between batches", async () => {
    expect(await forEachBatch(handle.db, numbers(0, "y"), 10, async () => {})).toBe(0);
    // Writing through the same handle between fetches must neither wait forever (the embedded
    // engine's one connection) nor be lost.
    await forEachBatch(handle.db, numbers(30, "z"), 10, async (rows) => {
      await sql`insert into marks (n, note) values (${rows[0]?.n ?? 0}, ${`batch of ${rows.length}`})`.execute(
        handle.db,
      );
    });
    const marks = await sql<{
      n: number;
      note: string;
    }>`select n, note from marks order by n`.execute(handle.db);
    expect(marks.rows).toEqual([
      { n: 1, note: "batch of 10" },
      { n: 11, note: "batch of 10" },
      { n: 21, note: "batch of 10" },
    ]);
  });

  it("stops at a failure in the callback and leaves no cursor open", async () => {
    let calls = 0;
    await expect(
      forEachBatch(handle.db, numbers(100, "w"), 10, async () => {
        calls++;
        if (calls === 2) throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(calls).toBe(2);
    const open = await sql<{ n: number }>`select count(*)::int as n from pg_cursors`.execute(
      handle.db,
    );
    expect(open.rows[0]?.n).toBe(0);
    // The handle still works.
    expect(await forEachBatch(handle.db, numbers(3, "v"), 10, async () => {})).toBe(3);
  });

  it("binds values as parameters, never as text", async () => {
    const rows: string[] = [];
    await forEachBatch(handle.db, numbers(1, "'; drop table marks; --"), 5, async (batch) => {
      rows.push(...batch.map((r) => r.tag));
    });
    expect(rows).toEqual(["'; drop table marks; --"]);
    const still = await sql<{ n: number }>`select count(*)::int as n from marks`.execute(handle.db);
    expect(still.rows[0]?.n).toBe(3);
  });
});
