import { useSignedInMe } from "./RequireAuth";

/**
 * What the person may do, from GET /users/me. Pages show or hide what follows from it; the
 * server decides every request all the same.
 */

/** Whether `keys` (as /users/me names them, with their scope) hold `key` at any scope. */
export function holdsKey(keys: Iterable<string>, key: string): boolean {
  for (const held of keys) if (held === key || held.startsWith(`${key}:`)) return true;
  return false;
}

/** Whether the person holds a permission (at any scope) in an organization. */
export function useOrgPermission(organizationId: string): (key: string) => boolean {
  const me = useSignedInMe();
  const membership = me.memberships.find((m) => m.organization.id === organizationId);
  const keys = [...me.platformPermissions, ...(membership?.permissions ?? [])];
  return (key) => holdsKey(keys, key);
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

/** The person's organizations in which they hold `key` (at any scope). */
export function useOrganizationsWith(key: string) {
  const me = useSignedInMe();
  return me.memberships.filter((m) => holdsKey(m.permissions, key));
}
