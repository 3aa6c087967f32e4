import { deflateSync } from "node:zlib";
import {
  PDFDocument,
  type PDFFont,
  PDFName,
  type PDFPage,
  type PDFRef,
  rgb,
  StandardFonts,
} from "pdf-lib";
import type { Column } from "./compile.js";
import type { ReportDefinition } from "./definition.js";
import { type FileRow, isOther, labelColumn, OTHER_LABEL, ROW_MARK, rowKind } from "./labels.js";
import { FontText } from "./pdf-font.js";

/**
 * Writes a report as a PDF: a title, when it was made and what it was filtered by, a chart for
 * bar, line, pie and area visualizations, then the table — page after page, its header repeated
 * at the top of each — on the page size and orientation the definition asks for. Text too long
 * for its column wraps onto more lines (the row grows), so every value reads in full; a row
 * moves whole to the next page unless it is taller than a page.
 */

const SIZES: Record<string, [number, number]> = {
  a4: [595.28, 841.89],
  letter: [612, 792],
  legal: [612, 1008],
};
const MARGIN = 40;
/** From one row's (last) baseline to the next row's; also a one-line row's height. */
const ROW = 16;
/** From one line of a wrapped cell to the next (9-point text). */
const LINE = 11;
const PALETTE = [
  rgb(0.16, 0.38, 0.68),
  rgb(0.9, 0.49, 0.13),
  rgb(0.2, 0.6, 0.33),
  rgb(0.75, 0.22, 0.24),
  rgb(0.5, 0.36, 0.7),
  rgb(0.55, 0.55, 0.55),
];

// Number formatting as `toLocaleString("en", …)` does, without building a formatter per call.
const INTEGER = new Intl.NumberFormat("en");
const DECIMAL = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

function text(value: unknown, column: Column): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    const n = Number.isInteger(value) ? INTEGER.format(value) : DECIMAL.format(value);
    return column.format === "percent" ? `${n} %` : column.format === "duration" ? `${n} s` : n;
  }
  if (column.type === "date" && typeof value === "string")
    return value.slice(0, 16).replace("T", " ");
  return String(value);
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
  font: FontText;
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
      page.drawText(font.fit(`${label}: ${values[i]}`, 8, width - 2 * r - 60).text, {
        x: cx + r + 32,
        y: ly,
        size: 8,
        font: font.font,
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
  page.drawText(String(max), { x: x + 2, y: y - 8, size: 7, font: font.font, color: axis });
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
    page.drawText(font.fit(label, 7, step - 2).text, {
      x: x + step * i + 1,
      y: base - 10,
      size: 7,
      font: font.font,
    });
  });
}

/** A coordinate in a content stream, to a thousandth of a point. */
function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

type Rgb = [number, number, number];

function fill(color: Rgb): string {
  return `${color[0]} ${color[1]} ${color[2]} rg`;
}

const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [0.4, 0.4, 0.4];
const DARK_GREY: Rgb = [0.35, 0.35, 0.35];
const HEADER_FILL: Rgb = [0.92, 0.93, 0.95];
const RULE: Rgb = [0.85, 0.86, 0.88];
/** The names the page text uses for the regular and the bold font in each page's resources. */
const REGULAR_KEY = "F1";
const BOLD_KEY = "F2";

/**
 * One page's text and table, written as content-stream operators directly: pdf-lib's drawText
 * builds an object per operator and a new font resource per call, which dominates a table of
 * thousands of pages. Each piece of text is its own text object, as drawText would write it.
 */
class PageContent {
  private parts: string[] = [];
  private ref: PDFRef;
  private readonly segments: Array<{ ref: PDFRef; body: string }> = [];

  constructor(
    private readonly doc: PDFDocument,
    readonly page: PDFPage,
    regular: PDFFont,
    bold: PDFFont,
  ) {
    page.node.setFontDictionary(PDFName.of(REGULAR_KEY), regular.ref);
    page.node.setFontDictionary(PDFName.of(BOLD_KEY), bold.ref);
    this.ref = this.open();
  }

  private open(): PDFRef {
    const ref = this.doc.context.nextRef();
    this.page.node.addContentStream(ref);
    return ref;
  }

  text(key: string, size: number, color: Rgb, x: number, y: number, hex: string) {
    this.parts.push(
      `q\nBT\n${fill(color)}\n/${key} ${size} Tf\n1 0 0 1 ${num(x)} ${num(y)} Tm\n<${hex}> Tj\nET\nQ\n`,
    );
  }

  rectangle(color: Rgb, x: number, y: number, width: number, height: number) {
    this.parts.push(
      `q\n${fill(color)}\n${num(x)} ${num(y)} ${num(width)} ${num(height)} re\nf\nQ\n`,
    );
  }

  /**
   * Lets pdf-lib draw on the page (the chart) after what is written so far; what is written
   * next goes into a new stream after pdf-lib's.
   */
  drawWithPdfLib(draw: () => void) {
    this.segments.push({ ref: this.ref, body: this.parts.join("") });
    this.parts = [];
    draw();
    this.ref = this.open();
  }

  /** Compresses the page's streams into the document. */
  finish() {
    this.segments.push({ ref: this.ref, body: this.parts.join("") });
    this.parts = [];
    for (const { ref, body } of this.segments.splice(0)) {
      const bytes = deflateSync(Buffer.from(body, "latin1"));
      this.doc.context.assign(ref, this.doc.context.stream(bytes, { Filter: "FlateDecode" }));
    }
  }
}

