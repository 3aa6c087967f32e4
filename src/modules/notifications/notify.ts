import type { Insertable } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { randomToken } from "../../platform/crypto.js";
import { newId } from "../../platform/ids.js";
import { enqueueJob } from "../../platform/jobs/queue.js";
import { mailPage } from "../../platform/mail/layout.js";
import type { MailMessage } from "../../platform/mail/mailer.js";
import { builtinActionLabel } from "./builtin-templates.js";
import type {
  ChannelChoice,
  DigestFrequency,
  NotificationDeliveriesTable,
  NotificationPriority,
  NotificationRow,
  TemplateChannel,
} from "./schema.js";
import { renderTemplate, type TemplateValues } from "./template-language.js";
import { loadTemplates, renderText, type TemplateSet } from "./templates.js";

/**
 * The kinds of notification Lyceum sends, with whether each goes out by mail unless the
 * person says otherwise. Preferences can only name these kinds.
 */
export const NOTIFICATION_TYPES = {
  welcome: { description: "Welcome after registration", email: false, variables: {} },
  "enrollment-accepted": {
    description: "An enrollment request was approved",
    email: true,
    variables: {
      courseTitle: "The course's title",
      waitlistPosition: "The place on the waitlist when the cohort is full; empty otherwise",
    },
  },
  "enrollment-rejected": {
    description: "An enrollment request was declined",
    email: true,
    variables: {
      courseTitle: "The course's title",
      notes: "The reviewer's notes, when they wrote any",
    },
  },
  "enrollment-requested": {
    description: "Someone asked to join a course you review",
    email: true,
    variables: {
      requesterName: "The full name of the person asking",
      courseTitle: "The course's title",
      reason: "The reason they gave, when they gave one",
    },
  },
  "enrollment-assigned": {
    description: "Training was assigned to you",
    email: true,
    variables: {
      courseTitle: "The course's title",
      compliance: "Set when the training is compliance training",
      mandatory: "Set when the training is mandatory",
      dueAt: "When it is due, when it has a due date",
    },
  },
  "waitlist-offer": {
    description: "A seat opened for you on a waitlist",
    email: true,
    variables: {
      courseTitle: "The course's title",
      cohortName: "The cohort with the open seat",
      heldUntil: "Until when the seat is held",
    },
  },
  "payment-received": {
    description: "A course payment went through",
    email: true,
    variables: { courseTitle: "The course's title", amount: "The amount paid, with currency" },
  },
  "payment-refunded": {
    description: "A course payment was refunded",
    email: true,
    variables: {
      courseTitle: "The course's title",
      amount: "The amount refunded, with currency",
    },
  },
  "lesson-unlocked": {
    description: "A lesson became available",
    email: false,
    variables: { moduleTitle: "The title of the module that opened" },
  },
  "course-completed": {
    description: "You completed a course",
    email: true,
    variables: { courseTitle: "The course's title" },
  },
  "certificate-issued": {
    description: "A certificate was issued to you",
    email: true,
    variables: {
      courseTitle: "The course's title",
      certificateNumber: "The certificate's number",
    },
  },
  announcement: {
    description: "A course announcement",
    email: false,
    variables: {
      courseTitle: "The course's title",
      announcementTitle: "The announcement's title",
      excerpt: "The start of the announcement, as plain text",
    },
  },
  "quiz-graded": {
    description: "A quiz attempt of yours was graded",
    email: true,
    variables: {
      quizTitle: "The quiz's title",
      regraded: "Set when an earlier grade was changed",
      score: "The score in percent, when the quiz is scored",
      passed: "Set when the attempt passed",
    },
  },
  "report-ready": {
    description: "A report you queued is ready, or failed",
    email: true,
    variables: {
      reportName: "The report's name",
      ready: "Set when the report is ready; empty when it failed",
      scheduled: "Set when a schedule produced the report",
      rowCount: "How many rows the report has",
      reason: "Why the report failed",
    },
  },
  "invite-declined": {
    description: "Someone declined an invitation you sent",
    email: false,
    variables: {
      email: "The invited address",
      organizationName: "The organization they were invited to",
    },
  },
  "integration-incident": {
    description: "An integration you own keeps failing, or works again",
    email: true,
    variables: {
      integrationName: "The integration's name",
      resolved: "Set when the integration works again",
      failures: "How many syncs failed in a row",
      endedAt: "When the sync that went through ended",
      error: "What the last failed sync said",
    },
  },
  "integration-file-waiting": {
    description: "A file for an integration you own waits for its columns to be mapped",
    email: true,
    variables: {
      integrationName: "The integration's name",
      fileName: "The name of the file that arrived",
    },
  },
  "webhook-disabled": {
    description: "A webhook of your organization was disabled after repeated failures",
    email: true,
    variables: {
      url: "The address the webhook sends to",
      failures: "How many deliveries failed in a row",
    },
  },
  "compliance-due-soon": {
    description: "Required training of yours is due soon",
    email: true,
    variables: {
      courseTitle: "The course's title",
      requirementName: "The compliance requirement's name",
      dueAt: "When it is due",
    },
  },
  "compliance-overdue": {
    description: "Required training of yours is overdue",
    email: true,
    variables: {
      courseTitle: "The course's title",
      requirementName: "The compliance requirement's name",
      dueAt: "When it was due",
    },
  },
  "compliance-escalation": {
    description: "Someone you manage or oversee is overdue on required training",
    email: true,
    variables: {
      personName: "The name of the person who is overdue",
      courseTitle: "The course's title",
      requirementName: "The compliance requirement's name",
      dueAt: "When it was due",
      managerTold: "Set when their manager was told before you",
    },
  },
  "workflow-approval-requested": {
    description: "A workflow waits for your approval",
    email: true,
    variables: {
      workflowName: "The workflow's name",
      subjectName: "The name of the person the request is about, when it is about someone",
      summary: "What is asked, in a line",
      escalated: "Set when the request came to you because others did not decide in time",
    },
  },
  "workflow-notification": {
    description: "A message from one of your organization's workflows",
    email: true,
    variables: {
      workflowName: "The workflow's name",
      message: "The message the workflow's step says",
      subjectName: "The name of the person the workflow is about, when it is about someone",
    },
  },
  "workflow-decided": {
    description: "A request of yours that waited for approval was decided",
    email: true,
    variables: {
      workflowName: "The workflow's name",
      summary: "What was asked, in a line",
      approved: "Set when it was approved; empty when it was declined",
      notes: "The approver's notes, when they wrote any",
    },
  },
} as const satisfies Record<
  string,
  { description: string; email: boolean; variables: Record<string, string> }
