import { Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { SortableList } from "../../../ui/SortableList";
import { DropZone } from "./dnd";
import { groupColumns, problemsAt } from "./draft";
import { fieldLabel } from "./options";
import { ItemRow, Problems, RemoveButton, Section, type SectionProps } from "./parts";

/**
 * The report's columns (its dimensions): one row per combination of their values. Reordered
 * by dragging; fields of one entity stay together, as the report shows them.
 */
export function ColumnsSection({
  draft,
  change,
  catalog,
  problems,
  columnPaths,
}: SectionProps & { columnPaths: Record<string, string> }) {
  const { t } = useTranslation("reportBuilder");
  const items = draft.columns.map((ref) => ({ id: ref, label: fieldLabel(catalog, ref) }));
  return (
    <Section id="columns" title={t("columns.heading")} hint={t("columns.hint")}>
      <DropZone zone="columns">
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("columns.empty")}
          </Text>
        ) : (
          <Stack gap={4} component="ol" m={0} p={0} style={{ listStyle: "none" }}>
            <SortableList
              items={items}
              itemElement="li"
              label={(item) => item.label}
              onReorder={(ids) => change((d) => ({ ...d, columns: groupColumns(ids) }))}
            >
              {(item, handle) => (
                <ItemRow
                  handle={handle}
                  remove={
                    <RemoveButton
                      name={item.label}
                      onClick={() =>
                        change((d) => ({ ...d, columns: d.columns.filter((c) => c !== item.id) }))
                      }
                    />
                  }
                >
                  <Text size="sm" pt={4}>
                    {item.label}
                  </Text>
                  <Problems
                    messages={
                      columnPaths[item.id]
                        ? problemsAt(problems, columnPaths[item.id] as string)
                        : []
                    }
                  />
                </ItemRow>
              )}
            </SortableList>
          </Stack>
        )}
      </DropZone>
      <Problems
        messages={problems
          .filter((p) => p.field === "dimensions" || /^dimensions\.\d+\.entity/.test(p.field))
          .map((p) => p.message)}
      />
    </Section>
  );
}
