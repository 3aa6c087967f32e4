import { z } from "zod";
import { envelope, isoDateTime, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import type { ScimTokenRow } from "./schema.js";
import { createScimToken, listScimTokens, revokeScimToken } from "./tokens.js";

const org = z.object({ organizationId: z.uuid() });
const tokenParams = org.extend(idParam("scimTokenId").shape);

const scimTokenSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    name: z.string(),
    prefix: z.string().describe("The first characters of the token, to recognize it"),
    status: z.enum(["active", "revoked"]),
    createdBy: z.uuid().nullable(),
    createdAt: isoDateTime(),
    lastUsedAt: isoDateTime().nullable(),
    revokedAt: isoDateTime().nullable(),
  })
  .meta({ id: "ScimToken" });

function presentScimToken(row: ScimTokenRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    prefix: row.token_prefix,
    status: row.revoked_at ? ("revoked" as const) : ("active" as const),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/**
 * Provisioning (SCIM) tokens of an organization: what an HR system or identity provider sends
 * as its bearer token to /scim/v2. Managed by people who configure the organization's
 * integrations; API keys cannot manage them.
 */
export async function scimTokenRoutes(app: App): Promise<void> {
  const tags = ["Provisioning (SCIM)"];
  const access = { permission: "integrations:manage", apiKeys: false } as const;

  app.get(
    "/api/v1/organizations/:organizationId/scim-tokens",
    {
      config: { access },
      schema: {
        tags,
        summary: "List provisioning (SCIM) tokens",
        params: org,
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          status: z.enum(["active", "revoked"]).optional(),
        }),
        response: { 200: listEnvelope(scimTokenSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listScimTokens(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      return okList(rows.map(presentScimToken), pagination);
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/scim-tokens",
    {
      config: { access },
      schema: {
        tags,
        summary: "Create a provisioning (SCIM) token",
        description:
          "The response holds the token once; only its hash is stored. The token reaches this organization's people through /scim/v2 and nothing else.",
        params: org,
        body: z.object({ name: z.string().trim().min(1).max(200) }),
        response: {
          201: envelope(
            z.object({
              token: scimTokenSchema,
              secret: z.string().describe("The bearer token. Shown only now: store it safely."),
              scimUrl: z.string().describe("The tenant URL to give the identity provider"),
            }),
          ),
        },
      },
    },
    async (request, reply) => {
      const { token, secret } = await createScimToken(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok({
        token: presentScimToken(token),
        secret,
        scimUrl: `${request.ctx.config.publicUrl}/scim/v2`,
      });
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/scim-tokens/:scimTokenId/revoke",
    {
      config: { access },
      schema: {
        tags,
        summary: "Revoke a provisioning (SCIM) token for good",
        description: "Requests with the token are refused from now on.",
        params: tokenParams,
        response: { 200: envelope(scimTokenSchema) },
      },
    },
    async (request) => {
      const token = await revokeScimToken(
        request.ctx,
        request.params.organizationId,
        request.params.scimTokenId,
      );
      return ok(presentScimToken(token));
    },
  );
}
