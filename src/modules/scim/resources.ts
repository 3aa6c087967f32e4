import { createHash } from "node:crypto";
import { ENTERPRISE_SCHEMA, normalizePath } from "./filter.js";

/** Shared pieces of SCIM resources: meta versions, attribute projection, list answers. */

export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

type Json = Record<string, unknown>;

/** A weak ETag over the resource's content: any change to what a client sees changes it. */
export function versionOf(resource: Json): string {
  const hash = createHash("sha256").update(JSON.stringify(resource)).digest("base64url");
  return `W/"${hash.slice(0, 22)}"`;
}

/** Sets meta.version from the rest of the resource. */
export function withVersion<T extends Json & { meta: Json }>(resource: T): T {
  const { meta, ...rest } = resource;
  const version = versionOf({ ...rest, meta: { ...meta, version: undefined } });
  return { ...resource, meta: { ...meta, version } };
}

/** Attributes that are returned whatever `attributes`/`excludedAttributes` ask. */
const ALWAYS = new Set(["id", "schemas"]);

/** Splits an attribute list (`userName,name.givenName,urn:…:department`) into paths. */
export function attributeList(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const list = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

interface Wanted {
  whole: Set<string>;
  subs: Map<string, Set<string>>;
  extension: boolean;
}

function wantedOf(paths: string[]): Wanted {
  const wanted: Wanted = { whole: new Set(), subs: new Map(), extension: false };
  for (const path of paths) {
    if (path.toLowerCase() === ENTERPRISE_SCHEMA.toLowerCase()) {
      wanted.extension = true;
      continue;
    }
    const [attribute, sub] = normalizePath(path).split(".");
    if (!attribute) continue;
    if (sub) {
      const set = wanted.subs.get(attribute) ?? new Set<string>();
      set.add(sub);
      wanted.subs.set(attribute, set);
    } else {
      wanted.whole.add(attribute);
    }
  }
  return wanted;
}

function pickObject(object: Json, wanted: Wanted, include: boolean): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    const name = key.toLowerCase();
    const whole = wanted.whole.has(name);
    const subs = wanted.subs.get(name);
    if (include) {
      if (whole) out[key] = value;
      else if (subs) out[key] = pickSubs(value, subs, true);
    } else if (!whole) {
      out[key] = subs ? pickSubs(value, subs, false) : value;
    }
  }
  return out;
}

function pickSubs(value: unknown, subs: Set<string>, include: boolean): unknown {
  const pick = (v: unknown) => {
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(
      Object.entries(v as Json).filter(([k]) => subs.has(k.toLowerCase()) === include),
    );
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

/** The resource with only the asked-for attributes, or without the excluded ones. */
export function project(resource: Json, attributes?: string[], excluded?: string[]): Json {
  if (!attributes && !excluded) return resource;
  const wanted = wantedOf(attributes ?? excluded ?? []);
  const include = Boolean(attributes);
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (ALWAYS.has(key)) {
      out[key] = value;
    } else if (key === ENTERPRISE_SCHEMA) {
      if (include && wanted.extension) out[key] = value;
      else if (!include && wanted.extension) continue;
      else {
        const picked = pickObject(value as Json, wanted, include);
        if (Object.keys(picked).length) out[key] = picked;
      }
    } else {
      Object.assign(out, pickObject({ [key]: value }, wanted, include));
    }
  }
  return out;
}

export interface Paging {
  startIndex: number;
  count: number;
}

/** `startIndex` (1-based, below 1 counts as 1) and `count` (0 asks only for the total). */
export function pagingOf(query: { startIndex?: string; count?: string }, max: number): Paging {
  const start = Number.parseInt(query.startIndex ?? "1", 10);
  const count = Number.parseInt(query.count ?? String(max), 10);
  return {
    startIndex: Number.isFinite(start) && start >= 1 ? start : 1,
    count: Number.isFinite(count) ? Math.min(Math.max(count, 0), max) : max,
  };
}

export function listResponse(resources: Json[], total: number, paging: Paging) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex: paging.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
