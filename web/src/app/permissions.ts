import { useSignedInMe } from "./RequireAuth";

/**
 * What the person may do, from GET /users/me. Pages show or hide what follows from it; the
 * server decides every request all the same.
 */

/**
 * Whether `keys` (as /users/me names them, with their scope) hold `key` at any scope, or at
 * one of `scopes` when given.
 */
export function holdsKey(keys: Iterable<string>, key: string, scopes?: readonly string[]): boolean {
  for (const held of keys) {
    if (
      scopes
        ? scopes.some((scope) => held === `${key}:${scope}`)
        : held === key || held.startsWith(`${key}:`)
    )
      return true;
  }
  return false;
}

/**
 * The scopes in which a permission reaches other people: staff pages show to those who hold
 * it beyond themselves (every learner holds `enrollments:read:own`) and beyond the courses
 * they teach (`assigned`, which their course pages cover).
 */
export const OVER_PEOPLE = ["team", "department", "organization", "all"] as const;

/** Whether the person holds a permission (at any scope, or one of `scopes`) in an organization. */
export function useOrgPermission(
  organizationId: string,
): (key: string, scopes?: readonly string[]) => boolean {
  const me = useSignedInMe();
  const membership = me.memberships.find((m) => m.organization.id === organizationId);
  const keys = [...me.platformPermissions, ...(membership?.permissions ?? [])];
  return (key, scopes) => holdsKey(keys, key, scopes);
}

/**
 * Whether the person holds a permission across a whole organization (scope `organization`,
 * or `all` platform-wide), not only within a department or team: for actions whose form does
 * not ask for a department.
 */
export function useOrgWidePermission(organizationId: string): (key: string) => boolean {
  const me = useSignedInMe();
  const membership = me.memberships.find((m) => m.organization.id === organizationId);
  const keys = [...me.platformPermissions, ...(membership?.permissions ?? [])];
  return (key) => keys.includes(`${key}:organization`) || keys.includes(`${key}:all`);
}

/** The person's organizations in which they hold `key` (at any scope, or one of `scopes`). */
export function useOrganizationsWith(key: string, scopes?: readonly string[]) {
  const me = useSignedInMe();
  return me.memberships.filter((m) => holdsKey(m.permissions, key, scopes));
}
