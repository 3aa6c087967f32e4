import { type RawBuilder, sql } from "kysely";
import { likePattern } from "../../db/values.js";
import { badFilter } from "./errors.js";
import { type CompareOp, type Filter, type Literal, normalizePath } from "./filter.js";

/** What an attribute path means in SQL for one resource type. */
export type AttributeTarget =
  | { type: "string"; expr: RawBuilder<unknown>; caseExact?: boolean }
  | { type: "boolean"; expr: RawBuilder<unknown> }
  | { type: "datetime"; expr: RawBuilder<unknown> }
  /** A sub-attribute with one value for every row (`emails.type` is always "work"). */
  | { type: "constant"; value: Literal }
  /**
   * A multi-valued attribute kept in another table (a group's members): a test of its
   * sub-attributes holds when some value passes it (`exists`).
   */
  | { type: "collection"; some: (condition: RawBuilder<boolean>) => RawBuilder<boolean> };

/** Maps a normalized attribute path (lowercase, no schema URN) to its target, or undefined. */
export type AttributeMap = (path: string) => AttributeTarget | undefined;

type Condition = RawBuilder<boolean>;

const SQL_OPS: Partial<Record<CompareOp, string>> = {
  gt: ">",
  ge: ">=",
  lt: "<",
  le: "<=",
};

function resolve(
  attributes: AttributeMap,
  path: string,
): Exclude<AttributeTarget, { type: "collection" }> {
  const target = attributes(normalizePath(path));
  if (!target || target.type === "collection")
    throw badFilter(`The attribute ${path} cannot be filtered on`);
  return target;
}

/** The collection a path's first segment names (`members` of `members.value`), if any. */
function collectionOf(attributes: AttributeMap, path: string) {
  const head = normalizePath(path).split(".")[0] ?? "";
  const target = attributes(head);
  return target?.type === "collection" ? target : undefined;
}

function compareConstant(op: CompareOp, actual: Literal, value: Literal): boolean {
  const a = typeof actual === "string" ? actual.toLowerCase() : actual;
  const v = typeof value === "string" ? value.toLowerCase() : value;
  switch (op) {
    case "eq":
      return a === v;
    case "ne":
      return a !== v;
    case "co":
      return typeof a === "string" && typeof v === "string" && a.includes(v);
    case "sw":
      return typeof a === "string" && typeof v === "string" && a.startsWith(v);
    case "ew":
      return typeof a === "string" && typeof v === "string" && a.endsWith(v);
    default:
      if (a === null || v === null || typeof a !== typeof v) return false;
      if (op === "gt") return (a as string) > (v as string);
      if (op === "ge") return (a as string) >= (v as string);
      if (op === "lt") return (a as string) < (v as string);
      return (a as string) <= (v as string);
  }
}

const bool = (value: boolean): Condition => (value ? sql<boolean>`true` : sql<boolean>`false`);

function compare(
  target: Exclude<AttributeTarget, { type: "collection" }>,
  path: string,
  op: CompareOp,
  value: Literal,
): Condition {
  if (target.type === "constant") return bool(compareConstant(op, target.value, value));
  const { expr } = target;
  if (value === null) {
    if (op === "eq") return sql<boolean>`(${expr} is null)`;
    if (op === "ne") return sql<boolean>`(${expr} is not null)`;
    throw badFilter(`${op} cannot compare ${path} with null`);
  }
  if (target.type === "boolean") {
    if (typeof value !== "boolean") throw badFilter(`${path} is true or false`);
    if (op === "eq") return sql<boolean>`(${expr} = ${value})`;
    if (op === "ne") return sql<boolean>`(${expr} is distinct from ${value})`;
    throw badFilter(`${op} does not apply to ${path}, which is true or false`);
  }
  if (target.type === "datetime") {
    const at = typeof value === "string" ? new Date(value) : null;
    if (!at || Number.isNaN(at.getTime())) throw badFilter(`${path} is compared with a date`);
    if (op === "eq") return sql<boolean>`(${expr} = ${at})`;
    if (op === "ne") return sql<boolean>`(${expr} is distinct from ${at})`;
    const sqlOp = SQL_OPS[op];
    if (!sqlOp) throw badFilter(`${op} does not apply to ${path}, which is a date`);
    return sql<boolean>`(${expr} ${sql.raw(sqlOp)} ${at})`;
  }
  if (typeof value !== "string") throw badFilter(`${path} is compared with a string`);
  const left = target.caseExact ? sql`${expr}` : sql`lower(${expr})`;
  const right = target.caseExact ? value : value.toLowerCase();
  switch (op) {
    case "eq":
      return sql<boolean>`(${left} = ${right})`;
    case "ne":
      return sql<boolean>`(${left} is distinct from ${right})`;
    case "co":
      return sql<boolean>`(${left} like ${likePattern(right)})`;
    case "sw":
      return sql<boolean>`(${left} like ${likePattern(right, "startsWith")})`;
    case "ew":
      return sql<boolean>`(${left} like ${likePattern(right, "endsWith")})`;
    default:
      return sql<boolean>`(${left} ${sql.raw(SQL_OPS[op] as string)} ${right})`;
  }
}

function present(target: Exclude<AttributeTarget, { type: "collection" }>): Condition {
  if (target.type === "constant") return bool(target.value !== null && target.value !== "");
  if (target.type === "string")
    return sql<boolean>`(${target.expr} is not null and ${target.expr} <> '')`;
  return sql<boolean>`(${target.expr} is not null)`;
}

/** The filter as one SQL condition over the resource's columns. */
export function filterToSql(filter: Filter, attributes: AttributeMap, prefix = ""): Condition {
  const full = (path: string) => (prefix ? `${prefix}.${path}` : path);
  switch (filter.kind) {
    case "and":
      return sql<boolean>`(${filterToSql(filter.left, attributes, prefix)} and ${filterToSql(filter.right, attributes, prefix)})`;
    case "or":
      return sql<boolean>`(${filterToSql(filter.left, attributes, prefix)} or ${filterToSql(filter.right, attributes, prefix)})`;
    case "not":
      return sql<boolean>`(not coalesce(${filterToSql(filter.filter, attributes, prefix)}, false))`;
    case "present":
    case "compare": {
      const path = full(filter.path);
      const condition =
        filter.kind === "present"
          ? present(resolve(attributes, path))
          : compare(resolve(attributes, path), path, filter.op, filter.value);
      const collection = prefix ? undefined : collectionOf(attributes, path);
      return collection ? collection.some(condition) : condition;
    }
    case "value-path": {
      if (prefix) throw badFilter("Value filters cannot be nested");
      const inner = filterToSql(filter.filter, attributes, filter.path);
      const collection = collectionOf(attributes, filter.path);
      return collection ? collection.some(inner) : inner;
    }
  }
}

/** The SQL expression a `sortBy` attribute orders by. */
export function sortExpression(path: string, attributes: AttributeMap): RawBuilder<unknown> {
  const target = attributes(normalizePath(path));
  if (!target || target.type === "constant" || target.type === "collection")
    throw badFilter(`The attribute ${path} cannot be sorted on`);
  return target.type === "string" && !target.caseExact ? sql`lower(${target.expr})` : target.expr;
}
