import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import type { MembershipSummary } from "../identity/memberships.js";

/**
 * The organizations a person belongs to, with department, teams and role keys: what
 * `/users/me` shows and what other modules ask when they need someone's memberships.
 */
export async function membershipsOf(db: Db, userId: string): Promise<MembershipSummary[]> {
  const { rows } = await sql<{
    organization_id: string;
    organization_name: string;
    slug: string;
    organization_status: string;
    status: "active" | "suspended";
    title: string | null;
    joined_at: Date;
    department_id: string | null;
    department_name: string | null;
    teams: Array<{ id: string; name: string; role: "member" | "lead" }>;
    roles: string[];
  }>`
    select o.id as organization_id, o.name as organization_name, o.slug, o.status as organization_status,
           m.status, m.title, m.joined_at, d.id as department_id, d.name as department_name,
           coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name, 'role', tm.role) order by t.name)
                     from team_members tm join teams t on t.id = tm.team_id
                     where tm.user_id = m.user_id and tm.organization_id = m.organization_id), '[]') as teams,
           coalesce((select json_agg(r.key order by r.priority desc, r.key)
                     from user_roles ur join roles r on r.id = ur.role_id
                     where ur.user_id = m.user_id and ur.organization_id = m.organization_id), '[]') as roles
    from organization_members m
    join organizations o on o.id = m.organization_id
    left join departments d on d.id = m.department_id
    where m.user_id = ${userId} and o.deleted_at is null
    order by o.name`.execute(db);
  return rows.map((m) => ({
    organization: {
      id: m.organization_id,
      name: m.organization_name,
      slug: m.slug,
      status: m.organization_status,
    },
    status: m.status,
    title: m.title,
    department: m.department_id ? { id: m.department_id, name: m.department_name as string } : null,
    teams: m.teams,
    roles: m.roles,
    joinedAt: new Date(m.joined_at),
  }));
}

/**
 * The organizations where a person is an active member (suspended memberships and deleted
 * organizations left out), oldest membership first: where what they do as a member counts.
 */
export async function activeOrganizationIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("organization_members as m")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select("m.organization_id")
    .where("m.user_id", "=", userId)
    .where("m.status", "=", "active")
    .where("o.deleted_at", "is", null)
    .orderBy("m.joined_at")
    .orderBy("m.organization_id")
    .execute();
  return rows.map((r) => r.organization_id);
}
