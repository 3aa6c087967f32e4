import type { SessionRow } from "../../db/schema.js";
import { systemLog } from "../../platform/audit/audit.js";
import { REFRESH_TOKEN_TTL_MS } from "../../platform/auth/tokens.js";
import { addMs, MINUTE } from "../../platform/clock.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { parseUserAgent } from "./user-agent.js";

export interface IssuedTokens {
  sessionId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  csrfToken: string;
}

async function issueRefreshToken(
  ctx: Ctx,
  sessionId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32, "lyr_");
  const expiresAt = addMs(ctx.clock.now(), REFRESH_TOKEN_TTL_MS);
  await ctx.db
    .insertInto("refresh_tokens")
    .values({
      session_id: sessionId,
      token_hash: sha256(token),
      expires_at: expiresAt,
      created_at: ctx.clock.now(),
    })
    .execute();
  return { token, expiresAt };
}

async function tokensFor(
  ctx: Ctx,
  userId: string,
  sessionId: string,
  refresh: { token: string; expiresAt: Date },
) {
  const access = await ctx.tokens.signAccessToken({ userId, sessionId }, ctx.clock.now());
  return {
    sessionId,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt,
    csrfToken: ctx.tokens.csrfToken(sessionId),
  };
}

/** Opens a session for a person who just proved who they are. */
export async function openSession(
  ctx: Ctx,
  userId: string,
  transport: "bearer" | "cookie",
  options: { mfa?: boolean } = {},
): Promise<IssuedTokens> {
  return inTransaction(ctx, async (tx) => {
    const device = parseUserAgent(tx.meta.userAgent);
    const now = tx.clock.now();
    const session = await tx.db
      .insertInto("user_sessions")
      .values({
        user_id: userId,
        transport,
        device_name: device.deviceName,
        device_type: device.deviceType,
        browser: device.browser,
        browser_version: device.browserVersion,
        os: device.os,
        os_version: device.osVersion,
        ip_address: tx.meta.ip,
        user_agent: tx.meta.userAgent,
        last_accessed_at: now,
        expires_at: addMs(now, REFRESH_TOKEN_TTL_MS),
        created_at: now,
        mfa_verified_at: options.mfa ? now : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const refresh = await issueRefreshToken(tx, session.id);
    return tokensFor(tx, userId, session.id, refresh);
  });
}

type RefreshOutcome =
  | { kind: "ok"; tokens: IssuedTokens; userId: string }
  | { kind: "reused"; userId: string }
  | { kind: "error"; error: AppError };

/**
 * Swaps a refresh token for a new pair. A refresh token works once: presenting one that was
 * already rotated means it leaked, so the whole session is revoked.
 */
export async function rotateRefreshToken(
  ctx: Ctx,
  rawToken: string,
  expectCsrf?: (sessionId: string) => void,
): Promise<{ tokens: IssuedTokens; userId: string }> {
  const outcome = await inTransaction(ctx, async (tx): Promise<RefreshOutcome> => {
    const now = tx.clock.now();
    const row = await tx.db
      .selectFrom("refresh_tokens as rt")
      .innerJoin("user_sessions as s", "s.id", "rt.session_id")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select([
        "rt.id",
        "rt.session_id",
        "rt.rotated_at",
        "rt.expires_at",
        "s.user_id",
        "s.revoked_at",
        "u.status",
        "u.deleted_at",
      ])
      .where("rt.token_hash", "=", sha256(rawToken))
      .forUpdate("rt")
      .executeTakeFirst();
    if (!row)
      return { kind: "error", error: new AppError("UNAUTHENTICATED", "Invalid refresh token") };
    expectCsrf?.(row.session_id);
    if (row.revoked_at) {
      return {
        kind: "error",
        error: new AppError("SESSION_REVOKED", "This session has been signed out"),
      };
    }
    if (row.rotated_at) {
      await revokeSessionRow(tx, row.session_id, "refresh-token-reuse");
      await systemLog(tx, {
        event: "auth.refresh-token-reused",
        level: "warn",
        userId: row.user_id,
        message: "A rotated refresh token was presented again; the session was revoked",
        metadata: { sessionId: row.session_id },
      });
      return { kind: "reused", userId: row.user_id };
    }
    if (row.expires_at <= now) {
      return {
        kind: "error",
        error: new AppError("TOKEN_EXPIRED", "The refresh token has expired; sign in again"),
      };
    }
    if (row.status !== "active" || row.deleted_at) {
      return {
        kind: "error",
        error: new AppError("ACCOUNT_SUSPENDED", "This account is not active"),
      };
    }
    await tx.db
      .updateTable("refresh_tokens")
      .set({ rotated_at: now })
      .where("id", "=", row.id)
      .execute();
    const refresh = await issueRefreshToken(tx, row.session_id);
    await tx.db
      .updateTable("user_sessions")
      .set({ last_accessed_at: now, expires_at: refresh.expiresAt, ip_address: tx.meta.ip })
      .where("id", "=", row.session_id)
      .execute();
    return {
      kind: "ok",
      userId: row.user_id,
      tokens: await tokensFor(tx, row.user_id, row.session_id, refresh),
    };
  });
  if (outcome.kind === "error") throw outcome.error;
  if (outcome.kind === "reused") {
    throw new AppError(
      "REFRESH_TOKEN_REUSED",
      "This refresh token was already used; the session has been revoked for safety. Sign in again.",
    );
  }
  return outcome;
}

async function revokeSessionRow(ctx: Ctx, sessionId: string, reason: string): Promise<void> {
  await ctx.db
    .updateTable("user_sessions")
    .set({ revoked_at: ctx.clock.now(), revoked_reason: reason })
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
}

/** Signs out one session of a person. */
export async function revokeSession(
  ctx: Ctx,
  userId: string,
  sessionId: string,
  reason: string,
): Promise<void> {
  const result = await ctx.db
    .updateTable("user_sessions")
    .set({ revoked_at: ctx.clock.now(), revoked_reason: reason })
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError("NOT_FOUND", "Session not found");
}

/** Ends the session a person is using (logout). */
export async function signOut(ctx: Ctx, userId: string, sessionId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await revokeSession(tx, userId, sessionId, "user-logout");
    await systemLog(tx, { event: "auth.logout", userId, metadata: { sessionId } });
    await tx.events.emit(tx, "user.signed-out", { userId, sessionId });
  });
}

