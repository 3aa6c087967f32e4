import { sql } from "kysely";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { authorize, can } from "../../platform/policy/engine.js";
import { slugify } from "../../platform/slug.js";
import { courseForChange } from "./policy.js";
import type { CourseLevel, CourseRow, Delivery, EnrollmentType } from "./schema.js";

export interface CourseInput {
  organizationId?: string | null;
  instructorId?: string;
  code: string;
  title: string;
  slug?: string;
  subtitle?: string | null;
  description?: string;
  syllabus?: string | null;
  category?: string | null;
  subCategory?: string | null;
  level?: CourseLevel;
  language?: string;
  thumbnailUrl?: string | null;
  introVideoUrl?: string | null;
  priceAmount?: number;
  currency?: string;
  enrollmentType?: EnrollmentType;
  capacity?: number | null;
  delivery?: Delivery;
  prerequisiteCourseIds?: string[];
  tags?: string[];
  learningOutcomes?: string[];
  requirements?: string[];
  targetAudience?: string | null;
  completionCertificate?: boolean;
  allowDiscussion?: boolean;
  isFeatured?: boolean;
}

/** Course slugs have always fallen back to this for titles without letters or digits. */
const COURSE_SLUG_FALLBACK = "organization";

const COLUMNS = {
  title: "title",
  subtitle: "subtitle",
  description: "description",
  syllabus: "syllabus",
  category: "category",
  subCategory: "sub_category",
  level: "level",
  language: "language",
  thumbnailUrl: "thumbnail_url",
  introVideoUrl: "intro_video_url",
  priceAmount: "price_amount",
  currency: "currency",
  enrollmentType: "enrollment_type",
  capacity: "capacity",
  delivery: "delivery",
  prerequisiteCourseIds: "prerequisite_course_ids",
  tags: "tags",
  learningOutcomes: "learning_outcomes",
  requirements: "requirements",
  targetAudience: "target_audience",
  completionCertificate: "completion_certificate",
  allowDiscussion: "allow_discussion",
  isFeatured: "is_featured",
  code: "code",
  slug: "slug",
} as const;

function columnsOf(input: Partial<CourseInput>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = input[field as keyof CourseInput];
    if (value !== undefined)
      out[column] = field === "tags" ? normalizeTags(value as string[]) : value;
  }
  return out;
}

