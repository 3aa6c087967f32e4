import type { Db } from "../../db/connection.js";
import { mapById, type RefKind, type RefScope, refKind } from "../../platform/references.js";

const inScope = (organizationId: string | null, scope: RefScope) =>
  organizationId !== null && scope.organizations.includes(organizationId);

/** A kind for rows one organization owns outright (`organization_id`): visible only inside it. */
function ownedKind(label: string, table: "departments" | "teams"): RefKind {
  return refKind<{ id: string; organization_id: string }>({
    label,
    async load(db, ids) {
      return mapById(
        await db
          .selectFrom(table)
          .select(["id", "organization_id"])
          .where("id", "in", ids)
          .execute(),
      );
    },
    home: (row) => row.organization_id,
    visible: (row, scope) => inScope(row.organization_id, scope),
  });
}

/** Organizations, people and the structure inside organizations, as body and query references. */
export const organizationRefKinds: Record<string, RefKind> = {
  organization: refKind<{ id: string }>({
    label: "Organization",
    async load(db, ids) {
      return mapById(
        await db
          .selectFrom("organizations")
          .select("id")
          .where("id", "in", ids)
          .where("deleted_at", "is", null)
          .execute(),
      );
    },
    home: (row) => row.id,
    visible: (row, scope) => inScope(row.id, scope),
  }),
  // A person may be named inside an organization they are a member of (whatever their
  // membership's status) or were enrolled through (histories and reports name former
  // members too), by themselves, and anywhere on the platform catalog.
  user: refKind<{ id: string; organizations: string[] }>({
    label: "User",
    async load(db: Db, ids) {
      const [users, memberships, enrollments] = await Promise.all([
        db
          .selectFrom("users")
          .select("id")
          .where("id", "in", ids)
          .where("deleted_at", "is", null)
          .execute(),
        db
          .selectFrom("organization_members")
          .select(["user_id", "organization_id"])
          .where("user_id", "in", ids)
          .execute(),
        db
          .selectFrom("enrollments")
          .select(["user_id", "organization_id"])
          .distinct()
          .where("user_id", "in", ids)
          .where("organization_id", "is not", null)
          .execute(),
      ]);
      const map = new Map(users.map((u) => [u.id, { id: u.id, organizations: [] as string[] }]));
      for (const m of [...memberships, ...enrollments])
        if (m.organization_id) map.get(m.user_id)?.organizations.push(m.organization_id);
      return map;
    },
    home: () => null,
    visible: (row, scope) =>
      scope.anyUser ||
      row.id === scope.userId ||
      row.organizations.some((o) => scope.organizations.includes(o)),
  }),
  department: ownedKind("Department", "departments"),
  team: ownedKind("Team", "teams"),
};