/** Signs out every session of a person, optionally keeping one. */
export async function revokeAllSessions(
  ctx: Ctx,
  userId: string,
  reason: string,
  keepSessionId?: string,
): Promise<number> {
  let query = ctx.db
    .updateTable("user_sessions")
    .set({ revoked_at: ctx.clock.now(), revoked_reason: reason })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null);
  if (keepSessionId) query = query.where("id", "!=", keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A person's sessions that can still be used, newest activity first. */
export async function listActiveSessions(ctx: Ctx, userId: string): Promise<SessionRow[]> {
  return ctx.db
    .selectFrom("user_sessions")
    .selectAll()
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", ctx.clock.now())
    .orderBy("last_accessed_at", "desc")
    .execute();
}

export interface SessionCheck {
  userId: string;
  sessionId: string;
}

/** How often a session in use records that it was used (`last_accessed_at`). */
export const SESSION_TOUCH_MS = 5 * MINUTE;

/**
 * Confirms that the session behind an access token is still open and its owner still
 * active; revocation takes effect at once, not when the access token expires. Answers the
 * session's expiry and last use (after touching it), which a cache may keep.
 */
export async function checkSession(
  ctx: Ctx,
  claims: SessionCheck,
): Promise<{ expiresAt: Date; lastAccessedAt: Date }> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom("user_sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["s.revoked_at", "s.expires_at", "s.last_accessed_at", "u.status", "u.deleted_at"])
    .where("s.id", "=", claims.sessionId)
    .where("s.user_id", "=", claims.userId)
    .executeTakeFirst();
  if (!row) throw new AppError("UNAUTHENTICATED", "Unknown session");
  if (row.revoked_at) throw new AppError("SESSION_REVOKED", "This session has been signed out");
  if (row.expires_at <= now) throw new AppError("TOKEN_EXPIRED", "This session has expired");
  if (row.status !== "active" || row.deleted_at) {
    throw new AppError("ACCOUNT_SUSPENDED", "This account is not active");
  }
  let lastAccessedAt = row.last_accessed_at;
  if (now.getTime() - lastAccessedAt.getTime() > SESSION_TOUCH_MS) {
    await touchSession(ctx, claims.sessionId);
    lastAccessedAt = now;
  }
  return { expiresAt: row.expires_at, lastAccessedAt };
}

/** Records that a session was used now. */
export async function touchSession(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.db
    .updateTable("user_sessions")
    .set({ last_accessed_at: ctx.clock.now() })
    .where("id", "=", sessionId)
    .execute();
}

/** Marks one of a person's sessions as having passed a second factor now. */
export async function markSessionMfaVerified(
  tx: Ctx,
  userId: string,
  sessionId: string,
): Promise<void> {
  await tx.db
    .updateTable("user_sessions")
    .set({ mfa_verified_at: tx.clock.now() })
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .execute();
}
