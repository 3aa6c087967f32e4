import { sql } from "kysely";
import { personalKind, type RefKind, refKind } from "../../platform/references.js";
import { catalogVisible, type InCourse } from "../catalog/references.js";

/**
 * A kind for rows about a course that an organization may sponsor (`course_id`,
 * `organization_id`): they live in the sponsoring organization, else where the course does.
 */
function sponsoredKind(label: string, table: string): RefKind {
  return refKind<InCourse>({
    label,
    query: (_db, ids) => sql`
      select x.id, coalesce(x.organization_id, c.organization_id) as organization_id
      from ${sql.table(table)} x
      join courses c on c.id = x.course_id
      where x.id in (${sql.join(ids)})`,
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  });
}

/**
 * Enrollments, as body and query references (and, with what is requested or paid for a
 * course, as path objects): an organization's enrollments inside it; an
 * enrollment outside any organization (an individual learner's) by its learner, or on the
 * platform catalog.
 */
export const enrollmentRefKinds: Record<string, RefKind> = {
  enrollment: personalKind("Enrollment", "enrollments"),
  "access-code": sponsoredKind("Access code", "access_codes"),
  "enrollment-request": sponsoredKind("Enrollment request", "enrollment_requests"),
  "waitlist-entry": sponsoredKind("Waitlist entry", "waitlist_entries"),
  payment: sponsoredKind("Payment", "payments"),
};
