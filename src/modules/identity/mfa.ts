// Two-step sign-in: authenticator codes (RFC 6238), security keys (webauthn.ts) and the
// account's single-use recovery codes (mfa-recovery-codes.ts).
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import type { UserRow } from "../../db/schema.js";
import { audit, systemLog } from "../../platform/audit/audit.js";
import { addMs, MINUTE } from "../../platform/clock.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { assertUnderLimit, MFA_FAILURE_LIMIT, wrongAnswer } from "./mfa-limits.js";
import {
  acceptRecoveryCode,
  deleteRecoveryCodes,
  issueFirstRecoveryCodes,
  issueRecoveryCodes,
  lockSecondFactors,
} from "./mfa-recovery-codes.js";
import { verifyPassword } from "./passwords.js";
import { type IssuedTokens, markSessionMfaVerified, openSession } from "./sessions.js";
import { matchTotp, newTotpSecret, otpauthUri } from "./totp.js";
import { acceptWebauthnAssertion, webauthnSignInOptions } from "./webauthn.js";

/** How long the step between password and code may take. */
export const MFA_CHALLENGE_TTL_MS = 5 * MINUTE;
/** Wrong codes one challenge takes before it is spent. */
export const MFA_CHALLENGE_ATTEMPTS = 5;
const ISSUER = "Lyceum";

export { MFA_FAILURE_LIMIT };

function sealContext(userId: string): string {
  return `user-mfa:${userId}`;
}

export type SecondFactorMethod = "totp" | "recovery-code" | "webauthn";

/** A person's second factors and recovery codes, read in one statement. */
interface SecondFactors {
  /** When the authenticator app was confirmed; null without one. */
  totpSince: Date | null;
  /** An authenticator app was enrolled but not yet confirmed. */
  totpPending: boolean;
  /** When the oldest security key was added; null without one. */
  keysSince: Date | null;
  /** Recovery codes not used yet. */
  codesLeft: number;
}

async function secondFactors(ctx: Ctx, userId: string): Promise<SecondFactors> {
  const row = await ctx.db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("user_mfa")
        .select("confirmed_at")
        .where("user_id", "=", userId)
        .as("totp_since"),
      eb
        .exists(
          eb
            .selectFrom("user_mfa")
            .select("user_id")
            .where("user_id", "=", userId)
            .where("confirmed_at", "is", null),
        )
        .as("totp_pending"),
      eb
        .selectFrom("user_webauthn_credentials")
        .select((k) => k.fn.min("created_at").as("since"))
        .where("user_id", "=", userId)
        .as("keys_since"),
      eb
        .selectFrom("user_mfa_recovery_codes")
        .select((c) => c.fn.countAll<string>().as("n"))
        .where("user_id", "=", userId)
        .where("used_at", "is", null)
        .as("codes_left"),
    ])
    .executeTakeFirstOrThrow();
  return {
    totpSince: row.totp_since ?? null,
    totpPending: Boolean(row.totp_pending),
    keysSince: row.keys_since ?? null,
    codesLeft: Number(row.codes_left ?? 0),
  };
}

/**
 * What the second sign-in step accepts: the app's codes, security keys, and recovery codes
 * while the account has a second factor and unused codes. Empty without two-step sign-in.
 */
function methodsOf(factors: SecondFactors): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (factors.totpSince) methods.push("totp");
  const hasFactor = Boolean(factors.totpSince || factors.keysSince);
  if (hasFactor && factors.codesLeft > 0) methods.push("recovery-code");
  if (factors.keysSince) methods.push("webauthn");
  return methods;
}

export interface MfaStatus {
  /** Two-step sign-in is on: an authenticator app, a security key, or both. */
  enabled: boolean;
  methods: SecondFactorMethod[];
  pending: boolean;
  /** Since the oldest second factor the account still has. */
  enabledAt: Date | null;
  recoveryCodesRemaining: number;
}

export async function mfaStatus(ctx: Ctx, userId: string): Promise<MfaStatus> {
  const factors = await secondFactors(ctx, userId);
  const since = [factors.totpSince, factors.keysSince].filter((d): d is Date => d !== null);
  const enabledAt = since.length ? new Date(Math.min(...since.map((d) => d.getTime()))) : null;
  return {
    enabled: enabledAt !== null,
    methods: methodsOf(factors),
    pending: factors.totpPending,
    enabledAt,
    recoveryCodesRemaining: enabledAt ? factors.codesLeft : 0,
  };
}

/** Whether a person has confirmed an authenticator app. */
async function hasTotp(ctx: Ctx, userId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("user_mfa")
    .select("confirmed_at")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Boolean(row?.confirmed_at);
}

