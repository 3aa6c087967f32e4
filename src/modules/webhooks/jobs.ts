import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { deliverDue, purgeOldDeliveries } from "./delivery.js";
import { DELIVER_JOB, nudgeDeliveries } from "./outbox.js";

const SWEEP_JOB = "webhooks.sweep";
const PURGE_JOB = "webhooks.purge";

/**
 * Every minute the sending job is queued (retries come due by the clock, not by an event);
 * every night deliveries past their retention are deleted.
 */
export const OUTBOUND_WEBHOOK_SCHEDULE: ScheduledTask[] = [
  { name: "webhook-deliveries", pattern: "15 * * * * *", job: SWEEP_JOB },
  { name: "webhook-delivery-retention", pattern: "0 40 3 * * *", job: PURGE_JOB },
];

/** The jobs of outbound webhooks (docs/webhooks.md). */
export function outboundWebhookJobs(services: AppServices): JobDefinition[] {
  const ctx = () => systemCtx(services, "worker");
  return [
    {
      name: DELIVER_JOB,
      payload: z.object({}).passthrough(),
      run: async () => ({ attempted: await deliverDue(ctx()) }),
    },
    {
      name: SWEEP_JOB,
      payload: z.object({}).passthrough(),
      run: async () => {
        await nudgeDeliveries(ctx());
        return {};
      },
    },
    {
      name: PURGE_JOB,
      payload: z.object({}).passthrough(),
      run: async () => ({ deleted: await purgeOldDeliveries(ctx()) }),
    },
  ];
}
