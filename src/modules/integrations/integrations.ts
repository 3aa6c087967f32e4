import { sql } from "kysely";
import { audit, changedFields } from "../../platform/audit/audit.js";
import { type AppServices, type Ctx, inTransaction } from "../../platform/context.js";
import { checkCron } from "../../platform/cron.js";
import { AppError } from "../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../platform/http/pagination.js";
import { newId } from "../../platform/ids.js";
import { holds } from "../../platform/policy/engine.js";
import { organizationTimezone } from "../organizations/organizations.js";
import { CONNECTOR_OPTIONS } from "./connectors/registry.js";
import type { LmsType } from "./connectors/types.js";
import {
  type CredentialsInput,
  NO_CREDENTIALS,
  resealCredentials,
  sealCredentials,
} from "./credentials.js";
import { presentIntegration } from "./presenter.js";
import {
  crossCheck,
  type FieldMapping,
  type TransformationRule,
  type ValidationRule,
} from "./rules.js";
import type {
  AuthType,
  ConnectionStatus,
  DataFormat,
  Direction,
  IntegrationMethod,
  LmsIntegrationRow,
  SyncFrequency,
} from "./schema.js";

const ABILITY = "integrations:manage" as const;
/** Scheduled syncs run at most this often. */
const MIN_SYNC_INTERVAL_MS = 5 * 60_000;

/** An integration with its organization's time zone (cron expressions are read in it). */
export type Integration = LmsIntegrationRow & { timezone: string };

export interface IntegrationInput {
  name: string;
  code: string;
  lmsType: LmsType;
  method: IntegrationMethod;
  authType?: AuthType;
  /** Replaces the stored credentials; null erases them; absent keeps them. */
  credentials?: CredentialsInput | null;
  baseUrl?: string | null;
  apiVersion?: string;
  dataFormat?: DataFormat;
  encoding?: string;
  syncFrequency?: SyncFrequency;
  syncCron?: string | null;
  direction?: Direction;
  isActive?: boolean;
  connectionStatus?: Extract<ConnectionStatus, "maintenance" | "disconnected">;
  maxRetries?: number;
  timeoutSeconds?: number;
  rateLimitPerHour?: number;
  options?: Record<string, unknown>;
  fieldMappings?: FieldMapping[];
  transformationRules?: TransformationRule[];
  validationRules?: ValidationRule[];
  ownerIds?: string[];
}

/** What PUT resets a field to when the body leaves it out (credentials are kept instead). */
const DEFAULTS = {
  authType: "none",
  baseUrl: null,
  apiVersion: "v1",
  dataFormat: "json",
  encoding: "utf-8",
  syncFrequency: "on-demand",
  syncCron: null,
  direction: "import",
  isActive: true,
  maxRetries: 3,
  timeoutSeconds: 30,
  rateLimitPerHour: 1000,
  options: {},
  fieldMappings: [],
  transformationRules: [],
  validationRules: [],
  ownerIds: [],
} as const satisfies Partial<IntegrationInput>;

const userOf = (ctx: Ctx) => (ctx.actor.kind === "user" ? ctx.actor.userId : null);

function integrations(ctx: Pick<Ctx, "db">) {
  return ctx.db
    .selectFrom("lms_integrations as i")
    .innerJoin("organizations as o", "o.id", "i.organization_id")
    .selectAll("i")
    .select("o.timezone")
    .where("i.deleted_at", "is", null);
}

