import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { done, envelope, ok, okEmpty } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { authorize, widestScope } from "../../platform/policy/engine.js";
import { ref } from "../../platform/references.js";
import { departmentSchema, teamSchema } from "./presenter.js";
import {
  addTeamMember,
  createDepartment,
  createTeam,
  deleteDepartment,
  deleteTeam,
  getDepartment,
  getTeam,
  listDepartments,
  listTeams,
  presentDepartment,
  presentTeam,
  removeTeamMember,
  type TeamRow,
  teamMembers,
  updateDepartment,
  updateTeam,
} from "./structure.js";

const org = z.object({ organizationId: z.uuid() });
const deptParams = org.extend(idParam("departmentId").shape);
const teamParams = org.extend(idParam("teamId").shape);
const teamMemberParams = teamParams.extend(idParam("userId").shape);

const departmentFields = {
  name: z.string().trim().min(1).max(200),
  code: z.string().max(30).nullable(),
  description: z.string().max(2000).nullable(),
  parentId: ref("department").nullable(),
  headUserId: ref("user").nullable(),
};
const teamFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable(),
  departmentId: ref("department").nullable(),
  managerUserId: ref("user").nullable(),
};

function teamTarget(organizationId: string, team: TeamRow) {
  return { organizationId, departmentId: team.department_id, teamIds: [team.id] };
}

/** Loads a team and checks the actor reaches it (managers only the teams they lead). */
async function reachTeam(
  ctx: Ctx,
  organizationId: string,
  teamId: string,
  ability: "teams:read" | "teams:manage",
) {
  const team = await getTeam(ctx, organizationId, teamId);
  const access = await ctx.actor.access();
  try {
    authorize(access, ability, teamTarget(organizationId, team));
  } catch (error) {
    if (ability === "teams:read") throw new AppError("NOT_FOUND", "Team not found");
    throw error;
  }
  return team;
}

