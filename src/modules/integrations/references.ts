import { organizationOwnedKind, type RefKind, refKind } from "../../platform/references.js";

/** Integrations as body, query and path references: each belongs to its organization only. */
export const integrationRefKinds: Record<string, RefKind> = {
  "lms-integration": refKind<{ id: string; organization_id: string }>({
    label: "Integration",
    query: (db, ids) =>
      db
        .selectFrom("lms_integrations")
        .select(["id", "organization_id"])
        .where("id", "in", ids)
        .where("deleted_at", "is", null),
    home: (row) => row.organization_id,
    visible: (row, scope) => scope.organizations.includes(row.organization_id),
  }),
  "integration-dead-letter": refKind<{ id: string; organization_id: string }>({
    label: "Dead letter",
    query: (db, ids) =>
      db
        .selectFrom("integration_dead_letters")
        .select(["id", "organization_id"])
        .where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) => scope.organizations.includes(row.organization_id),
  }),
  "integration-sync-run": organizationOwnedKind("Sync run", "integration_sync_runs"),
  "integration-file-import": organizationOwnedKind("File import", "integration_file_imports"),
  "integration-course-link": organizationOwnedKind("Course link", "integration_course_links"),
};
