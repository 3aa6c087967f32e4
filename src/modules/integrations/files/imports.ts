import { audit } from "../../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../../platform/context.js";
import { toCsv } from "../../../platform/csv.js";
import { AppError } from "../../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../../platform/http/pagination.js";
import { newId } from "../../../platform/ids.js";
import { type Integration, visibleIntegration } from "../integrations.js";
import { requestSync } from "../sync/engine.js";
import type { SyncRunRow, SyncTrigger } from "../sync/schema.js";
import { latestRows, type ReadRow, readRow, suggestMapping, validateMapping } from "./mapping.js";
import type { ColumnMapping, FileImportRow, FileImportStatus, FileOrigin } from "./schema.js";
import { type Cell, formatOf, readTable, type Table } from "./table.js";

/**
 * File imports (issue 15 §2): a CSV or XLSX of enrollments and completions is stored as it
 * came, its header read; once its columns are mapped to Lyceum's fields a sync run reads it
 * (reader.ts) and the engine does the rest. Uploads and files found on an SFTP server go the
 * same way: `createFileImport`, then `startFileImport` with the mapping (the integration's
 * saved one, `savedMapping`, for files that arrive unattended).
 */

export const SAMPLE_ROWS = 5;

/** A file import with its latest run, when it has one. */
export type FileImport = FileImportRow & {
  run: Pick<
    SyncRunRow,
    | "id"
    | "status"
    | "dry_run"
    | "created_count"
    | "updated_count"
    | "unchanged_count"
    | "skipped_count"
    | "failed_count"
    | "error"
    | "finished_at"
  > | null;
};

const fileImports = (ctx: Ctx) =>
  ctx.db
    .selectFrom("integration_file_imports as f")
    .leftJoin("integration_sync_runs as r", "r.id", "f.run_id")
    .selectAll("f")
    .select([
      "r.status as run_status",
      "r.dry_run as run_dry_run",
      "r.created_count as run_created",
      "r.updated_count as run_updated",
      "r.unchanged_count as run_unchanged",
      "r.skipped_count as run_skipped",
      "r.failed_count as run_failed",
      "r.error as run_error",
      "r.finished_at as run_finished_at",
    ]);

type Joined = Awaited<ReturnType<ReturnType<typeof fileImports>["executeTakeFirstOrThrow"]>>;

function withRun(row: Joined): FileImport {
  const {
    run_status,
    run_dry_run,
    run_created,
    run_updated,
    run_unchanged,
    run_skipped,
    run_failed,
    run_error,
    run_finished_at,
    ...file
  } = row;
  return {
    ...file,
    run:
      file.run_id && run_status
        ? {
            id: file.run_id,
            status: run_status,
            dry_run: run_dry_run as boolean,
            created_count: run_created as number,
            updated_count: run_updated as number,
            unchanged_count: run_unchanged as number,
            skipped_count: run_skipped as number,
            failed_count: run_failed as number,
            error: run_error,
            finished_at: run_finished_at,
          }
        : null,
  };
}

/** Where an import is: while it has a run, where its run is. */
export function importStatus(row: FileImport): FileImportStatus {
  if (!row.run) return "awaiting-mapping";
  switch (row.run.status) {
    case "queued":
      return "queued";
    case "running":
      return "processing";
    case "succeeded":
    case "partial":
      return "done";
    default:
      return "failed";
  }
}

/** An integration that takes files: of lms_type `file`; any other is refused with why. */
export function requireFileIntegration(integration: Integration): void {
  if (integration.lms_type !== "file")
    throw new AppError(
      "UNPROCESSABLE",
      `Files are imported into integrations of type file; this one is ${integration.lms_type}`,
    );
}

const asText = (cell: Cell): string | null =>
  cell === null
    ? null
    : cell instanceof Date
      ? cell.toISOString()
      : String(cell).trim() === ""
        ? null
        : String(cell);

/**
 * Stores a file for an integration of type `file` and reads its header: the import waits for
 * its mapping. Refuses files over the size or row limits (configured), and what is not a CSV or
 * an XLSX workbook; nothing is stored then.
 */
