import { AppError } from "../http/errors.js";

/**
 * Scopes from narrowest to widest. A grant at a wider scope covers every narrower one:
 * `users:read:organization` also allows what `users:read:team` allows.
 */
export const SCOPES = ["own", "assigned", "team", "department", "organization", "all"] as const;
export type Scope = (typeof SCOPES)[number];
const RANK: Record<Scope, number> = {
  own: 1,
  assigned: 2,
  team: 3,
  department: 4,
  organization: 5,
  all: 6,
};

/** `resource:action`, the unit routes and services ask about. */
export type Ability = `${string}:${string}`;

/** One permission held in one organization (or platform-wide when organizationId is null). */
export interface Grant {
  resource: string;
  action: string;
  scope: Scope;
  organizationId: string | null;
  /** Set when the role was assigned for one department: the grant only reaches it. */
  departmentId?: string | null;
  /** Set when the role was assigned for one team: the grant only reaches it. */
  teamId?: string | null;
}

/** What the policy needs to know about the actor besides grants. */
export interface ActorAccess {
  userId: string | null;
  /** The system itself (worker, CLI, seed): allowed everything. Never set for requests. */
  system?: boolean;
  grants: Grant[];
  /** Department ids the actor belongs to, per organization. */
  departments: Record<string, string[]>;
  /** Team ids the actor leads or manages, per organization. */
  ledTeams: Record<string, string[]>;
}

/** The object an action is aimed at, described by the relations scopes look at. */
export interface Target {
  organizationId: string | null;
  /** The user who owns the object (the learner, the author, the profile itself). */
  ownerId?: string | null;
  /** Department of the object, or of the user it is about. */
  departmentId?: string | null;
  /** Teams of the object, or of the user it is about. */
  teamIds?: readonly string[];
  /** Users assigned to the object (course staff, reviewers). */
  assigneeIds?: readonly string[];
}

export function parsePermission(key: string): { resource: string; action: string; scope: Scope } {
  const [resource, action, scope] = key.split(":");
  if (!resource || !action || !scope || !SCOPES.includes(scope as Scope)) {
    throw new Error(`malformed permission ${key}`);
  }
  return { resource, action, scope: scope as Scope };
}

export function scopeRank(scope: Scope): number {
  return RANK[scope];
}

function grantReaches(access: ActorAccess, grant: Grant, target: Target): boolean {
  if (grant.scope === "all") return true;
  if (grant.organizationId !== null && grant.organizationId !== target.organizationId) return false;
  if (grant.organizationId === null && grant.scope !== "own" && grant.scope !== "assigned") {
    // platform-level grants below `all` only ever reach the actor's own or assigned things
    return false;
  }
  const org = target.organizationId ?? "";
  switch (grant.scope) {
    case "organization":
      if (grant.departmentId) return target.departmentId === grant.departmentId;
      if (grant.teamId) return (target.teamIds ?? []).includes(grant.teamId);
      return true;
    case "department": {
      const mine = grant.departmentId ? [grant.departmentId] : (access.departments[org] ?? []);
      return !!target.departmentId && mine.includes(target.departmentId);
    }
    case "team": {
      const mine = grant.teamId ? [grant.teamId] : (access.ledTeams[org] ?? []);
      return (target.teamIds ?? []).some((t) => mine.includes(t));
    }
    case "assigned":
      return !!access.userId && (target.assigneeIds ?? []).includes(access.userId);
    case "own":
      return !!access.userId && target.ownerId === access.userId;
  }
}

/** May the actor do `ability` to `target`? */
export function can(access: ActorAccess, ability: Ability, target: Target): boolean {
  if (access.system) return true;
  const [resource, action] = ability.split(":");
  return access.grants.some(
    (g) => g.resource === resource && g.action === action && grantReaches(access, g, target),
  );
}

/** Throws FORBIDDEN unless the actor may do `ability` to `target`. */
export function authorize(access: ActorAccess, ability: Ability, target: Target): void {
  if (!can(access, ability, target)) {
    throw new AppError("FORBIDDEN", `You do not have permission to ${ability.replace(":", " ")}`, {
      details: { required: ability },
    });
  }
}

/**
 * The widest scope at which the actor holds `ability` in an organization (platform-wide
 * grants count), or null. List endpoints use it to decide which rows to filter to.
 */
export function widestScope(
  access: ActorAccess,
  ability: Ability,
  organizationId: string | null,
): Scope | null {
  if (access.system) return "all";
  const [resource, action] = ability.split(":");
  let best: Scope | null = null;
  for (const g of access.grants) {
    if (g.resource !== resource || g.action !== action) continue;
    if (g.scope !== "all" && g.organizationId !== organizationId) continue;
    if (!best || RANK[g.scope] > RANK[best]) best = g.scope;
  }
  return best;
}

/** Whether the actor holds `ability` at some scope in the organization (or everywhere). */
export function holds(
  access: ActorAccess,
  ability: Ability,
  organizationId: string | null,
): boolean {
  return widestScope(access, ability, organizationId) !== null;
}

/** The permission keys the actor holds in one organization, for presenting abilities to a UI. */
export function permissionKeys(access: ActorAccess, organizationId: string | null): string[] {
  // Access that cannot change (a cache's) is worked out once per organization.
  const frozen = Object.isFrozen(access);
  const memo = frozen ? keysMemo.get(access) : undefined;
  const known = memo?.get(organizationId);
  if (known) return known;
  const computed = Object.freeze(collectKeys(access, organizationId)) as string[];
  if (frozen) {
    const map = memo ?? new Map<string | null, string[]>();
    map.set(organizationId, computed);
    keysMemo.set(access, map);
  }
  return computed;
}

const keysMemo = new WeakMap<ActorAccess, Map<string | null, string[]>>();

function collectKeys(access: ActorAccess, organizationId: string | null): string[] {
  const keys = new Set<string>();
  for (const g of access.grants) {
    if (g.scope === "all" || g.organizationId === organizationId) {
      keys.add(`${g.resource}:${g.action}:${g.scope}`);
    }
  }
  return [...keys].sort();
}

export const NO_ACCESS: ActorAccess = { userId: null, grants: [], departments: {}, ledTeams: {} };

/** What the system actor holds: everything. */
export const SYSTEM_ACCESS: ActorAccess = { ...NO_ACCESS, system: true };
