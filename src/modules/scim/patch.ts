import { badPath, badSyntax, badValue, ScimError } from "./errors.js";
import { ENTERPRISE_SCHEMA, type Filter, normalizePath, parseFilter } from "./filter.js";

/**
 * PATCH operations (RFC 7644 §3.5.2) applied to a resource's JSON: the result is then saved
 * like a full replacement. Accepts what Entra ID and Okta send: `"op": "Replace"` in any case,
 * operations without a path whose value object names attributes (dotted or with a schema URN),
 * `"False"`/`"True"` as booleans, and value filters in paths (`members[value eq "…"]`).
 */

export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Where a path points: an attribute (inside the extension or not), a sub-attribute, a filter. */
interface Target {
  extension: boolean;
  attribute: string;
  filter?: Filter;
  sub?: string;
}

function parsePath(raw: string): Target {
  const lower = raw.toLowerCase();
  const extPrefix = `${ENTERPRISE_SCHEMA.toLowerCase()}:`;
  let extension = false;
  let rest = raw;
  if (lower === ENTERPRISE_SCHEMA.toLowerCase()) return { extension: true, attribute: "" };
  if (lower.startsWith(extPrefix)) {
    extension = true;
    rest = raw.slice(extPrefix.length);
  } else {
    const normalized = normalizePath(raw);
    rest = raw.slice(raw.length - normalized.length);
  }
  const bracket = rest.indexOf("[");
  if (bracket >= 0) {
    const close = rest.lastIndexOf("]");
    if (close < bracket) throw badPath(`The path ${raw} is not valid`);
    const after = rest.slice(close + 1);
    if (after && !after.startsWith(".")) throw badPath(`The path ${raw} is not valid`);
    return {
      extension,
      attribute: rest.slice(0, bracket),
      filter: parseFilter(rest.slice(bracket + 1, close)),
      sub: after ? after.slice(1) : undefined,
    };
  }
  const [attribute, sub, more] = rest.split(".");
  if (!attribute || more !== undefined) throw badPath(`The path ${raw} is not valid`);
  return { extension, attribute, sub };
}

