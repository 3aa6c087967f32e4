import { z } from "zod";
import { type AppServices, type Ctx, inTransaction, systemCtx } from "../../platform/context.js";
import type { JobRow } from "../../platform/jobs/queue.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import {
  LocalPushProvider,
  LocalSmsProvider,
  type PushProvider,
  type SmsProvider,
} from "../../platform/messaging/providers.js";
import {
  MESSAGE_JOB,
  RESTRICTION_EXEMPT,
  restrictedRecipients,
  sendNotificationMail,
  trackingEnabled,
} from "./notify.js";
import { renderTemplate } from "./template-language.js";
import { languageCandidates } from "./templates.js";

/**
 * Digests: mail a person chose to get daily or weekly waits in notification_digest_items,
 * and one summary mail per person and period goes out once the period is over (a daily
 * digest after midnight UTC, a weekly one after Monday 00:00 UTC). The summary's texts are
 * built-in templates with the variables firstName, count, many (more than one), period and items.
 */
const DIGEST_TEXTS: Record<string, { subject: string; body: string; action: string }> = {
  en: {
    subject:
      "Your {{period}} summary: {{count}} {{#if many}}notifications{{else}}notification{{/if}}",
    body: "Hello {{firstName}},\n\nHere is what happened since your last summary.\n\n{{items}}",
    action: "Open Lyceum",
  },
  de: {
    subject:
      "Ihre {{period}} Zusammenfassung: {{count}} {{#if many}}Benachrichtigungen{{else}}Benachrichtigung{{/if}}",
    body: "Hallo {{firstName}},\n\nDas ist seit Ihrer letzten Zusammenfassung passiert.\n\n{{items}}",
    action: "Lyceum öffnen",
  },
};
const PERIOD: Record<string, Record<"daily" | "weekly", string>> = {
  en: { daily: "daily", weekly: "weekly" },
  de: { daily: "tägliche", weekly: "wöchentliche" },
};

export const DIGEST_JOB = "notifications.send-digests";
export const NOTIFICATION_SCHEDULE: ScheduledTask[] = [
  { name: "notification-digests", pattern: "0 5 * * * *", job: DIGEST_JOB },
];

/** The end of the last finished period: today's midnight, or this week's Monday midnight (UTC). */
export function periodEnd(now: Date, frequency: "daily" | "weekly"): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (frequency === "daily") return day;
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

/** Sends every digest whose period is over; answers how many summaries went out. */
export async function sendDueDigests(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  // each organization's tracking setting, read once for all its people's digests
  const settings = new Map<string | null, Promise<boolean>>();
  const tracking = (organizationId: string | null) => {
    let enabled = settings.get(organizationId);
    if (!enabled) {
      enabled = trackingEnabled(ctx, organizationId);
      settings.set(organizationId, enabled);
    }
    return enabled;
  };
  let sent = 0;
  for (const frequency of ["daily", "weekly"] as const) {
    const end = periodEnd(now, frequency);
    const due = await ctx.db
      .selectFrom("notification_digest_items")
      .select(["user_id", "organization_id"])
      .distinct()
      .where("sent_at", "is", null)
      .where("frequency", "=", frequency)
      .where("created_at", "<", end)
      .execute();
    const restricted = await restrictedByOrganization(ctx, due);
    for (const { user_id: userId, organization_id: organizationId } of due) {
      // read outside the transaction: the embedded engine has one connection
      const tracked = await tracking(organizationId);
      const withheld = restricted.get(organizationId)?.has(userId) ?? false;
      await inTransaction(ctx, async (tx) => {
        let items = await tx.db
          .updateTable("notification_digest_items")
          .set({ sent_at: now })
          .where("user_id", "=", userId)
          .where((eb) =>
            organizationId
              ? eb("organization_id", "=", organizationId)
              : eb("organization_id", "is", null),
          )
          .where("frequency", "=", frequency)
          .where("sent_at", "is", null)
          .where("created_at", "<", end)
          .returningAll()
          .execute();
        if (withheld) {
          // restricted since the mail was held: only what the law requires still goes out
          const exempt = (i: { type: string }) =>
            (RESTRICTION_EXEMPT as readonly string[]).includes(i.type);
          await withhold(
            tx,
            items.filter((i) => !exempt(i)),
            now,
          );
          items = items.filter(exempt);
        }
        if (!items.length) return;
        const user = await tx.db
          .selectFrom("users")
          .select(["email", "first_name", "status", "preferred_language"])
          .where("id", "=", userId)
          .executeTakeFirst();
        if (!user || user.status === "deactivated") return;
        const language =
          languageCandidates(user.preferred_language).find((l) => l in DIGEST_TEXTS) ?? "en";
        const texts = DIGEST_TEXTS[language] ?? (DIGEST_TEXTS.en as (typeof DIGEST_TEXTS)[string]);
        items.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
        const values = {
          firstName: user.first_name,
          count: items.length,
          many: items.length > 1 ? "yes" : "",
          period: PERIOD[language]?.[frequency] ?? frequency,
          items: items.map((i) => (i.body ? `${i.subject}: ${i.body}` : i.subject)).join("\n\n"),
        };
        await sendNotificationMail(tx, {
          userId,
          email: user.email,
          organizationId,
          type: "digest",
          subject: renderTemplate(texts.subject, values),
          body: renderTemplate(texts.body, values),
          actionPath: "/notifications",
          actionLabel: texts.action,
          tracking: tracked,
          delivery: async (fields) => {
            // the held messages leave with the summary (the first carries its tracking)
            const [first, ...others] = items
              .map((i) => i.delivery_id)
              .filter((id): id is string => !!id);
            if (first)
              await tx.db
                .updateTable("notification_deliveries")
                .set({ ...fields, updated_at: now })
                .where("id", "=", first)
                .execute();
            if (others.length)
              await tx.db
                .updateTable("notification_deliveries")
                .set({ ...fields, tracking_token: null, updated_at: now })
                .where("id", "in", others)
                .execute();
            return { id: first ?? "" };
          },
        });
        sent++;
      });
    }
  }
  return sent;
}

