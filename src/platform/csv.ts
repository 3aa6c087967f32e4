/**
 * RFC 4180 CSV. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or
 * a carriage return) gets a leading apostrophe, so a learner named "=HYPERLINK(…)" stays a name.
 */

export type CsvValue = string | number | null;

function field(v: CsvValue): string {
  const raw = v === null ? "" : String(v);
  const text = typeof v === "string" && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, with its CRLF line ending. */
export const csvLine = (values: CsvValue[]): string => `${values.map(field).join(",")}\r\n`;

/** A whole file: the header, then the rows. */
export const toCsv = (header: string[], rows: CsvValue[][]): string =>
  [header, ...rows].map(csvLine).join("");
