import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import {
  type ActorAccess,
  parsePermission,
  type Scope,
  scopeRank,
} from "../../platform/policy/engine.js";
import { isKnownPermission } from "./catalog.js";

/** The rank a grant really reaches: a role assigned for one department or team reaches no further. */
function effectiveRank(grant: ActorAccess["grants"][number]): number {
  if (grant.teamId) return Math.min(scopeRank(grant.scope), scopeRank("team"));
  if (grant.departmentId) return Math.min(scopeRank(grant.scope), scopeRank("department"));
  return scopeRank(grant.scope);
}

/** Whether the actor holds `key` (resource:action:scope) at that scope or wider in the organization. */
export function holdsAtLeast(access: ActorAccess, key: string, organizationId: string): boolean {
  const wanted = parsePermission(key);
  return access.grants.some(
    (g) =>
      g.resource === wanted.resource &&
      g.action === wanted.action &&
      (g.scope === "all" ||
        (g.organizationId === organizationId && effectiveRank(g) >= scopeRank(wanted.scope))),
  );
}

/**
 * Checks permission keys an organization-level role or API key may carry: known to the
 * catalog and never platform-wide (`all`).
 */
export function assertOrganizationPermissions(
  keys: readonly string[],
  field = "permissions",
): void {
  const unknown = keys.filter((k) => !isKnownPermission(k));
  if (unknown.length) {
    throw new AppError("VALIDATION_ERROR", `Unknown permissions: ${unknown.join(", ")}`, {
      field,
      details: { unknown },
    });
  }
  const platform = keys.filter((k) => (k.split(":")[2] as Scope) === "all");
  if (platform.length) {
    throw new AppError(
      "UNPROCESSABLE",
      "Organization roles and API keys cannot hold platform-wide (`all`) permissions",
      {
        field,
        details: { platformWide: platform },
      },
    );
  }
}

/**
 * No privilege escalation: people may only hand out permissions they hold themselves (at
 * the same or a wider scope). The system (CLI, seed) is not limited.
 */
export async function assertGrantable(
  ctx: Ctx,
  organizationId: string,
  keys: readonly string[],
  field = "permissions",
) {
  if (ctx.actor.kind === "system") return;
  const access = await ctx.actor.access();
  const beyond = keys.filter((k) => !holdsAtLeast(access, k, organizationId));
  if (beyond.length) {
    throw new AppError("FORBIDDEN", "You cannot grant permissions you do not hold yourself", {
      field,
      details: { notHeld: beyond },
    });
  }
}

/** Checks that the actor may hand out each of these roles (holds all their permissions). */
export async function assertRolesGrantable(
  ctx: Ctx,
  organizationId: string,
  roleKeys: readonly string[],
  field = "roleKeys",
) {
  if (ctx.actor.kind === "system" || !roleKeys.length) return;
  const rows = await ctx.db
    .selectFrom("roles as r")
    .leftJoin("role_permissions as rp", "rp.role_id", "r.id")
    .select(["r.key", "rp.permission_key"])
    .where("r.organization_id", "=", organizationId)
    .where("r.key", "in", [...roleKeys])
    .execute();
  const found = new Set(rows.map((r) => r.key));
  const missing = roleKeys.filter((k) => !found.has(k));
  if (missing.length) {
    throw new AppError("NOT_FOUND", `Roles not found in this organization: ${missing.join(", ")}`, {
      field,
    });
  }
  const keys = rows.map((r) => r.permission_key).filter((k): k is string => !!k);
  await assertGrantable(ctx, organizationId, [...new Set(keys)], field);
}
