import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { DropZone } from "./dnd";
import {
  canAdd,
  fieldOf,
  type Granularity,
  type GroupDraft,
  newSlicer,
  problemsAt,
  type SlicerDraft,
  withField,
} from "./draft";
import { fieldLabel, fieldOptions, firstField } from "./options";
import { ItemRow, Problems, RemoveButton, Section, type SectionProps } from "./parts";

const GRANULARITIES: readonly Granularity[] = ["hour", "day", "week", "month", "quarter", "year"];
/** Fields a slicer cuts: not ids. */
const SLICEABLE = ["string", "number", "date", "boolean"] as const;

/**
 * Groups: rows grouped by a field (dates cut to a period), sorted, with a subtotal each, and
 * one group may keep only its top N (the rest as Other).
 */
export function GroupsSection({ draft, change, catalog, problems }: SectionProps) {
  const { t } = useTranslation("reportBuilder");
  const update = (key: string, patch: Partial<GroupDraft>) =>
    change((d) => ({
      ...d,
      groups: d.groups.map((g) => (g.key === key ? { ...g, ...patch } : g)),
    }));
  const granularities = GRANULARITIES.map((g) => ({ value: g, label: t(`granularity.${g}`) }));
  return (
    <Section id="groups" title={t("groups.heading")} hint={t("groups.hint")}>
      <DropZone zone="groups">
        {draft.groups.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("groups.empty")}
          </Text>
        ) : (
          <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: "none" }}>
            {draft.groups.map((g, index) => {
              const path = `groups.${index}`;
              const isDate = fieldOf(catalog, g.field)?.type === "date";
              const name = fieldLabel(catalog, g.field);
              return (
                <li key={g.key}>
                  <ItemRow
                    remove={
                      <RemoveButton
                        name={t("groups.named", { name })}
                        onClick={() =>
                          change((d) => ({ ...d, groups: d.groups.filter((x) => x.key !== g.key) }))
                        }
                      />
                    }
                  >
                    <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="xs">
                      <Select
                        label={t("groups.field")}
                        data={fieldOptions(catalog, draft.base)}
                        value={g.field}
                        searchable
                        allowDeselect={false}
                        onChange={(value) =>
                          value &&
                          update(g.key, {
                            field: value,
                            granularity:
                              fieldOf(catalog, value)?.type === "date"
                                ? (g.granularity ?? "month")
                                : undefined,
                          })
                        }
                        error={problemsAt(problems, `${path}.field`)[0]}
                      />
                      {isDate && (
                        <Select
                          label={t("groups.granularity")}
                          data={granularities}
                          value={g.granularity ?? null}
                          onChange={(value) =>
                            update(g.key, { granularity: (value as Granularity) ?? undefined })
                          }
                          error={problemsAt(problems, `${path}.granularity`)[0]}
                        />
                      )}
                      <Select
                        label={t("groups.sortBy")}
                        data={(["label", "value", "count"] as const).map((v) => ({
                          value: v,
                          label: t(`groups.sort.${v}`),
                        }))}
                        value={g.sortBy ?? "label"}
                        allowDeselect={false}
                        onChange={(value) =>
                          value && update(g.key, { sortBy: value as GroupDraft["sortBy"] })
                        }
                      />
                      <Select
                        label={t("groups.direction")}
                        data={(["asc", "desc"] as const).map((v) => ({
                          value: v,
                          label: t(`direction.${v}`),
                        }))}
                        value={g.sortDirection ?? "asc"}
                        allowDeselect={false}
                        onChange={(value) =>
                          value && update(g.key, { sortDirection: value as "asc" | "desc" })
                        }
                      />
                      <NumberInput
                        label={t("groups.topN")}
                        description={t("groups.topNHint")}
                        min={1}
                        max={1000}
                        value={g.topN ?? ""}
                        onChange={(value) =>
                          update(g.key, { topN: typeof value === "number" ? value : undefined })
                        }
                        error={problemsAt(problems, `${path}.topN`)[0]}
                      />
                      <Checkbox
                        mt="lg"
                        label={t("groups.showOther")}
                        checked={g.showOther ?? false}
                        disabled={!g.topN}
                        onChange={(event) =>
                          update(g.key, { showOther: event.currentTarget.checked })
                        }
                      />
                    </SimpleGrid>
                  </ItemRow>
                </li>
              );
            })}
          </Stack>
        )}
      </DropZone>
      <Button
        variant="default"
        size="xs"
        w="fit-content"
        disabled={!canAdd(draft, "groups")}
        onClick={() => {
          const first = firstField(catalog, draft.base);
          if (first) change((d) => withField(d, first, "groups", catalog));
        }}
      >
        {t("groups.add")}
      </Button>
      <Problems messages={problems.filter((p) => p.field === "groups").map((p) => p.message)} />
    </Section>
  );
}

/**
 * Slicers: a field whose values become columns of their own (categorical values, number
 * ranges, or periods of a date), at most two.
 */
