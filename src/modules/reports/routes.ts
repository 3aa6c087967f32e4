import { z } from "zod";
import { envelope, isoDateTime, ok } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { reportDefinition } from "./definition.js";
import { completionReport, learnerTranscript, performanceReport } from "./realtime.js";
import { checkDefinition, estimateReport, previewReport, reportCatalog } from "./service.js";

/** When the deprecated real-time reports go away: six months after they were marked. */
export const REALTIME_SUNSET = "Sun, 23 May 2027 00:00:00 GMT";

const anyObject = z.record(z.string(), z.unknown());

const runSchema = z
  .object({
    base: z.enum(["enrollment", "activity", "assessment"]),
    columns: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        kind: z.enum(["dimension", "group", "slicer", "measure"]),
        type: z.string(),
        format: z.string().optional(),
      }),
    ),
    rows: z.array(z.object({ values: anyObject, total: z.boolean() })),
    timing: z.object({ queryMs: z.number() }),
  })
  .meta({ id: "ReportPreview" });

/** The report metadata API (seed 000 §4.1.4), per organization. */
export async function reportRoutes(app: App): Promise<void> {
  const tags = ["Report metadata"];
  const params = idParam("organizationId");
  const base = "/api/v1/organizations/:organizationId/report-metadata";

  const catalogPart = (
    part: "dimensions" | "measures" | "slicers" | "groups" | "filters",
    summary: string,
  ) =>
    app.get(
      `${base}/${part}`,
      {
        config: { access: { permission: "reports:read" } },
        schema: { tags, summary, params, response: { 200: envelope(z.unknown()) } },
      },
      async (request) => {
        const catalog = await reportCatalog(request.ctx, request.params.organizationId);
        return ok(
          part === "dimensions"
            ? { bases: catalog.bases, dimensions: catalog.dimensions }
            : catalog[part],
        );
      },
    );
  catalogPart(
    "dimensions",
    "Dimension entities and their fields, each marked allowed or not for the caller",
  );
  catalogPart("measures", "Measures, the bases they apply to and their exact definitions");
  catalogPart("slicers", "Slicer types and the field types they take");
  catalogPart("groups", "Group options: granularities, sorting, top N with other");
  catalogPart("filters", "Structured filters and the operators of custom filters");

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
          "Rows carry their values by column key (`entity.field`, `field:granularity` for time groups and slicers, the measure id, and `id%` for shares of the total when showPercentages is on); total and subtotal rows have `total: true` and null keys.",
        params,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(20) }),
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
      .pipe(z.array(z.uuid()).max(500).optional())
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

  app.get(
    "/api/v1/organizations/:organizationId/reports/transcript/:learnerId",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags: ["Reports"],
        summary: "A learner's transcript in the organization (real-time)",
        params: z.object({ organizationId: z.uuid(), learnerId: z.uuid() }),
        response: {
          200: envelope(
            z.object({
              learner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
              courses: z.array(anyObject),
            }),
          ),
        },
      },
    },
    async (request) =>
      ok(
        await learnerTranscript(
          request.ctx,
          request.params.organizationId,
          request.params.learnerId,
        ),
      ),
  );
}
