import { createRequire } from "node:module";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { reportDefinition } from "./definition.js";
import { renderPdf } from "./pdf.js";

const fonts = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

/** Reads a PDF with pdf.js (an independent reader): each page's size, text and text pieces. */
async function readPdf(bytes: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts })
    .promise;
  const pages = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items = content.items.flatMap((item) =>
      "str" in item && item.str.trim()
        ? [
            {
              str: item.str,
              x: item.transform[4] as number,
              y: item.transform[5] as number,
              right: (item.transform[4] as number) + item.width,
            },
          ]
        : [],
    );
    pages.push({
      width: Math.round(viewport.width),
      height: Math.round(viewport.height),
      text: content.items.map((item) => ("str" in item ? item.str : "")).join(" "),
      items,
    });
  }
  const meta = await pdf.getMetadata();
  return { pages, title: (meta.info as { Title?: string }).Title };
}

const columns = [
  { key: "course.title", label: "Course", kind: "dimension" as const, type: "string" },
  { key: "n", label: "Enrollments", kind: "measure" as const, type: "number", format: "number" },
  {
    key: "rate",
    label: "Completion rate",
    kind: "measure" as const,
    type: "number",
    format: "percent",
  },
];

describe("PDF export", () => {
  it("lays out a title, filters, a chart and a table over pages with the header repeated", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      values: { "course.title": `Course ${String(i + 1).padStart(3, "0")}`, n: i + 1, rate: 50.5 },
      total: false,
    }));
    rows.push({ values: { "course.title": null as never, n: 7260, rate: 50.5 }, total: true });
    const definition = reportDefinition.parse({
      dimensions: [{ entity: "course", fields: ["title"] }],
      measures: [
        { id: "n", type: "count" },
        { id: "rate", type: "completion-rate" },
      ],
      filters: { enrollmentStatus: ["active", "completed"] },
      visualization: { type: "bar" },
      output: {
        pageSize: "letter",
        pageOrientation: "landscape",
        headerText: "Northwind",
        footerText: "Confidential",
      },
    });
    const pdf = await readPdf(
      await renderPdf({
        name: "Completion by course",
        columns,
        rows,
        definition,
        generatedAt: new Date("2026-03-02T09:00:00Z"),
      }),
    );
    expect(pdf.title).toBe("Completion by course");
    expect(pdf.pages.length).toBeGreaterThan(3);
    for (const [i, page] of pdf.pages.entries()) {
      expect([page.width, page.height]).toEqual([792, 612]);
      expect(page.text).toContain("Course");
      expect(page.text).toContain("Completion rate");
      expect(page.text).toContain("Northwind");
      expect(page.text).toContain(`Confidential · Page ${i + 1} of ${pdf.pages.length}`);
    }
    const first = pdf.pages[0]?.text ?? "";
    expect(first).toContain("Generated 2026-03-02 09:00 UTC");
    expect(first).toContain("Enrollment status: active, completed");
    const all = pdf.pages.map((p) => p.text).join(" ");
    for (let i = 1; i <= 120; i++) expect(all).toContain(`Course ${String(i).padStart(3, "0")}`);
    expect(pdf.pages.at(-1)?.text).toContain("Total");
    expect(pdf.pages.at(-1)?.text).toContain("7,260");
    expect(all).toContain("50.5 %");
  });

  it("draws pie, line and area charts, and portrait A4 by default", async () => {
    for (const type of ["pie", "line", "area"] as const) {
      const definition = reportDefinition.parse({
        measures: [{ id: "n", type: "count" }],
        dimensions: [{ entity: "course", fields: ["title"] }],
        visualization: { type },
      });
      const pdf = await readPdf(
        await renderPdf({
          name: `Chart ${type}`,
          columns: columns.slice(0, 2),
          rows: [
            { values: { "course.title": "Safety", n: 3 }, total: false },
            { values: { "course.title": "Sales", n: 1 }, total: false },
          ],
          definition,
          generatedAt: new Date(),
        }),
      );
      expect([pdf.pages[0]?.width, pdf.pages[0]?.height]).toEqual([595, 842]);
      expect(pdf.pages[0]?.text).toContain(type === "pie" ? "Safety: 3" : "Safety");
    }
  });

  it("fits cells to their column, aligns numbers right and repeats the header over many pages", async () => {
    const long = "A learner whose name is far too long to fit in one third of an A4 page";
    const rows = Array.from({ length: 1500 }, (_, i) => ({
      values: { k: `Learner ${i}`, n: i * 1001, r: (i % 1000) / 10 },
      total: false,
    }));
    rows[1] = { values: { k: long, n: 1001, r: 0.1 }, total: false };
    rows[2] = { values: { k: "Łódź 日本", n: 2002, r: 0.2 }, total: false };
    rows.push({ values: { k: null as never, n: 1_125_750, r: 49.95 }, total: true });
    const pdf = await readPdf(
      await renderPdf({
        name: "Learners",
        columns: [
          { key: "k", label: "Learner", kind: "dimension", type: "string" },
          { key: "n", label: "Events", kind: "measure", type: "number", format: "number" },
          { key: "r", label: "Rate", kind: "measure", type: "number", format: "percent" },
        ],
        rows,
        definition: reportDefinition.parse({ measures: [{ id: "n", type: "count" }] }),
        generatedAt: new Date("2026-03-02T09:00:00Z"),
      }),
    );
    expect(pdf.pages.length).toBeGreaterThan(30);
    const columnWidth = (595.28 - 80) / 3;
    const learners: string[] = [];
    for (const [i, page] of pdf.pages.entries()) {
      expect([page.width, page.height]).toEqual([595, 842]);
      // The header row, at the same place on every page but the first.
      const header = page.items.filter((item) => ["Learner", "Events", "Rate"].includes(item.str));
      expect(header.map((item) => item.str)).toEqual(["Learner", "Events", "Rate"]);
      if (i > 0) for (const item of header) expect(item.y).toBeCloseTo(791.89, 2);
      expect(page.text).toContain(`Page ${i + 1} of ${pdf.pages.length}`);
      for (const item of page.items) {
        if (/^Learner \d+$/.test(item.str) || item.str === "Lódz ??" || item.str.endsWith("…"))
          learners.push(item.str);
        // Numbers end at their column's right edge, less the padding.
        if (/^[\d,]+$/.test(item.str)) expect(item.right).toBeCloseTo(40 + 2 * columnWidth - 3, 1);
        if (/^[\d.]+ %$/.test(item.str))
          expect(item.right).toBeCloseTo(40 + 3 * columnWidth - 3, 1);
      }
    }
    // Every row once, in order; text the font cannot draw is replaced, and text too long for
    // its column is cut with an ellipsis inside the column.
    expect(learners).toHaveLength(1500);
    expect(learners[0]).toBe("Learner 0");
    expect(learners[2]).toBe("Lódz ??");
    expect(learners.slice(3)).toEqual(Array.from({ length: 1497 }, (_, i) => `Learner ${i + 3}`));
    const cut = learners[1] ?? "";
    expect(cut.endsWith("…")).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(cut.length).toBeLessThan(long.length);
    const cutItem = pdf.pages[0]?.items.find((item) => item.str === cut);
    expect(cutItem?.right).toBeLessThanOrEqual(40 + columnWidth - 3);
    expect(pdf.pages.at(-1)?.text).toContain("Total");
    expect(pdf.pages.at(-1)?.text).toContain("1,125,750");
  });
});
