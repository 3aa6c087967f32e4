import { z } from "zod";
import { done, envelope, isoDateTime, ok, okEmpty } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  pauseSchedule,
  resumeSchedule,
  runScheduleNow,
  upcomingRuns,
  updateSchedule,
  visibleSchedule,
} from "./schedules.js";
import type { ReportScheduleRow } from "./schema.js";

const iso = isoDateTime;
const FREQUENCIES = [
  "once",
  "daily",
  "weekly",
  "biweekly",
  "monthly",
  "quarterly",
  "yearly",
  "cron",
] as const;

const scheduleSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    templateId: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    frequency: z.enum(FREQUENCIES),
    cronExpression: z.string().nullable(),
    timezone: z.string(),
    dayOfWeek: z.number().int().nullable(),
    dayOfMonth: z.number().int().nullable(),
    monthOfYear: z.number().int().nullable(),
    time: z.string(),
    startDate: iso().nullable(),
    endDate: iso().nullable(),
    filterOverrides: z.record(z.string(), z.unknown()),
    outputFormat: z.string(),
    isActive: z.boolean(),
    nextRunAt: iso().nullable(),
    lastRunAt: iso().nullable(),
    lastRunJobId: z.uuid().nullable(),
    lastRunStatus: z.enum(["success", "failed"]).nullable(),
    runCount: z.number().int(),
    failureCount: z.number().int(),
    consecutiveFailures: z.number().int(),
    notifyOnComplete: z.boolean(),
    notifyOnFailure: z.boolean(),
    visibility: z.string(),
    createdBy: z.uuid().nullable(),
    webhookUrl: z.string().nullable(),
  })
  .meta({ id: "ReportSchedule" });

const date = (d: Date | null) => d?.toISOString() ?? null;

function present(s: ReportScheduleRow) {
  return {
    id: s.id,
    organizationId: s.organization_id,
    templateId: s.template_id,
    name: s.name,
    description: s.description,
    frequency: s.frequency,
    cronExpression: s.cron_expression,
    timezone: s.timezone,
    dayOfWeek: s.day_of_week,
    dayOfMonth: s.day_of_month,
    monthOfYear: s.month_of_year,
    time: s.time_of_day,
    startDate: date(s.start_date),
    endDate: date(s.end_date),
    filterOverrides: s.filter_overrides,
    outputFormat: s.output_format,
    isActive: s.is_active,
    nextRunAt: date(s.next_run_at),
    lastRunAt: date(s.last_run_at),
    lastRunJobId: s.last_run_job_id,
    lastRunStatus: s.last_run_status,
    runCount: s.run_count,
    failureCount: s.failure_count,
    consecutiveFailures: s.consecutive_failures,
    notifyOnComplete: s.notify_on_complete,
    notifyOnFailure: s.notify_on_failure,
    visibility: s.visibility,
    createdBy: s.created_by,
    webhookUrl: s.webhook_url,
  };
}

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable(),
  templateId: ref("report-template"),
  frequency: z.enum(FREQUENCIES),
  cronExpression: z.string().trim().min(9).max(100).nullable(),
  timezone: z.string().min(1).max(64),
  dayOfWeek: z.number().int().min(0).max(6).nullable(),
  dayOfMonth: z.number().int().min(1).max(31).nullable(),
  monthOfYear: z.number().int().min(1).max(12).nullable(),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:mm"),
  startDate: iso().nullable(),
  endDate: iso().nullable(),
  filterOverrides: z.record(z.string(), z.unknown()),
  outputFormat: z.enum(["csv", "json", "excel", "pdf"]),
  notifyOnComplete: z.boolean(),
  notifyOnFailure: z.boolean(),
  visibility: z.enum(["private", "team", "department", "organization"]),
  webhook: z
    .object({ url: z.url().max(2000), secret: z.string().min(16).max(200) })
    .nullable()
    .describe("POSTed each run's result, signed with the secret (X-Lyceum-Signature)"),
};

