/**
 * The error contract, generated from the OpenAPI document: every operation receives malformed
 * input — ids that are not ids, too long or unknown; wrong content types; bodies that are
 * empty, not JSON, too large, of the wrong types, with values past their limits or with a field
 * the operation does not know; a body on an operation that takes none — from a platform
 * administrator, so requests reach validation. Every answer must be a refusal below 500, in the
 * error envelope with the request id and a code of ERROR_CODES whose status it carries, with a
 * status the operation documents; and the database must not change: every table's row count
 * and checksum are compared before and after (no table is exempt — refusals write no audit or
 * log rows, and reading a session does not touch it).
 *
 * Bodies start from a valid-looking body generated from the operation's schema (ids of the
 * tenancy world's objects), so each malformed case differs from an acceptable request in one
 * respect and is refused for that reason.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../src/platform/http/errors.js";
import { makeUser, signIn } from "./factories.js";
import type { Credentials, Res } from "./harness.js";
import { buildWorld, type World } from "./tenancy-fixtures.js";

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ in: string; name: string; schema?: Schema }>;
  body?: Schema;
  multipart: boolean;
  responses: Set<string>;
}

let w: World;
let admin: Credentials;
let operations: Operation[];
let components: Record<string, Schema>;

/** Operations whose purpose is to report problems with their input in a 200 answer. */
const REPORTS_PROBLEMS: Record<string, string> = {
  "POST /api/v1/organizations/{organizationId}/report-metadata/validate":
    "checks a report definition and lists its problems; it stores nothing",
};

/**
 * Public routes that answer every well-formed token alike, known or not, so that they tell
 * nobody which tokens exist: a mail's tracking pixel and its tracked links.
 */
const SAME_FOR_EVERY_TOKEN: Record<string, number> = {
  "GET /api/v1/notification-tracking/{token}/open.gif": 200,
  "GET /api/v1/notification-tracking/{token}/click": 302,
};

beforeAll(async () => {
  w = await buildWorld();
  const person = await makeUser(w.t, { platformAdmin: true, firstName: "Fuzz", lastName: "Admin" });
  admin = await signIn(w.t, person.email);
  const doc = (await w.t.http.get("/api/v1/openapi.json")).body;
  components = doc.components.schemas;
  operations = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const content = op.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: content["application/json"]?.schema,
        multipart: Boolean(content["multipart/form-data"]),
        responses: new Set(Object.keys(op.responses)),
      });
    }
  }
});

afterAll(() => w?.t.close());

function resolve(schema: Schema | undefined): Schema {
  let s = schema ?? {};
  while (s.$ref) s = components[String(s.$ref).split("/").pop() as string] ?? {};
  return s;
}

const UUID = "0190a3a4-0000-7000-8000-000000000000";

/** A value the schema accepts, as far as a generator can tell; ids from the world's fixtures. */
function sample(raw: Schema | undefined, name = ""): unknown {
  const schema = resolve(raw);
  if ("const" in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  if ("default" in schema) return schema.default;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const first = options.map(resolve).find((o: Schema) => o.type !== "null") ?? options[0];
    return sample(first, name);
  }
  const type = Array.isArray(schema.type)
    ? schema.type.find((t: string) => t !== "null")
    : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], key);
      return out;
    }
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, name));
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1;
    case "boolean":
      return true;
    case "string": {
      if (schema.format === "uuid") {
        const key = name.endsWith("Ids") ? `${name.slice(0, -3)}Id` : name;
        return w.fixtures[key] ?? UUID;
      }
      if (schema.format === "email") return "someone.new@example.com";
      if (schema.format === "date-time") return "2026-06-01T09:00:00Z";
      if (schema.format === "date") return "2026-06-01";
      if (schema.format === "uri") return "https://example.com/x";
      return "x".repeat(Math.max(schema.minLength ?? 1, 3));
    }
    default:
      return null;
  }
}

/** The JSON type a schema wants (the first besides null). */
function typeOf(raw: Schema | undefined): string | undefined {
  const schema = resolve(raw);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.map(typeOf).find((t: string | undefined) => t && t !== "null");
  if (schema.enum) return typeof schema.enum[0];
  return Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
}

