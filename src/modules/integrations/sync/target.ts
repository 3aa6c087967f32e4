import type { Ctx } from "../../../platform/context.js";
import { type Connector, ConnectorError } from "../connectors/types.js";
import { openCredentials } from "../credentials.js";
import { visibleIntegration } from "../integrations.js";
import { rulesOf } from "../presenter.js";
import type { SyncTarget } from "./engine.js";
import type { SyncRunRow } from "./schema.js";

type IntegrationRow = Awaited<ReturnType<typeof visibleIntegration>>;

/**
 * Readers of runs whose records arrive instead of being pulled (`run.source.kind`): each
 * answers a connector over what arrived (a stored file, a webhook's deliveries), so the engine
 * treats them as it treats an external system.
 */
export type SourceReader = (
  ctx: Ctx,
  run: SyncRunRow,
  integration: IntegrationRow,
) => Promise<Connector>;
const SOURCES = new Map<string, SourceReader>();

/** Registers the reader of one kind of run source (at module load, by the module that owns it). */
export function registerSource(kind: string, reader: SourceReader): void {
  SOURCES.set(kind, reader);
}

/**
 * An integration as the sync engine needs it for one run: its connector built with the
 * credentials opened for this run only (the injected factory: tests point it at local fakes),
 * or the reader of the run's source.
 */
export async function loadSyncTarget(ctx: Ctx, run: SyncRunRow): Promise<SyncTarget> {
  const row = await visibleIntegration(ctx, run.integration_id);
  const target = {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    direction: row.direction,
    isActive: row.is_active,
    ownerId: row.created_by ?? row.owner_ids[0] ?? null,
    rules: rulesOf(row),
  };
  if (run.source) {
    const reader = SOURCES.get(run.source.kind);
    return {
      ...target,
      connector: reader
        ? await reader(ctx, run, row)
        : unavailable(`Lyceum cannot read a run from a ${run.source.kind} source`),
    };
  }
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
export function unavailable(message: string): Connector {
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