>;

/** Variables every notification type has, filled in from the recipient. */
export const COMMON_VARIABLES: Record<string, string> = {
  firstName: "The recipient's first name",
  lastName: "The recipient's last name",
};

/** The variables a type's templates may use, with what each means. */
export function variablesFor(type: NotificationType): Record<string, string> {
  return { ...COMMON_VARIABLES, ...NOTIFICATION_TYPES[type].variables };
}

export type NotificationType = keyof typeof NOTIFICATION_TYPES;

export interface NotifyInput {
  userId: string;
  organizationId?: string | null;
  type: NotificationType;
  /** The values of the type's variables; the texts come from its templates. */
  variables?: TemplateValues;
  data?: Record<string, unknown>;
  priority?: NotificationPriority;
  /** A path in the app (`/courses/…`); mails link to it on the public URL. */
  actionPath?: string | null;
  expiresAt?: Date | null;
}

export interface Channels {
  inApp: boolean;
  email: boolean;
  sms: boolean;
  push: boolean;
  /** Where mail goes: at once, or held for a daily or weekly digest. */
  digest: DigestFrequency;
}

/** The channels a person gets a kind of notification on, after their preferences. */
function channelsOf(
  prefs: {
    preferences: Record<string, ChannelChoice> | null;
    in_app_enabled: boolean | null;
    email_enabled: boolean | null;
    digest: DigestFrequency | null;
  },
  type: NotificationType,
): Channels {
  const choice: ChannelChoice = prefs.preferences?.[type] ?? {};
  return {
    inApp: (prefs.in_app_enabled ?? true) && (choice.inApp ?? true),
    email: (prefs.email_enabled ?? true) && (choice.email ?? NOTIFICATION_TYPES[type].email),
    sms: choice.sms ?? false,
    push: choice.push ?? false,
    digest: choice.digest ?? prefs.digest ?? "immediate",
  };
}

/** Whether mails of an organization carry an open pixel and tracked links (on by default). */
export async function trackingEnabled(ctx: Ctx, organizationId: string | null): Promise<boolean> {
  if (!organizationId) return false;
  const row = await ctx.db
    .selectFrom("notification_settings")
    .select("tracking_enabled")
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  return row?.tracking_enabled ?? true;
}

