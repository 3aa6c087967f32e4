import { type Expression, sql } from "kysely";
import { z } from "zod";
import type { Db } from "../db/connection.js";
import type { Actor } from "./auth/actor.js";
import { AppError } from "./http/errors.js";
import { type Ability, type ActorAccess, widestScope } from "./policy/engine.js";

/**
 * References: ids that a request body or query names (a course, a cohort, a user, a
 * department …). A schema declares a field as a reference with `ref(kind)`; before anything
 * is stored, every declared id is resolved inside the caller's organization — or the
 * platform catalog where that is the rule — and an id that does not resolve answers
 * `404 NOT_FOUND` naming the field, exactly as an unknown path id does. The check is one
 * mechanism for every route (src/platform/http/references.ts runs it on every request whose
 * route declares references); services that validate items one by one (event batches) call
 * it themselves.
 *
 * The declaration also shows in the OpenAPI document as `x-lyceum-ref: <kind>`, which is how
 * the tenancy walk finds every reference to aim organization A's ids at.
 */
export const REF_KEY = "x-lyceum-ref";
/** Marks an `organizationId` field whose value is the organization its sibling references live in. */
export const TENANT_KEY = "x-lyceum-tenant";

/** An id that must resolve to an object of `kind` inside the caller's organization. */
export function ref(kind: string) {
  return z.uuid().meta({ [REF_KEY]: kind });
}

/**
 * An organization id that also sets where the other references of the same object live
 * (`POST /courses` with `organizationId`, a learning event's `organizationId`). The
 * organization itself must be one the caller acts in.
 */
export function tenantRef() {
  return z.uuid().meta({ [REF_KEY]: "organization", [TENANT_KEY]: true });
}

/**
 * Where references may point. `all`: anything that exists (platform administrators outside
 * an organization). Otherwise the objects of `organizations`, the platform catalog (courses
 * and their parts without an organization), the caller's own things (`userId`), and — with
 * `anyUser` — any person, for objects of the platform catalog whose audience is everyone.
 */
export interface RefScope {
  all: boolean;
  organizations: readonly string[];
  anyUser: boolean;
  userId: string | null;
}

/** One kind of referenced object: how to find it and when it is visible in a scope. */
export interface RefKind<Row = unknown> {
  /** Singular noun for messages ("Course"). */
  label: string;
  /**
   * The rows of these ids that exist (deleted objects count as absent), each with what
   * visibility needs. It runs inside one statement with the other kinds a request names, its
   * rows read back as JSON: columns must be strings, numbers, booleans or arrays of them.
   */
  query(db: Db, ids: readonly string[]): Expression<unknown>;
  /** The ids a row answers to (default: its `id`). */
  keys?(row: Row): string[];
  /** The organization an object of this kind lives in; null for the platform catalog. */
  home(row: Row): string | null;
  /** May an object be named in this scope? (`scope.all` is handled before this is asked.) */
  visible(row: Row, scope: RefScope): boolean;
}

/** Declares a kind with its row type checked, for the registry of kinds. */
export function refKind<Row>(kind: RefKind<Row>): RefKind<unknown> {
  return kind as RefKind<unknown>;
}

/**
 * A kind for rows that carry their organization in `organization_id` (null: none, and then
 * never visible as a reference). Modules use it for objects that are only path objects.
 */
export function organizationOwnedKind(label: string, table: string): RefKind {
  return refKind<{ id: string; organization_id: string | null }>({
    label,
    query: (_db, ids) =>
      sql`select id, organization_id from ${sql.table(table)} where id in (${sql.join(ids)})`,
    home: (row) => row.organization_id,
    visible: (row, scope) =>
      row.organization_id !== null && scope.organizations.includes(row.organization_id),
  });
}

/**
 * A kind for a person's records (an enrollment, a certificate) that carry `organization_id`
 * and `user_id`: one made through an organization lives in it; one outside any organization
 * belongs to its person (or, with `anyUser`, to the platform catalog's audience).
 */
export function personalKind(label: string, table: string): RefKind {
  return refKind<{ id: string; organization_id: string | null; user_id: string }>({
    label,
    query: (_db, ids) =>
      sql`select id, organization_id, user_id from ${sql.table(table)} where id in (${sql.join(ids)})`,
    home: (row) => row.organization_id,
    visible: (row, scope) =>
      row.organization_id !== null
        ? scope.organizations.includes(row.organization_id)
        : scope.anyUser || row.user_id === scope.userId,
  });
}

/** Rows found, per kind and id. */
export type LoadedRefs = ReadonlyMap<string, ReadonlyMap<string, unknown>>;

