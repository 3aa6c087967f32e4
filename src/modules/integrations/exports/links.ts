import { z } from "zod";
import { audit } from "../../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../../platform/context.js";
import { isoDateTime } from "../../../platform/http/envelope.js";
import { AppError, isUniqueViolation } from "../../../platform/http/errors.js";
import { visibleIntegration } from "../integrations.js";

/**
 * Course links (issue 15 §3, export direction): which of the organization's own Lyceum
 * courses corresponds to which course in the external system. An export run pushes, for each
 * link, the people enrolled in the Lyceum course to the linked external course.
 */

export interface CourseLink {
  id: string;
  organization_id: string;
  integration_id: string;
  course_id: string;
  course_title: string;
  course_code: string;
  external_course_id: string;
  created_at: Date;
}

export const courseLinkSchema = z
  .object({
    id: z.uuid(),
    integrationId: z.uuid(),
    courseId: z.uuid(),
    courseTitle: z.string(),
    courseCode: z.string(),
    externalCourseId: z.string(),
    createdAt: isoDateTime(),
  })
  .meta({ id: "IntegrationCourseLink" });

export function presentCourseLink(link: CourseLink): z.input<typeof courseLinkSchema> {
  return {
    id: link.id,
    integrationId: link.integration_id,
    courseId: link.course_id,
    courseTitle: link.course_title,
    courseCode: link.course_code,
    externalCourseId: link.external_course_id,
    createdAt: new Date(link.created_at).toISOString(),
  };
}

function links(ctx: Ctx) {
  return ctx.db
    .selectFrom("integration_course_links as l")
    .innerJoin("courses as c", "c.id", "l.course_id")
    .select([
      "l.id",
      "l.organization_id",
      "l.integration_id",
      "l.course_id",
      "c.title as course_title",
      "c.code as course_code",
      "l.external_course_id",
      "l.created_at",
    ]);
}

export async function listCourseLinks(ctx: Ctx, integrationId: string): Promise<CourseLink[]> {
  await visibleIntegration(ctx, integrationId);
  return links(ctx)
    .where("l.integration_id", "=", integrationId)
    .orderBy("l.created_at")
    .orderBy("l.id")
    .execute();
}

/**
 * Links one of the organization's own courses to a course over there. Courses mirrored from an
 * external system are not linked: they come in, they are not sent out.
 */
export async function createCourseLink(
  ctx: Ctx,
  integrationId: string,
  input: { courseId: string; externalCourseId: string },
): Promise<CourseLink> {
  const integration = await visibleIntegration(ctx, integrationId);
  const course = await ctx.db
    .selectFrom("courses")
    .select(["id", "organization_id", "integration_id"])
    .where("id", "=", input.courseId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!course || (course.organization_id && course.organization_id !== integration.organization_id))
    throw new AppError("NOT_FOUND", "Course not found");
  if (course.organization_id !== integration.organization_id)
    throw new AppError(
      "UNPROCESSABLE",
      "Only the organization's own courses can be linked for export, not courses of the platform catalog",
    );
  if (course.integration_id)
    throw new AppError(
      "UNPROCESSABLE",
      "This course is mirrored from an external system: it is read from there, not sent to it",
    );
  return inTransaction(ctx, async (tx) => {
    let id: string;
    try {
      ({ id } = await tx.db
        .insertInto("integration_course_links")
        .values({
          organization_id: integration.organization_id,
          integration_id: integration.id,
          course_id: course.id,
          external_course_id: input.externalCourseId,
          created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returning("id")
        .executeTakeFirstOrThrow());
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("CONFLICT", "This course is already linked in this integration");
      throw error;
    }
    await audit(tx, {
      organizationId: integration.organization_id,
      action: "integration.course-link-created",
      entityType: "integration",
      entityId: integration.id,
      after: { courseLinkId: id, courseId: course.id, externalCourseId: input.externalCourseId },
    });
    return links(tx).where("l.id", "=", id).executeTakeFirstOrThrow();
  });
}

/** Removes a link; what was already sent stays over there. */
export async function removeCourseLink(ctx: Ctx, id: string): Promise<void> {
  const link = await links(ctx).where("l.id", "=", id).executeTakeFirst();
  const integration = link
    ? await visibleIntegration(ctx, link.integration_id).catch(() => null)
    : null;
  if (!link || !integration) throw new AppError("NOT_FOUND", "Course link not found");
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("integration_course_links").where("id", "=", id).execute();
    await audit(tx, {
      organizationId: link.organization_id,
      action: "integration.course-link-removed",
      entityType: "integration",
      entityId: link.integration_id,
      before: {
        courseLinkId: id,
        courseId: link.course_id,
        externalCourseId: link.external_course_id,
      },
    });
  });
}
