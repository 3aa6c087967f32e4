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

/**
 * Whether lines read back from a PDF are `value` in full, in order. A reader drops the spaces
 * a line ends with, so a break may stand for a space or for none (a word broken in two).
 */
function readsAs(lines: string[], value: string): boolean {
  let at = 0;
  for (const line of lines) {
    while (value[at] === " ") at++;
    if (!value.startsWith(line, at)) return false;
    at += line.length;
  }
  return value.slice(at).trim() === "";
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

  it("wraps cells in their column, aligns numbers right and repeats the header over many pages", async () => {
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
        if (/^Learner \d+$/.test(item.str) || item.str === "Lódz ??") learners.push(item.str);
        // Numbers end at their column's right edge, less the padding.
        if (/^[\d,]+$/.test(item.str)) expect(item.right).toBeCloseTo(40 + 2 * columnWidth - 3, 1);
        if (/^[\d.]+ %$/.test(item.str))
          expect(item.right).toBeCloseTo(40 + 3 * columnWidth - 3, 1);
      }
    }
    // Every other row once, in order; text the font cannot draw is replaced.
    expect(learners).toHaveLength(1499);
    expect(learners[0]).toBe("Learner 0");
    expect(learners[1]).toBe("Lódz ??");
    expect(learners.slice(2)).toEqual(Array.from({ length: 1497 }, (_, i) => `Learner ${i + 3}`));
    // Text too long for its column wraps inside it, whole, and pushes the next row down.
    const first = pdf.pages[0]?.items ?? [];
    const wrapped = first.filter((item) => item.x < 40 + columnWidth && long.includes(item.str));
    expect(wrapped.length).toBeGreaterThan(1);
    expect(
      readsAs(
        wrapped.map((item) => item.str),
        long,
      ),
    ).toBe(true);
    for (const item of wrapped) expect(item.right).toBeLessThanOrEqual(40 + columnWidth - 3);
    const next = first.find((item) => item.str === "Lódz ??");
    expect(next?.y).toBeCloseTo((wrapped.at(-1)?.y ?? 0) - 16, 2);
    expect(first.some((item) => item.str.includes("…"))).toBe(false);
    expect(pdf.pages.at(-1)?.text).toContain("Total");
    expect(pdf.pages.at(-1)?.text).toContain("1,125,750");
  });

  it("shows every long email and title in full, moving rows whole to the next page", async () => {
    const email = (i: number) =>
      i % 3 ? `learner${i}@example.com` : `firstname.lastname.${i}@northwind-logistics.example.com`;
    const title = (i: number) =>
      i % 2
        ? `Course ${i}`
        : `Workplace Safety Essentials ${i}: hazards, reporting, first response and the habits that keep everyone safe`;
    // One value taller than a page: it alone may run over onto the next page.
    const synopsis = Array.from(
      { length: 160 },
      (_, i) => `Part ${i + 1} covers the ${i % 2 ? "reporting" : "hazard"} steps in turn.`,
    ).join(" ");
    const count = 400;
    const rows = Array.from({ length: count }, (_, i) => ({
      values: { email: email(i), title: i === 200 ? synopsis : title(i), n: i },
      total: false,
    }));
    const pdf = await readPdf(
      await renderPdf({
        name: "Learners and their courses",
        columns: [
          { key: "email", label: "Email", kind: "dimension", type: "string" },
          { key: "title", label: "Course", kind: "dimension", type: "string" },
          { key: "n", label: "Events", kind: "measure", type: "number", format: "number" },
        ],
        rows,
        definition: reportDefinition.parse({ measures: [{ id: "n", type: "count" }] }),
        generatedAt: new Date("2026-03-02T09:00:00Z"),
      }),
    );
    // Read the table back row by row: a row starts at its Events number and takes the lines
    // of the other columns below it, on its page and, when it runs over, the next ones.
    const columnWidth = (595.28 - 80) / 3;
    const read: Array<{ email: string[]; title: string[]; pages: Set<number> }> = [];
    for (const [p, page] of pdf.pages.entries()) {
      const headerY = Math.max(
        ...page.items.filter((item) => item.str === "Events").map((item) => item.y),
      );
      // Top to bottom; on a row's first line its number first.
      const cells = page.items
        .filter((item) => item.x > 41 && item.y < headerY - 1 && item.y > 30)
        .map((item) => ({ ...item, column: Math.floor((item.x - 40) / columnWidth) }))
        .sort((a, b) => b.y - a.y || b.column - a.column);
      for (const { column, ...item } of cells) {
        if (column === 2) {
          expect(item.str).toBe(String(read.length).replace(/\B(?=(\d{3})+$)/g, ","));
          read.push({ email: [], title: [], pages: new Set() });
          continue;
        }
        const row = read.at(-1);
        if (!row) throw new Error(`text before the first row: ${item.str}`);
        (column === 0 ? row.email : row.title).push(item.str);
        row.pages.add(p);
        // Inside its column, less the padding.
        if (item.right > 40 + (column + 1) * columnWidth - 3 + 0.01)
          console.log(JSON.stringify(item));
        expect(item.right).toBeLessThanOrEqual(40 + (column + 1) * columnWidth - 3 + 0.01);
      }
    }
    expect(read).toHaveLength(count);
    const unreadable = read.flatMap((row, i) => [
      ...(readsAs(row.email, email(i)) ? [] : [`row ${i} email: ${row.email.join(" | ")}`]),
      ...(readsAs(row.title, rows[i]?.values.title ?? "")
        ? []
        : [`row ${i} title: ${row.title.join(" | ")}`]),
    ]);
    expect(unreadable).toEqual([]);
    // Long emails and titles take several lines; nothing is cut short.
    expect(read[0]?.email.length).toBeGreaterThan(1);
    expect(read[0]?.title.length).toBeGreaterThan(1);
    expect(read[1]?.email).toEqual(["learner1@example.com"]);
    expect(pdf.pages.some((page) => page.text.includes("…"))).toBe(false);
    // Every row on one page, but the one taller than a page.
    const split = read.flatMap((row, i) => (row.pages.size > 1 ? [i] : []));
    expect(split).toEqual([200]);
    expect(read[200]?.title.length).toBeGreaterThan(70);
    for (const [i, page] of pdf.pages.entries())
      expect(page.text).toContain(`Page ${i + 1} of ${pdf.pages.length}`);
  });
});
