import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyMultipart from "@fastify/multipart";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import FindMyWay from "find-my-way";
import { z } from "zod";
import { queryCount } from "../../db/connection.js";
import { type Actor, ANONYMOUS } from "../auth/actor.js";
import type { AppServices, Ctx } from "../context.js";
import { isUuid, newId } from "../ids.js";
import { clientAddress } from "../limits.js";
import { holds } from "../policy/engine.js";
import { isPublic, type RouteAccess } from "./access.js";
import { AppError, type ErrorCode } from "./errors.js";
import { clientErrorHandler, sendError } from "./failures.js";
import { decorateSchema, finishDocument } from "./openapi.js";
import { checkRequestReferences, planReferences, type ReferencePlan } from "./references.js";
import { LYCEUM_SECURITY, securityHeaders } from "./security-headers.js";
import { checkBodiless, strictBody, validatorCompiler } from "./validation.js";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Set at start-up for routes whose body or query names references. */
    references?: ReferencePlan;
    /**
     * The handler bounds the body's references by the route's path object, which it resolves
     * as the caller's own (a learner's attempt bounds the question ids an answer may name): for
     * any id outside it, it answers `404 NOT_FOUND` naming the field and the reference's kind,
     * exactly as the reference check would, so the check's statement is not run. The tenancy
     * walk (test/tenancy-references.test.ts) holds such routes to the same answer.
     */
    referencesBoundByPath?: true;
    /** Error codes the route can answer that scripts/route-errors.ts cannot find itself. */
    errors?: ErrorCode[];
  }
  interface FastifyRequest {
    actor: Actor;
    ctx: Ctx;
    /**
     * The change feed's answer for this request, asked once: the session cache and the
     * organization security cache attach to the same feed (src/app.ts), and a request is
     * judged as of its arrival, so one round trip serves both.
     */
    feedSynced?: Promise<boolean>;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Turns request credentials into an actor. Implemented by the identity and access modules. */
export interface Authenticator {
  /** Resolves the caller, or an anonymous actor when no credentials were sent. */
  authenticate(request: FastifyRequest): Promise<Actor>;
  /** Verifies the CSRF token of a cookie session on unsafe methods. */
  checkCsrf(request: FastifyRequest, actor: Actor): void;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess;
  /** The route's handler bounds its body's references by its path object (`referencesBoundByPath`). */
  boundByPath: boolean;
}

export interface HttpOptions {
  services: AppServices;
  authenticator: Authenticator;
  /** Plugins that add the API's routes, each a module's `routes.ts`. */
  modules: Array<(app: App) => Promise<void>>;
  version: string;
  /** Readiness: false while starting or shutting down. */
  isReady: () => boolean;
  /**
   * Answers a request no route matched before it becomes a 404 (the web app's history
   * fallback); returns false to leave it to the 404. Never consulted for /api paths.
   */
  fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean;
  /**
   * Checks run after a route's access rule on every request with a caller (an organization's
   * security settings for requests in its scope); each throws to refuse.
   */
  guards?: Array<(request: FastifyRequest) => Promise<void>>;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const API_PREFIX = "/api/v1";

/** Builds the Fastify server: pipeline, error envelope, OpenAPI and every module's routes. */
export async function createHttpServer(options: HttpOptions) {
  const { services, authenticator } = options;
  const { config, log } = services;
  const errorOptions = { debugErrors: config.debugErrors, checkDocumented: config.env === "test" };

  const app = Fastify({
    loggerInstance: log,
    bodyLimit: config.http.bodyLimit,
    trustProxy: config.http.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : newId();
    },
    forceCloseConnections: "idle",
    // Requests arriving while the server closes get 503 in the envelope (the onRequest hook).
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { coerceTypes: false } },
    // The router's own refusals (a malformed URL, an over-long path segment) and Node's HTTP
    // parser errors (headers or URL too large, request timeout) also answer in the envelope.
    frameworkErrors: (error, request, reply) => sendError(error, request, reply, errorOptions),
    clientErrorHandler: clientErrorHandler(log),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON is the API's one body type (uploads are multipart); plain text answers 415.
  app.removeContentTypeParser("text/plain");

  /** Every route, for the method-not-allowed answer and the tenancy test's walk. */
  const routes: RegisteredRoute[] = [];
  const methodRouter = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 200 });

  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith(API_PREFIX)) return;
    const access = route.config?.access as RouteAccess | undefined;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
      (m) => m !== "HEAD",
    );
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide;
    if (!access && !hidden) {
      throw new Error(`route ${methods.join(",")} ${route.url} declares no access rule`);
    }
    for (const method of methods) {
      methodRouter.on(method as "GET", route.url, () => {});
      if (access)
        routes.push({
          method,
          url: route.url,
          access,
          boundByPath: Boolean(route.config?.referencesBoundByPath),
        });
    }
    const schema = route.schema as Record<string, unknown> | undefined;
    // One policy for unknown fields: every body object refuses them (validation.ts).
    if (schema?.body) schema.body = strictBody(schema.body as z.ZodType);
    const references = planReferences(
      methods.join(","),
      route.url,
      route.schema as Parameters<typeof planReferences>[2],
      services.references,
    );
    if (route.config?.referencesBoundByPath && !references)
      throw new Error(`${route.url} is bound by its path object but declares no references`);
    if (references && !route.config?.referencesBoundByPath)
      route.config = { ...route.config, references } as typeof route.config;
    if (access && schema) {
      for (const method of methods) {
        decorateSchema(schema, {
          method,
          url: route.url,
          access,
          references: Boolean(references),
          extraCodes: route.config?.errors,
        });
      }
    }
    if (access && "rateLimit" in access && access.rateLimit === "auth") {
      route.config = {
        ...route.config,
        rateLimit: { max: config.http.authRateLimitPerMinute, timeWindow: 60_000 },
      } as typeof route.config;
    }
  });

  const security = securityHeaders(LYCEUM_SECURITY);
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(security);
    done();
  });
  await app.register(fastifyCors, {
    origin: config.http.corsOrigins.length ? config.http.corsOrigins : false,
    credentials: true,
    exposedHeaders: ["x-request-id", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining"],
  });
  await app.register(fastifyCookie, { secret: config.secret });
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.http.uploadLimit, files: 1, fields: 10 },
  });
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.http.rateLimitPerMinute,
    timeWindow: 60_000,
    // Before authentication nothing in a request is trusted but its address: a made-up key or
    // token counts against the address it came from (a verified one is limited again below).
    keyGenerator: (request) => `ip:${clientAddress(request.ip)}`,
    // The web app's page and files are not the API: one page load fetches a dozen files, and a
    // whole office behind one address opening the app must not use up the API's budget.
    allowList: (request) => !isApiPath(request.url),
    errorResponseBuilder: (_req, context) =>
      new AppError("RATE_LIMITED", `Too many requests; retry in ${context.after}`, {
        details: { limit: context.max, retryAfterMs: context.ttl },
      }),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Lyceum API",
        version: options.version,
        description:
          "Every response uses the envelope `{ success, data, meta }` or `{ success: false, error, requestId }`. " +
          "Authenticate with a bearer access token from `POST /api/v1/auth/login`, the session cookies it sets " +
          "(send `X-CSRF-Token` on unsafe methods), or an organization API key in `X-API-Key`.",
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
          cookieAuth: { type: "apiKey", in: "cookie", name: "lyceum_access" },
          apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (input) =>
      finishDocument(jsonSchemaTransformObject(input) as Parameters<typeof finishDocument>[0]),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: "/api/docs",
    uiConfig: { deepLinking: true, persistAuthorization: false },
  });

  // Once a credential is verified, its holder gets a bucket of its own as well, wherever it
  // calls from (a leaked token spread over many addresses is still one caller).
  const principalLimit = app.createRateLimit({
    max: config.http.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => principalKey(request.actor),
  });

  app.decorateRequest("actor", null as never);
  app.decorateRequest("ctx", null as never);
  app.decorateRequest("feedSynced", undefined);

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  if (config.http.queryCountHeader) {
    // For benchmarks: the running total lets a client that sends one request at a time read
    // the statements each request ran.
    app.addHook("onSend", async (_request, reply) => {
      reply.header("x-query-count", queryCount(services.db));
    });
  }

  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (_request, reply) => {
    if (!closing) return;
    reply.header("connection", "close");
    throw new AppError("SERVICE_UNAVAILABLE", "The server is shutting down; try again shortly");
  });

  // Authentication and the route's access rule run before validation, so a caller without
  // access learns nothing about the input a route expects.
  app.addHook("preValidation", async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    // Public routes never look at credentials: a stale token cannot block signing in, and
    // anonymous traffic costs no database round trip.
    const actor = isPublic(access)
      ? access.identify
        ? await authenticator.authenticate(request).catch((error) => {
            if (error instanceof AppError && error.status === 401) return ANONYMOUS;
            throw error;
          })
        : ANONYMOUS
      : await authenticator.authenticate(request);
    request.actor = actor;
    if (actor.kind === "user" || actor.kind === "api-key") {
      const limit = await principalLimit(request);
      if (!limit.isAllowed && limit.isExceeded) {
        throw new AppError("RATE_LIMITED", "Too many requests with this credential", {
          details: { limit: limit.max, retryAfterMs: limit.ttl },
          headers: { "retry-after": String(Math.max(1, limit.ttlInSeconds)) },
        });
      }
    }
    request.ctx = {
      ...services,
      actor,
      meta: {
        ip: request.ip ?? null,
        userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null,
        requestId: request.id,
      },
      // Set by the organization security guard; present from the start, so every request's
      // context has one shape.
      enterOrganization: undefined,
    };
    if (UNSAFE.has(request.method) && actor.kind === "user" && actor.transport === "cookie") {
      authenticator.checkCsrf(request, actor);
    }
    await enforceAccess(access, actor, request, services.db);
    // Guards also run on public routes that recognized someone (a member reading their
    // organization's course is acting in it).
    if (actor.kind !== "anonymous") for (const guard of options.guards ?? []) await guard(request);
    checkBodiless(request);
  });

  // Ids named in bodies and queries resolve inside the caller's organization before any
  // handler runs (src/platform/references.ts).
  app.addHook("preHandler", async (request) => {
    const plan = request.routeOptions.config.references;
    if (plan) await checkRequestReferences(request, plan, services.references, services.db);
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply, errorOptions));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (!path.startsWith("/api/") && path !== "/api" && options.fallback?.(request, reply)) {
      return reply;
    }
    const allowed = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) =>
      methodRouter.find(m as "GET", path),
    );
    if (allowed.length && path.startsWith(API_PREFIX)) {
      reply.header("allow", allowed.join(", "));
      return sendError(
        new AppError("METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${path}`, {
          details: { allowed },
        }),
        request,
        reply,
        errorOptions,
      );
    }
    return sendError(
      new AppError("ROUTE_NOT_FOUND", `No route ${request.method} ${path}`),
      request,
      reply,
      errorOptions,
    );
  });

  app.get(
    `${API_PREFIX}/openapi.json`,
    { schema: { hide: true }, config: { access: { public: true } } },
    async () => app.swagger(),
  );

  for (const register of options.modules) {
    await app.register(async (scope) => register(scope as unknown as App));
  }

  return { app, routes };
}

