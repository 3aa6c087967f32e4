import { sql } from "kysely";
import { z } from "zod";
import { audit } from "../../platform/audit/audit.js";
import { inTransaction } from "../../platform/context.js";
import { envelope, isoDateTime, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { paginate } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { NOTIFICATION_TYPES, type NotificationType, trackingEnabled } from "./notify.js";
import type { NotificationDeliveryRow } from "./schema.js";
import { TEMPLATE_PERMISSION } from "./template-admin.js";

const iso = isoDateTime;
const TYPES = Object.keys(NOTIFICATION_TYPES) as [NotificationType, ...NotificationType[]];
const CHANNELS = ["email", "in-app", "sms", "push"] as const;
const STATUSES = ["held", "queued", "sent", "failed", "bounced", "opened", "clicked"] as const;

const deliverySchema = z
  .object({
    id: z.uuid(),
    notificationId: z.uuid().nullable(),
    userId: z.uuid(),
    userName: z.string().nullable().describe("The recipient's name (null for an account gone)"),
    type: z.string(),
    channel: z.enum(CHANNELS),
    language: z.string(),
    templateId: z.uuid().nullable(),
    templateVersion: z.number().int().describe("0: the built-in text"),
    status: z.enum(STATUSES).describe("held: waiting for the person's digest"),
    reason: z.string().nullable().describe("Why it failed or bounced"),
    retries: z.number().int(),
    mailOutboxId: z.uuid().nullable(),
    queuedAt: iso(),
    sentAt: iso().nullable(),
    failedAt: iso().nullable(),
    bouncedAt: iso().nullable(),
    openedAt: iso().nullable(),
    clickedAt: iso().nullable(),
  })
  .meta({ id: "NotificationDelivery" });

function present(r: NotificationDeliveryRow & { user_name: string | null }) {
  const at = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: r.id,
    notificationId: r.notification_id,
    userId: r.user_id,
    userName: r.user_name,
    type: r.type,
    channel: r.channel,
    language: r.language,
    templateId: r.template_id,
    templateVersion: r.template_version,
    status: r.status,
    reason: r.reason,
    retries: r.retries,
    mailOutboxId: r.mail_outbox_id,
    queuedAt: r.queued_at.toISOString(),
    sentAt: at(r.sent_at),
    failedAt: at(r.failed_at),
    bouncedAt: at(r.bounced_at),
    openedAt: at(r.opened_at),
    clickedAt: at(r.clicked_at),
  };
}

const settingsSchema = z
  .object({
    trackingEnabled: z
      .boolean()
      .describe("Mails carry an open pixel and tracked links; off: no pixel and plain links"),
  })
  .meta({ id: "NotificationSettings" });

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/**
 * Where a tracked link may lead: a path of the app on its own public URL, never elsewhere
 * (an open redirect would let anyone borrow Lyceum's address for their own links).
 */
export function safeTarget(publicUrl: string, to: string | undefined): string {
  const base = new URL(publicUrl);
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.includes("\\"))
    return `${publicUrl}/`;
  try {
    const url = new URL(to, base);
    if (url.origin !== base.origin) return `${publicUrl}/`;
    return `${publicUrl}${url.pathname}${url.search}${url.hash}`;
  } catch {
    return `${publicUrl}/`;
  }
}

