import { sql } from "kysely";
import { forEachBatch } from "../../db/cursor.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { holds } from "../../platform/policy/engine.js";
import { viewerOf } from "../access/learner-privacy.js";
import { reachableLearners } from "../enrollment/queries.js";
import {
  compileReport,
  type Problem,
  type ReportRow,
  type RunScope,
  revealed,
  validateReport,
} from "./compile.js";
import {
  GRANULARITIES,
  type MeasureType,
  OPERATORS,
  type ReportDefinition,
  reportDefinition,
} from "./definition.js";
import { BASES, type Base, DATE_RANGE, ENTITIES, MEASURES, PRECISION } from "./registry.js";

/**
 * The report metadata API (seed 000 §4.1.4): what a caller may put in a report, validation with
 * field-level errors, a preview of the first rows, and an estimate before an expensive run.
 */

/** The organization's time zone and the learners the caller's report access reaches there. */
export async function runScope(ctx: Ctx, organizationId: string): Promise<RunScope> {
  const org = await ctx.db
    .selectFrom("organizations")
    .select(["id", "timezone"])
    .where("id", "=", organizationId)
    .executeTakeFirst();
  if (!org) throw new AppError("NOT_FOUND", "Organization not found");
  const access = await ctx.actor.access();
  if (!holds(access, "reports:read", organizationId))
    throw new AppError("FORBIDDEN", "Reports need reports:read in this organization");
  const now = ctx.clock.now();
  const viewer = viewerOf(ctx);
  if (access.system) return { organizationId, timeZone: org.timezone, learners: null, now, viewer };
  const reach = await reachableLearners(ctx, access, "reports:read");
  return {
    organizationId,
    timeZone: org.timezone,
    learners: reach.organizations.includes(organizationId) ? null : reach.learners,
    now,
    viewer,
  };
}

/** Dimensions, measures, slicers, groups and filters, with what this caller may use. */
export async function reportCatalog(ctx: Ctx, organizationId: string) {
  await runScope(ctx, organizationId);
  const access = await ctx.actor.access();
  return {
    bases: (Object.keys(BASES) as Base[]).map((key) => ({
      key,
      label: BASES[key].label,
      date: BASES[key].dateMeaning,
      requires: BASES[key].requires ?? null,
      allowed: !BASES[key].requires || revealed(access, BASES[key].requires, organizationId),
    })),
    dimensions: Object.entries(ENTITIES).map(([key, e]) => ({
      entity: key,
      label: e.label,
      description: e.description ?? null,
      bases: e.bases,
      available: !e.unavailable,
      reason: e.unavailable ?? null,
      requires: e.requires ?? null,
      allowed: !e.unavailable && (!e.requires || revealed(access, e.requires, organizationId)),
      fields: Object.entries(e.fields).map(([name, f]) => ({
        key: `${key}.${name}`,
        field: name,
        label: f.label,
        type: f.type,
        description: f.description ?? null,
      })),
    })),
    measures: Object.entries(MEASURES).map(([type, m]) => ({
      type,
      label: m.label,
      bases: m.bases,
      field: m.field ?? null,
      format: m.format,
      definition: m.definition,
      precision: PRECISION[type as MeasureType],
    })),
    slicers: [
      { type: "categorical", fieldTypes: ["string", "id", "boolean"], options: ["values"] },
      { type: "range", fieldTypes: ["number"], options: ["buckets"] },
      {
        type: "time",
        fieldTypes: ["date"],
        options: ["timeGranularity"],
        granularities: GRANULARITIES,
      },
      { type: "dynamic", fieldTypes: [], options: [], supported: false },
    ],
    groups: {
      granularities: GRANULARITIES,
      sortBy: ["value", "label", "count"],
      options: ["topN", "showOther"],
    },
    filters: {
      structured: [
        "departmentIds",
        "courseIds",
        "classIds",
        "learnerIds",
        "instructorIds",
        "dateRange",
        "lastDays",
        "enrollmentStatus",
        "completionStatus",
        "activityTypes",
        "scoreRange",
        "passStatus",
      ],
      dateRangeFields: ["createdAt", "enrolledAt", "completedAt", "eventDate"],
      dateRange: {
        description: DATE_RANGE.description,
        fields: Object.entries(DATE_RANGE.fields).map(([field, description]) => ({
          field,
          description,
        })),
      },
      operators: OPERATORS,
    },
  };
}

/** Parses and checks a definition; problems carry the field they are about. */
export async function checkDefinition(
  ctx: Ctx,
  organizationId: string,
  input: unknown,
): Promise<{ definition: ReportDefinition | null; problems: Problem[] }> {
  const parsed = reportDefinition.safeParse(input);
  if (!parsed.success)
    return {
      definition: null,
      problems: parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    };
  const access = await ctx.actor.access();
  return {
    definition: parsed.data,
    problems: await validateReport(ctx.db, parsed.data, access, organizationId),
  };
}

/**
 * The definition, parsed and checked for this caller, or VALIDATION_ERROR naming the first
 * problem's field (under `prefix` when the definition is part of a larger body).
 */
