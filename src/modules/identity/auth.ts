import { sql } from "kysely";
import type { UserRow } from "../../db/schema.js";
import { audit, systemLog } from "../../platform/audit/audit.js";
import { EMAIL_VERIFICATION_TTL_MS } from "../../platform/auth/tokens.js";
import { addMs, HOUR, MINUTE } from "../../platform/clock.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import {
  allowMailTo,
  assertMailAllowed,
  clientAddress,
  consumeLimit,
  type Limit,
  limitError,
  peekLimit,
  recordLimit,
} from "../../platform/limits.js";
import { roleIdByKey } from "../access/provision.js";
import { notify } from "../notifications/notify.js";
import { verificationMail } from "./mail.js";
import { createMfaChallenge, type SecondFactorMethod, secondFactorMethods } from "./mfa.js";
import { assertPasswordFresh } from "./org-security.js";
import { hashPassword, passwordProblems, verifyPassword } from "./passwords.js";
import { type IssuedTokens, openSession } from "./sessions.js";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 30 * MINUTE;

/** Failed sign-ins from one client address, whichever accounts they named (password spraying). */
function loginFailureLimit(ctx: Ctx): Limit {
  const max = ctx.config.limits.loginFailuresPerAddressPerHour;
  return { kind: "login-failure-address", max, windowMs: HOUR };
}

/** Registration attempts from one client address. */
function registrationLimit(ctx: Ctx): Limit {
  const max = ctx.config.limits.registrationsPerAddressPerHour;
  return { kind: "registration-address", max, windowMs: HOUR };
}

/** The counted client address of a request; null for work without one (CLI, jobs). */
function addressOf(ctx: Ctx): string | null {
  return ctx.meta.ip ? `ip:${clientAddress(ctx.meta.ip)}` : null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * For mails anyone may ask for (recovery, verification): counts one against the recipient's
 * hourly limit, whether the address has an account or not, so the limit reveals nothing.
 * Over it, logs the refusal and answers false.
 */
export async function mayMailAddress(tx: Ctx, email: string, template: string): Promise<boolean> {
  if ((await allowMailTo(tx, normalizeEmail(email))).allowed) return true;
  await systemLog(tx, { event: "mail.recipient-limited", level: "warn", metadata: { template } });
  return false;
}

/** The account (not deleted) whose address this is, in any letter case. */
export function accountByEmail(tx: Ctx, email: string): Promise<UserRow | undefined> {
  return tx.db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normalizeEmail(email))
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** Throws WEAK_PASSWORD listing what the password lacks. */
export function assertStrongPassword(password: string, email?: string): void {
  const problems = passwordProblems(password, { email });
  if (problems.length) {
    throw new AppError("WEAK_PASSWORD", `The password needs ${problems.join(", ")}`, {
      field: "password",
      details: { requirements: problems },
    });
  }
}

export interface RegisterInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  timezone?: string;
  preferredLanguage?: string;
}

export interface CreateUserInput extends RegisterInput {
  emailVerified?: boolean;
  displayName?: string | null;
}

/**
 * Creates an account with the platform learner role. Used by registration, the CLI and
 * invitations; registration additionally sends the verification mail.
 */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  assertStrongPassword(input.password, email);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    let user: UserRow;
    try {
      user = await tx.db
        .insertInto("users")
        .values({
          email,
          password_hash: passwordHash,
          first_name: input.firstName.trim(),
          last_name: input.lastName.trim(),
          display_name: input.displayName ?? null,
          timezone: input.timezone ?? "UTC",
          preferred_language: input.preferredLanguage ?? "en",
          email_verified: input.emailVerified ?? false,
          email_verified_at: input.emailVerified ? now : null,
          password_changed_at: now,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError("EMAIL_TAKEN", "An account with this email already exists", {
          field: "email",
        });
      }
      throw error;
    }
    const learnerRole = await roleIdByKey(tx.db, null, "learner");
    if (learnerRole) {
      await tx.db
        .insertInto("user_roles")
        .values({ user_id: user.id, role_id: learnerRole, assigned_at: now })
        .execute();
    }
    await audit(tx, {
      organizationId: null,
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      after: {
        email,
        first_name: user.first_name,
        last_name: user.last_name,
        email_verified: user.email_verified,
      },
    });
    await tx.events.emit(tx, "user.registered", { userId: user.id, email });
    return user;
  });
}

/**
 * Seed 002 §register: create the account, send the verification mail, no sign-in. Each client
 * address may try `REGISTRATIONS_PER_ADDRESS_PER_HOUR` times an hour; an attempt counts before
 * the account is created (committed on its own), so probing for taken addresses counts too.
 */
