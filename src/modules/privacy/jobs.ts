import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { getPrivacyRequest, PROCESS_JOB, processPrivacyRequest } from "./requests.js";
import { runDueRetention } from "./retention.js";

export const PRIVACY_SCHEDULE: ScheduledTask[] = [
  { name: "privacy-retention", pattern: "0 30 2 * * *", job: "privacy.retention" },
];

/** Data subject requests worked in the background; retention once a day. */
export function privacyJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: PROCESS_JOB,
      payload: z.object({ requestId: z.uuid() }),
      run: async (payload) => {
        const ctx = systemCtx(services, "worker");
        const { requestId } = payload as { requestId: string };
        try {
          return { status: (await processPrivacyRequest(ctx, requestId)).status };
        } catch (error) {
          // rejected before the worker reached it: nothing is left to do, so no retry
          if (error instanceof AppError && error.code === "REQUEST_NOT_PENDING")
            return { status: (await getPrivacyRequest(ctx, requestId)).status };
          throw error;
        }
      },
    },
    {
      name: "privacy.retention",
      payload: z.object({}).passthrough(),
      run: async () => ({ runs: await runDueRetention(systemCtx(services, "scheduler")) }),
    },
  ];
}
