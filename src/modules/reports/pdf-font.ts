import type { PDFFont } from "pdf-lib";
import { printable } from "../../platform/pdf-text.js";

/** Text ready to draw: what shows, its codes in the font as a hex string, its width. */
export interface Fitted {
  text: string;
  hex: string;
  width: number;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, "0"));
const ELLIPSIS = "…";
const SPACE = 0x20;
/** Codes a line may end with when a word is too long for its column: - / _ */
const AFTER = new Set([0x2d, 0x2f, 0x5f]);
/** Codes a line may start with when a word is too long for its column: . @ */
const BEFORE = new Set([0x2e, 0x40]);

function hexOf(codes: number[], end: number, start = 0): string {
  let hex = "";
  for (let i = start; i < end; i++) hex += HEX[codes[i]!];
  return hex;
}

/**
 * Encodes and measures text in one of the standard fonts as a viewer draws it: pdf-lib's
 * WinAnsi codes, and the sum of the glyph widths (a string shown with `Tj` is not kerned).
 * Codes and widths are cached per character instead of walking the font's tables for every
 * string: a large table draws hundreds of thousands.
 */
export class FontText {
  /** The font's code for each UTF-16 unit, -1 when it has none, -2 when not looked up yet. */
  private readonly codes = new Int16Array(0x10000).fill(-2);
  /** A character for each code, to measure it with pdf-lib. */
  private readonly chars: string[] = [];
  /** Width of each code in thousandths of the font size, -1 when not measured yet. */
  private readonly widths = new Float64Array(256).fill(-1);
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

  /** The text as printable() makes it for the font, and its codes. */
  private prepare(value: string): { shown: string; codes: number[] } {
    const codes = this.encode(value);
    if (codes) return { shown: value, codes };
    const shown = printable(this.font, value);
    return { shown, codes: this.encode(shown) ?? [] };
  }

  /** Width of all the codes, in thousandths of the font size. */
  private total(codes: number[]): number {
    let total = 0;
    for (let i = 0; i < codes.length; i++) total += this.width(codes[i]!);
    return total;
  }

  /** Widths of each prefix of `codes`, in thousandths of the font size. */
  private prefixWidths(codes: number[]): Float64Array {
    const prefix = new Float64Array(codes.length + 1);
    for (let i = 0; i < codes.length; i++) prefix[i + 1] = prefix[i]! + this.width(codes[i]!);
    return prefix;
  }

  /**
   * The text as printable() makes it for the font, shortened with "…" until it fits `max`
   * points at `size` (down to one character). For single-line places: the page header and
   * footer, chart labels.
   */
  fit(value: string, size: number, max: number): Fitted {
    const { shown, codes } = this.prepare(value);
    const scale = size / 1000;
    const n = codes.length;
    const total = this.total(codes);
    if (total * scale <= max) return { text: shown, hex: hexOf(codes, n), width: total * scale };
    // Widths of each prefix, to find the longest one that fits with the ellipsis after it.
    const prefix = this.prefixWidths(codes);
    const withEllipsis = (k: number) => prefix[k]! + this.width(this.ellipsis);
    let k = n;
    while (k > 1 && withEllipsis(k) * scale > max) k--;
    return {
      text: shown.slice(0, k) + ELLIPSIS,
      hex: hexOf(codes, k) + HEX[this.ellipsis],
      width: withEllipsis(k) * scale,
    };
  }

  /**
   * The text as printable() makes it for the font, in lines no wider than `max` points at
   * `size`: broken at spaces where it can; else after "-", "/" or "_" or before "." or "@"
   * (emails, addresses, codes); else between characters. A line keeps the spaces it ends with
   * (they draw nothing and do not count in its width), so the lines joined give the whole text
   * back. Text that fits is one line, measured as fit() measures it.
   */
  lines(value: string, size: number, max: number): Fitted[] {
    const { shown, codes } = this.prepare(value);
    const scale = size / 1000;
    const n = codes.length;
    const total = this.total(codes);
    if (total * scale <= max) return [{ text: shown, hex: hexOf(codes, n), width: total * scale }];
    const limit = max / scale;
    const prefix = this.prefixWidths(codes);
    // Width of codes[start, end) without the spaces it ends with.
    const visible = (start: number, end: number) => {
      let e = end;
      while (e > start + 1 && codes[e - 1] === SPACE) e--;
      return prefix[e]! - prefix[start]!;
    };
    const lines: Fitted[] = [];
    let start = 0;
    while (start < n) {
      // The most that fits (at least one character), then the last good break inside it.
      let end = start + 1;
      while (end < n && visible(start, end + 1) <= limit) end++;
      if (end < n) {
        let space = 0;
        let mark = 0;
        for (let p = end; p > start && !space; p--) {
          if (codes[p - 1] === SPACE) space = p;
          else if (!mark && (AFTER.has(codes[p - 1]!) || BEFORE.has(codes[p]!))) mark = p;
        }
        end = space || mark || end;
      }
      lines.push({
        text: shown.slice(start, end),
        hex: hexOf(codes, end, start),
        width: visible(start, end) * scale,
      });
      start = end;
    }
    return lines;
  }
}
