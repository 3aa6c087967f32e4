import { Cron } from "croner";
import { AppError } from "./http/errors.js";

/**
 * The next `count` runs of a cron expression (croner syntax, seconds optional) read in
 * `timezone`, after `from`. Empty when croner cannot read it or it never runs again, so a
 * stored expression that went bad stops a schedule instead of failing the job that reads it.
 */
export function cronRuns(expression: string, timezone: string, from: Date, count = 1): Date[] {
  try {
    return new Cron(expression, { timezone, paused: true }).nextRuns(count, from);
  } catch {
    return [];
  }
}

export interface CronRules {
  /** The request field the expression came from; refusals name it. */
  field: string;
  /** Two runs closer than this are refused. */
  minIntervalMs: number;
  /** The refusal when runs come too close, e.g. "Scheduled syncs run at most every 5 minutes". */
  tooOften: string;
}

/**
 * Refuses (VALIDATION_ERROR naming `rules.field`) an expression croner does not read in the
 * time zone, one that never runs, and one whose runs come closer than `rules.minIntervalMs`.
 * Returns the next runs it looked at (the first is the next run).
 */
export function checkCron(
  expression: string,
  timezone: string,
  now: Date,
  rules: CronRules,
): Date[] {
  let runs: Date[];
  try {
    runs = new Cron(expression, { timezone, paused: true }).nextRuns(12, now);
  } catch (error) {
    throw new AppError("VALIDATION_ERROR", `Not a cron expression: ${(error as Error).message}`, {
      field: rules.field,
    });
  }
  if (!runs.length)
    throw new AppError("VALIDATION_ERROR", "The cron expression never runs", {
      field: rules.field,
    });
  for (let i = 1; i < runs.length; i++)
    if ((runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime() < rules.minIntervalMs)
      throw new AppError("VALIDATION_ERROR", rules.tooOften, { field: rules.field });
  return runs;
}