/** The paragraphs of a rendered mail body: blank lines separate them. */
export function paragraphsOf(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Tells a person something, in the texts of the type's templates (the organization's, else the
 * platform's, in the person's language or the default one): an in-app notification and, when
 * their preferences allow, a mail through the outbox (or held for their digest), an SMS and a
 * push message (sent by a job through the providers). Every message is written to the delivery
 * log. Runs in the caller's transaction, so nothing is sent for a change that rolls back.
 * Returns the in-app notification, or null when the person turned in-app notices of this kind
 * off.
 */
export async function notify(ctx: Ctx, input: NotifyInput): Promise<NotificationRow | null> {
  const { userId, ...rest } = input;
  const [row] = await notifyAll(ctx, { ...rest, userIds: [userId] });
  return row ?? null;
}

/**
 * Tells several people the same thing, as `notify` does for one: the people with their
 * preferences, the templates of every channel and language needed, and the organization's
 * tracking setting are each read once for all of them. Answers each person's in-app
 * notification (or null), in the order of `userIds`.
 */
export async function notifyAll(
  ctx: Ctx,
  input: Omit<NotifyInput, "userId"> & { userIds: readonly string[] },
): Promise<(NotificationRow | null)[]> {
  const { userIds, organizationId, type, ...shared } = input;
  return notifyEach(ctx, {
    organizationId,
    type,
    recipients: userIds.map((userId) => ({ ...shared, userId })),
  });
}

/** One recipient of `notifyEach`, with what is told to them alone. */
export type NotifyRecipient = Omit<NotifyInput, "organizationId" | "type">;

/**
 * Tells several people one kind of thing with values of their own (each their variables,
 * data and link), as `notify` would one at a time, with the reads shared as in `notifyAll`:
 * the people with their preferences, the templates and the tracking setting once per slice.
 * A person may appear more than once (told about several things). Answers each recipient's
 * in-app notification (or null), in the order of `recipients`.
 */
export async function notifyEach(
  ctx: Ctx,
  input: {
    organizationId?: string | null;
    type: NotificationType;
    recipients: readonly NotifyRecipient[];
  },
): Promise<(NotificationRow | null)[]> {
  const rows: (NotificationRow | null)[] = [];
  // a large audience in slices, so that no statement carries more ids than PostgreSQL takes
  for (let start = 0; start < input.recipients.length; start += NOTIFY_BATCH)
    rows.push(
      ...(await notifyBatch(ctx, input, input.recipients.slice(start, start + NOTIFY_BATCH))),
    );
  return rows;
}

const NOTIFY_BATCH = 1000;

/**
 * The people among `userIds` whose processing is restricted in the organization (a data
 * subject's restriction, docs/privacy.md). The check is `restrictedPeople` of the access
 * module, which shares this module's layer: it is handed over at wiring time (src/app.ts).
 */
export type RestrictedAmong = (
  ctx: Ctx,
  userIds: string[],
  organizationId: string | null,
) => Promise<Set<string>>;
let restrictedAmong: RestrictedAmong | null = null;

export function provideRestrictionCheck(check: RestrictedAmong): void {
  restrictedAmong = check;
}

/** The people among `userIds` restricted in the organization (nobody until the check is handed over). */
export function restrictedRecipients(
  ctx: Ctx,
  userIds: string[],
  organizationId: string | null,
): Promise<Set<string>> {
  return restrictedAmong && userIds.length
    ? restrictedAmong(ctx, userIds, organizationId)
    : Promise.resolve(new Set());
}

/**
 * What a person whose processing is restricted is still told: receipts of a payment and its
 * refund (a legal duty of the seller). Everything else — reminders, assignments, announcements,
 * escalations — is not sent to them on any channel. Account mail the person asks for
 * (verification, password reset, changes to their account) does not go through notifications.
 */
export const RESTRICTION_EXEMPT: readonly NotificationType[] = [
  "payment-received",
  "payment-refunded",
];

