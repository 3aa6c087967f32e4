import type { Ctx } from "../../platform/context.js";
import { mailPage } from "../../platform/mail/layout.js";
import type { ChannelChoice, NotificationPriority, NotificationRow } from "./schema.js";

/**
 * The kinds of notification Lyceum sends, with whether each goes out by mail unless the
 * person says otherwise. Preferences can only name these kinds.
 */
export const NOTIFICATION_TYPES = {
  welcome: { description: "Welcome after registration", email: false },
  "enrollment-accepted": { description: "An enrollment request was approved", email: true },
  "enrollment-rejected": { description: "An enrollment request was declined", email: true },
  "enrollment-requested": {
    description: "Someone asked to join a course you review",
    email: true,
  },
  "enrollment-assigned": { description: "Training was assigned to you", email: true },
  "waitlist-offer": { description: "A seat opened for you on a waitlist", email: true },
  "payment-received": { description: "A course payment went through", email: true },
  "payment-refunded": { description: "A course payment was refunded", email: true },
  "lesson-unlocked": { description: "A lesson became available", email: false },
  "course-completed": { description: "You completed a course", email: true },
  "certificate-issued": { description: "A certificate was issued to you", email: true },
  announcement: { description: "A course announcement", email: false },
  "quiz-graded": { description: "A quiz attempt of yours was graded", email: true },
  "report-ready": { description: "A report you queued is ready, or failed", email: true },
  "invite-declined": { description: "Someone declined an invitation you sent", email: false },
  "integration-incident": {
    description: "An integration you own keeps failing, or works again",
    email: true,
  },
  "integration-file-waiting": {
    description: "A file for an integration you own waits for its columns to be mapped",
    email: true,
  },
  "webhook-disabled": {
    description: "A webhook of your organization was disabled after repeated failures",
    email: true,
  },
  "compliance-due-soon": { description: "Required training of yours is due soon", email: true },
  "compliance-overdue": { description: "Required training of yours is overdue", email: true },
  "compliance-escalation": {
    description: "Someone you manage or oversee is overdue on required training",
    email: true,
  },
} as const satisfies Record<string, { description: string; email: boolean }>;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;

export interface NotifyInput {
  userId: string;
  organizationId?: string | null;
  type: NotificationType;
  title: string;
  body?: string | null;
  data?: Record<string, unknown>;
  priority?: NotificationPriority;
  /** A path in the app (`/courses/…`); mails link to it on the public URL. */
  actionPath?: string | null;
  actionLabel?: string;
  expiresAt?: Date | null;
  /** Paragraphs of the mail; the body is used when absent. */
  mailLines?: string[];
}

/** The channels a person gets a kind of notification on, after their preferences. */
export async function channelsFor(
  ctx: Ctx,
  userId: string,
  type: NotificationType,
): Promise<{ inApp: boolean; email: boolean }> {
  const prefs = await ctx.db
    .selectFrom("notification_preferences")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
  const choice: ChannelChoice = prefs?.preferences[type] ?? {};
  return {
    inApp: (prefs?.in_app_enabled ?? true) && (choice.inApp ?? true),
    email: (prefs?.email_enabled ?? true) && (choice.email ?? NOTIFICATION_TYPES[type].email),
  };
}

/**
 * Tells a person something: an in-app notification and, when their preferences allow, a
 * mail through the outbox. Runs in the caller's transaction, so nothing is sent for a change
 * that rolls back. Returns the notification, or null when the person turned this kind off.
 */
export async function notify(ctx: Ctx, input: NotifyInput): Promise<NotificationRow | null> {
  const channels = await channelsFor(ctx, input.userId, input.type);
  const now = ctx.clock.now();
  let row: NotificationRow | null = null;
  if (channels.inApp) {
    row = await ctx.db
      .insertInto("notifications")
      .values({
        user_id: input.userId,
        organization_id: input.organizationId ?? null,
        type: input.type,
        title: input.title,
        body: input.body ?? null,
        data: JSON.stringify(input.data ?? {}),
        priority: input.priority ?? "normal",
        action_url: input.actionPath ?? null,
        expires_at: input.expiresAt ?? null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  if (channels.email) {
    const user = await ctx.db
      .selectFrom("users")
      .select(["email", "first_name", "status"])
      .where("id", "=", input.userId)
      .executeTakeFirst();
    if (user && user.status !== "deactivated") {
      const lines = [`Hello ${user.first_name},`, ...(input.mailLines ?? [input.body ?? ""])];
      const url = input.actionPath ? `${ctx.config.publicUrl}${input.actionPath}` : null;
      await ctx.mailer.enqueue(ctx.db, {
        to: user.email,
        subject: input.title,
        text: `${lines.filter(Boolean).join("\n\n")}${url ? `\n\n${url}` : ""}\n`,
        html: mailPage(
          input.title,
          lines.filter(Boolean),
          url ? { label: input.actionLabel ?? "Open Lyceum", url } : undefined,
        ),
        template: input.type,
        userId: input.userId,
        organizationId: input.organizationId ?? null,
      });
    }
  }
  return row;
}
