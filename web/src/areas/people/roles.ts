import { useRoles } from "../../api/people";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";

/**
 * The organization's roles by key, for showing names instead of keys, when the person may
 * read them (`roles:read`); otherwise keys show as they are.
 */
export function useRoleNames(orgId: string) {
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const readable = may("roles:read");
  const roles = useRoles(me.user.id, orgId, readable);
  const byKey = new Map((roles.data?.items ?? []).map((r) => [r.key, r.name]));
  return {
    roles: roles.data?.items ?? [],
    readable,
    nameOf: (key: string) => byKey.get(key) ?? key,
  };
}

/** The keys added and removed between two permission sets. */
export function permissionDiff(before: readonly string[], after: ReadonlySet<string>) {
  const had = new Set(before);
  return {
    added: [...after].filter((k) => !had.has(k)).sort(),
    removed: before.filter((k) => !after.has(k)).sort(),
  };
}
