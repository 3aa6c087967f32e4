import type { Column, ReportRow, RowKind } from "./compile.js";

/**
 * How report files tell rows apart: CSV's first column names the row's kind; XLSX and PDF
 * write "Total" or "Subtotal" into the first key cell whose values the row covers all of (its
 * keys there are empty). Every format writes the synthetic Other bucket as "(Other)", so it
 * never reads as a real value "Other".
 */

/** A row as the file writers take it (a row that says only `total` is a detail or a total). */
export type FileRow = Pick<ReportRow, "values" | "total"> &
  Partial<Pick<ReportRow, "kind" | "groupedBy" | "other">>;

export const OTHER_LABEL = "(Other)";

/** Whether the row's value in this column is the synthetic Other bucket. */
export const isOther = (row: FileRow, key: string): boolean => !!row.other?.includes(key);

export function rowKind(row: FileRow): RowKind {
  return row.kind ?? (row.total ? "total" : "detail");
}

/** CSV's first column, by row kind. */
export const ROW_MARK: Record<RowKind, string> = {
  detail: "",
  subtotal: "Subtotal",
  total: "Total",
};

/**
 * The key column where XLSX and PDF write a total or subtotal row's label: the first key column
 * whose values the row covers all of (the first of all on the total row); null on detail rows.
 */
export function labelColumn(row: FileRow, columns: Column[]): string | null {
  const kind = rowKind(row);
  if (kind === "detail") return null;
  const keys = columns.filter((c) => c.kind !== "measure");
  const at = kind === "total" ? 0 : (row.groupedBy?.length ?? 0);
  const key = keys[at]?.key;
  return key !== undefined && (row.values[key] ?? null) === null ? key : null;
}
