import { sql } from "kysely";
import { type RefKind, type RefScope, refKind } from "../../platform/references.js";

const inScope = (organizationId: string | null, scope: RefScope) =>
  organizationId !== null && scope.organizations.includes(organizationId);

/** A kind for rows one organization owns outright (`organization_id`): visible only inside it. */
function ownedKind(label: string, table: "departments" | "teams"): RefKind {
  return refKind<{ id: string; organization_id: string }>({
    label,
    query: (db, ids) =>
      db.selectFrom(table).select(["id", "organization_id"]).where("id", "in", ids),
    home: (row) => row.organization_id,
    visible: (row, scope) => inScope(row.organization_id, scope),
  });
}

/** Organizations, people and the structure inside organizations, as body and query references. */
export const organizationRefKinds: Record<string, RefKind> = {
  organization: refKind<{ id: string }>({
    label: "Organization",
    query: (db, ids) =>
      db
        .selectFrom("organizations")
        .select("id")
        .where("id", "in", ids)
        .where("deleted_at", "is", null),
    home: (row) => row.id,
    visible: (row, scope) => inScope(row.id, scope),
  }),
  // A person may be named inside an organization they are a member of (whatever their
  // membership's status) or were enrolled through (histories and reports name former
  // members too), by themselves, and anywhere on the platform catalog.
  user: refKind<{ id: string; organizations: string[] }>({
    label: "User",
    // The organizations a person is or was in: memberships, and enrollments through one.
    query: (_db, ids) => sql`
      select u.id, array(
        select m.organization_id from organization_members m where m.user_id = u.id
        union
        select e.organization_id from enrollments e
        where e.user_id = u.id and e.organization_id is not null
      ) as organizations
      from users u where u.id in (${sql.join(ids)}) and u.deleted_at is null`,
    home: () => null,
    visible: (row, scope) =>
      scope.anyUser ||
      row.id === scope.userId ||
      row.organizations.some((o) => scope.organizations.includes(o)),
  }),
  department: ownedKind("Department", "departments"),
  team: ownedKind("Team", "teams"),
};
