import type { ReportDefinition, ReportPreview } from "../../api/reports";

/**
 * The organization overview's tiles (`/reports/dashboard`), each a report definition run by the
 * report engine (`POST …/report-metadata/preview`) and opened in the report builder as is. What
 * each figure means is the definition's: change the definition here, and the tile, its figure
 * and the builder's report change together.
 */

export const TILES = [
  "enrollments",
  "completions",
  "overdueCompliance",
  "learningGain",
  "activity",
] as const;
export type TileKey = (typeof TILES)[number];

/** Enrollments still open: what "overdue" counts, as the assignments list does. */
export const OPEN_STATUSES = ["active", "suspended", "pending-payment"] as const;

/** Weeks of activity the activity tile shows, this one included. */
export const ACTIVITY_WEEKS = 12;

/** Midnight (the browser's) starting the Monday of `day`'s week. */
export function mondayOf(day: Date): Date {
  const monday = new Date(day.getFullYear(), day.getMonth(), day.getDate());
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
  return monday;
}

/** A local date as the engine writes time buckets (YYYY-MM-DD). */
export function dayKey(day: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The Mondays of the activity tile's weeks, oldest first. */
export function activityWeeks(now: Date): Date[] {
  const thisWeek = mondayOf(now);
  return Array.from({ length: ACTIVITY_WEEKS }, (_, i) => {
    const monday = new Date(thisWeek);
    monday.setDate(monday.getDate() - 7 * (ACTIVITY_WEEKS - 1 - i));
    return monday;
  });
}

/** A definition with the engine's defaults written out (the builder opens it as it is). */
function report(
  d: Pick<ReportDefinition, "measures"> & Partial<ReportDefinition>,
): ReportDefinition {
  return {
    dimensions: [],
    groups: [],
    slicers: [],
    filters: {},
    display: {
      showTotals: false,
      showSubtotals: false,
      showPercentages: false,
      sortDirection: "asc",
    },
    ...d,
  };
}

/** Rows with the most first, and the total. */
const totalsSortedBy = (measure: string): NonNullable<ReportDefinition["display"]> => ({
  showTotals: true,
  showSubtotals: false,
  showPercentages: false,
  sortBy: measure,
  sortDirection: "desc",
});

/** The measures' ids in the tiles' definitions; the page names them in the person's language. */
export const MEASURE_IDS = [
  "enrollments",
  "completions",
  "overdue",
  "averageScore",
  "attempts",
  "events",
] as const;
export type MeasureId = (typeof MEASURE_IDS)[number];

/**
 * Each tile's report definition as of `now` (overdue means due before now; activity covers
 * the last twelve weeks up to the end of today), its measures named by `label`.
 */
export function tileDefinitions(
  now: Date,
  label: (measure: MeasureId) => string = (measure) => measure,
): Record<TileKey, ReportDefinition> {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const firstWeek = activityWeeks(now)[0] as Date;
  return {
    // Every enrollment, by status, with the total.
    enrollments: report({
      dimensions: [{ entity: "enrollment", fields: ["status"] }],
      measures: [
        { id: "enrollments", type: "count", label: label("enrollments"), format: "number" },
      ],
      display: totalsSortedBy("enrollments"),
      visualization: { type: "pie" },
    }),
    // Completed enrollments, by course, most first, with the total.
    completions: report({
      dimensions: [{ entity: "course", fields: ["title"] }],
      measures: [
        { id: "completions", type: "count", label: label("completions"), format: "number" },
      ],
      filters: { completionStatus: ["complete"] },
      display: totalsSortedBy("completions"),
      visualization: { type: "bar" },
    }),
    // Open compliance enrollments past their due date, by course.
    overdueCompliance: report({
      dimensions: [{ entity: "course", fields: ["title"] }],
      measures: [{ id: "overdue", type: "count", label: label("overdue"), format: "number" }],
      filters: {
        enrollmentStatus: [...OPEN_STATUSES],
        customFilters: [
          { field: "enrollment.isCompliance", operator: "eq", value: true },
          { field: "enrollment.dueAt", operator: "lt", value: now.toISOString() },
        ],
      },
      display: totalsSortedBy("overdue"),
      visualization: { type: "bar" },
    }),
    // Average scores of graded pre-course and post-course attempts: the gain is their difference.
    learningGain: report({
      dimensions: [{ entity: "assessment", fields: ["kind"] }],
      measures: [
        { id: "averageScore", type: "avg-score", label: label("averageScore"), format: "percent" },
        { id: "attempts", type: "count", label: label("attempts"), format: "number" },
      ],
      filters: {
        customFilters: [
          { field: "assessment.kind", operator: "in", value: ["pre-course", "post-course"] },
        ],
      },
      visualization: { type: "bar" },
    }),
    // Learning events per week (in the organization's time zone).
    activity: report({
      dimensions: [{ entity: "time", fields: ["week"] }],
      measures: [{ id: "events", type: "event-count", label: label("events"), format: "number" }],
      filters: {
        dateRange: {
          field: "eventDate",
          start: firstWeek.toISOString(),
          end: tomorrow.toISOString(),
        },
      },
      visualization: { type: "line" },
    }),
  };
}

type Row = ReportPreview["rows"][number];

const num = (value: unknown): number | null =>
  typeof value === "number"
    ? value
    : typeof value === "string" && value !== ""
      ? Number(value)
      : null;

const details = (preview: ReportPreview): Row[] => preview.rows.filter((r) => r.kind === "detail");

/**
 * A measure's total: the total row's value, else the sum of the detail rows' (a report without
 * rows counts nothing).
 */
export function totalOf(preview: ReportPreview, measure: string): number {
  const total = preview.rows.find((r) => r.kind === "total");
  const value = total ? num(total.values[measure]) : null;
  if (value !== null) return value;
  return details(preview).reduce((sum, r) => sum + (num(r.values[measure]) ?? 0), 0);
}

/** The detail rows as (label, value) pairs: `key`'s value names each, `measure` counts it. */
export function breakdown(
  preview: ReportPreview,
  key: string,
  measure: string,
): Array<{ label: string | null; value: number }> {
  return details(preview).map((r) => ({
    label: r.values[key] == null ? null : String(r.values[key]),
    value: num(r.values[measure]) ?? 0,
  }));
}

export interface Gain {
  pre: number | null;
  post: number | null;
  preAttempts: number;
  postAttempts: number;
  /** Post minus pre, in points of the 0–100 score; null without both. */
  gain: number | null;
}

/** The learning gain tile's figures from its preview. */
export function gainOf(preview: ReportPreview): Gain {
  const row = (kind: string) => details(preview).find((r) => r.values["assessment.kind"] === kind);
  const pre = num(row("pre-course")?.values.averageScore);
  const post = num(row("post-course")?.values.averageScore);
  return {
    pre,
    post,
    preAttempts: num(row("pre-course")?.values.attempts) ?? 0,
    postAttempts: num(row("post-course")?.values.attempts) ?? 0,
    gain: pre !== null && post !== null ? Math.round((post - pre) * 100) / 100 : null,
  };
}

/** Events per week of the activity tile, every week present (none is zero), oldest first. */
export function weeklyActivity(
  preview: ReportPreview,
  now: Date,
): Array<{ week: Date; events: number }> {
  const byWeek = new Map(
    breakdown(preview, "time.week", "events").map((r) => [r.label ?? "", r.value]),
  );
  return activityWeeks(now).map((week) => ({ week, events: byWeek.get(dayKey(week)) ?? 0 }));
}
