import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { envelope, isoDateTime, ok } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import {
  DIMENSION_ENTITIES,
  GRANULARITIES,
  MEASURE_TYPES,
  OPERATORS,
  reportDefinition,
  reportFilters,
} from "./definition.js";
import { completionReport, performanceReport } from "./realtime.js";
import type { Base, FieldType, MeasureDef } from "./registry.js";
import { checkDefinition, estimateReport, previewReport, reportCatalog } from "./service.js";

/** When the deprecated real-time reports go away: six months after they were marked. */
export const REALTIME_SUNSET = "Sun, 23 May 2027 00:00:00 GMT";

const anyObject = z.record(z.string(), z.unknown());

const runSchema = z
  .object({
    base: z.enum([
      "enrollment",
      "activity",
      "assessment",
      "integration-run",
      "integration-incident",
      "compliance-assignment",
    ]),
    columns: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        kind: z.enum(["dimension", "group", "slicer", "measure"]),
        type: z.string(),
        format: z.string().optional(),
        granularity: z
          .enum(GRANULARITIES)
          .optional()
          .describe(
            "On time buckets: their values are local dates (YYYY-MM-DD) or, by the hour, local times (YYYY-MM-DDTHH:MM) in the organization's time zone, without a zone suffix",
          ),
      }),
    ),
    rows: z.array(
      z.object({
        values: anyObject,
        total: z.boolean().describe("True on subtotal and total rows (as `kind` says)"),
        kind: z
          .enum(["detail", "subtotal", "total"])
          .describe("A row of the report, a group's subtotal (right after its rows), or the total"),
        groupedBy: z
          .array(z.string())
          .optional()
          .describe(
            "Subtotal rows: the leading key columns naming the subtotal's group; the key columns after them are null (the subtotal covers all their values)",
          ),
        other: z
          .array(z.string())
          .optional()
          .describe(
            'Key columns whose value here is the synthetic Other bucket (written "Other"): values not listed in a categorical slicer, in no range, or beyond a top N. A real value "Other" is never listed here',
          ),
      }),
    ),
    timing: z.object({ queryMs: z.number() }),
  })
  .meta({ id: "ReportPreview" });

/** Each value once, keyed by itself: the compiler holds these lists to the registry's types. */
const BASE_KEYS = {
  enrollment: "enrollment",
  activity: "activity",
  assessment: "assessment",
  "integration-run": "integration-run",
  "integration-incident": "integration-incident",
  "compliance-assignment": "compliance-assignment",
} as const satisfies { [K in Base]: K };
const FIELD_TYPES = {
  id: "id",
  string: "string",
  number: "number",
  date: "date",
  boolean: "boolean",
} as const satisfies { [K in FieldType]: K };
const MEASURE_FIELDS = { any: "any", number: "number" } as const satisfies {
  [K in NonNullable<MeasureDef["field"]>]: K;
};
const MEASURE_FORMATS = {
  number: "number",
  percent: "percent",
  duration: "duration",
} as const satisfies { [K in MeasureDef["format"]]: K };

const baseKey = z.enum(BASE_KEYS);
const fieldType = z.enum(FIELD_TYPES);
const granularity = z.enum(GRANULARITIES);
const slicerShape = reportDefinition.shape.slicers.unwrap().element.shape;
const groupShape = reportDefinition.shape.groups.unwrap().element.shape;

/*
 * The report metadata catalog as reportCatalog() builds it from the registry, one schema per
 * route. Fastify serializes through these: a property missing here is dropped from the answer.
 */

const catalogBase = z
  .object({
    key: baseKey,
    label: z.string(),
    date: z
      .string()
      .describe("The base's own date: what `eventDate` and `createdAt` filter and `time.*` cuts"),
    requires: z
      .string()
      .nullable()
      .describe(
        "Permission needed in the organization to report on the base (e.g. integrations:manage)",
      ),
    allowed: z.boolean().describe("Whether the caller may report on the base"),
  })
  .meta({ id: "ReportBase", description: "Facts a report counts: its rows" });