async function notifyBatch(
  ctx: Ctx,
  input: { organizationId?: string | null; type: NotificationType },
  items: readonly NotifyRecipient[],
  restrictionChecked = false,
): Promise<(NotificationRow | null)[]> {
  const now = ctx.clock.now();
  const organizationId = input.organizationId ?? null;
  const userIds = items.map((item) => item.userId);
  if (restrictedAmong && !restrictionChecked && !RESTRICTION_EXEMPT.includes(input.type)) {
    const restricted = await restrictedRecipients(ctx, [...new Set(userIds)], organizationId);
    if (restricted.size) {
      const allowed = items.filter((item) => !restricted.has(item.userId));
      const sent = allowed.length ? await notifyBatch(ctx, input, allowed, true) : [];
      const byItem = new Map(allowed.map((item, i) => [item, sent[i] ?? null]));
      return items.map((item) => byItem.get(item) ?? null);
    }
  }
  const people = await ctx.db
    .selectFrom("users as u")
    .leftJoin("notification_preferences as p", "p.user_id", "u.id")
    .select([
      "u.id",
      "u.email",
      "u.first_name",
      "u.last_name",
      "u.status",
      "u.preferred_language",
      "u.phone",
      "p.preferences",
      "p.in_app_enabled",
      "p.email_enabled",
      "p.digest",
    ])
    .where("u.id", "in", [...new Set(userIds)])
    .execute();
  const recipients = new Map(
    people.map((person) => [person.id, { person, channels: channelsOf(person, input.type) }]),
  );
  const needed = new Set<TemplateChannel>();
  let mailsNow = false;
  for (const { person, channels } of recipients.values()) {
    if (channels.inApp) needed.add("in-app");
    if (person.status === "deactivated") continue;
    if (channels.email) needed.add("email");
    if (channels.email && channels.digest === "immediate") mailsNow = true;
    if (channels.sms) needed.add("sms");
    if (channels.push) needed.add("push");
  }
  const templates = await loadTemplates(ctx, {
    organizationId,
    types: [input.type],
    channels: [...needed],
    languages: people.map((p) => p.preferred_language),
  });
  const tracking = mailsNow && (await trackingEnabled(ctx, organizationId));

  // The usual case — in-app and mail at once, or either — is written for the whole slice a
  // statement per table; a digest, SMS or push message goes through `deliver` one by one.
  const shared = { now, organizationId, templates, tracking };
  const plain = items.filter((item) => {
    const recipient = recipients.get(item.userId);
    if (!recipient) return false;
    const { channels, person } = recipient;
    return (
      !channels.sms &&
      !channels.push &&
      (person.status === "deactivated" || !channels.email || channels.digest === "immediate")
    );
  });
  const written =
    plain.length > 1
      ? await deliverMany(
          ctx,
          input.type,
          plain.map((item) => ({
            item,
            input: { ...item, organizationId, type: input.type },
            ...(recipients.get(item.userId) as Recipient),
          })),
          shared,
        )
      : new Map<NotifyRecipient, NotificationRow | null>();
  const rows: (NotificationRow | null)[] = [];
  for (const item of items) {
    const recipient = recipients.get(item.userId);
    if (written.has(item)) rows.push(written.get(item) ?? null);
    else
      rows.push(
        recipient
          ? await deliver(
              ctx,
              { ...item, organizationId, type: input.type },
              { ...recipient, ...shared },
            )
          : null,
      );
  }
  return rows;
}

interface Recipient {
  person: {
    id: string;
    email: string;
    first_name: string;
    last_name: string;
    status: string;
    preferred_language: string | null;
    phone: string | null;
  };
  channels: Channels;
}

/**
 * Writes the in-app notifications and immediate mails of many recipients (none with a digest,
 * SMS or push channel), as `deliver` would one by one: the notifications, the mails and the
 * delivery log each in one statement.
 */
