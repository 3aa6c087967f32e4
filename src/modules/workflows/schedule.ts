import type { Ctx } from "../../platform/context.js";
import { checkCron, cronRuns } from "../../platform/cron.js";
import { AppError } from "../../platform/http/errors.js";
import { organizationTimezone } from "../organizations/organizations.js";

const HOUR_MS = 3_600_000;

/** A schedule trigger's columns: exactly one of them is set. */
export interface ScheduleColumns {
  schedule_every_hours: number | null;
  schedule_cron: string | null;
}

/**
 * Checks a schedule trigger: exactly one of `everyHours` and `cron`; a cron expression croner
 * reads in the organization's time zone, that runs again and at most once an hour (as often as
 * `everyHours: 1`).
 */
export function scheduleColumns(
  input: { everyHours?: number | null; cron?: string | null },
  timezone: string,
  now: Date,
): ScheduleColumns {
  const cron = input.cron?.trim() || null;
  if (!input.everyHours === !cron)
    throw new AppError(
      "VALIDATION_ERROR",
      "A schedule trigger needs exactly one of everyHours and cron",
      {
        field: cron ? "trigger.cron" : "trigger.everyHours",
      },
    );
  if (cron)
    checkCron(cron, timezone, now, {
      field: "trigger.cron",
      minIntervalMs: HOUR_MS,
      tooOften: "A scheduled workflow starts at most once an hour",
    });
  return { schedule_every_hours: cron ? null : (input.everyHours as number), schedule_cron: cron };
}

/**
 * When a schedule starts next after `now`: the next run of its cron expression in the
 * organization's time zone, or `everyHours` on from its previous run (from `now` when it has
 * none). Null when a cron expression never runs again: the schedule stops.
 */
export function nextScheduledRun(
  schedule: ScheduleColumns,
  timezone: string,
  now: Date,
  previous: Date | null = null,
): Date | null {
  if (schedule.schedule_cron) return cronRuns(schedule.schedule_cron, timezone, now)[0] ?? null;
  const every = (schedule.schedule_every_hours ?? 24) * HOUR_MS;
  if (!previous) return new Date(now.getTime() + every);
  let next = previous.getTime();
  while (next <= now.getTime()) next += every;
  return new Date(next);
}

/**
 * The next `count` starts of a cron expression in the organization's time zone, checked as a
 * schedule trigger's is: what the web app's trigger form previews while someone types.
 */
export async function previewSchedule(
  ctx: Ctx,
  organizationId: string,
  cron: string,
  count = 5,
): Promise<{ timezone: string; runs: Date[] }> {
  const timezone = await organizationTimezone(ctx, organizationId);
  const now = ctx.clock.now();
  scheduleColumns({ cron }, timezone, now);
  return { timezone, runs: cronRuns(cron.trim(), timezone, now, count) };
}