export async function register(ctx: Ctx, input: RegisterInput): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  const domain = email.split("@")[1] ?? "";
  const allowed = ctx.config.allowedEmailDomains;
  if (allowed.length && !allowed.includes(domain)) {
    throw new AppError(
      "EMAIL_DOMAIN_NOT_ALLOWED",
      `Registration is limited to ${allowed.join(", ")}`,
      {
        field: "email",
      },
    );
  }
  assertStrongPassword(input.password, email);
  const address = addressOf(ctx);
  if (address) {
    const limit = registrationLimit(ctx);
    const state = await consumeLimit(ctx, limit, address);
    if (!state.allowed) {
      await systemLog(ctx, { event: "auth.register-throttled", level: "warn" });
      throw limitError("Too many registrations from your network; try again later", limit, state);
    }
  }
  return inTransaction(ctx, async (tx) => {
    const user = await createUser(tx, input);
    await assertMailAllowed(tx, user.email);
    await sendVerification(tx, user, user.email);
    await notify(tx, {
      userId: user.id,
      type: "welcome",
      actionPath: "/courses",
    });
    await systemLog(tx, { event: "auth.register", userId: user.id });
    return user;
  });
}

/** Issues a fresh verification token for `email` (the account's or a pending new one). */
export async function sendVerification(ctx: Ctx, user: UserRow, email: string): Promise<void> {
  const token = randomToken(32);
  const now = ctx.clock.now();
  await ctx.db
    .updateTable("email_verifications")
    .set({ used_at: now })
    .where("user_id", "=", user.id)
    .where("used_at", "is", null)
    .execute();
  await ctx.db
    .insertInto("email_verifications")
    .values({
      user_id: user.id,
      email,
      token_hash: sha256(token),
      expires_at: addMs(now, EMAIL_VERIFICATION_TTL_MS),
      created_at: now,
    })
    .execute();
  const url = `${ctx.config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
  await ctx.mailer.enqueue(ctx.db, verificationMail(user, email, url, email !== user.email));
}

/**
 * Confirms an address: the account's own, or the new one of a pending email change
 * (`emailChanged`, so the page behind the link can say which).
 */
export async function verifyEmail(
  ctx: Ctx,
  token: string,
): Promise<{ user: UserRow; emailChanged: boolean }> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .selectFrom("email_verifications")
      .selectAll()
      .where("token_hash", "=", sha256(token))
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.used_at || row.expires_at <= now) {
      throw new AppError("INVALID_TOKEN", "This verification link is invalid or has expired", {
        field: "token",
      });
    }
    const user = await tx.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", row.user_id)
      .executeTakeFirstOrThrow();
    const changing = row.email !== user.email;
    if (changing && row.email !== user.pending_email) {
      throw new AppError("INVALID_TOKEN", "This verification link is no longer valid", {
        field: "token",
      });
    }
    await tx.db
      .updateTable("email_verifications")
      .set({ used_at: now })
      .where("id", "=", row.id)
      .execute();
    let updated: UserRow;
    try {
      updated = await tx.db
        .updateTable("users")
        .set({
          email: row.email,
          pending_email: changing ? null : user.pending_email,
          email_verified: true,
          email_verified_at: now,
        })
        .where("id", "=", user.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError("EMAIL_TAKEN", "Another account now uses this email address", {
          field: "email",
        });
      }
      throw error;
    }
    await audit(tx, {
      organizationId: null,
      action: changing ? "user.email-change" : "user.email-verify",
      entityType: "user",
      entityId: user.id,
      before: { email: user.email, email_verified: user.email_verified },
      after: { email: updated.email, email_verified: true },
    });
    await tx.events.emit(tx, "user.email-verified", { userId: user.id, email: updated.email });
    return { user: updated, emailChanged: changing };
  });
}

/**
 * Sends a new verification mail when the address belongs to an unverified account; says
 * nothing either way. Every request counts against the address's mail limit, account or not,
 * so the limit's state reveals nothing; over it, nothing is sent and no link is replaced.
 */
export async function resendVerification(ctx: Ctx, email: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    if (!(await mayMailAddress(tx, email, "email-verification"))) return;
    const user = await accountByEmail(tx, email);
    if (!user) return;
    if (!user.email_verified) await sendVerification(tx, user, user.email);
    else if (user.pending_email) await sendVerification(tx, user, user.pending_email);
  });
}

export interface LoginInput {
  email: string;
  password: string;
  transport: "bearer" | "cookie";
}

/**
 * Seed 002 §login: refuses locked, suspended and unverified accounts, locks an account for
 * 30 minutes after 5 failed passwords, and opens a session.
 *
 * Against password spraying (one password tried on many accounts, never five on one), every
 * failure also counts against the client address; past `LOGIN_FAILURES_PER_ADDRESS_PER_HOUR`
 * the address is refused before any password is checked, so its further guesses neither
 * reach an account nor count towards locking one.
 */
export type LoginOutcome =
  | { kind: "session"; user: UserRow; tokens: IssuedTokens }
  | {
      kind: "mfa";
      user: UserRow;
      challenge: { token: string; expiresAt: Date };
      methods: SecondFactorMethod[];
    };

export async function login(ctx: Ctx, input: LoginInput): Promise<LoginOutcome> {
  const email = normalizeEmail(input.email);
  const now = ctx.clock.now();
  const address = addressOf(ctx);
  const addressLimit = loginFailureLimit(ctx);
  if (address) {
    const state = await peekLimit(ctx, addressLimit, address);
    if (!state.allowed) {
      throw limitError(
        "Too many failed sign-ins from your network; try again later",
        addressLimit,
        state,
      );
    }
  }
  const failedFromAddress = async () => {
    if (!address) return;
    const state = await recordLimit(ctx, addressLimit, address);
    // The address was under the limit when this attempt began, so this failure crossed it.
    if (!state.allowed) {
      await systemLog(ctx, {
        event: "auth.address-throttled",
        level: "warn",
        message: "Too many failed sign-ins from one address",
        metadata: { failures: Math.round(state.count), retryAfterMs: state.retryAfterMs },
      });
    }
  };
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  const invalid = () => new AppError("INVALID_CREDENTIALS", "The email or password is incorrect");
  if (!user) {
    await verifyPassword(null, input.password);
    await failedFromAddress();
    await systemLog(ctx, {
      event: "auth.login-failed",
      level: "warn",
      message: "unknown email",
      metadata: { email },
    });
    throw invalid();
  }
  if (user.locked_until && user.locked_until > now) {
    throw lockedError(user.locked_until, now);
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await failedFromAddress();
    const failed = await ctx.db
      .updateTable("users")
      .set({
        failed_login_attempts: sql`case when locked_until is not null and locked_until <= ${now} then 1 else failed_login_attempts + 1 end`,
        locked_until: sql`case when locked_until is not null and locked_until <= ${now} then null else locked_until end`,
      })
      .where("id", "=", user.id)
      .returning(["failed_login_attempts"])
      .executeTakeFirstOrThrow();
    if (failed.failed_login_attempts >= MAX_FAILED_LOGINS) {
      const until = addMs(now, LOCKOUT_MS);
      await ctx.db
        .updateTable("users")
        .set({ locked_until: until, failed_login_attempts: 0 })
        .where("id", "=", user.id)
        .execute();
      await systemLog(ctx, {
        event: "auth.account-locked",
        level: "warn",
        userId: user.id,
        metadata: { until },
      });
      throw lockedError(until, now);
    }
    await systemLog(ctx, {
      event: "auth.login-failed",
      level: "warn",
      userId: user.id,
      metadata: { attempts: failed.failed_login_attempts },
    });
    throw invalid();
  }
  if (user.status !== "active") {
    throw new AppError(
      "ACCOUNT_SUSPENDED",
      "This account is suspended; contact your administrator",
      {
        details: user.suspended_reason ? { reason: user.suspended_reason } : undefined,
      },
    );
  }
  if (!user.email_verified) {
    throw new AppError("EMAIL_NOT_VERIFIED", "Confirm your email address before signing in", {
      details: { resend: "/api/v1/auth/resend-verification" },
    });
  }
  await assertPasswordFresh(ctx, user);
  const methods = await secondFactorMethods(ctx, user.id);
  if (methods.length) {
    // The password was right: the account's failure count starts again, but no session opens
    // until the second step.
    await ctx.db
      .updateTable("users")
      .set({ failed_login_attempts: 0, locked_until: null })
      .where("id", "=", user.id)
      .execute();
    const challenge = await createMfaChallenge(ctx, user.id, input.transport);
    return { kind: "mfa", user, challenge, methods };
  }
  const tokens = await openSession(ctx, user.id, input.transport);
  const signedIn = await ctx.db
    .updateTable("users")
    .set({
      failed_login_attempts: 0,
      locked_until: null,
      last_login_at: now,
      login_count: sql`login_count + 1`,
    })
    .where("id", "=", user.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await systemLog(ctx, {
    event: "auth.login",
    userId: user.id,
    metadata: { sessionId: tokens.sessionId },
  });
  await ctx.events.emit(ctx, "user.signed-in", { userId: user.id, sessionId: tokens.sessionId });
  return { kind: "session", user: signedIn, tokens };
}

function lockedError(until: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(
    "ACCOUNT_LOCKED",
    "Too many failed sign-ins; the account is locked for 30 minutes",
    {
      details: { lockedUntil: until.toISOString() },
      headers: { "retry-after": String(seconds) },
    },
  );
}
