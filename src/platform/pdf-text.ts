import type { PDFFont } from "pdf-lib";

/** Latin letters without a decomposition, written the usual way without their stroke. */
const LOOKALIKE: Record<string, string> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ħ: "H",
  ħ: "h",
  ı: "i",
  Ŧ: "T",
  ŧ: "t",
};

/**
 * The standard PDF fonts cover Latin-1 only: letters they cannot draw lose their accents, and
 * anything else becomes "?", so a document always renders.
 */
export function printable(font: PDFFont, text: string): string {
  try {
    font.encodeText(text);
    return text;
  } catch {
    return [...text]
      .map((ch) => {
        for (const candidate of [
          ch,
          ch.normalize("NFD").replace(/\p{M}/gu, ""),
          LOOKALIKE[ch] ?? "",
        ].filter(Boolean)) {
          try {
            font.encodeText(candidate);
            return candidate;
          } catch {
            // try the next form
          }
        }
        return "?";
      })
      .join("");
  }
}