export async function renderPdf(input: {
  name: string;
  columns: Column[];
  rows: FileRow[];
  definition: ReportDefinition;
  generatedAt: Date;
}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(input.name);
  doc.setProducer("Lyceum");
  const regular = new FontText(await doc.embedFont(StandardFonts.Helvetica));
  const bold = new FontText(await doc.embedFont(StandardFonts.HelveticaBold));
  const output = input.definition.output;
  const [w, h] = SIZES[output?.pageSize ?? "a4"] ?? (SIZES.a4 as [number, number]);
  const size: [number, number] = output?.pageOrientation === "landscape" ? [h, w] : [w, h];
  const width = size[0] - 2 * MARGIN;
  const columnWidth = width / Math.max(1, input.columns.length);
  const header = output?.headerText ? regular.fit(output.headerText, 8, width) : undefined;

  const pages: PageContent[] = [];
  const newPage = () => {
    const page = new PageContent(doc, doc.addPage(size), regular.font, bold.font);
    pages.push(page);
    if (header) page.text(REGULAR_KEY, 8, GREY, MARGIN, size[1] - 24, header.hex);
    return page;
  };
  // Column labels wrap like cells; the header row is as tall as its longest label.
  const headings = input.columns.map((c) => bold.lines(c.label, 9, columnWidth - 6));
  const headerLines = Math.max(1, ...headings.map((lines) => lines.length));
  const headerExtra = (headerLines - 1) * LINE;
  const tableHeader = (page: PageContent, y: number) => {
    page.rectangle(HEADER_FILL, MARGIN, y - 4 - headerExtra, width, ROW + headerExtra);
    headings.forEach((lines, i) => {
      lines.forEach((line, j) => {
        page.text(BOLD_KEY, 9, BLACK, MARGIN + i * columnWidth + 3, y - j * LINE, line.hex);
      });
    });
    return y - ROW - headerExtra;
  };

  let page = newPage();
  let y = size[1] - MARGIN - 10;
  for (const line of bold.lines(input.name, 16, width)) {
    page.text(BOLD_KEY, 16, BLACK, MARGIN, y, line.hex);
    y -= 18;
  }
  const generated = `Generated ${input.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  page.text(REGULAR_KEY, 9, DARK_GREY, MARGIN, y, regular.fit(generated, 9, Infinity).hex);
  y -= 13;
  for (const filter of filterSummary(input.definition))
    for (const line of regular.lines(filter, 9, width)) {
      page.text(REGULAR_KEY, 9, DARK_GREY, MARGIN, y, line.hex);
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
    const top = y;
    page.drawWithPdfLib(() =>
      drawChart({
        page: page.page,
        font: regular,
        type: chart,
        labels: data.map((r) =>
          isOther(r, keyColumn.key) ? OTHER_LABEL : text(r.values[keyColumn.key], keyColumn),
        ),
        values: data.map((r) => Number(r.values[measure.key] ?? 0)),
        x: MARGIN,
        y: top,
        width,
        height: 180,
      }),
    );
    y -= 210;
  }
  y -= 6;
  y = tableHeader(page, y);
  const columns = input.columns.map((c, i) => ({
    column: c,
    right: c.kind === "measure" || c.type === "number",
    left: MARGIN + i * columnWidth + 3,
    end: MARGIN + (i + 1) * columnWidth - 3,
  }));
  // The lowest a baseline may sit, and the first row's baseline on a new page.
  const bottom = MARGIN + ROW;
  const pageTop = size[1] - MARGIN - 10 - ROW - headerExtra;
  // Whether the row drawn last wraps, and whether the header is right above the next row.
  let ruled = false;
  let underHeader = true;
  const nextPage = () => {
    page = newPage();
    underHeader = true;
    return tableHeader(page, size[1] - MARGIN - 10);
  };
  for (const row of input.rows) {
    const rowFont = row.total ? bold : regular;
    const key = row.total ? BOLD_KEY : REGULAR_KEY;
    let lines = 1;
    const label = labelColumn(row, input.columns);
    const cells = columns.map((c) => {
      const value =
        c.column.key === label
          ? ROW_MARK[rowKind(row)]
          : isOther(row, c.column.key)
            ? OTHER_LABEL
            : text(row.values[c.column.key], c.column);
      const cell = rowFont.lines(value, 9, columnWidth - 6);
      if (cell.length > lines) lines = cell.length;
      return cell;
    });
    const extra = (lines - 1) * LINE;
    // A row moves whole to the next page, unless it is taller than a page: then it starts
    // where it is and goes on over the next pages.
    if (y < bottom || (y - extra < bottom && pageTop - extra >= bottom)) y = nextPage();
    // A thin rule between rows where one of them wraps, so their lines read as one row.
    const wraps = lines > 1;
    if ((wraps || ruled) && !underHeader) page.rectangle(RULE, MARGIN, y + ROW - 4.25, width, 0.5);
    ruled = wraps;
    underHeader = false;
    for (let j = 0; j < lines; j++) {
      if (j > 0) {
        y -= LINE;
        if (y < bottom) y = nextPage();
      }
      for (let i = 0; i < columns.length; i++) {
        const line = cells[i]![j];
        if (!line) continue;
        const { right, left, end } = columns[i]!;
        page.text(key, 9, BLACK, right ? end - line.width : left, y, line.hex);
      }
    }
    y -= ROW;
  }
  pages.forEach((p, i) => {
    const footer = `${output?.footerText ? `${output.footerText} · ` : ""}Page ${i + 1} of ${pages.length}`;
    p.text(REGULAR_KEY, 8, GREY, MARGIN, 20, regular.fit(footer, 8, width).hex);
    p.finish();
  });
  return Buffer.from(await doc.save());
}