/** A value of another JSON type than the schema wants. */
function wrongType(raw: Schema | undefined): unknown {
  const type = typeOf(raw);
  if (type === "string") return 12345;
  if (type === "array") return { not: "a list" };
  if (type === "object") return ["not", "an", "object"];
  return "not-a-number-or-flag";
}

/** A value past the schema's limit: too long, too many, too large — or absurdly so. */
function overLimit(raw: Schema | undefined): unknown {
  const found = resolve(raw);
  const schema = resolve(
    (found.anyOf ?? found.oneOf)?.find((o: Schema) => typeOf(o) !== "null") ?? found,
  );
  const type = typeOf(schema);
  if (type === "string") return "z".repeat((schema.maxLength ?? 100_000) + 1);
  if (type === "integer" || type === "number")
    return schema.maximum !== undefined ? schema.maximum + 1 : 1e300;
  if (type === "array") {
    const item = sample(schema.items);
    return Array.from({ length: (schema.maxItems ?? 5_000) + 1 }, () => item);
  }
  return undefined;
}

/** The path with the world's objects; parameters without a fixture get a sample value. */
function fill(op: Operation, overrides: Record<string, string> = {}) {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const param = op.parameters.find((p) => p.in === "path" && p.name === name);
    return encodeURIComponent(
      overrides[name] ?? w.fixtures[name] ?? String(sample(param?.schema, name)),
    );
  });
}

async function snapshot(): Promise<Record<string, string>> {
  const db = w.t.system.db;
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const parts = tables.rows
    .map((t) => t.name)
    .map(
      (name) =>
        `select '${name}' as name, count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as state from "${name}" x`,
    );
  const rows = await sql<{
    name: string;
    state: string;
  }>`${sql.raw(parts.join(" union all "))}`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.state]));
}

interface Case {
  label: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
  /** A field the answer must name (unknown fields). */
  names?: string;
}

function cases(op: Operation): Case[] {
  const url = fill(op);
  const out: Case[] = [];
  const json = (label: string, body: unknown, names?: string): Case => ({
    label,
    url,
    payload: JSON.stringify(body),
    contentType: "application/json",
    names,
  });
  for (const param of op.parameters.filter((p) => p.in === "path")) {
    const base = op.body ? JSON.stringify(sample(op.body)) : undefined;
    const type = base ? "application/json" : undefined;
    for (const [label, value] of [
      ["not an id", "not-an-id"],
      ["an unknown id", UUID],
      ["an overlong id", "9".repeat(300)],
    ] as const) {
      out.push({
        label: `{${param.name}} is ${label}`,
        url: fill(op, { [param.name]: value }),
        payload: base,
        contentType: type,
      });
    }
  }
  for (const param of op.parameters.filter((p) => p.in === "query")) {
    const schema = resolve(param.schema);
    if (schema.type === "string" && !schema.enum && !schema.format) continue;
    out.push({ label: `?${param.name} of the wrong type`, url: `${url}?${param.name}=%7B%7D` });
  }
  if (op.method === "GET") {
    out.push({ ...json("a body on GET", { unexpected: 1 }) });
    return out;
  }
  out.push({ label: "XML", url, payload: "<x/>", contentType: "application/xml" });
  out.push({ label: "plain text", url, payload: "hello", contentType: "text/plain" });
  out.push({ label: "broken JSON", url, payload: "{not json", contentType: "application/json" });
  out.push({
    label: "a body over the limit",
    url,
    payload: `{"a":"${"x".repeat(1024 * 1024)}"}`,
    contentType: "application/json",
  });
  if (op.multipart) return out;
  if (!op.body) {
    out.push(json("a field on an operation without a body", { unexpected: 1 }, "unexpected"));
    out.push(json("a JSON list as the body", [1, 2]));
    return out;
  }
  const base = sample(op.body);
  out.push({ label: "an empty body", url, contentType: "application/json", payload: "" });
  out.push(json("a list instead of an object", [base]));
  if (base && typeof base === "object" && !Array.isArray(base)) {
    out.push(json("an unknown field", { ...base, zzUnknownField: 1 }, "zzUnknownField"));
    const schema = resolve(op.body);
    for (const [key, prop] of Object.entries<Schema>(schema.properties ?? {})) {
      out.push(json(`${key} of the wrong type`, { ...base, [key]: wrongType(prop) }));
      const over = overLimit(prop);
      if (over !== undefined) out.push(json(`${key} over its limit`, { ...base, [key]: over }));
    }
  }
  return out;
}

