import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { PROCESS_JOB, processPrivacyRequest } from "./requests.js";
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
        const row = await processPrivacyRequest(
          systemCtx(services, "worker"),
          (payload as { requestId: string }).requestId,
        );
        return { status: row.status };
      },
    },
    {
      name: "privacy.retention",
      payload: z.object({}).passthrough(),
      run: async () => ({ runs: await runDueRetention(systemCtx(services, "scheduler")) }),
    },
  ];
}
