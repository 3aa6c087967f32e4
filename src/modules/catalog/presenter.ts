import { z } from "zod";
import { isoDateTime } from "../../platform/http/envelope.js";
import { avatarUrl } from "../identity/presenter.js";
import type { CourseFileRow } from "./files.js";
import type { CourseListRow } from "./listing.js";
import type { CourseRow, LessonRow, ModuleRow } from "./schema.js";
import type { StaffView } from "./staff.js";

const iso = isoDateTime;

const courseFields = {
  id: z.uuid(),
  organizationId: z.uuid().nullable().describe("null for the platform-wide catalog"),
  code: z.string(),
  slug: z.string(),
  title: z.string(),
  subtitle: z.string().nullable(),
  description: z.string(),
  syllabus: z.string().nullable(),
  instructorId: z.uuid(),
  category: z.string().nullable(),
  subCategory: z.string().nullable(),
  level: z.enum(["beginner", "intermediate", "advanced", "all-levels"]),
  language: z.string(),
  thumbnailUrl: z.string().nullable(),
  introVideoUrl: z.string().nullable(),
  price: z.object({
    amount: z.number().int().describe("Minor units, e.g. cents"),
    currency: z.string(),
  }),
  enrollmentType: z.enum(["open", "approval", "invite", "paid"]),
  capacity: z.number().int().nullable(),
  delivery: z.enum(["self-paced", "cohort-based"]),
  status: z.enum(["draft", "published", "archived"]),
  prerequisiteCourseIds: z.array(z.uuid()),
  tags: z.array(z.string()),
  learningOutcomes: z.array(z.string()),
  requirements: z.array(z.string()),
  targetAudience: z.string().nullable(),
  durationMinutes: z.number().int(),
  completionCertificate: z.boolean(),
  allowDiscussion: z.boolean(),
  isFeatured: z.boolean(),
  rating: z.object({ average: z.number(), count: z.number().int() }),
  enrolledCount: z.number().int(),
  completedCount: z.number().int(),
  publishedAt: iso().nullable(),
  archivedAt: iso().nullable(),
  createdAt: iso(),
  updatedAt: iso(),
  deletedAt: iso().nullable(),
};

export const courseSchema = z.object(courseFields).meta({ id: "Course" });

export function presentCourse(c: CourseRow) {
  return {
    id: c.id,
    organizationId: c.organization_id,
    code: c.code,
    slug: c.slug,
    title: c.title,
    subtitle: c.subtitle,
    description: c.description,
    syllabus: c.syllabus,
    instructorId: c.instructor_id,
    category: c.category,
    subCategory: c.sub_category,
    level: c.level,
    language: c.language,
    thumbnailUrl: c.thumbnail_url,
    introVideoUrl: c.intro_video_url,
    price: { amount: c.price_amount, currency: c.currency },
    enrollmentType: c.enrollment_type,
    capacity: c.capacity,
    delivery: c.delivery,
    status: c.status,
    prerequisiteCourseIds: c.prerequisite_course_ids,
    tags: c.tags,
    learningOutcomes: c.learning_outcomes,
    requirements: c.requirements,
    targetAudience: c.target_audience,
    durationMinutes: c.duration_minutes,
    completionCertificate: c.completion_certificate,
    allowDiscussion: c.allow_discussion,
    isFeatured: c.is_featured,
    rating: { average: Number(c.rating_average), count: c.rating_count },
    enrolledCount: c.enrolled_count,
    completedCount: c.completed_count,
    publishedAt: c.published_at?.toISOString() ?? null,
    archivedAt: c.archived_at?.toISOString() ?? null,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
    deletedAt: c.deleted_at?.toISOString() ?? null,
  };
}

export const courseListItemSchema = courseSchema
  .extend({
    instructor: z.object({ id: z.uuid(), name: z.string(), avatarUrl: z.string().nullable() }),
    moduleCount: z.number().int(),
    lessonCount: z.number().int(),
  })
  .meta({ id: "CourseListItem" });

export function presentCourseListItem(row: CourseListRow) {
  return {
    ...presentCourse(row),
    instructor: {
      id: row.instructor_id,
      name: `${row.instructor_first_name} ${row.instructor_last_name}`,
      avatarUrl: avatarUrl(row.instructor_avatar_file_id),
    },
    moduleCount: Number(row.module_count ?? 0),
    lessonCount: Number(row.lesson_count ?? 0),
  };
}

