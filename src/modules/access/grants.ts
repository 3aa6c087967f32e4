import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import type { ActorAccess, Grant, Scope } from "../../platform/policy/engine.js";
import { parsePermission } from "../../platform/policy/engine.js";

/**
 * Everything the policy needs about a person: the permissions of their unexpired roles in
 * organizations where they are an active member (and of their platform roles), their
 * departments, and the teams they lead.
 */
export async function loadUserAccess(db: Db, userId: string, now: Date): Promise<ActorAccess> {
  const [grants, departments, teams] = await Promise.all([
    db
      .selectFrom("user_roles as ur")
      .innerJoin("role_permissions as rp", "rp.role_id", "ur.role_id")
      .innerJoin("permissions as p", "p.key", "rp.permission_key")
      .leftJoin("organizations as o", "o.id", "ur.organization_id")
      .leftJoin("organization_members as m", (join) =>
        join
          .onRef("m.organization_id", "=", "ur.organization_id")
          .onRef("m.user_id", "=", "ur.user_id"),
      )
      .select([
        "p.resource",
        "p.action",
        "p.scope",
        "ur.organization_id",
        "ur.department_id",
        "ur.team_id",
      ])
      .where("ur.user_id", "=", userId)
      .where((eb) => eb.or([eb("ur.expires_at", "is", null), eb("ur.expires_at", ">", now)]))
      .where((eb) =>
        eb.or([
          eb("ur.organization_id", "is", null),
          eb.and([
            eb("m.status", "=", "active"),
            eb("o.status", "!=", "suspended"),
            eb("o.deleted_at", "is", null),
          ]),
        ]),
      )
      .execute(),
    db
      .selectFrom("organization_members")
      .select(["organization_id", "department_id"])
      .where("user_id", "=", userId)
      .where("status", "=", "active")
      .where("department_id", "is not", null)
      .execute(),
    db
      .selectFrom("teams as t")
      .select(["t.organization_id", "t.id"])
      .where((eb) =>
        eb.or([
          eb("t.manager_user_id", "=", userId),
          eb.exists(
            eb
              .selectFrom("team_members as tm")
              .select(sql`1`.as("one"))
              .whereRef("tm.team_id", "=", "t.id")
              .where("tm.user_id", "=", userId)
              .where("tm.role", "=", "lead"),
          ),
        ]),
      )
      .execute(),
  ]);
  return {
    userId,
    grants: grants.map(
      (g): Grant => ({
        resource: g.resource,
        action: g.action,
        scope: g.scope as Scope,
        organizationId: g.organization_id,
        departmentId: g.department_id,
        teamId: g.team_id,
      }),
    ),
    departments: groupBy(
      departments,
      (d) => d.organization_id,
      (d) => d.department_id as string,
    ),
    ledTeams: groupBy(
      teams,
      (t) => t.organization_id,
      (t) => t.id,
    ),
  };
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

function groupBy<T>(rows: T[], key: (r: T) => string, value: (r: T) => string) {
  const out: Record<string, string[]> = {};
  for (const row of rows) {
    const k = key(row);
    const list = out[k] ?? [];
    list.push(value(row));
    out[k] = list;
  }
  return out;
}
