import { z } from "zod";
import { envelope, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import {
  createApiKey,
  currentUsage,
  getApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  updateApiKey,
} from "./api-keys.js";
import { apiKeySchema, presentApiKey } from "./presenter.js";

const org = z.object({ organizationId: z.uuid() });
const keyParams = org.extend(idParam("apiKeyId").shape);
const methods = z.array(z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])).max(6);

const keyFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable(),
  scopes: z
    .array(z.string().max(120))
    .max(500)
    .describe("Permission keys at organization scope or narrower"),
  accessLevel: z
    .enum(["read-only", "read-write", "admin", "full-access"])
    .describe("read-only keys may only use GET and HEAD"),
  rateLimitPerHour: z.number().int().min(1).max(1_000_000),
  rateLimitPerDay: z.number().int().min(1).max(10_000_000),
  allowedIps: z
    .array(z.string().max(60))
    .max(100)
    .describe("Exact addresses or IPv4 CIDR ranges; empty allows any"),
  allowedMethods: methods.describe("Empty allows every method the access level allows"),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  webhookUrl: z.url().max(500).nullable(),
  webhookEvents: z.array(z.string().max(100)).max(100),
};

const withSecret = z.object({
  key: apiKeySchema,
  secret: z.string().describe("The full key. Shown only now: store it safely."),
});

/** Organization API keys (seed 004 lms_api_access). API keys cannot manage API keys. */
export async function apiKeyRoutes(app: App): Promise<void> {
  const tags = ["API keys"];

  app.get(
    "/api/v1/organizations/:organizationId/api-keys",
    {
      config: { access: { permission: "api-keys:read", apiKeys: false } },
      schema: {
        tags,
        summary: "List API keys",
        params: org,
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          status: z.enum(["active", "revoked"]).optional(),
        }),
        response: { 200: listEnvelope(apiKeySchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listApiKeys(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      const usage = await currentUsage(
        request.ctx,
        rows.map((r) => r.id),
      );
      const now = request.ctx.clock.now();
      return okList(
        rows.map((r) => presentApiKey(r, now, usage.get(r.id))),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/api-keys/:apiKeyId",
    {
      config: { access: { permission: "api-keys:read", apiKeys: false } },
      schema: {
        tags,
        summary: "One API key with its usage",
        params: keyParams,
        response: { 200: envelope(apiKeySchema) },
      },
    },
    async (request) => {
      const key = await getApiKey(
        request.ctx,
        request.params.organizationId,
        request.params.apiKeyId,
      );
      const usage = await currentUsage(request.ctx, [key.id]);
      return ok(presentApiKey(key, request.ctx.clock.now(), usage.get(key.id)));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/api-keys",
    {
      config: { access: { permission: "api-keys:manage", apiKeys: false } },
      schema: {
        tags,
        summary: "Create an API key",
        description: "The response holds the full key once; only its hash is stored.",
        params: org,
        body: z.object({ ...keyFields, scopes: keyFields.scopes.default([]) }).partial({
          description: true,
          accessLevel: true,
          rateLimitPerHour: true,
          rateLimitPerDay: true,
          allowedIps: true,
          allowedMethods: true,
          expiresAt: true,
          webhookUrl: true,
          webhookEvents: true,
        }),
        response: { 201: envelope(withSecret) },
      },
    },
    async (request, reply) => {
      const { key, secret } = await createApiKey(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok({ key: presentApiKey(key, request.ctx.clock.now()), secret });
    },
  );

  app.patch(
    "/api/v1/organizations/:organizationId/api-keys/:apiKeyId",
    {
      config: { access: { permission: "api-keys:manage", apiKeys: false } },
      schema: {
        tags,
        summary: "Change an API key",
        params: keyParams,
        body: z
          .object({ ...keyFields, isActive: z.boolean().describe("Pause or resume the key") })
          .partial()
          .strict(),
        response: { 200: envelope(apiKeySchema) },
      },
    },
    async (request) => {
      const key = await updateApiKey(
        request.ctx,
        request.params.organizationId,
        request.params.apiKeyId as string,
        request.body,
      );
      return ok(presentApiKey(key, request.ctx.clock.now()));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/api-keys/:apiKeyId/revoke",
    {
      config: { access: { permission: "api-keys:manage", apiKeys: false } },
      schema: {
        tags,
        summary: "Revoke an API key for good",
        params: keyParams,
        response: { 200: envelope(apiKeySchema) },
      },
    },
    async (request) => {
      const key = await revokeApiKey(
        request.ctx,
        request.params.organizationId,
        request.params.apiKeyId,
      );
      return ok(presentApiKey(key, request.ctx.clock.now()));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/api-keys/:apiKeyId/rotate",
    {
      config: { access: { permission: "api-keys:manage", apiKeys: false } },
      schema: {
        tags,
        summary: "Replace an API key's secret",
        description:
          "The old secret stops working at once; the new one is shown only in this response.",
        params: keyParams,
        response: { 200: envelope(withSecret) },
      },
    },
    async (request) => {
      const { key, secret } = await rotateApiKey(
        request.ctx,
        request.params.organizationId,
        request.params.apiKeyId,
      );
      return ok({ key: presentApiKey(key, request.ctx.clock.now()), secret });
    },
  );
}
