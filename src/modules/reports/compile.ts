import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../db/connection.js";
import { likePattern } from "../../db/values.js";
import { isUuid } from "../../platform/ids.js";
import {
  type Ability,
  type ActorAccess,
  scopeRank,
  widestScope,
} from "../../platform/policy/engine.js";
import type { DimensionEntity, Granularity, Operator, ReportDefinition } from "./definition.js";
import { rankingJoin, rowKeys } from "./keys.js";
import { cell, layout } from "./layout.js";
import {
  BASES,
  type Base,
  baseFor,
  ENTITIES,
  type FieldDef,
  INSTRUCTOR_ID,
  JOINS,
  type JoinName,
  MEASURES,
  type Scope,
} from "./registry.js";

/**
 * Compiles a report definition into one parameterized SQL query. Identifiers and SQL text come
 * only from the registry; every value a caller gives is bound as a parameter. The query is
 * limited to the report's organization and, below organization-wide access, to the learners the
 * caller may see.
 */

/**
 * A date or date-time whose day exists: `Date.parse` rolls 2026-02-30 over to March, where
 * PostgreSQL refuses it, so the day is checked against the calendar too.
 */
function isCalendarDate(value: string): boolean {
  if (Number.isNaN(Date.parse(value))) return false;
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!day) return true;
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export interface Problem {
  field: string;
  message: string;
  /** Set when the caller may not see what the definition asks for (not a mistake in it). */
  forbidden?: true;
}

export interface Column {
  key: string;
  label: string;
  kind: "dimension" | "group" | "slicer" | "measure";
  type: string;
  format?: string;
  /**
   * On time buckets: the granularity their values are cut to. Values are the report's local
   * dates (`2026-03-01`) or, by the hour, local times (`2026-03-01T23:00`), without a zone.
   */
  granularity?: Granularity;
}

export type RowKind = "detail" | "subtotal" | "total";

export interface ReportRow {
  values: Record<string, unknown>;
  /** True on subtotal and total rows (what `kind` says, for clients that predate it). */
  total: boolean;
  kind: RowKind;
  /**
   * On subtotal rows: the leading key columns that name the subtotal's group (the row follows
   * that group's detail rows); the key columns after them are null: it covers all their values.
   */
  groupedBy?: string[];
  /**
   * The key columns whose value here is the synthetic Other bucket (values not listed, in no
   * range, or beyond a top N), written "Other": a real value "Other" is never listed here.
   */
  other?: string[];
}

export interface RunScope {
  organizationId: string;
  timeZone: string;
  /** null: every learner of the organization; otherwise only these. */
  learners: string[] | null;
  /** The caller's clock: what a base whose rows depend on time (compliance status) judges by. */
  now?: Date;
  /** Who reads the report: their own data is never hidden from them (privacy settings). */
  viewer?: string | null;
}

/**
 * Splits a base's helper columns ("expr as h_x, …") at their top-level commas and blanks, for
 * a person who keeps it from others, each helper that carries their data.
 */
