import type { SelectQueryBuilder } from "kysely";
import { z } from "zod";
import type { Pagination } from "./envelope.js";

export const MAX_PAGE_SIZE = 100;

/** Query parameters of every paginated list: `?page=1&limit=50&sort=-createdAt`. */
export function pageQuery<const S extends readonly [string, ...string[]]>(
  sortable: S,
  defaults: { limit?: number; sort?: string } = {},
) {
  const sortValues = sortable.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];
  return z.object({
    page: z.coerce.number().int().min(1).max(100_000).default(1).describe("1-based page number"),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(defaults.limit ?? 50)
      .describe(`Page size, at most ${MAX_PAGE_SIZE}`),
    sort: z
      .enum(sortValues)
      .default(defaults.sort ?? sortValues[0])
      .describe("Sort field; prefix with - for descending"),
  });
}

export interface PageRequest {
  page: number;
  limit: number;
  sort: string;
}

export function pagination(req: { page: number; limit: number }, total: number): Pagination {
  const totalPages = Math.max(1, Math.ceil(total / req.limit));
  return {
    page: req.page,
    limit: req.limit,
    total,
    totalPages,
    hasNext: req.page < totalPages,
    hasPrev: req.page > 1,
  };
}

/** Splits `-createdAt` into a column name (via `columns`) and a direction. */
export function sortOf(
  sort: string,
  columns: Record<string, string>,
): { column: string; direction: "asc" | "desc" } {
  const desc = sort.startsWith("-");
  const key = desc ? sort.slice(1) : sort;
  const column = columns[key];
  if (!column) throw new Error(`unsortable field ${key}`);
  return { column, direction: desc ? "desc" : "asc" };
}

/**
 * Runs a filtered query for one page of rows, its total counted by a subquery in the same
 * statement (one round trip), so every list endpoint pages the same way. The total arrives on
 * each row; an empty page past the first one asks for it separately.
 */
export async function paginate<DB, TB extends keyof DB, O, D = O>(
  query: SelectQueryBuilder<DB, TB, O>,
  req: { page: number; limit: number },
  orderBy: { column: string; direction: "asc" | "desc" },
  tiebreak: string,
  /**
   * Adds what is computed per row with a subquery (a person's organizations, counts), over
   * the page: `(page) => db.selectFrom(page.as("u")).selectAll("u").select(…)`, with the
   * alias the sort columns use. PostgreSQL computes a statement's columns for every row the
   * offset skips too; added over the page, they are computed for the rows returned only.
   */
  decorate?: (page: AliasableQuery) => { execute(): Promise<D[]> },
): Promise<{ rows: D[]; pagination: Pagination }> {
  // biome-ignore lint/suspicious/noExplicitAny: dynamic column names come from a whitelist
  const q = query as any;
  const count = q
    .clearSelect()
    .select((eb: { fn: { countAll: () => { as: (n: string) => unknown } } }) =>
      eb.fn.countAll().as("total"),
    );
  const page = q
    .select(count.as(TOTAL))
    .orderBy(orderBy.column, orderBy.direction)
    .orderBy(tiebreak, orderBy.direction)
    .limit(req.limit)
    .offset((req.page - 1) * req.limit);
  const found = (await (decorate
    ? // biome-ignore lint/suspicious/noExplicitAny: the decorated query sorts by the same columns
      (decorate(page) as any)
        .orderBy(orderBy.column, orderBy.direction)
        .orderBy(tiebreak, orderBy.direction)
    : page
  ).execute()) as Array<D & { [TOTAL]: number | string }>;
  let total: number;
  if (found.length) total = Number(found[0]?.[TOTAL]);
  else if (req.page === 1) total = 0;
  else {
    const row = (await count.executeTakeFirst()) as { total: number | string } | undefined;
    total = Number(row?.total ?? 0);
  }
  const rows = found.map(({ [TOTAL]: _, ...row }) => row as D);
  return { rows, pagination: pagination(req, total) };
}

/** A page's query, to be read as a table under an alias (`page.as("u")`). */
// biome-ignore lint/suspicious/noExplicitAny: the page's row type is the caller's
export type AliasableQuery = { as(alias: string): any };

/** The column the total rides on (never a real column name). */
const TOTAL = "__page_total";

/**
 * A yes/no query parameter: `true`/`false` (or `1`/`0`), anything else refused. Never
 * `z.coerce.boolean()`, which reads every non-empty string, even "false", as true.
 */
export const queryFlag = () =>
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
