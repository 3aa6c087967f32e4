// Removing a security key: it takes the same proof as turning the authenticator app off.
import { audit, systemLog } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { endTwoStepWithoutFactor, proveOwner, type SecondFactorProof } from "./mfa.js";
import { lockSecondFactors } from "./mfa-recovery-codes.js";

/**
 * Removes one of the person's own keys, after the password or a current authenticator code.
 * Another person's key answers NOT_FOUND, as one that does not exist. The last second factor
 * takes the recovery codes with it.
 */
export async function removeWebauthnCredential(
  ctx: Ctx,
  userId: string,
  credentialId: string,
  proof: SecondFactorProof,
): Promise<void> {
  const key = await ctx.db
    .selectFrom("user_webauthn_credentials")
    .select(["id", "name"])
    .where("id", "=", credentialId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!key) throw new AppError("NOT_FOUND", "No such security key");
  await proveOwner(ctx, userId, proof);
  await inTransaction(ctx, async (tx) => {
    await lockSecondFactors(tx, userId);
    await tx.db
      .deleteFrom("user_webauthn_credentials")
      .where("id", "=", key.id)
      .where("user_id", "=", userId)
      .execute();
    const twoStep = await endTwoStepWithoutFactor(tx, userId);
    await audit(tx, {
      organizationId: null,
      action: "user.webauthn-remove",
      entityType: "user",
      entityId: userId,
      before: { credential: key.id, name: key.name, mfa_enabled: true },
      after: { mfa_enabled: twoStep },
      riskLevel: "high",
    });
    await systemLog(tx, {
      event: "auth.webauthn-removed",
      level: "warn",
      userId,
      metadata: { credential: key.id },
    });
  });
}
