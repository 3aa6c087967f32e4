import { audit } from "../../../platform/audit/audit.js";
import type { Ctx } from "../../../platform/context.js";
import { toCsv } from "../../../platform/csv.js";
import { AppError } from "../../../platform/http/errors.js";
import { enqueueJob } from "../../../platform/jobs/queue.js";
import { notify } from "../../notifications/notify.js";
import { sftpOptions } from "../connectors/registry.js";
import {
  isSafeFileName,
  openSftp,
  type SftpSession,
  type SftpSettings,
} from "../connectors/sftp.js";
import { ConnectorError } from "../connectors/types.js";
import { openCredentials } from "../credentials.js";
import { type Integration, visibleIntegration } from "../integrations.js";
import {
  createFileImport,
  type FileImport,
  importResult,
  importStatus,
  RESULT_HEADER,
  requireFileIntegration,
  savedMapping,
  startFileImport,
  visibleFileImport,
} from "./imports.js";

/**
 * Files picked up from an SFTP server (issue 15 §2, docs/integrations-files.md). An
 * integration of type `file` with `options.sftp` is polled: each poll first writes back the
 * result of every file whose run has ended (`<name>.result.csv` in the results directory) and
 * moves that file to the processed directory, then — when the integration has no run going —
 * takes the oldest new file, stores it as a file import and imports it with the saved mapping.
 * A file the saved mapping does not fit waits for a person to map it; its owners are told.
 * One file per poll: when its run ends, the next poll is queued (sync/jobs.ts).
 */

export const SFTP_POLL_JOB = "integrations.sftp-poll";

const ENDED = ["succeeded", "partial", "failed", "cancelled"] as const;

