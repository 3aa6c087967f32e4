import type { ReportPreview } from "../../../api/reports";
import type { ChartData, ChartKind } from "../../../ui/charts/Chart";

type Column = ReportPreview["columns"][number];
type Row = ReportPreview["rows"][number];

/** How the builder writes a report's values in the page's language. */
export interface ValueWriter {
  locale: string;
  /** What an empty key is called ("(none)"). */
  none: string;
  /** The synthetic bucket of values beyond a top N or outside slicer values ("Other"). */
  other: string;
}

const isShare = (column: Column) => column.kind === "measure" && column.key.endsWith("%");

const asNumber = (value: unknown): number | null => {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
};

/** A time bucket's start (`2026-03-01`, `2026-03-01T14:00`) as its period reads. */
export function bucketLabel(value: string, granularity: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value);
  if (!match) return value;
  const [, y, m, d, hh, mm] = match;
  const date = new Date(
    Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh ?? 0), Number(mm ?? 0)),
  );
  const utc = { timeZone: "UTC" } as const;
  switch (granularity) {
    case "year":
      return String(y);
    case "quarter":
      return `Q${Math.floor((Number(m) - 1) / 3) + 1} ${y}`;
    case "month":
      return new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", ...utc }).format(
        date,
      );
    case "hour":
      return new Intl.DateTimeFormat(locale, {
        dateStyle: "medium",
        timeStyle: "short",
        ...utc,
      }).format(date);
    default:
      return new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...utc }).format(date);
  }
}

/** A measure's value as its format says: percentages (0–100), durations (seconds), numbers. */
export function measureText(value: number, format: string | undefined, locale: string): string {
  if (format === "percent")
    return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(
      value / 100,
    );
  if (format === "duration") {
    const unit = (n: number, name: "day" | "hour" | "minute" | "second") =>
      new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" }).format(n);
    const seconds = Math.round(value);
    if (seconds >= 86_400) return `${unit(Math.round((seconds / 86_400) * 10) / 10, "day")}`;
    if (seconds >= 3_600)
      return `${unit(Math.floor(seconds / 3_600), "hour")} ${unit(Math.round((seconds % 3_600) / 60), "minute")}`;
    if (seconds >= 60) return unit(Math.round(seconds / 60), "minute");
    return unit(seconds, "second");
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** One cell as the table shows it. */
export function cellText(column: Column, row: Row, writer: ValueWriter): string {
  const value = row.values[column.key];
  if (row.other?.includes(column.key)) return writer.other;
  if (value === null || value === undefined || value === "")
    return column.kind === "measure" ? "–" : writer.none;
  if (column.kind === "measure") {
    const n = asNumber(value);
    if (n === null) return String(value);
    return measureText(n, isShare(column) ? "percent" : column.format, writer.locale);
  }
  if (column.granularity) return bucketLabel(String(value), column.granularity, writer.locale);
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return String(value);
}

/**
 * The chart of a preview: its detail rows as categories (their key columns read together),
 * one series per measure (shares of the total left to the table). With a slicer and other key
 * columns, the slicer's values become the series of the first measure instead, so that
 * "completions by department per quarter" draws a line per quarter.
 */
export function chartOf(
  preview: ReportPreview,
  kind: ChartKind,
  writer: ValueWriter,
): (Omit<ChartData, "valueFormatter"> & { format?: string }) | null {
  const keys = preview.columns.filter((c) => c.kind !== "measure");
  const measures = preview.columns.filter((c) => c.kind === "measure" && !isShare(c));
  const rows = preview.rows.filter((r) => r.kind === "detail");
  const first = measures[0];
  if (!first || rows.length === 0) return null;
  const slicer = keys.find((c) => c.kind === "slicer");
  const categoryKeys = slicer && keys.length > 1 ? keys.filter((c) => c !== slicer) : keys;
  const categoryOf = (row: Row) =>
    categoryKeys.length === 0
      ? first.label
      : categoryKeys.map((c) => cellText(c, row, writer)).join(" · ");
  const categoryLabel = categoryKeys.map((c) => c.label).join(" · ") || first.label;
  if (slicer && categoryKeys.length > 0 && kind !== "pie") {
    const categories = [...new Set(rows.map(categoryOf))];
    const seriesNames = [...new Set(rows.map((row) => cellText(slicer, row, writer)))];
    return {
      kind,
      categories,
      categoryLabel,
      valueLabel: first.label,
      format: first.format,
      series: seriesNames.map((name) => ({
        name: `${name}`,
        values: categories.map((category) => {
          const row = rows.find(
            (r) => categoryOf(r) === category && cellText(slicer, r, writer) === name,
          );
          return row ? asNumber(row.values[first.key]) : null;
        }),
      })),
    };
  }
  const shown = kind === "pie" ? [first] : measures;
  // Measures of one format share the value axis; others would be misread on it.
  const sameFormat = shown.filter((m) => (m.format ?? "number") === (first.format ?? "number"));
  return {
    kind,
    categories: rows.map(categoryOf),
    categoryLabel,
    valueLabel: sameFormat.length === 1 ? first.label : undefined,
    format: first.format,
    series: sameFormat.map((m) => ({
      name: m.label,
      values: rows.map((row) => asNumber(row.values[m.key])),
    })),
  };
}
