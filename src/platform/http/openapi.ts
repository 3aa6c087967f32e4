/**
 * What the OpenAPI document promises about each operation's answers, and the check that the
 * server keeps the promise.
 *
 * An operation documents every status it can answer, each with the error codes behind it:
 * - the pipeline's own, by the shape of the route: 400 (validation), 429 (rate limit), 500,
 *   503 (shutting down), 408 and 431 (refused by the HTTP parser); 401 and 403 unless public;
 *   404 with path parameters, credentials or ids in the body or query; 414 with path
 *   parameters; 413 and 415 on every method that carries a body; 409 on every change (two
 *   writes can collide at a unique index);
 * - an organization's security settings' (IP_NOT_ALLOWED, MFA_…, SESSION_IDLE_TIMEOUT) on
 *   every route that can recognize a caller and names an organization or one of its objects
 *   (`:organizationId`, a path parameter of PATH_KINDS, ids in the body or query);
 * - the domain's, from `route-errors.json`: the codes its handler can throw, found by
 *   `scripts/route-errors.ts` following the calls from the handler through the sources;
 * - any a route adds by hand with `config.errors` (what the analysis cannot see).
 *
 * Binary answers are documented too: a route's `produces` types become its 200 response (a
 * route that leads elsewhere says so in `redirect`, which becomes its 302), and
 * a list with `?format=csv` documents `text/csv` beside JSON.
 */
import type { FastifyRequest } from "fastify";
import { isPublic, type RouteAccess } from "./access.js";
import { errorEnvelope } from "./envelope.js";
import { ERROR_CODES, type ErrorCode } from "./errors.js";
import { PATH_KINDS } from "./references.js";
import ROUTE_ERRORS from "./route-errors.json" with { type: "json" };

/** Codes the pipeline itself answers, by status (see the module comment for when). */
const PIPELINE_CODES: Record<number, ErrorCode[]> = {
  400: ["VALIDATION_ERROR", "BAD_REQUEST", "INVALID_JSON"],
  401: ["UNAUTHENTICATED", "INVALID_API_KEY", "TOKEN_EXPIRED", "SESSION_REVOKED"],
  403: [
    "FORBIDDEN",
    "CSRF_TOKEN_INVALID",
    "ACCOUNT_SUSPENDED",
    "ORGANIZATION_SUSPENDED",
    "IP_NOT_ALLOWED",
  ],
  404: ["NOT_FOUND"],
  408: ["REQUEST_TIMEOUT"],
  409: ["CONFLICT"],
  413: ["PAYLOAD_TOO_LARGE"],
  414: ["URI_TOO_LONG"],
  415: ["UNSUPPORTED_MEDIA_TYPE"],
  429: ["RATE_LIMITED"],
  431: ["HEADERS_TOO_LARGE"],
  500: ["INTERNAL_ERROR"],
  503: ["SERVICE_UNAVAILABLE"],
};

/** What an organization's security settings answer on the routes that act in it. */
const ORGANIZATION_GUARD_CODES: ErrorCode[] = [
  "IP_NOT_ALLOWED",
  "MFA_ENROLLMENT_REQUIRED",
  "MFA_SESSION_REQUIRED",
  "SESSION_IDLE_TIMEOUT",
];

export interface OperationFacts {
  method: string;
  url: string;
  access: RouteAccess;
  /** The body or query names ids that are resolved before the handler (404 when unknown). */
  references?: boolean;
  /** Codes the route declares beyond what the analysis finds. */
  extraCodes?: readonly ErrorCode[];
}

