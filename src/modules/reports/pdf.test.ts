import { createRequire } from "node:module";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { reportDefinition } from "./definition.js";
import { renderPdf } from "./pdf.js";

const fonts = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

/** Reads a PDF with pdf.js (an independent reader): each page's size and text. */
async function readPdf(bytes: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts })
    .promise;
  const pages = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    pages.push({
      width: Math.round(viewport.width),
      height: Math.round(viewport.height),
      text: content.items.map((item) => ("str" in item ? item.str : "")).join(" "),
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
});
