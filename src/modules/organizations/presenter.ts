import { z } from "zod";
import type { InviteStatus, OrganizationRow } from "../../db/schema.js";
import { isoDateTime } from "../../platform/http/envelope.js";
import { avatarUrl } from "../identity/presenter.js";
import { challengeOf } from "./domains.js";
import type { OrganizationDomainRow } from "./schema.js";

const iso = isoDateTime;

export const organizationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    domains: z
      .array(z.string())
      .describe(
        "The organization's verified email domains (claims and their state: `GET /organizations/{id}/domains`)",
      ),
    autoJoin: z
      .boolean()
      .describe(
        "People who verify an address at one of the verified domains join without an invitation",
      ),
    autoJoinRole: z.string(),
    contactEmail: z.string().nullable(),
    contactName: z.string().nullable(),
    status: z.enum(["pending-payment", "active", "suspended"]),
    seats: z.object({
      purchased: z.number().int().nullable().describe("null means unlimited"),
      used: z.number().int(),
      available: z.number().int().nullable(),
    }),
    timezone: z.string(),
    locale: z.string(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "Organization" });

/** An organization with its verified domains (`verifiedDomainsByOrganization`). */
export function presentOrganization(org: OrganizationRow, domains: string[]) {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    domains,
    autoJoin: org.auto_join,
    autoJoinRole: org.auto_join_role,
    contactEmail: org.contact_email,
    contactName: org.contact_name,
    status: org.status,
    seats: {
      purchased: org.seats_purchased,
      used: org.seats_used,
      available: org.seats_purchased === null ? null : org.seats_purchased - org.seats_used,
    },
    timezone: org.timezone,
    locale: org.locale,
    createdAt: org.created_at.toISOString(),
    updatedAt: org.updated_at.toISOString(),
  };
}

export const memberSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    fullName: z.string(),
    avatarUrl: z.string().nullable(),
    accountStatus: z.string(),
    status: z.enum(["active", "suspended"]).describe("Membership status in this organization"),
    title: z.string().nullable(),
    employeeId: z.string().nullable(),
    managerUserId: z.uuid().nullable(),
    hireDate: z.iso.date().nullable().describe("The day the person was hired (YYYY-MM-DD)"),
    location: z.string().nullable().describe("Where the person works"),
    department: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    teams: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(["member", "lead"]) })),
    roles: z.array(z.string()),
    source: z.string(),
    joinedAt: iso(),
    lastLoginAt: iso().nullable(),
    restricted: z
      .boolean()
      .describe(
        "The person's processing is restricted in the organization (a restriction request is in force): learning views and reports leave their data out until it is lifted",
      ),
  })
  .meta({ id: "Member" });

export interface MemberView {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  avatar_file_id: string | null;
  account_status: string;
  status: "active" | "suspended";
  title: string | null;
  employee_id: string | null;
  manager_user_id: string | null;
  hire_date: string | null;
  location: string | null;
  department_id: string | null;
  department_name: string | null;
  source: string;
  joined_at: Date;
  last_login_at: Date | null;
  teams: Array<{ id: string; name: string; role: "member" | "lead" }>;
  roles: string[];
}

export function presentMember(m: MemberView, restricted: ReadonlySet<string>) {
  return {
    userId: m.user_id,
    email: m.email,
    firstName: m.first_name,
    lastName: m.last_name,
    fullName: `${m.first_name} ${m.last_name}`,
    avatarUrl: avatarUrl(m.avatar_file_id),
    accountStatus: m.account_status,
    status: m.status,
    title: m.title,
    employeeId: m.employee_id,
    managerUserId: m.manager_user_id,
    hireDate: m.hire_date,
    location: m.location,
    department: m.department_id ? { id: m.department_id, name: m.department_name as string } : null,
    teams: m.teams,
    roles: m.roles,
    source: m.source,
    joinedAt: m.joined_at.toISOString(),
    lastLoginAt: m.last_login_at?.toISOString() ?? null,
    restricted: restricted.has(m.user_id),
  };
}

/** An invitation's states: `declined` is the invited person's answer, `revoked` the organization's. */
export const inviteStatusSchema = z.enum(["pending", "accepted", "declined", "expired", "revoked"]);

