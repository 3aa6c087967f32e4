import { badFilter } from "./errors.js";

/**
 * SCIM filters (RFC 7644 §3.4.2.2): `userName eq "a@b.c"`, `emails[type eq "work"].value co
 * "@b.c"`, `not (active eq false) and meta.lastModified gt "2026-01-01T00:00:00Z"`. Parsed into a
 * tree here; each resource type turns the tree into SQL over its own columns.
 */

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type Literal = string | number | boolean | null;

export type Filter =
  | { kind: "and" | "or"; left: Filter; right: Filter }
  | { kind: "not"; filter: Filter }
  | { kind: "compare"; path: string; op: CompareOp; value: Literal }
  | { kind: "present"; path: string }
  /** `emails[type eq "work"]` (sub-attributes are relative to the attribute). */
  | { kind: "value-path"; path: string; filter: Filter };

const COMPARE = new Set(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);

type Token =
  | { t: "word"; v: string }
  | { t: "string"; v: string }
  | { t: "number"; v: number }
  | { t: "("; v: "(" }
  | { t: ")"; v: ")" }
  | { t: "["; v: "[" }
  | { t: "]"; v: "]" };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]") {
      tokens.push({ t: c, v: c } as Token);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw badFilter("A string in the filter is not closed");
      try {
        tokens.push({ t: "string", v: JSON.parse(text.slice(i, j + 1)) as string });
      } catch {
        throw badFilter("A string in the filter is not valid");
      }
      i = j + 1;
    } else if (/[-\d]/.test(c)) {
      const match = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
      if (!match) throw badFilter(`Unexpected "${c}" in the filter`);
      tokens.push({ t: "number", v: Number(match[0]) });
      i += match[0].length;
    } else {
      const match = /^[A-Za-z.$_][\w:.$-]*/.exec(text.slice(i));
      if (!match) throw badFilter(`Unexpected "${c}" in the filter`);
      tokens.push({ t: "word", v: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

/** Parses a filter; a malformed one answers 400 with scimType invalidFilter. */
export function parseFilter(text: string): Filter {
  if (text.length > 2000) throw badFilter("The filter is too long");
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const keyword = (word: string) => {
    const token = peek();
    return token?.t === "word" && token.v.toLowerCase() === word;
  };
  const expect = (t: Token["t"]) => {
    const token = next();
    if (token?.t !== t) throw badFilter(`Expected "${t}" in the filter`);
  };

  function or(): Filter {
    let left = and();
    while (keyword("or")) {
      pos++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  }
  function and(): Filter {
    let left = unary();
    while (keyword("and")) {
      pos++;
      left = { kind: "and", left, right: unary() };
    }
    return left;
  }
  function nested(): Filter {
    if (++depth > 20) throw badFilter("The filter is nested too deeply");
    const inner = or();
    depth--;
    return inner;
  }
  function unary(): Filter {
    if (keyword("not")) {
      pos++;
      expect("(");
      const filter = nested();
      expect(")");
      return { kind: "not", filter };
    }
    if (peek()?.t === "(") {
      pos++;
      const inner = nested();
      expect(")");
      return inner;
    }
    return attributeExpression();
  }
  function attributeExpression(): Filter {
    const token = next();
    if (token?.t !== "word") throw badFilter("Expected an attribute name in the filter");
    const path = token.v;
    if (peek()?.t === "[") {
      pos++;
      const filter = nested();
      expect("]");
      const after = peek();
      if (after?.t === "word" && after.v.startsWith(".")) {
        // emails[type eq "work"].value eq "x": the sub-attribute's test, inside the value path.
        pos++;
        const inner = comparison(`${path}${after.v}`);
        const sub = after.v.slice(1);
        const relative = { ...inner, path: sub } as Filter;
        return { kind: "value-path", path, filter: { kind: "and", left: filter, right: relative } };
      }
      return { kind: "value-path", path, filter };
    }
    return comparison(path);
  }
  function comparison(path: string): Filter {
    const op = next();
    if (op?.t !== "word") throw badFilter(`Expected an operator after ${path}`);
    const name = op.v.toLowerCase();
    if (name === "pr") return { kind: "present", path };
    if (!COMPARE.has(name)) throw badFilter(`Unknown operator "${op.v}"`);
    const value = next();
    let literal: Literal;
    if (value?.t === "string" || value?.t === "number") literal = value.v;
    else if (value?.t === "word" && ["true", "false", "null"].includes(value.v.toLowerCase()))
      literal = JSON.parse(value.v.toLowerCase()) as Literal;
    else throw badFilter(`Expected a value after ${path} ${op.v}`);
    return { kind: "compare", path, op: name as CompareOp, value: literal };
  }

  if (!tokens.length) throw badFilter("The filter is empty");
  const filter = or();
  if (pos !== tokens.length) throw badFilter("Unexpected text at the end of the filter");
  return filter;
}

/** Core and enterprise schema URNs an attribute path may start with. */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/**
 * An attribute path without its schema URN, lowercased (SCIM attribute names are
 * case-insensitive): `urn:…:enterprise:2.0:User:department` → `department`.
 */
export function normalizePath(path: string): string {
  const lower = path.toLowerCase();
  for (const urn of [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_SCHEMA]) {
    const prefix = `${urn.toLowerCase()}:`;
    if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  }
  return lower;
}
