import { type Selectable, sql } from "kysely";
import type { OrganizationInvitesTable, UserRow } from "../../db/schema.js";
import { audit } from "../../platform/audit/audit.js";
import { DAY } from "../../platform/clock.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { assertInviteAllowed, assertMailAllowed } from "../../platform/limits.js";
import { authorize } from "../../platform/policy/engine.js";
import { assertRolesGrantable } from "../access/grantable.js";
import { createUser, normalizeEmail } from "../identity/auth.js";
import { notify } from "../notifications/notify.js";
import { inviteMail } from "./mail.js";
import { addMember } from "./service.js";
import { addTeamMember, assertDepartmentIn } from "./structure.js";
import { memberVisibility } from "./visibility.js";

export type InviteRow = Selectable<OrganizationInvitesTable>;

export interface InviteInput {
  email: string;
  /** The role given on acceptance (besides learner); `roleKeys` names several instead. */
  roleKey?: string;
  roleKeys?: string[];
  departmentId?: string | null;
  teamId?: string | null;
  title?: string | null;
  employeeId?: string | null;
  message?: string | null;
  expiresInDays?: number;
}

export interface InviteOptions {
  /** The permission the actor needs for the invitation's department (default invites:manage). */
  ability?: "invites:manage" | "members:manage";
  /** Answer with the pending invitation of the address instead of refusing a second one. */
  reusePending?: boolean;
}

/** The roles an invitation gives besides learner: the first in `role_key`, the rest extra. */
function invitedRoles(input: InviteInput): { roleKey: string; extra: string[] } {
  const roles = [...new Set(input.roleKeys ?? [input.roleKey ?? "learner"])].filter(
    (r) => r !== "learner",
  );
  return { roleKey: roles[0] ?? "learner", extra: roles.slice(1) };
}

function inviteUrl(ctx: Ctx, token: string): string {
  return `${ctx.config.publicUrl}/invites/accept?token=${encodeURIComponent(token)}`;
}

async function mailInvite(ctx: Ctx, invite: InviteRow, token: string): Promise<void> {
  const org = await ctx.db
    .selectFrom("organizations")
    .select(["name"])
    .where("id", "=", invite.organization_id)
    .executeTakeFirstOrThrow();
  const inviter =
    ctx.actor.kind === "user"
      ? await ctx.db
          .selectFrom("users")
          .select(["first_name", "last_name"])
          .where("id", "=", ctx.actor.userId)
          .executeTakeFirst()
      : undefined;
  await ctx.mailer.enqueue(
    ctx.db,
    inviteMail({
      to: invite.email,
      organizationName: org.name,
      inviterName: inviter ? `${inviter.first_name} ${inviter.last_name}` : null,
      message: invite.message,
      url: inviteUrl(ctx, token),
      expiresAt: invite.expires_at,
      organizationId: invite.organization_id,
    }),
  );
}

/**
 * Invites someone by email (seed 001 organizationInvites). Only a hash of the token is
 * stored and the link goes only to the invited address: whoever holds it can accept. One
 * pending invitation per address; the mail counts against `MAILS_PER_RECIPIENT_PER_HOUR`.
 * Nothing here depends on whether the address has an account.
 */
