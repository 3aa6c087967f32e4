// Security keys and passkeys (WebAuthn) as a second factor, through @simplewebauthn/server.
// Challenges are kept server-side, live five minutes and are spent by their first use.
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { Config } from "../../config.js";
import { audit, systemLog } from "../../platform/audit/audit.js";
import { addMs, MINUTE } from "../../platform/clock.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { assertUnderLimit, wrongAnswer } from "./mfa-limits.js";
import { issueFirstRecoveryCodes, lockSecondFactors } from "./mfa-recovery-codes.js";
import { markSessionMfaVerified } from "./sessions.js";

/** How long a browser prompt may take before its challenge is spent. */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * MINUTE;
const RP_NAME = "Lyceum";

/** The relying party: its id is the public base URL's host name, its origin that URL's origin. */
export function relyingParty(config: Pick<Config, "publicUrl">): { id: string; origin: string } {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, origin: url.origin };
}

export interface WebauthnCredential {
  id: string;
  name: string;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A person's registered keys, oldest first. */
export async function listWebauthnCredentials(
  ctx: Ctx,
  userId: string,
): Promise<WebauthnCredential[]> {
  const rows = await ctx.db
    .selectFrom("user_webauthn_credentials")
    .select(["id", "name", "transports", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toCredential);
}

function toCredential(row: {
  id: string;
  name: string;
  transports: string[];
  created_at: Date;
  last_used_at: Date | null;
}): WebauthnCredential {
  return {
    id: row.id,
    name: row.name,
    transports: row.transports,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

async function storeChallenge(
  ctx: Ctx,
  userId: string,
  purpose: "register" | "authenticate",
  challenge: string,
  mfaChallengeId: string | null = null,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .insertInto("webauthn_challenges")
    .values({
      user_id: userId,
      purpose,
      challenge,
      mfa_challenge_id: mfaChallengeId,
      expires_at: addMs(now, WEBAUTHN_CHALLENGE_TTL_MS),
      created_at: now,
    })
    .execute();
}

/** The challenge a browser signed, read from its client data; null when unreadable. */
function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    return typeof data?.challenge === "string" ? data.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Spends a challenge of this person and purpose (and sign-in step) that is live and unused; it
 * is spent even when the answer then fails, so no challenge is ever verified twice.
 */
async function claimChallenge(
  tx: Ctx,
  userId: string,
  purpose: "register" | "authenticate",
  clientDataJSON: string,
  mfaChallengeId: string | null = null,
): Promise<string | null> {
  const challenge = signedChallenge(clientDataJSON);
  if (!challenge) return null;
  const now = tx.clock.now();
  let query = tx.db
    .updateTable("webauthn_challenges")
    .set({ used_at: now })
    .where("challenge", "=", challenge)
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now);
  if (mfaChallengeId) query = query.where("mfa_challenge_id", "=", mfaChallengeId);
  const claimed = await query.returning("challenge").executeTakeFirst();
  return claimed?.challenge ?? null;
}

/** Options for the browser's prompt to add a key; the person's keys are excluded. */
export async function webauthnRegistrationOptions(
  ctx: Ctx,
  userId: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const user = await ctx.db
    .selectFrom("users")
    .select(["email", "first_name", "last_name"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const existing = await ctx.db
    .selectFrom("user_webauthn_credentials")
    .select(["credential_id", "transports"])
    .where("user_id", "=", userId)
    .execute();
  const rp = relyingParty(ctx.config);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: user.email,
    userID: new TextEncoder().encode(userId),
    userDisplayName: `${user.first_name} ${user.last_name}`.trim() || user.email,
    attestationType: "none",
    timeout: WEBAUTHN_CHALLENGE_TTL_MS,
    excludeCredentials: existing.map((c) => ({
      id: c.credential_id,
      transports: c.transports as AuthenticatorTransportFuture[],
    })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await storeChallenge(ctx, userId, "register", options.challenge);
  return options;
}

function registrationRefused(): AppError {
  return new AppError(
    "WEBAUTHN_REGISTRATION_FAILED",
    "The security key could not be added; start again",
  );
}

/**
 * Verifies the browser's answer to a registration challenge and stores the key under the given
 * name. Like confirming an authenticator app, it marks the current session as having passed a
 * second factor, so an organization that requires one lets the person on at once, and when it
 * is the account's first second factor it answers ten recovery codes, shown once (otherwise an
 * empty list: the codes the person has stay).
 */
export async function registerWebauthnCredential(
  ctx: Ctx,
  userId: string,
  sessionId: string,
  name: string,
  response: RegistrationResponseJSON,
): Promise<{ key: WebauthnCredential; recoveryCodes: string[] }> {
  await assertUnderLimit(ctx, userId);
  const rp = relyingParty(ctx.config);
  const stored = await inTransaction(ctx, async (tx) => {
    await lockSecondFactors(tx, userId);
    const challenge = await claimChallenge(
      tx,
      userId,
      "register",
      response.response.clientDataJSON,
    );
    if (!challenge) return null;
    let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>["registrationInfo"];
    try {
      const result = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: false,
      });
      info = result.verified ? result.registrationInfo : undefined;
    } catch {
      info = undefined;
    }
    if (!info) return null;
    const taken = await tx.db
      .selectFrom("user_webauthn_credentials")
      .select("id")
      .where("credential_id", "=", info.credential.id)
      .executeTakeFirst();
    if (taken) return null;
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("user_webauthn_credentials")
      .values({
        user_id: userId,
        credential_id: info.credential.id,
        public_key: Buffer.from(info.credential.publicKey).toString("base64url"),
        counter: info.credential.counter,
        transports: info.credential.transports ?? response.response.transports ?? [],
        name,
        created_at: now,
      })
      .returning(["id", "name", "transports", "created_at", "last_used_at"])
      .executeTakeFirstOrThrow();
    await markSessionMfaVerified(tx, userId, sessionId);
    const recoveryCodes = await issueFirstRecoveryCodes(tx, userId);
    await audit(tx, {
      organizationId: null,
      action: "user.webauthn-add",
      entityType: "user",
      entityId: userId,
      after: { credential: row.id, name },
      riskLevel: "high",
    });
    await systemLog(tx, {
      event: "auth.webauthn-added",
      userId,
      metadata: { credential: row.id, recoveryCodesIssued: recoveryCodes.length > 0 },
    });
    return { row, recoveryCodes };
  });
  if (!stored) {
    throw await wrongAnswer(ctx, userId, "auth.webauthn-register-refused", registrationRefused());
  }
  return { key: toCredential(stored.row), recoveryCodes: stored.recoveryCodes };
}

/** Options for the browser's prompt at the second step of a sign-in. */
export async function webauthnSignInOptions(
  ctx: Ctx,
  userId: string,
  mfaChallengeId: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const keys = await ctx.db
    .selectFrom("user_webauthn_credentials")
    .select(["credential_id", "transports"])
    .where("user_id", "=", userId)
    .execute();
  if (!keys.length) {
    throw new AppError("MFA_NOT_ENABLED", "This account has no security key");
  }
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx.config).id,
    timeout: WEBAUTHN_CHALLENGE_TTL_MS,
    userVerification: "preferred",
    allowCredentials: keys.map((k) => ({
      id: k.credential_id,
      transports: k.transports as AuthenticatorTransportFuture[],
    })),
  });
  await storeChallenge(ctx, userId, "authenticate", options.challenge, mfaChallengeId);
  return options;
}

/**
 * Accepts a key's signature for a sign-in step (inside the step's transaction): the challenge
 * must be this step's, the key this person's, and the signature counter must move on (a
 * counter that stays at 0 is allowed, as many passkeys never count). Answers the key's row id.
 */
export async function acceptWebauthnAssertion(
  tx: Ctx,
  userId: string,
  mfaChallengeId: string,
  response: AuthenticationResponseJSON,
): Promise<string | null> {
  const challenge = await claimChallenge(
    tx,
    userId,
    "authenticate",
    response.response.clientDataJSON,
    mfaChallengeId,
  );
  if (!challenge) return null;
  const key = await tx.db
    .selectFrom("user_webauthn_credentials")
    .selectAll()
    .where("credential_id", "=", response.id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!key) return null;
  const rp = relyingParty(tx.config);
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: key.credential_id,
        publicKey: new Uint8Array(Buffer.from(key.public_key, "base64url")),
        counter: Number(key.counter),
        transports: key.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return null;
  }
  // Conditional on the counter read above, so two racing answers cannot both count.
  const moved = await tx.db
    .updateTable("user_webauthn_credentials")
    .set({ counter: newCounter, last_used_at: tx.clock.now() })
    .where("id", "=", key.id)
    .where("counter", "=", key.counter)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return null;
  await audit(tx, {
    organizationId: null,
    action: "user.webauthn-use",
    entityType: "user",
    entityId: userId,
    after: { credential: key.id },
    riskLevel: "high",
  });
  return key.id;
}
