/**
 * Database refusals a client can provoke, mapped to the domain's error codes.
 *
 * Services check rules before they write, but two requests racing each other can both pass the
 * check and meet at the database: the second then hits a unique index. That is the same answer
 * the check would have given (two concurrent self-enrollments: the loser is ALREADY_ENROLLED,
 * not a generic conflict), so each constraint a client can reach names its code here.
 * Constraints not listed fall back by kind: unique → CONFLICT, foreign key → NOT_FOUND (a
 * referenced object does not exist) or CONFLICT (the object is still referenced), check and
 * not-null → VALIDATION_ERROR, bad values (overflow, malformed text) → VALIDATION_ERROR.
 * Never is the database's own message passed on: it names tables and columns.
 */
import { AppError, type ErrorCode } from "./errors.js";

/** Unique constraints and indexes (migrations/*.sql) → the code a client switches on. */
export const UNIQUE_CONSTRAINTS: Record<string, { code: ErrorCode; message: string }> = {
  users_email_key: { code: "EMAIL_TAKEN", message: "Another account uses this email address" },
  organizations_slug_key: { code: "SLUG_TAKEN", message: "Another organization uses this slug" },
  organization_domains_verified_key: {
    code: "DOMAIN_TAKEN",
    message: "Another organization verified this email domain",
  },
  organization_domains_org_domain_key: {
    code: "ALREADY_EXISTS",
    message: "The organization already claims this email domain",
  },
  organization_members_organization_id_user_id_key: {
    code: "ALREADY_MEMBER",
    message: "The person already belongs to the organization",
  },
  organization_invites_pending_email_key: {
    code: "ALREADY_EXISTS",
    message: "A pending invitation for this address already exists",
  },
  departments_organization_id_name_key: {
    code: "ALREADY_EXISTS",
    message: "A department with this name already exists",
  },
  teams_organization_id_name_key: {
    code: "ALREADY_EXISTS",
    message: "A team with this name already exists",
  },
  roles_organization_id_key_key: {
    code: "ALREADY_EXISTS",
    message: "A role with this key already exists",
  },
  user_roles_user_id_role_id_key: {
    code: "ALREADY_EXISTS",
    message: "The person already holds this role",
  },
  courses_code_key: { code: "CODE_TAKEN", message: "Another course uses this code" },
  courses_slug_key: { code: "SLUG_TAKEN", message: "Another course uses this slug" },
  course_staff_course_id_user_id_key: {
    code: "ALREADY_EXISTS",
    message: "The person is already on the course's staff",
  },
  access_codes_code_key: { code: "CODE_TAKEN", message: "Another access code uses this code" },
  lms_integrations_organization_id_code_key: {
    code: "CODE_TAKEN",
    message: "Another integration of the organization uses this code",
  },
  course_seat_allocations_organization_id_course_id_key: {
    code: "ALREADY_EXISTS",
    message: "The organization already has seats in this course",
  },
  enrollments_user_id_course_id_key: {
    code: "ALREADY_ENROLLED",
    message: "Already enrolled in this course",
  },
  enrollment_requests_pending_key: {
    code: "ALREADY_REQUESTED",
    message: "A request to join this course is already waiting for review",
  },
  waitlist_entries_active_key: {
    code: "ALREADY_WAITLISTED",
    message: "Already on this cohort's waitlist",
  },
  course_ratings_course_id_user_id_key: {
    code: "ALREADY_EXISTS",
    message: "You already rated this course",
  },
  certificates_enrollment_live_key: {
    code: "ALREADY_EXISTS",
    message: "This enrollment already has a certificate",
  },
  lookup_values_organization_id_category_key_key: {
    code: "ALREADY_EXISTS",
    message: "A lookup value with this key already exists",
  },
  quiz_attempts_open_key: {
    code: "ATTEMPT_IN_PROGRESS",
    message: "An attempt at this quiz is already in progress",
  },
  quiz_attempts_number_key: {
    code: "ATTEMPT_IN_PROGRESS",
    message: "An attempt at this quiz is already in progress",
  },
  report_templates_slug_key: {
    code: "SLUG_TAKEN",
    message: "Another report template uses this slug",
  },
};

/** Check constraints with a domain meaning of their own; others answer VALIDATION_ERROR. */
export const CHECK_CONSTRAINTS: Record<string, { code: ErrorCode; message: string }> = {
  cohorts_not_oversold: { code: "COHORT_FULL", message: "The cohort is full" },
};

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
  message?: string;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The AppError for a PostgreSQL error a client can cause (SQLSTATE classes 22 and 23, and
 * serialization failures), or null for anything else, which stays an internal error.
 */
export function fromDatabaseError(error: unknown): AppError | null {
  const e = error as PgError | null;
  if (!e || typeof e.code !== "string" || !/^[0-9A-Z]{5}$/.test(e.code)) return null;
  const constraint = e.constraint ?? "";
  switch (e.code) {
    case "23505": {
      const known = UNIQUE_CONSTRAINTS[constraint];
      if (known) return new AppError(known.code, known.message);
      return new AppError("CONFLICT", "A record with these values already exists");
    }
    case "23503": {
      // "insert or update on table … violates foreign key": the referenced row is missing.
      // "update or delete on table … violates foreign key": the row is still referenced.
      if (/^update or delete/.test(e.message ?? "")) {
        return new AppError("CONFLICT", "The object is still in use and cannot be removed");
      }
      const column = /^Key \(([a-z_]+)\)/.exec(e.detail ?? "")?.[1];
      return new AppError("NOT_FOUND", "A referenced object does not exist", {
        ...(column ? { field: camel(column) } : {}),
      });
    }
    case "23514": {
      const known = CHECK_CONSTRAINTS[constraint];
      if (known) return new AppError(known.code, known.message);
      return new AppError("VALIDATION_ERROR", "A value is outside what is allowed");
    }
    case "23502":
      return new AppError("VALIDATION_ERROR", "A required value is missing", {
        ...(e.column ? { field: camel(e.column) } : {}),
      });
    case "40001":
    case "40P01":
      return new AppError("CONFLICT", "The change collided with another one; try again");
  }
  // Class 22, data exceptions: numbers out of range, malformed text for a type, strings too
  // long, invalid dates. The input got past validation but not past the column type.
  if (e.code.startsWith("22")) {
    return new AppError("VALIDATION_ERROR", "A value is out of range or malformed");
  }
  return null;
}
