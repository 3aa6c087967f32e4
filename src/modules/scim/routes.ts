import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppServices } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { toAppError } from "../../platform/http/failures.js";
import type { App } from "../../platform/http/server.js";
import { clientAddress } from "../../platform/limits.js";
import { listOf, MAX_RESULTS, resourceTypes, schemas, serviceProviderConfig } from "./discovery.js";
import { ERROR_SCHEMA, ScimError, type ScimType } from "./errors.js";
import {
  createGroup,
  deactivateGroup,
  getGroup,
  listGroups,
  patchGroup,
  replaceGroup,
} from "./groups.js";
import { attributeList, pagingOf, project } from "./resources.js";
import { authenticateScimToken } from "./tokens.js";
import { createUser, deactivateUser, getUser, listUsers, patchUser, replaceUser } from "./users.js";

export const SCIM_PREFIX = "/scim/v2";
const SCIM_TYPE = "application/scim+json; charset=utf-8";

/** SCIM's status and scimType for any failure (the API's codes mapped, internals hidden). */
function scimFailure(error: unknown): { status: number; scimType?: ScimType; detail: string } {
  if (error instanceof ScimError)
    return { status: error.status, scimType: error.scimType, detail: error.message };
  const app = toAppError(error);
  const scimType: ScimType | undefined =
    app.status === 409
      ? "uniqueness"
      : app.code === "INVALID_JSON" || app.code === "BAD_REQUEST"
        ? "invalidSyntax"
        : app.code === "VALIDATION_ERROR"
          ? "invalidValue"
          : undefined;
  return { status: app.status, scimType, detail: app.message };
}

function sendScimError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, scimType, detail } = scimFailure(error);
  if (status >= 500) request.log.error({ err: error }, "SCIM request failed");
  else request.log.info({ status, scimType }, detail);
  if (status === 401) reply.header("www-authenticate", 'Bearer realm="scim"');
  if (error instanceof AppError && error.headers) reply.headers(error.headers);
  reply.header("x-request-id", request.id);
  return reply
    .code(status)
    .type(SCIM_TYPE)
    .serializer((payload: unknown) => JSON.stringify(payload))
    .send({
      schemas: [ERROR_SCHEMA],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail,
    });
}

type Query = Record<string, string | undefined>;

/**
 * The SCIM 2.0 service provider at /scim/v2 (RFC 7643/7644), for HR systems and identity
 * providers (Microsoft Entra ID, Okta) provisioning one organization's people. Requests
 * authenticate only with a provisioning token (tokens.ts), which names the organization;
 * answers and errors are SCIM's own (`application/scim+json`), not the API's envelope. The
 * routes are not in the API's OpenAPI document: SCIM clients read /ServiceProviderConfig,
 * /Schemas and /ResourceTypes instead (docs/scim.md).
 */
