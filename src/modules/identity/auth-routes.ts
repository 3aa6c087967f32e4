import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Config } from "../../config.js";
import type { UserRow } from "../../db/schema.js";
import { REFRESH_TOKEN_TTL_MS } from "../../platform/auth/tokens.js";
import { safeEqual } from "../../platform/crypto.js";
import { done, envelope, errorEnvelope, ok, okEmpty } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { login, register, resendVerification, verifyEmail } from "./auth.js";
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE } from "./authenticator.js";
import { completeMfaChallenge } from "./mfa.js";
import { presentSession, presentUser, sessionSchema, userSchema } from "./presenter.js";
import { changePassword, forgotPassword, resetPassword } from "./recovery.js";
import type { IssuedTokens } from "./sessions.js";
import {
  listActiveSessions,
  revokeAllSessions,
  revokeSession,
  rotateRefreshToken,
  signOut,
} from "./sessions.js";
import { authenticationResponseSchema } from "./webauthn-routes.js";

const email = z.email().max(255).describe("Email address; compared case-insensitively");
const password = z.string().min(1).max(128);
const name = z.string().trim().min(1).max(100);

const tokenBundle = z.object({
  tokenType: z.literal("Bearer"),
  accessToken: z.string(),
  accessTokenExpiresAt: z.iso.datetime(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.iso.datetime(),
});

const mfaChallengeResponse = z.object({
  mfaRequired: z.literal(true),
  challengeToken: z
    .string()
    .describe(
      "Send it with a code to POST /auth/login/mfa within 5 minutes; no session exists yet",
    ),
  challengeExpiresAt: z.iso.datetime(),
  methods: z
    .array(z.enum(["totp", "recovery-code", "webauthn"]))
    .describe(
      "What the account can answer with: `totp` a code from the authenticator app, `webauthn` a security key " +
        "(ask POST /auth/login/mfa/webauthn-options), `recovery-code` one of the account's recovery codes " +
        "(listed while unused ones remain, whichever factors the account has)",
    ),
});

const sessionResponse = z.object({
  user: userSchema,
  sessionId: z.uuid(),
  mode: z.enum(["bearer", "cookie"]),
  tokens: tokenBundle
    .optional()
    .describe("Bearer mode only; cookie mode sets httpOnly cookies instead"),
  csrfToken: z
    .string()
    .optional()
    .describe("Cookie mode only: send it as X-CSRF-Token on unsafe methods"),
});

function cookieOptions(config: Config) {
  return { secure: config.http.cookieSecure, httpOnly: true, signed: false } as const;
}

function setSessionCookies(reply: FastifyReply, config: Config, tokens: IssuedTokens) {
  const base = cookieOptions(config);
  reply.setCookie(ACCESS_COOKIE, tokens.accessToken, {
    ...base,
    path: "/",
    sameSite: "lax",
    expires: tokens.accessTokenExpiresAt,
  });
  reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
    ...base,
    path: "/api/v1/auth",
    sameSite: "strict",
    maxAge: REFRESH_TOKEN_TTL_MS / 1000,
  });
  reply.setCookie(CSRF_COOKIE, tokens.csrfToken, {
    ...base,
    httpOnly: false,
    path: "/",
    sameSite: "strict",
    maxAge: REFRESH_TOKEN_TTL_MS / 1000,
  });
}

function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(ACCESS_COOKIE, { path: "/" });
  reply.clearCookie(REFRESH_COOKIE, { path: "/api/v1/auth" });
  reply.clearCookie(CSRF_COOKIE, { path: "/" });
}

function bundle(tokens: IssuedTokens) {
  return {
    tokenType: "Bearer" as const,
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
  };
}

function currentUser(request: FastifyRequest) {
  if (request.actor.kind !== "user") throw new AppError("UNAUTHENTICATED", "Sign in first");
  return request.actor;
}