/** A reference found in a request: where, to what, and the organization it must live in. */
export interface FoundRef {
  path: string;
  kind: string;
  id: string;
  /** An enclosing tenant field's value; undefined when none encloses it. */
  tenant?: string | null;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  out?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const metaOf = (schema: z.ZodType) =>
  z.globalRegistry.get(schema) as Record<string, unknown> | undefined;

/** Whether a schema declares any reference anywhere inside it (computed once per route). */
export function hasRefs(schema: z.ZodType | undefined, seen = new Set<z.ZodType>()): boolean {
  if (!schema || seen.has(schema)) return false;
  seen.add(schema);
  if (metaOf(schema)?.[REF_KEY]) return true;
  return children(schema).some((child) => hasRefs(child, seen));
}

function children(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return Object.values(def.shape ?? {});
    case "array":
      return def.element ? [def.element] : [];
    case "union":
      return def.options ?? [];
    case "intersection":
      return [def.left, def.right].filter((s): s is z.ZodType => !!s);
    case "record":
      return def.valueType ? [def.valueType] : [];
    case "tuple":
      return def.items ?? [];
    case "pipe":
      return [def.in, def.out].filter((s): s is z.ZodType => !!s);
    case "lazy":
      return def.getter ? [def.getter()] : [];
    default:
      return def.innerType ? [def.innerType] : [];
  }
}

/**
 * The references a parsed value holds, found by walking it alongside its schema. Paths use
 * dots and indexes (`events.3.courseId`), as validation errors do.
 */
export function collectRefs(
  schema: z.ZodType | undefined,
  value: unknown,
  path = "",
  tenant?: string | null,
): FoundRef[] {
  const found: FoundRef[] = [];
  if (schema) walk(schema, value, path, tenant, found);
  return found;
}

function walk(
  schema: z.ZodType,
  value: unknown,
  path: string,
  tenant: string | null | undefined,
  out: FoundRef[],
): void {
  if (value === undefined || value === null) return;
  const kind = metaOf(schema)?.[REF_KEY];
  if (typeof kind === "string" && typeof value === "string") {
    out.push({ path, kind, id: value, ...(tenant !== undefined ? { tenant } : {}) });
    return;
  }
  const def = defOf(schema);
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  switch (def.type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return;
      const record = value as Record<string, unknown>;
      const shape = def.shape ?? {};
      let inner = tenant;
      for (const [key, field] of Object.entries(shape)) {
        if (isTenantField(field) && key in record) {
          const v = record[key];
          if (typeof v === "string" || v === null) inner = v;
        }
      }
      for (const [key, field] of Object.entries(shape)) {
        walk(field, record[key], at(key), isTenantField(field) ? tenant : inner, out);
      }
      return;
    }
    case "array":
    case "tuple": {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        const element = def.type === "array" ? def.element : def.items?.[i];
        if (element) walk(element, item, at(i), tenant, out);
      });
      return;
    }
    case "record": {
      if (typeof value !== "object" || !def.valueType) return;
      for (const [key, item] of Object.entries(value as Record<string, unknown>))
        walk(def.valueType, item, at(key), tenant, out);
      return;
    }
    case "union": {
      // A value matches one option; only options it parses with can hold its references.
      const option = (def.options ?? []).find((o) => o.safeParse(value).success);
      if (option) walk(option, value, path, tenant, out);
      return;
    }
    case "intersection":
      for (const side of [def.left, def.right]) if (side) walk(side, value, path, tenant, out);
      return;
    case "pipe":
      // Parsed values have the pipe's output shape.
      if (def.out) walk(def.out, value, path, tenant, out);
      return;
    case "lazy":
      if (def.getter) walk(def.getter(), value, path, tenant, out);
      return;
    default:
      if (def.innerType) walk(def.innerType, value, path, tenant, out);
  }
}

function isTenantField(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 5; depth++) {
    if (metaOf(current)?.[TENANT_KEY]) return true;
    current = defOf(current).innerType;
  }
  return false;
}

/** Scope of one organization: its own objects, the platform catalog, and the caller. */
export function organizationScope(organizationId: string, userId: string | null): RefScope {
  return { all: false, organizations: [organizationId], anyUser: false, userId };
}

/** What a reference check knows of the request beyond the actor. */
export interface ScopeOptions {
  /**
   * The ability the route requires: only holding that one platform-wide reaches every
   * organization's objects (a platform role with some other `:all` permission does not).
   */
  permission?: Ability;
  /** Widens people to anyone, for objects of the platform catalog (audience: every learner). */
  platformCatalog?: boolean;
}