/** The key of `object` matching `name` case-insensitively, or `name` itself. */
function keyOf(object: Json, name: string): string {
  return Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

/** Whether an element of a multi-valued attribute matches a value filter. */
export function matches(element: unknown, filter: Filter): boolean {
  if (!isObject(element)) return false;
  switch (filter.kind) {
    case "and":
      return matches(element, filter.left) && matches(element, filter.right);
    case "or":
      return matches(element, filter.left) || matches(element, filter.right);
    case "not":
      return !matches(element, filter.filter);
    case "present": {
      const v = element[keyOf(element, filter.path)];
      return v !== undefined && v !== null && v !== "";
    }
    case "value-path":
      return false;
    case "compare": {
      const raw = element[keyOf(element, filter.path)];
      const actual = typeof raw === "string" ? raw.toLowerCase() : raw;
      const expected = typeof filter.value === "string" ? filter.value.toLowerCase() : filter.value;
      switch (filter.op) {
        case "eq":
          return actual === expected || (expected === null && actual === undefined);
        case "ne":
          return actual !== expected;
        case "co":
          return typeof actual === "string" && actual.includes(String(expected));
        case "sw":
          return typeof actual === "string" && actual.startsWith(String(expected));
        case "ew":
          return typeof actual === "string" && actual.endsWith(String(expected));
        default:
          return false;
      }
    }
  }
}

function container(resource: Json, target: Target): Json {
  if (!target.extension) return resource;
  const key = keyOf(resource, ENTERPRISE_SCHEMA);
  if (!isObject(resource[key])) resource[key] = {};
  return resource[key] as Json;
}

function setValue(resource: Json, target: Target, value: unknown, op: "add" | "replace"): void {
  if (target.extension && !target.attribute) {
    if (!isObject(value)) throw badValue("The extension's value must be an object");
    for (const [k, v] of Object.entries(value))
      setValue(resource, { extension: true, attribute: k }, v, op);
    return;
  }
  const parent = container(resource, target);
  const key = keyOf(parent, target.attribute);
  const current = parent[key];
  if (target.filter) {
    if (!Array.isArray(current)) {
      if (op === "add" && target.sub) {
        // emails[type eq "work"].value on a resource without emails: create the element.
        parent[key] = [{ ...filterDefaults(target.filter), [target.sub]: value }];
        return;
      }
      throw new ScimError(400, `${target.attribute} has no values to match`, "noTarget");
    }
    const hits = current.filter((e) => matches(e, target.filter as Filter));
    if (!hits.length) {
      if (target.sub) {
        current.push({ ...filterDefaults(target.filter), [target.sub]: value });
        return;
      }
      throw new ScimError(400, `No value of ${target.attribute} matches the filter`, "noTarget");
    }
    for (const hit of hits) {
      const element = hit as Json;
      if (target.sub) element[keyOf(element, target.sub)] = value;
      else if (isObject(value)) Object.assign(element, value);
      else throw badValue(`The value for ${target.attribute} must be an object`);
    }
    return;
  }
  if (target.sub) {
    if (Array.isArray(current)) {
      // emails.value: applies to the primary (or only) value.
      const element = (current.find((e) => isObject(e) && e.primary === true) ?? current[0]) as
        | Json
        | undefined;
      if (element) element[keyOf(element, target.sub)] = value;
      else parent[key] = [{ [target.sub]: value, primary: true }];
      return;
    }
    const object = isObject(current) ? current : {};
    object[keyOf(object, target.sub)] = value;
    parent[key] = object;
    return;
  }
  if (op === "add" && Array.isArray(current)) {
    const added = Array.isArray(value) ? value : [value];
    parent[key] = [...current, ...added];
    return;
  }
  if (isObject(current) && isObject(value) && op === "add") {
    parent[key] = { ...current, ...value };
    return;
  }
  parent[key] = value;
}

/** The attribute values a filter like `type eq "work"` implies for a new element. */
function filterDefaults(filter: Filter): Json {
  if (filter.kind === "compare" && filter.op === "eq") return { [filter.path]: filter.value };
  if (filter.kind === "and")
    return { ...filterDefaults(filter.left), ...filterDefaults(filter.right) };
  return {};
}

function removeValue(resource: Json, target: Target, value: unknown): void {
  if (target.extension && !target.attribute) {
    delete resource[keyOf(resource, ENTERPRISE_SCHEMA)];
    return;
  }
  const parent = container(resource, target);
  const key = keyOf(parent, target.attribute);
  const current = parent[key];
  if (target.filter) {
    if (!Array.isArray(current)) return;
    if (target.sub) {
      for (const e of current)
        if (matches(e, target.filter)) delete (e as Json)[keyOf(e as Json, target.sub)];
      return;
    }
    parent[key] = current.filter((e) => !matches(e, target.filter as Filter));
    return;
  }
  if (target.sub) {
    if (isObject(current)) delete current[keyOf(current, target.sub)];
    return;
  }
  if (Array.isArray(current) && Array.isArray(value)) {
    // Azure removes group members as {"op":"Remove","path":"members","value":[{"value":"id"}]}.
    const gone = new Set(
      value.map((v) => (isObject(v) ? String(v.value ?? "") : String(v))).filter(Boolean),
    );
    parent[key] = current.filter((e) => !(isObject(e) && gone.has(String(e.value))));
    return;
  }
  delete parent[key];
}

/** Applies the operations to a copy of the resource and returns it. */
export function applyPatch(resource: Json, body: unknown): Json {
  if (!isObject(body)) throw badSyntax("The body must be a PatchOp message");
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_SCHEMA))
    throw badSyntax(`The body must name the schema ${PATCH_SCHEMA}`);
  const operations = body[keyOf(body, "Operations")];
  if (!Array.isArray(operations) || !operations.length)
    throw badSyntax("The body must hold at least one operation in Operations");
  if (operations.length > 1000) throw new ScimError(413, "Too many operations in one request");
  const result = structuredClone(resource);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== "string")
      throw badSyntax("Every operation needs an op");
    const op = raw.op.toLowerCase();
    const path = typeof raw.path === "string" && raw.path.trim() ? raw.path.trim() : undefined;
    if (op !== "add" && op !== "replace" && op !== "remove")
      throw badSyntax(`Unknown operation "${raw.op}"`);
    if (op === "remove") {
      if (!path) throw new ScimError(400, "A remove operation needs a path", "noTarget");
      removeValue(result, parsePath(path), raw.value);
      continue;
    }
    if (raw.value === undefined) throw badValue(`The ${raw.op} operation needs a value`);
    if (path) {
      setValue(result, parsePath(path), raw.value, op);
      continue;
    }
    if (!isObject(raw.value))
      throw badValue(`An ${raw.op} operation without a path needs an object value`);
    for (const [name, value] of Object.entries(raw.value)) {
      if (name.toLowerCase() === "schemas") continue;
      setValue(result, parsePath(name), value, op);
    }
  }
  return result;
}

/** A boolean as SCIM clients send it: true/false, or "True"/"False" (Entra ID). */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value))
    return value.toLowerCase() === "true";
  throw badValue(`${attribute} must be true or false`);
}
