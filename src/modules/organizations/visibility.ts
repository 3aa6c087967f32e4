import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { ActorAccess } from "../../platform/policy/engine.js";

/**
 * Which members an actor may list: everyone (organization scope), or the union of their
 * departments, the teams they lead, and themselves.
 */
export function memberVisibility(
  access: ActorAccess,
  organizationId: string,
  ability = "members:read",
) {
  if (access.system) return { everyone: true as const };
  const [resource, action] = ability.split(":");
  const departments = new Set<string>();
  const teams = new Set<string>();
  let self = false;
  for (const g of access.grants) {
    if (g.resource !== resource || g.action !== action) continue;
    if (g.scope === "all") return { everyone: true as const };
    if (g.organizationId !== organizationId) continue;
    if (g.scope === "organization") {
      if (!g.departmentId && !g.teamId) return { everyone: true as const };
      if (g.departmentId) departments.add(g.departmentId);
      if (g.teamId) teams.add(g.teamId);
    } else if (g.scope === "department") {
      for (const d of g.departmentId
        ? [g.departmentId]
        : (access.departments[organizationId] ?? []))
        departments.add(d);
    } else if (g.scope === "team") {
      for (const t of g.teamId ? [g.teamId] : (access.ledTeams[organizationId] ?? [])) teams.add(t);
    } else {
      self = true;
    }
  }
  return {
    everyone: false as const,
    departments: [...departments],
    teams: [...teams],
    self: self ? access.userId : null,
  };
}

export type MemberVisibility = ReturnType<typeof memberVisibility>;

/**
 * The SQL condition of a visibility over a member row: the member's department is one of the
 * visible departments, or the member is in a visible team, or the member is the reader.
 * `columns` names the member's user id and department id in the caller's query.
 */
export function visibleMembersWhere(
  v: MemberVisibility,
  columns: { userId: string; departmentId: string },
) {
  // biome-ignore lint/suspicious/noExplicitAny: column names are the caller's aliases
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => {
    if (v.everyone) return eb.val(true);
    return eb.or([
      ...(v.departments.length ? [eb(eb.ref(columns.departmentId), "in", v.departments)] : []),
      ...(v.teams.length
        ? [
            eb(
              eb.ref(columns.userId),
              "in",
              eb.selectFrom("team_members").select("user_id").where("team_id", "in", v.teams),
            ),
          ]
        : []),
      ...(v.self ? [eb(eb.ref(columns.userId), "=", v.self)] : []),
      eb.val(false),
    ]);
  };
}