const catalogDimension = z
  .object({
    entity: z.enum(DIMENSION_ENTITIES),
    label: z.string(),
    description: z
      .string()
      .nullable()
      .describe("What the entity's rows are, where the label leaves a doubt"),
    bases: z.array(baseKey).describe("The bases the entity can describe"),
    available: z.boolean().describe("False while the platform does not hold the entity yet"),
    reason: z.string().nullable().describe("Why the entity is not available"),
    requires: z
      .string()
      .nullable()
      .describe("Permission needed in the organization to see its fields (e.g. members:read)"),
    allowed: z.boolean().describe("Whether the caller may put the entity in a report"),
    fields: z.array(
      z.object({
        key: z.string().describe("`entity.field`, as a definition names it"),
        field: z.string(),
        label: z.string(),
        type: fieldType,
        description: z
          .string()
          .nullable()
          .describe("What the value is, where the label leaves a doubt (which date, which name)"),
      }),
    ),
  })
  .meta({ id: "ReportDimensionEntity" });

const dimensionCatalog = z
  .object({ bases: z.array(catalogBase), dimensions: z.array(catalogDimension) })
  .meta({ id: "ReportDimensions" });

const measureList = z.array(
  z
    .object({
      type: z.enum(MEASURE_TYPES),
      label: z.string(),
      bases: z.array(baseKey).describe("The bases the measure applies to"),
      field: z
        .enum(MEASURE_FIELDS)
        .nullable()
        .describe("The field the measure takes: any field, a number, or none (null)"),
      format: z.enum(MEASURE_FORMATS),
      definition: z.string().describe("Exact definition of the figure"),
      precision: z.string().describe("How the figure is rounded, and when it is empty"),
    })
    .meta({ id: "ReportMeasureType" }),
);

const slicerList = z.array(
  z
    .object({
      type: slicerShape.type,
      fieldTypes: z.array(fieldType).describe("Field types the slicer takes"),
      options: z
        .array(z.enum(["values", "buckets", "timeGranularity"]))
        .describe("The slicer's own properties in a definition"),
      granularities: z.array(granularity).optional().describe("Time slicers only"),
      supported: z.boolean().optional().describe("False when the slicer type does not run yet"),
    })
    .meta({ id: "ReportSlicerType" }),
);

const groupOptions = z
  .object({
    granularities: z.array(granularity),
    sortBy: z.array(groupShape.sortBy.unwrap()),
    options: z.array(z.enum(["topN", "showOther"])),
  })
  .meta({ id: "ReportGroupOptions" });

const filterOptions = z
  .object({
    structured: z
      .array(reportFilters.keyof().exclude(["customFilters"]))
      .describe("Filters a definition takes by name, in `filters`"),
    dateRangeFields: z.array(reportFilters.shape.dateRange.unwrap().shape.field),
    dateRange: z
      .object({
        description: z.string().describe("How `dateRange` bounds rows: [start, end)"),
        fields: z.array(
          z.object({
            field: reportFilters.shape.dateRange.unwrap().shape.field,
            description: z.string().describe("Which date the field reads"),
          }),
        ),
      })
      .describe("The structured date range filter"),
    operators: z.array(z.enum(OPERATORS)).describe("Operators of `filters.customFilters`"),
  })
  .meta({ id: "ReportFilterOptions" });

/**
 * A value as reportCatalog() types it: TypeScript widens its literals to string there, and its
 * constant lists are readonly. The shape is checked here at compile time; the literal values by
 * the response schema when Fastify serializes.
 */
type Built<T> = T extends string
  ? string
  : T extends readonly (infer U)[]
    ? readonly Built<U>[]
    : T extends object
      ? { [K in keyof T]: Built<T[K]> }
      : T;
const built = <S extends z.ZodType>(_schema: S, data: Built<z.input<S>>) => data as z.input<S>;

