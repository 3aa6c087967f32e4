import { parse } from "csv-parse/browser/esm/sync";

/** The most rows one CSV may invite (the server's limit for a batch). */
export const MAX_CSV_ROWS = 500;

export interface CsvInvite {
  /** The row's line in the file (the header is line 1), for messages and the result file. */
  line: number;
  email: string;
  /** As written in the file: a role key or a role's name; empty for the default (learner). */
  role: string;
  message: string;
}

export type CsvProblem =
  | { kind: "unreadable"; detail: string }
  | { kind: "noEmailColumn" }
  | { kind: "empty" }
  | { kind: "tooMany"; count: number };

const EMAIL_COLUMNS = ["email", "e-mail", "email address", "mail"];
const ROLE_COLUMNS = ["role", "role key", "rolle"];
const MESSAGE_COLUMNS = ["message", "nachricht", "note"];

/**
 * Reads a CSV of people to invite: the first row names the columns (`email`, and optionally
 * `role` and `message`, in any order and case), each further row is one person. Commas or
 * semicolons separate the columns (spreadsheets in many languages write semicolons); blank
 * rows are skipped. Answers the rows, or the one problem that stops the file from being used.
 */
export function readInviteCsv(text: string): { rows: CsvInvite[] } | { problem: CsvProblem } {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.split(/\r?\n/, 1)[0] ?? "";
  const delimiter =
    (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(body, {
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    return { problem: { kind: "unreadable", detail: (error as Error).message } };
  }
  const [header, ...lines] = records;
  if (!header) return { problem: { kind: "empty" } };
  const names = header.record.map((h) => h.toLowerCase());
  const column = (candidates: string[]) => names.findIndex((n) => candidates.includes(n));
  const email = column(EMAIL_COLUMNS);
  if (email < 0) return { problem: { kind: "noEmailColumn" } };
  const role = column(ROLE_COLUMNS);
  const message = column(MESSAGE_COLUMNS);
  const rows = lines
    .map(({ record: cells, info }) => ({
      // The line the record ends on; a quoted cell may span several lines.
      line: info.lines,
      email: cells[email] ?? "",
      role: role >= 0 ? (cells[role] ?? "") : "",
      message: message >= 0 ? (cells[message] ?? "") : "",
    }))
    .filter((row) => row.email || row.role || row.message);
  if (!rows.length) return { problem: { kind: "empty" } };
  if (rows.length > MAX_CSV_ROWS) return { problem: { kind: "tooMany", count: rows.length } };
  return { rows };
}

/** A CSV cell: quoted when it holds a separator, a quote or a line break. */
function cell(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The result file: each row of the upload with what became of it. */
export function resultCsv(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
