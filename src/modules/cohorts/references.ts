import { sql } from "kysely";
import { type RefKind, refKind } from "../../platform/references.js";
import { catalogVisible, courseChildKind, type InCourse } from "../catalog/references.js";

/**
 * Cohorts, as body and query references: visible where their course is, and a cohort private
 * to one organization (B2B) only inside that organization.
 */
export const cohortRefKinds: Record<string, RefKind> = {
  cohort: refKind<{ course_organization_id: string | null; organization_id: string | null }>({
    label: "Cohort",
    query: (db, ids) =>
      db
        .selectFrom("cohorts as k")
        .innerJoin("courses as c", "c.id", "k.course_id")
        .select(["k.id", "k.organization_id", "c.organization_id as course_organization_id"])
        .where("k.id", "in", ids),
    home: (row) => row.course_organization_id,
    visible: (row, scope) =>
      catalogVisible(row.course_organization_id, scope) &&
      catalogVisible(row.organization_id, scope),
  }),
  "kit-item": courseChildKind("Kit item", "kit_items"),
  // A cohort session's recording lives where the cohort's course does.
  recording: refKind<InCourse>({
    label: "Recording",
    query: (_db, ids) => sql`
      select r.id, c.organization_id from session_recordings r
      join cohorts k on k.id = r.cohort_id
      join courses c on c.id = k.course_id
      where r.id in (${sql.join(ids)})`,
    home: (row) => row.organization_id,
    visible: (row, scope) => catalogVisible(row.organization_id, scope),
  }),
};
