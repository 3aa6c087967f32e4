import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderPage } from "../../test/render";
import { Chart } from "./Chart";
import { CHART_COLORS, chartOption, describeChart } from "./options";
import type { ChartData } from "./types";

// The drawing itself needs a real browser; the browser tests draw it.
vi.mock("./EChart", () => ({ default: () => <div data-testid="drawing" /> }));

const scores: ChartData = {
  kind: "bar",
  categories: ["Cohort A", "Cohort B"],
  series: [
    { name: "Pre-test", values: [30, null] },
    { name: "Post-test", values: [80, 65.5] },
  ],
  categoryLabel: "Cohort",
  valueLabel: "Score (%)",
  valueFormatter: (n) => `${n} %`,
  max: 100,
};

describe("chart options", () => {
  it("reads the chart out in one line, each category with its series' values", () => {
    expect(describeChart(scores)).toBe(
      "Cohort A: Pre-test 30 %, Post-test 80 %; Cohort B: Pre-test –, Post-test 65.5 %",
    );
    const many = { ...scores, categories: ["a", "b", "c"], series: [scores.series[1]!] };
    expect(describeChart({ ...many, series: [{ name: "n", values: [1, 2, 3] }] }, 2)).toBe(
      "a: 1 %; b: 2 %; … (+1)",
    );
  });

  it("builds bars, lines, areas and a pie from the same data", () => {
    const bar = chartOption(scores, false) as {
      series: Array<{ type: string; data: unknown[] }>;
      yAxis: { max: number };
      xAxis: { data: string[] };
      color: string[];
      legend: { show?: boolean };
    };
    expect(bar.series.map((s) => s.type)).toEqual(["bar", "bar"]);
    expect(bar.series[0]?.data).toEqual([30, null]);
    expect(bar.xAxis).toMatchObject({ data: ["Cohort A", "Cohort B"] });
    expect(bar.yAxis.max).toBe(100);
    expect(bar.color).toEqual(CHART_COLORS);
    expect(bar.legend.show).not.toBe(false);
    // Narrow: shorter category labels.
    expect(
      (chartOption(scores, true) as { xAxis: { axisLabel: { width: number } } }).xAxis.axisLabel
        .width,
    ).toBeLessThan(100);
    expect(
      (chartOption({ ...scores, integer: true }, false) as { yAxis: { minInterval?: number } })
        .yAxis.minInterval,
    ).toBe(1);

    const area = chartOption({ ...scores, kind: "area" }, false) as {
      series: Array<{ type: string; areaStyle?: unknown }>;
    };
    expect(area.series.every((s) => s.type === "line" && s.areaStyle)).toBe(true);
    const line = chartOption({ ...scores, kind: "line" }, false) as {
      series: Array<{ areaStyle?: unknown }>;
    };
    expect(line.series[0]?.areaStyle).toBeUndefined();
    const pie = chartOption({ ...scores, kind: "pie" }, false) as {
      series: Array<{ type: string; data: unknown[] }>;
      xAxis?: unknown;
    };
    expect(pie.xAxis).toBeUndefined();
    expect(pie.series).toHaveLength(1);
    expect(pie.series[0]?.data).toEqual([
      { name: "Cohort A", value: 30 },
      { name: "Cohort B", value: null },
    ]);
  });
});

describe("Chart", () => {
  it("is one named image with its numbers in a table, shown on request", async () => {
    await renderPage(<Chart label="Average scores by cohort" {...scores} />);
    const image = screen.getByRole("img");
    expect(image.getAttribute("aria-label")).toBe(
      "Average scores by cohort. Cohort A: Pre-test 30 %, Post-test 80 %; Cohort B: Pre-test –, Post-test 65.5 %",
    );
    expect(await screen.findByTestId("drawing")).toBeTruthy();
    // The table is there for screen readers from the start.
    const table = screen.getByRole("table", { name: "Average scores by cohort" });
    const cells = [...table.querySelectorAll("tr")].map((row) =>
      [...row.querySelectorAll("th, td")].map((cell) => cell.textContent),
    );
    expect(cells).toEqual([
      ["Cohort", "Pre-test", "Post-test"],
      ["Cohort A", "30 %", "80 %"],
      ["Cohort B", "–", "65.5 %"],
    ]);
    await userEvent.click(screen.getByRole("button", { name: "Show as table" }));
    expect(screen.getByRole("button", { name: "Hide table" })).toBeTruthy();
    expect(screen.getByRole("table", { name: "Average scores by cohort" })).toBeTruthy();
  });
});
