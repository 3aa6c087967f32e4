import { Group, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { SortableList } from "../../../ui/SortableList";
import { DropZone } from "./dnd";
import { type MeasureDraft, type MeasureType, measureFits, measureId, problemsAt } from "./draft";
import { fieldOptions } from "./options";
import { ItemRow, Problems, RemoveButton, Section, type SectionProps } from "./parts";

/** The figures of the report: each a measure type, with the field it takes and its label. */
export function MeasuresSection({
  draft,
  change,
  catalog,
  problems,
  measureLabel,
}: SectionProps & { measureLabel: (type: MeasureType) => string }) {
  const { t } = useTranslation("reportBuilder");
  const types = catalog.measures
    .filter((m) => measureFits(catalog, m.type, draft.base))
    .map((m) => ({ value: m.type, label: measureLabel(m.type) }));
  const update = (key: string, patch: Partial<MeasureDraft>) =>
    change((d) => ({
      ...d,
      measures: d.measures.map((m) => (m.key === key ? { ...m, ...patch } : m)),
    }));
  const items = draft.measures.map((m, index) => ({ ...m, id: m.key, index }));
  return (
    <Section id="measures" title={t("measures.heading")} hint={t("measures.hint")}>
      <DropZone zone="measures">
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("measures.empty")}
          </Text>
        ) : (
          <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: "none" }}>
            <SortableList
              items={items}
              itemElement="li"
              label={(m) => m.label || measureLabel(m.type)}
              onReorder={(ids) =>
                change((d) => ({
                  ...d,
                  measures: ids.map((id) => d.measures.find((m) => m.key === id) as MeasureDraft),
                }))
              }
            >
              {(m, handle) => {
                const spec = catalog.measures.find((x) => x.type === m.type);
                const name = m.label || measureLabel(m.type);
                const path = `measures.${m.index}`;
                return (
                  <ItemRow
                    handle={handle}
                    remove={
                      <RemoveButton
                        name={name}
                        onClick={() =>
                          change((d) => ({
                            ...d,
                            measures: d.measures.filter((x) => x.key !== m.key),
                          }))
                        }
                      />
                    }
                  >
                    <SimpleGrid cols={{ base: 1, xs: spec?.field ? 3 : 2 }} spacing="xs">
                      <Select
                        label={t("measures.type")}
                        data={types}
                        value={m.type}
                        allowDeselect={false}
                        onChange={(value) => {
                          if (!value) return;
                          const type = value as MeasureType;
                          const next = catalog.measures.find((x) => x.type === type);
                          change((d) => ({
                            ...d,
                            measures: d.measures.map((x) =>
                              x.key === m.key
                                ? {
                                    ...x,
                                    type,
                                    id: measureId(
                                      type,
                                      d.measures.filter((y) => y.key !== m.key).map((y) => y.id),
                                    ),
                                    format: next?.format ?? "number",
                                    field: next?.field ? x.field : undefined,
                                  }
                                : x,
                            ),
                          }));
                        }}
                        error={problemsAt(problems, `${path}.type`)[0]}
                      />
                      {spec?.field && (
                        <Select
                          label={t("measures.field")}
                          data={fieldOptions(
                            catalog,
                            draft.base,
                            spec.field === "number" ? ["number"] : undefined,
                          )}
                          value={m.field ?? null}
                          searchable
                          onChange={(value) => update(m.key, { field: value ?? undefined })}
                          error={problemsAt(problems, `${path}.field`)[0]}
                        />
                      )}
                      <TextInput
                        label={t("measures.label")}
                        placeholder={measureLabel(m.type)}
                        value={m.label ?? ""}
                        onChange={(event) =>
                          update(m.key, { label: event.currentTarget.value || undefined })
                        }
                        error={problemsAt(problems, `${path}.label`)[0]}
                      />
                    </SimpleGrid>
                    <Group gap="xs">
                      <Text size="xs" c="dimmed">
                        {spec?.definition}
                      </Text>
                    </Group>
                    <Problems
                      messages={problemsAt(problems, path).filter(
                        (message) =>
                          ![".type", ".field", ".label"].some((s) =>
                            problemsAt(problems, `${path}${s}`).includes(message),
                          ),
                      )}
                    />
                  </ItemRow>
                );
              }}
            </SortableList>
          </Stack>
        )}
      </DropZone>
      <Problems messages={problems.filter((p) => p.field === "measures").map((p) => p.message)} />
    </Section>
  );
}