/** Status → codes an operation can answer with. */
export function operationErrors(facts: OperationFacts): Map<number, Set<ErrorCode>> {
  const { method, url, access } = facts;
  const statuses = new Map<number, Set<ErrorCode>>();
  const add = (code: ErrorCode) => {
    const status = ERROR_CODES[code];
    if (!statuses.has(status)) statuses.set(status, new Set());
    statuses.get(status)?.add(code);
  };
  const addStatus = (status: number) => {
    for (const code of PIPELINE_CODES[status] ?? []) add(code);
  };
  const hasParams = url.includes(":");
  const open = isPublic(access);
  for (const status of [400, 408, 429, 431, 500, 503]) addStatus(status);
  if (!open) for (const status of [401, 403]) addStatus(status);
  if (!open || hasParams || facts.references) addStatus(404);
  if (hasParams) addStatus(414);
  if (method !== "GET" && method !== "HEAD")
    for (const status of [409, 413, 415]) addStatus(status);
  // An organization's security settings (IP allow-list, MFA required, idle timeout) reach
  // every route that names the organization or one of its objects, in its path or its body,
  // for any caller who is recognized (src/modules/identity/org-security.ts).
  const recognized = !open || !!access.identify;
  const params = [...url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  const inOrganization =
    params.includes("organizationId") || params.some((p) => p in PATH_KINDS) || facts.references;
  if (recognized && inOrganization) for (const code of ORGANIZATION_GUARD_CODES) add(code);
  const analyzed = (ROUTE_ERRORS as Record<string, string[]>)[`${method} ${url}`] ?? [];
  for (const code of [...analyzed, ...(facts.extraCodes ?? [])]) {
    if (code in ERROR_CODES) add(code as ErrorCode);
  }
  return statuses;
}

/** Documented statuses per operation ("METHOD /api/v1/…:param"), for the answer check. */
const documented = new Map<string, Map<number, Set<ErrorCode>>>();
/** Operations and what their document needs beyond the schema (descriptions, binary bodies). */
const operations = new Map<
  string,
  { errors: Map<number, Set<ErrorCode>>; produces?: string[]; redirect?: string }
>();

/**
 * Adds the error responses (every status the operation can answer) and the security
 * requirements to a route's schema, and remembers them for the document and the answer check.
 */
export function decorateSchema(
  schema: Record<string, unknown>,
  facts: OperationFacts,
): Map<number, Set<ErrorCode>> {
  const errors = operationErrors(facts);
  const response = (schema.response ?? {}) as Record<string, unknown>;
  for (const status of errors.keys()) response[status] ??= errorEnvelope;
  schema.response = response;
  const { access } = facts;
  if (!isPublic(access)) {
    schema.security ??= [
      { bearerAuth: [] },
      { cookieAuth: [] },
      ...("permission" in access && access.apiKeys !== false ? [{ apiKey: [] }] : []),
    ];
  } else {
    schema.security ??= [];
  }
  documented.set(`${facts.method} ${facts.url}`, errors);
  operations.set(`${facts.method.toLowerCase()} ${openApiPath(facts.url)}`, {
    errors,
    produces: schema.produces as string[] | undefined,
    redirect: schema.redirect as string | undefined,
  });
  return errors;
}

const openApiPath = (url: string) => url.replace(/:(\w+)/g, "{$1}");

type Operation = {
  parameters?: Array<{ in: string; name: string; schema?: { enum?: unknown[] } }>;
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
};

/**
 * Finishes the generated document: each error response says which codes it carries and is
 * JSON (even on routes that produce files); file downloads get a documented 200 with their
 * content types; lists that export CSV document `text/csv` beside JSON.
 */
export function finishDocument<T extends { paths?: Record<string, Record<string, unknown>> }>(
  doc: T,
): T {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, raw] of Object.entries(item)) {
      const known = operations.get(`${method} ${path}`);
      if (!known) continue;
      const operation = raw as Operation;
      for (const [status, codes] of known.errors) {
        const answer = operation.responses[status];
        if (!answer?.content) continue;
        const json = answer.content["application/json"] ?? Object.values(answer.content)[0];
        answer.content = { "application/json": json };
        answer.description = `${[...codes].sort().join(", ")}`;
      }
      const binary = { schema: { type: "string", format: "binary" } };
      const success = Object.keys(operation.responses).find((s) => s.startsWith("2"));
      if (!success && known.produces?.length) {
        operation.responses["200"] = {
          description: `The file (${known.produces.join(", ")})`,
          content: Object.fromEntries(known.produces.map((type) => [type, binary])),
        };
      }
      if (!success && known.redirect) {
        operation.responses["302"] = {
          description: known.redirect,
          headers: { Location: { schema: { type: "string", format: "uri" } } },
        } as Operation["responses"][string];
      }
      const format = operation.parameters?.find((p) => p.in === "query" && p.name === "format");
      const ok = success ? operation.responses[success] : undefined;
      if (format?.schema?.enum?.includes("csv") && ok?.content) {
        ok.content["text/csv"] = { schema: { type: "string" } };
        ok.description = `${ok.description ?? "OK"}; with format=csv, the same rows as a CSV file`;
      }
    }
  }
  return doc;
}

/** Answers a route gave that its document does not list ("METHOD url: status"). */
export const undocumentedAnswers: string[] = [];

/**
 * Records an answer with a status the operation does not document. Called for every error
 * response; the tests fail on any record (test/harness.ts), so the document stays complete.
 */
export function checkDocumented(request: FastifyRequest, status: number) {
  const url = request.routeOptions?.url;
  if (!url) return;
  const errors = documented.get(`${request.method} ${url}`);
  if (!errors) return;
  if (!errors.has(status)) {
    undocumentedAnswers.push(`${request.method} ${url}: ${status}`);
  }
}
