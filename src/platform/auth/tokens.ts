import { createSecretKey } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { hmac } from "../crypto.js";
import { AppError } from "../http/errors.js";

export const ACCESS_TOKEN_TTL_MS = 15 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 7 * 24 * 60 * 60_000;
export const EMAIL_VERIFICATION_TTL_MS = 48 * 60 * 60_000;
export const PASSWORD_RESET_TTL_MS = 60 * 60_000;

const ISSUER = "lyceum";
const AUDIENCE = "lyceum-api";

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** Signs and checks short-lived access tokens (HS256 JWT) and derives CSRF tokens. */
export class TokenService {
  private readonly key;

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

  /** Verifies signature, audience and expiry against the injected clock. */
  async verifyAccessToken(token: string, now: Date): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        currentDate: now,
      });
      if (typeof payload.sub !== "string" || typeof payload.sid !== "string") {
        throw new AppError("UNAUTHENTICATED", "Malformed access token");
      }
      return { userId: payload.sub, sessionId: payload.sid };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof errors.JWTExpired) {
        throw new AppError("TOKEN_EXPIRED", "The access token has expired; refresh it");
      }
      throw new AppError("UNAUTHENTICATED", "Invalid access token");
    }
  }

  /** The CSRF token of a cookie session: bound to the session, unguessable without the secret. */
  csrfToken(sessionId: string): string {
    return hmac(this.secret, `csrf:${sessionId}`);
  }
}
