import type { ChartData } from "./types";

/**
 * Series colours, in order: Mantine's blue.9, a dark orange, teal.9, grape.9, red.9 and gray.8,
 * each at least 3:1 against white (WCAG 1.4.11), with blue and orange first as the pair
 * most people with a colour vision deficiency still tell apart.
 */
export const CHART_COLORS = ["#1864ab", "#c2410c", "#087f5b", "#862e9c", "#c92a2a", "#343a40"];
const TEXT = "#343a40";
const GRID = "#ced4da";

const plain = (value: number) => String(value);

/** A value as the chart writes it; "–" where there is none. */
export function formatValue(data: ChartData, value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : (data.valueFormatter ?? plain)(value);
}

/**
 * A one-line reading of the chart for its accessible name: each category with its series'
 * values ("Cohort A: Pre 40 %, Post 80 %; …"), at most `limit` categories.
 */
export function describeChart(data: ChartData, limit = 12): string {
  const shown = data.categories.slice(0, limit).map((category, i) => {
    const values =
      data.kind === "pie" || data.series.length === 1
        ? formatValue(data, data.series[0]?.values[i])
        : data.series.map((s) => `${s.name} ${formatValue(data, s.values[i])}`).join(", ");
    return `${category}: ${values}`;
  });
  const rest = data.categories.length - shown.length;
  return shown.join("; ") + (rest > 0 ? `; … (+${rest})` : "");
}

/**
 * The ECharts option for a chart: no animation, one axis of categories (its name is the
 * heading's and the table's; on the axis it would collide with the legend), labels shortened
 * when narrow.
 */
export function chartOption(data: ChartData, narrow: boolean): Record<string, unknown> {
  const format = (value: unknown) =>
    typeof value === "number" ? formatValue(data, value) : String(value ?? "–");
  const textStyle = { color: TEXT, fontFamily: "inherit", fontSize: 12 };
  const base = {
    animation: false,
    color: CHART_COLORS,
    textStyle,
    // The chart's own reading is given by its container (role="img") and the data table.
    aria: { enabled: false },
    tooltip: {
      trigger: data.kind === "pie" ? "item" : "axis",
      valueFormatter: format,
      confine: true,
    },
    legend:
      data.kind === "pie" || data.series.length > 1
        ? { bottom: 0, textStyle, itemGap: 16 }
        : { show: false },
  };
  if (data.kind === "pie") {
    const first = data.series[0];
    return {
      ...base,
      series: [
        {
          type: "pie",
          name: first?.name,
          radius: narrow ? ["30%", "60%"] : ["35%", "70%"],
          center: ["50%", "45%"],
          label: { color: TEXT, formatter: (p: { name: string }) => p.name },
          data: data.categories.map((name, i) => ({ name, value: first?.values[i] ?? null })),
        },
      ],
    };
  }
  const legend = data.series.length > 1;
  return {
    ...base,
    grid: {
      left: 8,
      right: 16,
      top: data.valueLabel ? 32 : 16,
      bottom: legend ? 40 : 8,
      containLabel: true,
    },
    xAxis: {
      type: "category",
      data: data.categories,
      axisLabel: {
        color: TEXT,
        interval: 0,
        hideOverlap: true,
        width: narrow ? 64 : 120,
        overflow: "truncate",
      },
      axisLine: { lineStyle: { color: TEXT } },
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      type: "value",
      name: data.valueLabel,
      nameTextStyle: { color: TEXT, align: "left" },
      max: data.max,
      min: 0,
      ...(data.integer ? { minInterval: 1 } : {}),
      axisLabel: { color: TEXT, formatter: format },
      splitLine: { lineStyle: { color: GRID } },
    },
    series: data.series.map((s) => ({
      name: s.name,
      type: data.kind === "bar" ? "bar" : "line",
      data: s.values,
      ...(data.kind === "area" ? { areaStyle: { opacity: 0.25 } } : {}),
      ...(data.kind === "bar" ? { barMaxWidth: 48 } : { symbolSize: 6 }),
    })),
  };
}