async function deliverMany(
  ctx: Ctx,
  type: NotificationType,
  list: Array<
    Recipient & { item: NotifyRecipient; input: Omit<NotifyInput, "userId"> & { userId: string } }
  >,
  shared: { now: Date; organizationId: string | null; templates: TemplateSet; tracking: boolean },
): Promise<Map<NotifyRecipient, NotificationRow | null>> {
  const { now, organizationId, templates, tracking } = shared;
  const deliveries: Insertable<NotificationDeliveriesTable>[] = [];
  const logRow = (
    userId: string,
    channel: TemplateChannel,
    used: { templateId: string | null; version: number; language: string },
    fields: Partial<Insertable<NotificationDeliveriesTable>>,
  ): Insertable<NotificationDeliveriesTable> => ({
    user_id: userId,
    organization_id: organizationId,
    type,
    channel,
    language: used.language,
    template_id: used.templateId,
    template_version: used.version,
    queued_at: now,
    created_at: now,
    updated_at: now,
    notification_id: null,
    status: "queued",
    sent_at: null,
    mail_outbox_id: null,
    tracking_token: null,
    ...fields,
  });
  const valuesOf = (entry: (typeof list)[number]): TemplateValues => ({
    firstName: entry.person.first_name,
    lastName: entry.person.last_name,
    ...entry.input.variables,
  });
  const ids = new Map<(typeof list)[number], string>();
  const notices = list.flatMap((entry) => {
    if (!entry.channels.inApp) return [];
    const used = templates.pick(type, "in-app", entry.person.preferred_language);
    const text = renderText(used, valuesOf(entry));
    const id = newId();
    ids.set(entry, id);
    deliveries.push(
      logRow(entry.person.id, "in-app", used, {
        notification_id: id,
        status: "sent",
        sent_at: now,
      }),
    );
    return [
      {
        id,
        user_id: entry.person.id,
        organization_id: organizationId,
        type,
        title: text.subject,
        body: text.body || null,
        data: JSON.stringify(entry.input.data ?? {}),
        priority: entry.input.priority ?? ("normal" as const),
        action_url: entry.input.actionPath ?? null,
        expires_at: entry.input.expiresAt ?? null,
        created_at: now,
      },
    ];
  });
  const inserted = notices.length
    ? await ctx.db.insertInto("notifications").values(notices).returningAll().execute()
    : [];
  const byId = new Map(inserted.map((row) => [row.id, row]));
  const mails = list.flatMap((entry) => {
    if (entry.person.status === "deactivated" || !entry.channels.email) return [];
    const used = templates.pick(type, "email", entry.person.preferred_language);
    const values = valuesOf(entry);
    const text = renderText(used, values);
    const mail = notificationMail(ctx, {
      userId: entry.person.id,
      email: entry.person.email,
      organizationId,
      type,
      subject: text.subject,
      body: text.body,
      actionPath: entry.input.actionPath ?? null,
      actionLabel: renderTemplate(builtinActionLabel(type, used.language), values),
      tracking,
    });
    return [{ entry, used, mail }];
  });
  const mailIds = await ctx.mailer.enqueueMany(
    ctx.db,
    mails.map((m) => m.mail.message),
  );
  mails.forEach(({ entry, used, mail }, i) => {
    const notice = ids.get(entry);
    deliveries.push(
      logRow(entry.person.id, "email", used, {
        notification_id: notice ?? null,
        status: "queued",
        mail_outbox_id: mailIds[i] as string,
        tracking_token: mail.token,
      }),
    );
  });
  for (let start = 0; start < deliveries.length; start += NOTIFY_BATCH)
    await ctx.db
      .insertInto("notification_deliveries")
      .values(deliveries.slice(start, start + NOTIFY_BATCH))
      .execute();
  const out = new Map<NotifyRecipient, NotificationRow | null>();
  for (const entry of list) {
    const id = ids.get(entry);
    out.set(entry.item, id ? (byId.get(id) ?? null) : null);
  }
  return out;
}

