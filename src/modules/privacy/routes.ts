import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import type { Ctx } from "../../platform/context.js";
import { envelope, isoDateTime, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import type { App } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { listAccessLogs } from "./access-log.js";
import {
  createPrivacyRequest,
  exportFile,
  getPrivacyRequest,
  liftRestriction,
  listPrivacyRequests,
  type NamedPrivacyRequest,
  processPrivacyRequest,
  rejectPrivacyRequest,
  withSubjectName,
} from "./requests.js";
import {
  PRIVACY_REQUEST_STATUSES,
  PRIVACY_REQUEST_TYPES,
  type PrivacyRequestRow,
} from "./schema.js";
import { privacySettingsOf, updatePrivacySettings } from "./settings.js";

const iso = isoDateTime;
const page = {
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

export const privacyRequestSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid().nullable(),
    type: z.enum(PRIVACY_REQUEST_TYPES),
    status: z.enum(PRIVACY_REQUEST_STATUSES),
    scope: z.enum(["organization", "account"]),
    subjectUserId: z.uuid(),
    subjectName: z
      .string()
      .nullable()
      .describe("The name of the person the request is about (null once nothing names them)"),
    requestedBy: z.uuid().nullable(),
    reason: z.string().nullable(),
    decidedBy: z.uuid().nullable(),
    decisionNote: z.string().nullable(),
    file: z
      .object({ size: z.number().int(), checksum: z.string(), expiresAt: iso().nullable() })
      .nullable()
      .describe("An export's ZIP, once built"),
    summary: z.record(z.string(), z.unknown()),
    error: z.string().nullable(),
    completedAt: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "PrivacyRequest" });

