import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { done, envelope, ok, okEmpty } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import type { App } from "../../platform/http/server.js";
import {
  confirmMfaEnrollment,
  disableMfa,
  mfaStatus,
  regenerateRecoveryCodes,
  startMfaEnrollment,
} from "./mfa.js";
import {
  getSecuritySettings,
  PASSWORD_BOUNDS,
  type SecuritySettings,
  updateSecuritySettings,
} from "./org-security.js";

/** The signed-in person of a request (routes for one's own account). */
export function currentUser(request: FastifyRequest) {
  if (request.actor.kind !== "user") throw new AppError("UNAUTHENTICATED", "Sign in first");
  return request.actor;
}

const methodSchema = z.enum(["totp", "recovery-code", "webauthn"]);

const statusSchema = z.object({
  enabled: z
    .boolean()
    .describe("Two-step sign-in is on: a confirmed authenticator app, a security key, or both"),
  methods: z
    .array(methodSchema)
    .describe(
      "What the second sign-in step accepts, as the password step's `methods`: `totp` (the app), " +
        "`webauthn` (a security key), `recovery-code` (while two-step sign-in is on and unused codes remain)",
    ),
  pending: z.boolean().describe("An authenticator was enrolled but not yet confirmed with a code"),
  enabledAt: z.iso
    .datetime()
    .nullable()
    .describe("Since the oldest second factor the account still has; null when it is off"),
  recoveryCodesRemaining: z
    .number()
    .int()
    .describe("Unused recovery codes; they belong to the account, whichever factors it has"),
});

const recoveryCodes = z.object({
  recoveryCodes: z
    .array(z.string())
    .describe(
      "Ten single-use codes, shown this once; each signs in once instead of a second factor",
    ),
});

/** The codes answered when a second factor is added (the app confirmed, a key registered). */
export const firstRecoveryCodes = z
  .array(z.string())
  .describe(
    "Ten single-use recovery codes, shown this once, when this is the account's first second factor " +
      "(each signs in once instead of a second factor); empty when the account already has recovery " +
      "codes, which stay as they were",
  );

/** The password or a current authenticator code: what turning a factor off takes. */
export const ownerProof = z
  .object({
    password: z.string().min(1).max(128).optional(),
    code: z
      .string()
      .regex(/^\d{6}$/, "six digits")
      .optional(),
  })
  .refine((b) => (b.password === undefined) !== (b.code === undefined), {
    message: "Send either password or code",
    path: ["password"],
  });

/** Two-step sign-in for one's own account. */
export async function mfaRoutes(app: App): Promise<void> {
  const tags = ["Authentication"];

  app.get(
    "/api/v1/auth/mfa",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My two-step sign-in",
        response: { 200: envelope(statusSchema) },
      },
    },
    async (request) => {
      const status = await mfaStatus(request.ctx, currentUser(request).userId);
      return ok({ ...status, enabledAt: status.enabledAt?.toISOString() ?? null });
    },
  );

  app.post(
    "/api/v1/auth/mfa/enroll",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Start enrolling an authenticator app",
        description:
          "Needs the account's password. Answers a new secret and its `otpauth://` URI (for a QR code); it " +
          "takes effect once a code from it is confirmed. Starting again replaces an unconfirmed secret.",
        body: z.object({ password: z.string().min(1).max(128) }),
        response: {
          200: envelope(z.object({ secret: z.string(), otpauthUri: z.string() })),
        },
      },
    },
    async (request) =>
      ok(await startMfaEnrollment(request.ctx, currentUser(request).userId, request.body.password)),
  );

  app.post(
    "/api/v1/auth/mfa/confirm",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Confirm the authenticator with a code",
        description:
          "Turns the authenticator app on. When it is the account's first second factor, answers ten " +
          "recovery codes, shown this once; an account that already has a security key keeps its codes and " +
          "gets an empty list. The current session counts as signed in with a code.",
        body: z.object({ code: z.string().regex(/^\d{6}$/, "six digits") }),
        response: { 200: envelope(z.object({ recoveryCodes: firstRecoveryCodes })) },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const codes = await confirmMfaEnrollment(
        request.ctx,
        actor.userId,
        actor.sessionId,
        request.body.code,
      );
      return ok({ recoveryCodes: codes });
    },
  );

  app.post(
    "/api/v1/auth/mfa/recovery-codes",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Replace my recovery codes",
        description:
          "For an account with two-step sign-in (an authenticator app, a security key or both), with the " +
          "password or a current code from the app (an account with keys alone sends the password). The old " +
          "codes stop working; `MFA_NOT_ENABLED` without any second factor.",
        body: ownerProof,
        response: { 200: envelope(recoveryCodes) },
      },
    },
    async (request) => {
      const codes = await regenerateRecoveryCodes(
        request.ctx,
        currentUser(request).userId,
        request.body,
      );
      return ok({ recoveryCodes: codes });
    },
  );

  app.post(
    "/api/v1/auth/mfa/disable",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Turn the authenticator app off",
        description:
          "With the password or a current code. Two-step sign-in stays on while a security key remains, and " +
          "so do the recovery codes; without one it ends, the recovery codes are deleted, and organizations " +
          "that require it refuse the account until it is on again.",
        body: ownerProof,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await disableMfa(request.ctx, currentUser(request).userId, request.body);
      return done();
    },
  );
}

