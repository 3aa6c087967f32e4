import { z } from "zod";
import { envelope, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { presentUser, userSchema } from "../identity/presenter.js";
import { inviteMany, MAX_BATCH_INVITES } from "./invite-batch.js";
import {
  acceptInvite,
  acceptInviteAsNewUser,
  createInvite,
  declineInvite,
  listInvites,
  lookupInvite,
  resendInvite,
  revokeInvite,
} from "./invites.js";
import { inviteSchema, inviteStatusSchema, presentInvite } from "./presenter.js";

const org = z.object({ organizationId: z.uuid() });
const inviteParams = org.extend(idParam("inviteId").shape);
const token = z.string().min(20).max(200);
// The link itself goes only to the invited address: whoever holds it may accept, and what it
// opens tells whether the address has an account.
const sent = z.object({ invite: inviteSchema });

/** One invitation's fields, as `POST …/invites` and each row of a batch take them. */
const inviteFields = {
  email: z.email().max(255),
  roleKey: z.string().max(60).default("learner"),
  departmentId: ref("department").nullable().optional(),
  teamId: ref("team").nullable().optional(),
  message: z.string().max(1000).nullable().optional(),
};

const batchOutcome = z
  .object({
    row: z.number().int().meta({ description: "The row's index in `invites` (0-based)" }),
    email: z.string(),
    status: z.enum(["invited", "failed"]),
    invite: inviteSchema.nullable(),
    error: z
      .object({ code: z.string(), message: z.string(), field: z.string().nullable() })
      .nullable()
      .meta({ description: "Why the row was refused, as the single invitation would answer" }),
  })
  .meta({ id: "InviteBatchOutcome" });

/** Invitations (seed 001 organizationInvites): send, list, revoke, resend, accept and decline. */
export async function inviteRoutes(app: App): Promise<void> {
  const tags = ["Invitations"];

  app.post(
    "/api/v1/organizations/:organizationId/invites",
    {
      config: { access: { permission: "invites:manage" } },
      schema: {
        tags,
        summary: "Invite someone by email",
        description:
          "Mails a single-use link valid for `expiresInDays` (7 by default, 30 at most) to the address, and only there. " +
          "One pending invitation per address. The answer is the same whether or not the address has an account. " +
          "An address receives at most `MAILS_PER_RECIPIENT_PER_HOUR` such mails an hour (`RATE_LIMITED` beyond).",
        params: org,
        body: z.object({
          ...inviteFields,
          expiresInDays: z.number().int().min(1).max(30).default(7),
        }),
        response: { 201: envelope(sent) },
      },
    },
    async (request, reply) => {
      const { invite } = await createInvite(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok({ invite: presentInvite(invite, request.ctx.clock.now()) });
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/invites/batch",
    {
      config: { access: { permission: "invites:manage" } },
      schema: {
        tags,
        summary: "Invite many people at once (a CSV's rows)",
        description:
          `Up to ${MAX_BATCH_INVITES} invitations, each as \`POST …/invites\` would send it alone: ` +
          "a row that is refused (not an email address, already a member, already invited, a role you may not give, " +
          "`RATE_LIMITED`) leaves the others invited. Answers `200` with one outcome per row, " +
          "in order: the invitation, or the error that row would have answered. A department or " +
          "team that is not the organization's refuses the whole request (`404`), before anything is sent.",
        params: org,
        body: z.object({
          // A row's address is checked with the row, so one typo refuses only its own row.
          invites: z
            .array(z.object({ ...inviteFields, email: z.string().trim().max(320) }))
            .min(1)
            .max(MAX_BATCH_INVITES),
          expiresInDays: z.number().int().min(1).max(30).default(7),
        }),
        response: {
          200: envelope(
            z.object({
              invited: z.number().int(),
              failed: z.number().int(),
              results: z.array(batchOutcome),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { invites, expiresInDays } = request.body;
      const outcomes = await inviteMany(
        request.ctx,
        request.params.organizationId,
        invites.map((row) => ({ ...row, expiresInDays })),
      );
      const now = request.ctx.clock.now();
      return ok({
        invited: outcomes.filter((o) => o.status === "invited").length,
        failed: outcomes.filter((o) => o.status === "failed").length,
        results: outcomes.map((o) => ({
          row: o.row,
          email: o.email,
          status: o.status,
          invite: o.status === "invited" ? presentInvite(o.invite, now) : null,
          error: o.status === "failed" ? o.error : null,
        })),
      });
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/invites",
    {
      config: { access: { permission: "invites:read" } },
      schema: {
        tags,
        summary: "List invitations",
        params: org,
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          status: inviteStatusSchema.optional(),
          email: z.string().max(255).optional(),
        }),
        response: { 200: listEnvelope(inviteSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listInvites(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      const now = request.ctx.clock.now();
      return okList(
        rows.map((r) => presentInvite(r, now)),
        pagination,
      );
    },
  );

  app.delete(
    "/api/v1/organizations/:organizationId/invites/:inviteId",
    {
      config: { access: { permission: "invites:manage" } },
      schema: {
        tags,
        summary: "Revoke an invitation",
        params: inviteParams,
        response: { 200: envelope(inviteSchema) },
      },
    },
    async (request) => {
      const invite = await revokeInvite(
        request.ctx,
        request.params.organizationId,
        request.params.inviteId,
      );
      return ok(presentInvite(invite, request.ctx.clock.now()));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/invites/:inviteId/resend",
    {
      config: { access: { permission: "invites:manage" } },
      schema: {
        tags,
        summary: "Mail an invitation again",
        description: "Issues a new link (the old one stops working) and a fresh expiry.",
        params: inviteParams,
        body: z
          .object({ expiresInDays: z.number().int().min(1).max(30).default(7) })
          .default({ expiresInDays: 7 }),
        response: { 200: envelope(sent) },
      },
    },
    async (request) => {
      const { invite } = await resendInvite(
        request.ctx,
        request.params.organizationId,
        request.params.inviteId,
        request.body.expiresInDays,
      );
      return ok({ invite: presentInvite(invite, request.ctx.clock.now()) });
    },
  );

  app.get(
    "/api/v1/invites/lookup",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "What an invitation link is for",
        description:
          "For the page behind the link: the organization, who invited, the invited address and whether it already has an account.",
        querystring: z.object({ token }),
        response: {
          200: envelope(
            z.object({
              organization: z.object({ id: z.uuid(), name: z.string() }),
              invitedBy: z
                .object({ name: z.string() })
                .nullable()
                .describe("The person who sent the invitation; null when the system did"),
              email: z.string(),
              roleKey: z.string(),
              message: z.string().nullable(),
              status: inviteStatusSchema,
              expiresAt: z.iso.datetime(),
              hasAccount: z.boolean(),
            }),
          ),
        },
      },
    },
    async (request) => ok(await lookupInvite(request.ctx, request.query.token)),
  );

  app.post(
    "/api/v1/invites/accept",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Accept an invitation as the signed-in person",
        description: "The invitation must be addressed to your verified email address.",
        body: z.object({ token }),
        response: { 200: envelope(z.object({ organizationId: z.uuid() })) },
      },
    },
    async (request) => {
      if (request.actor.kind !== "user") throw new AppError("UNAUTHENTICATED", "Sign in first");
      return ok(await acceptInvite(request.ctx, request.body.token, request.actor.userId));
    },
  );

  app.post(
    "/api/v1/invites/decline",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Decline an invitation",
        description:
          "For whoever holds the link, signed in or not: the invitation becomes `declined`, can no longer be accepted " +
          "(`INVITE_DECLINED`), and the person who sent it is notified (`invite-declined`). Declining again answers the same.",
        body: z.object({ token }),
        response: {
          200: envelope(
            z.object({
              organizationId: z.uuid(),
              status: z.literal("declined"),
              declinedAt: z.iso.datetime(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { organizationId, declinedAt } = await declineInvite(request.ctx, request.body.token);
      return ok({
        organizationId,
        status: "declined" as const,
        declinedAt: declinedAt.toISOString(),
      });
    },
  );

  app.post(
    "/api/v1/invites/accept-new",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Create an account from an invitation and join",
        description:
          "The invitation proves the address, so the account starts verified. Sign in afterwards.",
        body: z.object({
          token,
          firstName: z.string().trim().min(1).max(100),
          lastName: z.string().trim().min(1).max(100),
          password: z.string().min(1).max(128),
        }),
        response: { 201: envelope(z.object({ organizationId: z.uuid(), user: userSchema })) },
      },
    },
    async (request, reply) => {
      const { token: raw, ...input } = request.body;
      const result = await acceptInviteAsNewUser(request.ctx, raw, input);
      reply.code(201);
      return ok({ organizationId: result.organizationId, user: presentUser(result.user) });
    },
  );
}
