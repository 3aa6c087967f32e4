import type { DataAccessLevel } from "../../db/schema.js";
import type { Scope } from "../../platform/policy/engine.js";

/**
 * The permission catalog: every `resource:action` Lyceum knows, with the scopes it can be
 * granted at. Permission keys are `resource:action:scope`. The catalog is synced into the
 * `permissions` table at start, so roles can only hold keys that exist.
 */
interface Capability {
  resource: string;
  action: string;
  description: string;
  scopes: readonly Scope[];
}

const ALL: readonly Scope[] = ["own", "assigned", "team", "department", "organization", "all"];
const ORG: readonly Scope[] = ["department", "organization", "all"];
const ADMIN: readonly Scope[] = ["organization", "all"];

export const CAPABILITIES: readonly Capability[] = [
  { resource: "users", action: "read", description: "See people's profiles", scopes: ALL },
  { resource: "users", action: "update", description: "Edit people's profiles", scopes: ALL },
  {
    resource: "users",
    action: "suspend",
    description: "Suspend and reactivate accounts",
    scopes: ADMIN,
  },
  {
    resource: "organizations",
    action: "create",
    description: "Create organizations",
    scopes: ["all"],
  },
  {
    resource: "organizations",
    action: "read",
    description: "See organization settings",
    scopes: ADMIN,
  },
  {
    resource: "organizations",
    action: "update",
    description: "Change organization settings and seats",
    scopes: ADMIN,
  },
  {
    resource: "organizations",
    action: "delete",
    description: "Delete organizations",
    scopes: ["all"],
  },
  {
    resource: "members",
    action: "read",
    description: "List members with their departments, teams and roles",
    scopes: ALL,
  },
  {
    resource: "members",
    action: "manage",
    description: "Add, update and remove members",
    scopes: ORG,
  },
  { resource: "invites", action: "read", description: "See pending invitations", scopes: ORG },
  {
    resource: "invites",
    action: "manage",
    description: "Invite people and revoke invitations",
    scopes: ORG,
  },
  {
    resource: "domains",
    action: "manage",
    description: "Claim, verify and remove the organization's email domains",
    scopes: ADMIN,
  },
  { resource: "departments", action: "read", description: "See departments", scopes: ADMIN },
  {
    resource: "departments",
    action: "manage",
    description: "Create, rename and delete departments",
    scopes: ADMIN,
  },
  {
    resource: "teams",
    action: "read",
    description: "See teams and their members",
    scopes: ["team", "department", "organization", "all"],
  },
  {
    resource: "teams",
    action: "manage",
    description: "Create teams and change their members",
    scopes: ["team", "department", "organization", "all"],
  },
  {
    resource: "roles",
    action: "read",
    description: "See roles and their permissions",
    scopes: ADMIN,
  },
  {
    resource: "roles",
    action: "manage",
    description: "Create roles and change their permissions",
    scopes: ADMIN,
  },
  {
    resource: "roles",
    action: "assign",
    description: "Give people roles and take them away",
    scopes: ORG,
  },
  {
    resource: "api-keys",
    action: "read",
    description: "See API keys and their usage",
    scopes: ADMIN,
  },
  {
    resource: "api-keys",
    action: "manage",
    description: "Create, change and revoke API keys",
    scopes: ADMIN,
  },
  { resource: "audit-logs", action: "read", description: "Read the audit trail", scopes: ADMIN },
  {
    resource: "system-logs",
    action: "read",
    description: "Read security and system events",
    scopes: ["all"],
  },
  { resource: "mail-outbox", action: "read", description: "See outgoing mail", scopes: ["all"] },
  { resource: "jobs", action: "read", description: "See background jobs", scopes: ["all"] },
  // The learning domain; the endpoints arrive with the catalog, enrollment and reporting work.
  {
    resource: "courses",
    action: "read",
    description: "See courses, including unpublished ones",
    scopes: ALL,
  },
  {
    resource: "courses",
    action: "manage",
    description: "Create and edit courses, modules and lessons",
    scopes: ["own", "assigned", "organization", "all"],
  },
  {
    resource: "courses",
    action: "publish",
    description: "Publish and archive courses",
    scopes: ["own", "assigned", "organization", "all"],
  },
  {
    resource: "cohorts",
    action: "manage",
    description: "Run cohorts: dates, capacity, waitlists",
    scopes: ["assigned", "organization", "all"],
  },
  { resource: "enrollments", action: "read", description: "See enrollments", scopes: ALL },
  {
    resource: "enrollments",
    action: "create",
    description: "Enroll people or assign training",
    scopes: ALL,
  },
  {
    resource: "enrollments",
    action: "manage",
    description: "Suspend, reactivate, complete and drop other people's enrollments",
    scopes: ["assigned", "team", "department", "organization", "all"],
  },
  {
    resource: "enrollments",
    action: "approve",
    description: "Approve enrollment requests",
    scopes: ["assigned", "department", "organization", "all"],
  },
  {
    resource: "access-codes",
    action: "manage",
    description: "Create and change a course's access codes",
    scopes: ["assigned", "organization", "all"],
  },
  {
    resource: "payments",
    action: "read",
    description: "See course payments and invoices",
    scopes: ADMIN,
  },
  {
    resource: "payments",
    action: "manage",
    description: "Record invoice payments, issue refunds, and allocate course seats",
    scopes: ADMIN,
  },
  { resource: "progress", action: "read", description: "See learning progress", scopes: ALL },
  {
    resource: "assessments",
    action: "manage",
    description: "Author quizzes and question banks",
    scopes: ["own", "assigned", "organization", "all"],
  },
  {
    resource: "assessments",
    action: "grade",
    description: "Grade attempts",
    scopes: ["assigned", "organization", "all"],
  },
  { resource: "certificates", action: "read", description: "See certificates", scopes: ALL },
  {
    resource: "certificates",
    action: "manage",
    description: "Issue and revoke certificates",
    scopes: ["assigned", "organization", "all"],
  },
  {
    resource: "reports",
    action: "read",
    description: "Run reports and see their results",
    scopes: ALL,
  },
  { resource: "reports", action: "export", description: "Export report data", scopes: ALL },
  {
    resource: "reports",
    action: "manage",
    description: "Manage report templates and schedules",
    scopes: ADMIN,
  },
  {
    resource: "compliance",
    action: "read",
    description: "See compliance status and evidence",
    scopes: ORG,
  },
  {
    resource: "compliance",
    action: "manage",
    description: "Set compliance rules and due dates",
    scopes: ADMIN,
  },
  {
    resource: "integrations",
    action: "manage",
    description: "Configure HR and LMS integrations",
    scopes: ADMIN,
  },
  {
    resource: "lookup-values",
    action: "manage",
    description: "Add, rename and deactivate lookup values such as event types",
    scopes: ADMIN,
  },
  {
    resource: "learning-events",
    action: "create",
    description: "Record learning events",
    scopes: ["own", "organization", "all"],
  },
  {
    resource: "learning-events",
    action: "read",
    description: "Read learning events",
    scopes: ALL,
  },
  {
    resource: "privacy",
    action: "manage",
    description:
      "Handle data subject requests (export, erasure, restriction), retention policies and read access logs",
    scopes: ADMIN,
  },
  {
    resource: "workflows",
    action: "manage",
    description: "Define workflows and approvals and follow their executions",
    scopes: ADMIN,
  },
];