/** The second factors a person can sign in with; empty without two-step sign-in. */
export async function secondFactorMethods(ctx: Ctx, userId: string): Promise<SecondFactorMethod[]> {
  return methodsOf(await secondFactors(ctx, userId));
}

/** Whether a person has two-step sign-in: a confirmed authenticator app or a security key. */
export async function hasMfa(ctx: Ctx, userId: string): Promise<boolean> {
  const factors = await secondFactors(ctx, userId);
  return Boolean(factors.totpSince || factors.keysSince);
}

/**
 * After a second factor was removed (inside that transaction, under lockSecondFactors): once
 * the person's last one is gone, their recovery codes are deleted and no session counts as
 * having passed a second factor. While another factor remains, the codes stay. Answers whether
 * two-step sign-in remains.
 */
export async function endTwoStepWithoutFactor(tx: Ctx, userId: string): Promise<boolean> {
  if (await hasMfa(tx, userId)) return true;
  await deleteRecoveryCodes(tx, userId);
  await tx.db
    .updateTable("user_sessions")
    .set({ mfa_verified_at: null })
    .where("user_id", "=", userId)
    .execute();
  return false;
}

async function userById(ctx: Ctx, userId: string): Promise<UserRow> {
  return ctx.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
}

/**
 * Accepts an authenticator code for a confirmed (or, with `pending`, an unconfirmed) secret
 * once: the accepted time step is recorded in the same statement that checks it is newer than
 * the last one, so the same code cannot be used twice, even by two requests at once.
 */
async function acceptTotp(
  ctx: Ctx,
  userId: string,
  code: string,
  pending = false,
): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("user_mfa")
    .select(["secret_sealed", "confirmed_at", "last_step"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!row || Boolean(row.confirmed_at) === pending) return false;
  const secret = ctx.secrets.open(row.secret_sealed, sealContext(userId));
  const step = matchTotp(secret, code, ctx.clock.now(), Number(row.last_step));
  if (step === null) return false;
  const claimed = await ctx.db
    .updateTable("user_mfa")
    .set({ last_step: step, updated_at: ctx.clock.now() })
    .where("user_id", "=", userId)
    .where("last_step", "<", step)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

async function assertPassword(ctx: Ctx, user: UserRow, password: string): Promise<void> {
  if (!(await verifyPassword(user.password_hash, password))) {
    await systemLog(ctx, { event: "auth.mfa-password-wrong", level: "warn", userId: user.id });
    throw new AppError("INVALID_CREDENTIALS", "The password is incorrect", { field: "password" });
  }
}

/**
 * Starts (or restarts) enrollment: a new secret, sealed at rest, that takes effect once a
 * code from it is confirmed. Needs the account's password.
 */
export async function startMfaEnrollment(
  ctx: Ctx,
  userId: string,
  password: string,
): Promise<{ secret: string; otpauthUri: string }> {
  const user = await userById(ctx, userId);
  await assertPassword(ctx, user, password);
  const existing = await ctx.db
    .selectFrom("user_mfa")
    .select("confirmed_at")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (existing?.confirmed_at) {
    throw new AppError("MFA_ALREADY_ENABLED", "Two-step sign-in is already on; turn it off first");
  }
  const secret = newTotpSecret();
  const sealed = ctx.secrets.seal(secret, sealContext(userId));
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    await tx.db
      .insertInto("user_mfa")
      .values({ user_id: userId, secret_sealed: sealed, created_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.column("user_id").doUpdateSet({
          secret_sealed: sealed,
          confirmed_at: null,
          last_step: 0,
          updated_at: now,
        }),
      )
      .execute();
    await audit(tx, {
      organizationId: null,
      action: "user.mfa-enroll-start",
      entityType: "user",
      entityId: userId,
      riskLevel: "high",
    });
    await systemLog(tx, { event: "auth.mfa-enroll-start", userId });
  });
  return { secret, otpauthUri: otpauthUri(secret, user.email, ISSUER) };
}

/**
 * Confirms enrollment with a code from the new secret: the app works from now and the current
 * session counts as having passed it. When it is the account's first second factor, ten
 * recovery codes are answered once; an account that already has codes (from a security key)
 * keeps them and gets an empty list.
 */
