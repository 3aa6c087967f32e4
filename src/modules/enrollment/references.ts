import { type RefKind, refKind } from "../../platform/references.js";

/**
 * Enrollments, as body and query references: an organization's enrollments inside it; an
 * enrollment outside any organization (an individual learner's) by its learner, or on the
 * platform catalog.
 */
export const enrollmentRefKinds: Record<string, RefKind> = {
  enrollment: refKind<{ organization_id: string | null; user_id: string }>({
    label: "Enrollment",
    query: (db, ids) =>
      db
        .selectFrom("enrollments")
        .select(["id", "organization_id", "user_id"])
        .where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) =>
      row.organization_id !== null
        ? scope.organizations.includes(row.organization_id)
        : scope.anyUser || row.user_id === scope.userId,
  }),
};
