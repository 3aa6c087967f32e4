import { Checkbox, Group, NumberInput, Radio, Select, SimpleGrid } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CHART_TYPES, type ChartType, problemsAt } from "./draft";
import { fieldLabel } from "./options";
import { Section, type SectionProps } from "./parts";

/** Totals, subtotals and shares, the order and length of the report, and its chart. */
export function DisplaySection({ draft, change, catalog, problems }: SectionProps) {
  const { t } = useTranslation("reportBuilder");
  const set = (patch: Partial<typeof draft.display>) =>
    change((d) => ({ ...d, display: { ...d.display, ...patch } }));
  const sortOptions = [
    ...draft.columns.map((ref) => ({ value: ref, label: fieldLabel(catalog, ref) })),
    ...draft.measures.map((m) => ({ value: m.id, label: m.label || m.id })),
  ];
  return (
    <Section id="display" title={t("display.heading")}>
      <Group gap="md">
        <Checkbox
          label={t("display.totals")}
          checked={draft.display.showTotals ?? false}
          onChange={(e) => set({ showTotals: e.currentTarget.checked })}
        />
        <Checkbox
          label={t("display.subtotals")}
          checked={draft.display.showSubtotals ?? false}
          onChange={(e) => set({ showSubtotals: e.currentTarget.checked })}
        />
        <Checkbox
          label={t("display.shares")}
          description={t("display.sharesHint")}
          checked={draft.display.showPercentages ?? false}
          onChange={(e) => set({ showPercentages: e.currentTarget.checked })}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
        <Select
          label={t("display.sortBy")}
          data={sortOptions}
          value={draft.display.sortBy ?? null}
          placeholder={t("display.natural")}
          clearable
          clearButtonProps={{ "aria-label": t("display.clearSort") }}
          onChange={(value) => set({ sortBy: value ?? undefined })}
          error={problemsAt(problems, "display.sortBy")[0]}
        />
        <Select
          label={t("groups.direction")}
          data={(["asc", "desc"] as const).map((v) => ({ value: v, label: t(`direction.${v}`) }))}
          value={draft.display.sortDirection ?? "asc"}
          allowDeselect={false}
          onChange={(value) => value && set({ sortDirection: value as "asc" | "desc" })}
        />
        <NumberInput
          label={t("display.limit")}
          min={1}
          max={100000}
          value={draft.display.limit ?? ""}
          onChange={(value) => set({ limit: typeof value === "number" ? value : undefined })}
          error={problemsAt(problems, "display.limit")[0]}
        />
      </SimpleGrid>
      <Radio.Group
        label={t("display.chart")}
        value={draft.chart}
        onChange={(value) => change((d) => ({ ...d, chart: value as ChartType }))}
      >
        <Group gap="md" mt={4}>
          {CHART_TYPES.map((type) => (
            <Radio key={type} value={type} label={t(`charts.${type}`)} />
          ))}
        </Group>
      </Radio.Group>
    </Section>
  );
}