/** Departments and teams: the organization's structure, used by scopes and reports. */
export async function structureRoutes(app: App): Promise<void> {
  const tags = ["Departments and teams"];

  app.get(
    "/api/v1/organizations/:organizationId/departments",
    {
      config: { access: { permission: "departments:read" } },
      schema: {
        tags,
        summary: "List departments",
        params: org,
        response: { 200: envelope(z.array(departmentSchema)) },
      },
    },
    async (request) =>
      ok(
        (await listDepartments(request.ctx, request.params.organizationId)).map(presentDepartment),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/departments/:departmentId",
    {
      config: { access: { permission: "departments:read" } },
      schema: {
        tags,
        summary: "One department",
        params: deptParams,
        response: { 200: envelope(departmentSchema) },
      },
    },
    async (request) =>
      ok(
        presentDepartment(
          await getDepartment(
            request.ctx,
            request.params.organizationId,
            request.params.departmentId,
          ),
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/departments",
    {
      config: { access: { permission: "departments:manage" } },
      schema: {
        tags,
        summary: "Create a department",
        params: org,
        body: z.object(departmentFields).partial().required({ name: true }),
        response: { 201: envelope(departmentSchema) },
      },
    },
    async (request, reply) => {
      const created = await createDepartment(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok(
        presentDepartment(
          await getDepartment(request.ctx, request.params.organizationId, created.id),
        ),
      );
    },
  );

  app.patch(
    "/api/v1/organizations/:organizationId/departments/:departmentId",
    {
      config: { access: { permission: "departments:manage" } },
      schema: {
        tags,
        summary: "Rename, describe or move a department",
        params: deptParams,
        body: z.object(departmentFields).partial().strict(),
        response: { 200: envelope(departmentSchema) },
      },
    },
    async (request) =>
      ok(
        presentDepartment(
          await updateDepartment(
            request.ctx,
            request.params.organizationId,
            request.params.departmentId,
            request.body,
          ),
        ),
      ),
  );

  app.delete(
    "/api/v1/organizations/:organizationId/departments/:departmentId",
    {
      config: { access: { permission: "departments:manage" } },
      schema: {
        tags,
        summary: "Delete a department",
        description:
          "Refused while it has sub-departments. Its members and teams stay, without a department.",
        params: deptParams,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteDepartment(
        request.ctx,
        request.params.organizationId,
        request.params.departmentId,
      );
      return done();
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/teams",
    {
      config: { access: { permission: "teams:read" } },
      schema: {
        tags,
        summary: "List teams",
        description:
          "Organization-wide readers see every team; managers the teams they lead; department readers their departments' teams.",
        params: org,
        querystring: z.object({ departmentId: ref("department").optional() }),
        response: { 200: envelope(z.array(teamSchema)) },
      },
    },
    async (request) => {
      const ctx = request.ctx;
      const organizationId = request.params.organizationId;
      const access = await ctx.actor.access();
      const scope = widestScope(access, "teams:read", organizationId);
      let teams = await listTeams(ctx, organizationId, request.query);
      if (scope !== "organization" && scope !== "all") {
        teams = teams.filter((team) => {
          try {
            authorize(access, "teams:read", teamTarget(organizationId, team));
            return true;
          } catch {
            return false;
          }
        });
      }
      return ok(teams.map((t) => presentTeam(t)));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/teams/:teamId",
    {
      config: { access: { permission: "teams:read" } },
      schema: {
        tags,
        summary: "One team with its members",
        params: teamParams,
        response: { 200: envelope(teamSchema) },
      },
    },
    async (request) => {
      const team = await reachTeam(
        request.ctx,
        request.params.organizationId,
        request.params.teamId,
        "teams:read",
      );
      return ok(presentTeam(team, await teamMembers(request.ctx, team.id)));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/teams",
    {
      config: { access: { permission: "teams:manage" } },
      schema: {
        tags,
        summary: "Create a team",
        params: org,
        body: z.object(teamFields).partial().required({ name: true }),
        response: { 201: envelope(teamSchema) },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const organizationId = request.params.organizationId;
      authorize(await ctx.actor.access(), "teams:manage", {
        organizationId,
        departmentId: request.body.departmentId ?? null,
        teamIds: [],
      });
      const team = await createTeam(ctx, organizationId, request.body);
      reply.code(201);
      return ok(presentTeam(await getTeam(ctx, organizationId, team.id), []));
    },
  );

  app.patch(
    "/api/v1/organizations/:organizationId/teams/:teamId",
    {
      config: { access: { permission: "teams:manage" } },
      schema: {
        tags,
        summary: "Rename, move or deactivate a team",
        params: teamParams,
        body: z
          .object({ ...teamFields, isActive: z.boolean() })
          .partial()
          .strict(),
        response: { 200: envelope(teamSchema) },
      },
    },
    async (request) => {
      const { organizationId, teamId } = request.params;
      const team = await reachTeam(request.ctx, organizationId, teamId, "teams:manage");
      if (request.body.departmentId) {
        authorize(await request.ctx.actor.access(), "teams:manage", {
          ...teamTarget(organizationId, team),
          departmentId: request.body.departmentId,
        });
      }
      const updated = await updateTeam(request.ctx, organizationId, teamId, request.body);
      return ok(presentTeam(updated, await teamMembers(request.ctx, teamId)));
    },
  );

  app.delete(
    "/api/v1/organizations/:organizationId/teams/:teamId",
    {
      config: { access: { permission: "teams:manage" } },
      schema: { tags, summary: "Delete a team", params: teamParams, response: { 200: okEmpty } },
    },
    async (request) => {
      await reachTeam(
        request.ctx,
        request.params.organizationId,
        request.params.teamId,
        "teams:manage",
      );
      await deleteTeam(request.ctx, request.params.organizationId, request.params.teamId);
      return done();
    },
  );

  app.put(
    "/api/v1/organizations/:organizationId/teams/:teamId/members/:userId",
    {
      config: { access: { permission: "teams:manage" } },
      schema: {
        tags,
        summary: "Add a member to a team, or change their team role",
        params: teamMemberParams,
        body: z.object({ role: z.enum(["member", "lead"]).default("member") }),
        response: { 200: envelope(teamSchema) },
      },
    },
    async (request) => {
      const { organizationId, teamId, userId } = request.params;
      await reachTeam(request.ctx, organizationId, teamId, "teams:manage");
      await addTeamMember(request.ctx, organizationId, teamId, userId, request.body.role);
      return ok(
        presentTeam(
          await getTeam(request.ctx, organizationId, teamId),
          await teamMembers(request.ctx, teamId),
        ),
      );
    },
  );

  app.delete(
    "/api/v1/organizations/:organizationId/teams/:teamId/members/:userId",
    {
      config: { access: { permission: "teams:manage" } },
      schema: {
        tags,
        summary: "Take a member out of a team",
        params: teamMemberParams,
        response: { 200: envelope(teamSchema) },
      },
    },
    async (request) => {
      const { organizationId, teamId, userId } = request.params;
      await reachTeam(request.ctx, organizationId, teamId, "teams:manage");
      await removeTeamMember(request.ctx, organizationId, teamId, userId);
      return ok(
        presentTeam(
          await getTeam(request.ctx, organizationId, teamId),
          await teamMembers(request.ctx, teamId),
        ),
      );
    },
  );
}
