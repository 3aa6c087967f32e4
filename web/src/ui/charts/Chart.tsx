import { Box, Button, Skeleton, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { lazy, Suspense, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { describeChart, formatValue } from "./options";
import type { ChartData } from "./types";

export type { ChartData, ChartKind, ChartSeries } from "./types";

// ECharts is its own chunk, fetched by the first page that draws a chart.
const EChart = lazy(() => import("./EChart"));

/**
 * A chart with its numbers: the drawing (ECharts, SVG) is one image named by `label` and a
 * reading of its values; the same numbers follow as a table, always there for screen readers
 * and shown on screen with "Show as table". Follows its container's width, down to 360 px.
 */
export function Chart({
  label,
  height = 280,
  ...data
}: ChartData & {
  /** What the chart shows ("Average scores by cohort"): its name and the table's caption. */
  label: string;
  height?: number;
}) {
  const { t } = useTranslation();
  const [table, setTable] = useState(false);
  const tableId = useId();
  // A new object only when the data changes, so the drawing is not rebuilt on each render.
  // The formatter is usually a new function each render; the numbers and names decide.
  const key = JSON.stringify(data);
  // biome-ignore lint/correctness/useExhaustiveDependencies: compared by content
  const stable = useMemo(() => data, [key]);
  const summary = `${label}. ${describeChart(stable)}`;
  const rows = (
    <Table striped withTableBorder style={{ overflowWrap: "anywhere" }}>
      <Table.Caption>{label}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{data.categoryLabel}</Table.Th>
          {(data.kind === "pie" ? data.series.slice(0, 1) : data.series).map((s) => (
            <Table.Th scope="col" key={s.name} ta="right">
              {s.name}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {data.categories.map((category, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a row per position; names may repeat
          <Table.Tr key={i}>
            <Table.Th scope="row" fw="normal">
              {category}
            </Table.Th>
            {(data.kind === "pie" ? data.series.slice(0, 1) : data.series).map((s) => (
              <Table.Td key={s.name} ta="right">
                {formatValue(data, s.values[i])}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return (
    <Stack gap="xs">
      <Box role="img" aria-label={summary} w="100%" miw={0}>
        <Suspense fallback={<Skeleton height={height} radius="md" />}>
          <EChart data={stable} height={height} />
        </Suspense>
      </Box>
      <Button
        variant="subtle"
        size="compact-sm"
        w="fit-content"
        aria-controls={tableId}
        onClick={() => setTable((shown) => !shown)}
      >
        {table ? t("chart.hideTable") : t("chart.showTable")}
      </Button>
      <Box id={tableId}>{table ? rows : <VisuallyHidden>{rows}</VisuallyHidden>}</Box>
      {data.categories.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("chart.noData")}
        </Text>
      )}
    </Stack>
  );
}
