import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { pageQuery } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { restrictedPeople } from "../access/learner-privacy.js";
import {
  addOrInviteMember,
  getMember,
  listMembers,
  MEMBER_SORTS,
  removeMember,
  updateMember,
} from "./members.js";
import {
  inviteSchema,
  type MemberView,
  memberSchema,
  presentInvite,
  presentMember,
} from "./presenter.js";

const org = z.object({ organizationId: z.uuid() });
const memberParams = org.extend(idParam("userId").shape);

/** Members as answered, each saying whether their processing is restricted (one query). */
async function presentMembers(ctx: Ctx, organizationId: string, members: MemberView[]) {
  const restricted = await restrictedPeople(
    ctx,
    members.map((m) => m.user_id),
    organizationId,
  );
  return members.map((m) => presentMember(m, restricted));
}

async function presentOneMember(ctx: Ctx, organizationId: string, member: MemberView) {
  return presentMember(member, await restrictedPeople(ctx, [member.user_id], organizationId));
}

/** Members of an organization, seen and managed within the actor's scope. */
export async function memberRoutes(app: App): Promise<void> {
  const tags = ["Members"];

  app.get(
    "/api/v1/organizations/:organizationId/members",
    {
      config: { access: { permission: "members:read" } },
      schema: {
        tags,
        summary: "List members",
        description:
          "Everyone for organization-wide readers; department administrators see their departments, managers the teams they lead, others themselves.",
        params: org,
        querystring: pageQuery(MEMBER_SORTS, { sort: "lastName" }).extend({
          status: z.enum(["active", "suspended"]).optional(),
          departmentId: ref("department").optional(),
          teamId: ref("team").optional(),
          role: z.string().max(60).optional(),
          search: z.string().trim().min(1).max(200).optional().describe("Matches name or email"),
        }),
        response: { 200: listEnvelope(memberSchema) },
      },
    },
    async (request) => {
      const { members, pagination } = await listMembers(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      return okList(
        await presentMembers(request.ctx, request.params.organizationId, members),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/members/:userId",
    {
      config: { access: { permission: "members:read" } },
      schema: {
        tags,
        summary: "One member",
        params: memberParams,
        response: { 200: envelope(memberSchema) },
      },
    },
    async (request) => {
      const member = await getMember(
        request.ctx,
        request.params.organizationId,
        request.params.userId,
      );
      await request.ctx.events.emit(request.ctx, "personal-data.read", {
        organizationId: request.params.organizationId,
        subjectUserIds: [request.params.userId],
        what: "member-profile",
      });
      return ok(await presentOneMember(request.ctx, request.params.organizationId, member));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/members",
    {
      config: { access: { permission: "members:manage" } },
      schema: {
        tags,
        summary: "Add someone as a member, with their consent",
        description:
          "Nobody joins an organization without agreeing to: this mails the address an invitation " +
          "(or answers with the one already pending) and answers `202` with it; the person joins, " +
          "taking a seat, when they accept. The answer is the same whether or not the address has an " +
          "account. Two exceptions add an existing account at once (`201` with the member): the platform " +
          "administrator (the only one who may also name the account by `userId`), and an address at one " +
          "of the organization's verified domains whose account has verified it — so inside its own " +
          "verified domains an organization learns which addresses have accounts. The invitation carries " +
          "the roles, department, title and employee id sent here.",
        params: org,
        body: z
          .object({
            userId: z.uuid().optional().describe("Platform administrators only"),
            email: z.email().max(255).optional(),
            roleKeys: z.array(z.string().max(60)).max(20).optional(),
            departmentId: ref("department").nullable().optional(),
            title: z.string().max(200).nullable().optional(),
            employeeId: z.string().max(100).nullable().optional(),
            hireDate: z.iso
              .date()
              .nullable()
              .optional()
              .describe("Kept when the person is added at once"),
            location: z
              .string()
              .max(200)
              .nullable()
              .optional()
              .describe("Kept when the person is added at once"),
          })
          .refine((b) => !!b.userId !== !!b.email, {
            message: "send either userId or email",
            path: ["userId"],
          }),
        response: {
          201: envelope(memberSchema),
          202: envelope(z.object({ invite: inviteSchema })),
        },
      },
    },
    async (request, reply) => {
      const result = await addOrInviteMember(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      if (result.outcome === "added") {
        reply.code(201);
        return ok(
          await presentOneMember(request.ctx, request.params.organizationId, result.member),
        );
      }
      reply.code(202);
      return ok({ invite: presentInvite(result.invite, request.ctx.clock.now()) });
    },
  );

  app.patch(
    "/api/v1/organizations/:organizationId/members/:userId",
    {
      config: { access: { permission: "members:manage" } },
      schema: {
        tags,
        summary: "Change a member's department, title, manager or status",
        description:
          "Suspending a membership removes that organization's permissions at once; the last administrator cannot be suspended.",
        params: memberParams,
        body: z
          .object({
            departmentId: ref("department").nullable(),
            title: z.string().max(200).nullable(),
            employeeId: z.string().max(100).nullable(),
            managerUserId: ref("user").nullable(),
            hireDate: z.iso.date().nullable(),
            location: z.string().max(200).nullable(),
            status: z.enum(["active", "suspended"]),
          })
          .partial()
          .strict(),
        response: { 200: envelope(memberSchema) },
      },
    },
    async (request) => {
      const member = await updateMember(
        request.ctx,
        request.params.organizationId,
        request.params.userId,
        request.body,
      );
      return ok(await presentOneMember(request.ctx, request.params.organizationId, member));
    },
  );

  app.delete(
    "/api/v1/organizations/:organizationId/members/:userId",
    {
      config: { access: { permission: "members:manage" } },
      schema: {
        tags,
        summary: "Remove a member",
        description:
          "Their roles and team places in the organization go too, and the seat is freed. The account itself stays.",
        params: memberParams,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeMember(request.ctx, request.params.organizationId, request.params.userId);
      return done();
    },
  );
}
