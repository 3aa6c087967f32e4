import { z } from "zod";
import { sealAllAuditChains } from "../../platform/audit/chain.js";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";

export const AUDIT_SCHEDULE: ScheduledTask[] = [
  { name: "audit-seal", pattern: "50 * * * * *", job: "audit.seal" },
];

/** Seals the audit records written since the last seal into their chains (platform/audit/chain.ts). */
export function auditJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: "audit.seal",
      payload: z.object({}).passthrough(),
      run: async () => ({ sealed: await sealAllAuditChains(systemCtx(services, "scheduler")) }),
    },
  ];
}
