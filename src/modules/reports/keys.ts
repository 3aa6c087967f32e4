import { type RawBuilder, sql } from "kysely";
import type { Column } from "./compile.js";
import {
  type DimensionEntity,
  GRANULARITIES,
  type Granularity,
  type ReportDefinition,
} from "./definition.js";
import type { FieldDef } from "./registry.js";

/**
 * A report's row keys — its dimensions' fields, then its groups, then its slicers — as SQL
 * over one base row each. Time buckets are the base's dates cut to a granularity in the
 * report's time zone and written as local dates or times (`2026-03-01`, `2026-03-01T23:00`),
 * without a zone: they name a day or an hour of the report's calendar, not an instant.
 */

/** A field of the registry as a definition names it, with its SQL for this report. */
export interface KeyField {
  entity: DimensionEntity;
  name: string;
  def: FieldDef;
  sql: RawBuilder<unknown>;
}

export interface RowKey {
  column: Column;
  /** The key's value for one base row (null in the Other bucket). */
  expr: RawBuilder<unknown>;
  /**
   * Whether the base row falls in the key's synthetic Other bucket (values not listed, in no
   * range, or beyond a top N): a column of its own, so a real value "Other" never merges with
   * it. Absent on keys without such a bucket.
   */
  other?: RawBuilder<unknown>;
  /**
   * The row's place in the key's order when that is not its value's: a bucket's position, a
   * ranked group's rank.
   */
  rank?: RawBuilder<unknown>;
  /** The direction of the key's order by its value (a group's sortDirection). */
  direction?: "asc" | "desc";
  /** A group ranked over the whole report (see rankingJoin). */
  ranking?: Ranking;
}

/** How a group ranks its values: by row count, by its label, or by a measure (its value). */
export interface Ranking {
  /** The group's value for one base row. */
  value: RawBuilder<unknown>;
  by: "count" | "label" | "value";
  direction: "asc" | "desc";
  /** Only the first n values are kept; with showOther the others make the Other bucket. */
  n?: number;
  showOther: boolean;
}

const DATE = "YYYY-MM-DD";
const HOUR = 'YYYY-MM-DD"T"HH24:MI';

/**
 * The time bucket of a date field at a granularity (the `time` entity's fields are buckets
 * already, at their own granularity; a coarser one cuts them further), as text; null for a
 * field that is not a bucket.
 */
export function timeBucket(
  field: KeyField,
  granularity: Granularity | undefined,
  timeZone: string,
): { expr: RawBuilder<unknown>; granularity: Granularity } | null {
  const own = field.entity === "time" ? (field.name as Granularity) : undefined;
  let local: RawBuilder<unknown>;
  let cut: Granularity;
  if (own) {
    cut =
      granularity && GRANULARITIES.indexOf(granularity) > GRANULARITIES.indexOf(own)
        ? granularity
        : own;
    local = cut === own ? field.sql : sql`date_trunc(${sql.lit(cut)}, ${field.sql})`;
  } else if (granularity && field.def.type === "date") {
    cut = granularity;
    local = sql`date_trunc(${sql.lit(cut)}, ${field.sql} at time zone ${timeZone})`;
  } else return null;
  return {
    expr: sql`to_char(${local}, ${sql.lit(cut === "hour" ? HOUR : DATE)})`,
    granularity: cut,
  };
}

