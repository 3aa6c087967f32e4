/**
 * Request validation: one policy for every operation.
 *
 * - Body objects are strict, at every depth: a field the operation does not know is refused
 *   with 400 VALIDATION_ERROR naming it. Free-form maps stay open only where a route says so,
 *   with `z.record(...)` or an explicit `.passthrough()`/`z.looseObject(...)`.
 * - An update (PATCH or PUT) that names no field is refused: "Send at least one field to change".
 * - An operation without a body schema takes no body: nothing, or an empty JSON object `{}`
 *   (which many clients send on bodiless POST actions), is accepted; anything else is refused.
 *   The other way round, an operation whose body fields are all optional may be sent none.
 *
 * Every refusal is the same AppError shape: `field` names the first offending input and
 * `details.issues` lists them all as `{ path, message, in }`.
 */
import type { FastifyRequest, FastifySchemaCompiler } from "fastify";
import { globalRegistry, type ZodType, z } from "zod";
import { AppError } from "./errors.js";

const UPDATE_METHODS = new Set(["PATCH", "PUT"]);

interface Issue {
  path: string;
  message: string;
  in: string;
}

/** The first issue becomes the message and `field`; all of them go in `details.issues`. */
export function validationFailure(issues: Issue[], part: string): AppError {
  const first = issues[0];
  return new AppError(
    "VALIDATION_ERROR",
    first ? `${first.path || part}: ${first.message}` : "Invalid request",
    { field: first?.path || undefined, details: { issues } },
  );
}

function issuesOf(error: z.ZodError, part: string): Issue[] {
  const issues: Issue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: [...path, key].join("."), message: "Unknown field", in: part });
      }
    } else {
      issues.push({ path: path.join("."), message: issue.message, in: part });
    }
  }
  return issues;
}

/**
 * Fastify's validator compiler for zod schemas. Body schemas arrive already made strict by
 * {@link strictBody} (the `onRoute` hook swaps them in, so the OpenAPI document shows the
 * same contract); updates must name at least one field.
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema, method, httpPart }) => {
  const part = httpPart ?? "body";
  const isUpdate = part === "body" && UPDATE_METHODS.has(method);
  return (data: unknown) => {
    // No body at all (Fastify's null) reads as an empty object: an action whose fields are
    // all optional can be called without one.
    const result = schema.safeParse(part === "body" && (data ?? null) === null ? {} : data);
    if (!result.success) return { error: validationFailure(issuesOf(result.error, part), part) };
    const value = result.data;
    if (isUpdate && isEmptyObject(value)) {
      return {
        error: validationFailure(
          [{ path: "", message: "Send at least one field to change", in: part }],
          part,
        ),
      };
    }
    return { value };
  };
};

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => v === undefined)
  );
}

const strictCache = new WeakMap<ZodType, ZodType>();

/**
 * The same schema with every plain object strict, at every depth. Objects that already decide
 * about unknown keys (`.strict()`, `.passthrough()`, a catchall) and records keep their policy.
 * Descriptions and other metadata are carried over; registered ids are not (the strict copy is
 * inlined where it is used, so the shared schema keeps its own meaning elsewhere).
 */
export function strictBody<T extends ZodType>(schema: T): T {
  const known = strictCache.get(schema);
  if (known) return known as T;
  const result = strictify(schema) as T;
  strictCache.set(schema, result);
  return result;
}

type Def = Record<string, unknown> & { type: string };

function strictify(schema: ZodType): ZodType {
  const cached = strictCache.get(schema);
  if (cached) return cached;
  const def = schema._zod.def as unknown as Def;
  let next: Partial<Def> | null = null;
  const child = (key: string) => {
    const inner = def[key] as ZodType | undefined;
    if (!inner) return;
    const strict = strictify(inner);
    if (strict !== inner) next = { ...next, [key]: strict };
  };
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, ZodType>;
      const strictShape: Record<string, ZodType> = {};
      let changed = false;
      for (const [key, value] of Object.entries(shape)) {
        strictShape[key] = strictify(value);
        if (strictShape[key] !== value) changed = true;
      }
      if (changed) next = { shape: strictShape };
      if (def.catchall === undefined) next = { ...next, catchall: z.never() };
      break;
    }
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      child("innerType");
      break;
    case "array":
      child("element");
      break;
    case "record":
      child("valueType");
      break;
    case "pipe":
      child("in");
      child("out");
      break;
    case "union": {
      const options = def.options as ZodType[];
      const strict = options.map(strictify);
      if (strict.some((s, i) => s !== options[i])) next = { options: strict };
      break;
    }
    case "tuple": {
      const items = def.items as ZodType[];
      const strict = items.map(strictify);
      if (strict.some((s, i) => s !== items[i])) next = { items: strict };
      child("rest");
      break;
    }
    // Intersections combine objects that must see each other's keys; lazy schemas are
    // resolved late. Both keep their own policy.
  }
  if (!next) return schema;
  const copy = schema.clone({ ...def, ...(next as Partial<Def>) } as never) as ZodType;
  const meta = globalRegistry.get(schema);
  if (meta) {
    const { id: _id, ...rest } = meta as Record<string, unknown>;
    if (Object.keys(rest).length) globalRegistry.add(copy, rest);
  }
  return copy;
}

/**
 * Refuses a body on an operation that declares none. No body, `null` and an empty JSON object
 * pass; a multipart upload passes only where the route consumes one.
 */
export function checkBodiless(request: FastifyRequest) {
  const schema = request.routeOptions.schema as
    | { body?: unknown; consumes?: readonly string[] }
    | undefined;
  const multipartRoute = schema?.consumes?.includes("multipart/form-data") ?? false;
  if ((request as { isMultipart?: () => boolean }).isMultipart?.() && !multipartRoute) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      "This operation does not take multipart/form-data; send JSON",
    );
  }
  if (schema?.body || multipartRoute) return;
  if (request.method === "GET" || request.method === "HEAD") {
    if (hasDeclaredBody(request)) throw takesNoBody(request);
    return;
  }
  const body = request.body;
  // A route that registered its own raw parser (payment webhooks verify signed bytes) reads it.
  if (body === undefined || body === null || Buffer.isBuffer(body)) return;
  if (typeof body === "object" && !Array.isArray(body)) {
    const keys = Object.keys(body);
    if (!keys.length) return;
    throw validationFailure(
      keys.map((key) => ({ path: key, message: "Unknown field", in: "body" })),
      "body",
    );
  }
  throw takesNoBody(request);
}

function hasDeclaredBody(request: FastifyRequest): boolean {
  const length = request.headers["content-length"];
  return (
    request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0")
  );
}

function takesNoBody(request: FastifyRequest) {
  return validationFailure(
    [{ path: "", message: `${request.method} on this path takes no body`, in: "body" }],
    "body",
  );
}
