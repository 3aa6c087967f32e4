import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { csvLine } from "../../platform/csv.js";
import { AppError } from "../../platform/http/errors.js";
import type { LocalFile } from "../../platform/storage/storage.js";
import type { Column } from "./compile.js";
import type { ReportDefinition } from "./definition.js";
import { type FileRow, isOther, OTHER_LABEL, ROW_MARK, rowKind } from "./labels.js";
import { renderPdf } from "./pdf.js";
import { xlsxWriter } from "./xlsx.js";

/**
 * Writes a report file row batch by row batch onto local disk, measuring its size and SHA-256 on
 * the way. CSV, JSON and XLSX stream: memory holds one batch, however long the report. A PDF is
 * laid out as a whole document, so its rows are kept until the end, up to PDF_MAX_ROWS.
 */

export type OutputFormat = "csv" | "excel" | "json" | "pdf";

export const FORMATS: Record<OutputFormat, { contentType: string; extension: string }> = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
  excel: {
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension: "xlsx",
  },
  json: { contentType: "application/json", extension: "json" },
  pdf: { contentType: "application/pdf", extension: "pdf" },
};

/** About 2,100 pages of table: beyond it a PDF stops being a document anyone reads. */
export const PDF_MAX_ROWS = 100_000;

export interface ReportFileInput {
  name: string;
  format: OutputFormat;
  base: string;
  columns: Column[];
  definition: ReportDefinition;
  generatedAt: Date;
}

export interface ReportFileWriter {
  write(rows: FileRow[]): Promise<void>;
  /** Closes the file; answers what was written. */
  finish(): Promise<LocalFile & { rows: number }>;
  /** Gives up on an unfinished file: closes it without waiting (the caller removes it). */
  abort(): void;
}

const cellText = (v: unknown): string | number | null =>
  v === null || v === undefined ? null : typeof v === "number" ? v : String(v);

export function openReportFile(input: ReportFileInput, path: string): ReportFileWriter {
  const out = new PassThrough();
  const hash = createHash("sha256");
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const written = pipeline(out, tap, createWriteStream(path));
  // Surface a write failure (disk full) at the next write or at finish.
  let failure: unknown = null;
  written.catch((error) => {
    failure = error;
  });
  const send = async (text: string | Buffer) => {
    if (failure) throw failure;
    if (!out.write(text)) await once(out, "drain");
  };
  const waitForRoom = async () => {
    if (failure) throw failure;
    if (out.writableNeedDrain) await once(out, "drain");
  };
  let rows = 0;
  const keys = input.columns.map((c) => c.key);

  let write: (batch: FileRow[]) => Promise<void>;
  let close: () => Promise<void>;
  if (input.format === "csv") {
    // Excel on Windows reads UTF-8 only after a byte-order mark.
    let head = input.definition.output?.csvBom ? "\uFEFF" : "";
    // The first column marks subtotal and total rows ("Subtotal", "Total"): their keys are
    // blank where the row covers all their values.
    head += csvLine(["", ...input.columns.map((c) => c.label)]);
    let started = false;
    write = async (batch) => {
      let text = started ? "" : head;
      started = true;
      for (const r of batch)
        text += csvLine([
          ROW_MARK[rowKind(r)],
          ...keys.map((k) => (isOther(r, k) ? OTHER_LABEL : cellText(r.values[k]))),
        ]);
      await send(text);
    };
    close = async () => {
      if (!started) await send(head);
    };
  } else if (input.format === "json") {
    const head = `{"name":${JSON.stringify(input.name)},"generatedAt":${JSON.stringify(input.generatedAt.toISOString())},"base":${JSON.stringify(input.base)},"columns":${JSON.stringify(input.columns)},"rows":[`;
    let started = false;
    write = async (batch) => {
      if (!batch.length) return;
      const text = batch.map((r) => JSON.stringify(r)).join(",");
      await send(started ? `,${text}` : head + text);
      started = true;
    };
    close = async () => {
      await send(started ? "]}" : `${head}]}`);
    };
  } else if (input.format === "excel") {
    const sheet = xlsxWriter(input, out);
    write = async (batch) => {
      sheet.add(batch);
      await sheet.settle();
      await waitForRoom();
    };
    close = () => sheet.finish();
  } else {
    const kept: FileRow[] = [];
    write = async (batch) => {
      if (kept.length + batch.length > PDF_MAX_ROWS)
        throw new AppError(
          "UNPROCESSABLE",
          `A PDF holds at most ${PDF_MAX_ROWS.toLocaleString("en")} rows; export this report as CSV or Excel, or add filters`,
        );
      kept.push(...batch);
    };
    close = async () => {
      await send(await renderPdf({ ...input, rows: kept }));
    };
  }

  return {
    async write(batch) {
      await write(batch);
      rows += batch.length;
    },
    async finish() {
      await close();
      out.end();
      await written;
      return { path, size, sha256: hash.digest("hex"), rows };
    },
    abort() {
      if (!out.writableFinished) out.destroy();
    },
  };
}