/** An integration the caller manages; anything else (another organization's) is not found. */
export async function visibleIntegration(ctx: Ctx, id: string): Promise<Integration> {
  const [row, access] = await Promise.all([
    integrations(ctx).where("i.id", "=", id).executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row || !holds(access, ABILITY, row.organization_id))
    throw new AppError("NOT_FOUND", "Integration not found");
  return row;
}

export interface ListQuery extends PageRequest {
  isActive?: boolean;
  lmsType?: LmsType;
  connectionStatus?: ConnectionStatus;
}

/** An organization's integrations, one page, newest first by default. */
export async function listIntegrations(ctx: Ctx, organizationId: string, query: ListQuery) {
  let q = integrations(ctx).where("i.organization_id", "=", organizationId);
  if (query.isActive !== undefined) q = q.where("i.is_active", "=", query.isActive);
  if (query.lmsType) q = q.where("i.lms_type", "=", query.lmsType);
  if (query.connectionStatus) q = q.where("i.connection_status", "=", query.connectionStatus);
  const order = sortOf(query.sort, {
    createdAt: "i.created_at",
    name: "i.name",
    code: "i.code",
    lastTestedAt: "i.last_tested_at",
  });
  return paginate(q, query, order, "i.id");
}

/** The checks one saved configuration must pass together (each refusal names its field). */
function checkConfiguration(
  c: {
    lms_type: LmsType;
    method: IntegrationMethod;
    auth_type: AuthType;
    base_url: string | null;
    sync_frequency: SyncFrequency;
    sync_cron: string | null;
  },
  rules: Pick<IntegrationInput, "fieldMappings" | "transformationRules">,
  timezone: string,
  now: Date,
): void {
  if (c.sync_frequency === "cron") {
    if (!c.sync_cron)
      throw new AppError("VALIDATION_ERROR", "A cron sync needs its expression", {
        field: "syncCron",
      });
    checkCron(c.sync_cron, timezone, now, {
      field: "syncCron",
      minIntervalMs: MIN_SYNC_INTERVAL_MS,
      tooOften: "Scheduled syncs run at most every 5 minutes",
    });
  } else if (c.sync_cron)
    throw new AppError("VALIDATION_ERROR", "syncCron is only for syncFrequency cron", {
      field: "syncCron",
    });
  if (c.method === "api" && !c.base_url)
    throw new AppError("VALIDATION_ERROR", "An API integration needs the system's base URL", {
      field: "baseUrl",
    });
  if (c.method === "api" && c.auth_type === "none")
    throw new AppError("VALIDATION_ERROR", "An API integration needs an auth type", {
      field: "authType",
    });
  const issue = crossCheck(rules)[0];
  if (issue) throw new AppError("VALIDATION_ERROR", issue.message, { field: issue.path });
}

/**
 * The options of a file integration, checked when they are saved (its SFTP server, its
 * default column mapping; connectors/registry.ts): a refusal names the option's path. An SFTP
 * server is signed in to with the integration's `basic` credentials.
 */
function checkFileOptions(lmsType: LmsType, authType: AuthType, options: unknown): void {
  if (lmsType !== "file") return;
  const parsed = CONNECTOR_OPTIONS.file?.safeParse(options ?? {});
  if (!parsed) return;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("VALIDATION_ERROR", issue?.message ?? "The options are not valid", {
      field: ["options", ...(issue?.path ?? []).map(String)].join("."),
    });
  }
  if ((parsed.data as { sftp?: unknown }).sftp && authType !== "basic")
    throw new AppError(
      "VALIDATION_ERROR",
      "An SFTP server is signed in to with a user name and password: choose auth type basic",
      { field: "authType" },
    );
}

/** The columns an input sets (fields it leaves out are not touched). */
function columnsOf(input: Partial<IntegrationInput>) {
  const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));
  const cols = {
    name: input.name,
    code: input.code,
    lms_type: input.lmsType,
    method: input.method,
    auth_type: input.authType,
    base_url:
      input.baseUrl === undefined ? undefined : (input.baseUrl?.replace(/\/+$/, "") ?? null),
    api_version: input.apiVersion,
    data_format: input.dataFormat,
    encoding: input.encoding,
    sync_frequency: input.syncFrequency,
    sync_cron: input.syncCron,
    direction: input.direction,
    is_active: input.isActive,
    connection_status: input.connectionStatus,
    max_retries: input.maxRetries,
    timeout_seconds: input.timeoutSeconds,
    rate_limit_per_hour: input.rateLimitPerHour,
    options: json(input.options),
    field_mappings: json(input.fieldMappings),
    transformation_rules: json(input.transformationRules),
    validation_rules: json(input.validationRules),
    owner_ids: input.ownerIds ? [...new Set(input.ownerIds)] : undefined,
  };
  return Object.fromEntries(Object.entries(cols).filter(([, v]) => v !== undefined)) as Partial<
    typeof cols
  >;
}