/** The row keys of a definition; `field` resolves a field (and joins what it needs). */
export function rowKeys(
  def: ReportDefinition,
  field: (ref: string) => KeyField,
  timeZone: string,
): RowKey[] {
  const keys: RowKey[] = [];
  for (const d of def.dimensions)
    for (const f of d.fields) {
      const r = field(`${d.entity}.${f}`);
      const bucket = timeBucket(r, undefined, timeZone);
      keys.push({
        column: {
          key: `${d.entity}.${f}`,
          label: d.fields.length === 1 && d.label ? d.label : r.def.label,
          kind: "dimension",
          type: r.def.type,
          ...(bucket ? { granularity: bucket.granularity } : {}),
        },
        expr: bucket?.expr ?? r.sql,
      });
    }
  for (const g of def.groups) {
    const r = field(g.field);
    const bucket = timeBucket(r, g.granularity, timeZone);
    const value = bucket?.expr ?? r.sql;
    const column: Column = {
      key: g.granularity ? `${g.field}:${g.granularity}` : g.field,
      label: r.def.label,
      kind: "group",
      ...(bucket ? { type: "date", granularity: bucket.granularity } : { type: r.def.type }),
    };
    if (!g.topN && g.sortBy === "label") {
      keys.push({ column, expr: value, direction: g.sortDirection });
      continue;
    }
    // Ranked over the whole report: rk<i>.r is the value's rank (null beyond a top N).
    const rank = sql.ref(`rk${keys.length}.r`);
    const other = !!g.topN && g.showOther;
    keys.push({
      column,
      expr: other ? sql`case when ${rank} is not null then ${value} end` : value,
      ...(other ? { other: sql`${rank} is null` } : {}),
      rank,
      ranking: {
        value,
        by: g.sortBy,
        direction: g.sortDirection,
        ...(g.topN ? { n: g.topN } : {}),
        showOther: other,
      },
    });
  }
  for (const s of def.slicers) {
    const r = field(s.field);
    const bucket = timeBucket(r, s.type === "time" ? s.timeGranularity : undefined, timeZone);
    let expr = bucket?.expr ?? r.sql;
    let type: string = bucket ? "date" : r.def.type;
    let other: RawBuilder<unknown> | undefined;
    let rank: RawBuilder<unknown> | undefined;
    if (s.type === "range") {
      // [min, max), but the last range is [min, max]. An empty value is in no range and not
      // Other: it stays null.
      const ranges = s.buckets ?? [];
      const within = ranges.map((bk, j) => {
        const max =
          j === ranges.length - 1 ? sql`${r.sql} <= ${bk.max}` : sql`${r.sql} < ${bk.max}`;
        return sql`(${bk.min === undefined ? sql`true` : sql`${r.sql} >= ${bk.min}`} and ${
          bk.max === undefined ? sql`true` : max
        })`;
      });
      const pick = (value: (j: number) => unknown) =>
        sql`case when ${r.sql} is null then null ${sql.join(
          within.map((w, j) => sql`when ${w} then ${value(j)}`),
          sql` `,
        )} end`;
      type = "string";
      expr = pick((j) => ranges[j]?.label);
      rank = pick((j) => sql.lit(j));
      other = sql`(${r.sql} is not null and not (${sql.join(within, sql` or `)}))`;
    } else if (s.type === "categorical" && s.values?.length) {
      // Listed values in their order; others are Other, an empty value stays null.
      const position = sql`array_position(array[${sql.join(s.values)}]::text[], ${expr}::text)`;
      type = "string";
      rank = position;
      other = sql`(${expr} is not null and ${position} is null)`;
      expr = sql`case when ${position} is not null then ${expr}::text end`;
    }
    const key = s.timeGranularity ? `${s.field}:${s.timeGranularity}` : s.field;
    const granularity = bucket && type === "date" ? { granularity: bucket.granularity } : {};
    keys.push({
      column: { key, label: r.def.label, kind: "slicer", type, ...granularity },
      expr,
      ...(other ? { other } : {}),
      ...(rank ? { rank } : {}),
    });
  }
  return keys;
}

/**
 * The join that ranks a group's values over the whole report, as rk<i>: r is 1, 2, … in the
 * group's order — by row count, by the value itself, or by `measure` per value — with ties
 * going to the lower value; with a top N only the first N values join (all rows, when the
 * rest make the Other bucket). An empty value ranks like any other.
 */
export function rankingJoin(
  i: number,
  ranking: Ranking,
  /** Selects these columns, and the base's helpers, from the report's filtered base rows. */
  source: (columns: RawBuilder<unknown>[]) => RawBuilder<unknown>,
  measure: { index: number; input: RawBuilder<unknown> | null; expr: RawBuilder<unknown> },
): RawBuilder<unknown> {
  const value = ranking.by === "value";
  const by = ranking.by === "count" ? sql`count(*)` : value ? measure.expr : sql`x`;
  const direction = sql.raw(ranking.direction === "desc" ? "desc" : "asc");
  const columns = [
    sql`${ranking.value} as x`,
    ...(value && measure.input ? [sql`${measure.input} as ${sql.ref(`v${measure.index}`)}`] : []),
  ];
  const ranked = sql`select coalesce(x::text, '') as t, x is null as n, row_number() over (order by ${by} ${direction} nulls last, x asc nulls last) as r from (${source(columns)}) as s group by x ${ranking.n ? sql`order by r limit ${ranking.n}` : sql``}`;
  const alias = `rk${i}`;
  // Matched on the value as text and whether it is empty, so that an empty value matches too
  // and the join can hash.
  return sql`${sql.raw(ranking.n && !ranking.showOther ? "join" : "left join")} (${ranked}) as ${sql.ref(alias)} on ${sql.ref(`${alias}.t`)} = coalesce(${ranking.value}::text, '') and ${sql.ref(`${alias}.n`)} = (${ranking.value} is null)`;
}
