import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/database.js";
import type { DatabaseHandle } from "./connection.js";
import { loadMigrations, MIGRATIONS_DIR, migrate } from "./migrate.js";

let handle: DatabaseHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

describe("migrations", () => {
  it("applies every committed migration once, in order, and records checksums", async () => {
    handle = await freshDatabase();
    const first = await migrate(handle);
    expect(first.applied).toEqual(loadMigrations().map((m) => m.name));
    const second = await migrate(handle);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(first.applied.length);
    const rows = await sql<{
      name: string;
      checksum: string;
    }>`select name, checksum from schema_migrations order by name`.execute(handle.db);
    expect(rows.rows.map((r) => r.name)).toEqual(first.applied);
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it("runs concurrent migrations exactly once", async () => {
    handle = await freshDatabase();
    const h = handle;
    const results = await Promise.all([migrate(h), migrate(h), migrate(h)]);
    const applied = results.flatMap((r) => r.applied);
    expect(applied).toHaveLength(loadMigrations().length);
  });

  it("refuses to run when a landed migration was edited", async () => {
    handle = await freshDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "lyceum-migrations-"));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(handle, { dir });
    const file = path.join(dir, `${loadMigrations(dir)[0]!.name}.sql`);
    writeFileSync(file, "-- edited\n", { flag: "a" });
    await expect(migrate(handle, { dir })).rejects.toThrow(/edited after it was applied/);
  });

  it("rolls back a failing migration completely", async () => {
    handle = await freshDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "lyceum-migrations-"));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(handle, { dir });
    writeFileSync(
      path.join(dir, "29991231000000_broken.sql"),
      "create table half_done (id int);\nselect * from no_such_table;\n",
    );
    await expect(migrate(handle, { dir })).rejects.toThrow();
    const exists = await sql<{
      t: string | null;
    }>`select to_regclass('half_done')::text as t`.execute(handle.db);
    expect(exists.rows[0]?.t).toBeNull();
  });
});
