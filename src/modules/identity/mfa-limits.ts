// The wrong-answer limit shared by every second factor (authenticator codes, security keys).
import { systemLog } from "../../platform/audit/audit.js";
import { MINUTE } from "../../platform/clock.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { type Limit, limitError, peekLimit, recordLimit } from "../../platform/limits.js";

/** Wrong answers for one account, across challenges and the account's own MFA settings. */
export const MFA_FAILURE_LIMIT: Limit = {
  kind: "mfa-failure-account",
  max: 10,
  windowMs: 15 * MINUTE,
};

/** Refuses while the account has had too many wrong codes or refused keys lately. */
export async function assertUnderLimit(ctx: Ctx, userId: string): Promise<void> {
  const state = await peekLimit(ctx, MFA_FAILURE_LIMIT, `mfa:${userId}`);
  if (!state.allowed) {
    throw limitError("Too many wrong codes; try again later", MFA_FAILURE_LIMIT, state);
  }
}

/**
 * Counts a wrong answer (outside any transaction that is about to fail), logs it and answers
 * the error to throw: INVALID_MFA_CODE on `field`, unless another error is given.
 */
export async function wrongAnswer(
  ctx: Ctx,
  userId: string,
  event: string,
  error: AppError = new AppError(
    "INVALID_MFA_CODE",
    "The code is not correct or was already used",
    {
      field: "code",
    },
  ),
): Promise<AppError> {
  const state = await recordLimit(ctx, MFA_FAILURE_LIMIT, `mfa:${userId}`);
  await systemLog(ctx, {
    event,
    level: "warn",
    userId,
    metadata: { failures: Math.round(state.count), limited: !state.allowed },
  });
  return error;
}