export function SlicersSection({ draft, change, catalog, problems }: SectionProps) {
  const { t } = useTranslation("reportBuilder");
  const update = (key: string, patch: Partial<SlicerDraft>) =>
    change((d) => ({
      ...d,
      slicers: d.slicers.map((s) => (s.key === key ? { ...s, ...patch } : s)),
    }));
  return (
    <Section id="slicers" title={t("slicers.heading")} hint={t("slicers.hint")}>
      {draft.slicers.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("slicers.empty")}
        </Text>
      )}
      <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: "none" }}>
        {draft.slicers.map((s, index) => {
          const path = `slicers.${index}`;
          const name = fieldLabel(catalog, s.field);
          const type = fieldOf(catalog, s.field)?.type;
          const types =
            type === "date"
              ? ["time", "categorical"]
              : type === "number"
                ? ["range", "categorical"]
                : ["categorical"];
          return (
            <li key={s.key}>
              <ItemRow
                remove={
                  <RemoveButton
                    name={t("slicers.named", { name })}
                    onClick={() =>
                      change((d) => ({ ...d, slicers: d.slicers.filter((x) => x.key !== s.key) }))
                    }
                  />
                }
              >
                <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
                  <Select
                    label={t("slicers.field")}
                    data={fieldOptions(catalog, draft.base, [
                      "string",
                      "number",
                      "date",
                      "boolean",
                    ])}
                    value={s.field}
                    searchable
                    allowDeselect={false}
                    onChange={(value) =>
                      value &&
                      change((d) => ({
                        ...d,
                        slicers: d.slicers.map((x) =>
                          x.key === s.key ? newSlicer(value, catalog) : x,
                        ),
                      }))
                    }
                    error={problemsAt(problems, `${path}.field`)[0]}
                  />
                  <Select
                    label={t("slicers.type")}
                    data={types.map((v) => ({ value: v, label: t(`slicers.types.${v}`) }))}
                    value={s.type}
                    allowDeselect={false}
                    onChange={(value) =>
                      value &&
                      update(s.key, {
                        type: value as SlicerDraft["type"],
                        ...(value === "time"
                          ? { timeGranularity: s.timeGranularity ?? "month" }
                          : {}),
                      })
                    }
                    error={problemsAt(problems, `${path}.type`)[0]}
                  />
                  {s.type === "time" && (
                    <Select
                      label={t("groups.granularity")}
                      data={GRANULARITIES.map((g) => ({ value: g, label: t(`granularity.${g}`) }))}
                      value={s.timeGranularity ?? null}
                      onChange={(value) =>
                        update(s.key, { timeGranularity: (value as Granularity) ?? undefined })
                      }
                      error={problemsAt(problems, `${path}.timeGranularity`)[0]}
                    />
                  )}
                  {s.type === "categorical" && (
                    <TagsInput
                      label={t("slicers.values")}
                      description={t("slicers.valuesHint")}
                      value={s.values ?? []}
                      onChange={(values) =>
                        update(s.key, { values: values.length ? values : undefined })
                      }
                      error={problemsAt(problems, `${path}.values`)[0]}
                    />
                  )}
                </SimpleGrid>
                {s.type === "range" && (
                  <Stack gap={4}>
                    {(s.buckets ?? []).map((bucket, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: ranges are edited in place
                      <Group key={i} gap="xs" align="flex-end" wrap="wrap">
                        <TextInput
                          label={t("slicers.bucketLabel")}
                          value={bucket.label}
                          w={120}
                          onChange={(event) => {
                            const label = event.currentTarget.value;
                            update(s.key, {
                              buckets: (s.buckets ?? []).map((b, j) =>
                                j === i ? { ...b, label } : b,
                              ),
                            });
                          }}
                        />
                        <NumberInput
                          label={t("slicers.bucketMin")}
                          value={bucket.min ?? ""}
                          w={100}
                          onChange={(value) =>
                            update(s.key, {
                              buckets: (s.buckets ?? []).map((b, j) =>
                                j === i
                                  ? { ...b, min: typeof value === "number" ? value : undefined }
                                  : b,
                              ),
                            })
                          }
                        />
                        <NumberInput
                          label={t("slicers.bucketMax")}
                          value={bucket.max ?? ""}
                          w={100}
                          onChange={(value) =>
                            update(s.key, {
                              buckets: (s.buckets ?? []).map((b, j) =>
                                j === i
                                  ? { ...b, max: typeof value === "number" ? value : undefined }
                                  : b,
                              ),
                            })
                          }
                        />
                        <RemoveButton
                          name={t("slicers.bucketNamed", { name: bucket.label })}
                          onClick={() =>
                            update(s.key, { buckets: (s.buckets ?? []).filter((_, j) => j !== i) })
                          }
                        />
                      </Group>
                    ))}
                    <Button
                      variant="default"
                      size="xs"
                      w="fit-content"
                      onClick={() =>
                        update(s.key, { buckets: [...(s.buckets ?? []), { label: "" }] })
                      }
                    >
                      {t("slicers.addBucket")}
                    </Button>
                  </Stack>
                )}
                <Problems messages={problemsAt(problems, `${path}.buckets`)} />
              </ItemRow>
            </li>
          );
        })}
      </Stack>
      <Button
        variant="default"
        size="xs"
        w="fit-content"
        disabled={!canAdd(draft, "slicers")}
        onClick={() => {
          const first = firstField(catalog, draft.base, SLICEABLE);
          if (first) change((d) => withField(d, first, "slicers", catalog));
        }}
      >
        {t("slicers.add")}
      </Button>
    </Section>
  );
}
