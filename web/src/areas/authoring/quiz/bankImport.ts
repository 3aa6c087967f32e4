/** A file chosen for import, read as text. */
export interface ImportFile {
  name: string;
  text: string;
}

export type ImportRequest =
  | { kind: "json"; body: unknown }
  | { kind: "qti"; documents: string[] }
  | { problem: "mixed" | "notJson" | "oneJson" | "unknown"; name?: string };

/**
 * What to send for the chosen files: one Lyceum JSON export, or any number of QTI item
 * documents (XML). Mixing the two, several JSON files, or a file of neither kind is refused
 * before anything is sent.
 */
export function importRequest(files: readonly ImportFile[]): ImportRequest {
  const json = files.filter((f) => f.text.trimStart().startsWith("{"));
  const xml = files.filter((f) => f.text.trimStart().startsWith("<"));
  const other = files.find((f) => !json.includes(f) && !xml.includes(f));
  if (other) return { problem: "unknown", name: other.name };
  if (json.length && xml.length) return { problem: "mixed" };
  if (json.length > 1) return { problem: "oneJson" };
  const [only] = json;
  if (only) {
    try {
      return { kind: "json", body: JSON.parse(only.text) };
    } catch {
      return { problem: "notJson", name: only.name };
    }
  }
  return { kind: "qti", documents: xml.map((f) => f.text) };
}