export async function confirmMfaEnrollment(
  ctx: Ctx,
  userId: string,
  sessionId: string,
  code: string,
): Promise<string[]> {
  await assertUnderLimit(ctx, userId);
  const pending = await ctx.db
    .selectFrom("user_mfa")
    .select("confirmed_at")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!pending) throw new AppError("MFA_NOT_ENABLED", "Start enrolling an authenticator first");
  if (pending.confirmed_at) {
    throw new AppError("MFA_ALREADY_ENABLED", "Two-step sign-in is already on");
  }
  const outcome = await inTransaction(ctx, async (tx) => {
    await lockSecondFactors(tx, userId);
    if (!(await acceptTotp(tx, userId, code, true))) return null;
    const now = tx.clock.now();
    await tx.db
      .updateTable("user_mfa")
      .set({ confirmed_at: now, updated_at: now })
      .where("user_id", "=", userId)
      .execute();
    await markSessionMfaVerified(tx, userId, sessionId);
    const codes = await issueFirstRecoveryCodes(tx, userId);
    await audit(tx, {
      organizationId: null,
      action: "user.mfa-enable",
      entityType: "user",
      entityId: userId,
      after: { mfa_enabled: true },
      riskLevel: "high",
    });
    await systemLog(tx, { event: "auth.mfa-enabled", userId });
    return codes;
  });
  if (!outcome) throw await wrongAnswer(ctx, userId, "auth.mfa-enroll-code-wrong");
  return outcome;
}

export interface SecondFactorProof {
  password?: string;
  code?: string;
}

/** Checks a password or a current code (either proves the owner for turning things off). */
export async function proveOwner(
  ctx: Ctx,
  userId: string,
  proof: SecondFactorProof,
): Promise<void> {
  const user = await userById(ctx, userId);
  if (proof.password !== undefined) return assertPassword(ctx, user, proof.password);
  if (proof.code === undefined) {
    throw new AppError("VALIDATION_ERROR", "Send your password or a code from your authenticator");
  }
  if (!(await hasTotp(ctx, userId))) {
    throw new AppError(
      "MFA_NOT_ENABLED",
      "This account has no authenticator app; send the password",
      {
        field: "code",
      },
    );
  }
  await assertUnderLimit(ctx, userId);
  const ok = await inTransaction(ctx, async (tx) => acceptTotp(tx, userId, proof.code as string));
  if (!ok) throw await wrongAnswer(ctx, userId, "auth.mfa-code-wrong");
}

/**
 * Ten new recovery codes for an account with two-step sign-in (an authenticator app or a
 * security key); the old ones stop working.
 */
export async function regenerateRecoveryCodes(
  ctx: Ctx,
  userId: string,
  proof: SecondFactorProof,
): Promise<string[]> {
  if (!(await hasMfa(ctx, userId))) {
    throw new AppError("MFA_NOT_ENABLED", "Two-step sign-in is not on for this account");
  }
  await proveOwner(ctx, userId, proof);
  return inTransaction(ctx, async (tx) => {
    const codes = await issueRecoveryCodes(tx, userId);
    await audit(tx, {
      organizationId: null,
      action: "user.mfa-recovery-codes-regenerate",
      entityType: "user",
      entityId: userId,
      riskLevel: "high",
    });
    await systemLog(tx, { event: "auth.mfa-recovery-codes-regenerated", userId });
    return codes;
  });
}

/**
 * Turns the authenticator app off (password or a current code). Two-step sign-in ends with it
 * unless a security key remains, which keeps the recovery codes too.
 */
export async function disableMfa(
  ctx: Ctx,
  userId: string,
  proof: SecondFactorProof,
): Promise<void> {
  if (!(await hasTotp(ctx, userId))) {
    throw new AppError("MFA_NOT_ENABLED", "This account has no authenticator app to turn off");
  }
  await proveOwner(ctx, userId, proof);
  await inTransaction(ctx, async (tx) => {
    await lockSecondFactors(tx, userId);
    await tx.db.deleteFrom("user_mfa").where("user_id", "=", userId).execute();
    const twoStep = await endTwoStepWithoutFactor(tx, userId);
    // Two-step sign-in stays on while a security key remains.
    await audit(tx, {
      organizationId: null,
      action: "user.mfa-disable",
      entityType: "user",
      entityId: userId,
      before: { mfa_enabled: true, authenticator_app: true },
      after: { mfa_enabled: twoStep, authenticator_app: false },
      riskLevel: "high",
    });
    await systemLog(tx, { event: "auth.mfa-disabled", level: "warn", userId });
  });
}

/** The step after a correct password for an account with two-step sign-in. */
export async function createMfaChallenge(
  ctx: Ctx,
  userId: string,
  transport: "bearer" | "cookie",
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32, "lym_");
  const now = ctx.clock.now();
  const expiresAt = addMs(now, MFA_CHALLENGE_TTL_MS);
  await ctx.db
    .insertInto("mfa_challenges")
    .values({
      user_id: userId,
      token_hash: sha256(token),
      transport,
      expires_at: expiresAt,
      created_at: now,
    })
    .execute();
  await systemLog(ctx, { event: "auth.mfa-challenge", userId });
  return { token, expiresAt };
}

