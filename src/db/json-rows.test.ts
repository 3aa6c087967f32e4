import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/database.js";
import type { DatabaseHandle } from "./connection.js";
import { type DateColumnSet, fromJson, manyFromJson } from "./json-rows.js";

interface Row {
  id: string;
  at: Date;
  maybe: Date | null;
  amount: number;
  tags: string[];
  data: unknown;
}
const DATES = { at: true, maybe: true } satisfies DateColumnSet<Row>;

describe("rows read as JSON", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await freshDatabase();
  });
  afterAll(() => handle.close());

  it("come back as the driver reads the same columns", async () => {
    const select = sql`
      select '01a24143-4194-7102-a2e2-79a4f94f8f16'::uuid as id,
             '2026-12-04 13:38:34.124+00'::timestamptz as at, null::timestamptz as maybe,
             12.5::numeric as amount, array['a', 'b'] as tags, '{"k": [1, 2]}'::jsonb as data`;
    const direct = (await sql<Row>`${select}`.execute(handle.db)).rows[0];
    const { rows } = await sql<{
      one: unknown;
      many: unknown;
      none: unknown;
      one_jsonb: unknown;
    }>`
      select (select row_to_json(r) from (${select}) r) as one,
             (select json_agg(r) from (${select}) r) as many,
             (select json_agg(r) from (${select}) r where false) as none,
             (select to_jsonb(r) from (${select}) r) as one_jsonb`.execute(handle.db);
    const json = rows[0] as { one: unknown; many: unknown; none: unknown; one_jsonb: unknown };
    expect(fromJson<Row>(json.one, DATES)).toEqual(direct);
    expect(manyFromJson<Row>(json.many, DATES)).toEqual([direct]);
    expect(manyFromJson<Row>(json.none, DATES)).toEqual([]);
    expect(fromJson<Row>(json.one_jsonb, DATES)).toEqual(direct);
    expect(fromJson<Row>(json.one, DATES).at).toBeInstanceOf(Date);
  });
});
