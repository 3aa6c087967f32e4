import { DOMParser } from "@xmldom/xmldom";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { processNextReportJob } from "./runner.js";

/**
 * XLSX files read back with an independent reader: the zip opened with JSZip and the sheet's
 * XML parsed as the Office Open XML standard lays it out (not with the library that wrote it).
 */

let t: TestApp;
let world: Awaited<ReturnType<typeof reportWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  world = await reportWorld(t);
});
afterAll(() => t.close());

async function readXlsx(body: Buffer) {
  const zip = await JSZip.loadAsync(body);
  const xml = async (name: string) =>
    new DOMParser().parseFromString((await zip.file(name)?.async("string")) ?? "<x/>", "text/xml");
  const strings = [...(await xml("xl/sharedStrings.xml")).getElementsByTagName("si")].map(
    (si) => si.textContent ?? "",
  );
  const sheet = await xml("xl/worksheets/sheet1.xml");
  const cells = new Map<
    string,
    { value: string | number; type: string | null; style: string | null }
  >();
  for (const c of [...sheet.getElementsByTagName("c")]) {
    const v = c.getElementsByTagName("v")[0]?.textContent ?? "";
    const type = c.getAttribute("t");
    cells.set(c.getAttribute("r") ?? "", {
      value:
        type === "s"
          ? (strings[Number(v)] ?? "")
          : type === "str" || type === "inlineStr"
            ? v
            : Number(v),
      type,
      style: c.getAttribute("s"),
    });
  }
  return {
    cells,
    sheet,
    styles: (await zip.file("xl/styles.xml")?.async("string")) ?? "",
  };
}

describe("XLSX export", () => {
  it("writes typed cells, number formats, conditional formatting, totals and the page's header", async () => {
    const res = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-jobs`,
      {
        name: "Completion & progress",
        outputFormat: "excel",
        definition: {
          dimensions: [{ entity: "course", fields: ["title"] }],
          measures: [
            { id: "n", type: "count" },
            {
              id: "rate",
              type: "completion-rate",
              conditionalFormatting: [
                { condition: "gte", value: 50, color: "#1a7f37", bold: true },
                { condition: "lt", value: 50, color: "#cf222e" },
              ],
            },
          ],
          display: { showTotals: true, sortBy: "course.title" },
          output: { headerText: "Q1 compliance", pageOrientation: "landscape", pageSize: "letter" },
        },
      },
      world.who.viewer,
    );
    expect(res.status).toBe(201);
    const job = await processNextReportJob(t.lyceum.services, "xlsx-worker");
    expect(job).toMatchObject({
      status: "ready",
      content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      file_name: "Completion-progress.xlsx",
    });
    const { cells, sheet, styles } = await readXlsx(
      (await t.storage.get(job?.file_key as string)) as Buffer,
    );
    expect(["A1", "B1", "C1"].map((r) => cells.get(r)?.value)).toEqual([
      "Title",
      "Count",
      "Completion rate",
    ]);
    expect(["A2", "B2", "C2"].map((r) => cells.get(r)?.value)).toEqual(["Safety basics", 4, 50]);
    expect(["A3", "B3", "C3"].map((r) => cells.get(r)?.value)).toEqual(["Sales craft", 3, 33.33]);
    expect(["A4", "B4", "C4"].map((r) => cells.get(r)?.value)).toEqual(["Total", 7, 42.86]);
    // Numbers are numeric cells, not text.
    expect(cells.get("B2")?.type).toBeNull();
    expect(cells.get("C3")?.type).toBeNull();
    expect(styles).toContain('formatCode="#,##0.00&quot; %&quot;"');
    const rules = [...sheet.getElementsByTagName("cfRule")].map((r) => [
      r.getAttribute("operator"),
      r.getElementsByTagName("formula")[0]?.textContent,
    ]);
    expect(sheet.getElementsByTagName("conditionalFormatting")[0]?.getAttribute("sqref")).toBe(
      "C2:C4",
    );
    expect(rules).toEqual([
      ["greaterThanOrEqual", "50"],
      ["lessThan", "50"],
    ]);
    expect(sheet.getElementsByTagName("oddHeader")[0]?.textContent).toBe("&LQ1 compliance");
    expect(sheet.getElementsByTagName("pageSetup")[0]?.getAttribute("orientation")).toBe(
      "landscape",
    );
    expect(sheet.getElementsByTagName("pane")[0]?.getAttribute("state")).toBe("frozen");
  });
});