/** The report metadata API (seed 000 §4.1.4), per organization. */
export async function reportRoutes(app: App): Promise<void> {
  const tags = ["Report metadata"];
  const params = idParam("organizationId");
  const base = "/api/v1/organizations/:organizationId/report-metadata";

  const catalogOptions = <S extends z.ZodType>(summary: string, data: S) => ({
    config: { access: { permission: "reports:read" as const } },
    schema: { tags, summary, params, response: { 200: envelope(data) } },
  });
  const catalogOf = (request: { ctx: Ctx; params: { organizationId: string } }) =>
    reportCatalog(request.ctx, request.params.organizationId);

  app.get(
    `${base}/dimensions`,
    catalogOptions(
      "Dimension entities and their fields, each marked allowed or not for the caller",
      dimensionCatalog,
    ),
    async (request) => {
      const { bases, dimensions } = await catalogOf(request);
      return ok(built(dimensionCatalog, { bases, dimensions }));
    },
  );
  app.get(
    `${base}/measures`,
    catalogOptions("Measures, the bases they apply to and their exact definitions", measureList),
    async (request) => ok(built(measureList, (await catalogOf(request)).measures)),
  );
  app.get(
    `${base}/slicers`,
    catalogOptions("Slicer types and the field types they take", slicerList),
    async (request) => ok(built(slicerList, (await catalogOf(request)).slicers)),
  );
  app.get(
    `${base}/groups`,
    catalogOptions("Group options: granularities, sorting, top N with other", groupOptions),
    async (request) => ok(built(groupOptions, (await catalogOf(request)).groups)),
  );
  app.get(
    `${base}/filters`,
    catalogOptions("Structured filters and the operators of custom filters", filterOptions),
    async (request) => ok(built(filterOptions, (await catalogOf(request)).filters)),
  );

  app.post(
    `${base}/validate`,
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Check a report definition; every problem names its field",
        params,
        body: anyObject.describe(
          "A report definition (see ReportDefinition); checked here, not refused",
        ),
        response: {
          200: envelope(
            z.object({
              valid: z.boolean(),
              errors: z.array(z.object({ field: z.string(), message: z.string() })),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { problems } = await checkDefinition(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      return ok({ valid: problems.length === 0, errors: problems });
    },
  );

  app.post(
    `${base}/preview`,
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Run a report definition and return its first rows",
        description:
          "Rows carry their values by column key (`entity.field`, `field:granularity` for time groups and slicers, the measure id, and `id%` for shares of the total when showPercentages is on); rows have `kind` detail, subtotal (right after its group's rows, with `groupedBy`) or total, and `total: true` on the last two, whose summed-over keys are null.",
        params,
        querystring: z.object({
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(500)
            .default(20)
            .describe(
              "Detail rows at most (the lower of this and display.limit); subtotals of the groups shown and the total row come in addition",
            ),
        }),
        body: reportDefinition,
        response: { 200: envelope(runSchema) },
      },
    },
    async (request) =>
      ok(
        await previewReport(
          request.ctx,
          request.params.organizationId,
          request.body,
          request.query.limit,
        ),
      ),
  );

  app.post(
    `${base}/estimate`,
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Estimate rows read, rows returned and cost without running the report",
        params,
        body: reportDefinition,
        response: {
          200: envelope(
            z.object({
              base: z.string(),
              estimatedSourceRows: z.number(),
              estimatedRows: z.number(),
              cost: z.number(),
              expensive: z.boolean(),
              warnings: z.array(z.string()),
            }),
          ),
        },
      },
    },
    async (request) =>
      ok(await estimateReport(request.ctx, request.params.organizationId, request.body)),
  );

  const realtime = z.object({
    courseIds: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(",")
              .map((x) => x.trim())
              .filter(Boolean)
          : undefined,
      )
      .pipe(z.array(ref("course")).max(500).optional())
      .describe("Comma-separated course ids"),
    from: isoDateTime().optional(),
    to: isoDateTime().optional(),
  });
  const deprecated = (organizationId: string) => ({
    "x-deprecated": "true",
    deprecation: "true",
    sunset: REALTIME_SUNSET,
    "x-migration-path": `POST /api/v1/organizations/${organizationId}/report-jobs`,
  });

  for (const [name, run, summary, description] of [
    [
      "completion",
      completionReport,
      "Completion per course, at once (deprecated: use report jobs)",
      "Runs the engine's completion measures per course within the caller's report scope. Deprecated: answers with X-Deprecated, Deprecation, Sunset and X-Migration-Path headers; large organizations should queue a report job.",
    ],
    [
      "performance",
      performanceReport,
      "Quiz performance per course and quiz, at once (deprecated: use report jobs)",
      "Graded attempts, average score and pass rate per quiz. Needs progress:read as wide as reports:read. Deprecated like the completion report.",
    ],
  ] as const)
    app.get(
      `/api/v1/organizations/:organizationId/reports/${name}`,
      {
        config: { access: { permission: "reports:read" } },
        schema: {
          tags: ["Reports"],
          summary,
          description,
          deprecated: true,
          params,
          querystring: realtime,
          response: { 200: envelope(z.array(anyObject)) },
        },
      },
      async (request, reply) => {
        reply.headers(deprecated(request.params.organizationId));
        return ok(await run(request.ctx, request.params.organizationId, request.query));
      },
    );
}