async function checkOwners(ctx: Ctx, organizationId: string, ownerIds: string[] | undefined) {
  if (!ownerIds?.length) return;
  const found = await ctx.db
    .selectFrom("organization_members")
    .select("user_id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "in", ownerIds)
    .execute();
  const members = new Set(found.map((m) => m.user_id));
  const index = ownerIds.findIndex((id) => !members.has(id));
  if (index >= 0)
    throw new AppError("VALIDATION_ERROR", "Owners must be members of the organization", {
      field: `ownerIds.${index}`,
    });
}

/** Creates an integration in the organization (credentials sealed before they are stored). */
export async function createIntegration(
  ctx: Ctx,
  organizationId: string,
  input: IntegrationInput,
): Promise<Integration> {
  const timezone = await organizationTimezone(ctx, organizationId);
  const id = newId();
  const authType = input.authType ?? DEFAULTS.authType;
  const columns = columnsOf({ ...DEFAULTS, ...input, authType });
  checkConfiguration(
    {
      lms_type: input.lmsType,
      method: input.method,
      auth_type: authType,
      base_url: columns.base_url ?? null,
      sync_frequency: columns.sync_frequency ?? "on-demand",
      sync_cron: columns.sync_cron ?? null,
    },
    input,
    timezone,
    ctx.clock.now(),
  );
  checkFileOptions(input.lmsType, authType, input.options);
  const credentials = input.credentials
    ? sealCredentials(ctx, id, authType, input.credentials)
    : NO_CREDENTIALS;
  await checkOwners(ctx, organizationId, input.ownerIds);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("lms_integrations")
      .values({
        ...(columns as Required<typeof columns>),
        ...credentials,
        id,
        organization_id: organizationId,
        created_by: userOf(tx),
        updated_by: userOf(tx),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = { ...row, timezone };
    await audit(tx, {
      organizationId,
      action: "lms-integration.create",
      entityType: "lms-integration",
      entityId: id,
      after: presentIntegration(created, now),
    });
    return created;
  });
}

/**
 * Changes an integration. `replace` (PUT) resets every configuration field the body leaves out
 * to its default; otherwise (PATCH) only the fields sent change. Either way, credentials left
 * out are kept, `null` erases them, and new ones replace the old entirely.
 */
export async function updateIntegration(
  ctx: Ctx,
  id: string,
  input: Partial<IntegrationInput>,
  replace: boolean,
): Promise<Integration> {
  const current = await visibleIntegration(ctx, id);
  const patch = replace ? { ...DEFAULTS, ...input } : input;
  const columns = columnsOf(patch);
  // The scalar settings as they will be (the JSON columns are checked by the route's schemas).
  const next: Pick<
    Integration,
    "lms_type" | "method" | "auth_type" | "base_url" | "sync_frequency" | "sync_cron"
  > = {
    lms_type: columns.lms_type ?? current.lms_type,
    method: columns.method ?? current.method,
    auth_type: columns.auth_type ?? current.auth_type,
    base_url: columns.base_url !== undefined ? columns.base_url : current.base_url,
    sync_frequency: columns.sync_frequency ?? current.sync_frequency,
    sync_cron: columns.sync_cron !== undefined ? columns.sync_cron : current.sync_cron,
  };
  if (next.sync_frequency === "on-demand" && patch.syncCron === undefined) next.sync_cron = null;
  const authChanged = next.auth_type !== current.auth_type;
  if (authChanged && input.credentials === undefined && current.credentials_sealed)
    throw new AppError(
      "VALIDATION_ERROR",
      "Changing the auth type needs the new credentials (or null to erase the old ones)",
      { field: "credentials" },
    );
  checkConfiguration(
    next,
    {
      fieldMappings: patch.fieldMappings ?? (current.field_mappings as FieldMapping[]),
      transformationRules:
        patch.transformationRules ?? (current.transformation_rules as TransformationRule[]),
    },
    current.timezone,
    ctx.clock.now(),
  );
  checkFileOptions(next.lms_type, next.auth_type, patch.options ?? current.options);
  const credentials =
    input.credentials === undefined
      ? undefined
      : input.credentials === null
        ? NO_CREDENTIALS
        : sealCredentials(ctx, id, next.auth_type, input.credentials);
  await checkOwners(ctx, current.organization_id, input.ownerIds);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .updateTable("lms_integrations")
      .set({
        ...columns,
        sync_cron: next.sync_cron,
        ...(credentials ?? {}),
        updated_by: userOf(tx),
        updated_at: now,
      })
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError("NOT_FOUND", "Integration not found");
    const updated = { ...row, timezone: current.timezone };
    const change = changedFields(
      presentIntegration(current, now) as Record<string, unknown>,
      presentIntegration(updated, now) as Record<string, unknown>,
    );
    delete change.before.updatedAt;
    delete change.after.updatedAt;
    await audit(tx, {
      organizationId: current.organization_id,
      action: "lms-integration.update",
      entityType: "lms-integration",
      entityId: id,
      before: change.before,
      after: {
        ...change.after,
        // Replaced secrets look the same in the record ("set"): say that they changed.
        ...(credentials ? { credentialsReplaced: input.credentials !== null } : {}),
      },
    });
    return updated;
  });
}

