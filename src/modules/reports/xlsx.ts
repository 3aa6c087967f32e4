import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import type { Column } from "./compile.js";
import type { ReportDefinition } from "./definition.js";
import { type FileRow, isOther, labelColumn, OTHER_LABEL, ROW_MARK, rowKind } from "./labels.js";

/**
 * Writes a report as an XLSX workbook with exceljs's streaming writer: typed cells (numbers stay
 * numbers, dates are dates), number formats from the measures' formats, the measures'
 * conditional formatting, bold totals and subtotals, a frozen header, and the definition's page setup, header
 * and footer.
 */

const PAPER: Record<string, number> = { letter: 1, legal: 5, a4: 9 };
const OPERATOR = {
  gt: "greaterThan",
  gte: "greaterThanOrEqual",
  lt: "lessThan",
  lte: "lessThanOrEqual",
  eq: "equal",
  between: "between",
} as const;

function numberFormat(column: Column, decimals: number | undefined): string | undefined {
  const places =
    decimals ?? (column.format === "percent" ? 2 : column.format === "duration" ? 0 : 2);
  const fixed = places ? `0.${"0".repeat(places)}` : "0";
  if (column.granularity) return column.granularity === "hour" ? "yyyy-mm-dd hh:mm" : "yyyy-mm-dd";
  if (column.kind !== "measure") return column.type === "date" ? "yyyy-mm-dd hh:mm" : undefined;
  if (column.format === "percent") return `#,##${fixed}" %"`;
  if (column.format === "duration") return `#,##${fixed}" s"`;
  if (column.format === "currency") return `#,##0.00`;
  return `#,##${fixed}`;
}

/** Escapes text for an Excel header or footer, where & starts a code. */
const headerText = (text: string) => text.replaceAll("&", "&&");

const columnLetter = (n: number): string =>
  n < 26
    ? String.fromCharCode(65 + n)
    : columnLetter(Math.floor(n / 26) - 1) + columnLetter(n % 26);

interface XlsxInput {
  name: string;
  columns: Column[];
  definition: ReportDefinition;
}

/**
 * A workbook written to `out` as rows arrive: each row is committed and leaves memory, and
 * strings are written inline (a shared-strings table would grow with the report).
 */
export function xlsxWriter(input: XlsxInput, out: Writable) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = "Lyceum";
  const output = input.definition.output;
  const sheet = workbook.addWorksheet(
    input.name.slice(0, 31).replace(/[\\/?*[\]:]/g, "-") || "Report",
    {
      views: [{ state: "frozen", ySplit: 1 }],
      pageSetup: {
        orientation: output?.pageOrientation ?? "portrait",
        paperSize: PAPER[output?.pageSize ?? "a4"] as 9,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      },
      headerFooter: {
        oddHeader: `&L${headerText(output?.headerText ?? input.name)}`,
        oddFooter: `&L${headerText(output?.footerText ?? "Lyceum")}&RPage &P of &N`,
      },
    },
  );
  const measures = new Map(input.definition.measures.map((m) => [m.id, m]));
  const columns = input.columns;
  sheet.columns = columns.map((c) => ({
    header: c.label,
    key: c.key,
    width: Math.min(40, Math.max(10, c.label.length + 2)),
    style: { numFmt: numberFormat(c, measures.get(c.key)?.decimals) },
  }));
  sheet.getRow(1).font = { bold: true };
  let count = 0;
  return {
    add(rows: FileRow[]): void {
      for (const row of rows) {
        const label = labelColumn(row, columns);
        const values = columns.map((c) => {
          if (c.key === label) return ROW_MARK[rowKind(row)];
          if (isOther(row, c.key)) return OTHER_LABEL;
          const v = row.values[c.key];
          if (v === null || v === undefined) return null;
          // A time bucket is a local date or time: the cell holds that wall-clock value (Excel
          // dates have no zone; exceljs writes a Date's UTC fields).
          if (c.granularity && typeof v === "string")
            return new Date(`${v.length === 10 ? `${v}T00:00` : v}:00Z`);
          if (c.type === "date" && typeof v === "string") return new Date(v);
          return v;
        });
        const added = sheet.addRow(values);
        if (row.total) added.font = { bold: true };
        added.commit();
      }
      count += rows.length;
    },
    /**
     * Waits while the sheet's compressor is behind. exceljs writes rows into the zip entry
     * without heeding backpressure, so without this pause a fast producer would pile the whole
     * uncompressed sheet up in memory.
     */
    async settle(): Promise<void> {
      // The entry is archiver's stream (readable-stream), which predates writableNeedDrain.
      type Entry = Writable & { _writableState?: { needDrain?: boolean } };
      const entry = (sheet as unknown as { stream?: { pipes?: Entry[] } }).stream?.pipes?.[0];
      if (entry?._writableState?.needDrain) await once(entry, "drain");
    },
    /** Adds the conditional formatting (which needs the row count) and closes the file. */
    async finish(): Promise<void> {
      const last = count + 1;
      if (count)
        columns.forEach((c, i) => {
          const rules = measures.get(c.key)?.conditionalFormatting ?? [];
          if (!rules.length) return;
          const letter = columnLetter(i);
          sheet.addConditionalFormatting({
            ref: `${letter}2:${letter}${last}`,
            rules: rules.map((rule, priority) => ({
              type: "cellIs",
              priority: priority + 1,
              // OOXML has all six; exceljs's typings list four of them.
              operator: OPERATOR[rule.condition] as "between",
              formulae:
                rule.condition === "between"
                  ? [rule.value, rule.valueEnd ?? rule.value]
                  : [rule.value],
              style: {
                font: {
                  color: { argb: `FF${rule.color.slice(1).toUpperCase()}` },
                  bold: rule.bold ?? false,
                },
              },
            })),
          });
        });
      await sheet.commit();
      await workbook.commit();
    },
  };
}

/** A whole workbook in memory (small reports, tests). */
export async function renderXlsx(input: XlsxInput & { rows: FileRow[] }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on("data", (c: Buffer) => chunks.push(c));
  const finished = new Promise((resolve) => out.on("end", resolve));
  const writer = xlsxWriter(input, out);
  writer.add(input.rows);
  await writer.finish();
  await finished;
  return Buffer.concat(chunks);
}