export async function createInvite(
  ctx: Ctx,
  organizationId: string,
  input: InviteInput,
  options: InviteOptions = {},
): Promise<{ invite: InviteRow; url: string | null }> {
  const email = normalizeEmail(input.email);
  const { roleKey, extra } = invitedRoles(input);
  if (ctx.actor.kind !== "system") {
    authorize(await ctx.actor.access(), options.ability ?? "invites:manage", {
      organizationId,
      departmentId: input.departmentId ?? null,
    });
  }
  await assertRolesGrantable(
    ctx,
    organizationId,
    [roleKey, ...extra],
    input.roleKeys ? "roleKeys" : "roleKey",
  );
  if (input.departmentId) await assertDepartmentIn(ctx, organizationId, input.departmentId);
  if (input.teamId) {
    const team = await ctx.db
      .selectFrom("teams")
      .select("id")
      .where("id", "=", input.teamId)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!team)
      throw new AppError("NOT_FOUND", "Team not found in this organization", { field: "teamId" });
  }
  const member = await ctx.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select("m.id")
    .where("m.organization_id", "=", organizationId)
    .where("u.email", "=", email)
    .executeTakeFirst();
  if (member)
    throw new AppError("ALREADY_MEMBER", "This person is already a member", { field: "email" });
  const token = randomToken(32);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    // A pending invitation that has run out no longer blocks a new one.
    await tx.db
      .updateTable("organization_invites")
      .set({ status: "expired" })
      .where("organization_id", "=", organizationId)
      .where("email", "=", email)
      .where("status", "=", "pending")
      .where("expires_at", "<=", now)
      .execute();
    if (options.reusePending) {
      const pending = await tx.db
        .selectFrom("organization_invites")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("email", "=", email)
        .where("status", "=", "pending")
        .executeTakeFirst();
      if (pending) return { invite: pending, url: null };
    }
    await assertMailAllowed(tx, email);
    await assertInviteAllowed(tx, organizationId);
    let invite: InviteRow;
    try {
      invite = await tx.db
        .insertInto("organization_invites")
        .values({
          organization_id: organizationId,
          email,
          token_hash: sha256(token),
          role_key: roleKey,
          extra_role_keys: extra,
          department_id: input.departmentId ?? null,
          team_id: input.teamId ?? null,
          title: input.title ?? null,
          employee_id: input.employeeId ?? null,
          message: input.message ?? null,
          expires_at: new Date(now.getTime() + (input.expiresInDays ?? 7) * DAY),
          invited_by: tx.actor.kind === "user" ? tx.actor.userId : null,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError(
          "ALREADY_EXISTS",
          "This address already has a pending invitation; resend it instead",
          { field: "email" },
        );
      }
      throw error;
    }
    await mailInvite(tx, invite, token);
    await audit(tx, {
      organizationId,
      action: "invite.create",
      entityType: "invite",
      entityId: invite.id,
      after: invite,
    });
    return { invite, url: inviteUrl(tx, token) };
  });
}

export async function listInvites(
  ctx: Ctx,
  organizationId: string,
  query: { page: number; limit: number; status?: InviteRow["status"]; email?: string },
) {
  const now = ctx.clock.now();
  let q = ctx.db
    .selectFrom("organization_invites")
    .selectAll()
    .where("organization_id", "=", organizationId);
  // A department administrator sees the invitations into their departments only.
  const visible = memberVisibility(await ctx.actor.access(), organizationId, "invites:read");
  if (!visible.everyone) {
    const departments = visible.departments;
    q = departments.length
      ? q.where("department_id", "in", departments)
      : q.where(sql<boolean>`false`);
  }
  if (query.status === "pending")
    q = q.where("status", "=", "pending").where("expires_at", ">", now);
  else if (query.status === "expired") {
    q = q.where((eb) =>
      eb.or([
        eb("status", "=", "expired"),
        eb.and([eb("status", "=", "pending"), eb("expires_at", "<=", now)]),
      ]),
    );
  } else if (query.status) q = q.where("status", "=", query.status);
  if (query.email) q = q.where("email", "=", normalizeEmail(query.email));
  return paginate(q, query, { column: "created_at", direction: "desc" }, "id");
}

/**
 * An invitation of the organization, locked for a change by someone who may manage
 * invitations into its department (an organization-wide one needs organization scope).
 */
async function lockInvite(ctx: Ctx, organizationId: string, inviteId: string): Promise<InviteRow> {
  const invite = await ctx.db
    .selectFrom("organization_invites")
    .selectAll()
    .where("id", "=", inviteId)
    .where("organization_id", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!invite) throw new AppError("NOT_FOUND", "Invitation not found");
  if (ctx.actor.kind !== "system")
    authorize(await ctx.actor.access(), "invites:manage", {
      organizationId,
      departmentId: invite.department_id,
    });
  return invite;
}

/**
 * Refuses an invitation that is no longer open: `INVITE_DECLINED` when the invited person
 * declined it, else `INVITE_NOT_PENDING` (accepted, revoked).
 */
function assertPending(invite: Pick<InviteRow, "status">, allowExpired = false): void {
  if (invite.status === "pending" || (allowExpired && invite.status === "expired")) return;
  if (invite.status === "declined")
    throw new AppError("INVITE_DECLINED", "The invited person declined this invitation");
  throw new AppError("INVITE_NOT_PENDING", `This invitation is ${invite.status}`);
}

/** Refuses an invitation its holder can no longer answer: not pending, or past its date. */
function assertAnswerable(invite: Pick<InviteRow, "status" | "expires_at">, now: Date): void {
  assertPending(invite);
  if (invite.expires_at <= now)
    throw new AppError("INVITE_EXPIRED", "This invitation has expired; ask for a new one");
}