/** Whether a request's URL is the API's (`/api` and below), not the web app's. */
function isApiPath(url: string): boolean {
  const path = url.split("?")[0] ?? "/";
  return path === "/api" || path.startsWith("/api/");
}

/** The rate-limit bucket of a verified caller: the API key, or the person. */
function principalKey(actor: Actor): string {
  if (actor.kind === "api-key") return `api-key:${actor.apiKeyId}`;
  if (actor.kind === "user") return `user:${actor.userId}`;
  return "anonymous";
}

async function enforceAccess(
  access: RouteAccess,
  actor: Actor,
  request: FastifyRequest,
  db: AppServices["db"],
) {
  if (isPublic(access)) return;
  if (actor.kind === "anonymous") throw new AppError("UNAUTHENTICATED", "Authentication required");
  if ("user" in access) {
    if (actor.kind !== "user")
      throw new AppError("FORBIDDEN", "This endpoint is for signed-in people");
    return;
  }
  if (actor.kind === "api-key" && access.apiKeys === false) {
    throw new AppError("FORBIDDEN", "API keys may not call this endpoint");
  }
  const params = (request.params ?? {}) as Record<string, string>;
  const organizationId = access.platform ? null : (params.organizationId ?? null);
  const grants = await actor.access();
  if (access.platform) {
    if (
      !grants.grants.some(
        (g) => `${g.resource}:${g.action}` === access.permission && g.scope === "all",
      )
    ) {
      throw new AppError("FORBIDDEN", `Requires ${access.permission} across the platform`);
    }
    return;
  }
  if (actor.kind === "api-key" && organizationId && organizationId !== actor.organizationId) {
    throw new AppError("FORBIDDEN", "This API key belongs to another organization");
  }
  const ok = organizationId
    ? holds(grants, access.permission, organizationId)
    : grants.grants.some((g) => `${g.resource}:${g.action}` === access.permission);
  if (!ok) {
    throw new AppError("FORBIDDEN", `Requires ${access.permission}`, {
      details: { required: access.permission },
    });
  }
  // Platform-wide grants reach organizations the actor is not in; one that does not exist
  // (or was deleted) is 404 for them, as it is for everything else.
  if (
    organizationId &&
    isUuid(organizationId) &&
    !grants.grants.some((g) => g.organizationId === organizationId)
  ) {
    const found = await db
      .selectFrom("organizations")
      .select("id")
      .where("id", "=", organizationId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!found) throw new AppError("NOT_FOUND", "Organization not found");
  }
}

/** Path parameters holding one UUID, e.g. `idParam("teamId")` for `/teams/:teamId`. */
export function idParam<K extends string>(name: K) {
  const shape = { [name]: z.uuid().describe(`The ${name.replace(/Id$/, "")}'s id`) } as Record<
    K,
    z.ZodUUID
  >;
  return z.object(shape);
}