/** Registration, sign-in, tokens, sessions and password recovery (seed 002 §Authentication). */
export async function authRoutes(app: App): Promise<void> {
  const tags = ["Authentication"];

  app.post(
    "/api/v1/auth/register",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Create an account",
        description:
          "Creates an unverified account and mails a verification link. Does not sign in. " +
          "Passwords need 8+ characters with upper and lower case, a digit and a special character.",
        body: z.object({
          email,
          password,
          firstName: name,
          lastName: name,
          timezone: z.string().max(50).optional(),
          preferredLanguage: z.string().max(10).optional(),
        }),
        response: {
          201: envelope(z.object({ user: userSchema, message: z.string() })),
          409: errorEnvelope,
          422: errorEnvelope,
        },
      },
    },
    async (request, reply) => {
      const user = await register(request.ctx, request.body);
      reply.code(201);
      return ok({
        user: presentUser(user),
        message: "Check your inbox to confirm your email address.",
      });
    },
  );

  app.post(
    "/api/v1/auth/verify-email",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Confirm an email address",
        description:
          "Confirms the address a verification link was sent to: a new account's, or the new address of an email change.",
        body: z.object({ token: z.string().min(10).max(200) }),
        response: {
          200: envelope(
            z.object({
              user: userSchema,
              emailChanged: z
                .boolean()
                .describe("true when the link confirmed the new address of an email change"),
            }),
          ),
        },
      },
    },
    async (request) => {
      const { user, emailChanged } = await verifyEmail(request.ctx, request.body.token);
      return ok({ user: presentUser(user), emailChanged });
    },
  );

  app.post(
    "/api/v1/auth/resend-verification",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Send the verification mail again",
        description: "Always answers 202, whether or not the address has an account.",
        body: z.object({ email }),
        response: { 202: okEmpty },
      },
    },
    async (request, reply) => {
      await resendVerification(request.ctx, request.body.email);
      reply.code(202);
      return done();
    },
  );

  app.post(
    "/api/v1/auth/login",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Sign in",
        description:
          "Bearer mode returns a 15-minute access token and a 7-day refresh token. Cookie mode sets httpOnly " +
          "cookies and returns a CSRF token instead. Five wrong passwords lock the account for 30 minutes.",
        body: z.object({
          email,
          password,
          mode: z.enum(["bearer", "cookie"]).default("bearer"),
        }),
        response: {
          200: envelope(z.union([sessionResponse, mfaChallengeResponse])),
          423: errorEnvelope,
        },
      },
    },
    async (request, reply) => {
      const outcome = await login(request.ctx, {
        email: request.body.email,
        password: request.body.password,
        transport: request.body.mode,
      });
      if (outcome.kind === "mfa") {
        return ok({
          mfaRequired: true as const,
          challengeToken: outcome.challenge.token,
          challengeExpiresAt: outcome.challenge.expiresAt.toISOString(),
          methods: outcome.methods,
        });
      }
      return sendSession(
        reply,
        request.ctx.config,
        request.body.mode,
        outcome.user,
        outcome.tokens,
      );
    },
  );

  app.post(
    "/api/v1/auth/login/mfa",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Complete sign-in with a code",
        description:
          "The second step for accounts with two-step sign-in: the `challengeToken` the password step answered " +
          "(valid 5 minutes) and either a 6-digit `code` from the authenticator app or one of the account's " +
          "single-use `recoveryCode`s (whichever second factors it has), or a security key's answer `webauthn` (see /auth/login/mfa/webauthn-options). A code is accepted once; a challenge takes 5 wrong codes, an account 10 " +
          "in 15 minutes. Answers like the password step of an account without it.",
        body: z
          .object({
            challengeToken: z.string().min(10).max(200),
            code: z
              .string()
              .regex(/^\d{6}$/, "six digits")
              .optional(),
            recoveryCode: z.string().min(10).max(20).optional(),
            webauthn: authenticationResponseSchema.optional(),
          })
          .refine(
            (b) =>
              [b.code, b.recoveryCode, b.webauthn].filter((answer) => answer !== undefined)
                .length === 1,
            {
              message: "Send one of code, recoveryCode or webauthn",
              path: ["code"],
            },
          ),
        response: { 200: envelope(sessionResponse) },
      },
    },
    async (request, reply) => {
      const { user, tokens, transport } = await completeMfaChallenge(
        request.ctx,
        request.body.challengeToken,
        {
          code: request.body.code,
          recoveryCode: request.body.recoveryCode,
          webauthn: request.body.webauthn,
        },
      );
      return sendSession(reply, request.ctx.config, transport, user, tokens);
    },
  );

  await sessionRoutes(app);
}

/** The answer of a completed sign-in: cookies set (cookie mode) or the tokens (bearer mode). */
function sendSession(
  reply: FastifyReply,
  config: Config,
  mode: "bearer" | "cookie",
  user: UserRow,
  tokens: IssuedTokens,
) {
  if (mode === "cookie") {
    setSessionCookies(reply, config, tokens);
    return ok({
      user: presentUser(user),
      sessionId: tokens.sessionId,
      mode: "cookie" as const,
      csrfToken: tokens.csrfToken,
    });
  }
  return ok({
    user: presentUser(user),
    sessionId: tokens.sessionId,
    mode: "bearer" as const,
    tokens: bundle(tokens),
  });
}

