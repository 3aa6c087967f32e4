import { sql } from "kysely";
import {
  organizationOwnedKind,
  type RefKind,
  type RefScope,
  refKind,
} from "../../platform/references.js";

/** Catalog objects are visible in their own organization; the platform catalog everywhere. */
export const catalogVisible = (organizationId: string | null, scope: RefScope) =>
  organizationId === null || scope.organizations.includes(organizationId);

/** What visibility needs of an object of the catalog: its course's organization. */
export interface InCourse {
  id: string;
  organization_id: string | null;
}

/**
 * A kind for rows that belong to a course (`course_id`): visible where the course is. Tables
 * of higher modules (quizzes) use it too.
 */
export function courseChildKind(label: string, table: string): RefKind {
  return refKind<InCourse>({
    label,
    query: (_db, ids) => sql`
      select x.id, c.organization_id from ${sql.table(table)} x
      join courses c on c.id = x.course_id
      where x.id in (${sql.join(ids)})`,
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  });
}

/** Courses, modules and lessons, as body and query references. */
export const catalogRefKinds: Record<string, RefKind> = {
  course: refKind<InCourse>({
    label: "Course",
    query: (db, ids) =>
      db.selectFrom("courses").select(["id", "organization_id"]).where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
  module: courseChildKind("Module", "modules"),
  lesson: courseChildKind("Lesson", "lessons"),
  // Uploaded files (course files; an avatar has no organization).
  file: organizationOwnedKind("File", "file_uploads"),
};