/** The integration's SFTP server as configured, defaults applied; null when it has none. */
export function sftpOptionsOf(integration: Pick<Integration, "lms_type" | "options">) {
  if (integration.lms_type !== "file") return null;
  const raw = (integration.options as Record<string, unknown> | null)?.sftp;
  if (!raw) return null;
  const parsed = sftpOptions.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * The settings a session is opened with: the options, the integration's `basic` credentials
 * in clear (only for the session's lifetime), its timeout, and the deployment's address rule.
 */
export function sftpSettingsOf(ctx: Ctx, integration: Integration): SftpSettings | null {
  const options = sftpOptionsOf(integration);
  if (!options) return null;
  const credentials = openCredentials(ctx, integration);
  if (!credentials || credentials.kind !== "basic")
    throw new ConnectorError(
      "auth",
      "Give the SFTP user name and password: credentials of auth type basic.",
    );
  return {
    ...options,
    username: credentials.username,
    password: credentials.password,
    timeoutMs: integration.timeout_seconds * 1000,
    allowPrivateNetwork: ctx.config.integrations.allowPrivateNetwork,
  };
}

/** Queues a poll of the integration's server (one queued or running at a time); null if one is. */
export async function queueSftpPoll(
  ctx: Pick<Ctx, "db" | "clock">,
  integrationId: string,
): Promise<string | null> {
  return enqueueJob(
    ctx.db,
    SFTP_POLL_JOB,
    { integrationId },
    { dedupeKey: `sftp-poll:${integrationId}`, maxAttempts: 5, runAt: ctx.clock.now() },
  );
}

export interface SftpPollOutcome {
  /** Names (on the server) of the files whose results were written back this time. */
  delivered: string[];
  /** The file taken this time, and where its import is. */
  picked: { fileImportId: string; name: string; status: string } | null;
  /** Files refused as they came (too large, not a table): each got a result file saying why. */
  refused: string[];
  /** New files still waiting on the server after this poll. */
  waiting: number;
}

/** A stem of a file name: without its .csv or .xlsx. */
const stem = (name: string) => name.replace(/\.(csv|xlsx)$/i, "");

function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join("[redacted]") : text;
}

/**
 * Polls an integration's SFTP server once (see above). A transport failure (the server cannot
 * be reached, its host key is not the pinned one, the sign-in is refused …) is noted on the
 * integration (`last_error`, connection status `error`) and thrown, so the job is tried again
 * with the queue's backoff.
 */
export async function pollSftp(ctx: Ctx, integrationId: string): Promise<SftpPollOutcome> {
  const integration = await visibleIntegration(ctx, integrationId);
  requireFileIntegration(integration);
  let password: string | undefined;
  try {
    const settings = sftpSettingsOf(ctx, integration);
    if (!settings)
      throw new AppError("CONFLICT", "The integration has no SFTP server to pick files up from");
    password = settings.password;
    const session = await openSftp(settings);
    let outcome: SftpPollOutcome;
    try {
      const delivered = await deliverResults(ctx, integration, session);
      outcome = { delivered, ...(await pickUp(ctx, integration, session)) };
    } finally {
      await session.close();
    }
    if (
      integration.connection_status === "error" ||
      integration.connection_status === "disconnected"
    )
      await ctx.db
        .updateTable("lms_integrations")
        .set({ connection_status: "connected", last_error: null, error_count: 0 })
        .where("id", "=", integration.id)
        .execute();
    return outcome;
  } catch (error) {
    if (error instanceof ConnectorError) {
      const message = redact(`SFTP: ${error.message}`, password);
      await ctx.db
        .updateTable("lms_integrations")
        .set((eb) => ({
          connection_status: "error",
          last_error: message,
          error_count: eb("error_count", "+", 1),
        }))
        .where("id", "=", integration.id)
        .execute();
      await audit(ctx, {
        organizationId: integration.organization_id,
        action: "integration.sftp-poll-failed",
        entityType: "integration",
        entityId: integration.id,
        after: { kind: error.kind, message },
      });
      throw new ConnectorError(error.kind, message);
    }
    throw error;
  }
}

/** Writes back the results of the integration's SFTP files whose runs have ended. */
async function deliverResults(
  ctx: Ctx,
  integration: Integration,
  session: SftpSession,
): Promise<string[]> {
  const ended = await ctx.db
    .selectFrom("integration_file_imports as f")
    .innerJoin("integration_sync_runs as r", "r.id", "f.run_id")
    .select(["f.id", "f.remote_name"])
    .where("f.integration_id", "=", integration.id)
    .where("f.organization_id", "=", integration.organization_id)
    .where("f.origin", "=", "sftp")
    .where("f.delivered_at", "is", null)
    .where("f.remote_name", "is not", null)
    .where("r.dry_run", "=", false)
    .where("r.status", "in", [...ENDED])
    .orderBy("f.created_at")
    .execute();
  const delivered: string[] = [];
  for (const row of ended) {
    const name = row.remote_name as string;
    const { file } = await visibleFileImport(ctx, row.id);
    let csv: Buffer;
    try {
      csv = (await importResult(ctx, file, integration)).csv;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await noteDelivery(ctx, file, error.message);
      continue;
    }
    const resultName = `${stem(name)}.result.csv`;
    await session.writeResult(resultName, csv);
    let movedTo: string | null;
    try {
      movedTo = await session.markProcessed(name);
    } catch (error) {
      // Someone took the file away already: its result is written all the same.
      if (!(error instanceof ConnectorError && error.kind === "not-found")) throw error;
      movedTo = null;
    }
    await ctx.db
      .updateTable("integration_file_imports")
      .set({ delivered_at: ctx.clock.now(), delivery_error: null, updated_at: ctx.clock.now() })
      .where("id", "=", file.id)
      .execute();
    await audit(ctx, {
      organizationId: integration.organization_id,
      action: "integration.sftp-result-delivered",
      entityType: "integration",
      entityId: integration.id,
      after: { fileImportId: file.id, name, resultName, processedAs: movedTo },
    });
    delivered.push(name);
  }
  return delivered;
}

async function noteDelivery(ctx: Ctx, file: FileImport, message: string) {
  await ctx.db
    .updateTable("integration_file_imports")
    .set({ delivery_error: message.slice(0, 2000), updated_at: ctx.clock.now() })
    .where("id", "=", file.id)
    .execute();
}

/** Takes the oldest new file from the server, unless the integration has a run going. */
async function pickUp(
  ctx: Ctx,
  integration: Integration,
  session: SftpSession,
): Promise<Omit<SftpPollOutcome, "delivered">> {
  const refused: string[] = [];
  const busy = await ctx.db
    .selectFrom("integration_sync_runs")
    .select("id")
    .where("integration_id", "=", integration.id)
    .where("status", "in", ["queued", "running"])
    .executeTakeFirst();
  const pending = await ctx.db
    .selectFrom("integration_file_imports")
    .select("remote_name")
    .where("integration_id", "=", integration.id)
    .where("organization_id", "=", integration.organization_id)
    .where("origin", "=", "sftp")
    .where("delivered_at", "is", null)
    .where("remote_name", "is not", null)
    .execute();
  const known = new Set(pending.map((p) => p.remote_name as string));
  const fresh = (await session.list()).filter((f) => !known.has(f.name) && isSafeFileName(f.name));
  if (busy || !integration.is_active || integration.direction === "export")
    return { picked: null, refused, waiting: fresh.length };
  while (fresh.length) {
    const next = fresh.shift() as (typeof fresh)[number];
    let file: FileImport;
    try {
      const data = await session.read(next.name, ctx.config.fileImports.maxBytes);
      file = await createFileImport(ctx, integration, {
        fileName: next.name,
        data,
        origin: "sftp",
        remoteName: next.name,
      });
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === "not-found") continue;
      const fileProblem =
        error instanceof AppError ||
        (error instanceof ConnectorError &&
          (error.kind === "unsupported" || error.kind === "malformed"));
      if (!fileProblem) throw error;
      await refuse(ctx, integration, session, next.name, (error as Error).message);
      refused.push(next.name);
      continue;
    }
    const mapping = await savedMapping(ctx, integration);
    let started: FileImport | null = null;
    if (mapping && Object.values(mapping).every((column) => file.columns.includes(column))) {
      try {
        started = await startFileImport(ctx, file, mapping, { trigger: "sftp" });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
    }
    if (!started) await tellOwners(ctx, integration, file);
    const now = started ?? file;
    return {
      picked: { fileImportId: file.id, name: next.name, status: importStatus(now) },
      refused,
      waiting: fresh.length,
    };
  }
  return { picked: null, refused, waiting: 0 };
}

/**
 * A file that cannot be imported as it is (too large, not a CSV or XLSX, too many rows): its
 * result file says why in one line, and the file is moved to the processed directory.
 */
async function refuse(
  ctx: Ctx,
  integration: Integration,
  session: SftpSession,
  name: string,
  reason: string,
) {
  const csv = Buffer.from(toCsv(RESULT_HEADER, [["", "", "", "", "failed", reason]]), "utf8");
  await session.writeResult(`${stem(name)}.result.csv`, csv);
  const movedTo = await session.markProcessed(name);
  await audit(ctx, {
    organizationId: integration.organization_id,
    action: "integration.sftp-file-refused",
    entityType: "integration",
    entityId: integration.id,
    after: { name, reason, processedAs: movedTo },
  });
}

/** Tells the integration's owners a file waits for its columns to be mapped (once per file). */
async function tellOwners(ctx: Ctx, integration: Integration, file: FileImport) {
  const owners = [
    ...new Set([
      ...integration.owner_ids,
      ...(integration.created_by ? [integration.created_by] : []),
    ]),
  ];
  for (const userId of owners)
    await notify(ctx, {
      userId,
      organizationId: integration.organization_id,
      type: "integration-file-waiting",
      variables: { integrationName: integration.name, fileName: file.file_name },
      data: { integrationId: integration.id, fileImportId: file.id },
      actionPath: `/integrations/file-imports/${file.id}`,
    });
}