export async function requireDefinition(
  ctx: Ctx,
  organizationId: string,
  input: unknown,
  prefix = "",
): Promise<ReportDefinition> {
  const { definition, problems } = await checkDefinition(ctx, organizationId, input);
  if (!definition || problems.length)
    throw new AppError("VALIDATION_ERROR", problems[0]?.message ?? "Invalid report", {
      field: prefix ? `${prefix}.${problems[0]?.field ?? ""}` : problems[0]?.field,
      details: { problems },
    });
  return definition;
}

/** Runs a definition and shapes its rows by column key; totals and subtotals are marked. */
export async function runReport(
  ctx: Ctx,
  organizationId: string,
  definition: ReportDefinition,
  limit?: number,
) {
  const scope = await runScope(ctx, organizationId);
  const compiled = compileReport(definition, scope);
  const started = performance.now();
  const result = await compiled.query(limit).execute(ctx.db);
  const queryMs = Math.round((performance.now() - started) * 10) / 10;
  const rows = result.rows.map(compiled.shape);
  return { base: compiled.base, columns: compiled.columns, rows, timing: { queryMs } };
}

/** Rows read from the database per batch when a report streams. */
export const STREAM_BATCH_ROWS = 5_000;

/**
 * A definition compiled for this caller, whose rows can then be read batch by batch through a
 * database cursor (report files of any length in flat memory).
 */
export async function prepareReport(
  ctx: Ctx,
  organizationId: string,
  definition: ReportDefinition,
) {
  const scope = await runScope(ctx, organizationId);
  const compiled = compileReport(definition, scope);
  return {
    base: compiled.base,
    columns: compiled.columns,
    /** The people whose personal fields the report shows (none when it shows none). */
    async people(): Promise<string[]> {
      if (!compiled.people) return [];
      const found = await compiled.people().execute(ctx.db);
      return found.rows.map((r) => r.id);
    },
    /** Hands each batch of shaped rows to `onRows`; answers the row count and the query's time. */
    async stream(onRows: (rows: ReportRow[]) => Promise<void>, batchSize = STREAM_BATCH_ROWS) {
      const started = performance.now();
      let queryMs: number | null = null;
      const rows = await forEachBatch(ctx.db, compiled.query(), batchSize, async (raw) => {
        queryMs ??= Math.round((performance.now() - started) * 10) / 10;
        await onRows(raw.map(compiled.shape));
      });
      return { rows, queryMs: queryMs ?? Math.round((performance.now() - started) * 10) / 10 };
    },
  };
}

/**
 * A definition's first rows for the report builder. Like a report file, a preview that shows
 * people's fields leaves one access-log line per person whose rows it read (docs/privacy.md).
 */
export async function previewReport(ctx: Ctx, organizationId: string, input: unknown, limit = 20) {
  const definition = await requireDefinition(ctx, organizationId, input);
  const result = await runReport(ctx, organizationId, definition, limit);
  const report = await prepareReport(ctx, organizationId, definition);
  await announceReportRead(ctx, organizationId, await report.people(), {
    what: "report-preview",
    detail: `preview (${result.base})`,
  });
  return result;
}

/**
 * The access log of a report read by someone (a preview, a job's file): one line per person
 * whose fields it shows, none for a report that names no one.
 */
export async function announceReportRead(
  ctx: Ctx,
  organizationId: string,
  people: string[],
  read: { what: string; detail: string },
) {
  if (people.length)
    await ctx.events.emit(ctx, "personal-data.read", {
      organizationId,
      subjectUserIds: people,
      ...read,
    });
}

/** Rows above which a report should run as a queued job rather than interactively. */
export const LARGE_SOURCE_ROWS = 1_000_000;
export const LARGE_RESULT_ROWS = 100_000;

/**
 * The planner's estimate, without running the report: rows read, rows returned and the plan's
 * cost (PostgreSQL's EXPLAIN), with warnings before an expensive report.
 */
export async function estimateReport(ctx: Ctx, organizationId: string, input: unknown) {
  const definition = await requireDefinition(ctx, organizationId, input);
  const scope = await runScope(ctx, organizationId);
  const compiled = compileReport(definition, scope);
  const plan = async (query: ReturnType<typeof compiled.sourceCount>) => {
    const explained = await sql<{ "QUERY PLAN": unknown }>`explain (format json) ${query}`.execute(
      ctx.db,
    );
    const raw = explained.rows[0]?.["QUERY PLAN"];
    const doc = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{
      Plan: { "Plan Rows": number; "Total Cost": number; Plans?: Array<{ "Plan Rows": number }> };
    }>;
    return doc[0]?.Plan;
  };
  const [source, result] = await Promise.all([
    plan(compiled.sourceCount()),
    plan(compiled.query() as never),
  ]);
  const sourceRows = Math.round(source?.Plans?.[0]?.["Plan Rows"] ?? source?.["Plan Rows"] ?? 0);
  const resultRows = Math.round(result?.["Plan Rows"] ?? 0);
  const warnings: string[] = [];
  if (sourceRows > LARGE_SOURCE_ROWS)
    warnings.push(`Reads about ${sourceRows.toLocaleString("en")} rows: run it as a report job`);
  if (resultRows > LARGE_RESULT_ROWS)
    warnings.push(`Returns about ${resultRows.toLocaleString("en")} rows: add filters or a limit`);
  return {
    base: compiled.base,
    estimatedSourceRows: sourceRows,
    estimatedRows: resultRows,
    cost: Math.round(result?.["Total Cost"] ?? 0),
    expensive: warnings.length > 0,
    warnings,
  };
}
