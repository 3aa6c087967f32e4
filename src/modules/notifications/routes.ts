import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import {
  done,
  envelope,
  isoDateTime,
  listEnvelope,
  ok,
  okEmpty,
  okList,
} from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { notificationDeliveryRoutes } from "./delivery-routes.js";
import { NOTIFICATION_TYPES, type NotificationType } from "./notify.js";
import type { ChannelChoice, NotificationRow } from "./schema.js";
import { notificationTemplateRoutes } from "./template-routes.js";

const iso = isoDateTime;
const TYPES = Object.keys(NOTIFICATION_TYPES) as [NotificationType, ...NotificationType[]];

const notificationSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    priority: z.enum(["low", "normal", "high", "urgent"]),
    actionUrl: z.string().nullable(),
    organizationId: z.uuid().nullable(),
    readAt: iso().nullable(),
    clickedAt: iso().nullable(),
    expiresAt: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "Notification" });

function present(n: NotificationRow) {
  return {
    id: n.id,
    type: n.type,
    title: n.title,
    body: n.body,
    data: n.data,
    priority: n.priority,
    actionUrl: n.action_url,
    organizationId: n.organization_id,
    readAt: n.read_at?.toISOString() ?? null,
    clickedAt: n.clicked_at?.toISOString() ?? null,
    expiresAt: n.expires_at?.toISOString() ?? null,
    createdAt: n.created_at.toISOString(),
  };
}

const DIGESTS = ["immediate", "daily", "weekly"] as const;
const channelSchema = z.object({
  email: z.boolean(),
  inApp: z.boolean(),
  sms: z.boolean(),
  push: z.boolean(),
  digest: z.enum(DIGESTS).describe("How this kind's mail arrives; the overall choice unless set"),
});
const preferencesSchema = z
  .object({
    emailEnabled: z.boolean(),
    inAppEnabled: z.boolean(),
    digest: z
      .enum(DIGESTS)
      .describe("Mail at once, or one summary a day or a week (kinds may differ)"),
    types: z.record(
      z.string(),
      channelSchema.extend({ description: z.string(), emailByDefault: z.boolean() }),
    ),
  })
  .meta({ id: "NotificationPreferences" });

/** A person's own notifications; expired ones are hidden. */
function mine(request: FastifyRequest, userId: string) {
  const now = request.ctx.clock.now();
  return request.ctx.db
    .selectFrom("notifications")
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]));
}

async function preferencesOf(request: FastifyRequest, userId: string) {
  const row = await request.ctx.db
    .selectFrom("notification_preferences")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
  const chosen: Record<string, ChannelChoice> = row?.preferences ?? {};
  return {
    emailEnabled: row?.email_enabled ?? true,
    inAppEnabled: row?.in_app_enabled ?? true,
    digest: row?.digest ?? "immediate",
    types: Object.fromEntries(
      TYPES.map((type) => [
        type,
        {
          description: NOTIFICATION_TYPES[type].description,
          emailByDefault: NOTIFICATION_TYPES[type].email,
          email: chosen[type]?.email ?? NOTIFICATION_TYPES[type].email,
          inApp: chosen[type]?.inApp ?? true,
          sms: chosen[type]?.sms ?? false,
          push: chosen[type]?.push ?? false,
          digest: chosen[type]?.digest ?? row?.digest ?? "immediate",
        },
      ]),
    ),
  };
}

