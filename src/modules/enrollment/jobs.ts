import { z } from "zod";
import { NO_REQUEST } from "../../platform/auth/actor.js";
import type { AppServices } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { SYSTEM_ACCESS } from "../../platform/policy/engine.js";
import { expireOffers } from "./waitlist.js";

export const ENROLLMENT_SCHEDULE: ScheduledTask[] = [
  { name: "waitlist-offers", pattern: "0 * * * * *", job: "enrollment.expire-waitlist-offers" },
];

/** Background work of enrollment: waitlist offers that ran out pass their seat on. */
export function enrollmentJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: "enrollment.expire-waitlist-offers",
      payload: z.object({}).passthrough(),
      run: async () => ({
        expired: await expireOffers({
          ...services,
          actor: { kind: "system", label: "worker", access: async () => SYSTEM_ACCESS },
          meta: NO_REQUEST,
        }),
      }),
    },
  ];
}
