import { type RefKind, refKind } from "../../platform/references.js";

/**
 * Certificates, as references and path objects: one issued through an organization lives in
 * it; one outside any organization belongs to its holder (or, named by anyone, the platform
 * catalog's audience).
 */
export const certificateRefKinds: Record<string, RefKind> = {
  certificate: refKind<{ organization_id: string | null; user_id: string }>({
    label: "Certificate",
    query: (db, ids) =>
      db
        .selectFrom("certificates")
        .select(["id", "organization_id", "user_id"])
        .where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) =>
      row.organization_id !== null
        ? scope.organizations.includes(row.organization_id)
        : scope.anyUser || row.user_id === scope.userId,
  }),
};
