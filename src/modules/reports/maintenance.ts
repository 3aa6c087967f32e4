import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { expireReportFiles } from "./jobs.js";
import { runDueSchedules } from "./schedules.js";
import { webhookJobs } from "./webhooks.js";

export const REPORT_SCHEDULE: ScheduledTask[] = [
  { name: "report-files", pattern: "0 20 * * * *", job: "reports.expire-files" },
  { name: "report-schedules", pattern: "5 * * * * *", job: "reports.run-schedules" },
];

/**
 * Hourly, finished reports past REPORT_RETENTION_DAYS lose their file and are marked expired;
 * every minute, schedules whose time has come queue their reports.
 */
export function reportMaintenanceJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: "reports.expire-files",
      payload: z.object({}).passthrough(),
      run: async () => ({ expired: await expireReportFiles(systemCtx(services, "worker")) }),
    },
    ...webhookJobs(services),
    {
      name: "reports.run-schedules",
      payload: z.object({}).passthrough(),
      run: async () => ({ launched: await runDueSchedules(services) }),
    },
  ];
}