/** The delivery log, the tracking switch and the tracking routes of mails. */
export async function notificationDeliveryRoutes(app: App): Promise<void> {
  const tags = ["Notification delivery"];
  const org = idParam("organizationId");

  app.get(
    "/api/v1/organizations/:organizationId/notification-deliveries",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "The delivery log: every message per channel with its state, newest first",
        params: org,
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          status: z.enum(STATUSES).optional(),
          channel: z.enum(CHANNELS).optional(),
          type: z.enum(TYPES).optional(),
          userId: ref("user").optional(),
          from: iso().optional().describe("Queued at or after"),
          to: iso().optional().describe("Queued before"),
        }),
        response: { 200: listEnvelope(deliverySchema) },
      },
    },
    async (request) => {
      const query = request.query;
      // the recipient's name with each row: the log names people beyond any member list page
      let q = request.ctx.db
        .selectFrom("notification_deliveries as d")
        .leftJoin("users as u", "u.id", "d.user_id")
        .selectAll("d")
        .select(
          sql<string | null>`nullif(trim(u.first_name || ' ' || u.last_name), '')`.as("user_name"),
        )
        .where("d.organization_id", "=", request.params.organizationId);
      if (query.status) q = q.where("d.status", "=", query.status);
      if (query.channel) q = q.where("d.channel", "=", query.channel);
      if (query.type) q = q.where("d.type", "=", query.type);
      if (query.userId) q = q.where("d.user_id", "=", query.userId);
      if (query.from) q = q.where("d.queued_at", ">=", new Date(query.from));
      if (query.to) q = q.where("d.queued_at", "<", new Date(query.to));
      const { rows, pagination } = await paginate(
        q,
        query,
        { column: "d.created_at", direction: "desc" },
        "d.id",
      );
      return okList(rows.map(present), pagination);
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/notification-settings",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "An organization's notification settings",
        params: org,
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) =>
      ok({ trackingEnabled: await trackingEnabled(request.ctx, request.params.organizationId) }),
  );

  app.put(
    "/api/v1/organizations/:organizationId/notification-settings",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "Change an organization's notification settings",
        params: org,
        body: settingsSchema.strict(),
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) => {
      const organizationId = request.params.organizationId;
      await inTransaction(request.ctx, async (tx) => {
        const before = await trackingEnabled(tx, organizationId);
        const now = tx.clock.now();
        await tx.db
          .insertInto("notification_settings")
          .values({
            organization_id: organizationId,
            tracking_enabled: request.body.trackingEnabled,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc.column("organization_id").doUpdateSet({
              tracking_enabled: request.body.trackingEnabled,
              updated_at: now,
            }),
          )
          .execute();
        await audit(tx, {
          organizationId,
          action: "notification-settings.update",
          entityType: "organization",
          entityId: organizationId,
          before: { tracking_enabled: before },
          after: { tracking_enabled: request.body.trackingEnabled },
        });
      });
      return ok({ trackingEnabled: request.body.trackingEnabled });
    },
  );

  const token = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

  app.get(
    "/api/v1/notification-tracking/:token/open.gif",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "The open pixel of a tracked mail",
        params: token,
        produces: ["image/gif"],
      },
    },
    async (request, reply) => {
      const now = request.ctx.clock.now();
      await request.ctx.db
        .updateTable("notification_deliveries")
        .set({
          opened_at: sql`coalesce(opened_at, ${now})`,
          status: sql`case when status in ('queued', 'sent') then 'opened' else status end`,
          updated_at: now,
        })
        .where("tracking_token", "=", request.params.token)
        .execute();
      reply.header("cache-control", "no-store").type("image/gif");
      return reply.send(PIXEL);
    },
  );

  app.get(
    "/api/v1/notification-tracking/:token/click",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "A tracked link of a mail: records the click, then leads to the app's page",
        description:
          "`to` is a path of the app; anything else (another host, a protocol-relative URL) leads to the app's start page.",
        params: token,
        querystring: z.object({ to: z.string().max(2000).optional() }),
        redirect: "Leads to the app's page the link names (or its start page)",
      },
    },
    async (request, reply) => {
      const now = request.ctx.clock.now();
      await request.ctx.db
        .updateTable("notification_deliveries")
        .set({
          opened_at: sql`coalesce(opened_at, ${now})`,
          clicked_at: sql`coalesce(clicked_at, ${now})`,
          status: sql`case when status in ('queued', 'sent', 'opened') then 'clicked' else status end`,
          updated_at: now,
        })
        .where("tracking_token", "=", request.params.token)
        .execute();
      return reply
        .header("cache-control", "no-store")
        .redirect(safeTarget(request.ctx.config.publicUrl, request.query.to), 302);
    },
  );
}
