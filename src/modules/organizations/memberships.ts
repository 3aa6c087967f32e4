import type { Db } from "../../db/connection.js";

export interface MembershipSummary {
  organization: { id: string; name: string; slug: string; status: string };
  status: "active" | "suspended";
  title: string | null;
  department: { id: string; name: string } | null;
  teams: Array<{ id: string; name: string; role: "member" | "lead" }>;
  roles: string[];
  joinedAt: Date;
}

/**
 * The organizations a person belongs to, with department, teams and role keys: what
 * `/users/me` shows and what other modules ask when they need someone's memberships.
 */
export async function membershipsOf(db: Db, userId: string): Promise<MembershipSummary[]> {
  const [members, teams, roles] = await Promise.all([
    db
      .selectFrom("organization_members as m")
      .innerJoin("organizations as o", "o.id", "m.organization_id")
      .leftJoin("departments as d", "d.id", "m.department_id")
      .select([
        "o.id as organization_id",
        "o.name as organization_name",
        "o.slug",
        "o.status as organization_status",
        "m.status",
        "m.title",
        "m.joined_at",
        "d.id as department_id",
        "d.name as department_name",
      ])
      .where("m.user_id", "=", userId)
      .where("o.deleted_at", "is", null)
      .orderBy("o.name")
      .execute(),
    db
      .selectFrom("team_members as tm")
      .innerJoin("teams as t", "t.id", "tm.team_id")
      .select(["t.organization_id", "t.id", "t.name", "tm.role"])
      .where("tm.user_id", "=", userId)
      .orderBy("t.name")
      .execute(),
    db
      .selectFrom("user_roles as ur")
      .innerJoin("roles as r", "r.id", "ur.role_id")
      .select(["ur.organization_id", "r.key"])
      .where("ur.user_id", "=", userId)
      .where("ur.organization_id", "is not", null)
      .orderBy("r.priority", "desc")
      .execute(),
  ]);
  return members.map((m) => ({
    organization: {
      id: m.organization_id,
      name: m.organization_name,
      slug: m.slug,
      status: m.organization_status,
    },
    status: m.status,
    title: m.title,
    department: m.department_id ? { id: m.department_id, name: m.department_name as string } : null,
    teams: teams
      .filter((t) => t.organization_id === m.organization_id)
      .map((t) => ({ id: t.id, name: t.name, role: t.role })),
    roles: roles.filter((r) => r.organization_id === m.organization_id).map((r) => r.key),
    joinedAt: m.joined_at,
  }));
}