/** In-app notifications and their preferences (seed 002 notifications, notification_preferences). */
export async function notificationRoutes(app: App): Promise<void> {
  const tags = ["Notifications"];

  app.get(
    "/api/v1/notifications",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My notifications, newest first",
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          unread: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional()
            .describe("true: only unread; false: only read"),
          type: z.enum(TYPES).optional(),
        }),
        response: { 200: listEnvelope(notificationSchema) },
      },
    },
    async (request) => {
      const userId = signedInUserId(request.actor);
      let q = mine(request, userId).selectAll();
      if (request.query.unread !== undefined)
        q = q.where("read_at", request.query.unread ? "is" : "is not", null);
      if (request.query.type) q = q.where("type", "=", request.query.type);
      const { rows, pagination } = await paginate(
        q,
        request.query,
        { column: "created_at", direction: "desc" },
        "id",
      );
      return okList(rows.map(present), pagination);
    },
  );

  app.get(
    "/api/v1/notifications/unread-count",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "How many of my notifications are unread",
        response: { 200: envelope(z.object({ unread: z.number().int() })) },
      },
    },
    async (request) => {
      const row = await mine(request, signedInUserId(request.actor))
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("read_at", "is", null)
        .executeTakeFirstOrThrow();
      return ok({ unread: Number(row.n) });
    },
  );

  app.post(
    "/api/v1/notifications/:notificationId/read",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Mark a notification read (clicked: it was opened through its link)",
        params: idParam("notificationId"),
        body: z.object({ clicked: z.boolean().default(false) }).default({ clicked: false }),
        response: { 200: envelope(notificationSchema) },
      },
    },
    async (request) => {
      const now = request.ctx.clock.now();
      const row = await request.ctx.db
        .updateTable("notifications")
        .set({
          read_at: sql`coalesce(read_at, ${now})`,
          ...(request.body.clicked ? { clicked_at: sql`coalesce(clicked_at, ${now})` } : {}),
        })
        .where("id", "=", request.params.notificationId)
        .where("user_id", "=", signedInUserId(request.actor))
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new AppError("NOT_FOUND", "Notification not found");
      return ok(present(row));
    },
  );

  app.post(
    "/api/v1/notifications/read-all",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Mark all my notifications read",
        body: z.object({ type: z.enum(TYPES).optional() }).default({}),
        response: { 200: envelope(z.object({ marked: z.number().int() })) },
      },
    },
    async (request) => {
      let q = request.ctx.db
        .updateTable("notifications")
        .set({ read_at: request.ctx.clock.now() })
        .where("user_id", "=", signedInUserId(request.actor))
        .where("read_at", "is", null);
      if (request.body.type) q = q.where("type", "=", request.body.type);
      const result = await q.executeTakeFirst();
      return ok({ marked: Number(result.numUpdatedRows) });
    },
  );

  app.delete(
    "/api/v1/notifications/:notificationId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Dismiss a notification",
        params: idParam("notificationId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      const result = await request.ctx.db
        .deleteFrom("notifications")
        .where("id", "=", request.params.notificationId)
        .where("user_id", "=", signedInUserId(request.actor))
        .executeTakeFirst();
      if (!result.numDeletedRows) throw new AppError("NOT_FOUND", "Notification not found");
      return done();
    },
  );

  app.get(
    "/api/v1/notifications/preferences",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My notification preferences, per kind",
        response: { 200: envelope(preferencesSchema) },
      },
    },
    async (request) => ok(await preferencesOf(request, signedInUserId(request.actor))),
  );

  app.put(
    "/api/v1/notifications/preferences",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Change my notification preferences",
        description:
          "`emailEnabled: false` stops all notification mail (account and security mail still arrive); `types` overrides single kinds. Kinds left out keep their current choice.",
        body: z
          .object({
            emailEnabled: z.boolean().optional(),
            inAppEnabled: z.boolean().optional(),
            digest: z.enum(DIGESTS).optional(),
            types: z
              .partialRecord(
                z.enum(TYPES),
                z.object({
                  email: z.boolean().optional(),
                  inApp: z.boolean().optional(),
                  sms: z.boolean().optional(),
                  push: z.boolean().optional(),
                  digest: z.enum(DIGESTS).optional(),
                }),
              )
              .optional(),
          })
          .strict(),
        response: { 200: envelope(preferencesSchema) },
      },
    },
    async (request) => {
      const userId = signedInUserId(request.actor);
      const ctx = request.ctx;
      const now = ctx.clock.now();
      const current = await ctx.db
        .selectFrom("notification_preferences")
        .selectAll()
        .where("user_id", "=", userId)
        .executeTakeFirst();
      const merged: Record<string, ChannelChoice> = { ...(current?.preferences ?? {}) };
      for (const [type, choice] of Object.entries(request.body.types ?? {})) {
        merged[type] = { ...merged[type], ...choice };
      }
      await ctx.db
        .insertInto("notification_preferences")
        .values({
          user_id: userId,
          email_enabled: request.body.emailEnabled ?? current?.email_enabled ?? true,
          in_app_enabled: request.body.inAppEnabled ?? current?.in_app_enabled ?? true,
          digest: request.body.digest ?? current?.digest ?? "immediate",
          preferences: JSON.stringify(merged),
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column("user_id").doUpdateSet((eb) => ({
            email_enabled: eb.ref("excluded.email_enabled"),
            in_app_enabled: eb.ref("excluded.in_app_enabled"),
            digest: eb.ref("excluded.digest"),
            preferences: eb.ref("excluded.preferences"),
          })),
        )
        .execute();
      return ok(await preferencesOf(request, userId));
    },
  );
  await notificationTemplateRoutes(app);
  await notificationDeliveryRoutes(app);
}