/** Per organization, the people among those with a digest due whose processing is restricted. */
async function restrictedByOrganization(
  ctx: Ctx,
  due: Array<{ user_id: string; organization_id: string | null }>,
): Promise<Map<string | null, Set<string>>> {
  const byOrganization = new Map<string | null, string[]>();
  for (const row of due)
    byOrganization.set(row.organization_id, [
      ...(byOrganization.get(row.organization_id) ?? []),
      row.user_id,
    ]);
  const restricted = new Map<string | null, Set<string>>();
  for (const [organizationId, userIds] of byOrganization)
    restricted.set(organizationId, await restrictedRecipients(ctx, userIds, organizationId));
  return restricted;
}

/** Held mail of a person restricted meanwhile: never sent, its deliveries failed with the reason. */
async function withhold(
  ctx: Ctx,
  items: Array<{ delivery_id: string | null }>,
  now: Date,
): Promise<void> {
  const ids = items.map((i) => i.delivery_id).filter((id): id is string => !!id);
  if (!ids.length) return;
  await ctx.db
    .updateTable("notification_deliveries")
    .set({
      status: "failed",
      reason: "Not sent: the person's processing is restricted",
      failed_at: now,
      updated_at: now,
    })
    .where("id", "in", ids)
    .execute();
}

export function notificationJobs(
  services: AppServices,
  providers: { sms: SmsProvider; push: PushProvider } = {
    sms: new LocalSmsProvider(services.log),
    push: new LocalPushProvider(services.log),
  },
): JobDefinition[] {
  return [
    {
      name: MESSAGE_JOB,
      payload: messagePayload,
      run: async (payload, job) =>
        sendMessage(
          systemCtx(services, "worker"),
          providers,
          payload as z.infer<typeof messagePayload>,
          job,
        ),
    },
    {
      name: DIGEST_JOB,
      payload: z.object({}).passthrough(),
      run: async () => ({ sent: await sendDueDigests(systemCtx(services, "worker")) }),
    },
  ];
}

const messagePayload = z.object({
  deliveryId: z.uuid(),
  channel: z.enum(["sms", "push"]),
  to: z.string(),
  title: z.string(),
  body: z.string(),
  actionPath: z.string().nullable(),
});

/** Hands one SMS or push message to its provider and logs the outcome; retried by the queue. */
export async function sendMessage(
  ctx: Ctx,
  providers: { sms: SmsProvider; push: PushProvider },
  payload: z.infer<typeof messagePayload>,
  job: Pick<JobRow, "attempts" | "max_attempts">,
): Promise<{ messageId: string }> {
  try {
    const result =
      payload.channel === "sms"
        ? await providers.sms.send({ to: payload.to, body: payload.body || payload.title })
        : await providers.push.send({
            userId: payload.to,
            title: payload.title,
            body: payload.body,
            url: payload.actionPath ? `${ctx.config.publicUrl}${payload.actionPath}` : null,
          });
    const now = ctx.clock.now();
    await ctx.db
      .updateTable("notification_deliveries")
      .set({
        status: "sent",
        sent_at: now,
        provider_message_id: result.messageId,
        retries: Math.max(job.attempts - 1, 0),
        reason: null,
        updated_at: now,
      })
      .where("id", "=", payload.deliveryId)
      .execute();
    return result;
  } catch (error) {
    const now = ctx.clock.now();
    const last = job.attempts >= job.max_attempts;
    await ctx.db
      .updateTable("notification_deliveries")
      .set({
        reason: String((error as Error).message ?? error).slice(0, 1000),
        retries: Math.max(job.attempts - 1, 0),
        ...(last ? { status: "failed" as const, failed_at: now } : {}),
        updated_at: now,
      })
      .where("id", "=", payload.deliveryId)
      .execute();
    throw error;
  }
}