/** Report schedules (seed 000 §4.1.3). */
export async function reportScheduleRoutes(app: App): Promise<void> {
  const tags = ["Report schedules"];
  const params = idParam("scheduleId");

  app.post(
    "/api/v1/organizations/:organizationId/report-schedules",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Run a template on a calendar",
        description:
          "Frequencies once, daily, weekly, biweekly, monthly, quarterly, yearly (at `time` in `timezone`, an IANA zone, daylight saving included) or cron (`cronExpression`, five or six fields). Months without `dayOfMonth` are skipped. A schedule makes report files: creating, resuming or running one now needs reports:export, and each run needs it of the author.",
        params: idParam("organizationId"),
        body: z
          .object(fields)
          .partial()
          .required({ name: true, templateId: true, frequency: true, timezone: true }),
        response: { 201: envelope(scheduleSchema) },
      },
    },
    async (request, reply) => {
      const s = await createSchedule(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(present(s));
    },
  );

  app.post(
    "/api/v1/report-schedules/preview",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "The next runs a calendar would make, before it is saved",
        description:
          "Takes a schedule's calendar fields and answers its next five runs (fewer when it ends), checked as when saving: a bad time zone or cron expression is refused at its field. Nothing is stored.",
        body: z
          .object({
            frequency: fields.frequency,
            cronExpression: fields.cronExpression.optional(),
            timezone: fields.timezone,
            dayOfWeek: fields.dayOfWeek.optional(),
            dayOfMonth: fields.dayOfMonth.optional(),
            monthOfYear: fields.monthOfYear.optional(),
            time: fields.time.optional(),
            startDate: fields.startDate.optional(),
            endDate: fields.endDate.optional(),
          })
          .strict(),
        response: { 200: envelope(z.object({ runs: z.array(iso()) })) },
      },
    },
    async (request) =>
      ok({
        runs: upcomingRuns(request.body, request.ctx.clock.now()).map((d) => d.toISOString()),
      }),
  );

  app.get(
    "/api/v1/organizations/:organizationId/report-schedules",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Schedules the caller sees (their own and organization-wide ones)",
        params: idParam("organizationId"),
        response: { 200: envelope(z.array(scheduleSchema)) },
      },
    },
    async (request) =>
      ok((await listSchedules(request.ctx, request.params.organizationId)).map(present)),
  );

  app.get(
    "/api/v1/report-schedules/:scheduleId",
    {
      config: { access: { user: true } },
      schema: { tags, summary: "A schedule", params, response: { 200: envelope(scheduleSchema) } },
    },
    async (request) => ok(present(await visibleSchedule(request.ctx, request.params.scheduleId))),
  );

  app.put(
    "/api/v1/report-schedules/:scheduleId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Change a schedule (its next run is worked out again)",
        params,
        body: z.object(fields).omit({ templateId: true }).partial().strict(),
        response: { 200: envelope(scheduleSchema) },
      },
    },
    async (request) =>
      ok(present(await updateSchedule(request.ctx, request.params.scheduleId, request.body))),
  );

  app.delete(
    "/api/v1/report-schedules/:scheduleId",
    {
      config: { access: { user: true } },
      schema: { tags, summary: "Delete a schedule", params, response: { 200: okEmpty } },
    },
    async (request) => {
      await deleteSchedule(request.ctx, request.params.scheduleId);
      return done();
    },
  );

  for (const [action, run, summary] of [
    ["pause", pauseSchedule, "Pause a schedule"],
    ["resume", resumeSchedule, "Resume a schedule from now (missed runs are not made up)"],
  ] as const)
    app.post(
      `/api/v1/report-schedules/:scheduleId/${action}`,
      {
        config: { access: { user: true } },
        schema: { tags, summary, params, response: { 200: envelope(scheduleSchema) } },
      },
      async (request) => ok(present(await run(request.ctx, request.params.scheduleId))),
    );

  app.post(
    "/api/v1/report-schedules/:scheduleId/run-now",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Queue the schedule's report now (its calendar is unchanged)",
        params,
        response: {
          201: envelope(z.object({ id: z.uuid(), status: z.string(), name: z.string() })),
        },
      },
    },
    async (request, reply) => {
      const job = await runScheduleNow(request.ctx, request.params.scheduleId);
      reply.code(201);
      return ok({ id: job.id, status: job.status, name: job.name });
    },
  );
}