export interface PermissionDefinition {
  key: string;
  resource: string;
  action: string;
  scope: Scope;
  description: string;
}

/** Every permission key in the catalog. */
export const PERMISSIONS: readonly PermissionDefinition[] = CAPABILITIES.flatMap((c) =>
  c.scopes.map((scope) => ({
    key: `${c.resource}:${c.action}:${scope}`,
    resource: c.resource,
    action: c.action,
    scope,
    description: `${c.description} (${scope})`,
  })),
);

const KNOWN = new Set(PERMISSIONS.map((p) => p.key));
export function isKnownPermission(key: string): boolean {
  return KNOWN.has(key);
}

export interface RoleDefinition {
  key: string;
  name: string;
  description: string;
  dataAccessLevel: DataAccessLevel;
  priority: number;
  permissions: readonly string[];
}

const LEARNER = [
  "users:read:own",
  "learning-events:create:own",
  "learning-events:read:own",
  "users:update:own",
  "courses:read:own",
  "enrollments:read:own",
  "enrollments:create:own",
  "progress:read:own",
  "certificates:read:own",
  "reports:read:own",
];
const ORG_READ = ["organizations:read:organization", "departments:read:organization"];

/**
 * Roles every organization starts with (seed 002 groups, seeds 003/004 LMS roles). Each
 * organization gets its own editable copy; `org-admin` holds every organization-level
 * permission so that a fresh organization can always be administered.
 */
