// Recovery codes: ten single-use codes that belong to a person's two-step sign-in, whichever
// second factors it has (an authenticator app, security keys or both). They are issued with the
// account's first second factor, replaced on request, and deleted with its last one.
import { randomInt } from "node:crypto";
import type { Ctx } from "../../platform/context.js";
import { sha256 } from "../../platform/crypto.js";

export const RECOVERY_CODE_COUNT = 10;

/**
 * Locks the person's row (inside a transaction) so that changes to their second factors and
 * recovery codes happen one after the other: a key added while the app is turned off cannot
 * both miss each other's factor and leave codes behind, or issue two sets of first codes.
 */
export async function lockSecondFactors(tx: Ctx, userId: string): Promise<void> {
  await tx.db
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

/** Recovery codes are read case-insensitively, with or without their dash. */
function normalizeRecoveryCode(code: string): string | null {
  const clean = code.replace(/[\s-]/g, "").toLowerCase();
  return /^[a-z0-9]{10}$/.test(clean) ? clean : null;
}

const CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

function newRecoveryCode(): string {
  let out = "";
  for (let i = 0; i < 10; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/** Spends one unused recovery code; false when it is not one. */
export async function acceptRecoveryCode(ctx: Ctx, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code);
  if (!normalized) return false;
  const spent = await ctx.db
    .updateTable("user_mfa_recovery_codes")
    .set({ used_at: ctx.clock.now() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", sha256(normalized))
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

/**
 * Replaces a person's recovery codes with ten new ones (stored as SHA-256 hashes), answered
 * once in clear.
 */
export async function issueRecoveryCodes(tx: Ctx, userId: string): Promise<string[]> {
  await lockSecondFactors(tx, userId);
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
  await deleteRecoveryCodes(tx, userId);
  const now = tx.clock.now();
  await tx.db
    .insertInto("user_mfa_recovery_codes")
    .values(
      [...codes].map((code) => ({
        user_id: userId,
        code_hash: sha256(normalizeRecoveryCode(code) as string),
        created_at: now,
      })),
    )
    .execute();
  return [...codes];
}

/**
 * The codes of a person's first second factor (called inside the transaction that adds it): ten
 * new ones when the account has no recovery codes yet, used or not, otherwise none (an empty
 * list), so adding a factor never replaces codes the person has already kept. Every account
 * with a second factor got its codes with the first one, so "no codes" means "no factor"
 * (or a key registered before codes came with keys, which gets them now).
 */
export async function issueFirstRecoveryCodes(tx: Ctx, userId: string): Promise<string[]> {
  await lockSecondFactors(tx, userId);
  const held = await tx.db
    .selectFrom("user_mfa_recovery_codes")
    .select("id")
    .where("user_id", "=", userId)
    .limit(1)
    .executeTakeFirst();
  return held ? [] : issueRecoveryCodes(tx, userId);
}

/** Deletes a person's recovery codes, used or not (their last second factor is gone). */
export async function deleteRecoveryCodes(tx: Ctx, userId: string): Promise<void> {
  await tx.db.deleteFrom("user_mfa_recovery_codes").where("user_id", "=", userId).execute();
}
