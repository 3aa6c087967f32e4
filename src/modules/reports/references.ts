import { organizationOwnedKind, type RefKind, refKind } from "../../platform/references.js";

/**
 * Report templates and schedules, as body and query references. Templates: an organization's own inside it, the
 * system templates (no organization) everywhere. Every version of a template answers to
 * its own id and to the family's. A schedule belongs to its organization only.
 */
export const reportRefKinds: Record<string, RefKind> = {
  "report-template": refKind<{ id: string; family_id: string; organization_id: string | null }>({
    label: "Report template",
    query: (db, ids) =>
      db
        .selectFrom("report_templates")
        .select(["id", "family_id", "organization_id"])
        .where((eb) => eb.or([eb("id", "in", ids), eb("family_id", "in", ids)])),
    keys: (row) => [row.id, row.family_id],
    home: (row) => row.organization_id,
    visible: (row, scope) =>
      row.organization_id === null || scope.organizations.includes(row.organization_id),
  }),
  "report-schedule": refKind<{ id: string; organization_id: string }>({
    label: "Report schedule",
    query: (db, ids) =>
      db
        .selectFrom("report_schedules")
        .select(["id", "organization_id"])
        .where("id", "in", ids)
        .where("deleted_at", "is", null),
    home: (row) => row.organization_id,
    visible: (row, scope) => scope.organizations.includes(row.organization_id),
  }),
  "report-job": organizationOwnedKind("Report job", "report_jobs"),
};