export const ORGANIZATION_ROLES: readonly RoleDefinition[] = [
  {
    key: "learner",
    name: "Learner",
    description: "Takes courses and sees their own progress, transcript and certificates.",
    dataAccessLevel: "own",
    priority: 10,
    permissions: [...LEARNER, "teams:read:team"],
  },
  {
    key: "teaching-assistant",
    name: "Teaching assistant",
    description: "Helps run assigned courses: sees learners' progress and grades attempts.",
    dataAccessLevel: "own",
    priority: 20,
    permissions: [
      "learning-events:read:assigned",
      ...LEARNER,
      "members:read:assigned",
      "progress:read:assigned",
      "enrollments:read:assigned",
      "assessments:grade:assigned",
    ],
  },
  {
    key: "instructor",
    name: "Instructor",
    description:
      "Authors and teaches courses, runs cohorts, grades and issues certificates for them.",
    dataAccessLevel: "own",
    priority: 30,
    permissions: [
      "enrollments:manage:assigned",
      "learning-events:read:assigned",
      ...LEARNER,
      "members:read:assigned",
      "courses:read:assigned",
      "courses:manage:own",
      "courses:manage:assigned",
      "courses:publish:own",
      "cohorts:manage:assigned",
      "enrollments:read:assigned",
      "enrollments:approve:assigned",
      "access-codes:manage:assigned",
      "progress:read:assigned",
      "assessments:manage:own",
      "assessments:grade:assigned",
      "certificates:manage:assigned",
    ],
  },
  {
    key: "content-admin",
    name: "Content administrator",
    description: "Manages the organization's catalog: every course, module, lesson and assessment.",
    dataAccessLevel: "organization",
    priority: 40,
    permissions: [
      "cohorts:manage:organization",
      ...LEARNER,
      ...ORG_READ,
      "courses:read:organization",
      "courses:manage:organization",
      "courses:publish:organization",
      "assessments:manage:organization",
    ],
  },
  {
    key: "manager",
    name: "Manager",
    description:
      "Team lead: sees their teams' members, enrollments and progress, assigns training.",
    dataAccessLevel: "team",
    priority: 50,
    permissions: [
      "learning-events:read:team",
      ...LEARNER,
      "members:read:team",
      "teams:read:team",
      "teams:manage:team",
      "enrollments:read:team",
      "enrollments:create:team",
      "progress:read:team",
      "certificates:read:team",
      "reports:read:team",
    ],
  },
  {
    key: "department-admin",
    name: "Department administrator",
    description: "Administers one department: its members, teams, enrollments and reports.",
    dataAccessLevel: "department",
    priority: 60,
    permissions: [
      "enrollments:manage:department",
      "learning-events:read:department",
      ...LEARNER,
      ...ORG_READ,
      "users:read:department",
      "members:read:department",
      "members:manage:department",
      "invites:read:department",
      "invites:manage:department",
      "teams:read:department",
      "teams:manage:department",
      "roles:assign:department",
      "enrollments:read:department",
      "enrollments:create:department",
      "enrollments:approve:department",
      "progress:read:department",
      "certificates:read:department",
      "reports:read:department",
      "reports:export:department",
    ],
  },
  {
    key: "training-coordinator",
    name: "Training coordinator",
    description: "Enrolls people, approves requests and follows progress across the organization.",
    dataAccessLevel: "organization",
    priority: 70,
    permissions: [
      "enrollments:manage:organization",
      "learning-events:read:organization",
      ...LEARNER,
      ...ORG_READ,
      "members:read:organization",
      "invites:read:organization",
      "invites:manage:organization",
      "teams:read:organization",
      "courses:read:organization",
      "cohorts:manage:organization",
      "enrollments:read:organization",
      "enrollments:create:organization",
      "enrollments:approve:organization",
      "access-codes:manage:organization",
      "payments:read:organization",
      "progress:read:organization",
      "certificates:read:organization",
      "reports:read:organization",
      "reports:export:organization",
    ],
  },
  {
    key: "hr-admin",
    name: "HR administrator",
    description:
      "Owns people data: members, departments, teams, invitations, role assignments and HR integrations.",
    dataAccessLevel: "organization",
    priority: 80,
    permissions: [
      "enrollments:manage:organization",
      "learning-events:read:organization",
      ...LEARNER,
      ...ORG_READ,
      "users:read:organization",
      "users:update:organization",
      "users:suspend:organization",
      "members:read:organization",
      "members:manage:organization",
      "invites:read:organization",
      "invites:manage:organization",
      "domains:manage:organization",
      "departments:manage:organization",
      "teams:read:organization",
      "teams:manage:organization",
      "roles:read:organization",
      "roles:assign:organization",
      "enrollments:read:organization",
      "enrollments:create:organization",
      "progress:read:organization",
      "certificates:read:organization",
      "compliance:read:organization",
      "reports:read:organization",
      "reports:export:organization",
      "integrations:manage:organization",
    ],
  },
  {
    key: "report-viewer",
    name: "Report viewer",
    description: "Runs and reads reports across the organization; changes nothing.",
    dataAccessLevel: "organization",
    priority: 40,
    permissions: [
      "learning-events:read:organization",
      ...LEARNER,
      ...ORG_READ,
      "members:read:organization",
      "reports:read:organization",
      "reports:export:organization",
    ],
  },
  {
    key: "compliance-officer",
    name: "Compliance officer",
    description: "Sets and monitors compliance training; reads the audit trail and evidence.",
    dataAccessLevel: "organization",
    priority: 75,
    permissions: [
      "enrollments:manage:organization",
      "learning-events:read:organization",
      ...LEARNER,
      ...ORG_READ,
      "members:read:organization",
      "teams:read:organization",
      "enrollments:read:organization",
      "enrollments:create:organization",
      "progress:read:organization",
      "certificates:read:organization",
      "compliance:read:organization",
      "compliance:manage:organization",
      "audit-logs:read:organization",
      "reports:read:organization",
      "reports:export:organization",
    ],
  },
  {
    key: "auditor",
    name: "Auditor",
    description: "Read-only: members, roles, evidence, reports and the audit trail.",
    dataAccessLevel: "organization",
    priority: 45,
    permissions: [
      "learning-events:read:organization",
      ...LEARNER,
      ...ORG_READ,
      "members:read:organization",
      "teams:read:organization",
      "roles:read:organization",
      "api-keys:read:organization",
      "enrollments:read:organization",
      "progress:read:organization",
      "certificates:read:organization",
      "compliance:read:organization",
      "audit-logs:read:organization",
      "reports:read:organization",
    ],
  },
  {
    key: "org-admin",
    name: "Organization administrator",
    description: "Administers the organization: every organization-level permission.",
    dataAccessLevel: "organization",
    priority: 100,
    permissions: PERMISSIONS.filter((p) => p.scope === "organization").map((p) => p.key),
  },
];

