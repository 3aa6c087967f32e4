import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useDepartments } from "../../../api/people";
import { useSignedInMe } from "../../../app/RequireAuth";
import { dayOf, endOfDay, startOfDay } from "../../../ui/days";
import { DropZone } from "./dnd";
import {
  canAdd,
  type Draft,
  type FilterDraft,
  fieldOf,
  LIST_VALUE,
  NO_VALUE,
  type Operator,
  problemsAt,
  TEXT_ONLY,
  WITHOUT_LEARNERS,
  withField,
} from "./draft";
import { fieldLabel, fieldOptions, firstField } from "./options";
import { ItemRow, Problems, RemoveButton, Section, type SectionProps } from "./parts";

type Structured = Draft["structured"];
type FieldType = "id" | "string" | "number" | "date" | "boolean";

const ORDERED: readonly Operator[] = ["eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "nin"];
/** The operators that make sense on a field of each type (the server checks again). */
export const OPERATORS_FOR: Record<FieldType, readonly Operator[]> = {
  string: ["eq", "ne", "in", "nin", ...TEXT_ONLY, ...NO_VALUE],
  id: ["eq", "ne", "in", "nin", ...TEXT_ONLY, ...NO_VALUE],
  number: [...ORDERED, ...NO_VALUE],
  date: [...ORDERED, ...NO_VALUE],
  boolean: ["eq", "ne", ...NO_VALUE],
};

const ENROLLMENT_STATUSES = [
  "pending-payment",
  "active",
  "completed",
  "dropped",
  "expired",
  "suspended",
] as const;
const DATE_FIELDS = ["enrolledAt", "completedAt", "eventDate", "createdAt"] as const;

/**
 * Which rows count: the structured filters (a date range, statuses, departments, and the
 * base's own: activity types, scores, pass status) and conditions on any field, with every
 * operator the field's type takes.
 */
export function FiltersSection({
  draft,
  change,
  catalog,
  problems,
  orgId,
}: SectionProps & { orgId: string }) {
  const { t } = useTranslation("reportBuilder");
  const { t: tr } = useTranslation("reports");
  const me = useSignedInMe();
  const departments = useDepartments(me.user.id, orgId, true);
  const s = draft.structured;
  const set = (patch: Partial<Structured>) =>
    change((d) => {
      const next: Structured = { ...d.structured, ...patch };
      for (const [key, value] of Object.entries(patch))
        if (value === undefined || (Array.isArray(value) && value.length === 0))
          delete next[key as keyof Structured];
      return { ...d, structured: next };
    });
  const updateFilter = (key: string, patch: Partial<FilterDraft>) =>
    change((d) => ({
      ...d,
      filters: d.filters.map((f) => (f.key === key ? { ...f, ...patch } : f)),
    }));
  const range = s.dateRange;
  // Sync runs have no learner, course or enrollment: only their own date filters them.
  const learning = !WITHOUT_LEARNERS.includes(draft.base);
  const dateFields = learning ? DATE_FIELDS : (["eventDate", "createdAt"] as const);
  return (
    <Section id="filters" title={t("filters.heading")} hint={t("filters.hint")}>
      <Checkbox
        label={t("filters.dateRange")}
        checked={!!range}
        onChange={(event) =>
          set({
            dateRange: event.currentTarget.checked
              ? {
                  field: draft.base === "enrollment" ? "enrolledAt" : "eventDate",
                  start: startOfDay(dayOf(null, -90)) as string,
                  end: endOfDay(dayOf(null)) as string,
                }
              : undefined,
          })
        }
      />
      {range && (
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
          <Select
            label={t("filters.dateField")}
            data={dateFields.map((f) => ({ value: f, label: t(`filters.dateFields.${f}`) }))}
            value={range.field}
            allowDeselect={false}
            onChange={(value) =>
              value && set({ dateRange: { ...range, field: value as typeof range.field } })
            }
          />
          <TextInput
            type="date"
            label={t("filters.from")}
            value={dayOf(range.start)}
            onChange={(event) => {
              const start = startOfDay(event.currentTarget.value);
              if (start) set({ dateRange: { ...range, start } });
            }}
            error={problemsAt(problems, "filters.dateRange.start")[0]}
          />
          <TextInput
            type="date"
            label={t("filters.to")}
            value={dayOf(range.end)}
            onChange={(event) => {
              const end = endOfDay(event.currentTarget.value);
              if (end) set({ dateRange: { ...range, end } });
            }}
            error={problemsAt(problems, "filters.dateRange.end")[0]}
          />
        </SimpleGrid>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        {learning && (
          <>
            <MultiSelect
              label={t("filters.enrollmentStatus")}
              data={ENROLLMENT_STATUSES.map((v) => ({
                value: v,
                label: t(`filters.enrollmentStatuses.${v}`),
              }))}
              value={s.enrollmentStatus ?? []}
              searchable
              onChange={(value) =>
                set({ enrollmentStatus: value as Structured["enrollmentStatus"] })
              }
            />
            <MultiSelect
              label={t("filters.completionStatus")}
              data={(["complete", "incomplete"] as const).map((v) => ({
                value: v,
                label: t(`filters.completion.${v}`),
              }))}
              value={s.completionStatus ?? []}
              searchable
              onChange={(value) =>
                set({ completionStatus: value as Structured["completionStatus"] })
              }
            />
            {/* Departments are offered to whoever may list them; the filter is not for others. */}
            {!departments.isError && (
              <MultiSelect
                label={t("filters.departments")}
                data={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
                value={s.departmentIds ?? []}
                searchable
                onChange={(value) => set({ departmentIds: value })}
                error={problemsAt(problems, "filters.departmentIds")[0]}
              />
            )}
          </>
        )}
        {draft.base === "activity" && (
          <TagsInput
            label={t("filters.activityTypes")}
            description={t("filters.activityTypesHint")}
            value={s.activityTypes ?? []}
            onChange={(value) => set({ activityTypes: value })}
            error={problemsAt(problems, "filters.activityTypes")[0]}
          />
        )}
        {draft.base === "assessment" && (
          <>
            <MultiSelect
              label={t("filters.passStatus")}
              data={(["passed", "failed", "pending"] as const).map((v) => ({
                value: v,
                label: t(`filters.pass.${v}`),
              }))}
              value={s.passStatus ?? []}
              searchable
              onChange={(value) => set({ passStatus: value as Structured["passStatus"] })}
            />
            <Group grow gap="xs" align="flex-start">
              <NumberInput
                label={t("filters.scoreMin")}
                min={0}
                max={100}
                value={s.scoreRange?.min ?? ""}
                onChange={(value) => {
                  const min = typeof value === "number" ? value : undefined;
                  const next = { ...s.scoreRange, min };
                  set({
                    scoreRange: min === undefined && next.max === undefined ? undefined : next,
                  });
                }}
              />
              <NumberInput
                label={t("filters.scoreMax")}
                min={0}
                max={100}
                value={s.scoreRange?.max ?? ""}
                onChange={(value) => {
                  const max = typeof value === "number" ? value : undefined;
                  const next = { ...s.scoreRange, max };
                  set({
                    scoreRange: max === undefined && next.min === undefined ? undefined : next,
                  });
                }}
              />
            </Group>
          </>
        )}
      </SimpleGrid>
      <Text fw={500} size="sm">
        {t("filters.conditions")}
      </Text>
      <DropZone zone="filters">
        {draft.filters.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("filters.empty")}
          </Text>
        ) : (
          <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: "none" }}>
            {draft.filters.map((f, index) => {
              const type = (fieldOf(catalog, f.field)?.type ?? "string") as FieldType;
              const path = `filters.customFilters.${index}`;
              const name = fieldLabel(catalog, f.field);
              const operators = OPERATORS_FOR[type];
              return (
                <li key={f.key}>
                  <ItemRow
                    remove={
                      <RemoveButton
                        name={t("filters.conditionOn", { name })}
                        onClick={() =>
                          change((d) => ({
                            ...d,
                            filters: d.filters.filter((x) => x.key !== f.key),
                          }))
                        }
                      />
                    }
                  >
                    <SimpleGrid
                      cols={{ base: 1, xs: f.operator === "between" ? 4 : 3 }}
                      spacing="xs"
                    >
                      <Select
                        label={t("filters.field")}
                        data={fieldOptions(catalog, draft.base)}
                        value={f.field}
                        searchable
                        allowDeselect={false}
                        onChange={(value) => {
                          if (!value) return;
                          const nextType = (fieldOf(catalog, value)?.type ?? "string") as FieldType;
                          updateFilter(f.key, {
                            field: value,
                            operator: OPERATORS_FOR[nextType].includes(f.operator)
                              ? f.operator
                              : "eq",
                          });
                        }}
                        error={problemsAt(problems, `${path}.field`)[0]}
                      />
                      <Select
                        label={t("filters.operator")}
                        data={operators.map((o) => ({
                          value: o,
                          label: tr(`definition.operators.${o}`),
                        }))}
                        value={f.operator}
                        allowDeselect={false}
                        onChange={(value) =>
                          value && updateFilter(f.key, { operator: value as Operator })
                        }
                        error={problemsAt(problems, `${path}.operator`)[0]}
                      />
                      {!NO_VALUE.includes(f.operator) &&
                        (type === "boolean" ? (
                          <Select
                            label={t("filters.value")}
                            data={[
                              { value: "true", label: t("filters.yes") },
                              { value: "false", label: t("filters.no") },
                            ]}
                            value={f.value || null}
                            onChange={(value) => updateFilter(f.key, { value: value ?? "" })}
                            error={problemsAt(problems, `${path}.value`)[0]}
                          />
                        ) : (
                          <TextInput
                            label={
                              f.operator === "between" ? t("filters.from") : t("filters.value")
                            }
                            type={
                              type === "date" && !LIST_VALUE.includes(f.operator) ? "date" : "text"
                            }
                            inputMode={type === "number" ? "decimal" : undefined}
                            description={
                              LIST_VALUE.includes(f.operator) ? t("filters.listHint") : undefined
                            }
                            value={f.value}
                            onChange={(event) =>
                              updateFilter(f.key, { value: event.currentTarget.value })
                            }
                            error={problemsAt(problems, `${path}.value`)[0]}
                          />
                        ))}
                      {f.operator === "between" && (
                        <TextInput
                          label={t("filters.to")}
                          type={type === "date" ? "date" : "text"}
                          inputMode={type === "number" ? "decimal" : undefined}
                          value={f.valueEnd}
                          onChange={(event) =>
                            updateFilter(f.key, { valueEnd: event.currentTarget.value })
                          }
                          error={problemsAt(problems, `${path}.valueEnd`)[0]}
                        />
                      )}
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
        disabled={!canAdd(draft, "filters") || !firstField(catalog, draft.base)}
        onClick={() => {
          const first = firstField(catalog, draft.base);
          if (first) change((d) => withField(d, first, "filters", catalog));
        }}
      >
        {t("filters.add")}
      </Button>
      <Problems
        messages={problems
          .filter(
            (p) =>
              p.field.startsWith("filters.") &&
              !/^filters\.(customFilters|dateRange)/.test(p.field),
          )
          .map((p) => p.message)}
      />
    </Section>
  );
}
