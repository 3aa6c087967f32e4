import { organizationOwnedKind, type RefKind, refKind } from "../../platform/references.js";

/** Compliance requirements and rules, as body and query references: visible only inside their organization. */
export const complianceRefKinds: Record<string, RefKind> = {
  "compliance-requirement": refKind<{ id: string; organization_id: string }>({
    label: "Compliance requirement",
    query: (db, ids) =>
      db
        .selectFrom("compliance_requirements")
        .select(["id", "organization_id"])
        .where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) => scope.organizations.includes(row.organization_id),
  }),
  "compliance-rule": refKind<{ id: string; organization_id: string }>({
    label: "Compliance rule",
    query: (db, ids) =>
      db.selectFrom("compliance_rules").select(["id", "organization_id"]).where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) => scope.organizations.includes(row.organization_id),
  }),
  "compliance-exemption": organizationOwnedKind("Exemption", "compliance_exemptions"),
};