/** Writes one person's notification on each of their channels, with its delivery log. */
async function deliver(
  ctx: Ctx,
  input: Omit<NotifyInput, "userId">,
  {
    person,
    channels,
    now,
    organizationId,
    templates,
    tracking,
  }: {
    person: {
      id: string;
      email: string;
      first_name: string;
      last_name: string;
      status: string;
      preferred_language: string | null;
      phone: string | null;
    };
    channels: Channels;
    now: Date;
    organizationId: string | null;
    templates: TemplateSet;
    tracking: boolean;
  },
): Promise<NotificationRow | null> {
  const userId = person.id;
  const values: TemplateValues = {
    firstName: person.first_name,
    lastName: person.last_name,
    ...input.variables,
  };
  const template = (channel: TemplateChannel) =>
    templates.pick(input.type, channel, person.preferred_language);
  const log = (
    channel: TemplateChannel,
    used: { templateId: string | null; version: number; language: string },
    fields: Partial<Insertable<NotificationDeliveriesTable>>,
  ) =>
    ctx.db
      .insertInto("notification_deliveries")
      .values({
        user_id: userId,
        organization_id: organizationId,
        type: input.type,
        channel,
        language: used.language,
        template_id: used.templateId,
        template_version: used.version,
        queued_at: now,
        created_at: now,
        updated_at: now,
        ...fields,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

  let row: NotificationRow | null = null;
  if (channels.inApp) {
    const used = template("in-app");
    const text = renderText(used, values);
    row = await ctx.db
      .insertInto("notifications")
      .values({
        user_id: userId,
        organization_id: organizationId,
        type: input.type,
        title: text.subject,
        body: text.body || null,
        data: JSON.stringify(input.data ?? {}),
        priority: input.priority ?? "normal",
        action_url: input.actionPath ?? null,
        expires_at: input.expiresAt ?? null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await log("in-app", used, { notification_id: row.id, status: "sent", sent_at: now });
  }
  if (person.status === "deactivated") return row;
  if (channels.email) {
    const used = template("email");
    const text = renderText(used, values);
    if (channels.digest !== "immediate") {
      const delivery = await log("email", used, {
        notification_id: row?.id ?? null,
        status: "held",
      });
      await ctx.db
        .insertInto("notification_digest_items")
        .values({
          user_id: userId,
          organization_id: organizationId,
          delivery_id: delivery.id,
          type: input.type,
          frequency: channels.digest,
          subject: text.subject,
          body: paragraphsOf(text.body).slice(1).join("\n\n"),
          action_path: input.actionPath ?? null,
          created_at: now,
        })
        .execute();
    } else {
      await sendNotificationMail(ctx, {
        userId,
        email: person.email,
        organizationId,
        type: input.type,
        subject: text.subject,
        body: text.body,
        actionPath: input.actionPath ?? null,
        actionLabel: renderTemplate(builtinActionLabel(input.type, used.language), values),
        tracking,
        delivery: (fields) => log("email", used, { notification_id: row?.id ?? null, ...fields }),
      });
    }
  }
  for (const channel of ["sms", "push"] as const) {
    if (!channels[channel]) continue;
    const used = template(channel);
    const text = renderText(used, values);
    const to = channel === "sms" ? person.phone : userId;
    const delivery = await log(
      channel,
      used,
      to
        ? { notification_id: row?.id ?? null }
        : { status: "failed", failed_at: now, reason: "The person has no phone number" },
    );
    if (to)
      await enqueueJob(
        ctx.db,
        MESSAGE_JOB,
        {
          deliveryId: delivery.id,
          channel,
          to,
          title: text.subject,
          body: text.body,
          actionPath: input.actionPath ?? null,
        },
        { runAt: now, maxAttempts: 4 },
      );
  }
  return row;
}

/** The job that hands one SMS or push message to its provider. */
export const MESSAGE_JOB = "notifications.send-message";

/**
 * Puts a rendered notification mail into the outbox, with an open pixel and tracked links when
 * `tracking` (the organization's setting, see `trackingEnabled`), and logs it through `delivery`.
 */
export async function sendNotificationMail(
  ctx: Ctx,
  input: NotificationMailInput & {
    delivery: (fields: Partial<Insertable<NotificationDeliveriesTable>>) => Promise<{ id: string }>;
  },
): Promise<void> {
  const { message, token } = notificationMail(ctx, input);
  const mailId = await ctx.mailer.enqueue(ctx.db, message);
  await input.delivery({ status: "queued", mail_outbox_id: mailId, tracking_token: token });
}

interface NotificationMailInput {
  userId: string;
  email: string;
  organizationId: string | null;
  type: string;
  subject: string;
  body: string;
  actionPath: string | null;
  actionLabel: string;
  tracking: boolean;
}

/** The mail of a rendered notification, with its tracking token when tracked. */
function notificationMail(
  ctx: Ctx,
  input: NotificationMailInput,
): { message: MailMessage; token: string | null } {
  const base = ctx.config.publicUrl;
  const url = input.actionPath ? `${base}${input.actionPath}` : null;
  const token = input.tracking ? randomToken(24) : null;
  const paragraphs = paragraphsOf(input.body);
  const tracked = token ? `${base}/api/v1/notification-tracking/${token}` : null;
  const message: MailMessage = {
    to: input.email,
    subject: input.subject,
    text: `${paragraphs.join("\n\n")}${url ? `\n\n${url}` : ""}\n`,
    html: mailPage(
      input.subject,
      paragraphs,
      url
        ? {
            label: input.actionLabel,
            url: tracked
              ? `${tracked}/click?to=${encodeURIComponent(input.actionPath ?? "/")}`
              : url,
            shownUrl: url,
          }
        : undefined,
      tracked ? `${tracked}/open.gif` : undefined,
    ),
    template: input.type,
    userId: input.userId,
    organizationId: input.organizationId,
  };
  return { message, token };
}