export function scimRoutes(services: AppServices): (app: App) => Promise<void> {
  return async (app) => {
    await app.register(
      async (scim) => {
        const baseUrl = `${services.config.publicUrl}${SCIM_PREFIX}`;
        const docs = `${services.config.publicUrl}/api/docs`;
        // As on the API: first per address (nothing is trusted before the token is checked, so
        // guessing tokens counts against the guesser's address), then per verified token.
        const addressLimit = scim.createRateLimit({
          max: services.config.http.rateLimitPerMinute,
          timeWindow: 60_000,
          keyGenerator: (request) => `scim-ip:${clientAddress(request.ip)}`,
          // The global limit lets everything outside /api through; SCIM is counted here.
          allowList: () => false,
        });
        const limit = scim.createRateLimit({
          max: services.config.http.rateLimitPerMinute,
          timeWindow: 60_000,
          keyGenerator: (request) =>
            request.actor?.kind === "scim-token" ? `scim:${request.actor.scimTokenId}` : "scim",
          allowList: () => false,
        });
        const refuseOver = (allowed: Awaited<ReturnType<typeof limit>>, message: string): void => {
          if (!allowed.isAllowed && allowed.isExceeded)
            throw new AppError("RATE_LIMITED", message, {
              headers: { "retry-after": String(Math.max(1, allowed.ttlInSeconds)) },
            });
        };

        scim.addContentTypeParser(
          ["application/scim+json"],
          { parseAs: "string" },
          scim.getDefaultJsonParser("error", "error"),
        );
        scim.setErrorHandler((error, request, reply) => sendScimError(error, request, reply));
        scim.setNotFoundHandler((request, reply) =>
          sendScimError(
            new ScimError(404, `No SCIM endpoint ${request.method} ${request.url.split("?")[0]}`),
            request,
            reply,
          ),
        );

        // Only a provisioning token opens these routes (never a session or an API key), and
        // everything they read or change belongs to that token's organization.
        scim.addHook("onRequest", async (request) => {
          refuseOver(await addressLimit(request), "Too many requests from this address");
          const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
          const actor = match
            ? await authenticateScimToken(services.db, match[1] as string, services.clock.now())
            : null;
          if (!actor)
            throw new ScimError(
              401,
              match
                ? "The provisioning token is invalid or revoked"
                : "Send the organization's provisioning token as a bearer token",
            );
          request.actor = actor;
          refuseOver(await limit(request), "Too many requests with this provisioning token");
          request.ctx = {
            ...services,
            actor,
            meta: {
              ip: request.ip ?? null,
              userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null,
              requestId: request.id,
            },
          };
        });
        scim.addHook("onSend", async (_request, reply, payload) => {
          if (String(reply.getHeader("content-type") ?? "").startsWith("application/json"))
            reply.type(SCIM_TYPE);
          return payload;
        });

        const route = { schema: { hide: true } };
        const org = (request: FastifyRequest) =>
          (request.actor as { organizationId: string }).organizationId;
        const listQuery = (query: Query) => ({
          filter: query.filter,
          sortBy: query.sortBy,
          sortOrder: query.sortOrder,
          paging: pagingOf(query, MAX_RESULTS),
        });
        const shaped = (resource: Record<string, unknown>, query: Query) =>
          project(
            resource,
            attributeList(query.attributes),
            attributeList(query.excludedAttributes),
          );
        const shapedList = (
          list: { Resources: Record<string, unknown>[] } & Record<string, unknown>,
          query: Query,
        ) => ({ ...list, Resources: list.Resources.map((r) => shaped(r, query)) });
        const ifMatch = (request: FastifyRequest) => {
          const value = request.headers["if-match"];
          return Array.isArray(value) ? value.join(",") : value;
        };
        const answer = (
          reply: FastifyReply,
          resource: Record<string, unknown>,
          query: Query,
          status = 200,
        ) => {
          const meta = resource.meta as { version: string; location: string };
          reply.code(status).type(SCIM_TYPE).header("etag", meta.version);
          reply.header("location", meta.location);
          return shaped(resource, query);
        };

        scim.get("/ServiceProviderConfig", route, async (_request, reply) => {
          reply.type(SCIM_TYPE);
          return serviceProviderConfig(baseUrl, docs);
        });
        scim.get("/ResourceTypes", route, async (_request, reply) => {
          reply.type(SCIM_TYPE);
          return listOf(resourceTypes(baseUrl));
        });
        scim.get<{ Params: { id: string } }>(
          "/ResourceTypes/:id",
          route,
          async (request, reply) => {
            const found = resourceTypes(baseUrl).find((r) => r.id === request.params.id);
            if (!found) throw new ScimError(404, `No resource type ${request.params.id}`);
            reply.type(SCIM_TYPE);
            return found;
          },
        );
        scim.get("/Schemas", route, async (_request, reply) => {
          reply.type(SCIM_TYPE);
          return listOf(schemas(baseUrl));
        });
        scim.get<{ Params: { id: string } }>("/Schemas/:id", route, async (request, reply) => {
          const found = schemas(baseUrl).find((s) => s.id === request.params.id);
          if (!found) throw new ScimError(404, `No schema ${request.params.id}`);
          reply.type(SCIM_TYPE);
          return found;
        });

        // Users and Groups answer the same six operations (RFC 7644 §3), each with its own rules.
        const resources = {
          Users: {
            list: listUsers,
            get: getUser,
            create: createUser,
            replace: replaceUser,
            patch: patchUser,
            remove: deactivateUser,
          },
          Groups: {
            list: listGroups,
            get: getGroup,
            create: createGroup,
            replace: replaceGroup,
            patch: patchGroup,
            remove: deactivateGroup,
          },
        } as const;
        for (const [name, ops] of Object.entries(resources)) {
          const one = `/${name}/:id`;
          type One = { Params: { id: string }; Querystring: Query };
          scim.get<{ Querystring: Query }>(`/${name}`, route, async (request, reply) => {
            reply.type(SCIM_TYPE);
            const list = await ops.list(
              request.ctx,
              org(request),
              listQuery(request.query),
              baseUrl,
            );
            return shapedList(list, request.query);
          });
          scim.get<One>(one, route, async (request, reply) =>
            answer(
              reply,
              await ops.get(request.ctx, org(request), request.params.id, baseUrl),
              request.query,
            ),
          );
          scim.post<{ Querystring: Query }>(`/${name}`, route, async (request, reply) =>
            answer(
              reply,
              await ops.create(request.ctx, org(request), request.body, baseUrl),
              request.query,
              201,
            ),
          );
          for (const [method, change] of [
            ["PUT", ops.replace],
            ["PATCH", ops.patch],
          ] as const)
            scim.route<One>({
              method,
              url: one,
              ...route,
              handler: async (request, reply) =>
                answer(
                  reply,
                  await change(
                    request.ctx,
                    org(request),
                    request.params.id,
                    request.body,
                    ifMatch(request),
                    baseUrl,
                  ),
                  request.query,
                ),
            });
          scim.delete<{ Params: { id: string } }>(one, route, async (request, reply) => {
            await ops.remove(
              request.ctx,
              org(request),
              request.params.id,
              ifMatch(request),
              baseUrl,
            );
            return reply.code(204).send();
          });
        }
      },
      { prefix: SCIM_PREFIX },
    );
  };
}