export function presentRequest(r: NamedPrivacyRequest) {
  return {
    id: r.id,
    organizationId: r.organization_id,
    type: r.type,
    status: r.status,
    scope: r.scope,
    subjectUserId: r.subject_user_id,
    subjectName: r.subject_name,
    requestedBy: r.requested_by,
    reason: r.reason,
    decidedBy: r.decided_by,
    decisionNote: r.decision_note,
    file:
      r.file_key && r.file_size !== null && r.file_checksum
        ? {
            size: r.file_size,
            checksum: r.file_checksum,
            expiresAt: r.expires_at?.toISOString() ?? null,
          }
        : null,
    summary: r.summary ?? {},
    error: r.error,
    completedAt: r.completed_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** One request, with the name of the person it is about. */
async function presentOne(ctx: Ctx, row: PrivacyRequestRow) {
  return presentRequest(await withSubjectName(ctx, row));
}

const accessLogSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid().nullable(),
    organizationName: z.string().nullable(),
    viewer: z.object({
      userId: z.uuid().nullable(),
      name: z.string().nullable(),
      apiKeyId: z.uuid().nullable(),
    }),
    subjectUserId: z.uuid(),
    subjectName: z.string().nullable().describe("The name of the person whose data was read"),
    what: z.string(),
    detail: z.string().nullable(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "AccessLogEntry" });

type AccessLogRow = Awaited<ReturnType<typeof listAccessLogs>>["rows"][number];
function presentAccessLog(r: AccessLogRow, withAddress: boolean) {
  return {
    id: r.id,
    organizationId: r.organization_id,
    organizationName: r.organization_name ?? null,
    viewer: {
      userId: r.viewer_user_id,
      name: r.viewer_first_name ? `${r.viewer_first_name} ${r.viewer_last_name}` : null,
      apiKeyId: r.viewer_api_key_id,
    },
    subjectUserId: r.subject_user_id,
    subjectName: r.subject_first_name ? `${r.subject_first_name} ${r.subject_last_name}` : null,
    what: r.what,
    detail: r.detail,
    ipAddress: withAddress ? r.ip_address : null,
    userAgent: withAddress ? r.user_agent : null,
    createdAt: r.created_at.toISOString(),
  };
}

const settingsSchema = z
  .object({
    showScores: z.boolean().describe("Managers see my quiz scores and grades"),
    showActivity: z.boolean().describe("Managers see my activity (time spent, last access)"),
    showCertificates: z.boolean().describe("Managers see my certificates"),
  })
  .meta({ id: "PrivacySettings" });

const newRequestBody = z
  .object({
    type: z.enum(PRIVACY_REQUEST_TYPES),
    userId: ref("user").describe("The person the request is about"),
    reason: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();

const requestFilters = z.object({
  ...page,
  type: z.enum(PRIVACY_REQUEST_TYPES).optional(),
  status: z.enum(PRIVACY_REQUEST_STATUSES).optional(),
  userId: ref("user").optional(),
});

const orgParams = z.object({ organizationId: z.uuid() });
const orgRequestParams = z.object({ organizationId: z.uuid(), privacyRequestId: z.uuid() });
const requestParams = z.object({ privacyRequestId: z.uuid() });
const noteBody = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
const liftBody = z.object({ note: z.string().trim().max(2000).nullable() }).strict();

/** Data subject requests, access logs and privacy settings (docs/privacy.md). */
export async function privacyRoutes(app: App): Promise<void> {
  const tags = ["Privacy"];

  app.get(
    "/api/v1/organizations/:organizationId/privacy-requests",
    {
      config: { access: { permission: "privacy:manage" } },
      schema: {
        tags,
        summary: "The organization's data subject requests",
        params: orgParams,
        querystring: requestFilters,
        response: { 200: listEnvelope(privacyRequestSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listPrivacyRequests(request.ctx, {
        ...request.query,
        subjectUserId: request.query.userId,
        organizationId: request.params.organizationId,
      });
      return okList(rows.map(presentRequest), pagination);
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/privacy-requests",
    {
      config: { access: { permission: "privacy:manage" } },
      schema: {
        tags,
        summary: "File a data subject request for a member (export, erasure or restriction)",
        description:
          "Scope: what this organization holds about the person. An export builds a ZIP of JSON and CSV files; an erasure anonymizes the person's data in this organization (their account stays); a restriction stops processing until lifted. Exports and erasures are worked by a job.",
        params: orgParams,
        body: newRequestBody,
        response: { 201: envelope(privacyRequestSchema) },
      },
    },
    async (request, reply) => {
      const row = await createPrivacyRequest(request.ctx, {
        organizationId: request.params.organizationId,
        type: request.body.type,
        subjectUserId: request.body.userId,
        reason: request.body.reason ?? null,
      });
      reply.code(201);
      return ok(await presentOne(request.ctx, row));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/privacy-requests/:privacyRequestId",
    {
      config: { access: { permission: "privacy:manage" } },
      schema: {
        tags,
        summary: "One data subject request",
        params: orgRequestParams,
        response: { 200: envelope(privacyRequestSchema) },
      },
    },
    async (request) =>
      ok(
        await presentOne(
          request.ctx,
          await getPrivacyRequest(
            request.ctx,
            request.params.privacyRequestId,
            request.params.organizationId,
          ),
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/privacy-requests/:privacyRequestId/reject",
    {
      config: { access: { permission: "privacy:manage" } },
      schema: {
        tags,
        summary: "Reject a request still waiting, with the reason",
        params: orgRequestParams,
        body: noteBody,
        response: { 200: envelope(privacyRequestSchema) },
      },
    },
    async (request) => {
      const row = await getPrivacyRequest(
        request.ctx,
        request.params.privacyRequestId,
        request.params.organizationId,
      );
      return ok(
        await presentOne(
          request.ctx,
          await rejectPrivacyRequest(request.ctx, row, request.body.note),
        ),
      );
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/privacy-requests/:privacyRequestId/lift",
    {
      config: { access: { permission: "privacy:manage" } },
      schema: {
        tags,
        summary: "Lift a restriction of processing",
        params: orgRequestParams,
        body: liftBody,
        response: { 200: envelope(privacyRequestSchema) },
      },
    },
    async (request) => {
      const row = await getPrivacyRequest(
        request.ctx,
        request.params.privacyRequestId,
        request.params.organizationId,
      );
      return ok(
        await presentOne(request.ctx, await liftRestriction(request.ctx, row, request.body.note)),
      );
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/access-logs",
    {
      config: { access: { permission: "privacy:manage" } },
      schema: {
        tags,
        summary: "Who read whose personal data in the organization",
        description:
          "Reads of people's data by managers and administrators: member pages, progress and transcripts, exports listing them, reminders sent to them.",
        params: orgParams,
        querystring: z.object({
          ...page,
          subjectUserId: ref("user").optional(),
          viewerUserId: ref("user").optional(),
        }),
        response: { 200: listEnvelope(accessLogSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listAccessLogs(request.ctx, {
        ...request.query,
        organizationId: request.params.organizationId,
      });
      return okList(
        rows.map((r) => presentAccessLog(r, true)),
        pagination,
      );
    },
  );

  // The platform administrator: requests on whole accounts, and the queue of people's own.
  app.get(
    "/api/v1/privacy-requests",
    {
      config: { access: { permission: "privacy:manage", platform: true } },
      schema: {
        tags,
        summary: "Every data subject request (platform administrators)",
        querystring: requestFilters.extend({ organizationId: ref("organization").optional() }),
        response: { 200: listEnvelope(privacyRequestSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listPrivacyRequests(request.ctx, {
        ...request.query,
        subjectUserId: request.query.userId,
      });
      return okList(rows.map(presentRequest), pagination);
    },
  );

  app.post(
    "/api/v1/privacy-requests",
    {
      config: { access: { permission: "privacy:manage", platform: true } },
      schema: {
        tags,
        summary: "File a data subject request on a whole account (platform administrators)",
        description:
          "An erasure anonymizes the account itself and what every organization holds about the person; an export covers all of it.",
        body: newRequestBody,
        response: { 201: envelope(privacyRequestSchema) },
      },
    },
    async (request, reply) => {
      const row = await createPrivacyRequest(request.ctx, {
        organizationId: null,
        type: request.body.type,
        subjectUserId: request.body.userId,
        reason: request.body.reason ?? null,
      });
      reply.code(201);
      return ok(await presentOne(request.ctx, row));
    },
  );

  app.post(
    "/api/v1/privacy-requests/:privacyRequestId/process",
    {
      config: { access: { permission: "privacy:manage", platform: true } },
      schema: {
        tags,
        summary: "Carry out a waiting request now (platform administrators)",
        description: "A person's own erasure of their account waits here for a decision.",
        params: requestParams,
        response: { 200: envelope(privacyRequestSchema) },
      },
    },
    async (request) =>
      ok(
        await presentOne(
          request.ctx,
          await processPrivacyRequest(request.ctx, request.params.privacyRequestId),
        ),
      ),
  );

  app.post(
    "/api/v1/privacy-requests/:privacyRequestId/reject",
    {
      config: { access: { permission: "privacy:manage", platform: true } },
      schema: {
        tags,
        summary: "Reject a waiting request (platform administrators)",
        params: requestParams,
        body: noteBody,
        response: { 200: envelope(privacyRequestSchema) },
      },
    },
    async (request) => {
      const row = await getPrivacyRequest(request.ctx, request.params.privacyRequestId);
      return ok(
        await presentOne(
          request.ctx,
          await rejectPrivacyRequest(request.ctx, row, request.body.note),
        ),
      );
    },
  );

  app.get(
    "/api/v1/privacy-requests/:privacyRequestId/file",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Download an export's ZIP",
        description:
          "For the person who asked, the person it is about, and the privacy managers of its organization (the platform administrators for account exports).",
        params: requestParams,
        produces: ["application/zip"],
      },
    },
    async (request, reply) => {
      const { row, body } = await exportFile(request.ctx, request.params.privacyRequestId);
      return reply
        .header("content-disposition", `attachment; filename="lyceum-data-${row.id}.zip"`)
        .header("cache-control", "private, no-store")
        .type("application/zip")
        .send(body);
    },
  );

  // The person themselves.
  app.get(
    "/api/v1/users/me/privacy",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "What my managers may see about me",
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) => ok(await privacySettingsOf(request.ctx, signedInUserId(request.ctx.actor))),
  );

  app.put(
    "/api/v1/users/me/privacy",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Choose what my managers may see about me",
        body: settingsSchema.partial().strict(),
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) =>
      ok(await updatePrivacySettings(request.ctx, signedInUserId(request.ctx.actor), request.body)),
  );

  app.get(
    "/api/v1/users/me/access-logs",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Who looked at my data",
        querystring: z.object(page),
        response: { 200: listEnvelope(accessLogSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listAccessLogs(request.ctx, {
        ...request.query,
        subjectUserId: signedInUserId(request.ctx.actor),
      });
      return okList(
        rows.map((r) => presentAccessLog(r, false)),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/users/me/privacy-requests",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My data subject requests",
        querystring: z.object(page),
        response: { 200: listEnvelope(privacyRequestSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listPrivacyRequests(request.ctx, {
        ...request.query,
        subjectUserId: signedInUserId(request.ctx.actor),
      });
      return okList(rows.map(presentRequest), pagination);
    },
  );

  app.post(
    "/api/v1/users/me/privacy-requests",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Ask for an export of my data, or the erasure of my account",
        description:
          "An export is built at once (everything about my account). An erasure of my account waits for the platform administrator.",
        body: z
          .object({
            type: z.enum(["export", "erasure"]),
            reason: z.string().trim().max(2000).nullable().optional(),
          })
          .strict(),
        response: { 201: envelope(privacyRequestSchema) },
      },
    },
    async (request, reply) => {
      const me = signedInUserId(request.ctx.actor);
      const pending = await listPrivacyRequests(request.ctx, {
        subjectUserId: me,
        type: request.body.type,
        status: "requested",
        page: 1,
        limit: 1,
      });
      if (pending.rows.length)
        throw new AppError("ALREADY_REQUESTED", "A request of this kind is already waiting");
      const row = await createPrivacyRequest(request.ctx, {
        organizationId: null,
        type: request.body.type,
        subjectUserId: me,
        reason: request.body.reason ?? null,
        self: true,
      });
      reply.code(201);
      return ok(await presentOne(request.ctx, row));
    },
  );
}
