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

/**
 * Parses RFC 4180 text (quoted fields, doubled quotes, CRLF or LF line ends) into rows of
 * fields. A byte-order mark is skipped; blank lines are dropped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let fieldText = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(fieldText);
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    fieldText = "";
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        fieldText += '"';
        i++;
      } else if (c === '"') quoted = false;
      else fieldText += c;
    } else if (c === '"' && fieldText === "") quoted = true;
    else if (c === ",") {
      row.push(fieldText);
      fieldText = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else fieldText += c;
  }
  if (quoted) throw new Error("A quoted field is not closed");
  if (fieldText !== "" || row.length) endRow();
  return rows;
}
