import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import {
  done,
  envelope,
  listEnvelope,
  ok,
  okEmpty,
  paginationSchema,
} from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { iso } from "../enrollment/present.js";
import {
  announcementReads,
  createAnnouncement,
  deleteAnnouncement,
  listAnnouncements,
  markRead,
  updateAnnouncement,
} from "./announcements.js";
import { deleteMyRating, listRatings, myRating, rateCourse, respondToRating } from "./ratings.js";
import type { AnnouncementRow, RatingRow } from "./schema.js";

const ratingSchema = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    rating: z.number().int(),
    title: z.string().nullable(),
    content: z.string().nullable(),
    reviewer: z.string().optional(),
    isVerifiedPurchase: z.boolean(),
    instructorResponse: z.string().nullable(),
    instructorResponseAt: iso().nullable(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "CourseRating" });

function presentRating(r: RatingRow & { first_name?: string; last_name?: string }) {
  return {
    id: r.id,
    courseId: r.course_id,
    rating: r.rating,
    title: r.review_title,
    content: r.review_content,
    // Reviews show a first name and an initial, never an email.
    ...(r.first_name ? { reviewer: `${r.first_name} ${(r.last_name ?? "").slice(0, 1)}.` } : {}),
    isVerifiedPurchase: r.is_verified_purchase,
    instructorResponse: r.instructor_response,
    instructorResponseAt: r.instructor_response_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const PRIORITIES = ["low", "normal", "high", "urgent"] as const;

const announcementSchema = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    title: z.string(),
    content: z.string().describe("Sanitized HTML"),
    priority: z.enum(PRIORITIES),
    isPublished: z.boolean(),
    publishAt: iso(),
    expiresAt: iso().nullable(),
    audience: z.enum(["all", "cohort", "users"]),
    cohortId: z.uuid().nullable(),
    userIds: z.array(z.uuid()).optional().describe("Course team only"),
    readCount: z.number().int().optional().describe("Course team only"),
    readAt: iso().nullable().optional().describe("Learners: when I read it"),
    createdAt: iso(),
  })
  .meta({ id: "Announcement" });

function presentAnnouncement(a: AnnouncementRow, team: boolean, readAt?: Date | null) {
  return {
    id: a.id,
    courseId: a.course_id,
    title: a.title,
    content: a.content,
    priority: a.priority,
    isPublished: a.is_published,
    publishAt: a.publish_at.toISOString(),
    expiresAt: a.expires_at?.toISOString() ?? null,
    audience: a.audience,
    cohortId: a.cohort_id,
    ...(team
      ? { userIds: a.user_ids, readCount: a.read_count }
      : { readAt: readAt?.toISOString() ?? null }),
    createdAt: a.created_at.toISOString(),
  };
}

const announcementFields = {
  title: z.string().trim().min(1).max(255),
  content: z.string().min(1).max(50_000),
  priority: z.enum(PRIORITIES),
  isPublished: z.boolean(),
  publishAt: iso(),
  expiresAt: iso().nullable(),
};

