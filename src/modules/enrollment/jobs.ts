import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { expireEnrollments } from "./manage.js";
import { expirePayments } from "./payments.js";
import { expireOffers } from "./waitlist.js";

export const ENROLLMENT_SCHEDULE: ScheduledTask[] = [
  { name: "waitlist-offers", pattern: "0 * * * * *", job: "enrollment.expire-waitlist-offers" },
  { name: "pending-payments", pattern: "30 * * * * *", job: "enrollment.expire-payments" },
  { name: "access-windows", pattern: "0 15 * * * *", job: "enrollment.expire-access" },
];

/**
 * Background work of enrollment: waitlist offers and unpaid checkouts that ran out give their
 * seats back, and enrollments past their access window expire.
 */
export function enrollmentJobs(services: AppServices): JobDefinition[] {
  const ctx = () => systemCtx(services, "worker");
  return [
    {
      name: "enrollment.expire-waitlist-offers",
      payload: z.object({}).passthrough(),
      run: async () => ({ expired: await expireOffers(ctx()) }),
    },
    {
      name: "enrollment.expire-payments",
      payload: z.object({}).passthrough(),
      run: async () => ({ expired: await expirePayments(ctx()) }),
    },
    {
      name: "enrollment.expire-access",
      payload: z.object({}).passthrough(),
      run: async () => ({ expired: await expireEnrollments(ctx()) }),
    },
  ];
}
