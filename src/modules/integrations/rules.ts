import { z } from "zod";

/**
 * The declarative rules of an integration: how an external system's record becomes a Lyceum
 * record. Three lists, applied in this order:
 *
 * 1. `fieldMappings` copy a value from the external record (a dot path, `user.email`,
 *    `grades.0.score`) to a Lyceum field (`person.email`, `progressPercent`).
 * 2. `transformationRules` change Lyceum fields in order: trim, lowercase, uppercase,
 *    map-values, date-format, number, default, split-name.
 * 3. `validationRules` check the result: required, email, pattern, range, one-of, max-length.
 *
 * The rules are data (stored as JSON, checked by these schemas when saved), never code: the
 * engine below interprets them. A rule that cannot work (an unknown field, a pattern that does
 * not compile, a date format without a year) is refused when it is saved, at its path.
 */

/** The fields of a Lyceum record a mapping may fill (an external enrollment and its person). */
export const TARGET_FIELDS = [
  "externalId",
  "courseExternalId",
  "status",
  "enrolledAt",
  "startedAt",
  "completedAt",
  "dueAt",
  "lastAccessAt",
  "progressPercent",
  "timeSpentMinutes",
  "score",
  "maxScore",
  "passingScore",
  "grade",
  "credits",
  "costMinor",
  "currency",
  "instructorName",
  "attempts",
  "certifiedAt",
  "certificateUrl",
  "updatedAt",
  "person.externalId",
  "person.email",
  "person.firstName",
  "person.lastName",
  "person.username",
  /** A whole name, divided into first and last name by a `split-name` rule. */
  "person.fullName",
  "course.externalId",
  "course.code",
  "course.title",
  "course.summary",
  "course.url",
  "course.startsAt",
  "course.endsAt",
] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

const field = z.enum(TARGET_FIELDS);
const sourcePath = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(
    /^[^.\s][^.]*(\.[^.\s][^.]*)*$/,
    "A dot path into the external record, such as user.email or grades.0.score",
  );

const mappingSchema = z
  .object({
    source: sourcePath.describe("Where the value is in the external record"),
    target: field.describe("The Lyceum field it fills"),
  })
  .strict();

/** Date format tokens: YYYY, MM, DD, HH, mm, ss; anything else must match literally. */
const DATE_TOKENS = /YYYY|MM|DD|HH|mm|ss/g;

const scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

const transformationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("trim"), field }).strict(),
  z.object({ op: z.literal("lowercase"), field }).strict(),
  z.object({ op: z.literal("uppercase"), field }).strict(),
  z
    .object({
      op: z.literal("map-values"),
      field,
      values: z
        .record(z.string().max(200), scalar)
        .refine((v) => Object.keys(v).length > 0 && Object.keys(v).length <= 500, {
          message: "Give between 1 and 500 values",
        }),
      otherwise: z
        .enum(["keep", "null", "problem"])
        .default("keep")
        .describe("A value not listed: kept as it is, emptied, or reported as a problem"),
    })
    .strict(),
  z
    .object({
      op: z.literal("date-format"),
      field,
      format: z
        .string()
        .min(4)
        .max(40)
        .refine((f) => /YYYY/.test(f) && /MM/.test(f) && /DD/.test(f), {
          message: "A date format needs YYYY, MM and DD",
        }),
      timeZone: z
        .string()
        .max(64)
        .refine(validTimeZone, { message: "Name an IANA time zone, e.g. Europe/Berlin" })
        .optional()
        .describe("The zone the external times are in; UTC when absent"),
    })
    .strict(),
  z
    .object({
      op: z.literal("number"),
      field,
      decimalSeparator: z.enum([".", ","]).default("."),
    })
    .strict(),
  z.object({ op: z.literal("default"), field, value: scalar }).strict(),
  z
    .object({
      op: z.literal("split-name"),
      field: z.literal("person.fullName"),
      order: z
        .enum(["first-last", "last-first"])
        .default("first-last")
        .describe("`last-first` also reads `Doe, Jane`"),
    })
    .strict(),
]);

/** Patterns run against external data: short, and without nested quantifiers. */
function safePattern(pattern: string): string | null {
  if (/\([^)]*[+*}][^)]*\)\s*[+*{]/.test(pattern))
    return "Nested repetition such as (a+)+ is not allowed in a pattern";
  try {
    new RegExp(pattern, "u");
    return null;
  } catch (error) {
    return `The pattern does not compile: ${(error as Error).message}`;
  }
}