/** Ratings and announcements (seed 002 course_ratings, announcements). */
export async function feedbackRoutes(app: App): Promise<void> {
  const tags = ["Ratings and announcements"];

  app.get(
    "/api/v1/courses/:courseId/ratings",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "A course's ratings with the average, count and distribution",
        params: idParam("courseId"),
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          rating: z.coerce.number().int().min(1).max(5).optional(),
        }),
        response: {
          200: listEnvelope(ratingSchema).extend({
            meta: z.object({
              pagination: paginationSchema,
              summary: z.object({
                average: z.number(),
                count: z.number().int(),
                distribution: z.record(z.string(), z.number().int()),
              }),
            }),
          }),
        },
      },
    },
    async (request) => {
      const result = await listRatings(request.ctx, request.params.courseId, request.query);
      return {
        success: true as const,
        data: result.rows.map(presentRating),
        meta: { pagination: result.pagination, summary: result.summary },
      };
    },
  );

  app.get(
    "/api/v1/courses/:courseId/ratings/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My rating of a course, to show or change it (null when I have not rated it)",
        params: idParam("courseId"),
        response: { 200: envelope(ratingSchema.nullable()) },
      },
    },
    async (request) => {
      const row = await myRating(
        request.ctx,
        signedInUserId(request.actor),
        request.params.courseId,
      );
      return ok(row ? presentRating(row) : null);
    },
  );

  app.put(
    "/api/v1/courses/:courseId/ratings/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Rate a course I take or took (one rating per learner; again to change it)",
        params: idParam("courseId"),
        body: z.object({
          rating: z.number().int().min(1).max(5),
          title: z.string().trim().max(255).nullable().optional(),
          content: z.string().trim().max(10_000).nullable().optional(),
        }),
        response: { 200: envelope(ratingSchema) },
      },
    },
    async (request) => {
      return ok(
        presentRating(
          await rateCourse(
            request.ctx,
            signedInUserId(request.actor),
            request.params.courseId,
            request.body,
          ),
        ),
      );
    },
  );

  app.delete(
    "/api/v1/courses/:courseId/ratings/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Withdraw my rating",
        params: idParam("courseId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteMyRating(request.ctx, signedInUserId(request.actor), request.params.courseId);
      return done();
    },
  );

  app.put(
    "/api/v1/ratings/:ratingId/response",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "Answer a review (the course team; null removes the answer)",
        params: idParam("ratingId"),
        body: z.object({ response: z.string().trim().min(1).max(5000).nullable() }),
        response: { 200: envelope(ratingSchema) },
      },
    },
    async (request) =>
      ok(
        presentRating(
          await respondToRating(request.ctx, request.params.ratingId, request.body.response),
        ),
      ),
  );

  app.get(
    "/api/v1/courses/:courseId/announcements",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "A course's announcements",
        description:
          "Learners see published announcements inside their window that reach them, with `readAt`; the course team sees all, with read counts.",
        params: idParam("courseId"),
        response: { 200: envelope(z.array(announcementSchema)) },
      },
    },
    async (request) => {
      const { team, rows, reads } = await listAnnouncements(request.ctx, request.params.courseId);
      return ok(rows.map((a) => presentAnnouncement(a, team, reads.get(a.id) ?? null)));
    },
  );

  app.post(
    "/api/v1/courses/:courseId/announcements",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "Announce something to a course's learners (the course team)",
        description:
          "`audience`: `all` enrolled learners, one `cohort` (`cohortId`), or listed `users`. Learners are notified when `publishAt` comes (now by default).",
        params: idParam("courseId"),
        body: z
          .object(announcementFields)
          .partial()
          .required({ title: true, content: true })
          .extend({
            audience: z.enum(["all", "cohort", "users"]).default("all"),
            cohortId: ref("cohort").optional(),
            userIds: z.array(ref("user")).max(1000).optional(),
          }),
        response: { 201: envelope(announcementSchema) },
      },
    },
    async (request, reply) => {
      const row = await createAnnouncement(request.ctx, request.params.courseId, request.body);
      reply.code(201);
      return ok(presentAnnouncement(row, true));
    },
  );

  app.patch(
    "/api/v1/announcements/:announcementId",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "Change an announcement",
        params: idParam("announcementId"),
        body: z.object(announcementFields).partial().strict(),
        response: { 200: envelope(announcementSchema) },
      },
    },
    async (request) =>
      ok(
        presentAnnouncement(
          await updateAnnouncement(request.ctx, request.params.announcementId, request.body),
          true,
        ),
      ),
  );

  app.delete(
    "/api/v1/announcements/:announcementId",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "Delete an announcement",
        params: idParam("announcementId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteAnnouncement(request.ctx, request.params.announcementId);
      return done();
    },
  );

  app.post(
    "/api/v1/announcements/:announcementId/read",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Mark an announcement read (a read receipt; once per learner)",
        params: idParam("announcementId"),
        response: { 200: envelope(z.object({ readCount: z.number().int() })) },
      },
    },
    async (request) => {
      const row = await markRead(request.ctx, request.params.announcementId);
      return ok({ readCount: row.read_count });
    },
  );

  app.get(
    "/api/v1/announcements/:announcementId/reads",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "Who read an announcement, of how many it reaches",
        params: idParam("announcementId"),
        response: {
          200: envelope(
            z.object({
              audienceSize: z.number().int(),
              readers: z.array(
                z.object({ userId: z.uuid(), name: z.string(), email: z.string(), readAt: iso() }),
              ),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { readers, audienceSize } = await announcementReads(
        request.ctx,
        request.params.announcementId,
      );
      return ok({
        audienceSize,
        readers: readers.map((r) => ({
          userId: r.user_id,
          name: `${r.first_name} ${r.last_name}`,
          email: r.email,
          readAt: r.read_at.toISOString(),
        })),
      });
    },
  );
}
