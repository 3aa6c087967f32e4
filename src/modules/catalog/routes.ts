import { z } from "zod";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { can } from "../../platform/policy/engine.js";
import { ref, tenantRef } from "../../platform/references.js";
import { avatarUrl } from "../identity/presenter.js";
import { courseOutline } from "./content.js";
import { contentRoutes } from "./content-routes.js";
import {
  archiveCourse,
  createCourse,
  deleteCourse,
  PUBLICATION_CODES,
  publicationCheck,
  publishCourse,
  unpublishCourse,
  updateCourse,
} from "./courses.js";
import { courseFileRoutes } from "./file-routes.js";
import type { LearnerAccess } from "./files.js";
import { COURSE_SORTS, listCategories, listCourses } from "./listing.js";
import type { ListingCache } from "./listing-cache.js";
import { courseForChange, courseTarget, courseTeam, visibleCourse } from "./policy.js";
import {
  courseListItemSchema,
  courseSchema,
  lessonSummarySchema,
  moduleSchema,
  presentCourse,
  presentCourseListItem,
  presentLessonSummary,
  presentModule,
  presentStaff,
  staffSchema,
} from "./presenter.js";
import { listStaff, putStaff, removeStaff } from "./staff.js";

const courseParams = idParam("courseId");
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const text = (max: number) => z.string().trim().max(max);

/** The editable fields of a course; `organizationId` and `instructorId` only on creation. */
const courseFields = {
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9_-]{1,49}$/, "2–50 letters, digits, - or _, e.g. SAFE-101"),
  title: text(255).min(1),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(120),
  subtitle: text(255).nullable(),
  description: text(20_000),
  syllabus: text(50_000).nullable(),
  category: text(100).nullable(),
  subCategory: text(100).nullable(),
  level: z.enum(["beginner", "intermediate", "advanced", "all-levels"]),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "a language tag such as en or pt-BR"),
  thumbnailUrl: z.url().max(2000).nullable(),
  introVideoUrl: z.url().max(2000).nullable(),
  priceAmount: z.number().int().min(0).max(100_000_000).describe("Minor units (cents)"),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR"),
  enrollmentType: z.enum(["open", "approval", "invite", "paid"]),
  capacity: z.number().int().min(1).max(1_000_000).nullable(),
  delivery: z.enum(["self-paced", "cohort-based"]),
  prerequisiteCourseIds: z.array(ref("course")).max(20),
  tags: z.array(text(50).min(1)).max(30),
  learningOutcomes: z.array(text(500).min(1)).max(50),
  requirements: z.array(text(500).min(1)).max(50),
  targetAudience: text(2000).nullable(),
  completionCertificate: z.boolean(),
  allowDiscussion: z.boolean(),
  isFeatured: z.boolean(),
};

/** One failed publication check (courses.ts `publicationCheck`). */
const publicationItemSchema = z.object({
  code: z.enum(PUBLICATION_CODES),
  message: z.string(),
  field: z
    .enum(["description", "category", "instructorId"])
    .optional()
    .describe("The course field to change"),
  moduleId: z.uuid().optional().describe("The module to complete (MODULE_EMPTY)"),
});

const publicationCheckSchema = z.object({
  publishable: z.boolean(),
  problems: z.array(z.string()).describe("The failed checks as short phrases"),
  items: z.array(publicationItemSchema),
});

const courseDetail = z.object({
  course: courseSchema,
  instructor: z
    .object({ id: z.uuid(), name: z.string(), avatarUrl: z.string().nullable() })
    .describe("The main instructor, named as on the catalog's course cards"),
  modules: z.array(moduleSchema.extend({ lessons: z.array(lessonSummarySchema) })),
  abilities: z
    .object({ edit: z.boolean(), publish: z.boolean() })
    .describe("What the caller may do with this course"),
});

/**
 * The catalog: courses, their staff, (content-routes.ts) their modules and lessons, and
 * (file-routes.ts) the files uploaded for them. Anonymous catalog pages come from `listing`
 * when given (kept fresh by the change feed); `learns` tells whether an enrollment opens a
 * course's files to a learner (the enrollment rules sit above the catalog).
 */
export function catalogRoutes(
  listing: ListingCache | null,
  learns: LearnerAccess,
): (app: App) => Promise<void> {
  return (app) => registerCatalogRoutes(app, listing, learns);
}

