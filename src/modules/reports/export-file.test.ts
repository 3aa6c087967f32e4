import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { parse } from "csv-parse/sync";
import JSZip from "jszip";
import { afterAll, describe, expect, it } from "vitest";
import type { Column, ReportRow } from "./compile.js";
import { reportDefinition } from "./definition.js";
import { type OutputFormat, openReportFile, PDF_MAX_ROWS } from "./export-file.js";

/**
 * Report files written batch by batch, read back with independent readers: the file must hold
 * every row once, in order, whatever the batches were, and its recorded size and checksum must
 * be the file's own.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), "lyceum-export-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns: Column[] = [
  { key: "learner.name", label: "Learner", kind: "dimension", type: "string" },
  { key: "n", label: "Events", kind: "measure", type: "number", format: "number" },
  { key: "n%", label: "Events (% of total)", kind: "measure", type: "number", format: "percent" },
];
const definition = reportDefinition.parse({
  measures: [{ id: "n", type: "event-count" }],
  output: { csvBom: true },
});
const rows: ReportRow[] = Array.from({ length: 12_345 }, (_, i) => ({
  values: { "learner.name": `=Learner "${i}",\r\nx`, n: i, "n%": (i % 100) / 4 },
  total: false,
  kind: "detail",
}));
rows.push({
  values: { "learner.name": null, n: 76_193_340, "n%": 100 },
  total: true,
  kind: "total",
});

async function write(format: OutputFormat, batch: number) {
  const file = openReportFile(
    { name: "Activity", format, base: "activity", columns, definition, generatedAt: new Date(0) },
    path.join(dir, `${format}-${batch}`),
  );
  for (let i = 0; i < rows.length; i += batch) await file.write(rows.slice(i, i + batch));
  const written = await file.finish();
  const bytes = readFileSync(written.path);
  expect(written.size).toBe(bytes.length);
  expect(written.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  expect(written.rows).toBe(rows.length);
  return bytes;
}

describe("report files written in batches", () => {
  it("CSV: a byte-order mark, a header, every row once with formulas defused, the total marked", async () => {
    const bytes = await write("csv", 1_000);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = bytes.toString("utf8").slice(1).split("\r\n");
    expect(lines[0]).toBe(",Learner,Events,Events (% of total)");
    // A field with a line break is quoted, so the text holds two "lines" per learner.
    expect(lines[1]).toBe(',"\'=Learner ""0"",');
    expect(lines[2]).toBe('x",0,0');
    expect(lines.at(-2)).toBe("Total,,76193340,100");
    // The same bytes whatever the batch size.
    expect((await write("csv", 7)).equals(bytes)).toBe(true);
    // An independent RFC 4180 reader gets every field back.
    const records = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
    expect(records).toHaveLength(rows.length + 1);
    expect(records[0]).toEqual(["", "Learner", "Events", "Events (% of total)"]);
    expect(records[1]).toEqual(["", `'=Learner "0",\r\nx`, "0", "0"]);
    expect(records.at(-1)).toEqual(["Total", "", "76193340", "100"]);
  });

  it("JSON: one document with the columns and every row", async () => {
    const doc = JSON.parse((await write("json", 999)).toString("utf8"));
    expect(doc).toMatchObject({ name: "Activity", base: "activity", columns });
    expect(doc.rows).toEqual(rows);
  });

  it("XLSX: every row typed, the total bold-styled and last", async () => {
    const zip = await JSZip.loadAsync(await write("excel", 2_000));
    const sheet = new DOMParser().parseFromString(
      (await zip.file("xl/worksheets/sheet1.xml")?.async("string")) ?? "",
      "text/xml",
    );
    const sheetRows = [...sheet.getElementsByTagName("row")];
    expect(sheetRows).toHaveLength(rows.length + 1);
    const text = (c: Element | undefined) =>
      c?.getElementsByTagName("t")[0]?.textContent ?? c?.getElementsByTagName("v")[0]?.textContent;
    const cells = (r: Element | undefined) => [...(r?.getElementsByTagName("c") ?? [])];
    expect(cells(sheetRows[0]).map(text)).toEqual(["Learner", "Events", "Events (% of total)"]);
    const tenth = cells(sheetRows[10]);
    // XML readers normalize a written CR LF to LF.
    expect(tenth.map(text)).toEqual(['=Learner "9",\nx', "9", "2.25"]);
    expect(tenth[1]?.getAttribute("t")).toBeNull(); // a number, not text
    expect(cells(sheetRows.at(-1)).map(text)).toEqual(["Total", "76193340", "100"]);
  });

  it("PDF: refuses more rows than a readable document holds", async () => {
    const file = openReportFile(
      {
        name: "Huge",
        format: "pdf",
        base: "activity",
        columns,
        definition,
        generatedAt: new Date(),
      },
      path.join(dir, "huge.pdf"),
    );
    const many = Array.from({ length: PDF_MAX_ROWS }, () => rows[0] as ReportRow);
    await file.write(many);
    await expect(file.write(rows.slice(0, 1))).rejects.toMatchObject({ code: "UNPROCESSABLE" });
  });
});
