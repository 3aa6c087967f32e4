/**
 * The shell's navigation. An entry with a `permission` shows only to people holding that
 * key in some organization or platform-wide (GET /users/me); the server still decides
 * every request. Entries are added here as their areas are built.
 */
export interface NavEntry {
  to: string;
  /** Key in the common namespace. */
  label: string;
  permission?: string;
  /** Highlighted only on exactly this path (the start page). */
  end?: boolean;
}

export const NAVIGATION: readonly NavEntry[] = [
  { to: "/", label: "nav.myLearning", end: true },
  // The catalog is open to everyone signed in (the API shows each person what they may see).
  { to: "/catalog", label: "nav.catalog" },
  // Everyone signed in has their own certificates (GET /certificates/mine).
  { to: "/certificates", label: "nav.certificates" },
  // Report jobs are exports: only people who may export reports (department, organization)
  // see the entry; every learner holds reports:read:own, which would show it to everyone.
  { to: "/reports/jobs", label: "nav.reports", permission: "reports:export" },
];

/**
 * Whether the person holds a key. /users/me names keys with their scope
 * (`reports:read:organization`); an entry's key without one (`reports:read`) is held at any scope.
 */
function holds(permissions: Set<string>, key: string): boolean {
  if (permissions.has(key)) return true;
  for (const held of permissions) if (held.startsWith(`${key}:`)) return true;
  return false;
}

export function visibleEntries(permissions: Set<string>): NavEntry[] {
  return NAVIGATION.filter((entry) => !entry.permission || holds(permissions, entry.permission));
}