/** Roles that live outside any organization. */
export const PLATFORM_ROLES: readonly RoleDefinition[] = [
  {
    key: "learner",
    name: "Learner",
    description: "Everyone with an account: their own profile, enrollments and progress.",
    dataAccessLevel: "own",
    priority: 10,
    permissions: LEARNER,
  },
  {
    key: "instructor",
    name: "Instructor",
    description:
      "Authors and teaches platform-wide catalog courses (academies selling to individuals).",
    dataAccessLevel: "own",
    priority: 30,
    permissions: [
      "enrollments:manage:assigned",
      "enrollments:approve:assigned",
      "access-codes:manage:assigned",
      "cohorts:manage:assigned",
      "courses:read:own",
      "courses:read:assigned",
      "courses:manage:own",
      "courses:manage:assigned",
      "courses:publish:own",
      "enrollments:read:assigned",
      "progress:read:assigned",
      "assessments:manage:own",
      "assessments:grade:assigned",
      "certificates:manage:assigned",
    ],
  },
  {
    key: "platform-admin",
    name: "Platform administrator",
    description: "Runs the whole deployment: every permission everywhere.",
    dataAccessLevel: "all",
    priority: 1000,
    permissions: PERMISSIONS.filter((p) => p.scope === "all").map((p) => p.key),
  },
];

/** The permission that proves someone can still administer an organization's access. */
export const ADMIN_PERMISSION = "roles:manage:organization";

for (const role of [...ORGANIZATION_ROLES, ...PLATFORM_ROLES]) {
  for (const key of role.permissions) {
    if (!KNOWN.has(key)) throw new Error(`role ${role.key} lists unknown permission ${key}`);
  }
}
