import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import { envelope, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import {
  createAccessCode,
  listAccessCodes,
  redeemAccessCode,
  updateAccessCode,
} from "./access-codes.js";
import { createAllocation, listAllocations, updateAllocation } from "./allocations.js";
import {
  accessCodeSchema,
  allocationSchema,
  enrollResult,
  iso,
  presentAllocation,
  presentCode,
  presentRequest,
  presentResult,
  requestSchema,
} from "./present.js";
import {
  courseRequests,
  myRequests,
  requestEnrollment,
  reviewRequest,
  withdrawRequest,
} from "./requests.js";

const REQUEST_STATUSES = ["pending", "approved", "rejected", "withdrawn"] as const;

/** The other ways in: approval requests, access codes, and seats organizations buy in courses. */
export async function enrollmentPathRoutes(app: App): Promise<void> {
  const tags = ["Enrollments"];

  app.post(
    "/api/v1/enrollment-requests",
    {
      config: { access: { permission: "enrollments:create", apiKeys: false } },
      schema: {
        tags,
        summary: "Ask to join an approval-based course",
        description:
          "The course's instructor is told; one pending request per course. Cohort-based courses need `cohortId`.",
        body: z.object({
          courseId: ref("course"),
          cohortId: ref("cohort").optional(),
          reason: z.string().trim().max(2000).optional(),
        }),
        response: { 201: envelope(requestSchema) },
      },
    },
    async (request, reply) => {
      const row = await requestEnrollment(request.ctx, signedInUserId(request.actor), request.body);
      reply.code(201);
      return ok(presentRequest(row));
    },
  );

  app.get(
    "/api/v1/enrollment-requests/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My enrollment requests",
        response: { 200: envelope(z.array(requestSchema)) },
      },
    },
    async (request) =>
      ok(
        (await myRequests(request.ctx, signedInUserId(request.actor))).map((r) =>
          presentRequest(r),
        ),
      ),
  );

  app.get(
    "/api/v1/courses/:courseId/enrollment-requests",
    {
      config: { access: { permission: "enrollments:approve" } },
      schema: {
        tags,
        summary: "A course's enrollment requests, oldest first",
        description:
          "For the course team with `enrollments:approve`, and for organization approvers (the requests of the people they reach).",
        params: idParam("courseId"),
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          status: z.enum(REQUEST_STATUSES).optional(),
        }),
        response: { 200: listEnvelope(requestSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await courseRequests(
        request.ctx,
        request.params.courseId,
        request.query,
      );
      return okList(
        rows.map((r) => presentRequest(r)),
        pagination,
      );
    },
  );

  for (const decision of ["approve", "reject"] as const) {
    app.post(
      `/api/v1/enrollment-requests/:requestId/${decision}`,
      {
        // enrollments:approve over the learner, or an approver the request's workflow asked
        config: { access: { user: true } },
        schema: {
          tags,
          summary:
            decision === "approve"
              ? "Approve a request (enrolls the learner, or waitlists them when the cohort is full)"
              : "Reject a request",
          params: idParam("requestId"),
          body: z.object({ notes: z.string().trim().max(2000).optional() }).default({}),
          response: {
            200: envelope(
              z.object({ request: requestSchema, enrollment: enrollResult.nullable() }),
            ),
          },
        },
      },
      async (request) => {
        const result = await reviewRequest(
          request.ctx,
          request.params.requestId,
          decision,
          request.body.notes,
        );
        return ok({
          request: presentRequest(result.request),
          enrollment: result.enrollment ? presentResult(result.enrollment) : null,
        });
      },
    );
  }

  app.delete(
    "/api/v1/enrollment-requests/:requestId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Withdraw my pending request",
        params: idParam("requestId"),
        response: { 200: envelope(requestSchema) },
      },
    },
    async (request) =>
      ok(
        presentRequest(
          await withdrawRequest(
            request.ctx,
            request.params.requestId,
            signedInUserId(request.actor),
          ),
        ),
      ),
  );

  app.post(
    "/api/v1/enrollments/redeem",
    {
      config: { access: { permission: "enrollments:create", apiKeys: false } },
      schema: {
        tags,
        summary: "Join a course with an access code",
        description:
          "Works for every enrollment type (a code is an invitation, or a prepaid pass). Codes are case-insensitive. A full cohort refuses with `COHORT_FULL` and the use is not counted.",
        body: z.object({
          code: z.string().trim().min(4).max(60),
          cohortId: ref("cohort").optional(),
        }),
        response: { 201: envelope(enrollResult) },
      },
    },
    async (request, reply) => {
      const result = await redeemAccessCode(
        request.ctx,
        signedInUserId(request.actor),
        request.body,
      );
      reply.code(201);
      return ok(presentResult(result));
    },
  );

  app.get(
    "/api/v1/courses/:courseId/access-codes",
    {
      config: { access: { permission: "access-codes:manage" } },
      schema: {
        tags,
        summary: "A course's access codes with their uses",
        params: idParam("courseId"),
        response: { 200: envelope(z.array(accessCodeSchema)) },
      },
    },
    async (request) =>
      ok((await listAccessCodes(request.ctx, request.params.courseId)).map(presentCode)),
  );

  app.post(
    "/api/v1/courses/:courseId/access-codes",
    {
      config: { access: { permission: "access-codes:manage" } },
      schema: {
        tags,
        summary: "Create an access code",
        description:
          "Leave `code` out for a generated one (`XXXX-XXXX-XXXX`). `maxUses` null means unlimited; the window is `validFrom` (default now) to `validUntil`.",
        params: idParam("courseId"),
        body: z.object({
          code: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9-]{4,50}$/, "4–50 letters, digits or dashes")
            .optional(),
          cohortId: ref("cohort").optional(),
          description: z.string().trim().max(500).optional(),
          maxUses: z.number().int().min(1).max(1_000_000).nullable().optional(),
          validFrom: iso().optional(),
          validUntil: iso().optional(),
        }),
        response: { 201: envelope(accessCodeSchema) },
      },
    },
    async (request, reply) => {
      const row = await createAccessCode(request.ctx, request.params.courseId, request.body);
      reply.code(201);
      return ok(presentCode(row));
    },
  );

  app.patch(
    "/api/v1/access-codes/:accessCodeId",
    {
      config: { access: { permission: "access-codes:manage" } },
      schema: {
        tags,
        summary: "Change or deactivate an access code",
        params: idParam("accessCodeId"),
        body: z
          .object({
            description: z.string().trim().max(500).nullable(),
            maxUses: z.number().int().min(1).max(1_000_000).nullable(),
            validUntil: iso().nullable(),
            isActive: z.boolean(),
          })
          .partial(),
        response: { 200: envelope(accessCodeSchema) },
      },
    },
    async (request) =>
      ok(
        presentCode(await updateAccessCode(request.ctx, request.params.accessCodeId, request.body)),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/seat-allocations",
    {
      config: { access: { permission: "payments:read" } },
      schema: {
        tags,
        summary: "Seats the organization bought in courses, and how many are used",
        params: idParam("organizationId"),
        response: { 200: envelope(z.array(allocationSchema)) },
      },
    },
    async (request) =>
      ok(
        (await listAllocations(request.ctx, request.params.organizationId)).map((a) =>
          presentAllocation(a),
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/seat-allocations",
    {
      config: { access: { permission: "payments:manage", platform: true } },
      schema: {
        tags,
        summary: "Record seats an organization bought in a course (platform administrators)",
        params: idParam("organizationId"),
        body: z.object({
          courseId: ref("course"),
          seats: z.number().int().min(1).max(1_000_000),
          unitPrice: z.number().int().min(0).optional().describe("Per seat, minor units"),
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/)
            .optional(),
          invoiceReference: z.string().trim().max(200).optional(),
          validUntil: iso().optional(),
        }),
        response: { 201: envelope(allocationSchema) },
      },
    },
    async (request, reply) => {
      const row = await createAllocation(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(presentAllocation(row));
    },
  );

  app.patch(
    "/api/v1/organizations/:organizationId/seat-allocations/:allocationId",
    {
      config: { access: { permission: "payments:manage", platform: true } },
      schema: {
        tags,
        summary: "Change an organization's seats in a course (never below the seats in use)",
        params: z.object({ organizationId: z.uuid(), allocationId: z.uuid() }),
        body: z
          .object({
            seats: z.number().int().min(0).max(1_000_000),
            invoiceReference: z.string().trim().max(200).nullable(),
            validUntil: iso().nullable(),
          })
          .partial(),
        response: { 200: envelope(allocationSchema) },
      },
    },
    async (request) =>
      ok(
        presentAllocation(
          await updateAllocation(
            request.ctx,
            request.params.organizationId,
            request.params.allocationId,
            request.body,
          ),
        ),
      ),
  );
}
