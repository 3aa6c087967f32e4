import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { advanceDue } from "./engine.js";

export const WORKFLOW_SCHEDULE: ScheduledTask[] = [
  { name: "workflows-advance", pattern: "0 * * * * *", job: "workflows.advance" },
];

/**
 * Every minute: scheduled workflows start, executions started by events run, waits end, and
 * approvals not decided in time escalate or are rejected.
 */
export function workflowJobs(services: AppServices): JobDefinition[] {
  const payload = z.object({ organizationId: z.uuid().optional() }).passthrough();
  return [
    {
      name: "workflows.advance",
      payload,
      run: async (p) => ({
        ...(await advanceDue(
          systemCtx(services, "worker"),
          p.organizationId as string | undefined,
        )),
      }),
    },
  ];
}