export async function revokeInvite(
  ctx: Ctx,
  organizationId: string,
  inviteId: string,
): Promise<InviteRow> {
  return inTransaction(ctx, async (tx) => {
    const invite = await lockInvite(tx, organizationId, inviteId);
    assertPending(invite);
    const after = await tx.db
      .updateTable("organization_invites")
      .set({ status: "revoked", revoked_at: tx.clock.now() })
      .where("id", "=", inviteId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "invite.revoke",
      entityType: "invite",
      entityId: inviteId,
      before: { status: invite.status },
      after: { status: "revoked" },
    });
    return after;
  });
}

/** Mails a pending (or lapsed) invitation again with a new token and a fresh expiry. */
export async function resendInvite(
  ctx: Ctx,
  organizationId: string,
  inviteId: string,
  expiresInDays = 7,
) {
  const token = randomToken(32);
  return inTransaction(ctx, async (tx) => {
    const invite = await lockInvite(tx, organizationId, inviteId);
    assertPending(invite, true);
    await assertMailAllowed(tx, invite.email);
    await assertInviteAllowed(tx, invite.organization_id);
    const after = await tx.db
      .updateTable("organization_invites")
      .set({
        token_hash: sha256(token),
        status: "pending",
        expires_at: new Date(tx.clock.now().getTime() + expiresInDays * DAY),
      })
      .where("id", "=", inviteId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await mailInvite(tx, after, token);
    await audit(tx, {
      organizationId,
      action: "invite.resend",
      entityType: "invite",
      entityId: inviteId,
      before: { expires_at: invite.expires_at, status: invite.status },
      after: { expires_at: after.expires_at, status: after.status },
    });
    return { invite: after, url: inviteUrl(tx, token) };
  });
}

/**
 * What an invitation link shows before it is accepted (the organization, who invited, the
 * address); nothing for unknown tokens.
 */
export async function lookupInvite(ctx: Ctx, token: string) {
  const row = await ctx.db
    .selectFrom("organization_invites as i")
    .innerJoin("organizations as o", "o.id", "i.organization_id")
    .leftJoin("users as inviter", "inviter.id", "i.invited_by")
    .select([
      "i.email",
      "i.role_key",
      "i.status",
      "i.expires_at",
      "i.message",
      "o.name",
      "o.id as organization_id",
      "inviter.first_name as inviter_first_name",
      "inviter.last_name as inviter_last_name",
    ])
    .where("i.token_hash", "=", sha256(token))
    .where("o.deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Invitation not found");
  const expired = row.status === "pending" && row.expires_at <= ctx.clock.now();
  const account = await ctx.db
    .selectFrom("users")
    .select("id")
    .where("email", "=", row.email)
    .executeTakeFirst();
  return {
    organization: { id: row.organization_id, name: row.name },
    // Who sent it, as the mail names them (null when the system did).
    invitedBy:
      row.inviter_first_name !== null && row.inviter_last_name !== null
        ? { name: `${row.inviter_first_name} ${row.inviter_last_name}` }
        : null,
    email: row.email,
    roleKey: row.role_key,
    message: row.message,
    status: expired ? ("expired" as const) : row.status,
    expiresAt: row.expires_at.toISOString(),
    hasAccount: !!account,
  };
}

/**
 * Accepts an invitation for `user`: the invitation must be pending, unexpired and addressed
 * to the user's email. Adds the membership (taking a seat), role, department and team.
 */
async function accept(ctx: Ctx, token: string, user: UserRow): Promise<{ organizationId: string }> {
  return inTransaction(ctx, async (tx) => {
    const invite = await tx.db
      .selectFrom("organization_invites")
      .selectAll()
      .where("token_hash", "=", sha256(token))
      .forUpdate()
      .executeTakeFirst();
    if (!invite) throw new AppError("NOT_FOUND", "Invitation not found");
    assertAnswerable(invite, tx.clock.now());
    if (invite.email !== user.email) {
      throw new AppError(
        "INVITE_EMAIL_MISMATCH",
        "This invitation was sent to another email address; sign in with that address",
      );
    }
    const org = await tx.db
      .selectFrom("organizations")
      .select(["status"])
      .where("id", "=", invite.organization_id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!org) throw new AppError("NOT_FOUND", "Invitation not found");
    if (org.status === "suspended")
      throw new AppError("ORGANIZATION_SUSPENDED", "This organization is suspended");
    // Roles deleted since the invitation was sent are skipped; learner is always given.
    const wanted = [...new Set(["learner", invite.role_key, ...invite.extra_role_keys])];
    const existing = await tx.db
      .selectFrom("roles")
      .select("key")
      .where("organization_id", "=", invite.organization_id)
      .where("key", "in", wanted)
      .execute();
    const found = new Set(existing.map((r) => r.key));
    await addMember(tx, invite.organization_id, {
      userId: user.id,
      roleKeys: wanted.filter((k) => k === "learner" || found.has(k)),
      departmentId: invite.department_id,
      title: invite.title,
      employeeId: invite.employee_id,
      source: "invite",
    });
    if (invite.team_id)
      await addTeamMember(tx, invite.organization_id, invite.team_id, user.id, "member");
    await tx.db
      .updateTable("organization_invites")
      .set({ status: "accepted", accepted_at: tx.clock.now(), accepted_user_id: user.id })
      .where("id", "=", invite.id)
      .execute();
    await audit(tx, {
      organizationId: invite.organization_id,
      action: "invite.accept",
      entityType: "invite",
      entityId: invite.id,
      before: { status: "pending" },
      after: { status: "accepted", accepted_user_id: user.id },
    });
    return { organizationId: invite.organization_id };
  });
}

/** Accepts an invitation as the signed-in person. */
export async function acceptInvite(ctx: Ctx, token: string, userId: string) {
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  if (!user.email_verified)
    throw new AppError("EMAIL_NOT_VERIFIED", "Confirm your email address first");
  return accept(ctx, token, user);
}

/**
 * Creates an account for the invited address and accepts in one step. The token proves the
 * address, so the account starts verified.
 */
export async function acceptInviteAsNewUser(
  ctx: Ctx,
  token: string,
  input: { firstName: string; lastName: string; password: string },
) {
  const invite = await ctx.db
    .selectFrom("organization_invites")
    .select(["email", "status", "expires_at"])
    .where("token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!invite) throw new AppError("NOT_FOUND", "Invitation not found");
  assertAnswerable(invite, ctx.clock.now());
  const existing = await ctx.db
    .selectFrom("users")
    .select("id")
    .where("email", "=", invite.email)
    .executeTakeFirst();
  if (existing)
    throw new AppError(
      "EMAIL_TAKEN",
      "An account with this address exists; sign in and accept the invitation",
      { field: "email" },
    );
  return inTransaction(ctx, async (tx) => {
    const user = await createUser(tx, { ...input, email: invite.email, emailVerified: true });
    const result = await accept(tx, token, user);
    return { ...result, user };
  });
}

/**
 * Declines an invitation for whoever holds its link (the token is the credential, as for
 * accept-new): the invitation becomes `declined` and can no longer be accepted, and the
 * person who sent it is notified. Declining again answers the same, changing nothing.
 */
export async function declineInvite(
  ctx: Ctx,
  token: string,
): Promise<{ organizationId: string; declinedAt: Date }> {
  return inTransaction(ctx, async (tx) => {
    const invite = await tx.db
      .selectFrom("organization_invites as i")
      .innerJoin("organizations as o", "o.id", "i.organization_id")
      .selectAll("i")
      .select("o.name as organization_name")
      .where("i.token_hash", "=", sha256(token))
      .where("o.deleted_at", "is", null)
      .forUpdate("i")
      .executeTakeFirst();
    if (!invite) throw new AppError("NOT_FOUND", "Invitation not found");
    if (invite.status === "declined" && invite.declined_at)
      return { organizationId: invite.organization_id, declinedAt: invite.declined_at };
    const now = tx.clock.now();
    assertAnswerable(invite, now);
    await tx.db
      .updateTable("organization_invites")
      .set({ status: "declined", declined_at: now })
      .where("id", "=", invite.id)
      .execute();
    await audit(tx, {
      organizationId: invite.organization_id,
      action: "invite.decline",
      entityType: "invite",
      entityId: invite.id,
      before: { status: "pending" },
      after: { status: "declined" },
    });
    if (invite.invited_by) {
      await notify(tx, {
        userId: invite.invited_by,
        organizationId: invite.organization_id,
        type: "invite-declined",
        variables: { email: invite.email, organizationName: invite.organization_name },
        data: { inviteId: invite.id, email: invite.email },
      });
    }
    return { organizationId: invite.organization_id, declinedAt: now };
  });
}