const courseListEnvelope = listEnvelope(courseListItemSchema);

async function registerCatalogRoutes(
  app: App,
  listing: ListingCache | null,
  learns: LearnerAccess,
): Promise<void> {
  const tags = ["Courses"];

  app.get(
    "/api/v1/courses",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "Browse the catalog",
        description:
          "Everyone sees published platform courses; members also their organizations' published courses; instructors and staff their own drafts; content administrators their organization's whole catalog.",
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          sort: z.enum(COURSE_SORTS).default("newest"),
          search: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .optional()
            .describe("Title, description, code or an exact tag"),
          category: z.string().max(100).optional(),
          level: courseFields.level.optional(),
          language: z.string().max(10).optional(),
          tag: z.string().max(50).optional(),
          priceMin: z.coerce.number().int().min(0).optional(),
          priceMax: z.coerce.number().int().min(0).optional(),
          free: flag.optional(),
          enrollmentType: courseFields.enrollmentType.optional(),
          delivery: courseFields.delivery.optional(),
          status: z.enum(["draft", "published", "archived"]).optional(),
          organizationId: ref("organization").optional(),
          instructorId: z.uuid().optional(),
          featured: flag.optional(),
          editable: flag
            .optional()
            .describe(
              "true: only the courses the caller may edit (as instructor, as staff who edit content, or with courses:manage over their organization), drafts and archived ones included, deleted ones never",
            ),
          includeDeleted: flag.optional().describe("Platform administrators only"),
        }),
        response: { 200: courseListEnvelope },
      },
    },
    async (request, reply) => {
      const page = async () => {
        const { rows, pagination } = await listCourses(request.ctx, request.query);
        return okList(rows.map(presentCourseListItem), pagination);
      };
      // Anonymous visitors all see the same pages: served from memory, already serialized.
      if (!listing || request.actor.kind !== "anonymous" || !(await listing.sync())) return page();
      const key = JSON.stringify(request.query);
      let body = listing.page(key);
      if (body === undefined) {
        const generation = listing.generation;
        body = JSON.stringify(courseListEnvelope.parse(await page()));
        listing.store(generation, key, body);
      }
      return reply
        .type("application/json; charset=utf-8")
        .serializer(String)
        .send(body as never);
    },
  );

  app.get(
    "/api/v1/courses/categories",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "The catalog's categories",
        description:
          "Each category of the courses the caller may see in the catalog (the same rule as the list), with how many courses it holds, in alphabetical order: the choices of a category filter.",
        response: {
          200: envelope(z.array(z.object({ category: z.string(), count: z.number().int() }))),
        },
      },
    },
    async (request) => ok(await listCategories(request.ctx)),
  );

  app.get(
    "/api/v1/courses/:courseId",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "A course with its outline",
        description:
          "Modules and lessons in order; unpublished ones only for people who may edit the course. With `view=learner` an editor sees the outline as its learners do (published modules and lessons only); `abilities` still describe the caller.",
        params: courseParams,
        querystring: z.object({
          view: z
            .enum(["learner"])
            .optional()
            .describe("learner: only what learners see (published modules and lessons)"),
        }),
        response: { 200: envelope(courseDetail) },
      },
    },
    async (request) => {
      const ctx = request.ctx;
      const course = await visibleCourse(ctx, request.params.courseId);
      const access = await ctx.actor.access();
      const team = await courseTeam(ctx, course);
      const edit = can(access, "courses:manage", courseTarget(course, team, "editors"));
      const publish = can(access, "courses:publish", courseTarget(course, team, "editors"));
      const outline = await courseOutline(ctx, course.id, edit && request.query.view !== "learner");
      const instructor = await ctx.db
        .selectFrom("users")
        .select(["id", "first_name", "last_name", "avatar_file_id"])
        .where("id", "=", course.instructor_id)
        .executeTakeFirstOrThrow();
      return ok({
        course: presentCourse(course),
        instructor: {
          id: instructor.id,
          name: `${instructor.first_name} ${instructor.last_name}`,
          avatarUrl: avatarUrl(instructor.avatar_file_id),
        },
        modules: outline.map(({ module, lessons }) => ({
          ...presentModule(module),
          lessons: lessons.map(presentLessonSummary),
        })),
        abilities: { edit, publish },
      });
    },
  );

  app.post(
    "/api/v1/courses",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Create a course",
        description:
          "Starts as a draft with an Introduction module. Without `organizationId` it joins the platform-wide catalog (platform rights needed); with one, it is private to that organization.",
        body: z
          .object({
            ...courseFields,
            organizationId: tenantRef().nullable(),
            instructorId: ref("user"),
          })
          .partial()
          .required({ code: true, title: true }),
        response: { 201: envelope(courseSchema) },
      },
    },
    async (request, reply) => {
      const course = await createCourse(request.ctx, request.body);
      reply.code(201);
      return ok(presentCourse(course));
    },
  );

  app.patch(
    "/api/v1/courses/:courseId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Change a course",
        description: "`code`, `currency` and `delivery` are locked while the course is published.",
        params: courseParams,
        body: z
          .object({ ...courseFields, instructorId: ref("user") })
          .partial()
          .strict(),
        response: { 200: envelope(courseSchema) },
      },
    },
    async (request) =>
      ok(presentCourse(await updateCourse(request.ctx, request.params.courseId, request.body))),
  );

  app.delete(
    "/api/v1/courses/:courseId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Delete a course",
        description: "Soft delete; its code and slug can be reused.",
        params: courseParams,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteCourse(request.ctx, request.params.courseId);
      return done();
    },
  );

  app.get(
    "/api/v1/courses/:courseId/publication-check",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "What still stops a course from being published",
        description: [
          "`items` lists each failed check with a stable `code`, and where it is fixed: a course `field` or a `moduleId`. `problems` gives the same checks as short phrases (as `COURSE_NOT_PUBLISHABLE` lists them).",
          "",
          "| code | fixed at |",
          "|---|---|",
          "| `DESCRIPTION_TOO_SHORT` | `field: description` (20 characters at least) |",
          "| `CATEGORY_MISSING` | `field: category` |",
          "| `NO_PUBLISHED_MODULE` | the course's modules: publish one |",
          "| `MODULE_EMPTY` | `moduleId`: a published module without a published lesson or quiz (the message names it) |",
          "| `INSTRUCTOR_NOT_READY` | `field: instructorId`: the instructor's account must be active with a verified email |",
        ].join("\n"),
        params: courseParams,
        response: { 200: envelope(publicationCheckSchema) },
      },
    },
    async (request) => {
      const course = await courseForChange(request.ctx, request.params.courseId);
      return ok(await publicationCheck(request.ctx, course));
    },
  );

  for (const [action, fn, summary] of [
    ["publish", publishCourse, "Publish a course (after the publication checks)"],
    ["archive", archiveCourse, "Archive a course: it leaves the catalog, its records stay"],
    ["unpublish", unpublishCourse, "Take a course back to draft"],
  ] as const) {
    app.post(
      `/api/v1/courses/:courseId/${action}`,
      {
        config: { access: { permission: "courses:publish" } },
        schema: { tags, summary, params: courseParams, response: { 200: envelope(courseSchema) } },
      },
      async (request) => ok(presentCourse(await fn(request.ctx, request.params.courseId))),
    );
  }

  app.get(
    "/api/v1/courses/:courseId/staff",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "A course's co-instructors and teaching assistants",
        params: courseParams,
        response: { 200: envelope(z.array(staffSchema)) },
      },
    },
    async (request) =>
      ok((await listStaff(request.ctx, request.params.courseId)).map(presentStaff)),
  );

  app.put(
    "/api/v1/courses/:courseId/staff/:userId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Add or change a co-instructor or teaching assistant",
        params: courseParams.extend(idParam("userId").shape),
        body: z.object({
          role: z.enum(["co-instructor", "teaching-assistant"]),
          canEditContent: z.boolean().optional().describe("Default: true for co-instructors"),
          canGrade: z.boolean().optional(),
          canManageEnrollments: z.boolean().optional(),
        }),
        response: { 200: envelope(z.array(staffSchema)) },
      },
    },
    async (request) =>
      ok(
        (
          await putStaff(request.ctx, request.params.courseId, request.params.userId, request.body)
        ).map(presentStaff),
      ),
  );

  app.delete(
    "/api/v1/courses/:courseId/staff/:userId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Remove a staff member",
        params: courseParams.extend(idParam("userId").shape),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeStaff(request.ctx, request.params.courseId, request.params.userId);
      return done();
    },
  );

  await contentRoutes(app);
  await courseFileRoutes(app, learns);
}