function problem(op: Operation, c: Case, res: Res): string | null {
  const where = `${op.method} ${op.path} (${c.label}): ${res.status}`;
  const body = res.body;
  if (res.status >= 500) return `${where} is a server error: ${JSON.stringify(body).slice(0, 300)}`;
  if (res.status < 400) {
    if (REPORTS_PROBLEMS[`${op.method} ${op.path}`] && res.status === 200) return null;
    if (
      c.label === "{token} is an unknown id" &&
      SAME_FOR_EVERY_TOKEN[`${op.method} ${op.path}`] === res.status
    )
      return null;
    return `${where} accepted malformed input`;
  }
  if (
    typeof body !== "object" ||
    body?.success !== false ||
    typeof body.error?.code !== "string" ||
    typeof body.error?.message !== "string" ||
    typeof body.requestId !== "string"
  ) {
    return `${where} is outside the envelope: ${String(JSON.stringify(body)).slice(0, 200)}`;
  }
  if (body.requestId !== res.headers["x-request-id"]) return `${where} has another request id`;
  const status = (ERROR_CODES as Record<string, number>)[body.error.code];
  if (status !== res.status) return `${where} carries code ${body.error.code} of status ${status}`;
  if (!op.responses.has(String(res.status))) return `${where} is not documented`;
  if (body.error.stack) return `${where} shows a stack trace`;
  if (c.names && body.error.code === "VALIDATION_ERROR") {
    const named = [body.error.field, ...(body.error.details?.issues ?? []).map((i: any) => i.path)];
    if (!named.includes(c.names)) return `${where} does not name ${c.names}: ${body.error.message}`;
  }
  return null;
}

describe("malformed input, generated from the OpenAPI document", () => {
  it("is refused below 500, in the envelope, with a documented status, changing nothing", async () => {
    const problems: string[] = [];
    let sent = 0;
    const before = await snapshot();
    for (const op of operations) {
      for (const c of cases(op)) {
        const res = await w.t.http.request(op.method as "POST", c.url, {
          as: admin,
          ...(c.payload !== undefined ? { payload: c.payload } : {}),
          headers: c.contentType ? { "content-type": c.contentType } : {},
        });
        sent += 1;
        const found = problem(op, c, res);
        if (found) problems.push(found);
      }
    }
    expect(problems).toEqual([]);
    const after = await snapshot();
    const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
    expect(changed).toEqual([]);
    expect(sent).toBeGreaterThan(operations.length * 3);
  });
});

describe("updates that name no field", () => {
  it("answer 400 on every PATCH and PUT whose fields are all optional, changing nothing", async () => {
    const updates = operations.filter(
      (op) =>
        (op.method === "PATCH" || op.method === "PUT") &&
        op.body &&
        !(resolve(op.body).required ?? []).length &&
        // A default makes `{}` a complete request (a team membership's role is "member").
        !Object.values<Schema>(resolve(op.body).properties ?? {}).some((p) => "default" in p),
    );
    // The 16 PATCH endpoints that answered 500 to `{}` before, among others.
    expect(updates.filter((op) => op.method === "PATCH").length).toBeGreaterThanOrEqual(16);
    const before = await snapshot();
    const answers: string[] = [];
    for (const op of updates) {
      const res = await w.t.http.request(op.method as "PATCH", fill(op), { as: admin, body: {} });
      answers.push(`${op.method} ${op.path}: ${res.status} ${res.body.error?.message}`);
    }
    expect(answers).toEqual(
      updates.map((op) => `${op.method} ${op.path}: 400 body: Send at least one field to change`),
    );
    expect(await snapshot()).toEqual(before);
  });
});
