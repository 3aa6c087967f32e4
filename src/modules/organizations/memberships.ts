import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../db/connection.js";
import type { MembershipLookup, MembershipSummary } from "../identity/memberships.js";

/** A membership as the JSON expression below answers it. */
interface MembershipJson {
  organization: MembershipSummary["organization"];
  status: MembershipSummary["status"];
  title: string | null;
  department: MembershipSummary["department"];
  teams: MembershipSummary["teams"];
  roles: string[];
  joinedAt: string;
}

/**
 * The organizations a person belongs to, with department, teams and role keys, ordered by
 * organization name, as one JSON value of the statement it sits in: `userId` is the person's
 * id there (a column such as `u.id`). `/users/me` reads it in the profile's own statement.
 */
export function membershipsJson(userId: RawBuilder<string>) {
  return sql<MembershipJson[]>`coalesce((
    select json_agg(json_build_object(
             'organization', json_build_object('id', o.id, 'name', o.name, 'slug', o.slug, 'status', o.status),
             'status', m.status, 'title', m.title,
             'department', case when d.id is null then null else json_build_object('id', d.id, 'name', d.name) end,
             'teams', coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name, 'role', tm.role) order by t.name)
                                from team_members tm join teams t on t.id = tm.team_id
                                where tm.user_id = m.user_id and tm.organization_id = m.organization_id), '[]'),
             'roles', coalesce((select json_agg(r.key order by r.priority desc, r.key)
                                from user_roles ur join roles r on r.id = ur.role_id
                                where ur.user_id = m.user_id and ur.organization_id = m.organization_id), '[]'),
             'joinedAt', m.joined_at) order by o.name, o.id)
    from organization_members m
    join organizations o on o.id = m.organization_id
    left join departments d on d.id = m.department_id
    where m.user_id = ${userId} and o.deleted_at is null), '[]')`;
}

/** The memberships `membershipsJson` read, with their dates as dates. */
export function membershipsFromJson(rows: MembershipJson[]): MembershipSummary[] {
  return rows.map((m) => ({ ...m, joinedAt: new Date(m.joinedAt) }));
}

/** What `/users/me` needs of the organizations module (identity/memberships.ts). */
export const membershipLookup: MembershipLookup = {
  json: membershipsJson,
  fromJson: (value) => membershipsFromJson(value as MembershipJson[]),
};

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
