import { z } from "zod";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { apiKeyRoutes } from "./api-key-routes.js";
import { CAPABILITIES, PERMISSIONS } from "./catalog.js";
import { assignmentSchema, presentAssignment, presentRole, roleSchema } from "./presenter.js";
import { createAssignment, deleteAssignment, listAssignments } from "./role-assignments.js";
import {
  createRole,
  deleteRole,
  getRole,
  listRoles,
  replaceRolePermissions,
  resetRole,
  updateRole,
} from "./roles.js";

const org = z.object({ organizationId: z.uuid() });
const orgAnd = <K extends string>(name: K) => org.extend(idParam(name).shape);
const roleKey = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "lowercase words joined by hyphens, e.g. safety-lead")
  .max(60);
const dataAccessLevel = z.enum(["organization", "department", "team", "own", "none"]);
const permissionList = z.array(z.string().max(120)).max(500);

/** The permission catalog, roles as editable permission sets, and who holds which role. */
export async function accessRoutes(app: App): Promise<void> {
  const tags = ["Roles and permissions"];

  app.get(
    "/api/v1/permissions",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "The permission catalog",
        description:
          "Every permission key (`resource:action:scope`) a role can hold, grouped by capability.",
        response: {
          200: envelope(
            z.object({
              scopes: z.array(z.string()),
              capabilities: z.array(
                z.object({
                  resource: z.string(),
                  action: z.string(),
                  description: z.string(),
                  scopes: z.array(z.string()),
                }),
              ),
              permissions: z.array(
                z.object({
                  key: z.string(),
                  resource: z.string(),
                  action: z.string(),
                  scope: z.string(),
                  description: z.string(),
                }),
              ),
            }),
          ),
        },
      },
    },
    async () =>
      ok({
        scopes: ["own", "assigned", "team", "department", "organization", "all"],
        capabilities: CAPABILITIES.map((c) => ({ ...c, scopes: [...c.scopes] })),
        permissions: PERMISSIONS.map((p) => ({ ...p })),
      }),
  );

  app.get(
    "/api/v1/organizations/:organizationId/roles",
    {
      config: { access: { permission: "roles:read" } },
      schema: {
        tags,
        summary: "List the organization's roles",
        params: org,
        response: { 200: envelope(z.array(roleSchema)) },
      },
    },
    async (request) =>
      ok((await listRoles(request.ctx, request.params.organizationId)).map(presentRole)),
  );

  app.get(
    "/api/v1/organizations/:organizationId/roles/:roleId",
    {
      config: { access: { permission: "roles:read" } },
      schema: {
        tags,
        summary: "One role with its permissions",
        params: orgAnd("roleId"),
        response: { 200: envelope(roleSchema) },
      },
    },
    async (request) =>
      ok(
        presentRole(
          await getRole(request.ctx, request.params.organizationId, request.params.roleId),
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/roles",
    {
      config: { access: { permission: "roles:manage" } },
      schema: {
        tags,
        summary: "Create a custom role",
        description:
          "Permissions must exist in the catalog, may not be platform-wide (`all`), and must be held by you.",
        params: org,
        body: z.object({
          key: roleKey,
          name: z.string().trim().min(1).max(200),
          description: z.string().max(2000).nullable().optional(),
          dataAccessLevel: dataAccessLevel.optional(),
          priority: z.number().int().min(0).max(999).optional(),
          permissions: permissionList.default([]),
        }),
        response: { 201: envelope(roleSchema) },
      },
    },
    async (request, reply) => {
      const role = await createRole(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(presentRole(role));
    },
  );

  app.patch(
    "/api/v1/organizations/:organizationId/roles/:roleId",
    {
      config: { access: { permission: "roles:manage" } },
      schema: {
        tags,
        summary: "Rename or describe a role",
        params: orgAnd("roleId"),
        body: z
          .object({
            name: z.string().trim().min(1).max(200),
            description: z.string().max(2000).nullable(),
            dataAccessLevel,
            priority: z.number().int().min(0).max(999),
          })
          .partial()
          .strict(),
        response: { 200: envelope(roleSchema) },
      },
    },
    async (request) =>
      ok(
        presentRole(
          await updateRole(
            request.ctx,
            request.params.organizationId,
            request.params.roleId as string,
            request.body,
          ),
        ),
      ),
  );

  app.put(
    "/api/v1/organizations/:organizationId/roles/:roleId/permissions",
    {
      config: { access: { permission: "roles:manage" } },
      schema: {
        tags,
        summary: "Replace a role's permissions",
        description:
          "Refused with 422 ADMIN_LOCKOUT when nobody would be left able to manage roles, and with 403 when it adds permissions you do not hold.",
        params: orgAnd("roleId"),
        body: z.object({ permissions: permissionList }),
        response: { 200: envelope(roleSchema) },
      },
    },
    async (request) =>
      ok(
        presentRole(
          await replaceRolePermissions(
            request.ctx,
            request.params.organizationId,
            request.params.roleId as string,
            request.body.permissions,
          ),
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/roles/:roleId/reset",
    {
      config: { access: { permission: "roles:manage" } },
      schema: {
        tags,
        summary: "Reset a built-in role to its defaults",
        params: orgAnd("roleId"),
        response: { 200: envelope(roleSchema) },
      },
    },
    async (request) =>
      ok(
        presentRole(
          await resetRole(request.ctx, request.params.organizationId, request.params.roleId),
        ),
      ),
  );

  app.delete(
    "/api/v1/organizations/:organizationId/roles/:roleId",
    {
      config: { access: { permission: "roles:manage" } },
      schema: {
        tags,
        summary: "Delete a custom role",
        description:
          "Built-in roles answer 422 SYSTEM_ROLE_PROTECTED. Everyone holding the role loses it.",
        params: orgAnd("roleId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteRole(request.ctx, request.params.organizationId, request.params.roleId);
      return done();
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/role-assignments",
    {
      config: { access: { permission: "roles:read" } },
      schema: {
        tags,
        summary: "Who holds which role",
        params: org,
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          userId: ref("user").optional(),
          roleKey: z.string().max(60).optional(),
        }),
        response: { 200: listEnvelope(assignmentSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listAssignments(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      const now = request.ctx.clock.now();
      return okList(
        rows.map((r) => presentAssignment(r, now)),
        pagination,
      );
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/role-assignments",
    {
      config: { access: { permission: "roles:assign" } },
      schema: {
        tags,
        summary: "Give a member a role",
        description:
          "Optionally limited to one department or team, and with an expiry. Assigning a role someone holds updates its limits. " +
          "You must reach the person (e.g. a department administrator only their department) and hold every permission of the role.",
        params: org,
        body: z.object({
          userId: ref("user"),
          roleKey,
          departmentId: ref("department").nullable().optional(),
          teamId: ref("team").nullable().optional(),
          expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
        }),
        response: { 201: envelope(assignmentSchema) },
      },
    },
    async (request, reply) => {
      const id = await createAssignment(request.ctx, request.params.organizationId, request.body);
      const { rows } = await listAssignments(request.ctx, request.params.organizationId, {
        page: 1,
        limit: 100,
        userId: request.body.userId,
        roleKey: request.body.roleKey,
      });
      const row = rows.find((r) => r.id === id);
      reply.code(201);
      return ok(presentAssignment(row as (typeof rows)[number], request.ctx.clock.now()));
    },
  );

  app.delete(
    "/api/v1/organizations/:organizationId/role-assignments/:assignmentId",
    {
      config: { access: { permission: "roles:assign" } },
      schema: {
        tags,
        summary: "Take a role away",
        description:
          "Refused with 422 ADMIN_LOCKOUT when it would leave the organization without an administrator.",
        params: orgAnd("assignmentId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteAssignment(
        request.ctx,
        request.params.organizationId,
        request.params.assignmentId,
      );
      return done();
    },
  );

  await apiKeyRoutes(app);
}