const cidr = z.string().trim().min(2).max(64);

const passwordPolicySchema = z.object({
  minLength: z
    .number()
    .int()
    .min(PASSWORD_BOUNDS.min)
    .max(PASSWORD_BOUNDS.max)
    .describe(`At least the platform's ${PASSWORD_BOUNDS.min}`),
  minDigits: z.number().int().min(1).max(20),
  minSpecial: z.number().int().min(1).max(20),
  historyCount: z
    .number()
    .int()
    .min(0)
    .max(24)
    .describe(
      "The last N passwords (the current one included) may not be chosen again; 0 for none",
    ),
  maxAgeDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .nullable()
    .describe("Older passwords must be reset before signing in; null for no limit"),
});

const settingsSchema = z.object({
  mfaRequired: z
    .boolean()
    .describe(
      "Members without two-step sign-in are refused in the organization until they turn it on",
    ),
  sessionTimeoutMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30)
    .nullable()
    .describe("A session idle this long in the organization must sign in again; null for none"),
  ipAllowList: z
    .array(cidr)
    .max(100)
    .describe(
      "IPv4/IPv6 addresses or CIDR networks people may reach the organization from; empty for any",
    ),
  passwordPolicy: passwordPolicySchema,
});

function presentSettings(settings: SecuritySettings) {
  return settings;
}

const org = z.object({ organizationId: z.uuid() });

/** An organization's security settings (seed 004 13.4.11). */
export async function organizationSecurityRoutes(app: App): Promise<void> {
  const tags = ["Organizations"];

  app.get(
    "/api/v1/organizations/:organizationId/security-settings",
    {
      config: { access: { permission: "organizations:update" } },
      schema: {
        tags,
        summary: "An organization's security settings",
        params: org,
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) =>
      ok(presentSettings(await getSecuritySettings(request.ctx, request.params.organizationId))),
  );

  app.put(
    "/api/v1/organizations/:organizationId/security-settings",
    {
      config: { access: { permission: "organizations:update", apiKeys: false } },
      schema: {
        tags,
        summary: "Change an organization's security settings",
        description:
          "Replaces all of them. Refused when they would lock out the person making the change: an " +
          "allow-list without their address (`IP_ALLOW_LIST_LOCKOUT`), or MFA required while they have none " +
          "(`MFA_ENROLLMENT_REQUIRED`). The allow-list covers people; API keys have their own. A person in " +
          "several organizations meets the strictest password policy among them.",
        params: org,
        body: settingsSchema,
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) =>
      ok(
        presentSettings(
          await updateSecuritySettings(request.ctx, request.params.organizationId, request.body),
        ),
      ),
  );
}