export const moduleSchema = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    position: z.number().int(),
    isPublished: z.boolean(),
    unlockType: z.enum(["immediate", "scheduled", "sequential", "prerequisites"]),
    unlockAt: iso().nullable(),
    prerequisiteModuleIds: z.array(z.uuid()),
    estimatedDurationMinutes: z.number().int().nullable(),
    sessionType: z
      .enum(["S", "W", "MM", "CAP", "IO"])
      .nullable()
      .describe(
        "Cohort session type: Spark, Workshop, Mini-Masterclass, Capability, Implementation Office",
      ),
    dayNumber: z.number().int().nullable(),
    orderInDay: z.number().int().nullable(),
    outcomes: z.array(z.string()),
  })
  .meta({ id: "Module" });

export function presentModule(m: ModuleRow) {
  return {
    id: m.id,
    courseId: m.course_id,
    title: m.title,
    description: m.description,
    position: m.position,
    isPublished: m.is_published,
    unlockType: m.unlock_type,
    unlockAt: m.unlock_at?.toISOString() ?? null,
    prerequisiteModuleIds: m.prerequisite_module_ids,
    estimatedDurationMinutes: m.estimated_duration_minutes,
    sessionType: m.session_type,
    dayNumber: m.day_number,
    orderInDay: m.order_in_day,
    outcomes: m.outcomes,
  };
}

export const lessonSummarySchema = z
  .object({
    id: z.uuid(),
    moduleId: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    contentType: z.enum([
      "video",
      "text",
      "pdf",
      "audio",
      "interactive",
      "live-session",
      "external-link",
    ]),
    position: z.number().int(),
    durationMinutes: z.number().int(),
    minTimeSeconds: z.number().int(),
    isPreview: z.boolean(),
    isPublished: z.boolean(),
  })
  .meta({ id: "LessonSummary" });

export const lessonSchema = lessonSummarySchema
  .extend({
    courseId: z.uuid(),
    content: z.record(z.string(), z.unknown()),
    attachments: z.array(z.record(z.string(), z.unknown())),
    transcript: z.string().nullable(),
    allowComments: z.boolean(),
    updatedAt: iso(),
  })
  .meta({ id: "Lesson" });

export function presentLessonSummary(l: LessonRow) {
  return {
    id: l.id,
    moduleId: l.module_id,
    title: l.title,
    description: l.description,
    contentType: l.content_type,
    position: l.position,
    durationMinutes: l.duration_minutes,
    minTimeSeconds: l.min_time_seconds,
    isPreview: l.is_preview,
    isPublished: l.is_published,
  };
}

export function presentLesson(l: LessonRow) {
  return {
    ...presentLessonSummary(l),
    courseId: l.course_id,
    content: l.content,
    attachments: l.attachments,
    transcript: l.transcript,
    allowComments: l.allow_comments,
    updatedAt: l.updated_at.toISOString(),
  };
}

export const staffSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(["co-instructor", "teaching-assistant"]),
    canEditContent: z.boolean(),
    canGrade: z.boolean(),
    canManageEnrollments: z.boolean(),
    assignedAt: iso(),
  })
  .meta({ id: "CourseStaff" });

export function presentStaff(s: StaffView) {
  return {
    userId: s.user_id,
    name: `${s.first_name} ${s.last_name}`,
    email: s.email,
    role: s.role,
    canEditContent: s.can_edit_content,
    canGrade: s.can_grade,
    canManageEnrollments: s.can_manage_enrollments,
    assignedAt: s.assigned_at.toISOString(),
  };
}

export const courseFileSchema = z
  .object({
    id: z.uuid(),
    name: z.string().describe("The file name as uploaded (without folders)"),
    sizeBytes: z.number().int(),
    mimeType: z
      .string()
      .describe("Worked out from the file's bytes, not from what the client said"),
    url: z
      .url()
      .describe(
        "Absolute address of GET /course-files/{id}, to use in a lesson's content (video, audio and PDF lessons take http(s) URLs)",
      ),
    createdAt: iso(),
  })
  .meta({ id: "CourseFile" });

/** A course file, its address made absolute with `publicUrl` (lesson content takes http(s) URLs). */
export function presentCourseFile(file: CourseFileRow, publicUrl: string) {
  return {
    id: file.id,
    name: file.file_name,
    sizeBytes: file.file_size,
    mimeType: file.mime_type,
    url: `${publicUrl}/api/v1/course-files/${file.id}`,
    createdAt: file.created_at.toISOString(),
  };
}