/** Tokens, sessions and password recovery. */
async function sessionRoutes(app: App): Promise<void> {
  const tags = ["Authentication"];

  app.post(
    "/api/v1/auth/refresh",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Swap a refresh token for new tokens",
        description:
          "Send `refreshToken` in the body (bearer mode), or nothing with the refresh cookie and the " +
          "X-CSRF-Token header (cookie mode). Each refresh token works once; using one twice revokes the session.",
        body: z.object({ refreshToken: z.string().min(10).max(200).optional() }).default({}),
        response: {
          200: envelope(
            z.object({
              sessionId: z.uuid(),
              mode: z.enum(["bearer", "cookie"]),
              tokens: tokenBundle.optional(),
              csrfToken: z.string().optional(),
            }),
          ),
        },
      },
    },
    async (request, reply) => {
      const fromBody = request.body.refreshToken;
      const fromCookie = request.cookies[REFRESH_COOKIE];
      const raw = fromBody ?? fromCookie;
      if (!raw) throw new AppError("UNAUTHENTICATED", "Send a refresh token");
      const viaCookie = !fromBody;
      const { tokens } = await rotateRefreshToken(
        request.ctx,
        raw,
        viaCookie
          ? (sessionId) => {
              const sent = request.headers[CSRF_HEADER];
              if (
                typeof sent !== "string" ||
                !safeEqual(sent, request.ctx.tokens.csrfToken(sessionId))
              ) {
                throw new AppError(
                  "CSRF_TOKEN_INVALID",
                  "Send the X-CSRF-Token header of this session",
                );
              }
            }
          : undefined,
      );
      if (viaCookie) {
        setSessionCookies(reply, request.ctx.config, tokens);
        return ok({
          sessionId: tokens.sessionId,
          mode: "cookie" as const,
          csrfToken: tokens.csrfToken,
        });
      }
      return ok({ sessionId: tokens.sessionId, mode: "bearer" as const, tokens: bundle(tokens) });
    },
  );

  app.post(
    "/api/v1/auth/logout",
    {
      config: { access: { user: true } },
      schema: { tags, summary: "Sign out this session", response: { 200: okEmpty } },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      await signOut(request.ctx, actor.userId, actor.sessionId);
      clearSessionCookies(reply);
      return done();
    },
  );

  app.get(
    "/api/v1/auth/sessions",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "List my active sessions",
        response: { 200: envelope(z.array(sessionSchema)) },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const sessions = await listActiveSessions(request.ctx, actor.userId);
      return ok(sessions.map((s) => presentSession(s, actor.sessionId)));
    },
  );

  app.delete(
    "/api/v1/auth/sessions/:sessionId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Sign out one of my other sessions",
        description: "The current session cannot be revoked here; use logout.",
        params: idParam("sessionId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      if (request.params.sessionId === actor.sessionId) {
        throw new AppError(
          "CANNOT_REVOKE_CURRENT_SESSION",
          "Use logout to end the current session",
        );
      }
      await revokeSession(
        request.ctx,
        actor.userId,
        request.params.sessionId as string,
        "user-revoked",
      );
      return done();
    },
  );

  app.delete(
    "/api/v1/auth/sessions",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Sign out all my other sessions",
        response: { 200: envelope(z.object({ revoked: z.number().int() })) },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const revoked = await revokeAllSessions(
        request.ctx,
        actor.userId,
        "user-revoked",
        actor.sessionId,
      );
      return ok({ revoked });
    },
  );

  app.post(
    "/api/v1/auth/forgot-password",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Mail a password reset link",
        description:
          "Always answers 202 so that nobody can learn whether an address has an account.",
        body: z.object({ email }),
        response: { 202: okEmpty },
      },
    },
    async (request, reply) => {
      await forgotPassword(request.ctx, request.body.email);
      reply.code(202);
      return done();
    },
  );

  app.post(
    "/api/v1/auth/reset-password",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Set a new password with a reset link",
        description:
          "The token works once and for one hour. Every session of the account is signed out.",
        body: z.object({ token: z.string().min(10).max(200), password }),
        response: { 200: okEmpty, 422: errorEnvelope },
      },
    },
    async (request) => {
      await resetPassword(request.ctx, request.body.token, request.body.password);
      return done();
    },
  );

  app.post(
    "/api/v1/auth/change-password",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Change my password",
        description: "Other sessions are signed out; this one stays.",
        body: z.object({ currentPassword: password, newPassword: password }),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      await changePassword(
        request.ctx,
        actor.userId,
        actor.sessionId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      return done();
    },
  );
}
