import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import type { Ctx } from "../../platform/context.js";
import type { ActorAccess, Grant, Scope } from "../../platform/policy/engine.js";
import { parsePermission } from "../../platform/policy/engine.js";

interface AccessRow {
  kind: "grant" | "department" | "team";
  expires_at: Date | null;
  resource: string | null;
  action: string | null;
  scope: string | null;
  organization_id: string | null;
  department_id: string | null;
  team_id: string | null;
}

/**
 * Everything the policy needs about a person, in one round trip: the permissions of their
 * unexpired roles in organizations where they are an active member of an organization that
 * is not suspended (plus their platform roles), their departments, and the teams they lead.
 */
export async function loadUserAccess(db: Db, userId: string, now: Date): Promise<ActorAccess> {
  return (await loadUserAccessUntil(db, userId, now)).access;
}

/**
 * loadUserAccess, and until when it holds by the clock: the earliest expiry of the role
 * assignments it counted (null when none expires), for caches.
 */
export async function loadUserAccessUntil(
  db: Db,
  userId: string,
  now: Date,
): Promise<{ access: ActorAccess; validUntil: Date | null }> {
  const { rows } = await sql<AccessRow>`
    select 'grant' as kind, ur.expires_at, p.resource, p.action, p.scope, ur.organization_id, ur.department_id, ur.team_id
    from user_roles ur
    join role_permissions rp on rp.role_id = ur.role_id
    join permissions p on p.key = rp.permission_key
    left join organizations o on o.id = ur.organization_id
    left join organization_members m on m.organization_id = ur.organization_id and m.user_id = ur.user_id
    where ur.user_id = ${userId}
      and (ur.expires_at is null or ur.expires_at > ${now})
      and (ur.organization_id is null
           or (m.status = 'active' and o.status <> 'suspended' and o.deleted_at is null))
    union all
    select 'department', null, null, null, null, m.organization_id, m.department_id, null
    from organization_members m
    where m.user_id = ${userId} and m.status = 'active' and m.department_id is not null
    union all
    select 'team', null, null, null, null, t.organization_id, null, t.id
    from teams t
    where t.manager_user_id = ${userId}
       or exists (select 1 from team_members tm where tm.team_id = t.id and tm.user_id = ${userId} and tm.role = 'lead')
  `.execute(db);
  const grants: Grant[] = [];
  const departments: Record<string, string[]> = {};
  const ledTeams: Record<string, string[]> = {};
  let validUntil: Date | null = null;
  for (const row of rows) {
    if (row.kind === "grant") {
      if (row.expires_at && (!validUntil || row.expires_at < validUntil))
        validUntil = row.expires_at;
      grants.push({
        resource: row.resource as string,
        action: row.action as string,
        scope: row.scope as Scope,
        organizationId: row.organization_id,
        departmentId: row.department_id,
        teamId: row.team_id,
      });
    } else if (row.kind === "department") {
      push(departments, row.organization_id as string, row.department_id as string);
    } else {
      push(ledTeams, row.organization_id as string, row.team_id as string);
    }
  }
  return { access: { userId, grants, departments, ledTeams }, validUntil };
}

/** What an API key may do: its scopes, inside its own organization only. */
export function apiKeyAccess(organizationId: string, scopes: string[]): ActorAccess {
  return {
    userId: null,
    grants: scopes.map((key) => ({ ...parsePermission(key), organizationId })),
    departments: {},
    ledTeams: {},
  };
}

function push(map: Record<string, string[]>, key: string, value: string): void {
  const list = map[key] ?? [];
  if (!list.includes(value)) list.push(value);
  map[key] = list;
}

/**
 * A context acting as a person with their access as it is now: work done on someone's behalf
 * later (report jobs and schedules, seeding) sees exactly what they could see themselves.
 */
export async function actingAsUser(base: Ctx, userId: string, sessionId: string): Promise<Ctx> {
  const access = await loadUserAccess(base.db, userId, base.clock.now());
  return {
    ...base,
    actor: { kind: "user", userId, sessionId, transport: "bearer", access: async () => access },
  };
}
