import { z } from "zod";
import { cronRuns } from "../../platform/cron.js";
import { isoDateTime } from "../../platform/http/envelope.js";
import { LMS_TYPES } from "./connectors/types.js";
import { credentialsViewSchema, presentCredentials } from "./credentials.js";
import {
  fieldMappingsSchema,
  type Rules,
  transformationRulesSchema,
  validationRulesSchema,
} from "./rules.js";
import {
  AUTH_TYPES,
  CONNECTION_STATUSES,
  DATA_FORMATS,
  DIRECTIONS,
  INTEGRATION_METHODS,
  type LmsIntegrationRow,
  SYNC_FREQUENCIES,
} from "./schema.js";
import { webhookSecretStatusSchema } from "./webhooks/status.js";

const iso = isoDateTime;

export const integrationSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    name: z.string(),
    code: z.string(),
    lmsType: z.enum(LMS_TYPES),
    method: z.enum(INTEGRATION_METHODS),
    authType: z.enum(AUTH_TYPES),
    credentials: credentialsViewSchema,
    baseUrl: z.string().nullable(),
    apiVersion: z.string(),
    dataFormat: z.enum(DATA_FORMATS),
    encoding: z.string(),
    syncFrequency: z.enum(SYNC_FREQUENCIES),
    syncCron: z.string().nullable(),
    timezone: z.string().describe("The organization's time zone, in which syncCron is read"),
    nextSyncAt: iso().nullable().describe("When the schedule syncs next (active cron syncs)"),
    direction: z.enum(DIRECTIONS),
    isActive: z.boolean(),
    connectionStatus: z.enum(CONNECTION_STATUSES),
    lastTestedAt: iso().nullable(),
    lastError: z.string().nullable(),
    lastSyncAt: iso().nullable(),
    lastSuccessfulSyncAt: iso().nullable(),
    errorCount: z.number().int(),
    maxRetries: z.number().int(),
    timeoutSeconds: z.number().int(),
    rateLimitPerHour: z.number().int(),
    options: z.record(z.string(), z.unknown()),
    fieldMappings: fieldMappingsSchema,
    transformationRules: transformationRulesSchema,
    validationRules: validationRulesSchema,
    ownerIds: z.array(z.uuid()),
    slaHours: z
      .number()
      .int()
      .nullable()
      .describe("A successful sync is expected at least every so many hours (monitoring)"),
    incidentAfterFailures: z
      .number()
      .int()
      .describe("Failed runs in a row that open an incident (monitoring)"),
    webhookSecret: webhookSecretStatusSchema
      .nullable()
      .optional()
      .describe(
        "Only for inbound-webhook integrations, when one integration is read: whether a signing secret is set (never the secret)",
      ),
    createdBy: z.uuid().nullable(),
    updatedBy: z.uuid().nullable(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "LmsIntegration" });

const date = (d: Date | null) => d?.toISOString() ?? null;

function nextSyncAt(row: LmsIntegrationRow & { timezone: string }, now: Date): string | null {
  if (!row.is_active || row.sync_frequency !== "cron" || !row.sync_cron) return null;
  return date(cronRuns(row.sync_cron, row.timezone, now)[0] ?? null);
}

/** The rules as stored (checked by the rule schemas when they were saved). */
export function rulesOf(row: LmsIntegrationRow): Rules {
  return {
    fieldMappings: row.field_mappings as Rules["fieldMappings"],
    transformationRules: row.transformation_rules as Rules["transformationRules"],
    validationRules: row.validation_rules as Rules["validationRules"],
  };
}

/** An integration as the API shows it: credentials only as which fields are set. */
export function presentIntegration(row: LmsIntegrationRow & { timezone: string }, now: Date) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    code: row.code,
    lmsType: row.lms_type,
    method: row.method,
    authType: row.auth_type,
    credentials: presentCredentials(row),
    baseUrl: row.base_url,
    apiVersion: row.api_version,
    dataFormat: row.data_format,
    encoding: row.encoding,
    syncFrequency: row.sync_frequency,
    syncCron: row.sync_cron,
    timezone: row.timezone,
    nextSyncAt: nextSyncAt(row, now),
    direction: row.direction,
    isActive: row.is_active,
    connectionStatus: row.connection_status,
    lastTestedAt: date(row.last_tested_at),
    lastError: row.last_error,
    lastSyncAt: date(row.last_sync_at),
    lastSuccessfulSyncAt: date(row.last_successful_sync_at),
    errorCount: row.error_count,
    maxRetries: row.max_retries,
    timeoutSeconds: row.timeout_seconds,
    rateLimitPerHour: row.rate_limit_per_hour,
    options: row.options,
    ...rulesOf(row),
    ownerIds: row.owner_ids,
    slaHours: row.sla_hours,
    incidentAfterFailures: row.incident_after_failures,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
