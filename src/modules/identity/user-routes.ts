import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { systemLog } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { envelope, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { pageQuery } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { can, permissionKeys, type Target } from "../../platform/policy/engine.js";
import { ref } from "../../platform/references.js";
import type { MembershipLookup } from "./memberships.js";
import { presentUser, userSchema } from "./presenter.js";
import { AVATAR_MAX_BYTES, readAvatar, removeAvatar, setAvatar, updateProfile } from "./profile.js";
import { listUsers, setUserStatus, USER_SORTS } from "./users.js";

const membershipSchema = z.object({
  organization: z.object({ id: z.uuid(), name: z.string(), slug: z.string(), status: z.string() }),
  status: z.enum(["active", "suspended"]),
  title: z.string().nullable(),
  department: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  teams: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(["member", "lead"]) })),
  roles: z.array(z.string()),
  permissions: z.array(z.string()).describe("Permission keys held in this organization"),
  joinedAt: z.iso.datetime(),
});

const meSchema = z.object({
  user: userSchema,
  platformRoles: z.array(z.string()),
  platformPermissions: z
    .array(z.string())
    .describe("Permission keys held outside any organization"),
  memberships: z.array(membershipSchema),
  unreadNotifications: z.number().int(),
  storageBytes: z.number().int().describe("Bytes of files this person uploaded"),
});

const profileBody = z
  .object({
    email: z
      .email()
      .max(255)
      .describe("A new address takes effect once confirmed through the link mailed to it"),
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    displayName: z.string().trim().max(200).nullable(),
    bio: z.string().max(5000).nullable(),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{6,20}$/, "a phone number such as +44 20 7946 0958")
      .nullable(),
    dateOfBirth: z.iso.date().nullable(),
    gender: z.string().max(20).nullable(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code such as GB")
      .nullable(),
    timezone: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Paris"),
    preferredLanguage: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, "a language tag such as en or pt-BR"),
  })
  .partial()
  .strict();

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function me(request: FastifyRequest) {
  if (request.actor.kind !== "user") throw new AppError("UNAUTHENTICATED", "Sign in first");
  return request.actor;
}

/** Counters shown with one's profile, computed in the profile's own statement. */
const platformRoles = sql<string[]>`coalesce((
  select json_agg(r.key order by r.key) from user_roles ur join roles r on r.id = ur.role_id
  where ur.user_id = u.id and ur.organization_id is null), '[]')`;
const unreadCount = sql<number>`(
  select count(*) from notifications where user_id = u.id and read_at is null)`;
const storageBytes = sql<number>`(
  select coalesce(sum(file_size), 0) from file_uploads where uploaded_by = u.id and deleted_at is null)`;

async function loadMe(ctx: Ctx, userId: string, membershipsOf: MembershipLookup) {
  const [row, access] = await Promise.all([
    ctx.db
      .selectFrom("users as u")
      .selectAll("u")
      .select([
        platformRoles.as("platform_roles"),
        unreadCount.as("unread"),
        storageBytes.as("storage"),
        membershipsOf.json(sql.ref("u.id")).as("memberships"),
      ])
      .where("u.id", "=", userId)
      .executeTakeFirstOrThrow(),
    ctx.actor.access(),
  ]);
  const { platform_roles, unread, storage, memberships: membershipJson, ...user } = row;
  const memberships = membershipsOf.fromJson(membershipJson);
  return {
    user: presentUser(user),
    platformRoles: platform_roles,
    platformPermissions: permissionKeys(access, null),
    memberships: memberships.map((m) => ({
      ...m,
      joinedAt: m.joinedAt.toISOString(),
      permissions: permissionKeys(access, m.organization.id),
    })),
    unreadNotifications: Number(unread),
    storageBytes: Number(storage),
  };
}

/**
 * Profiles: one's own (seed 002 §User Management), and the platform's people for admins.
 * `membershipsOf` answers which organizations someone belongs to (the organizations module's
 * lookup, passed in so identity does not import a module above it).
 */
export function userRoutes(membershipsOf: MembershipLookup): (app: App) => Promise<void> {
  return (app) => registerUserRoutes(app, membershipsOf);
}