function maskHelpers(
  helpers: string,
  personal: Record<string, string> | undefined,
  hideIf: (kind: string) => string,
): string {
  if (!personal) return helpers;
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < helpers.length; i++) {
    const ch = helpers[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(helpers.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(helpers.slice(start).trim());
  return parts
    .map((part) => {
      const at = part.lastIndexOf(" as ");
      const alias = part.slice(at + 4).trim();
      const kind = personal[alias];
      return kind
        ? `(case when ${hideIf(kind)} then null else ${part.slice(0, at)} end) as ${alias}`
        : part;
    })
    .join(", ");
}

interface Resolved {
  entity: DimensionEntity;
  name: string;
  def: FieldDef;
}

function resolve(ref: string): Resolved | null {
  const [entity, name] = ref.split(".") as [DimensionEntity, string];
  const def = ENTITIES[entity]?.fields[name ?? ""];
  return def ? { entity, name: name as string, def } : null;
}

/** Every entity a definition touches (dimensions, fields of measures, slicers, groups, filters). */
function entitiesOf(def: ReportDefinition): DimensionEntity[] {
  const refs = [
    ...def.measures.flatMap((m) => (m.field ? [m.field] : [])),
    ...def.slicers.map((s) => s.field),
    ...def.groups.map((g) => g.field),
    ...(def.filters.customFilters ?? []).map((f) => f.field),
  ];
  return [
    ...new Set([
      ...def.dimensions.map((d) => d.entity),
      ...refs.map((r) => r.split(".")[0] as DimensionEntity),
    ]),
  ].filter((e) => e in ENTITIES);
}

/**
 * Role-based dimension access (seed 000 §2.3): an entity that needs an ability is open to a caller
 * who holds it at least as widely as reports:read, so reports never show more of it than the
 * caller could read directly.
 */
export function revealed(access: ActorAccess, ability: Ability, organizationId: string): boolean {
  if (access.system) return true;
  const reports = widestScope(access, "reports:read", organizationId);
  const held = widestScope(access, ability, organizationId);
  return !!reports && !!held && scopeRank(held) >= scopeRank(reports);
}

const STRING_OPS: Operator[] = ["contains", "startsWith", "endsWith", "regex"];

/**
 * Field-level problems of a definition for this caller; empty when it can run. Checks that every
 * field exists, applies to the report's base and is visible to the caller (role-based dimension
 * access), that measures have the fields they need, and that values fit operators and types.
 */
export function validateDefinition(
  def: ReportDefinition,
  access: ActorAccess,
  organizationId: string,
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const checkRef = (ref: string, field: string, numeric = false) => {
    const r = resolve(ref);
    if (!r) {
      problems.push({ field, message: `Unknown field ${ref}` });
      return null;
    }
    if (numeric && r.def.type !== "number")
      problems.push({ field, message: `${ref} is not a number` });
    return r;
  };
  for (const [i, d] of def.dimensions.entries()) {
    const entity = ENTITIES[d.entity];
    if (entity.unavailable) {
      problems.push({ field: `dimensions.${i}.entity`, message: entity.unavailable });
      continue;
    }
    for (const [k, f] of d.fields.entries())
      if (!entity.fields[f])
        problems.push({
          field: `dimensions.${i}.fields.${k}`,
          message: `${d.entity} has no field ${f}`,
        });
  }
  for (const [i, m] of def.measures.entries()) {
    if (seen.has(m.id))
      problems.push({ field: `measures.${i}.id`, message: `${m.id} is used twice` });
    seen.add(m.id);
    const spec = MEASURES[m.type];
    if (spec.field && !m.field)
      problems.push({ field: `measures.${i}.field`, message: `${m.type} needs a field` });
    if (!spec.field && m.field)
      problems.push({ field: `measures.${i}.field`, message: `${m.type} takes no field` });
    if (spec.field && m.field) checkRef(m.field, `measures.${i}.field`, spec.field === "number");
  }
  for (const [i, s] of def.slicers.entries()) {
    const r = checkRef(s.field, `slicers.${i}.field`, s.type === "range");
    if (s.type === "time" && r && r.def.type !== "date")
      problems.push({ field: `slicers.${i}.field`, message: "A time slicer needs a date field" });
    if (s.type === "time" && !s.timeGranularity)
      problems.push({ field: `slicers.${i}.timeGranularity`, message: "Give a granularity" });
    if (s.type === "range" && !s.buckets?.length)
      problems.push({ field: `slicers.${i}.buckets`, message: "Give the ranges" });
    if (s.type === "dynamic")
      problems.push({
        field: `slicers.${i}.type`,
        message: "Dynamic slicers are not supported yet",
      });
  }
  for (const [i, g] of def.groups.entries()) {
    const r = checkRef(g.field, `groups.${i}.field`);
    if (g.granularity && r && r.def.type !== "date")
      problems.push({
        field: `groups.${i}.granularity`,
        message: "Only date fields take a granularity",
      });
  }
  if (def.groups.filter((g) => g.topN).length > 1)
    problems.push({ field: "groups", message: "Only one group can keep a top N" });
  for (const [i, f] of (def.filters.customFilters ?? []).entries()) {
    const r = checkRef(f.field, `filters.customFilters.${i}.field`);
    if (!r) continue;
    const needsValue = !["isNull", "isNotNull"].includes(f.operator);
    if (needsValue && f.value === undefined)
      problems.push({ field: `filters.customFilters.${i}.value`, message: "Give a value" });
    if (["in", "nin"].includes(f.operator) !== Array.isArray(f.value) && needsValue)
      problems.push({
        field: `filters.customFilters.${i}.value`,
        message: ["in", "nin"].includes(f.operator) ? "Give a list" : "Give one value",
      });
    // An empty list matches nothing (in) or everything (nin): certainly not what was meant.
    if (["in", "nin"].includes(f.operator) && Array.isArray(f.value) && f.value.length === 0)
      problems.push({
        field: `filters.customFilters.${i}.value`,
        message: "Give at least one value",
      });
    const values = [f.value, f.valueEnd].flat().filter((v) => v !== undefined);
    if (r.def.type === "boolean" && values.some((v) => typeof v !== "boolean"))
      problems.push({
        field: `filters.customFilters.${i}.value`,
        message: `${f.field} takes true or false`,
      });
    if (
      r.def.type === "id" &&
      !STRING_OPS.includes(f.operator) &&
      values.some((v) => typeof v !== "string" || !isUuid(v))
    )
      problems.push({
        field: `filters.customFilters.${i}.value`,
        message: `${f.field} takes ids (UUIDs)`,
      });
    if (f.operator === "regex" && f.value !== undefined && typeof f.value !== "string")
      problems.push({
        field: `filters.customFilters.${i}.value`,
        message: "A regular expression is text",
      });
    if (f.operator === "between" && f.valueEnd === undefined)
      problems.push({
        field: `filters.customFilters.${i}.valueEnd`,
        message: "Give the range's end",
      });
    if (STRING_OPS.includes(f.operator) && !["string", "id"].includes(r.def.type))
      problems.push({
        field: `filters.customFilters.${i}.operator`,
        message: `${f.operator} works on text`,
      });
    if (r.def.type === "number")
      for (const v of [f.value, f.valueEnd].flat())
        if (v !== undefined && typeof v !== "number")
          problems.push({
            field: `filters.customFilters.${i}.value`,
            message: `${f.field} takes numbers`,
          });
    if (r.def.type === "date")
      for (const v of [f.value, f.valueEnd].flat())
        if (v !== undefined && (typeof v !== "string" || !isCalendarDate(v)))
          problems.push({
            field: `filters.customFilters.${i}.value`,
            message: `${f.field} takes dates`,
          });
  }
  const range = def.filters.dateRange;
  if (range && Date.parse(range.end) <= Date.parse(range.start))
    problems.push({
      field: "filters.dateRange.end",
      message:
        "The date range ends at or before its start (it runs from start up to, not including, end)",
    });
  if (def.filters.programIds?.length)
    problems.push({ field: "filters.programIds", message: ENTITIES.program.unavailable ?? "" });
  const entities = entitiesOf(def);
  for (const e of entities) {
    const needed = ENTITIES[e].requires;
    if (needed && !revealed(access, needed, organizationId))
      problems.push({
        field: "dimensions",
        message: `Seeing ${ENTITIES[e].label.toLowerCase()} data in reports needs ${needed} as wide as your reports:read`,
        forbidden: true,
      });
  }
  const base = baseFor(
    def.measures.map((m) => m.type),
    entities.filter((e) => !ENTITIES[e].unavailable),
  );
  if (!problems.length && !base)
    problems.push({
      field: "measures",
      message:
        "These measures and fields do not share a base: enrollment measures, event counts, assessment measures, sync-run measures and incident measures go in separate reports",
    });
  if (base) problems.push(...baseProblems(base, def, access, organizationId));
  if (base && base !== "activity" && def.filters.activityTypes?.length)
    problems.push({
      field: "filters.activityTypes",
      message: "Activity types filter event reports",
    });
  if (base && base !== "assessment" && (def.filters.scoreRange || def.filters.passStatus?.length))
    problems.push({ field: "filters.scoreRange", message: "Scores filter assessment reports" });
  const keys = new Set([
    ...def.dimensions.flatMap((d) => d.fields.map((f) => `${d.entity}.${f}`)),
    ...def.measures.map((m) => m.id),
  ]);
  if (def.display.sortBy && !keys.has(def.display.sortBy))
    problems.push({
      field: "display.sortBy",
      message: "Sort by a dimension field or a measure id",
    });
  return problems;
}

/** Filters that read a learning column, by the column they need. */
const LEARNING_FILTERS: Array<{
  filter: keyof ReportDefinition["filters"];
  columns: Array<"learner" | "course" | "cohort" | "enrollment">;
}> = [
  { filter: "learnerIds", columns: ["learner"] },
  { filter: "departmentIds", columns: ["learner"] },
  { filter: "courseIds", columns: ["course"] },
  { filter: "classIds", columns: ["cohort"] },
  { filter: "instructorIds", columns: ["course", "cohort"] },
  { filter: "enrollmentStatus", columns: ["enrollment"] },
  { filter: "completionStatus", columns: ["enrollment"] },
];

/**
 * What the report's base itself asks: the permission it needs (integration sync runs and
 * incidents need integrations:manage as wide as reports:read), and no filter on a learning
 * column the base has not got (sync runs and incidents have no learner, course, cohort or
 * enrollment).
 */
function baseProblems(
  base: Base,
  def: ReportDefinition,
  access: ActorAccess,
  organizationId: string,
): Problem[] {
  const b = BASES[base];
  const problems: Problem[] = [];
  if (b.requires && !revealed(access, b.requires, organizationId))
    problems.push({
      field: "measures",
      message: `Reports on ${b.label.toLowerCase()} need ${b.requires} as wide as your reports:read`,
      forbidden: true,
    });
  const f = def.filters;
  for (const { filter, columns } of LEARNING_FILTERS) {
    const value = f[filter];
    if ((Array.isArray(value) ? value.length : value) && columns.some((c) => !b[c]))
      problems.push({
        field: `filters.${filter}`,
        message: `${b.label} cannot be filtered by ${filter}`,
      });
  }
  if (f.dateRange && ["enrolledAt", "completedAt"].includes(f.dateRange.field) && !b.enrollment)
    problems.push({
      field: "filters.dateRange.field",
      message: `${b.label} have no enrollment: filter them by eventDate (their own date)`,
    });
  return problems;
}

/**
 * validateDefinition, and what only the database can tell: whether each `regex` filter is a
 * pattern PostgreSQL's own engine (its advanced regular expressions, which `~*` runs) accepts.
 * JavaScript's RegExp is a different dialect — it takes `(?<name>…)` and `\p{L}`, which
 * PostgreSQL refuses, and reads `\b` and `[]a]` otherwise — so the pattern is compiled by the
 * engine that will run it, through regex_error() (migration …_report_regex_check), which catches
 * the error itself: a bad pattern never aborts the caller's transaction.
 */
export async function validateReport(
  db: Db,
  def: ReportDefinition,
  access: ActorAccess,
  organizationId: string,
): Promise<Problem[]> {
  const problems = validateDefinition(def, access, organizationId);
  const patterns = (def.filters.customFilters ?? []).flatMap((f, i) =>
    f.operator === "regex" && typeof f.value === "string" ? [{ i, pattern: f.value }] : [],
  );
  if (!patterns.length) return problems;
  const { rows } = await sql<Record<string, string | null>>`select ${sql.join(
    patterns.map(({ pattern }, n) => sql`regex_error(${pattern}::text) as ${sql.ref(`p${n}`)}`),
  )}`.execute(db);
  patterns.forEach(({ i }, n) => {
    const error = rows[0]?.[`p${n}`];
    if (error)
      problems.push({
        field: `filters.customFilters.${i}.value`,
        message: `Not a regular expression PostgreSQL accepts (${error})`,
      });
  });
  return problems;
}

function condition(
  expr: RawBuilder<unknown>,
  type: string,
  op: Operator,
  value: unknown,
  valueEnd: unknown,
): RawBuilder<unknown> {
  const cast = (v: unknown) =>
    type === "date" ? sql`${v}::timestamptz` : type === "id" ? sql`${v}::uuid` : sql`${v}`;
  const list = (v: unknown) => sql.join((v as unknown[]).map(cast));
  switch (op) {
    case "eq":
      return sql`${expr} = ${cast(value)}`;
    case "ne":
      return sql`${expr} is distinct from ${cast(value)}`;
    case "gt":
      return sql`${expr} > ${cast(value)}`;
    case "gte":
      return sql`${expr} >= ${cast(value)}`;
    case "lt":
      return sql`${expr} < ${cast(value)}`;
    case "lte":
      return sql`${expr} <= ${cast(value)}`;
    case "in":
      return sql`${expr} in (${list(value)})`;
    case "nin":
      return sql`(${expr} is null or ${expr} not in (${list(value)}))`;
    case "between":
      return sql`${expr} between ${cast(value)} and ${cast(valueEnd)}`;
    case "isNull":
      return sql`${expr} is null`;
    case "isNotNull":
      return sql`${expr} is not null`;
    case "regex":
      return sql`${expr}::text ~* ${String(value)}`;
    default:
      // contains, startsWith, endsWith: the value matches literally.
      return sql`${expr}::text ilike ${likePattern(String(value), op as "contains")}`;
  }
}

export interface CompiledReport {
  base: Base;
  columns: Column[];
  /**
   * The report's rows in order (with `grouping` > 0 on total and subtotal rows); at most
   * display.limit detail rows, and at most `limit` (a preview's), plus their subtotals and the
   * total.
   */
  query: (limit?: number) => RawBuilder<Record<string, unknown>>;
  /** One row of `query` as the API shows it: values by column key, totals marked. */
  shape: (row: Record<string, unknown>) => ReportRow;
  /** The rows the report reads, before grouping (for estimates). */
  sourceCount: () => RawBuilder<{ n: string | number }>;
  /**
   * The people whose personal fields the report shows (a field of a person, or one that names
   * them): who an export hands out (access logs); null when it shows none.
   */
  people: (() => RawBuilder<{ id: string }>) | null;
}

/** Whether a definition shows a person's fields (its dimensions, groups or slicers name one). */
function showsPersonal(def: ReportDefinition): boolean {
  const refs = [
    ...def.dimensions.flatMap((d) => d.fields.map((f) => `${d.entity}.${f}`)),
    ...def.slicers.map((s) => s.field),
    ...def.groups.map((g) => g.field),
  ];
  return refs.some((ref) => !!resolve(ref)?.def.personal);
}

/** Compiles a definition that validateDefinition accepted. */
export function compileReport(def: ReportDefinition, run: RunScope): CompiledReport {
  const entities = entitiesOf(def);
  const base = baseFor(
    def.measures.map((m) => m.type),
    entities,
  ) as Base;
  const b = BASES[base];
  const scope: Scope = { base, timeZone: run.timeZone };
  const fromSql = b.source ? b.source(run.organizationId, run.now ?? new Date()) : sql.raw(b.from);
  const joins = new Set<JoinName>(b.joins);
  const need = (names: JoinName[]) => {
    for (const n of names) {
      for (const dep of JOINS.find((j) => j.name === n)?.needs ?? []) joins.add(dep);
      joins.add(n);
    }
  };
  // Privacy (docs/privacy.md): on a base whose rows are about people, what a person keeps from
  // others (privacy_settings) is blank, and every personal field of a person whose processing
  // is restricted; the reader's own rows keep everything. Masked before grouping, so a hidden
  // value is neither shown nor counted in an average, a sum or a filter.
  const learnerColumn = b.learner;
  const hideIf = (kind: string) =>
    kind === "identity"
      ? "prr.subject_user_id is not null"
      : `(coalesce(pvs.hide_${kind}, false) or prr.subject_user_id is not null)`;
  const mask = (expr: RawBuilder<unknown>, kind: string | undefined) =>
    learnerColumn && kind
      ? sql`(case when ${sql.raw(hideIf(kind))} then null else ${expr} end)`
      : expr;
  const notViewer = (column: string) =>
    run.viewer ? sql` and ${sql.raw(column)} <> ${run.viewer}::uuid` : sql``;
  const privacyJoin = learnerColumn
    ? sql` left join (select user_id, not show_scores as hide_scores, not show_activity as hide_activity, not show_certificates as hide_certificates from privacy_settings where (not show_scores or not show_activity or not show_certificates)${notViewer("user_id")}) pvs on pvs.user_id = ${sql.raw(learnerColumn)} left join (select distinct subject_user_id from privacy_requests where type = 'restriction' and status = 'completed' and (organization_id = ${run.organizationId}::uuid or organization_id is null)${notViewer("subject_user_id")}) prr on prr.subject_user_id = ${sql.raw(learnerColumn)}`
    : sql``;
  const helpers = learnerColumn ? maskHelpers(b.helpers, b.personalHelpers, hideIf) : b.helpers;
  const field = (ref: string) => {
    const r = resolve(ref) as Resolved;
    need(ENTITIES[r.entity].joins);
    return { ...r, sql: mask(r.def.expr(scope), r.def.personal) };
  };

  const keys = rowKeys(def, field, run.timeZone);

  const measures = def.measures.map((m, i) => {
    const spec = MEASURES[m.type];
    const f = m.field ? field(m.field).sql : null;
    return {
      input: f,
      column: {
        key: m.id,
        label: m.label ?? spec.label,
        kind: "measure" as const,
        type: "number",
        format: m.format === "number" ? spec.format : m.format,
      },
      expr: spec.sql(f ? sql.ref(`v${i}`) : null),
    };
  });

  // Filters.
  const where: RawBuilder<unknown>[] = [
    sql`${sql.raw(b.organization)} = ${run.organizationId}::uuid`,
  ];
  if (b.condition) where.push(sql.raw(b.condition));
  // A caller whose report access reaches only some learners sees nothing of a base whose rows
  // are not about learners.
  if (run.learners)
    where.push(
      run.learners.length && b.learner
        ? sql`${sql.raw(b.learner)} in (${sql.join(run.learners.map((id) => sql`${id}::uuid`))})`
        : sql`false`,
    );
  const f = def.filters;
  const ids = (column: string | undefined, values: string[] | undefined) => {
    if (values?.length && !column) where.push(sql`false`);
    else if (!column) return;
    else if (values?.length === 1) where.push(sql`${sql.raw(column)} = ${values[0]}::uuid`);
    else if (values?.length)
      where.push(sql`${sql.raw(column)} in (${sql.join(values.map((v) => sql`${v}::uuid`))})`);
  };
  ids(b.course, f.courseIds);
  ids(b.cohort, f.classIds);
  ids(b.learner, f.learnerIds);
  if (f.instructorIds?.length && (!b.course || !b.cohort)) where.push(sql`false`);
  else if (f.instructorIds?.length) {
    need(["course", "cohort"]);
    ids(INSTRUCTOR_ID, f.instructorIds);
  }
  if (f.departmentIds?.length && !b.learner) where.push(sql`false`);
  else if (f.departmentIds?.length) {
    need(["department"]);
    ids("om.department_id", f.departmentIds);
  }
  if (f.dateRange) {
    const column =
      f.dateRange.field === "enrolledAt"
        ? "e.enrolled_at"
        : f.dateRange.field === "completedAt"
          ? "e.completed_at"
          : b.date;
    if (column.startsWith("e.") && !b.enrollment) where.push(sql`false`);
    else {
      if (column.startsWith("e.")) need(["enrollment"]);
      where.push(
        sql`${sql.raw(column)} >= ${f.dateRange.start}::timestamptz and ${sql.raw(column)} < ${f.dateRange.end}::timestamptz`,
      );
    }
  }
  if (f.lastDays)
    where.push(sql`${sql.raw(b.date)} >= now() - make_interval(days => ${f.lastDays}::integer)`);
  if ((f.enrollmentStatus?.length || f.completionStatus?.length) && !b.enrollment)
    where.push(sql`false`);
  else if (f.enrollmentStatus?.length) {
    need(["enrollment"]);
    where.push(sql`e.status in (${sql.join(f.enrollmentStatus)})`);
  }
  if (f.completionStatus?.length === 1 && b.enrollment) {
    need(["enrollment"]);
    where.push(
      f.completionStatus[0] === "complete"
        ? sql`e.status = 'completed'`
        : sql`e.status is distinct from 'completed'`,
    );
  }
  if (f.activityTypes?.length) where.push(sql`ev.event_type in (${sql.join(f.activityTypes)})`);
  const score = mask(sql`qa.score`, "scores");
  const passed = mask(sql`qa.passed`, "scores");
  if (f.scoreRange?.min !== undefined) where.push(sql`${score} >= ${f.scoreRange.min}`);
  if (f.scoreRange?.max !== undefined) where.push(sql`${score} <= ${f.scoreRange.max}`);
  if (f.passStatus?.length)
    where.push(
      sql`(${sql.join(
        f.passStatus.map((p) =>
          p === "passed"
            ? sql`${passed} = true`
            : p === "failed"
              ? sql`${passed} = false`
              : sql`${passed} is null`,
        ),
        sql` or `,
      )})`,
    );
  for (const c of f.customFilters ?? []) {
    const r = field(c.field);
    where.push(condition(r.sql, r.def.type, c.operator, c.value, c.valueEnd));
  }

  const joinSql = () =>
    sql`${sql.raw(
      JOINS.filter((j) => joins.has(j.name))
        .map((j) => j.sql(b))
        .filter(Boolean)
        .join(" "),
    )}${privacyJoin}`;
  const filtered = () => sql`where ${sql.join(where, sql` and `)}`;

  // Shares of the total (showPercentages): additive measures only, computed by the database
  // over every detail row, so they hold however the rows are later read or limited.
  const shares = def.display.showPercentages
    ? def.measures.flatMap((m, i) =>
        MEASURES[m.type].additive
          ? [
              {
                measure: i,
                column: {
                  key: `${m.id}%`,
                  label: `${measures[i]?.column.label} (% of total)`,
                  kind: "measure" as const,
                  type: "number",
                  format: "percent",
                },
              },
            ]
          : [],
      )
    : [];
  const columns = [
    ...keys.map((k) => k.column),
    ...measures.map((m) => m.column),
    ...shares.map((s) => s.column),
  ];
  const sortAt = def.display.sortBy ? columns.findIndex((c) => c.key === def.display.sortBy) : -1;
  const rows = layout(keys, def.display, sortAt);
  const query = (limit?: number) => {
    // The inner query computes the keys and the measures' inputs per base row; the outer one
    // groups by the keys' names, so parameters inside key expressions never have to match.
    const source = (extra: RawBuilder<unknown>[]) =>
      sql`select ${sql.join([...extra, sql.raw(helpers)])} from ${fromSql} ${joinSql()} ${filtered()}`;
    // A group ranked by value ranks by the measure display.sortBy names, else the first one.
    const valueAt = Math.max(
      0,
      def.measures.findIndex((m) => m.id === def.display.sortBy),
    );
    const valueMeasure = {
      index: valueAt,
      input: measures[valueAt]?.input ?? null,
      expr: measures[valueAt]?.expr ?? sql`count(*)`,
    };
    const rankings = keys.flatMap((k, i) =>
      k.ranking ? [rankingJoin(i, k.ranking, source, valueMeasure)] : [],
    );
    const inner = sql`select ${sql.join([
      ...keys.flatMap((k, i) => [
        sql`${k.expr} as ${sql.ref(`k${i}`)}`,
        ...(k.other ? [sql`${k.other} as ${sql.ref(`o${i}`)}`] : []),
        ...(k.rank ? [sql`${k.rank} as ${sql.ref(`r${i}`)}`] : []),
      ]),
      ...measures.flatMap((m, i) => (m.input ? [sql`${m.input} as ${sql.ref(`v${i}`)}`] : [])),
      sql.raw(helpers),
    ])} from ${fromSql} ${joinSql()} ${sql.join(rankings, sql` `)} ${filtered()}`;
    const grouped = sql`select ${sql.join([
      ...rows.columns,
      ...measures.map((m, i) => sql`${m.expr} as ${sql.ref(`m${i}`)}`),
    ])} from (${inner}) as t ${rows.groupBy}`;
    // Shares are computed over every detail row before any limit.
    const shareCols = shares.map(({ measure }, j) => {
      const m = sql.ref(`m${measure}`);
      const total = rows.totals
        ? sql`sum(${m}) filter (where ${sql.ref("grouping")} = 0) over ()`
        : sql`sum(${m}) over ()`;
      return sql`round(coalesce(${m}, 0) * 100.0 / nullif(${total}, 0), 2) as ${sql.ref(`p${j}`)}`;
    });
    // Sorting outside the grouped subquery keeps the planner from sorting every source row to
    // group them in order (a disk sort on millions of events) when hashing them and sorting the
    // few groups is far cheaper.
    const withShares = shares.length
      ? sql`select r.*, ${sql.join(shareCols)} from (${grouped}) as r`
      : grouped;
    // The preview's limit and display.limit both cap the detail rows: the lower one counts.
    const caps = [limit, def.display.limit].filter((n): n is number => n !== undefined);
    return rows.arrange(withShares, caps.length ? Math.min(...caps) : undefined);
  };
  const shape = (row: Record<string, unknown>): ReportRow => {
    const shaped = rows.shape(row);
    measures.forEach((m, i) => {
      shaped.values[m.column.key] = cell(m.column, row[`m${i}`]);
    });
    shares.forEach((s, j) => {
      shaped.values[s.column.key] = cell(s.column, row[`p${j}`]);
    });
    return shaped;
  };
  return {
    base,
    columns,
    query,
    shape,
    sourceCount: () =>
      sql<{
        n: string | number;
      }>`select count(*) as n from ${fromSql} ${joinSql()} ${filtered()}`,
    people:
      learnerColumn && showsPersonal(def)
        ? () =>
            sql<{
              id: string;
            }>`select distinct ${sql.raw(learnerColumn)} as id from ${fromSql} ${joinSql()} ${filtered()} and ${sql.raw(learnerColumn)} is not null`
        : null,
  };
}
