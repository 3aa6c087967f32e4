import { Alert, Box, Group, List, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ReportPreview } from "../../../api/reports";
import { ApiErrorAlert } from "../../../ui/ApiErrorAlert";
import { Chart } from "../../../ui/charts/Chart";
import type { ChartType } from "./draft";
import { cellText, chartOf, measureText, type ValueWriter } from "./previewData";

type Estimate = {
  estimatedSourceRows: number;
  estimatedRows: number;
  cost: number;
  expensive: boolean;
  warnings: string[];
};

/**
 * The report as it stands: what running it would cost, then its first rows as a chart and a
 * table, refreshed as the definition changes (problems first, when it cannot run).
 */
export function PreviewPanel({
  preview,
  estimate,
  chart,
  blocked,
  checking,
}: {
  preview: UseQueryResult<ReportPreview>;
  estimate: UseQueryResult<Estimate>;
  chart: ChartType;
  /** Problems not shown at a field of their own. */
  blocked: readonly string[] | null;
  checking: boolean;
}) {
  const { t, i18n } = useTranslation("reportBuilder");
  const writer: ValueWriter = {
    locale: i18n.language,
    none: t("preview.none"),
    other: t("preview.other"),
  };
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const data = preview.data;
  const drawing = data && chart !== "table" ? chartOf(data, chart, writer) : null;
  return (
    <Stack gap="sm" component="section" aria-labelledby="preview-heading">
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h4" id="preview-heading">
          {t("preview.heading")}
        </Title>
        <Text size="sm" c="dimmed" role="status" aria-live="polite">
          {checking || preview.isFetching
            ? t("preview.updating")
            : data
              ? t("preview.timing", { ms: number(Math.round(data.timing.queryMs)) })
              : ""}
        </Text>
      </Group>
      {blocked && blocked.length > 0 && (
        <Alert color="orange" variant="outline" title={t("preview.blocked")}>
          <List size="sm">
            {blocked.map((message) => (
              <List.Item key={message}>{message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {estimate.data && !blocked?.length && (
        <Stack gap={4} data-testid="estimate">
          <Text size="sm">
            {t("preview.estimate", {
              count: estimate.data.estimatedRows,
              rows: number(estimate.data.estimatedRows),
              source: number(estimate.data.estimatedSourceRows),
              cost: number(estimate.data.cost),
            })}
          </Text>
          {estimate.data.expensive && (
            <Text size="sm" c="orange.9" fw={500}>
              {t("preview.expensive")}
            </Text>
          )}
          {estimate.data.warnings.map((warning) => (
            <Text key={warning} size="sm" c="orange.9">
              {warning}
            </Text>
          ))}
        </Stack>
      )}
      {preview.error && <ApiErrorAlert error={preview.error} />}
      {!data && preview.isFetching && <Skeleton height={240} radius="md" />}
      {data &&
        !blocked?.length &&
        (data.rows.length === 0 ? (
          <Text>{t("preview.noRows")}</Text>
        ) : (
          <>
            {drawing && (
              <Chart
                {...drawing}
                label={t("preview.chartLabel")}
                valueFormatter={(value) => measureText(value, drawing.format, i18n.language)}
                max={drawing.format === "percent" ? 100 : undefined}
              />
            )}
            {/* Wide reports scroll sideways; the region takes focus so keyboards scroll it too. */}
            <Box
              tabIndex={0}
              role="region"
              aria-label={t("preview.tableRegion")}
              style={{ overflowX: "auto" }}
            >
              <Table striped withTableBorder highlightOnHover>
                <Table.Caption>
                  {t("preview.tableCaption", {
                    count: data.rows.filter((r) => r.kind === "detail").length,
                  })}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    {data.columns.map((column) => (
                      <Table.Th
                        key={column.key}
                        scope="col"
                        ta={column.kind === "measure" ? "right" : undefined}
                      >
                        {column.label}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.rows.map((row) => (
                    <Table.Tr
                      key={`${row.kind}:${JSON.stringify(row.values)}`}
                      fw={row.kind === "detail" ? undefined : 700}
                      data-kind={row.kind}
                    >
                      {data.columns.map((column, c) => (
                        <Table.Td
                          key={column.key}
                          ta={column.kind === "measure" ? "right" : undefined}
                        >
                          {row.kind !== "detail" && c === 0 && row.values[column.key] == null
                            ? row.kind === "total"
                              ? t("preview.total")
                              : t("preview.subtotal")
                            : cellText(column, row, writer)}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Box>
          </>
        ))}
    </Stack>
  );
}
