/**
 * The pure parts of the integration form: the JSON lists of rules typed by the administrator,
 * where the server's field errors belong, and the credentials to send for an auth type.
 */

export const RULE_LISTS = ["fieldMappings", "transformationRules", "validationRules"] as const;
export type RuleList = (typeof RULE_LISTS)[number];

export type Parsed<T> =
  | { ok: true; value: T }
  | { ok: false; error: "badJson" | "notList" | "notObject" };

/** A rule list as typed: empty text is an empty list. */
export function parseRuleList(text: string): Parsed<unknown[]> {
  if (!text.trim()) return { ok: true, value: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "badJson" };
  }
  return Array.isArray(value) ? { ok: true, value } : { ok: false, error: "notList" };
}

/** A JSON object as typed (options, a sample record): empty text is an empty object. */
export function parseObject(text: string): Parsed<Record<string, unknown>> {
  if (!text.trim()) return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "badJson" };
  }
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? { ok: true, value: value as Record<string, unknown> }
    : { ok: false, error: "notObject" };
}

/** Pretty JSON for a text box. */
export const asJson = (value: unknown): string => JSON.stringify(value, null, 2);

export interface PlacedError {
  /** The form input the error belongs to. */
  input: string;
  /** For a rule list: the rule's position counted from 1, and the path inside it. */
  rule?: { index: number; path: string };
}

/**
 * Where a field the API names belongs: `validationRules.1.pattern` is the second validation
 * rule's pattern, `credentials.token` the token input, `syncCron` its own input.
 */
export function placeFieldError(field: string | null): PlacedError | null {
  if (!field) return null;
  const [head, ...rest] = field.split(".");
  if (!head) return null;
  if ((RULE_LISTS as readonly string[]).includes(head)) {
    const index = Number(rest[0]);
    if (rest.length && Number.isInteger(index) && index >= 0)
      return { input: head, rule: { index: index + 1, path: rest.slice(1).join(".") || "—" } };
    return { input: head };
  }
  if (head === "credentials") return { input: rest[0] ? `credentials.${rest[0]}` : "credentials" };
  if (head === "options") return { input: "options" };
  return { input: head };
}

export type AuthType = "none" | "api-token" | "oauth2-client-credentials" | "basic";

/** Each auth type's credential fields, and which of them are secret. */
export const CREDENTIAL_FIELDS: Record<
  AuthType,
  ReadonlyArray<{ name: string; secret: boolean; optional?: boolean }>
> = {
  none: [],
  "api-token": [{ name: "token", secret: true }],
  "oauth2-client-credentials": [
    { name: "clientId", secret: false },
    { name: "clientSecret", secret: true },
    { name: "tokenUrl", secret: false },
    { name: "scope", secret: false, optional: true },
  ],
  basic: [
    { name: "username", secret: false },
    { name: "password", secret: true },
  ],
};

export type CredentialMode = "keep" | "replace" | "erase";

/**
 * The `credentials` to send: left out to keep the stored ones, null to erase them, or every
 * field of the type (empty optional ones dropped) to replace them.
 */
export function credentialsToSend(
  authType: AuthType,
  mode: CredentialMode,
  values: Record<string, string>,
): { credentials?: Record<string, string> | null } {
  if (mode === "keep") return {};
  if (mode === "erase" || authType === "none") return { credentials: null };
  const out: Record<string, string> = {};
  for (const field of CREDENTIAL_FIELDS[authType]) {
    const value = field.secret ? (values[field.name] ?? "") : (values[field.name] ?? "").trim();
    if (value) out[field.name] = value;
  }
  return { credentials: out };
}