/**
 * Removes an integration: it disappears from the API, its credentials are erased and its code
 * is free again; the row stays, so what was imported through it can still name its source.
 */
export async function removeIntegration(ctx: Ctx, id: string): Promise<void> {
  const current = await visibleIntegration(ctx, id);
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    await tx.db
      .updateTable("lms_integrations")
      .set({
        ...NO_CREDENTIALS,
        is_active: false,
        connection_status: "disconnected",
        deleted_at: now,
        updated_by: userOf(tx),
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    // An inbound webhook's signing secret goes with the credentials.
    await tx.db
      .deleteFrom("integration_webhook_secrets")
      .where("integration_id", "=", id)
      .execute();
    await audit(tx, {
      organizationId: current.organization_id,
      action: "lms-integration.delete",
      entityType: "lms-integration",
      entityId: id,
      before: presentIntegration(current, now),
    });
  });
}

/**
 * Re-seals every stored credential with the current key (after LYCEUM_SECRET changed and the
 * old one went to LYCEUM_SECRET_PREVIOUS). Rows whose key this deployment does not hold are
 * reported, not changed. Each row is re-sealed in its own transaction, audited without secrets.
 */
export async function reencryptCredentials(
  services: AppServices,
  ctx: Ctx,
): Promise<{ reencrypted: number; failed: { id: string; reason: string }[] }> {
  const rows = await services.db
    .selectFrom("lms_integrations")
    .select(["id", "organization_id", "credentials_sealed", "credentials_key_id"])
    .where("credentials_key_id", "is not", null)
    .where("credentials_key_id", "<>", services.secrets.keyId)
    .execute();
  let reencrypted = 0;
  const failed: { id: string; reason: string }[] = [];
  for (const row of rows) {
    let sealed: ReturnType<typeof resealCredentials>;
    try {
      sealed = resealCredentials(services, row);
    } catch (error) {
      failed.push({ id: row.id, reason: (error as Error).message });
      continue;
    }
    if (!sealed) continue;
    await inTransaction(ctx, async (tx) => {
      const changed = await tx.db
        .updateTable("lms_integrations")
        .set(sealed)
        .where("id", "=", row.id)
        .where("credentials_sealed", "=", row.credentials_sealed)
        .executeTakeFirst();
      if (!changed.numUpdatedRows) return;
      reencrypted++;
      await audit(tx, {
        organizationId: row.organization_id,
        action: "lms-integration.credentials-reencrypt",
        entityType: "lms-integration",
        entityId: row.id,
        before: { keyId: row.credentials_key_id },
        after: { keyId: sealed.credentials_key_id },
      });
    });
  }
  return { reencrypted, failed };
}

/** Counts of stored credentials per key id, for `lyceum secrets status`. */
export async function credentialKeys(services: AppServices) {
  return services.db
    .selectFrom("lms_integrations")
    .select(["credentials_key_id as keyId", sql<number>`count(*)::int`.as("count")])
    .where("credentials_key_id", "is not", null)
    .groupBy("credentials_key_id")
    .execute();
}
