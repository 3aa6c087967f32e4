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

/** Text ready to draw: what shows, its codes in the font as a hex string, its width. */
interface Fitted {
  text: string;
  hex: string;
  width: number;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, "0"));
const ELLIPSIS = "…";

/**
 * Encodes and measures text in one of the standard fonts exactly as pdf-lib does (its WinAnsi
 * codes; glyph widths plus pair kerning), from caches per character and per pair instead of
 * walking the font's tables for every string: a large table draws hundreds of thousands.
 */
class FontText {
  /** The font's code for each UTF-16 unit, -1 when it has none, -2 when not looked up yet. */
  private readonly codes = new Int16Array(0x10000).fill(-2);
  /** A character for each code, to measure it with pdf-lib. */
  private readonly chars: string[] = [];
  /** Width of each code in thousandths of the font size, -1 when not measured yet. */
  private readonly widths = new Float64Array(256).fill(-1);
  /** Kerning of each pair of codes, NaN when not measured yet. */
  private readonly kerns = new Float64Array(0x10000).fill(Number.NaN);
  private readonly ellipsis: number;

  constructor(readonly font: PDFFont) {
    this.ellipsis = this.code(ELLIPSIS.charCodeAt(0));
  }

  private code(unit: number): number {
    let code = this.codes[unit]!;
    if (code === -2) {
      code = -1;
      // Surrogates never encode: printable() turns their character into "?".
      if (unit < 0xd800 || unit > 0xdfff) {
        const char = String.fromCharCode(unit);
        try {
          code = Number.parseInt(this.font.encodeText(char).toString().slice(1, -1), 16);
          this.chars[code] = char;
        } catch {
          code = -1;
        }
      }
      this.codes[unit] = code;
    }
    return code;
  }

  private width(code: number): number {
    let width = this.widths[code]!;
    if (width < 0) {
      width = this.font.widthOfTextAtSize(this.chars[code]!, 1000);
      this.widths[code] = width;
    }
    return width;
  }

  private kern(left: number, right: number): number {
    const pair = (left << 8) | right;
    let kern = this.kerns[pair]!;
    if (Number.isNaN(kern)) {
      kern =
        this.font.widthOfTextAtSize(this.chars[left]! + this.chars[right]!, 1000) -
        this.width(left) -
        this.width(right);
      this.kerns[pair] = kern;
    }
    return kern;
  }

  /** The codes of a text the font can draw entirely, or undefined. */
  private encode(value: string): number[] | undefined {
    const codes = new Array<number>(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = this.code(value.charCodeAt(i));
      if (code < 0) return undefined;
      codes[i] = code;
    }
    return codes;
  }

  /**
   * The text as printable() makes it for the font, shortened with "…" until it fits `max`
   * points at `size` (down to one character).
   */
  fit(value: string, size: number, max: number): Fitted {
    let shown = value;
    let codes = this.encode(shown);
    if (!codes) {
      shown = printable(this.font, value);
      codes = this.encode(shown) ?? [];
    }
    const scale = size / 1000;
    const n = codes.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += this.width(codes[i]!);
      if (i + 1 < n) total += this.kern(codes[i]!, codes[i + 1]!);
    }
    if (total * scale <= max) return { text: shown, hex: hexOf(codes, n), width: total * scale };
    // Widths of each prefix, to find the longest one that fits with the ellipsis after it.
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++)
      prefix[i + 1] =
        prefix[i]! + this.width(codes[i]!) + (i > 0 ? this.kern(codes[i - 1]!, codes[i]!) : 0);
    const withEllipsis = (k: number) =>
      prefix[k]! +
      (k > 0 ? this.kern(codes[k - 1]!, this.ellipsis) : 0) +
      this.width(this.ellipsis);
    let k = n;
    while (k > 1 && withEllipsis(k) * scale > max) k--;
    return {
      text: shown.slice(0, k) + ELLIPSIS,
      hex: hexOf(codes, k) + HEX[this.ellipsis],
      width: withEllipsis(k) * scale,
    };
  }
}

function hexOf(codes: number[], length: number): string {
  let hex = "";
  for (let i = 0; i < length; i++) hex += HEX[codes[i]!];
  return hex;
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
  rows: Row[];
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
  const headings = input.columns.map((c) => bold.fit(c.label, 9, columnWidth - 6));
  const tableHeader = (page: PageContent, y: number) => {
    page.rectangle(HEADER_FILL, MARGIN, y - 4, width, ROW);
    headings.forEach((heading, i) => {
      page.text(BOLD_KEY, 9, BLACK, MARGIN + i * columnWidth + 3, y, heading.hex);
    });
    return y - ROW;
  };

  let page = newPage();
  let y = size[1] - MARGIN - 10;
  page.text(BOLD_KEY, 16, BLACK, MARGIN, y, bold.fit(input.name, 16, width).hex);
  y -= 18;
  const generated = `Generated ${input.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  page.text(REGULAR_KEY, 9, DARK_GREY, MARGIN, y, regular.fit(generated, 9, Infinity).hex);
  y -= 13;
  for (const line of filterSummary(input.definition)) {
    page.text(REGULAR_KEY, 9, DARK_GREY, MARGIN, y, regular.fit(line, 9, width).hex);
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
        labels: data.map((r) => text(r.values[keyColumn.key], keyColumn)),
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
  for (const row of input.rows) {
    if (y < MARGIN + ROW) {
      page = newPage();
      y = tableHeader(page, size[1] - MARGIN - 10);
    }
    const rowFont = row.total ? bold : regular;
    const key = row.total ? BOLD_KEY : REGULAR_KEY;
    for (const { column, right, left, end } of columns) {
      let value = text(row.values[column.key], column);
      if (!value && row.total && column === keyColumn) value = "Total";
      const shown = rowFont.fit(value, 9, columnWidth - 6);
      page.text(key, 9, BLACK, right ? end - shown.width : left, y, shown.hex);
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
