import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { done, envelope, ok, okEmpty } from "../../platform/http/envelope.js";
import type { App } from "../../platform/http/server.js";
import { mfaWebauthnOptions, proveOwner } from "./mfa.js";
import { currentUser, firstRecoveryCodes, ownerProof } from "./mfa-routes.js";
import {
  listWebauthnCredentials,
  registerWebauthnCredential,
  type WebauthnCredential,
  webauthnRegistrationOptions,
} from "./webauthn.js";
import { removeWebauthnCredential } from "./webauthn-keys.js";

const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, "base64url");

const transports = z.array(z.string().max(20)).max(10);

const credentialCommon = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
};

/** What `startRegistration` of @simplewebauthn/browser answers (RegistrationResponseJSON). */
export const registrationResponseSchema = z.object({
  ...credentialCommon,
  response: z.object({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(32768),
    authenticatorData: b64url(16384).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4096).optional(),
  }),
});

/** What `startAuthentication` of @simplewebauthn/browser answers (AuthenticationResponseJSON). */
export const authenticationResponseSchema = z
  .object({
    ...credentialCommon,
    response: z.object({
      clientDataJSON: b64url(4096),
      authenticatorData: b64url(16384),
      signature: b64url(1024),
      userHandle: b64url(512).optional(),
    }),
  })
  .describe(
    "A security key's answer: what `startAuthentication` of @simplewebauthn/browser returns",
  );

const options = z
  .record(z.string(), z.unknown())
  .describe("WebAuthn options JSON: pass them to @simplewebauthn/browser as `optionsJSON`");

const credentialSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  transports: z.array(z.string()),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

function presentCredential(c: WebauthnCredential) {
  return {
    id: c.id,
    name: c.name,
    transports: c.transports,
    createdAt: c.createdAt.toISOString(),
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}

/** Security keys and passkeys for one's own account, and their step in sign-in. */
export async function webauthnRoutes(app: App): Promise<void> {
  const tags = ["Authentication"];

  app.get(
    "/api/v1/auth/webauthn/credentials",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My security keys",
        response: { 200: envelope(z.array(credentialSchema)) },
      },
    },
    async (request) => {
      const keys = await listWebauthnCredentials(request.ctx, currentUser(request).userId);
      return ok(keys.map(presentCredential));
    },
  );

  app.post(
    "/api/v1/auth/webauthn/registration-options",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Start adding a security key",
        description:
          "With the password or a current code from the authenticator app (as setting up the app takes), so a " +
          "stolen session cannot add its own key. Answers the options for the browser's prompt. Their challenge " +
          "is kept server-side, lives 5 minutes and is spent by its first use.",
        body: ownerProof,
        response: { 200: envelope(options) },
      },
    },
    async (request) => {
      const userId = currentUser(request).userId;
      await proveOwner(request.ctx, userId, request.body);
      return ok({ ...(await webauthnRegistrationOptions(request.ctx, userId)) });
    },
  );

  app.post(
    "/api/v1/auth/webauthn/credentials",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Add a security key",
        description:
          "The browser's answer to the registration options, and a name for the key. Turns two-step sign-in on " +
          "(when it was off) and marks the current session as having passed it. The account's first second " +
          "factor also brings ten recovery codes, answered this once in `recoveryCodes`.",
        body: z.object({
          name: z.string().trim().min(1).max(60),
          response: registrationResponseSchema,
        }),
        response: {
          201: envelope(credentialSchema.extend({ recoveryCodes: firstRecoveryCodes })),
        },
      },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const { key, recoveryCodes } = await registerWebauthnCredential(
        request.ctx,
        actor.userId,
        actor.sessionId,
        request.body.name,
        // Transports are opaque strings to the library; newer browsers may name new ones.
        request.body.response as RegistrationResponseJSON,
      );
      reply.status(201);
      return ok({ ...presentCredential(key), recoveryCodes });
    },
  );

  app.post(
    "/api/v1/auth/webauthn/credentials/:credentialId/remove",
    {
      config: { access: { user: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "Remove one of my security keys",
        description:
          "With the password or a current code from the authenticator app, as turning that off takes. Removing " +
          "the last second factor (no app either) ends two-step sign-in and deletes the recovery codes.",
        params: z.object({ credentialId: z.uuid() }),
        body: ownerProof,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeWebauthnCredential(
        request.ctx,
        currentUser(request).userId,
        request.params.credentialId,
        request.body,
      );
      return done();
    },
  );

  app.post(
    "/api/v1/auth/login/mfa/webauthn-options",
    {
      config: { access: { public: true, rateLimit: "auth" } },
      schema: {
        tags,
        summary: "A security key's prompt for the second sign-in step",
        description:
          "For a `challengeToken` of the password step whose `methods` include `webauthn`. Answer the prompt " +
          "with POST /auth/login/mfa `{ challengeToken, webauthn }`.",
        body: z.object({ challengeToken: z.string().min(10).max(200) }),
        response: { 200: envelope(options) },
      },
    },
    async (request) =>
      ok({ ...(await mfaWebauthnOptions(request.ctx, request.body.challengeToken)) }),
  );
}
