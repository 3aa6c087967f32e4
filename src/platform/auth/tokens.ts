import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import { SignJWT } from "jose";
import { hmac } from "../crypto.js";
import { AppError } from "../http/errors.js";

export const ACCESS_TOKEN_TTL_MS = 15 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 7 * 24 * 60 * 60_000;
export const EMAIL_VERIFICATION_TTL_MS = 48 * 60 * 60_000;
export const PASSWORD_RESET_TTL_MS = 60 * 60_000;

const ISSUER = "lyceum";
const AUDIENCE = "lyceum-api";

/** A base64url JSON object, or null when it is not one. */
function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** Signs and checks short-lived access tokens (HS256 JWT) and derives CSRF tokens. */
export class TokenService {
  private readonly key: KeyObject;
  /** Tokens already verified (see VERIFIED_TOKENS). */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly secret: string) {
    this.key = createSecretKey(Buffer.from(hmac(secret, "access-token-key"), "utf8"));
  }

  async signAccessToken(
    claims: AccessClaims,
    now: Date,
  ): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date((iat + ACCESS_TOKEN_TTL_MS / 1000) * 1000);
    const token = await new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /**
   * Verifies signature, issuer, audience and expiry against the injected clock. Only what
   * signAccessToken makes is accepted (compact HS256, no critical header parameters); the
   * check is synchronous HMAC (WebCrypto would import the key and hop to a worker thread on
   * every request).
   */
  async verifyAccessToken(token: string, now: Date): Promise<AccessClaims> {
    const seconds = Math.floor(now.getTime() / 1000);
    const known = this.verified.get(token);
    if (known) return checkTime(known, seconds);
    const verified = this.verifySignedToken(token);
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.clear();
    this.verified.set(token, verified);
    return checkTime(verified, seconds);
  }

  /** Signature, algorithm, issuer, audience and claims of a token, without its times. */
  private verifySignedToken(token: string): VerifiedToken {
    const invalid = () => new AppError("UNAUTHENTICATED", "Invalid access token");
    const parts = token.split(".");
    if (parts.length !== 3) throw invalid();
    const [header, body, signature] = parts as [string, string, string];
    const expected = createHmac("sha256", this.key).update(`${header}.${body}`).digest();
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    const protectedHeader = decodeJson(header);
    if (protectedHeader?.alg !== "HS256" || "crit" in protectedHeader) throw invalid();
    const payload = decodeJson(body);
    if (!payload || payload.iss !== ISSUER) throw invalid();
    const audience = payload.aud;
    if (!(audience === AUDIENCE || (Array.isArray(audience) && audience.includes(AUDIENCE))))
      throw invalid();
    if (payload.nbf !== undefined && typeof payload.nbf !== "number") throw invalid();
    if (typeof payload.exp !== "number") throw invalid();
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") {
      throw new AppError("UNAUTHENTICATED", "Malformed access token");
    }
    return {
      claims: { userId: payload.sub, sessionId: payload.sid },
      notBefore: typeof payload.nbf === "number" ? payload.nbf : null,
      expires: payload.exp,
    };
  }

  /** The CSRF token of a cookie session: bound to the session, unguessable without the secret. */
  csrfToken(sessionId: string): string {
    return hmac(this.secret, `csrf:${sessionId}`);
  }
}

/**
 * Tokens whose signature and claims were checked, so a client's next requests skip the HMAC
 * and the JSON decoding; their times are checked on every use. Bounded: emptied when full.
 */
const VERIFIED_TOKENS = 10_000;

interface VerifiedToken {
  claims: AccessClaims;
  notBefore: number | null;
  expires: number;
}

function checkTime(token: VerifiedToken, seconds: number): AccessClaims {
  if (token.notBefore !== null && token.notBefore > seconds)
    throw new AppError("UNAUTHENTICATED", "Invalid access token");
  if (token.expires <= seconds)
    throw new AppError("TOKEN_EXPIRED", "The access token has expired; refresh it");
  return token.claims;
}
