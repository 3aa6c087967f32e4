import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyHelmet from "@fastify/helmet";
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
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import FindMyWay from "find-my-way";
import { z } from "zod";
import { type Actor, ANONYMOUS } from "../auth/actor.js";
import type { AppServices, Ctx } from "../context.js";
import { newId } from "../ids.js";
import { clientAddress } from "../limits.js";
import { holds } from "../policy/engine.js";
import { isPublic, type RouteAccess } from "./access.js";
import { type ErrorBody, errorEnvelope } from "./envelope.js";
import { AppError, ERROR_CODES, type ErrorCode, isUniqueViolation } from "./errors.js";
import { checkRequestReferences, planReferences, type ReferencePlan } from "./references.js";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Set at start-up for routes whose body or query names references. */
    references?: ReferencePlan;
  }
  interface FastifyRequest {
    actor: Actor;
    ctx: Ctx;
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
}

export interface HttpOptions {
  services: AppServices;
  authenticator: Authenticator;
  /** Plugins that add the API's routes, each a module's `routes.ts`. */
  modules: Array<(app: App) => Promise<void>>;
  version: string;
  /** Readiness: false while starting or shutting down. */
  isReady: () => boolean;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const API_PREFIX = "/api/v1";

/** Builds the Fastify server: pipeline, error envelope, OpenAPI and every module's routes. */
export async function createHttpServer(options: HttpOptions) {
  const { services, authenticator } = options;
  const { config, log } = services;

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
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

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
      if (access) routes.push({ method, url: route.url, access });
    }
    if (access && route.schema) decorateSchema(route.schema as Record<string, unknown>, access);
    const references = planReferences(
      methods.join(","),
      route.url,
      route.schema as Parameters<typeof planReferences>[2],
      services.references,
    );
    if (references) route.config = { ...route.config, references } as typeof route.config;
    if (access && "rateLimit" in access && access.rateLimit === "auth") {
      route.config = {
        ...route.config,
        rateLimit: { max: config.http.authRateLimitPerMinute, timeWindow: 60_000 },
      } as typeof route.config;
    }
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // Lyceum may be served over plain HTTP on a private network; never rewrite its URLs.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginResourcePolicy: { policy: "same-site" },
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
    transformObject: jsonSchemaTransformObject,
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

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
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
    };
    if (UNSAFE.has(request.method) && actor.kind === "user" && actor.transport === "cookie") {
      authenticator.checkCsrf(request, actor);
    }
    await enforceAccess(access, actor, request);
  });

  // Ids named in bodies and queries resolve inside the caller's organization before any
  // handler runs (src/platform/references.ts).
  app.addHook("preHandler", async (request) => {
    const plan = request.routeOptions.config.references;
    if (plan) await checkRequestReferences(request, plan, services.references, services.db);
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply, config.env));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
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
        config.env,
      );
    }
    return sendError(
      new AppError("ROUTE_NOT_FOUND", `No route ${request.method} ${path}`),
      request,
      reply,
      config.env,
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

/** The rate-limit bucket of a verified caller: the API key, or the person. */
function principalKey(actor: Actor): string {
  if (actor.kind === "api-key") return `api-key:${actor.apiKeyId}`;
  if (actor.kind === "user") return `user:${actor.userId}`;
  return "anonymous";
}

async function enforceAccess(access: RouteAccess, actor: Actor, request: FastifyRequest) {
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
}

/** Adds the error responses and security requirements every route shares to its schema. */
function decorateSchema(schema: Record<string, unknown>, access: RouteAccess) {
  const response = (schema.response ?? {}) as Record<string, unknown>;
  const codes = isPublic(access) ? [400, 429, 500] : [400, 401, 403, 404, 429, 500];
  for (const code of codes) response[code] ??= errorEnvelope;
  schema.response = response;
  if (!isPublic(access)) {
    schema.security ??= [
      { bearerAuth: [] },
      { cookieAuth: [] },
      ...("permission" in access && access.apiKeys !== false ? [{ apiKey: [] }] : []),
    ];
  } else {
    schema.security ??= [];
  }
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: unknown;
  stack?: string;
}

/** Maps any error to the standard error envelope with a stable code. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      path:
        [v.instancePath.replace(/^\//, "").replaceAll("/", "."), v.params?.issue?.path?.join(".")]
          .filter(Boolean)
          .join(".") || String(v.params?.issue?.path?.join(".") ?? ""),
      message: v.message ?? "invalid",
      in: error.validationContext,
    }));
    const first = issues[0];
    return new AppError(
      "VALIDATION_ERROR",
      first ? `${first.path || error.validationContext}: ${first.message}` : "Invalid request",
      {
        field: first?.path || undefined,
        details: { issues },
      },
    );
  }
  if (isResponseSerializationError(error)) {
    return new AppError("INTERNAL_ERROR", "The server produced an invalid response");
  }
  if (isUniqueViolation(error)) {
    return new AppError("CONFLICT", "A record with these values already exists");
  }
  const e = (error ?? {}) as FastifyLikeError;
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
    case "FST_REQ_FILE_TOO_LARGE":
    case "FST_FILES_LIMIT":
      return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_INVALID_MULTIPART_CONTENT_TYPE":
      return new AppError("UNSUPPORTED_MEDIA_TYPE", e.message ?? "Unsupported content type");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("BAD_REQUEST", "The JSON body is empty");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError("INVALID_JSON", "The body is not valid JSON");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new AppError("BAD_REQUEST", "The content length does not match the body");
  }
  if (e.statusCode === 400 && e.message && /JSON/i.test(e.message)) {
    return new AppError("INVALID_JSON", "The body is not valid JSON");
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const code = (Object.keys(ERROR_CODES) as ErrorCode[]).find(
      (k) => ERROR_CODES[k] === e.statusCode,
    );
    return new AppError(code ?? "BAD_REQUEST", e.message ?? "Bad request");
  }
  return new AppError("INTERNAL_ERROR", "Something went wrong on our side");
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, env: string) {
  const appError = toAppError(error);
  if (appError.status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code: appError.code, status: appError.status }, appError.message);
  const body: ErrorBody = {
    success: false,
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details ? { details: appError.details } : {}),
      ...(appError.field ? { field: appError.field } : {}),
      ...(env === "development" && appError.status >= 500 && (error as Error)?.stack
        ? { stack: (error as Error).stack }
        : {}),
    },
    requestId: request.id,
  };
  if (appError.headers) reply.headers(appError.headers);
  if (appError.code === "RATE_LIMITED" && !reply.getHeader("retry-after")) {
    const ms = Number(appError.details?.retryAfterMs ?? 60_000);
    reply.header("retry-after", Math.ceil(ms / 1000));
  }
  // The body is already in its final shape; skip the route's response schema.
  reply.code(appError.status).type("application/json; charset=utf-8");
  return reply.serializer((payload: unknown) => JSON.stringify(payload)).send(body);
}

/** Path parameters holding one UUID, e.g. `idParam("teamId")` for `/teams/:teamId`. */
export function idParam<K extends string>(name: K) {
  const shape = { [name]: z.uuid().describe(`The ${name.replace(/Id$/, "")}'s id`) } as Record<
    K,
    z.ZodUUID
  >;
  return z.object(shape);
}
