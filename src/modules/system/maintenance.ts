import { z } from "zod";
import { isEmbedded } from "../../db/connection.js";
import { vacuumWhereDue } from "../../db/vacuum.js";
import { DAY } from "../../platform/clock.js";
import type { AppServices } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";

export const MAINTENANCE_SCHEDULE: ScheduledTask[] = [
  { name: "hourly-cleanup", pattern: "0 7 * * * *", job: "maintenance.cleanup" },
];

/**
 * Only on the embedded engine, which has no autovacuum (db/vacuum.ts): every ten minutes,
 * vacuum and analyze the tables autovacuum would have. A server runs autovacuum itself.
 */
export const EMBEDDED_MAINTENANCE_SCHEDULE: ScheduledTask[] = [
  { name: "embedded-vacuum", pattern: "0 3-59/10 * * * *", job: "maintenance.vacuum" },
];

/** The vacuum job's work: the tables it vacuumed or analyzed (nothing on a server). */
export async function embeddedVacuum(
  services: Pick<AppServices, "db">,
): Promise<{ vacuumed: string[]; analyzed: string[] }> {
  if (!isEmbedded(services.db)) return { vacuumed: [], analyzed: [] };
  const done = await vacuumWhereDue(services.db);
  return {
    vacuumed: done.filter((t) => t.action === "vacuum").map((t) => t.table),
    analyzed: done.filter((t) => t.action === "analyze").map((t) => t.table),
  };
}

/**
 * Housekeeping that keeps tables small: expired sessions and tokens, stale rate-limit
 * windows (API key usage and abuse-limit counters), finished jobs; and pending invitations past their expiry become `expired`.
 */
export async function cleanup(services: AppServices): Promise<Record<string, number>> {
  const { db, clock } = services;
  const now = clock.now();
  const monthAgo = new Date(now.getTime() - 30 * DAY);
  const weekAgo = new Date(now.getTime() - 7 * DAY);
  const count = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint }) =>
    Number(r.numDeletedRows ?? r.numUpdatedRows ?? 0);
  const invites = await db
    .updateTable("organization_invites")
    .set({ status: "expired" })
    .where("status", "=", "pending")
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  const sessions = await db
    .deleteFrom("user_sessions")
    .where((eb) => eb.or([eb("expires_at", "<", monthAgo), eb("revoked_at", "<", monthAgo)]))
    .executeTakeFirst();
  const resets = await db
    .deleteFrom("password_resets")
    .where("expires_at", "<", weekAgo)
    .executeTakeFirst();
  const verifications = await db
    .deleteFrom("email_verifications")
    .where("expires_at", "<", weekAgo)
    .executeTakeFirst();
  const usage = await db
    .deleteFrom("api_key_usage")
    .where("window_start", "<", new Date(now.getTime() - 2 * DAY))
    .executeTakeFirst();
  const counters = await db
    .deleteFrom("rate_limit_counters")
    .where("expires_at", "<", now)
    .executeTakeFirst();
  const jobs = await db
    .deleteFrom("jobs")
    .where("status", "in", ["completed", "cancelled"])
    .where("finished_at", "<", monthAgo)
    .executeTakeFirst();
  return {
    invitesExpired: count(invites),
    sessionsDeleted: count(sessions),
    passwordResetsDeleted: count(resets),
    verificationsDeleted: count(verifications),
    usageWindowsDeleted: count(usage),
    limitWindowsDeleted: count(counters),
    jobsDeleted: count(jobs),
    mfaChallengesDeleted: count(
      await db.deleteFrom("mfa_challenges").where("expires_at", "<", weekAgo).executeTakeFirst(),
    ),
    webauthnChallengesDeleted: count(
      await db
        .deleteFrom("webauthn_challenges")
        .where("expires_at", "<", weekAgo)
        .executeTakeFirst(),
    ),
  };
}

export function maintenanceJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: "maintenance.cleanup",
      payload: z.object({}).passthrough(),
      run: () => cleanup(services),
    },
    {
      name: "maintenance.vacuum",
      payload: z.object({}).passthrough(),
      run: () => embeddedVacuum(services),
    },
  ];
}
