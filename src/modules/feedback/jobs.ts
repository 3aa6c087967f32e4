import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { deliverDueAnnouncements } from "./announcements.js";

export const FEEDBACK_SCHEDULE: ScheduledTask[] = [
  { name: "announcements", pattern: "15 * * * * *", job: "feedback.deliver-announcements" },
];

/** Scheduled announcements notify their audience when their publish time comes. */
export function feedbackJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: "feedback.deliver-announcements",
      payload: z.object({}).passthrough(),
      run: async () => ({
        delivered: await deliverDueAnnouncements(systemCtx(services, "worker")),
      }),
    },
  ];
}