/** A sign-in step that is live: not expired, not used, not out of attempts. */
async function liveChallenge(ctx: Ctx, token: string) {
  const now = ctx.clock.now();
  const challenge = await ctx.db
    .selectFrom("mfa_challenges")
    .selectAll()
    .where("token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (
    !challenge ||
    challenge.used_at ||
    challenge.expires_at <= now ||
    challenge.failed_attempts >= MFA_CHALLENGE_ATTEMPTS
  ) {
    throw new AppError(
      "MFA_CHALLENGE_INVALID",
      "This sign-in step has expired or was already used; sign in again",
    );
  }
  return challenge;
}

/** Options for a security key's prompt at the second step of a sign-in. */
export async function mfaWebauthnOptions(
  ctx: Ctx,
  token: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const challenge = await liveChallenge(ctx, token);
  return webauthnSignInOptions(ctx, challenge.user_id, challenge.id);
}

export interface MfaAnswer {
  code?: string;
  recoveryCode?: string;
  webauthn?: AuthenticationResponseJSON;
}

/** Checks one answer to a sign-in step; the method it used, or null when it is wrong. */
async function acceptAnswer(
  tx: Ctx,
  userId: string,
  challengeId: string,
  answer: MfaAnswer,
): Promise<SecondFactorMethod | null> {
  if (answer.webauthn) {
    const key = await acceptWebauthnAssertion(tx, userId, challengeId, answer.webauthn);
    return key ? "webauthn" : null;
  }
  if (answer.recoveryCode !== undefined) {
    return (await acceptRecoveryCode(tx, userId, answer.recoveryCode)) ? "recovery-code" : null;
  }
  return (await acceptTotp(tx, userId, answer.code ?? "")) ? "totp" : null;
}

/**
 * Completes sign-in with a code, a recovery code or a security key. A challenge takes five
 * wrong answers, the account ten in fifteen minutes (across challenges); a code is accepted
 * once, a key's challenge too.
 */
export async function completeMfaChallenge(
  ctx: Ctx,
  token: string,
  answer: MfaAnswer,
): Promise<{ user: UserRow; tokens: IssuedTokens; transport: "bearer" | "cookie" }> {
  const now = ctx.clock.now();
  const challenge = await liveChallenge(ctx, token);
  const userId = challenge.user_id;
  await assertUnderLimit(ctx, userId);
  const result = await inTransaction(ctx, async (tx) => {
    const method = await acceptAnswer(tx, userId, challenge.id, answer);
    if (!method) return null;
    const usedRecovery = method === "recovery-code";
    const claimed = await tx.db
      .updateTable("mfa_challenges")
      .set({ used_at: now })
      .where("id", "=", challenge.id)
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    const user = await userById(tx, userId);
    if (user.status !== "active" || user.deleted_at) {
      throw new AppError("ACCOUNT_SUSPENDED", "This account is not active");
    }
    const tokens = await openSession(tx, userId, challenge.transport, { mfa: true });
    const signedIn = await tx.db
      .updateTable("users")
      .set((eb) => ({
        failed_login_attempts: 0,
        locked_until: null,
        last_login_at: now,
        login_count: eb("login_count", "+", 1),
      }))
      .where("id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (usedRecovery) {
      await audit(tx, {
        organizationId: null,
        action: "user.mfa-recovery-code-use",
        entityType: "user",
        entityId: userId,
        riskLevel: "high",
      });
    }
    await systemLog(tx, {
      event: "auth.login",
      userId,
      metadata: { sessionId: tokens.sessionId, mfa: method },
    });
    await tx.events.emit(tx, "user.signed-in", { userId, sessionId: tokens.sessionId });
    return { user: signedIn, tokens, transport: challenge.transport };
  });
  if (!result) {
    await ctx.db
      .updateTable("mfa_challenges")
      .set((eb) => ({ failed_attempts: eb("failed_attempts", "+", 1) }))
      .where("id", "=", challenge.id)
      .execute();
    throw await wrongAnswer(
      ctx,
      userId,
      answer.webauthn ? "auth.webauthn-login-refused" : "auth.mfa-login-code-wrong",
      answer.webauthn
        ? new AppError("INVALID_MFA_CODE", "The security key was not accepted", {
            field: "webauthn",
          })
        : undefined,
    );
  }
  return result;
}
