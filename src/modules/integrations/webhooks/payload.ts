import { z } from "zod";
import { isoDateTime } from "../../../platform/http/envelope.js";
import {
  EXTERNAL_ENROLLMENT_STATUSES,
  type ExternalCourse,
  type ExternalEnrollment,
} from "../connectors/types.js";

/**
 * What an external system pushes to an inbound-webhook integration: the fields of an external
 * course and enrollment (connectors/types.ts) in camelCase, dates as ISO 8601 with an offset.
 * Fields that may be left out are null when absent.
 */

/** Courses, and enrollments, per delivery at most. */
export const MAX_RECORDS = 1000;
/** The largest body accepted, in bytes (a larger one answers 413). */
export const MAX_BODY_BYTES = 1024 * 1024;

const text = (max: number) => z.string().trim().min(1).max(max);
const optional = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const date = () => optional(isoDateTime());

export const webhookCourseSchema = z
  .object({
    externalId: text(200).describe("The course's id in the sending system"),
    code: optional(text(100)),
    title: text(300),
    summary: optional(z.string().max(5000)),
    url: optional(z.url({ protocol: /^https?$/ }).max(1000)),
    startsAt: date(),
    endsAt: date(),
    updatedAt: date(),
  })
  .strict()
  .meta({ id: "LmsWebhookCourse" });

export const webhookPersonSchema = z
  .object({
    externalId: text(200),
    email: optional(z.email().max(320)).describe(
      "How Lyceum finds the person among the organization's members; nobody is created",
    ),
    firstName: optional(z.string().max(200)),
    lastName: optional(z.string().max(200)),
    username: optional(z.string().max(200)),
  })
  .strict();

const number = (min: number, max: number) => optional(z.number().min(min).max(max));
const int = (min: number, max: number) => optional(z.number().int().min(min).max(max));

export const webhookEnrollmentSchema = z
  .object({
    externalId: text(300).describe("Stable across deliveries: the key of the upsert"),
    courseExternalId: text(200).describe(
      "A course of this delivery's courses, or one an earlier delivery sent",
    ),
    person: webhookPersonSchema,
    status: z.enum(EXTERNAL_ENROLLMENT_STATUSES),
    enrolledAt: date(),
    startedAt: date(),
    completedAt: date(),
    dueAt: date(),
    lastAccessAt: date(),
    progressPercent: number(0, 100),
    timeSpentMinutes: int(0, 10_000_000),
    score: number(-1_000_000, 1_000_000),
    maxScore: number(0, 1_000_000),
    passingScore: number(0, 1_000_000),
    grade: optional(z.string().max(20)),
    credits: number(0, 100_000),
    costMinor: int(0, 1_000_000_000_000),
    currency: optional(z.string().regex(/^[A-Z]{3}$/, "An ISO 4217 code such as EUR")),
    instructorName: optional(z.string().max(200)),
    attempts: int(0, 100_000),
    certifiedAt: date(),
    certificateUrl: optional(z.url({ protocol: /^https?$/ }).max(1000)),
    updatedAt: date(),
  })
  .strict()
  .meta({ id: "LmsWebhookEnrollment" });

export const webhookDeliverySchema = z
  .object({
    id: text(200).describe(
      "The delivery's id, unique per integration: a delivery sent again with the same id is answered with the first one's result and not processed twice",
    ),
    type: z.literal("learning-records"),
    occurredAt: isoDateTime().describe("When the records changed in the sending system"),
    data: z
      .object({
        courses: z.array(webhookCourseSchema).max(MAX_RECORDS).default([]),
        enrollments: z.array(webhookEnrollmentSchema).max(MAX_RECORDS),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "LmsWebhookDelivery" });

export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

const at = (value: string | null | undefined) => (value ? new Date(value) : null);
const or = <T>(value: T | null | undefined) => value ?? null;

/** A delivered course as the engine reads it. */
export function toExternalCourse(c: z.infer<typeof webhookCourseSchema>): ExternalCourse {
  return {
    externalId: c.externalId,
    code: or(c.code),
    title: c.title,
    summary: or(c.summary),
    url: or(c.url),
    startsAt: at(c.startsAt),
    endsAt: at(c.endsAt),
    updatedAt: at(c.updatedAt),
  };
}

/** A delivered enrollment as the engine reads it. */
export function toExternalEnrollment(
  e: z.infer<typeof webhookEnrollmentSchema>,
): ExternalEnrollment {
  return {
    externalId: e.externalId,
    courseExternalId: e.courseExternalId,
    person: {
      externalId: e.person.externalId,
      email: or(e.person.email),
      firstName: or(e.person.firstName),
      lastName: or(e.person.lastName),
      username: or(e.person.username),
    },
    status: e.status,
    enrolledAt: at(e.enrolledAt),
    startedAt: at(e.startedAt),
    completedAt: at(e.completedAt),
    dueAt: at(e.dueAt),
    lastAccessAt: at(e.lastAccessAt),
    progressPercent: or(e.progressPercent),
    timeSpentMinutes: or(e.timeSpentMinutes),
    score: or(e.score),
    maxScore: or(e.maxScore),
    passingScore: or(e.passingScore),
    grade: or(e.grade),
    credits: or(e.credits),
    costMinor: or(e.costMinor),
    currency: or(e.currency),
    instructorName: or(e.instructorName),
    attempts: or(e.attempts),
    certifiedAt: at(e.certifiedAt),
    certificateUrl: or(e.certificateUrl),
    updatedAt: at(e.updatedAt),
  };
}
