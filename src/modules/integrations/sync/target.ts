import type { Ctx } from "../../../platform/context.js";
import { ConnectorError } from "../connectors/types.js";
import { openCredentials } from "../credentials.js";
import { visibleIntegration } from "../integrations.js";
import { rulesOf } from "../presenter.js";
import type { SyncTarget } from "./engine.js";

/**
 * An integration as the sync engine needs it: its connector built with the credentials opened
 * for this run only (the injected factory: tests point it at local fakes).
 */
export async function loadSyncTarget(ctx: Ctx, integrationId: string): Promise<SyncTarget> {
  const row = await visibleIntegration(ctx, integrationId);
  const target = {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    direction: row.direction,
    isActive: row.is_active,
    ownerId: row.created_by ?? row.owner_ids[0] ?? null,
    rules: rulesOf(row),
  };
  if (!row.base_url)
    return { ...target, connector: unavailable("Set the system's base URL before syncing") };
  const credentials = openCredentials(ctx, row);
  if (!credentials)
    return {
      ...target,
      connector: unavailable("No credentials are stored; give them before syncing"),
    };
  return {
    ...target,
    connector: ctx.connectors({
      type: row.lms_type,
      baseUrl: row.base_url,
      credentials,
      timeoutMs: row.timeout_seconds * 1000,
      maxRetries: row.max_retries,
      options: { ...row.options, direction: row.direction },
      allowPrivateNetwork: ctx.config.integrations.allowPrivateNetwork,
    }),
  };
}

/** A connector that refuses every call with the reason the integration cannot be called. */
function unavailable(message: string): SyncTarget["connector"] {
  const refuse = async (): Promise<never> => {
    throw new ConnectorError("unsupported", message);
  };
  return {
    type: "generic-rest",
    testConnection: refuse,
    listCourses: refuse,
    listEnrollments: refuse,
    enrol: refuse,
  };
}