export const inviteSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    email: z.string(),
    roleKey: z.string().describe("The role given on acceptance, besides learner"),
    additionalRoleKeys: z.array(z.string()).describe("Further roles given on acceptance"),
    departmentId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    title: z.string().nullable().describe("The member's title once accepted"),
    employeeId: z.string().nullable(),
    message: z.string().nullable(),
    status: inviteStatusSchema,
    expiresAt: iso(),
    invitedBy: z.uuid().nullable(),
    acceptedAt: iso().nullable(),
    acceptedUserId: z.uuid().nullable(),
    declinedAt: iso().nullable().describe("When the invited person declined"),
    revokedAt: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "Invite" });

export function presentInvite(
  invite: {
    id: string;
    organization_id: string;
    email: string;
    role_key: string;
    extra_role_keys: string[];
    department_id: string | null;
    team_id: string | null;
    title: string | null;
    employee_id: string | null;
    message: string | null;
    status: InviteStatus;
    expires_at: Date;
    invited_by: string | null;
    accepted_at: Date | null;
    accepted_user_id: string | null;
    declined_at: Date | null;
    revoked_at: Date | null;
    created_at: Date;
  },
  now: Date,
) {
  const expired = invite.status === "pending" && invite.expires_at <= now;
  return {
    id: invite.id,
    organizationId: invite.organization_id,
    email: invite.email,
    roleKey: invite.role_key,
    additionalRoleKeys: invite.extra_role_keys,
    departmentId: invite.department_id,
    teamId: invite.team_id,
    title: invite.title,
    employeeId: invite.employee_id,
    message: invite.message,
    status: expired ? ("expired" as const) : invite.status,
    expiresAt: invite.expires_at.toISOString(),
    invitedBy: invite.invited_by,
    acceptedAt: invite.accepted_at?.toISOString() ?? null,
    acceptedUserId: invite.accepted_user_id,
    declinedAt: invite.declined_at?.toISOString() ?? null,
    revokedAt: invite.revoked_at?.toISOString() ?? null,
    createdAt: invite.created_at.toISOString(),
  };
}

export const departmentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    code: z.string().nullable(),
    description: z.string().nullable(),
    parentId: z.uuid().nullable(),
    headUserId: z.uuid().nullable(),
    memberCount: z.number().int(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "Department" });

export const teamSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    departmentId: z.uuid().nullable(),
    managerUserId: z.uuid().nullable(),
    isActive: z.boolean(),
    memberCount: z.number().int(),
    members: z
      .array(
        z.object({
          userId: z.uuid(),
          name: z.string(),
          email: z.string(),
          role: z.enum(["member", "lead"]),
        }),
      )
      .optional(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "Team" });

export const domainSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    domain: z.string().describe("Lower case; international names in their ASCII (xn--) form"),
    status: z.enum(["pending", "verified"]),
    verificationMethod: z
      .enum(["dns", "platform"])
      .nullable()
      .describe("`dns`: the TXT record was found; `platform`: the platform administrator vouched"),
    record: z
      .object({
        type: z.literal("TXT"),
        name: z.string().describe("Where to publish it, e.g. `_lyceum-challenge.acme.com`"),
        value: z.string().describe("The exact text of the record"),
      })
      .describe("The DNS record that proves the organization controls the domain"),
    verifiedAt: iso().nullable(),
    verifiedBy: z.uuid().nullable(),
    lastCheckedAt: iso().nullable(),
    recordMissingSince: iso()
      .nullable()
      .describe(
        "Set when a periodic re-check no longer found the record; the domain stays verified",
      ),
    createdAt: iso(),
  })
  .meta({ id: "OrganizationDomain" });

export function presentDomain(row: OrganizationDomainRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    domain: row.domain,
    status: row.status,
    verificationMethod: row.verification_method,
    record: challengeOf(row),
    verifiedAt: row.verified_at?.toISOString() ?? null,
    verifiedBy: row.verified_by,
    lastCheckedAt: row.last_checked_at?.toISOString() ?? null,
    recordMissingSince: row.record_missing_since?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
