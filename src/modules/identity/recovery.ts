// Password recovery and change: reset links, resets, and changes with the current password.
import { audit, systemLog } from "../../platform/audit/audit.js";
import { PASSWORD_RESET_TTL_MS } from "../../platform/auth/tokens.js";
import { addMs } from "../../platform/clock.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { accountByEmail, assertStrongPassword, mayMailAddress } from "./auth.js";
import { passwordChangedMail, passwordResetMail } from "./mail.js";
import { assertOrganizationPasswordRules, rememberPassword } from "./org-security.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { revokeAllSessions } from "./sessions.js";

/**
 * Seed 002 §forgot-password: replaces any open reset token with a new one-hour token and
 * mails it. Behaves identically whether or not the address has an account, and whether or not
 * the address has reached `MAILS_PER_RECIPIENT_PER_HOUR`.
 */
export async function forgotPassword(ctx: Ctx, email: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    // Counted for every address, account or not, so the limit itself reveals nothing. Over it,
    // no mail goes out and the open link stays valid (a flood cannot cancel a real request).
    if (!(await mayMailAddress(tx, email, "password-reset"))) return;
    const user = await accountByEmail(tx, email);
    if (!user || user.status !== "active") {
      await systemLog(tx, { event: "auth.password-reset-requested", metadata: { known: false } });
      return;
    }
    await tx.db
      .updateTable("password_resets")
      .set({ used_at: now })
      .where("user_id", "=", user.id)
      .where("used_at", "is", null)
      .execute();
    const token = randomToken(32);
    await tx.db
      .insertInto("password_resets")
      .values({
        user_id: user.id,
        token_hash: sha256(token),
        expires_at: addMs(now, PASSWORD_RESET_TTL_MS),
        requested_ip: tx.meta.ip,
        created_at: now,
      })
      .execute();
    const url = `${tx.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await tx.mailer.enqueue(tx.db, passwordResetMail(user, url));
    await systemLog(tx, {
      event: "auth.password-reset-requested",
      userId: user.id,
      metadata: { known: true },
    });
  });
}

/** Seed 002 §reset-password: one use, one hour; signs the person out everywhere. */
export async function resetPassword(ctx: Ctx, token: string, password: string): Promise<void> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom("password_resets as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select(["r.id", "r.used_at", "r.expires_at", "u.email", "u.id as user_id", "u.password_hash"])
    .where("r.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now) {
    throw new AppError("INVALID_TOKEN", "This reset link is invalid or has expired", {
      field: "token",
    });
  }
  assertStrongPassword(password, row.email);
  await assertOrganizationPasswordRules(
    ctx,
    { id: row.user_id, password_hash: row.password_hash },
    password,
  );
  const passwordHash = await hashPassword(password);
  await inTransaction(ctx, async (tx) => {
    const claimed = await tx.db
      .updateTable("password_resets")
      .set({ used_at: now })
      .where("id", "=", row.id)
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      throw new AppError("INVALID_TOKEN", "This reset link has already been used", {
        field: "token",
      });
    }
    await rememberPassword(tx, row.user_id, row.password_hash);
    const user = await tx.db
      .updateTable("users")
      .set({
        password_hash: passwordHash,
        password_changed_at: now,
        failed_login_attempts: 0,
        locked_until: null,
        must_change_password: false,
      })
      .where("id", "=", row.user_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const revoked = await revokeAllSessions(tx, user.id, "password-reset");
    await tx.mailer.enqueue(tx.db, passwordChangedMail(user));
    await audit(tx, {
      organizationId: null,
      action: "user.password-reset",
      entityType: "user",
      entityId: user.id,
      after: { sessionsRevoked: revoked },
    });
    await systemLog(tx, {
      event: "auth.password-reset",
      userId: user.id,
      metadata: { sessionsRevoked: revoked },
    });
  });
}

/** Changes a signed-in person's password; other sessions are signed out, this one stays. */
export async function changePassword(
  ctx: Ctx,
  userId: string,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, currentPassword))) {
    throw new AppError("INVALID_CREDENTIALS", "The current password is incorrect", {
      field: "currentPassword",
    });
  }
  assertStrongPassword(newPassword, user.email);
  await assertOrganizationPasswordRules(ctx, user, newPassword);
  const passwordHash = await hashPassword(newPassword);
  await inTransaction(ctx, async (tx) => {
    await rememberPassword(tx, userId, user.password_hash);
    await tx.db
      .updateTable("users")
      .set({
        password_hash: passwordHash,
        password_changed_at: tx.clock.now(),
        must_change_password: false,
      })
      .where("id", "=", userId)
      .execute();
    const revoked = await revokeAllSessions(tx, userId, "password-change", sessionId);
    await tx.mailer.enqueue(tx.db, passwordChangedMail(user));
    await audit(tx, {
      organizationId: null,
      action: "user.password-change",
      entityType: "user",
      entityId: userId,
      after: { otherSessionsRevoked: revoked },
    });
  });
}
