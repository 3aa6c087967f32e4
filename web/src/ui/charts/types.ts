/** What a chart draws: bars, lines, filled lines, or one series as a pie. */
export type ChartKind = "bar" | "line" | "area" | "pie";

/** One named row of values, one per category (null where there is none). */
export interface ChartSeries {
  name: string;
  values: Array<number | null>;
}

/** The data and labels of a chart; the same numbers are given as a table beside it. */
export interface ChartData {
  kind: ChartKind;
  /** The x-axis categories (or a pie's slices). */
  categories: string[];
  /** A pie draws the first series only. */
  series: ChartSeries[];
  /** The categories' name: the axis title and the table's first column. */
  categoryLabel: string;
  /** The values' name: the value axis title. */
  valueLabel?: string;
  /** How a value is written on the axis, in the tooltip and in the table. */
  valueFormatter?: (value: number) => string;
  /** The value axis' upper end, e.g. 100 for percentages; else fitted to the data. */
  max?: number;
  /** Whole numbers only (counts): no ticks between them. */
  integer?: boolean;
}
