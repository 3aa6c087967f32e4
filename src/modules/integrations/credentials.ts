import { z } from "zod";
import type { AppServices } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { ConnectorCredentials } from "./connectors/types.js";
import type { AuthType, LmsIntegrationRow } from "./schema.js";

/**
 * An integration's credentials: which fields each auth type takes, which of them are secret,
 * and how they are stored (the secret ones sealed, platform/secrets.ts) and shown (secret ones
 * only as `"set"`).
 */

/** The fields of each auth type; `secret` ones are sealed at rest and never shown. */
const FIELDS: Record<
  Exclude<AuthType, "none">,
  { required: string[]; optional: string[]; secret: string[] }
> = {
  "api-token": { required: ["token"], optional: [], secret: ["token"] },
  "oauth2-client-credentials": {
    required: ["clientId", "clientSecret", "tokenUrl"],
    optional: ["scope"],
    secret: ["clientSecret"],
  },
  basic: { required: ["username", "password"], optional: [], secret: ["password"] },
};

/** What a request may send: every field of every auth type, checked against the type chosen. */
export const credentialsInputSchema = z
  .object({
    token: z.string().min(1).max(4000).optional(),
    clientId: z.string().trim().min(1).max(500).optional(),
    clientSecret: z.string().min(1).max(4000).optional(),
    tokenUrl: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .optional(),
    scope: z.string().trim().min(1).max(1000).optional(),
    username: z.string().trim().min(1).max(500).optional(),
    password: z.string().min(1).max(4000).optional(),
  })
  .strict()
  .describe(
    "api-token: token; oauth2-client-credentials: clientId, clientSecret, tokenUrl, scope (optional); basic: username, password. Secret fields are never returned.",
  );
export type CredentialsInput = z.infer<typeof credentialsInputSchema>;

/** What responses show: the non-secret fields, and `"set"` for each secret one stored. */
export const credentialsViewSchema = z
  .record(z.string(), z.string())
  .nullable()
  .describe('Non-secret fields in clear; each secret field stored shows as "set"');

/** The context a sealed value is bound to: it opens only on its own integration's row. */
const context = (integrationId: string) => `lms-integration:${integrationId}`;

export interface StoredCredentials {
  credentials_public: string | null;
  credentials_sealed: string | null;
  credentials_key_id: string | null;
}

export const NO_CREDENTIALS: StoredCredentials = {
  credentials_public: null,
  credentials_sealed: null,
  credentials_key_id: null,
};

/**
 * Checks credentials against the auth type (a missing or foreign field answers 400 at its
 * path) and seals the secret ones for the integration's row.
 */
export function sealCredentials(
  services: Pick<AppServices, "secrets">,
  integrationId: string,
  authType: AuthType,
  input: CredentialsInput,
): StoredCredentials {
  const given = Object.entries(input).filter(([, v]) => v !== undefined) as [string, string][];
  if (authType === "none") {
    if (given.length)
      throw new AppError("VALIDATION_ERROR", "authType none takes no credentials", {
        field: `credentials.${given[0]?.[0]}`,
      });
    return NO_CREDENTIALS;
  }
  const spec = FIELDS[authType];
  for (const [name] of given)
    if (!spec.required.includes(name) && !spec.optional.includes(name))
      throw new AppError("VALIDATION_ERROR", `${authType} credentials take no ${name}`, {
        field: `credentials.${name}`,
      });
  for (const name of spec.required)
    if (!given.some(([n]) => n === name))
      throw new AppError("VALIDATION_ERROR", `${authType} credentials need ${name}`, {
        field: `credentials.${name}`,
      });
  const open: Record<string, string> = { kind: authType };
  const secret: Record<string, string> = {};
  for (const [name, value] of given) (spec.secret.includes(name) ? secret : open)[name] = value;
  return {
    credentials_public: JSON.stringify(open),
    credentials_sealed: services.secrets.seal(JSON.stringify(secret), context(integrationId)),
    credentials_key_id: services.secrets.keyId,
  };
}

/** The credentials as responses show them: never a secret, only that it is set. */
export function presentCredentials(
  row: Pick<LmsIntegrationRow, "auth_type" | "credentials_public">,
): Record<string, string> | null {
  if (!row.credentials_public || row.auth_type === "none") return null;
  const { kind, ...open } = row.credentials_public;
  const spec = FIELDS[row.auth_type];
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(open))
    if (!spec.secret.includes(name)) shown[name] = value;
  for (const name of spec.secret) shown[name] = "set";
  return shown;
}

/** The credentials in clear, for a connector's call only; null when none are stored. */
export function openCredentials(
  services: Pick<AppServices, "secrets">,
  row: Pick<LmsIntegrationRow, "id" | "auth_type" | "credentials_public" | "credentials_sealed">,
): ConnectorCredentials | null {
  if (!row.credentials_public || !row.credentials_sealed || row.auth_type === "none") return null;
  const secret = JSON.parse(services.secrets.open(row.credentials_sealed, context(row.id)));
  const all = { ...row.credentials_public, ...secret, kind: row.auth_type };
  return all as ConnectorCredentials;
}

/** Re-seals stored secrets with the current key (after the deployment secret rotated). */
export function resealCredentials(
  services: Pick<AppServices, "secrets">,
  row: Pick<LmsIntegrationRow, "id" | "credentials_sealed">,
): Pick<StoredCredentials, "credentials_sealed" | "credentials_key_id"> | null {
  if (!row.credentials_sealed || !services.secrets.needsRotation(row.credentials_sealed))
    return null;
  const clear = services.secrets.open(row.credentials_sealed, context(row.id));
  return {
    credentials_sealed: services.secrets.seal(clear, context(row.id)),
    credentials_key_id: services.secrets.keyId,
  };
}
