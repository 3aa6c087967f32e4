import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { chartOption } from "./options";
import type { ChartData } from "./types";

// Only what the charts draw, so this chunk stays small.
use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** Below this width the chart shortens its category labels. */
const NARROW = 480;

/**
 * The ECharts drawing of a chart (SVG renderer), following its container's size. Loaded
 * lazily by Chart.tsx, so ECharts is its own chunk. Hidden from assistive technology: the
 * container names it and the table beside it holds its numbers.
 */
export default function EChart({ data, height }: { data: ChartData; height: number }) {
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const instance = init(node, null, { renderer: "svg" });
    let narrow: boolean | null = null;
    const observer = new ResizeObserver(() => {
      const now = node.clientWidth < NARROW;
      instance.resize();
      if (now !== narrow) {
        narrow = now;
        instance.setOption(chartOption(data, now), { notMerge: true });
      }
    });
    observer.observe(node);
    narrow = node.clientWidth < NARROW;
    instance.setOption(chartOption(data, narrow), { notMerge: true });
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, [data]);

  return <div ref={element} aria-hidden style={{ width: "100%", height }} />;
}
