import ExcelJS from "exceljs";
import { parseCsv } from "../../../platform/csv.js";
import { AppError } from "../../../platform/http/errors.js";
import type { FileFormat } from "./schema.js";

/**
 * An imported file as a table: its header names and its data rows, each with the line it is on
 * (the header is line 1). A CSV's cells are text; an XLSX's keep their types (numbers, dates).
 */

export type Cell = string | number | Date | boolean | null;

export interface TableRow {
  /** The row's line in the file: the spreadsheet's row number, or the CSV record's (header 1). */
  line: number;
  cells: Cell[];
}

export interface Table {
  columns: string[];
  rows: TableRow[];
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The format of an uploaded file, from its bytes and then its name: a ZIP container is an XLSX
 * workbook, text is CSV. Anything else (an old `.xls`, a PDF, an image) answers 415.
 */
export function formatOf(fileName: string, data: Buffer): FileFormat {
  const name = fileName.toLowerCase();
  if (data.subarray(0, 4).equals(ZIP)) return "xlsx";
  if (name.endsWith(".xlsx"))
    throw new AppError("INVALID_FILE", "The file is named .xlsx but is not an XLSX workbook", {
      field: "file",
    });
  if (/\.(xls|xlsm|ods|pdf|zip|docx?)$/.test(name) || data.includes(0))
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send a CSV file or an XLSX workbook", {
      field: "file",
    });
  return "csv";
}

/** Reads the whole file (header and rows); refuses it above `maxRows` data rows. */
export async function readTable(
  format: FileFormat,
  data: Buffer,
  options: { encoding?: string; maxRows: number },
): Promise<Table> {
  const table = format === "xlsx" ? await readXlsx(data) : readCsv(data, options.encoding);
  if (!table.columns.length)
    throw new AppError("INVALID_FILE", "The file is empty: it needs a header row of column names", {
      field: "file",
    });
  const seen = new Set<string>();
  for (const [i, name] of table.columns.entries()) {
    if (!name)
      throw new AppError("INVALID_FILE", `Column ${i + 1} of the header row has no name`, {
        field: "file",
      });
    if (seen.has(name))
      throw new AppError("INVALID_FILE", `The header names the column "${name}" twice`, {
        field: "file",
      });
    seen.add(name);
  }
  if (table.rows.length > options.maxRows)
    throw new AppError(
      "INVALID_FILE",
      `The file has ${table.rows.length} rows; at most ${options.maxRows} are imported from one file: split it`,
      { field: "file", details: { rows: table.rows.length, maxRows: options.maxRows } },
    );
  return table;
}

function decode(data: Buffer, encoding = "utf-8"): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    decoder = new TextDecoder("utf-8", { fatal: true });
  }
  try {
    return decoder.decode(data);
  } catch {
    throw new AppError(
      "INVALID_FILE",
      `The file is not ${decoder.encoding} text: save it as CSV in that encoding, or set the integration's encoding`,
      { field: "file" },
    );
  }
}

function readCsv(data: Buffer, encoding?: string): Table {
  let records: string[][];
  try {
    records = parseCsv(decode(data, encoding));
  } catch {
    throw new AppError("INVALID_FILE", "The CSV is malformed: a quoted field is not closed", {
      field: "file",
    });
  }
  const [header, ...rest] = records;
  return {
    columns: (header ?? []).map((h) => h.trim()),
    rows: rest.map((cells, i) => ({ line: i + 2, cells: cells.map((c) => c) })),
  };
}

/** A cell of exceljs as a plain value: rich text as its text, a formula as its result. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  if (value instanceof Date) return value;
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("hyperlink" in value)
      return typeof value.text === "string" ? value.text : String(value.hyperlink);
    if ("result" in value)
      return value.result === undefined ? null : cellValue(value.result as ExcelJS.CellValue);
    if ("error" in value) return null;
  }
  return String(value);
}

async function readXlsx(data: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError("INVALID_FILE", "The XLSX workbook could not be read", { field: "file" });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { columns: [], rows: [] };
  let columns: string[] | null = null;
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values: Cell[] = [];
    // exceljs numbers cells from 1; `values[0]` is empty.
    const raw = row.values as ExcelJS.CellValue[];
    for (let i = 1; i < raw.length; i++) values.push(cellValue(raw[i]));
    if (!columns) {
      columns = values.map((v) => (v === null ? "" : String(v).trim()));
      while (columns.length && columns[columns.length - 1] === "") columns.pop();
      return;
    }
    if (values.every((v) => v === null || v === "")) return;
    rows.push({ line, cells: values });
  });
  return { columns: columns ?? [], rows };
}
