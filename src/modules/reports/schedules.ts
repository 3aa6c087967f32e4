import { Cron } from "croner";
import { signedInUserId } from "../../platform/auth/actor.js";
import { type AppServices, type Ctx, systemCtx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { holds } from "../../platform/policy/engine.js";
import { actingAsUser } from "../access/grants.js";
import { notify } from "../notifications/notify.js";
import { checkWebhook, requireExport } from "./jobs.js";
import type {
  Frequency,
  OutputFormat,
  ReportJobRow,
  ReportScheduleRow,
  ReportTemplateRow,
} from "./schema.js";
import { checkDefinition } from "./service.js";
import { generateFromTemplate, visibleTemplate, withFilters } from "./templates.js";

/**
 * Report schedules (seed 000 §3.1.3, §4.1.3): a template run on a calendar — once, daily, weekly,
 * every other week, monthly, quarterly, yearly or by a cron expression — at a local time in an
 * IANA time zone, so 08:00 stays 08:00 across daylight-saving changes. Start and end dates bound
 * it; it can be paused, resumed and run now; runs and failures are counted and failures reported.
 */

export interface ScheduleInput {
  name: string;
  description?: string | null;
  templateId: string;
  frequency: Frequency;
  cronExpression?: string | null;
  timezone: string;
  dayOfWeek?: number | null;
  dayOfMonth?: number | null;
  monthOfYear?: number | null;
  time?: string;
  startDate?: string | null;
  endDate?: string | null;
  filterOverrides?: Record<string, unknown>;
  outputFormat?: OutputFormat;
  notifyOnComplete?: boolean;
  notifyOnFailure?: boolean;
  visibility?: "private" | "team" | "department" | "organization";
  webhook?: { url: string; secret: string } | null;
}

type Calendar = Pick<
  ReportScheduleRow,
  | "frequency"
  | "cron_expression"
  | "timezone"
  | "day_of_week"
  | "day_of_month"
  | "month_of_year"
  | "time_of_day"
  | "start_date"
  | "end_date"
>;

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The cron pattern (minute hour day month weekday) of a calendar. */
export function patternOf(c: Calendar): string {
  if (c.frequency === "cron") return c.cron_expression as string;
  const [hour, minute] = (c.time_of_day || "08:00").split(":").map(Number);
  const at = `${minute} ${hour}`;
  const dom = c.day_of_month ?? 1;
  switch (c.frequency) {
    case "daily":
      return `${at} * * *`;
    case "weekly":
    case "biweekly":
      return `${at} * * ${c.day_of_week ?? 1}`;
    case "monthly":
      return `${at} ${dom} * *`;
    case "quarterly": {
      const first = ((c.month_of_year ?? 1) - 1) % 3;
      return `${at} ${dom} ${[0, 3, 6, 9].map((m) => m + first + 1).join(",")} *`;
    }
    case "yearly":
      return `${at} ${dom} ${c.month_of_year ?? 1} *`;
    default:
      return `${at} * * *`;
  }
}

/**
 * The next run strictly after `after` (and not before the start date), or null when the
 * schedule has no run left. Every other week counts weeks from the first run.
 */
export function nextRun(c: Calendar, after: Date, lastRun: Date | null = null): Date | null {
  const from =
    c.start_date && c.start_date > after ? new Date(c.start_date.getTime() - 1000) : after;
  let next: Date | null;
  if (c.frequency === "once") {
    next = c.start_date && c.start_date > after ? c.start_date : null;
    if (!c.start_date) {
      const daily = new Cron(patternOf({ ...c, frequency: "daily" }), { timezone: c.timezone });
      next = lastRun ? null : daily.nextRun(from);
    }
  } else {
    const cron = new Cron(patternOf(c), { timezone: c.timezone });
    next = cron.nextRun(from);
    if (c.frequency === "biweekly" && next && lastRun) {
      // At least 13 days after the last run: every second week.
      while (next && next.getTime() - lastRun.getTime() < 13 * 86_400_000)
        next = cron.nextRun(next);
    }
  }
  if (next && c.end_date && next > c.end_date) return null;
  return next;
}

function calendarOf(input: ScheduleInput) {
  if (!validTimeZone(input.timezone))
    throw new AppError("VALIDATION_ERROR", "Name an IANA time zone, e.g. Europe/Berlin", {
      field: "timezone",
    });
  if (input.frequency === "cron") {
    if (!input.cronExpression)
      throw new AppError("VALIDATION_ERROR", "Give the cron expression", {
        field: "cronExpression",
      });
    try {
      new Cron(input.cronExpression);
    } catch (error) {
      throw new AppError("VALIDATION_ERROR", (error as Error).message, { field: "cronExpression" });
    }
  }
  if (input.frequency === "once" && !input.startDate)
    throw new AppError("VALIDATION_ERROR", "A one-off schedule needs its start date", {
      field: "startDate",
    });
  const start = input.startDate ? new Date(input.startDate) : null;
  const end = input.endDate ? new Date(input.endDate) : null;
  if (start && end && end <= start)
    throw new AppError("VALIDATION_ERROR", "endDate must be after startDate", { field: "endDate" });
  return {
    frequency: input.frequency,
    cron_expression: input.frequency === "cron" ? (input.cronExpression ?? null) : null,
    timezone: input.timezone,
    day_of_week: input.dayOfWeek ?? null,
    day_of_month: input.dayOfMonth ?? null,
    month_of_year: input.monthOfYear ?? null,
    time_of_day: input.time ?? "08:00",
    start_date: start,
    end_date: end,
  };
}

export type CalendarInput = Pick<
  ScheduleInput,
  | "frequency"
  | "cronExpression"
  | "timezone"
  | "dayOfWeek"
  | "dayOfMonth"
  | "monthOfYear"
  | "time"
  | "startDate"
  | "endDate"
>;

/**
 * The next `count` runs a calendar would make after `now` (fewer when it ends), checked as a
 * schedule's calendar is: for the editor's preview before anything is saved.
 */
export function upcomingRuns(input: CalendarInput, now: Date, count = 5): Date[] {
  const calendar = calendarOf(input as ScheduleInput);
  const runs: Date[] = [];
  let after = now;
  let last: Date | null = null;
  while (runs.length < count) {
    const next = nextRun(calendar, after, last);
    if (!next) break;
    runs.push(next);
    after = next;
    last = next;
  }
  return runs;
}

const userOf = (ctx: Ctx) => signedInUserId(ctx.actor, "Schedules belong to people");

/**
 * Refuses a schedule whose runs would be refused: the template's definition with the filter
 * overrides must pass the checks a report job's does, for the caller. A problem in an override
 * names it (`filterOverrides.customFilters.0.value`); one in the template names `templateId`.
 */
async function checkRuns(
  ctx: Ctx,
  organizationId: string,
  template: ReportTemplateRow,
  overrides: Record<string, unknown> | undefined,
) {
  const { problems } = await checkDefinition(ctx, organizationId, withFilters(template, overrides));
  const first = problems[0];
  if (!first) return;
  const path = /^filters\.([^.]+)(.*)$/.exec(first.field);
  const field =
    path?.[1] && overrides && path[1] in overrides
      ? `filterOverrides.${path[1]}${path[2]}`
      : "templateId";
  throw new AppError(
    first.forbidden ? "FORBIDDEN" : "VALIDATION_ERROR",
    first.message,
    first.forbidden ? { details: { problems } } : { field, details: { problems } },
  );
}

export async function createSchedule(
  ctx: Ctx,
  organizationId: string,
  input: ScheduleInput,
): Promise<ReportScheduleRow> {
  const userId = userOf(ctx);
  // A schedule makes report files: its author needs reports:export (checked again at each run).
  requireExport(await ctx.actor.access(), organizationId);
  const template = await visibleTemplate(ctx, input.templateId, organizationId);
  if (template.organization_id && template.organization_id !== organizationId)
    throw new AppError("NOT_FOUND", "Template not found", { field: "templateId" });
  await checkRuns(ctx, organizationId, template, input.filterOverrides);
  const calendar = calendarOf(input);
  checkWebhook(input.webhook);
  const now = ctx.clock.now();
  return ctx.db
    .insertInto("report_schedules")
    .values({
      organization_id: organizationId,
      template_id: template.id,
      name: input.name,
      description: input.description ?? null,
      ...calendar,
      filter_overrides: JSON.stringify(input.filterOverrides ?? {}),
      output_format: input.outputFormat ?? "csv",
      notify_on_complete: input.notifyOnComplete ?? false,
      notify_on_failure: input.notifyOnFailure ?? true,
      visibility: input.visibility ?? "private",
      webhook_url: input.webhook?.url ?? null,
      webhook_secret: input.webhook?.secret ?? null,
      next_run_at: nextRun(calendar, now),
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A schedule the caller sees: their own, organization-wide ones, or any with reports:manage. */
export async function visibleSchedule(ctx: Ctx, scheduleId: string): Promise<ReportScheduleRow> {
  const row = await ctx.db
    .selectFrom("report_schedules")
    .selectAll()
    .where("id", "=", scheduleId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  const access = await ctx.actor.access();
  const me = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  if (
    !row ||
    !holds(access, "reports:read", row.organization_id) ||
    !(
      row.created_by === me ||
      row.visibility === "organization" ||
      holds(access, "reports:manage", row.organization_id)
    )
  )
    throw new AppError("NOT_FOUND", "Schedule not found");
  return row;
}

async function forChange(ctx: Ctx, scheduleId: string) {
  const row = await visibleSchedule(ctx, scheduleId);
  if (
    row.created_by !== userOf(ctx) &&
    !holds(await ctx.actor.access(), "reports:manage", row.organization_id)
  )
    throw new AppError("FORBIDDEN", "Only the schedule's author or a report manager may change it");
  return row;
}

export async function listSchedules(ctx: Ctx, organizationId: string) {
  const access = await ctx.actor.access();
  const me = userOf(ctx);
  let q = ctx.db
    .selectFrom("report_schedules")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("deleted_at", "is", null);
  if (!holds(access, "reports:manage", organizationId))
    q = q.where((eb) => eb.or([eb("created_by", "=", me), eb("visibility", "=", "organization")]));
  return q.orderBy("name").execute();
}

export async function updateSchedule(
  ctx: Ctx,
  scheduleId: string,
  patch: Partial<ScheduleInput>,
): Promise<ReportScheduleRow> {
  const row = await forChange(ctx, scheduleId);
  const merged: ScheduleInput = {
    name: patch.name ?? row.name,
    templateId: row.template_id,
    frequency: patch.frequency ?? row.frequency,
    cronExpression: patch.cronExpression !== undefined ? patch.cronExpression : row.cron_expression,
    timezone: patch.timezone ?? row.timezone,
    dayOfWeek: patch.dayOfWeek !== undefined ? patch.dayOfWeek : row.day_of_week,
    dayOfMonth: patch.dayOfMonth !== undefined ? patch.dayOfMonth : row.day_of_month,
    monthOfYear: patch.monthOfYear !== undefined ? patch.monthOfYear : row.month_of_year,
    time: patch.time ?? row.time_of_day,
    startDate:
      patch.startDate !== undefined ? patch.startDate : (row.start_date?.toISOString() ?? null),
    endDate: patch.endDate !== undefined ? patch.endDate : (row.end_date?.toISOString() ?? null),
  };
  const calendar = calendarOf(merged);
  checkWebhook(patch.webhook);
  if (patch.filterOverrides)
    await checkRuns(
      ctx,
      row.organization_id,
      await visibleTemplate(ctx, row.template_id, row.organization_id),
      patch.filterOverrides,
    );
  return ctx.db
    .updateTable("report_schedules")
    .set({
      ...calendar,
      name: merged.name,
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.filterOverrides ? { filter_overrides: JSON.stringify(patch.filterOverrides) } : {}),
      ...(patch.outputFormat ? { output_format: patch.outputFormat } : {}),
      ...(patch.notifyOnComplete !== undefined
        ? { notify_on_complete: patch.notifyOnComplete }
        : {}),
      ...(patch.notifyOnFailure !== undefined ? { notify_on_failure: patch.notifyOnFailure } : {}),
      ...(patch.visibility ? { visibility: patch.visibility } : {}),
      ...(patch.webhook !== undefined
        ? { webhook_url: patch.webhook?.url ?? null, webhook_secret: patch.webhook?.secret ?? null }
        : {}),
      next_run_at: row.is_active ? nextRun(calendar, ctx.clock.now(), row.last_run_at) : null,
    })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSchedule(ctx: Ctx, scheduleId: string): Promise<void> {
  const row = await forChange(ctx, scheduleId);
  await ctx.db
    .updateTable("report_schedules")
    .set({ deleted_at: ctx.clock.now(), is_active: false, next_run_at: null })
    .where("id", "=", row.id)
    .execute();
}

export async function pauseSchedule(ctx: Ctx, scheduleId: string) {
  const row = await forChange(ctx, scheduleId);
  return ctx.db
    .updateTable("report_schedules")
    .set({ is_active: false, next_run_at: null })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Resumes from now: runs missed while paused are not made up. */
export async function resumeSchedule(ctx: Ctx, scheduleId: string) {
  const row = await forChange(ctx, scheduleId);
  requireExport(await ctx.actor.access(), row.organization_id);
  const next = nextRun(row, ctx.clock.now(), row.last_run_at);
  if (!next)
    throw new AppError("UNPROCESSABLE", "The schedule has no run left (past its end date)");
  return ctx.db
    .updateTable("report_schedules")
    .set({ is_active: true, next_run_at: next, consecutive_failures: 0 })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Queues the schedule's report as its author, counting the run (or the failure). */
async function launch(ctx: Ctx, schedule: ReportScheduleRow): Promise<ReportJobRow | null> {
  try {
    const job = await generateFromTemplate(ctx, schedule.template_id, {
      organizationId: schedule.organization_id,
      name: schedule.name,
      outputFormat: schedule.output_format,
      priority: "scheduled",
      filters: schedule.filter_overrides,
      webhook:
        schedule.webhook_url && schedule.webhook_secret
          ? { url: schedule.webhook_url, secret: schedule.webhook_secret }
          : null,
    });
    await ctx.db
      .updateTable("report_jobs")
      .set({ schedule_id: schedule.id })
      .where("id", "=", job.id)
      .execute();
    await ctx.db
      .updateTable("report_schedules")
      .set((eb) => ({
        run_count: eb("run_count", "+", 1),
        last_run_at: ctx.clock.now(),
        last_run_job_id: job.id,
      }))
      .where("id", "=", schedule.id)
      .execute();
    return job;
  } catch (error) {
    await scheduleFailed(ctx, schedule.id, error instanceof Error ? error.message : String(error));
    return null;
  }
}

/** Counts a failed run of a schedule and tells its author when they asked to be told. */
export async function scheduleFailed(ctx: Ctx, scheduleId: string, reason: string) {
  const row = await ctx.db
    .updateTable("report_schedules")
    .set((eb) => ({
      failure_count: eb("failure_count", "+", 1),
      consecutive_failures: eb("consecutive_failures", "+", 1),
      last_run_status: "failed",
      last_run_at: ctx.clock.now(),
    }))
    .where("id", "=", scheduleId)
    .returningAll()
    .executeTakeFirst();
  if (row?.created_by && row.notify_on_failure)
    await notify(ctx, {
      userId: row.created_by,
      organizationId: row.organization_id,
      type: "report-ready",
      variables: {
        reportName: row.name,
        scheduled: true,
        ready: false,
        reason: reason.slice(0, 500) || null,
      },
      data: { reportScheduleId: row.id },
      actionPath: `/reports/schedules/${row.id}`,
    });
}

/** Marks a scheduled run successful once its job is ready. */
export async function scheduleSucceeded(ctx: Ctx, job: ReportJobRow) {
  if (!job.schedule_id) return;
  const row = await ctx.db
    .updateTable("report_schedules")
    .set({ last_run_status: "success", consecutive_failures: 0 })
    .where("id", "=", job.schedule_id)
    .returningAll()
    .executeTakeFirst();
  if (row?.created_by && row.notify_on_complete && row.created_by !== job.created_by)
    await notify(ctx, {
      userId: row.created_by,
      organizationId: row.organization_id,
      type: "report-ready",
      variables: { reportName: row.name, scheduled: true, ready: true },
      data: { reportScheduleId: row.id, reportJobId: job.id },
      actionPath: `/reports/jobs/${job.id}`,
    });
}

/** Runs a schedule at once; its calendar stays as it is. */
export async function runScheduleNow(ctx: Ctx, scheduleId: string) {
  const row = await forChange(ctx, scheduleId);
  requireExport(await ctx.actor.access(), row.organization_id);
  const job = await launch(await authorCtx(ctx, row), row);
  if (!job) throw new AppError("UNPROCESSABLE", "The schedule could not queue its report");
  return job;
}

async function authorCtx(ctx: Ctx, schedule: ReportScheduleRow): Promise<Ctx> {
  if (!schedule.created_by) throw new AppError("FORBIDDEN", "The schedule's author is gone");
  return actingAsUser(ctx, schedule.created_by, `report-schedule:${schedule.id}`);
}

/**
 * The scheduler's sweep: every active schedule whose time has come queues its report as its
 * author (with their access as it is now), then moves to its next run — or ends.
 */
export async function runDueSchedules(services: AppServices): Promise<number> {
  const ctx = systemCtx(services, "report-scheduler");
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom("report_schedules")
    .selectAll()
    .where("is_active", "=", true)
    .where("deleted_at", "is", null)
    .where("next_run_at", "<=", now)
    .orderBy("next_run_at")
    .limit(100)
    .execute();
  let launched = 0;
  for (const schedule of due) {
    // Claim the run by moving next_run_at first, so two schedulers never both run it.
    const next = nextRun(schedule, now, now);
    const claimed = await ctx.db
      .updateTable("report_schedules")
      .set({ next_run_at: next, is_active: next !== null })
      .where("id", "=", schedule.id)
      .where("next_run_at", "=", schedule.next_run_at)
      .returning("id")
      .executeTakeFirst();
    if (!claimed) continue;
    const author = await authorCtx(ctx, schedule).catch(() => null);
    if (!author) {
      await scheduleFailed(ctx, schedule.id, "The schedule's author is gone");
      continue;
    }
    if (await launch(author, schedule)) launched += 1;
  }
  return launched;
}