/**
 * Scope of a caller acting outside one organization: the organizations they act in (an API
 * key: its own), or everything for a platform administrator — someone holding the route's
 * permission platform-wide, or on routes without one any platform-wide grant.
 */
export function actorScope(
  actor: Actor,
  access: ActorAccess,
  options: ScopeOptions = {},
): RefScope {
  const userId = actor.kind === "user" ? actor.userId : null;
  const everywhere = options.permission
    ? widestScope(access, options.permission, null) === "all"
    : access.system || access.grants.some((g) => g.scope === "all");
  if (everywhere) {
    return { all: true, organizations: [], anyUser: true, userId };
  }
  const organizations =
    actor.kind === "api-key"
      ? [actor.organizationId]
      : [...new Set(access.grants.flatMap((g) => (g.organizationId ? [g.organizationId] : [])))];
  return { all: false, organizations, anyUser: !!options.platformCatalog, userId };
}

/** The registry of reference kinds, and the check itself. */
export class References {
  constructor(private readonly kinds: Record<string, RefKind<unknown>>) {}

  /** The kinds declared, for start-up checks and the tenancy walk. */
  known(kind: string): boolean {
    return kind in this.kinds;
  }

  private kind(name: string): RefKind<unknown> {
    const kind = this.kinds[name];
    if (!kind) throw new Error(`unknown reference kind ${name}`);
    return kind;
  }

  /**
   * The rows of every kind and id asked for, in one statement: each kind's query, its rows as
   * JSON, all of them joined with `union all`.
   */
  async load(db: Db, wanted: Iterable<{ kind: string; id: string }>): Promise<LoadedRefs> {
    const byKind = new Map<string, Set<string>>();
    for (const w of wanted) {
      const ids = byKind.get(w.kind) ?? new Set<string>();
      ids.add(w.id);
      byKind.set(w.kind, ids);
    }
    const loaded = new Map<string, Map<string, unknown>>();
    if (!byKind.size) return loaded;
    const parts = [...byKind].map(
      ([kind, ids]) =>
        sql`select ${kind}::text as kind, row_to_json(x) as row from (${this.kind(kind).query(db, [...ids])}) as x`,
    );
    const { rows } = await sql<{ kind: string; row: { id: string } }>`${sql.join(
      parts,
      sql` union all `,
    )}`.execute(db);
    for (const kind of byKind.keys()) loaded.set(kind, new Map());
    for (const { kind, row } of rows) {
      const keys = this.kind(kind).keys?.(row) ?? [row.id];
      for (const key of keys) loaded.get(kind)?.set(key, row);
    }
    return loaded;
  }

  /**
   * The organization an object lives in (null: the platform catalog), or undefined when it
   * does not exist. Routes use it to find the scope of references aimed at a path object.
   */
  homeIn(loaded: LoadedRefs, kind: string, id: string): string | null | undefined {
    const row = loaded.get(kind)?.get(id);
    return row === undefined ? undefined : this.kind(kind).home(row);
  }

  /** The references that do not resolve in their scope (`scopeOf` gives each one's). */
  unresolvedIn(
    loaded: LoadedRefs,
    found: readonly FoundRef[],
    scopeOf: (ref: FoundRef) => RefScope,
  ): FoundRef[] {
    return found.filter((r) => {
      const row = loaded.get(r.kind)?.get(r.id);
      if (row === undefined) return true;
      const scope = scopeOf(r);
      return !scope.all && !this.kind(r.kind).visible(row, scope);
    });
  }

  /** As `unresolvedIn`, reading the rows first. */
  async unresolved(
    db: Db,
    found: readonly FoundRef[],
    scopeOf: (ref: FoundRef) => RefScope,
  ): Promise<FoundRef[]> {
    if (!found.length) return [];
    return this.unresolvedIn(await this.load(db, found), found, scopeOf);
  }

  /** The error a reference that does not resolve answers with. */
  notFound(missing: FoundRef): AppError {
    const label = this.kind(missing.kind).label;
    return new AppError("NOT_FOUND", `${label} not found`, {
      field: missing.path,
      details: { kind: missing.kind, id: missing.id },
    });
  }
}

/** The scope of each reference: its tenant field's organization, or the request's scope. */
export function scopeWithTenants(
  base: RefScope,
  actor: Actor,
  access: ActorAccess,
  permission?: Ability,
): (ref: FoundRef) => RefScope {
  return (r) => {
    if (r.tenant === undefined) return base;
    if (r.tenant === null) return actorScope(actor, access, { permission, platformCatalog: true });
    // Inside a named organization even a platform administrator names only its objects.
    return organizationScope(r.tenant, base.userId);
  };
}
