import { type RawBuilder, sql } from "kysely";
import type { Column, ReportRow } from "./compile.js";
import type { ReportDefinition } from "./definition.js";
import type { RowKey } from "./keys.js";

/**
 * How a report's rows are laid out once its base rows are keyed: grouped by the keys (with the
 * total, or subtotals level by level), ordered, cut to the limit, and read back as ReportRows.
 *
 * The grouped query names its columns k<i> (a key's value), o<i> (its Other marker), r<i> (its
 * rank), m<j> (a measure), `grouping` (a bit per key the row covers all values of) and, with
 * subtotals, g<i> (that bit for one key).
 */

type Display = ReportDefinition["display"];

export function cell(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (column.kind === "measure" || column.type === "number") return Number(value);
  return value;
}

export interface Layout {
  /** Whether the rows include a total (and so the `grouping` column). */
  totals: boolean;
  /** The grouped query's columns besides the measures. */
  columns: RawBuilder<unknown>[];
  /** Its GROUP BY clause. */
  groupBy: RawBuilder<unknown>;
  /**
   * The grouped rows (`rows`, with any columns computed over all of them) in order, with at
   * most `cap` detail rows: the first ones, the subtotals of the groups they are in, and the
   * total. Totals and subtotals cover every row of their group, shown or not.
   */
  arrange(rows: RawBuilder<unknown>, cap: number | undefined): RawBuilder<Record<string, unknown>>;
  /** The row's key values, kind and markers. */
  shape(row: Record<string, unknown>): ReportRow;
}

/** `sortAt`: the place of display.sortBy among the report's columns (keys, then measures). */
export function layout(keys: RowKey[], display: Display, sortAt: number): Layout {
  const subtotals = keys.length > 0 && display.showSubtotals;
  const totals = keys.length > 0 && (subtotals || display.showTotals);
  const ref = (name: string, i: number | string = "") => sql.ref(`${name}${i}`);

  // A key with an Other bucket groups by its value and its Other marker together.
  const sets = keys.map((k, i) => (k.other ? sql`(${ref("k", i)}, ${ref("o", i)})` : ref("k", i)));
  const groupBy = !keys.length
    ? sql``
    : subtotals
      ? sql`group by rollup (${sql.join(sets)})`
      : totals
        ? sql`group by grouping sets ((${sql.join(sets)}), ())`
        : sql`group by ${sql.join(sets)}`;
  const all = sql.join(keys.map((_, i) => ref("k", i)));
  const columns = [
    ...keys.flatMap((k, i) => [
      ref("k", i),
      ...(k.other ? [ref("o", i)] : []),
      ...(k.rank ? [sql`min(${ref("r", i)}) as ${ref("r", i)}`] : []),
    ]),
    ...(totals ? [sql`grouping(${all}) as ${ref("grouping")}`] : []),
    ...(subtotals ? keys.map((_, i) => sql`grouping(${ref("k", i)}) as ${ref("g", i)}`) : []),
  ];

  const direction = sql.raw(display.sortDirection === "desc" ? "desc" : "asc");
  // A key's order: its rank where it has one (a bucket's position, a group's rank), its value,
  // then its empty value before its Other bucket.
  const keyOrder = (i: number) =>
    sql.join([
      ...(keys[i]?.rank ? [sql`${ref("r", i)} asc nulls last`] : []),
      sql`${ref("k", i)} ${i === sortAt ? direction : sql.raw(keys[i]?.direction ?? "asc")} nulls last`,
      ...(keys[i]?.other ? [sql`${ref("o", i)} asc`] : []),
    ]);
  const byMeasure =
    sortAt >= keys.length ? sql`${ref("m", sortAt - keys.length)} ${direction} nulls last` : null;
  // With subtotals each subtotal follows its group's rows — level by level, a group's rows
  // (grouping(k) = 0) before its subtotal — and display.sortBy orders rows within the
  // innermost groups. Otherwise display.sortBy comes first and the total last.
  const order = subtotals
    ? keys.flatMap((_, i) => [
        sql`${ref("g", i)} asc`,
        ...(i === keys.length - 1 && byMeasure ? [byMeasure] : []),
        keyOrder(i),
      ])
    : [
        ...(totals ? [sql`${ref("grouping")} asc`] : []),
        ...(byMeasure ? [byMeasure] : sortAt >= 0 ? [keyOrder(sortAt)] : []),
        ...keys.map((_, i) => keyOrder(i)),
      ];
  const orderBy = order.length ? sql`order by ${sql.join(order)}` : sql``;

  const arrange = (rows: RawBuilder<unknown>, cap: number | undefined) => {
    if (!cap || !totals)
      return sql<Record<string, unknown>>`select * from (${rows}) as x ${orderBy} ${
        cap ? sql`limit ${cap}` : sql``
      }`;
    // _d counts the detail rows up to each row. A subtotal's group begins after the last
    // subtotal as coarse or coarser before it (_b<p> for a subtotal of the first p keys): it
    // is shown when a detail row of its group is, i.e. when fewer than `cap` came before.
    const grouping = ref("grouping");
    const upTo = sql`(w rows between unbounded preceding and current row)`;
    const counted = sql`select x.*, count(*) filter (where ${grouping} = 0) over ${upTo} as ${ref("_d")} from (${rows}) as x window w as (${orderBy})`;
    // Subtotals of the first 1 … n−1 keys.
    const levels = subtotals ? Array.from({ length: keys.length - 1 }, (_, j) => j + 1) : [];
    const coarse = (p: number) => 2 ** (keys.length - p) - 1;
    const marked = levels.length
      ? sql`select y.*, ${sql.join(
          levels.map(
            (p) =>
              sql`max(${ref("_d")}) filter (where ${grouping} >= ${sql.lit(coarse(p))}) over (w rows between unbounded preceding and 1 preceding) as ${ref("_b", p)}`,
          ),
        )} from (${counted}) as y window w as (${orderBy})`
      : counted;
    const shown = [
      sql`(${grouping} = 0 and ${ref("_d")} <= ${cap})`,
      sql`${grouping} = ${sql.lit(coarse(0))}`,
      ...levels.map(
        (p) => sql`(${grouping} = ${sql.lit(coarse(p))} and coalesce(${ref("_b", p)}, 0) < ${cap})`,
      ),
    ];
    return sql<Record<string, unknown>>`select * from (${marked}) as z where ${sql.join(
      shown,
      sql` or `,
    )} ${orderBy}`;
  };

  const shape = (row: Record<string, unknown>): ReportRow => {
    const values: Record<string, unknown> = {};
    const other: string[] = [];
    keys.forEach(({ column }, i) => {
      if (row[`o${i}`] === true) {
        values[column.key] = "Other";
        other.push(column.key);
      } else values[column.key] = cell(column, row[`k${i}`]);
    });
    // grouping(k0 … kn) sets a bit per key whose values the row covers all of: the last keys
    // on a subtotal row, every key on the total row.
    const rolled = Number(row.grouping ?? 0)
      .toString(2)
      .replaceAll("0", "").length;
    const marks = other.length ? { other } : {};
    if (!rolled) return { values, total: false, kind: "detail", ...marks };
    if (rolled === keys.length) return { values, total: true, kind: "total" };
    const groupedBy = keys.slice(0, keys.length - rolled).map((k) => k.column.key);
    return { values, total: true, kind: "subtotal", groupedBy, ...marks };
  };

  return { totals, columns, groupBy, arrange, shape };
}
