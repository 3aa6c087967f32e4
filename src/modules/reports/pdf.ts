import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { printable } from "../../platform/pdf-text.js";
import type { Column } from "./compile.js";
import type { ReportDefinition } from "./definition.js";

/**
 * Writes a report as a PDF: a title, when it was made and what it was filtered by, a chart for
 * bar, line, pie and area visualizations, then the table — page after page, its header repeated
 * at the top of each — on the page size and orientation the definition asks for.
 */

type Row = { values: Record<string, unknown>; total: boolean };

const SIZES: Record<string, [number, number]> = {
  a4: [595.28, 841.89],
  letter: [612, 792],
  legal: [612, 1008],
};
const MARGIN = 40;
const ROW = 16;
const PALETTE = [
  rgb(0.16, 0.38, 0.68),
  rgb(0.9, 0.49, 0.13),
  rgb(0.2, 0.6, 0.33),
  rgb(0.75, 0.22, 0.24),
  rgb(0.5, 0.36, 0.7),
  rgb(0.55, 0.55, 0.55),
];

function text(value: unknown, column: Column): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    const n = Number.isInteger(value)
      ? value.toLocaleString("en")
      : value.toLocaleString("en", { maximumFractionDigits: 2 });
    return column.format === "percent" ? `${n} %` : column.format === "duration" ? `${n} s` : n;
  }
  if (column.type === "date" && typeof value === "string")
    return value.slice(0, 16).replace("T", " ");
  return String(value);
}

function clip(font: PDFFont, value: string, size: number, width: number): string {
  let out = printable(font, value);
  if (font.widthOfTextAtSize(out, size) <= width) return out;
  while (out.length > 1 && font.widthOfTextAtSize(`${out}…`, size) > width) out = out.slice(0, -1);
  return printable(font, `${out}…`);
}

function filterSummary(definition: ReportDefinition): string[] {
  const f = definition.filters;
  const lines: string[] = [];
  const list = (label: string, values?: unknown[]) => {
    if (values?.length)
      lines.push(
        `${label}: ${values.length > 5 ? `${values.length} selected` : values.join(", ")}`,
      );
  };
  list("Courses", f.courseIds);
  list("Classes", f.classIds);
  list("Departments", f.departmentIds);
  list("Learners", f.learnerIds);
  list("Instructors", f.instructorIds);
  list("Enrollment status", f.enrollmentStatus);
  list("Completion", f.completionStatus);
  list("Activity", f.activityTypes);
  list("Pass status", f.passStatus);
  if (f.dateRange) lines.push(`${f.dateRange.field}: ${f.dateRange.start} to ${f.dateRange.end}`);
  if (f.scoreRange) lines.push(`Score: ${f.scoreRange.min ?? 0} to ${f.scoreRange.max ?? 100}`);
  for (const c of f.customFilters ?? [])
    lines.push(
      `${c.field} ${c.operator} ${Array.isArray(c.value) ? c.value.join(", ") : (c.value ?? "")}${c.valueEnd !== undefined ? ` and ${c.valueEnd}` : ""}`,
    );
  return lines.length ? lines : ["No filters"];
}

