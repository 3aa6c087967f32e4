import type { FastifyRequest } from "fastify";
import { type Actor, ANONYMOUS, once } from "../../platform/auth/actor.js";
import type { AppServices, Ctx } from "../../platform/context.js";
import { safeEqual } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import type { Authenticator } from "../../platform/http/server.js";
import { API_KEY_PREFIX, authenticateApiKey } from "../access/api-key-auth.js";
import { loadUserAccessUntil } from "../access/grants.js";
import type { SessionCache } from "./session-cache.js";
import { checkSession, SESSION_TOUCH_MS, touchSession } from "./sessions.js";

export const ACCESS_COOKIE = "lyceum_access";
export const REFRESH_COOKIE = "lyceum_refresh";
export const CSRF_COOKIE = "lyceum_csrf";
export const CSRF_HEADER = "x-csrf-token";

/**
 * Reads credentials in this order: `X-API-Key`, `Authorization: Bearer` (an API key when it
 * starts with `lyk_`, otherwise an access token), then the access cookie.
 *
 * A session is confirmed open (and its owner active) on every request: from the cache when
 * one is given and its change feed is up to date, otherwise with one query. The same goes for
 * the person's grants, loaded when a request first needs them.
 */
export function createAuthenticator(
  services: AppServices,
  cache: SessionCache | null = null,
): Authenticator {
  const ctxFor = (request: FastifyRequest): Ctx => ({
    ...services,
    actor: ANONYMOUS,
    meta: {
      ip: request.ip,
      userAgent: request.headers["user-agent"] ?? null,
      requestId: request.id,
    },
  });

  async function userActor(
    request: FastifyRequest,
    token: string,
    transport: "bearer" | "cookie",
  ): Promise<Actor> {
    const now = services.clock.now();
    const claims = await services.tokens.verifyAccessToken(token, now);
    // Every change committed before this request is in the cache once this answers true.
    // Asked once per request: the organization security guard reuses the answer.
    request.feedSynced ??= cache ? cache.sync() : Promise.resolve(false);
    const cached = await request.feedSynced;
    const known = cached ? cache?.session(claims.userId, claims.sessionId, now) : undefined;
    if (known) {
      if (now.getTime() - known.lastAccessedAt > SESSION_TOUCH_MS) {
        known.lastAccessedAt = now.getTime();
        await touchSession(ctxFor(request), claims.sessionId);
      }
    } else {
      const generation = cache?.generation ?? 0;
      const session = await checkSession(ctxFor(request), claims);
      if (cached) cache?.storeSession(generation, claims.userId, claims.sessionId, session);
    }
    return {
      kind: "user",
      userId: claims.userId,
      sessionId: claims.sessionId,
      transport,
      access: once(async () => {
        const at = services.clock.now();
        const hit = cached ? cache?.access(claims.userId, at) : undefined;
        if (hit) return hit;
        const generation = cache?.generation ?? 0;
        const loaded = await loadUserAccessUntil(services.db, claims.userId, at);
        if (cached) cache?.storeAccess(generation, claims.userId, loaded.access, loaded.validUntil);
        return loaded.access;
      }),
    };
  }

  return {
    async authenticate(request) {
      const apiKeyHeader = request.headers["x-api-key"];
      const authorization = request.headers.authorization;
      if (typeof apiKeyHeader === "string" && apiKeyHeader) return apiKey(apiKeyHeader);
      if (authorization) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        if (!match?.[1])
          throw new AppError("UNAUTHENTICATED", "Use 'Authorization: Bearer <token>'");
        if (match[1].startsWith(API_KEY_PREFIX)) return apiKey(match[1]);
        return userActor(request, match[1], "bearer");
      }
      const cookie = request.cookies?.[ACCESS_COOKIE];
      if (cookie) return userActor(request, cookie, "cookie");
      return ANONYMOUS;

      function apiKey(raw: string) {
        return authenticateApiKey(services.db, raw, {
          ip: request.ip,
          method: request.method,
          now: services.clock.now(),
        });
      }
    },

    checkCsrf(request, actor) {
      if (actor.kind !== "user") return;
      const sent = request.headers[CSRF_HEADER];
      const expected = services.tokens.csrfToken(actor.sessionId);
      if (typeof sent !== "string" || !safeEqual(sent, expected)) {
        throw new AppError(
          "CSRF_TOKEN_INVALID",
          `Send the ${CSRF_HEADER} header with the CSRF token of your session`,
        );
      }
    },
  };
}
