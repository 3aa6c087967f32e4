import { z } from "zod";
import { ref } from "../../platform/references.js";

/**
 * A custom report definition (seed 000 §3.1.4) and its filters (§3.1.5), as the API takes them.
 * Fields are named `entity.field` (`course.title`, `enrollment.status`); the registry says which
 * exist, and nothing a caller writes ever reaches SQL except as a bound value.
 */

export const DIMENSION_ENTITIES = [
  "learner",
  "course",
  "class",
  "program",
  "department",
  "instructor",
  "enrollment",
  "activity",
  "assessment",
  "scorm-attempt",
  "certificate",
  "time",
  "integration",
  "sync-run",
  "incident",
  "compliance",
] as const;
export type DimensionEntity = (typeof DIMENSION_ENTITIES)[number];

export const MEASURE_TYPES = [
  "count",
  "count-distinct",
  "sum",
  "average",
  "median",
  "min",
  "max",
  "std-dev",
  "variance",
  "completion-rate",
  "pass-rate",
  "fail-rate",
  "engagement-rate",
  "retention-rate",
  "dropout-rate",
  "avg-time-to-complete",
  "avg-study-time",
  "avg-score",
  "event-count",
  "run-count",
  "success-rate",
  "error-rate",
  "avg-call-latency",
  "records-per-run",
  "failed-records",
  "sla-met-rate",
  "incident-count",
  "open-incidents",
  "avg-hours-to-resolve",
  "median-hours-to-resolve",
  "compliance-assignments",
  "compliant-count",
  "overdue-count",
  "expired-count",
  "exempt-count",
  "compliance-score",
  "violations",
] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];

export const GRANULARITIES = ["hour", "day", "week", "month", "quarter", "year"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const OPERATORS = [
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "nin",
  "contains",
  "startsWith",
  "endsWith",
  "between",
  "isNull",
  "isNotNull",
  "regex",
] as const;
export type Operator = (typeof OPERATORS)[number];

const fieldRef = z
  .string()
  .regex(/^[a-z-]+\.[a-zA-Z]+$/, "Name a field as entity.field")
  .max(80);
const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

const conditionalFormat = z.object({
  condition: z.enum(["gt", "gte", "lt", "lte", "eq", "between"]),
  value: z.number(),
  valueEnd: z.number().optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour is #rrggbb"),
  bold: z.boolean().optional(),
  icon: z.string().max(40).optional(),
});

export const reportFilters = z
  .object({
    departmentIds: z.array(ref("department")).max(500).optional(),
    programIds: z.array(z.uuid()).max(500).optional(),
    courseIds: z.array(ref("course")).max(500).optional(),
    classIds: z.array(ref("cohort")).max(500).optional(),
    learnerIds: z.array(ref("user")).max(5000).optional(),
    instructorIds: z.array(ref("user")).max(500).optional(),
    dateRange: z
      .object({
        field: z.enum(["createdAt", "enrolledAt", "completedAt", "eventDate"]),
        start: z.iso.datetime({ offset: true }),
        end: z.iso.datetime({ offset: true }),
      })
      .optional(),
    lastDays: z
      .number()
      .int()
      .min(1)
      .max(3660)
      .optional()
      .describe(
        "Rows whose own date (eventDate) is within the last so many days, up to now: a window that moves with every run",
      ),
    enrollmentStatus: z
      .array(z.enum(["pending-payment", "active", "completed", "dropped", "expired", "suspended"]))
      .max(10)
      .optional(),
    completionStatus: z
      .array(z.enum(["incomplete", "complete"]))
      .max(2)
      .optional(),
    activityTypes: z.array(z.string().max(100)).max(100).optional(),
    scoreRange: z
      .object({
        min: z.number().min(0).max(100).optional(),
        max: z.number().min(0).max(100).optional(),
      })
      .optional(),
    passStatus: z
      .array(z.enum(["passed", "failed", "pending"]))
      .max(3)
      .optional(),
    customFilters: z
      .array(
        z.object({
          field: fieldRef,
          operator: z.enum(OPERATORS),
          value: z.union([scalar, z.array(scalar).max(500)]).optional(),
          valueEnd: scalar.optional(),
        }),
      )
      .max(30)
      .optional(),
  })
  .strict()
  .meta({ id: "ReportFilters" });

export const reportDefinition = z
  .object({
    dimensions: z
      .array(
        z.object({
          entity: z.enum(DIMENSION_ENTITIES),
          fields: z
            .array(
              z
                .string()
                .regex(/^[a-zA-Z]+$/)
                .max(40),
            )
            .min(1)
            .max(10),
          label: z.string().max(100).optional(),
          sortOrder: z.number().int().optional(),
        }),
      )
      .max(6)
      .default([]),
    measures: z
      .array(
        z.object({
          id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, "Measure ids are short words"),
          type: z.enum(MEASURE_TYPES),
          field: fieldRef.optional(),
          label: z.string().max(100).optional(),
          format: z.enum(["number", "percent", "currency", "duration", "date"]).default("number"),
          decimals: z.number().int().min(0).max(6).optional(),
          conditionalFormatting: z.array(conditionalFormat).max(10).optional(),
        }),
      )
      .min(1)
      .max(20),
    slicers: z
      .array(
        z.object({
          field: fieldRef,
          type: z.enum(["categorical", "range", "time", "dynamic"]),
          values: z.array(z.string().max(200)).max(100).optional(),
          buckets: z
            .array(
              z.object({
                label: z.string().max(100),
                min: z.number().optional(),
                max: z.number().optional(),
              }),
            )
            .max(50)
            .optional(),
          timeGranularity: z.enum(GRANULARITIES).optional(),
          dynamicSource: z.string().max(200).optional(),
        }),
      )
      .max(2)
      .default([]),
    groups: z
      .array(
        z.object({
          field: fieldRef,
          granularity: z.enum(GRANULARITIES).optional(),
          sortBy: z.enum(["value", "label", "count"]).default("label"),
          sortDirection: z.enum(["asc", "desc"]).default("asc"),
          topN: z.number().int().min(1).max(1000).optional(),
          showOther: z.boolean().default(false),
        }),
      )
      .max(3)
      .default([]),
    display: z
      .object({
        showTotals: z.boolean().default(false),
        showSubtotals: z.boolean().default(false),
        showPercentages: z.boolean().default(false),
        sortBy: z.string().max(80).optional(),
        sortDirection: z.enum(["asc", "desc"]).default("asc"),
        limit: z.number().int().min(1).max(100_000).optional(),
      })
      .default({
        showTotals: false,
        showSubtotals: false,
        showPercentages: false,
        sortDirection: "asc",
      }),
    visualization: z
      .object({
        type: z.enum(["none", "table", "bar", "line", "pie", "area", "heatmap"]),
        options: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    output: z
      .object({
        includeCharts: z.boolean().default(true),
        includeRawData: z.boolean().default(true),
        includeSummary: z.boolean().default(true),
        pageOrientation: z.enum(["portrait", "landscape"]).default("portrait"),
        pageSize: z.enum(["letter", "legal", "a4"]).default("a4"),
        headerText: z.string().max(500).optional(),
        footerText: z.string().max(500).optional(),
        /** Start CSV files with a byte-order mark (what Excel on Windows needs to read UTF-8). */
        csvBom: z.boolean().default(false),
      })
      .optional(),
    filters: reportFilters.default({}),
  })
  .meta({ id: "ReportDefinition" });

export type ReportDefinition = z.infer<typeof reportDefinition>;
export type ReportFilters = z.infer<typeof reportFilters>;
