import { z } from "zod";
import { NO_REQUEST } from "../../platform/auth/actor.js";
import type { AppServices } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { SYSTEM_ACCESS } from "../../platform/policy/engine.js";
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
        delivered: await deliverDueAnnouncements({
          ...services,
          actor: { kind: "system", label: "worker", access: async () => SYSTEM_ACCESS },
          meta: NO_REQUEST,
        }),
      }),
    },
  ];
}