const validationSchema = z.discriminatedUnion("rule", [
  z.object({ rule: z.literal("required"), field }).strict(),
  z.object({ rule: z.literal("email"), field }).strict(),
  z
    .object({
      rule: z.literal("pattern"),
      field,
      pattern: z
        .string()
        .min(1)
        .max(200)
        .superRefine((p, ctx) => {
          const problem = safePattern(p);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        }),
      message: z.string().max(200).optional(),
    })
    .strict(),
  z
    .object({
      rule: z.literal("range"),
      field,
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .strict()
    .refine((r) => r.min !== undefined || r.max !== undefined, {
      message: "Give min, max or both",
    })
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
      message: "min must not exceed max",
      path: ["max"],
    }),
  z
    .object({
      rule: z.literal("one-of"),
      field,
      values: z.array(scalar).min(1).max(500),
    })
    .strict(),
  z
    .object({ rule: z.literal("max-length"), field, max: z.number().int().min(1).max(100_000) })
    .strict(),
]);

export const fieldMappingsSchema = z
  .array(mappingSchema)
  .max(200)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((m, i) => {
      if (seen.has(m.target))
        ctx.addIssue({
          code: "custom",
          path: [i, "target"],
          message: `${m.target} is already filled by an earlier mapping`,
        });
      seen.add(m.target);
    });
  })
  .meta({ id: "IntegrationFieldMapping" });
export const transformationRulesSchema = z
  .array(transformationSchema)
  .max(200)
  .meta({ id: "IntegrationTransformationRules" });
export const validationRulesSchema = z
  .array(validationSchema)
  .max(200)
  .meta({ id: "IntegrationValidationRules" });

export type FieldMapping = z.infer<typeof mappingSchema>;
export type TransformationRule = z.infer<typeof transformationSchema>;
export type ValidationRule = z.infer<typeof validationSchema>;

export interface Rules {
  fieldMappings: FieldMapping[];
  transformationRules: TransformationRule[];
  validationRules: ValidationRule[];
}

/** One thing wrong with a mapped record, said so a person can fix the data or the rule. */
export interface Problem {
  field: string;
  /** The rule or transformation that found it (`required`, `date-format` …). */
  rule: string;
  message: string;
}

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Rules that are well formed one by one but not together: a whole name mapped without a
 * split-name rule would never reach a Lyceum field. Answers the path of each.
 */
export function crossCheck(rules: Partial<Rules>): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const splits = (rules.transformationRules ?? []).some((t) => t.op === "split-name");
  (rules.fieldMappings ?? []).forEach((m, i) => {
    if (m.target === "person.fullName" && !splits)
      issues.push({
        path: `fieldMappings.${i}.target`,
        message: "person.fullName needs a split-name transformation to divide it",
      });
  });
  return issues;
}

type Value = unknown;

function read(record: unknown, path: string): Value {
  let at: unknown = record;
  for (const part of path.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

const empty = (v: Value) => v === undefined || v === null || v === "";

/** The offset of `zone` from UTC at `utc`, in milliseconds. */
function zoneOffset(utc: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(utc);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(utc.getTime() / 1000) * 1000;
}

/** Reads `text` by `format` (YYYY MM DD HH mm ss); an ISO string when it matches, else null. */
export function parseDate(text: string, format: string, timeZone?: string): string | null {
  const order: string[] = [];
  const escaped = format.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = escaped.replace(DATE_TOKENS, (token) => {
    order.push(token);
    return token === "YYYY" ? "(\\d{4})" : "(\\d{1,2})";
  });
  const match = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!match) return null;
  const part = (token: string) => {
    const i = order.indexOf(token);
    return i < 0 ? 0 : Number(match[i + 1]);
  };
  const [y, mo, d, h, mi, s] = ["YYYY", "MM", "DD", "HH", "mm", "ss"].map(part) as number[];
  const local = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== (mo as number) - 1 ||
    check.getUTCDate() !== d ||
    (h as number) > 23 ||
    (mi as number) > 59 ||
    (s as number) > 59
  )
    return null;
  if (!timeZone || timeZone === "UTC") return check.toISOString();
  // The instant whose wall-clock time in the zone is the one read (two passes settle DST).
  let utc = local - zoneOffset(new Date(local), timeZone);
  utc = local - zoneOffset(new Date(utc), timeZone);
  return new Date(utc).toISOString();
}