function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** A slug not used by another live course: `title`, `title-2`, `title-3` … */
async function freeSlug(ctx: Ctx, wanted: string): Promise<string> {
  const base = slugify(wanted, COURSE_SLUG_FALLBACK);
  const taken = await ctx.db
    .selectFrom("courses")
    .select("slug")
    .where("deleted_at", "is", null)
    .where((eb) => eb.or([eb("slug", "=", base), eb("slug", "like", `${base}-%`)]))
    .execute();
  const used = new Set(taken.map((t) => t.slug));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

function uniqueError(error: unknown): AppError | null {
  if (isUniqueViolation(error, "courses_code_key"))
    return new AppError("CODE_TAKEN", "Another course uses this code", { field: "code" });
  if (isUniqueViolation(error, "courses_slug_key"))
    return new AppError("SLUG_TAKEN", "Another course uses this slug", { field: "slug" });
  return null;
}

async function assertPrerequisites(
  ctx: Ctx,
  ids: string[] | undefined,
  selfId?: string,
): Promise<void> {
  if (!ids?.length) return;
  if (selfId && ids.includes(selfId)) {
    throw new AppError("VALIDATION_ERROR", "A course cannot be its own prerequisite", {
      field: "prerequisiteCourseIds",
    });
  }
  const found = await ctx.db
    .selectFrom("courses")
    .select("id")
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  if (found.length !== new Set(ids).size) {
    throw new AppError("NOT_FOUND", "A prerequisite course does not exist", {
      field: "prerequisiteCourseIds",
    });
  }
}

/**
 * Creates a draft course with an "Introduction" module (seed 002 §Create Course). Platform
 * catalog courses need platform rights; an organization's courses need `courses:manage`
 * there. Naming another instructor needs organization-wide rights.
 */
export async function createCourse(ctx: Ctx, input: CourseInput): Promise<CourseRow> {
  const organizationId = input.organizationId ?? null;
  const actorId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const instructorId = input.instructorId ?? actorId;
  if (ctx.actor.kind !== "system") {
    authorize(await ctx.actor.access(), "courses:manage", {
      organizationId,
      ownerId: instructorId,
    });
  }
  if (!instructorId) {
    throw new AppError("VALIDATION_ERROR", "Name the course's instructor", {
      field: "instructorId",
    });
  }
  const instructor = await ctx.db
    .selectFrom("users")
    .select(["id", "status"])
    .where("id", "=", instructorId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!instructor)
    throw new AppError("NOT_FOUND", "Instructor not found", { field: "instructorId" });
  if (organizationId) {
    const member = await ctx.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", instructorId)
      .executeTakeFirst();
    if (!member)
      throw new AppError("NOT_FOUND", "The instructor is not a member of this organization", {
        field: "instructorId",
      });
  }
  await assertPrerequisites(ctx, input.prerequisiteCourseIds);
  const slug = input.slug
    ? slugify(input.slug, COURSE_SLUG_FALLBACK)
    : await freeSlug(ctx, input.title);
  return inTransaction(ctx, async (tx) => {
    let course: CourseRow;
    try {
      course = await tx.db
        .insertInto("courses")
        .values({
          ...(columnsOf({ ...input, code: input.code.toUpperCase(), slug }) as {
            code: string;
            slug: string;
            title: string;
          }),
          organization_id: organizationId,
          instructor_id: instructorId,
          created_by: actorId,
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      throw uniqueError(error) ?? error;
    }
    await tx.db
      .insertInto("modules")
      .values({ course_id: course.id, title: "Introduction", position: 1 })
      .execute();
    await audit(tx, {
      organizationId,
      action: "course.create",
      entityType: "course",
      entityId: course.id,
      after: course,
    });
    return course;
  });
}

/** Fields that identify a published course to its learners and buyers. */
const LOCKED_WHEN_PUBLISHED = ["code", "currency", "delivery"] as const;

export async function updateCourse(
  ctx: Ctx,
  courseId: string,
  patch: Partial<CourseInput>,
): Promise<CourseRow> {
  const course = await courseForChange(ctx, courseId);
  if (course.status === "published") {
    for (const field of LOCKED_WHEN_PUBLISHED) {
      if (
        patch[field] !== undefined &&
        String(patch[field]).toUpperCase() !== String(course[field]).toUpperCase()
      ) {
        throw new AppError("FIELD_LOCKED", `${field} cannot change while the course is published`, {
          field,
        });
      }
    }
  }
  if (patch.instructorId && patch.instructorId !== course.instructor_id) {
    authorize(await ctx.actor.access(), "courses:manage", {
      organizationId: course.organization_id,
    });
  }
  await assertPrerequisites(ctx, patch.prerequisiteCourseIds, courseId);
  const enrollmentType = patch.enrollmentType ?? course.enrollment_type;
  const price = patch.priceAmount ?? course.price_amount;
  if (enrollmentType === "paid" && price <= 0) {
    throw new AppError("VALIDATION_ERROR", "Paid courses need a price", { field: "priceAmount" });
  }
  return inTransaction(ctx, async (tx) => {
    let after: CourseRow;
    try {
      after = await tx.db
        .updateTable("courses")
        .set({
          ...columnsOf({
            ...patch,
            ...(patch.code ? { code: patch.code.toUpperCase() } : {}),
            ...(patch.slug ? { slug: slugify(patch.slug, COURSE_SLUG_FALLBACK) } : {}),
          }),
          ...(patch.instructorId ? { instructor_id: patch.instructorId } : {}),
        })
        .where("id", "=", courseId)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      throw uniqueError(error) ?? error;
    }
    await auditUpdate(tx, {
      organizationId: course.organization_id,
      action: "course.update",
      entityType: "course",
      entityId: courseId,
      before: course,
      after,
    });
    return after;
  });
}

/** Stable codes of the publication checks, for screens that lead to where each is fixed. */
export const PUBLICATION_CODES = [
  "DESCRIPTION_TOO_SHORT",
  "CATEGORY_MISSING",
  "NO_PUBLISHED_MODULE",
  "MODULE_EMPTY",
  "INSTRUCTOR_NOT_READY",
] as const;

/** One failed publication check: what is missing, and the course field or module to fix. */
export interface PublicationItem {
  code: (typeof PUBLICATION_CODES)[number];
  message: string;
  field?: "description" | "category" | "instructorId";
  moduleId?: string;
}

/**
 * The outcome of the publication checks: `items` (one per failed check, with its code) and
 * `problems`, the same as the short phrases "The course needs …" lists, as answered before
 * the items existed.
 */
export interface PublicationCheck {
  publishable: boolean;
  problems: string[];
  items: PublicationItem[];
}

/** What stops a course from being published (seed 002 §Publish Course); nothing when nothing does. */
export async function publicationCheck(ctx: Ctx, course: CourseRow): Promise<PublicationCheck> {
  const failed: Array<PublicationItem & { needs: string }> = [];
  if (course.description.trim().length < 20)
    failed.push({
      code: "DESCRIPTION_TOO_SHORT",
      field: "description",
      needs: "a description of at least 20 characters",
      message: "The description needs at least 20 characters",
    });
  if (!course.category)
    failed.push({
      code: "CATEGORY_MISSING",
      field: "category",
      needs: "a category",
      message: "Choose a category",
    });
  const [modules, instructor] = await Promise.all([
    ctx.db
      .selectFrom("modules as m")
      .select((eb) => [
        "m.id",
        "m.title",
        eb
          .selectFrom("lessons as l")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("l.module_id", "=", "m.id")
          .where("l.is_published", "=", true)
          .as("lessons"),
        eb
          .selectFrom("quizzes as q")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("q.module_id", "=", "m.id")
          .where("q.is_published", "=", true)
          .where("q.deleted_at", "is", null)
          .as("quizzes"),
      ])
      .where("m.course_id", "=", course.id)
      .where("m.is_published", "=", true)
      .orderBy("m.position")
      .execute(),
    ctx.db
      .selectFrom("users")
      .select(["email_verified", "status"])
      .where("id", "=", course.instructor_id)
      .executeTakeFirst(),
  ]);
  if (!modules.length)
    failed.push({
      code: "NO_PUBLISHED_MODULE",
      needs: "at least one published module",
      message: "Publish at least one module",
    });
  for (const m of modules)
    if (!Number(m.lessons) && !Number(m.quizzes))
      failed.push({
        code: "MODULE_EMPTY",
        moduleId: m.id,
        needs: `a published lesson or quiz in module "${m.title}"`,
        message: `Module "${m.title}" needs a published lesson or quiz`,
      });
  if (!instructor?.email_verified || instructor.status !== "active")
    failed.push({
      code: "INSTRUCTOR_NOT_READY",
      field: "instructorId",
      needs: "an active instructor with a verified email",
      message: "The instructor must be active and have a verified email address",
    });
  return {
    publishable: failed.length === 0,
    problems: failed.map((f) => f.needs),
    items: failed.map(({ needs: _, ...item }) => item),
  };
}

/**
 * Decides whether publishing a course waits for an approval (modules/workflows, wired in
 * app.ts): answers the id of the approval that now waits, or null to publish at once.
 */
export type PublicationGate = (ctx: Ctx, course: CourseRow) => Promise<string | null>;
let publicationGate: PublicationGate | null = null;

export function providePublicationGate(gate: PublicationGate | null): void {
  publicationGate = gate;
}

async function assertPublishable(ctx: Ctx, course: CourseRow): Promise<void> {
  const { publishable, problems, items } = await publicationCheck(ctx, course);
  if (!publishable) {
    throw new AppError("COURSE_NOT_PUBLISHABLE", `The course needs ${problems.join("; ")}`, {
      details: { problems, items },
    });
  }
}

/**
 * Publishes a course after its checks pass; refuses with every failed check listed. Where the
 * organization approves publications, a publisher who is not an approver starts the approval
 * instead (PUBLICATION_AWAITS_APPROVAL, with the execution's id).
 */
export async function publishCourse(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await courseForChange(ctx, courseId, "courses:publish");
  if (course.status === "published") return course;
  await assertPublishable(ctx, course);
  const waiting = publicationGate ? await publicationGate(ctx, course) : null;
  if (waiting)
    throw new AppError(
      "PUBLICATION_AWAITS_APPROVAL",
      "The course waits for a publication approval; it is published once approved",
      { details: { executionId: waiting } },
    );
  return setStatus(ctx, course, "published");
}

/** Publishes a course whose publication was approved (its checks run again). */
export async function publishApproved(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await ctx.db
    .selectFrom("courses")
    .selectAll()
    .where("id", "=", courseId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!course) throw new AppError("NOT_FOUND", "Course not found");
  if (course.status === "published") return course;
  await assertPublishable(ctx, course);
  return setStatus(ctx, course, "published");
}

export async function archiveCourse(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await courseForChange(ctx, courseId, "courses:publish");
  return course.status === "archived" ? course : setStatus(ctx, course, "archived");
}

/** Takes a course back to draft (from published or archived) for rework. */
export async function unpublishCourse(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await courseForChange(ctx, courseId, "courses:publish");
  return course.status === "draft" ? course : setStatus(ctx, course, "draft");
}

async function setStatus(
  ctx: Ctx,
  course: CourseRow,
  status: CourseRow["status"],
): Promise<CourseRow> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const after = await tx.db
      .updateTable("courses")
      .set({
        status,
        ...(status === "published"
          ? { published_at: course.published_at ?? now, archived_at: null }
          : {}),
        ...(status === "archived" ? { archived_at: now } : {}),
        ...(status === "draft" ? { archived_at: null } : {}),
      })
      .where("id", "=", course.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const verb =
      status === "published" ? "publish" : status === "archived" ? "archive" : "unpublish";
    await audit(tx, {
      organizationId: course.organization_id,
      action: `course.${verb}`,
      entityType: "course",
      entityId: course.id,
      before: { status: course.status },
      after: { status },
    });
    return after;
  });
}

/** Soft-deletes a course: it leaves the catalog; its code and slug become free again. */
export async function deleteCourse(ctx: Ctx, courseId: string): Promise<void> {
  const course = await courseForChange(ctx, courseId);
  if (
    course.status === "published" &&
    !can(await ctx.actor.access(), "courses:publish", {
      organizationId: course.organization_id,
      ownerId: course.instructor_id,
    })
  ) {
    throw new AppError("FORBIDDEN", "Unpublish the course before deleting it");
  }
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable("courses")
      .set({ deleted_at: tx.clock.now() })
      .where("id", "=", courseId)
      .execute();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "course.delete",
      entityType: "course",
      entityId: courseId,
      before: { status: course.status, code: course.code },
    });
  });
}

/** Recomputes a course's duration from its published lessons. */
export async function refreshCourseDuration(ctx: Ctx, courseId: string): Promise<void> {
  await sql`
    update courses set duration_minutes = coalesce((
      select sum(l.duration_minutes) from lessons l join modules m on m.id = l.module_id
      where l.course_id = ${courseId} and l.is_published and m.is_published), 0)
    where id = ${courseId}`.execute(ctx.db);
}