async function registerUserRoutes(app: App, membershipsOf: MembershipLookup): Promise<void> {
  const tags = ["Users"];

  app.get(
    "/api/v1/users/me",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My profile, memberships, roles and permissions",
        response: { 200: envelope(meSchema) },
      },
    },
    async (request) => ok(await loadMe(request.ctx, me(request).userId, membershipsOf)),
  );

  for (const method of ["put", "patch"] as const) {
    app[method](
      "/api/v1/users/me",
      {
        config: { access: { user: true } },
        schema: {
          tags,
          summary: method === "put" ? "Update my profile" : "Update my profile (partial)",
          description:
            "Send only the fields to change. Changing `email` mails a confirmation link to the new address; " +
            "until it is confirmed the old address stays in use and the new one shows as `pendingEmail`.",
          body: profileBody,
          response: { 200: envelope(meSchema) },
        },
      },
      async (request) => {
        const actor = me(request);
        await updateProfile(request.ctx, actor.userId, request.body);
        return ok(await loadMe(request.ctx, actor.userId, membershipsOf));
      },
    );
  }

  app.post(
    "/api/v1/users/me/avatar",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Upload my avatar",
        description: `multipart/form-data with one \`file\` part: a JPEG, PNG or WebP image of at most ${AVATAR_MAX_BYTES / 1024 / 1024} MB. It is cropped to a square and stored as 200×200 and 50×50 WebP.`,
        consumes: ["multipart/form-data"],
        response: { 200: envelope(z.object({ user: userSchema })) },
      },
    },
    async (request) => {
      const actor = me(request);
      if (!request.isMultipart()) {
        throw new AppError(
          "UNSUPPORTED_MEDIA_TYPE",
          "Send the image as multipart/form-data in a 'file' field",
        );
      }
      const file = await request.file();
      if (!file || file.fieldname !== "file") {
        throw new AppError("VALIDATION_ERROR", "Send the image in a 'file' field", {
          field: "file",
        });
      }
      const body = await file.toBuffer();
      const user = await setAvatar(request.ctx, actor.userId, {
        fileName: file.filename,
        mimeType: file.mimetype,
        body,
      });
      return ok({ user: presentUser(user) });
    },
  );

  app.delete(
    "/api/v1/users/me/avatar",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Remove my avatar",
        response: { 200: envelope(z.object({ user: userSchema })) },
      },
    },
    async (request) =>
      ok({ user: presentUser(await removeAvatar(request.ctx, me(request).userId)) }),
  );

  app.get(
    "/api/v1/files/avatars/:fileId",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "An avatar image",
        description:
          "Public, like a profile picture on any site. `size` is 200 (default) or 50 pixels.",
        params: idParam("fileId"),
        querystring: z.object({ size: z.enum(["200", "50"]).default("200") }),
        produces: ["image/webp"],
      },
    },
    async (request, reply) => {
      const bytes = await readAvatar(
        request.ctx,
        request.params.fileId as string,
        Number(request.query.size) as 200 | 50,
      );
      if (!bytes) throw new AppError("NOT_FOUND", "Avatar not found");
      reply.header("cache-control", "public, max-age=86400, immutable").type("image/webp");
      return reply.send(bytes);
    },
  );

  const listItem = userSchema.extend({
    organizations: z.array(z.object({ id: z.uuid(), name: z.string() })),
    roles: z.array(z.string()),
    loginCount: z.number().int(),
  });

  app.get(
    "/api/v1/users",
    {
      config: { access: { permission: "users:read", platform: true } },
      schema: {
        tags,
        summary: "List all people (platform administrators)",
        description:
          "Organization administrators list their own people with `GET /organizations/{id}/members`.",
        querystring: pageQuery(USER_SORTS, { sort: "-createdAt" }).extend({
          search: z.string().trim().min(1).max(200).optional().describe("Matches name or email"),
          status: z.enum(["active", "suspended", "deactivated"]).optional(),
          organizationId: ref("organization").optional(),
          role: z.string().max(100).optional().describe("A role key such as org-admin"),
          emailVerified: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional(),
          createdFrom: z.iso.datetime({ offset: true }).optional(),
          createdTo: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 200: listEnvelope(listItem) },
      },
    },
    async (request) => {
      const { items, pagination } = await listUsers(request.ctx, request.query);
      await systemLog(request.ctx, {
        event: "admin.users-listed",
        userId: request.actor.kind === "user" ? request.actor.userId : null,
        metadata: { filters: request.query, returned: items.length },
      });
      return okList(
        items.map((i) => ({
          ...presentUser(i.user),
          organizations: i.organizations,
          roles: i.roles,
          loginCount: i.user.login_count,
        })),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/users/:userId",
    {
      config: { access: { permission: "users:read" } },
      schema: {
        tags,
        summary: "One person's profile",
        description:
          "Visible to the person, to platform administrators, and to those who may read people in an organization the person belongs to.",
        params: idParam("userId"),
        response: { 200: envelope(z.object({ user: userSchema })) },
      },
    },
    async (request) => {
      const userId = request.params.userId as string;
      const ctx = request.ctx;
      const user = await ctx.db
        .selectFrom("users")
        .selectAll()
        .where("id", "=", userId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (!user || !(await mayReadUser(ctx, userId)))
        throw new AppError("NOT_FOUND", "User not found");
      return ok({ user: presentUser(user) });
    },
  );

  app.patch(
    "/api/v1/users/:userId/status",
    {
      config: { access: { permission: "users:suspend", platform: true } },
      schema: {
        tags,
        summary: "Suspend or reactivate an account (platform administrators)",
        description:
          "Suspension signs the person out of every session. Organization administrators suspend memberships instead.",
        params: idParam("userId"),
        body: z.object({
          status: z.enum(["active", "suspended"]),
          reason: z.string().max(500).nullable().default(null),
        }),
        response: { 200: envelope(z.object({ user: userSchema })) },
      },
    },
    async (request) => {
      const user = await setUserStatus(
        request.ctx,
        request.params.userId as string,
        request.body.status,
        request.body.reason,
      );
      return ok({ user: presentUser(user) });
    },
  );
}

/** Whether the actor may see a person: through any organization they share, or as themselves. */
export async function mayReadUser(ctx: Ctx, userId: string): Promise<boolean> {
  const access = await ctx.actor.access();
  if (can(access, "users:read", { organizationId: null, ownerId: userId })) return true;
  const memberships = await ctx.db
    .selectFrom("organization_members as m")
    .leftJoin("team_members as tm", (j) =>
      j.onRef("tm.user_id", "=", "m.user_id").onRef("tm.organization_id", "=", "m.organization_id"),
    )
    .select(["m.organization_id", "m.department_id", "tm.team_id"])
    .where("m.user_id", "=", userId)
    .execute();
  const byOrg = new Map<string, Target>();
  for (const m of memberships) {
    const target = byOrg.get(m.organization_id) ?? {
      organizationId: m.organization_id,
      ownerId: userId,
      departmentId: m.department_id,
      teamIds: [],
    };
    if (m.team_id) (target.teamIds as string[]).push(m.team_id);
    byOrg.set(m.organization_id, target);
  }
  return [...byOrg.values()].some(
    (t) => can(access, "users:read", t) || can(access, "members:read", t),
  );
}
