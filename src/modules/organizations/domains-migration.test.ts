import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../../test/database.js";
import type { DatabaseHandle } from "../../db/connection.js";
import { loadMigrations, MIGRATIONS_DIR, migrate } from "../../db/migrate.js";

const DOMAINS = "20261124000700_organization_domains";
let handle: DatabaseHandle | undefined;
afterAll(() => handle?.close());

describe("the organization domains migration", () => {
  it("turns each live organization's typed-in domain into a pending claim and drops the column", async () => {
    handle = await freshDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "lyceum-domains-"));
    const copy = (name: string) =>
      copyFileSync(path.join(MIGRATIONS_DIR, `${name}.sql`), path.join(dir, `${name}.sql`));
    for (const m of loadMigrations().filter((m) => m.name < DOMAINS)) copy(m.name);
    await migrate(handle, { dir });
    await sql`insert into organizations (name, slug, domain, auto_join) values
      ('Typed', 'typed', 'typed.example', true),
      ('Plain', 'plain', null, false),
      ('Gone', 'gone', 'gone.example', false)`.execute(handle.db);
    await sql`update organizations set deleted_at = now() where slug = 'gone'`.execute(handle.db);

    copy(DOMAINS);
    expect((await migrate(handle, { dir })).applied).toEqual([DOMAINS]);
    const claims = await sql<{
      slug: string;
      domain: string;
      status: string;
      verification_token: string;
      verified_at: Date | null;
    }>`select o.slug, d.domain, d.status, d.verification_token, d.verified_at
       from organization_domains d join organizations o on o.id = d.organization_id`.execute(
      handle.db,
    );
    expect(claims.rows).toEqual([
      {
        slug: "typed",
        domain: "typed.example",
        status: "pending",
        verification_token: expect.stringMatching(/^[0-9a-f]{32}$/),
        verified_at: null,
      },
    ]);
    const column = await sql`select 1 from information_schema.columns
      where table_name = 'organizations' and column_name = 'domain'`.execute(handle.db);
    expect(column.rows).toEqual([]);
    const autoJoin = await sql<{ auto_join: boolean }>`select auto_join from organizations
      where slug = 'typed'`.execute(handle.db);
    expect(autoJoin.rows).toEqual([{ auto_join: true }]);
  });
});