interface ChartInput {
  page: PDFPage;
  font: PDFFont;
  type: "bar" | "line" | "pie" | "area";
  labels: string[];
  values: number[];
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A simple chart of the first measure by the first key, from the report's rows. */
function drawChart({ page, font, type, labels, values, x, y, width, height }: ChartInput) {
  const max = Math.max(...values, 0) || 1;
  const axis = rgb(0.4, 0.4, 0.4);
  if (type === "pie") {
    const total = values.reduce((a, b) => a + Math.max(0, b), 0) || 1;
    const r = Math.min(height, width / 2) / 2;
    const cx = x + r + 10;
    const cy = y - r - 10;
    let angle = -Math.PI / 2;
    values.forEach((v, i) => {
      const sweep = (Math.max(0, v) / total) * Math.PI * 2;
      if (sweep <= 0) return;
      const end = angle + sweep;
      const [x1, y1, x2, y2] = [
        Math.cos(angle) * r,
        Math.sin(angle) * r,
        Math.cos(end) * r,
        Math.sin(end) * r,
      ];
      const large = sweep > Math.PI ? 1 : 0;
      // SVG y grows downwards; drawSvgPath places the path's origin at (x, y).
      page.drawSvgPath(
        sweep >= Math.PI * 2 - 1e-9
          ? `M ${-r} 0 A ${r} ${r} 0 1 1 ${r} 0 A ${r} ${r} 0 1 1 ${-r} 0 Z`
          : `M 0 0 L ${x1} ${y1} A ${r} ${r} 0 ${large} 1 ${x2} ${y2} Z`,
        { x: cx, y: cy, color: PALETTE[i % PALETTE.length] },
      );
      angle = end;
    });
    labels.forEach((label, i) => {
      const ly = y - 14 - i * 12;
      page.drawRectangle({
        x: cx + r + 20,
        y: ly,
        width: 8,
        height: 8,
        color: PALETTE[i % PALETTE.length],
      });
      page.drawText(clip(font, `${label}: ${values[i]}`, 8, width - 2 * r - 60), {
        x: cx + r + 32,
        y: ly,
        size: 8,
        font,
      });
    });
    return;
  }
  const base = y - height;
  page.drawLine({
    start: { x, y: base },
    end: { x: x + width, y: base },
    thickness: 0.5,
    color: axis,
  });
  page.drawLine({ start: { x, y: base }, end: { x, y }, thickness: 0.5, color: axis });
  page.drawText(String(max), { x: x + 2, y: y - 8, size: 7, font, color: axis });
  const step = width / Math.max(1, values.length);
  const points = values.map((v, i) => ({
    x: x + step * i + step / 2,
    y: base + (Math.max(0, v) / max) * (height - 12),
  }));
  if (type === "bar")
    for (const p of points)
      page.drawRectangle({
        x: p.x - step * 0.35,
        y: base,
        width: step * 0.7,
        height: p.y - base,
        color: PALETTE[0],
      });
  if (type === "area" && points.length) {
    // SVG coordinates from the chart's origin, y growing downwards.
    const first = points[0] as { x: number; y: number };
    const last = points.at(-1) as { x: number; y: number };
    const path = [
      `M ${first.x - x} 0`,
      ...points.map((p) => `L ${p.x - x} ${-(p.y - base)}`),
      `L ${last.x - x} 0 Z`,
    ].join(" ");
    page.drawSvgPath(path, { x, y: base, color: PALETTE[0], opacity: 0.5 });
  }
  if (type === "line" || type === "area")
    for (let i = 1; i < points.length; i++)
      page.drawLine({
        start: points[i - 1] as { x: number; y: number },
        end: points[i] as { x: number; y: number },
        thickness: 1.5,
        color: PALETTE[0],
      });
  labels.forEach((label, i) => {
    page.drawText(clip(font, label, 7, step - 2), {
      x: x + step * i + 1,
      y: base - 10,
      size: 7,
      font,
    });
  });
}

export async function renderPdf(input: {
  name: string;
  columns: Column[];
  rows: Row[];
  definition: ReportDefinition;
  generatedAt: Date;
}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(input.name);
  doc.setProducer("Lyceum");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const output = input.definition.output;
  const [w, h] = SIZES[output?.pageSize ?? "a4"] ?? (SIZES.a4 as [number, number]);
  const size: [number, number] = output?.pageOrientation === "landscape" ? [h, w] : [w, h];
  const width = size[0] - 2 * MARGIN;
  const columnWidth = width / Math.max(1, input.columns.length);

  const pages: PDFPage[] = [];
  const newPage = () => {
    const page = doc.addPage(size);
    pages.push(page);
    if (output?.headerText)
      page.drawText(clip(font, output.headerText, 8, width), {
        x: MARGIN,
        y: size[1] - 24,
        size: 8,
        font,
        color: rgb(0.4, 0.4, 0.4),
      });
    return page;
  };
  const tableHeader = (page: PDFPage, y: number) => {
    page.drawRectangle({ x: MARGIN, y: y - 4, width, height: ROW, color: rgb(0.92, 0.93, 0.95) });
    input.columns.forEach((c, i) => {
      page.drawText(clip(bold, c.label, 9, columnWidth - 6), {
        x: MARGIN + i * columnWidth + 3,
        y,
        size: 9,
        font: bold,
      });
    });
    return y - ROW;
  };

  let page = newPage();
  let y = size[1] - MARGIN - 10;
  page.drawText(clip(bold, input.name, 16, width), { x: MARGIN, y, size: 16, font: bold });
  y -= 18;
  page.drawText(`Generated ${input.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`, {
    x: MARGIN,
    y,
    size: 9,
    font,
    color: rgb(0.35, 0.35, 0.35),
  });
  y -= 13;
  for (const line of filterSummary(input.definition)) {
    page.drawText(clip(font, line, 9, width), {
      x: MARGIN,
      y,
      size: 9,
      font,
      color: rgb(0.35, 0.35, 0.35),
    });
    y -= 12;
  }
  const chart = input.definition.visualization?.type;
  const keyColumn = input.columns.find((c) => c.kind !== "measure");
  const measure = input.columns.find((c) => c.kind === "measure");
  if (
    (chart === "bar" || chart === "line" || chart === "pie" || chart === "area") &&
    output?.includeCharts !== false &&
    keyColumn &&
    measure
  ) {
    const data = input.rows.filter((r) => !r.total).slice(0, 24);
    y -= 10;
    drawChart({
      page,
      font,
      type: chart,
      labels: data.map((r) => text(r.values[keyColumn.key], keyColumn)),
      values: data.map((r) => Number(r.values[measure.key] ?? 0)),
      x: MARGIN,
      y,
      width,
      height: 180,
    });
    y -= 210;
  }
  y -= 6;
  y = tableHeader(page, y);
  for (const row of input.rows) {
    if (y < MARGIN + ROW) {
      page = newPage();
      y = tableHeader(page, size[1] - MARGIN - 10);
    }
    const rowFont = row.total ? bold : font;
    input.columns.forEach((c, i) => {
      let value = text(row.values[c.key], c);
      if (!value && row.total && c === keyColumn) value = "Total";
      const shown = clip(rowFont, value, 9, columnWidth - 6);
      const right = c.kind === "measure" || c.type === "number";
      const tx = right
        ? MARGIN + (i + 1) * columnWidth - 3 - rowFont.widthOfTextAtSize(shown, 9)
        : MARGIN + i * columnWidth + 3;
      page.drawText(shown, { x: tx, y, size: 9, font: rowFont });
    });
    y -= ROW;
  }
  pages.forEach((p, i) => {
    const footer = `${output?.footerText ? `${output.footerText} · ` : ""}Page ${i + 1} of ${pages.length}`;
    p.drawText(clip(font, footer, 8, width), {
      x: MARGIN,
      y: 20,
      size: 8,
      font,
      color: rgb(0.4, 0.4, 0.4),
    });
  });
  return Buffer.from(await doc.save());
}