export async function createFileImport(
  ctx: Ctx,
  integration: Integration,
  file: { fileName: string; data: Buffer; origin: FileOrigin; remoteName?: string },
): Promise<FileImport> {
  requireFileIntegration(integration);
  const { maxBytes, maxRows } = ctx.config.fileImports;
  if (file.data.length > maxBytes)
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `The file is larger than ${maxBytes} bytes, the most one import takes: split it`,
      { field: "file", details: { maxBytes } },
    );
  if (!file.data.length) throw new AppError("INVALID_FILE", "The file is empty", { field: "file" });
  const fileName = file.fileName.trim().slice(0, 300) || "import.csv";
  const format = formatOf(fileName, file.data);
  const table = await readTable(format, file.data, { encoding: integration.encoding, maxRows });
  const id = newId();
  const key = `integration-files/${integration.organization_id}/${id}.${format}`;
  await ctx.storage.put(
    key,
    file.data,
    format === "csv"
      ? "text/csv"
      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  try {
    await inTransaction(ctx, async (tx) => {
      await tx.db
        .insertInto("integration_file_imports")
        .values({
          id,
          organization_id: integration.organization_id,
          integration_id: integration.id,
          file_name: fileName,
          format,
          size_bytes: file.data.length,
          storage_key: key,
          origin: file.origin,
          remote_name: file.remoteName ?? null,
          columns: JSON.stringify(table.columns),
          row_count: table.rows.length,
          samples: JSON.stringify(
            table.rows
              .slice(0, SAMPLE_ROWS)
              .map((r) => table.columns.map((_, i) => asText(r.cells[i] ?? null))),
          ),
          created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .execute();
      await audit(tx, {
        organizationId: integration.organization_id,
        action: "integration.file-import-created",
        entityType: "integration",
        entityId: integration.id,
        after: {
          fileImportId: id,
          fileName,
          format,
          sizeBytes: file.data.length,
          rows: table.rows.length,
          origin: file.origin,
        },
      });
    });
  } catch (error) {
    await ctx.storage.delete(key).catch(() => undefined);
    throw error;
  }
  return loadImport(ctx, id);
}

async function loadImport(ctx: Ctx, id: string): Promise<FileImport> {
  return withRun(await fileImports(ctx).where("f.id", "=", id).executeTakeFirstOrThrow());
}

/** An import the caller may manage (through its integration); anything else is not found. */
export async function visibleFileImport(
  ctx: Ctx,
  id: string,
): Promise<{ file: FileImport; integration: Integration }> {
  const row = await fileImports(ctx).where("f.id", "=", id).executeTakeFirst();
  const integration = row
    ? await visibleIntegration(ctx, row.integration_id).catch((error) => {
        if (error instanceof AppError && error.code === "NOT_FOUND") return null;
        throw error;
      })
    : null;
  if (!row || !integration || integration.organization_id !== row.organization_id)
    throw new AppError("NOT_FOUND", "File import not found");
  return { file: withRun(row), integration };
}

export async function listFileImports(ctx: Ctx, integrationId: string, query: PageRequest) {
  const integration = await visibleIntegration(ctx, integrationId);
  const q = fileImports(ctx)
    .where("f.integration_id", "=", integrationId)
    .where("f.organization_id", "=", integration.organization_id);
  const { rows, pagination } = await paginate(
    q,
    query,
    sortOf(query.sort, { createdAt: "f.created_at" }),
    "f.id",
  );
  return { rows: rows.map((r) => withRun(r as Joined)), pagination, integration };
}

/**
 * The mapping the next file of an integration starts from: that of its latest mapped import,
 * else `options.columnMapping` as an administrator set it on the integration.
 */
export async function savedMapping(
  ctx: Ctx,
  integration: Pick<Integration, "id" | "organization_id" | "options">,
): Promise<ColumnMapping | null> {
  const last = await ctx.db
    .selectFrom("integration_file_imports")
    .select("column_mapping")
    .where("integration_id", "=", integration.id)
    .where("organization_id", "=", integration.organization_id)
    .where("column_mapping", "is not", null)
    .orderBy("updated_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (last?.column_mapping) return last.column_mapping;
  const option = integration.options?.columnMapping;
  if (
    option &&
    typeof option === "object" &&
    Object.values(option).every((v) => typeof v === "string")
  )
    return option as ColumnMapping;
  return null;
}

/** The mapping an import shows: its own once saved, else the one suggested for its header. */
export async function mappingOf(
  ctx: Ctx,
  file: FileImportRow,
  integration: Pick<Integration, "id" | "organization_id" | "options">,
): Promise<ColumnMapping> {
  return file.column_mapping ?? suggestMapping(file.columns, await savedMapping(ctx, integration));
}

/**
 * Saves an import's mapping (the integration's default for its next files) and queues the run
 * that reads the file; a dry run first shows what the import would do. Refused while the file's
 * run is going, and once the file was imported for real.
 */
export async function startFileImport(
  ctx: Ctx,
  file: FileImport,
  mapping: ColumnMapping,
  options: { dryRun?: boolean; trigger?: SyncTrigger } = {},
): Promise<FileImport> {
  validateMapping(mapping, file.columns);
  const status = importStatus(file);
  if (status === "queued" || status === "processing")
    throw new AppError("SYNC_IN_PROGRESS", "The file is being imported: wait for its run to end");
  if (file.run && !file.run.dry_run && status === "done")
    throw new AppError("CONFLICT", "The file is already imported: upload it again to redo it");
  const integration = await visibleIntegration(ctx, file.integration_id);
  if (!integration.is_active)
    throw new AppError("CONFLICT", "The integration is inactive: activate it to import");
  if (integration.direction === "export")
    throw new AppError("CONFLICT", "The integration only sends data out: nothing to import");
  const dryRun = options.dryRun ?? false;
  await inTransaction(ctx, async (tx) => {
    const run = await requestSync(
      tx,
      { id: integration.id, organizationId: integration.organization_id },
      {
        dryRun,
        trigger: options.trigger ?? (file.origin === "sftp" ? "sftp" : "upload"),
        source: { kind: "file", fileImportId: file.id, mapping },
      },
    );
    await tx.db
      .updateTable("integration_file_imports")
      .set({
        column_mapping: JSON.stringify(mapping),
        run_id: run.id,
        status: "queued",
        result_key: null,
        updated_at: tx.clock.now(),
      })
      .where("id", "=", file.id)
      .execute();
    await audit(tx, {
      organizationId: file.organization_id,
      action: "integration.file-import-mapped",
      entityType: "integration",
      entityId: integration.id,
      before: { fileImportId: file.id, mapping: file.column_mapping },
      after: { fileImportId: file.id, mapping, runId: run.id, dryRun },
    });
  });
  return loadImport(ctx, file.id);
}

/** The stored file of an import, read as a table. */
export async function readImportTable(
  ctx: Ctx,
  file: FileImportRow,
  encoding: string | undefined,
): Promise<Table> {
  const data = await ctx.storage.get(file.storage_key);
  if (!data) throw new AppError("NOT_FOUND", "The imported file is no longer stored");
  return readTable(file.format, data, {
    encoding,
    maxRows: Math.max(file.row_count, ctx.config.fileImports.maxRows),
  });
}

/** An import's rows read through its mapping. */
export async function readImportRows(
  ctx: Ctx,
  file: FileImportRow,
  encoding: string | undefined,
): Promise<ReadRow[]> {
  const mapping = file.column_mapping;
  if (!mapping) throw new AppError("CONFLICT", "The file's columns are not mapped yet");
  const table = await readImportTable(ctx, file, encoding);
  return table.rows.map((row) => readRow(row, table.columns, mapping));
}

export const RESULT_HEADER = ["line", "email", "course", "external_id", "outcome", "reason"];

/**
 * The per-row result file of an import's run: each data row's line, email, course, external id
 * and what became of it (created, updated, unchanged, skipped, failed) with why. Written from
 * the run's report once the run has ended, stored, and served from storage after that.
 */
export async function importResult(
  ctx: Ctx,
  file: FileImport,
  integration: Integration,
): Promise<{ csv: Buffer; fileName: string }> {
  const run = file.run;
  if (!run || !run.finished_at)
    throw new AppError(
      "CONFLICT",
      "The file's import has not ended yet: its result file is written when its run ends",
    );
  const fileName = `${file.file_name.replace(/\.(csv|xlsx)$/i, "")}-result${run.dry_run ? "-dry-run" : ""}.csv`;
  if (file.result_key) {
    const stored = await ctx.storage.get(file.result_key);
    if (stored) return { csv: stored, fileName };
  }
  const rows = await readImportRows(ctx, file, integration.encoding);
  const records = await ctx.db
    .selectFrom("integration_sync_records")
    .select(["entity", "external_id", "outcome", "reason"])
    .where("run_id", "=", run.id)
    .where("organization_id", "=", file.organization_id)
    .where("entity", "in", ["course", "enrollment"])
    .orderBy("id")
    .execute();
  const enrollments = new Map<string, { outcome: string; reason: string | null }>();
  const failedCourses = new Map<string, string | null>();
  for (const r of records) {
    if (r.entity === "enrollment") enrollments.set(r.external_id, r);
    else if (r.outcome === "failed") failedCourses.set(r.external_id, r.reason);
  }
  const { replacedBy } = latestRows(rows);
  const lines = rows.map((row) => {
    const later = replacedBy.get(row.line);
    if (later !== undefined)
      return [
        row.line,
        row.email,
        row.courseKey,
        row.externalId,
        "skipped",
        `Line ${later} holds the same enrollment; that row is the one imported`,
      ];
    const record = row.problem ? null : enrollments.get(row.externalId);
    const courseFailure = row.courseKey ? failedCourses.get(row.courseKey) : undefined;
    const [outcome, reason] = row.problem
      ? ["failed", row.problem]
      : record
        ? [record.outcome, record.reason]
        : courseFailure !== undefined
          ? ["failed", `The course could not be imported: ${courseFailure ?? "no reason given"}`]
          : run.status === "failed"
            ? ["failed", `The run stopped: ${run.error ?? "no reason given"}`]
            : ["unchanged", null];
    return [row.line, row.email, row.courseKey, row.externalId, outcome, reason];
  });
  const csv = Buffer.from(toCsv(RESULT_HEADER, lines), "utf8");
  const key = `integration-files/${file.organization_id}/${file.id}-result-${run.id}.csv`;
  await ctx.storage.put(key, csv, "text/csv");
  await ctx.db
    .updateTable("integration_file_imports")
    .set({ result_key: key, status: importStatus(file), updated_at: ctx.clock.now() })
    .where("id", "=", file.id)
    .where("run_id", "=", run.id)
    .execute();
  return { csv, fileName };
}
