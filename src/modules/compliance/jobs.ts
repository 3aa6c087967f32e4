import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { evaluateCompliance } from "./evaluate.js";
import { sendComplianceReminders } from "./reminders.js";

export const COMPLIANCE_SCHEDULE: ScheduledTask[] = [
  { name: "compliance-evaluate", pattern: "0 30 2 * * *", job: "compliance.evaluate" },
  { name: "compliance-remind", pattern: "0 5 * * * *", job: "compliance.remind" },
];

/**
 * Compliance in the background: a daily evaluation of every organization's rules (new people
 * assigned, people out of scope marked, recertifications opened) and an hourly round of
 * reminders and escalations. A membership change queues an evaluation of its organization.
 */
export function complianceJobs(services: AppServices): JobDefinition[] {
  const ctx = () => systemCtx(services, "worker");
  const payload = z.object({ organizationId: z.uuid().optional() }).passthrough();
  return [
    {
      name: "compliance.evaluate",
      payload,
      run: async (p) => ({
        ...(await evaluateCompliance(ctx(), p.organizationId as string | undefined)),
      }),
    },
    {
      name: "compliance.remind",
      payload,
      run: async (p) => ({
        ...(await sendComplianceReminders(ctx(), p.organizationId as string | undefined)),
      }),
    },
  ];
}