function splitName(whole: string, order: "first-last" | "last-first"): [string, string] {
  const text = whole.trim().replace(/\s+/g, " ");
  if (order === "last-first" || text.includes(",")) {
    const [last, first] = text.includes(",")
      ? text.split(",", 2).map((s) => s.trim())
      : [text.split(" ")[0] ?? "", text.split(" ").slice(1).join(" ")];
    return [first ?? "", last ?? ""];
  }
  const at = text.lastIndexOf(" ");
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Values longer than this are not matched against patterns (a bound on matching time). */
const MAX_MATCHED_LENGTH = 2000;

function transform(
  values: Map<string, Value>,
  rule: TransformationRule,
  problems: Problem[],
): void {
  const v = values.get(rule.field);
  const text = typeof v === "string" ? v : null;
  switch (rule.op) {
    case "trim":
      if (text !== null) values.set(rule.field, text.trim());
      return;
    case "lowercase":
      if (text !== null) values.set(rule.field, text.toLowerCase());
      return;
    case "uppercase":
      if (text !== null) values.set(rule.field, text.toUpperCase());
      return;
    case "map-values": {
      if (empty(v)) return;
      const key = String(v);
      if (Object.hasOwn(rule.values, key)) values.set(rule.field, rule.values[key]);
      else if (rule.otherwise === "null") values.set(rule.field, null);
      else if (rule.otherwise === "problem")
        problems.push({
          field: rule.field,
          rule: rule.op,
          message: `"${key.slice(0, 100)}" is not one of the mapped values`,
        });
      return;
    }
    case "date-format": {
      if (empty(v)) return;
      const parsed = text === null ? null : parseDate(text, rule.format, rule.timeZone);
      if (parsed) values.set(rule.field, parsed);
      else
        problems.push({
          field: rule.field,
          rule: rule.op,
          message: `"${String(v).slice(0, 100)}" is not a date in the form ${rule.format}`,
        });
      return;
    }
    case "number": {
      if (empty(v) || typeof v === "number") return;
      const normalized =
        text === null
          ? ""
          : rule.decimalSeparator === ","
            ? text.trim().replace(/\./g, "").replace(",", ".")
            : text.trim().replace(/,/g, "");
      const n = Number(normalized);
      if (normalized !== "" && Number.isFinite(n)) values.set(rule.field, n);
      else
        problems.push({
          field: rule.field,
          rule: rule.op,
          message: `"${String(v).slice(0, 100)}" is not a number`,
        });
      return;
    }
    case "default":
      if (empty(v)) values.set(rule.field, rule.value);
      return;
    case "split-name": {
      values.delete(rule.field);
      if (text === null || !text.trim()) return;
      const [first, last] = splitName(text, rule.order);
      if (empty(values.get("person.firstName"))) values.set("person.firstName", first || null);
      if (empty(values.get("person.lastName"))) values.set("person.lastName", last || null);
      return;
    }
  }
}

function check(values: Map<string, Value>, rule: ValidationRule, problems: Problem[]): void {
  const v = values.get(rule.field);
  const say = (message: string) => problems.push({ field: rule.field, rule: rule.rule, message });
  if (rule.rule === "required") {
    if (empty(v)) say(`${rule.field} is required`);
    return;
  }
  if (empty(v)) return;
  switch (rule.rule) {
    case "email":
      if (typeof v !== "string" || !EMAIL.test(v)) say(`${rule.field} is not an email address`);
      return;
    case "pattern": {
      const text = String(v);
      if (text.length > MAX_MATCHED_LENGTH || !new RegExp(rule.pattern, "u").test(text))
        say(rule.message ?? `${rule.field} does not match ${rule.pattern}`);
      return;
    }
    case "range": {
      const n = typeof v === "number" ? v : Number.NaN;
      if (!Number.isFinite(n)) say(`${rule.field} is not a number`);
      else if (rule.min !== undefined && n < rule.min) say(`${rule.field} is below ${rule.min}`);
      else if (rule.max !== undefined && n > rule.max) say(`${rule.field} is above ${rule.max}`);
      return;
    }
    case "one-of":
      if (!rule.values.includes(v as string | number | boolean | null))
        say(`${rule.field} is not one of ${rule.values.map((x) => JSON.stringify(x)).join(", ")}`);
      return;
    case "max-length":
      if (String(v).length > rule.max) say(`${rule.field} is longer than ${rule.max} characters`);
      return;
  }
}

/**
 * Applies an integration's rules to one external record: the Lyceum record (nested, fields
 * that were not filled left out) and every problem found on the way.
 */
export function applyRules(
  rules: Rules,
  external: unknown,
): { record: Record<string, unknown>; problems: Problem[] } {
  const values = new Map<string, Value>();
  for (const m of rules.fieldMappings) {
    const v = read(external, m.source);
    if (v !== undefined) values.set(m.target, v);
  }
  const problems: Problem[] = [];
  for (const rule of rules.transformationRules) transform(values, rule, problems);
  for (const rule of rules.validationRules) check(values, rule, problems);
  const record: Record<string, unknown> = {};
  for (const [path, v] of values) {
    if (path === "person.fullName") continue;
    const [head, tail] = path.split(".", 2) as [string, string | undefined];
    if (tail === undefined) record[head] = v;
    else {
      const inner = (record[head] ?? {}) as Record<string, unknown>;
      inner[tail] = v;
      record[head] = inner;
    }
  }
  return { record, problems };
}
