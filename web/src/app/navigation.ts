import { holdsKey, OVER_PEOPLE } from "./permissions";

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
  /** Only at these scopes of `permission` (any scope when absent). */
  scopes?: readonly string[];
  /** Highlighted only on exactly this path (the start page). */
  end?: boolean;
}

export const NAVIGATION: readonly NavEntry[] = [
  { to: "/", label: "nav.myLearning", end: true },
  // The catalog is open to everyone signed in (the API shows each person what they may see).
  { to: "/catalog", label: "nav.catalog" },
  // Everyone signed in has their own certificates (GET /certificates/mine).
  { to: "/certificates", label: "nav.certificates" },
  // The courses a person authors: instructors (their own and those they co-teach) and
  // content administrators (their organization's catalog).
  { to: "/teaching", label: "nav.teaching", permission: "courses:manage" },
  // Report jobs are exports: only people who may export reports (department, organization)
  // see the entry; every learner holds reports:read:own, which would show it to everyone.
  // `/reports` opens the templates and marks the entry on every report page.
  { to: "/reports", label: "nav.reports", permission: "reports:export" },
  // The people of an organization, for whoever may read its members (the API narrows the
  // list to their department, team or courses).
  { to: "/people", label: "nav.people", permission: "members:read" },
  // Assigned training and who is late, for those who follow up other people's enrollments
  // (every learner reads their own; instructors see their courses' rosters elsewhere).
  {
    to: "/assignments",
    label: "nav.assignments",
    permission: "enrollments:read",
    scopes: OVER_PEOPLE,
  },
  // Where the people one looks after stand (a manager's teams, an administrator's
  // organization); every learner reads their own reports, which the start page shows.
  {
    to: "/learners",
    label: "nav.learners",
    permission: "reports:read",
    scopes: OVER_PEOPLE,
  },
  // The organization's settings, API keys and audit trail, for its administrators (each page
  // links to the others the person may open).
  { to: "/organization/settings", label: "nav.organization", permission: "organizations:read" },
  // The organization's integrations with external learning systems and what they brought in.
  { to: "/integrations", label: "nav.integrations", permission: "integrations:manage" },
  // Required training: who must take what, who stands where, exemptions (issue 16 §1).
  { to: "/compliance", label: "nav.compliance", permission: "compliance:read" },
  // What waits for the person's decision (workflow approvals): open to everyone signed in.
  { to: "/approvals", label: "nav.approvals" },
  // Workflows with approvals (issue 16 §3): their definitions and executions.
  { to: "/workflows", label: "nav.workflows", permission: "workflows:manage" },
  // The platform's administration: only platform administrators create organizations.
  {
    to: "/platform/organizations",
    label: "nav.platform",
    permission: "organizations:create",
    scopes: ["all"],
  },
];

export function visibleEntries(permissions: Set<string>): NavEntry[] {
  return NAVIGATION.filter(
    (entry) => !entry.permission || holdsKey(permissions, entry.permission, entry.scopes),
  );
}
