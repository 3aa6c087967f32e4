import {
  Accordion,
  ActionIcon,
  Group,
  Menu,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ReportCatalog } from "../../../api/reportBuilder";
import { Draggable, type Zone } from "./dnd";
import { type Base, type MeasureType, measureFits } from "./draft";
import { entitiesFor } from "./options";

/** Where the palette stands beside the report (Mantine's md breakpoint). */
const WIDE = "(min-width: 62em)";

export type AddField = (ref: string, to: Zone | "slicers") => void;

const PlusIcon = () => (
  <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
    <path d="M7 1v12M1 7h12" stroke="currentColor" strokeWidth="2" />
  </svg>
);

/**
 * What a report can be made of on its base: the fields of each entity (columns, groups,
 * filters, slicers) and the measures. Each is dragged onto a section or added with its
 * button; a search narrows both lists.
 */
export function Palette({
  catalog,
  base,
  onAddField,
  onAddMeasure,
  measureLabel,
}: {
  catalog: ReportCatalog;
  base: Base;
  onAddField: AddField;
  onAddMeasure: (type: MeasureType) => void;
  measureLabel: (type: MeasureType) => string;
}) {
  const { t } = useTranslation("reportBuilder");
  const [search, setSearch] = useState("");
  const wide = useMediaQuery(WIDE, window.matchMedia(WIDE).matches, {
    getInitialValueInEffect: false,
  });
  const words = search.trim().toLowerCase();
  const matches = (text: string) => !words || text.toLowerCase().includes(words);
  const entities = entitiesFor(catalog, base)
    .map((entity) => ({
      ...entity,
      fields: entity.fields.filter((f) => matches(`${entity.label} ${f.label}`)),
    }))
    .filter((entity) => entity.fields.length > 0);
  const measures = catalog.measures.filter(
    (m) => measureFits(catalog, m.type, base) && matches(measureLabel(m.type)),
  );
  const hidden = catalog.entities.filter(
    (e) => e.available && !e.allowed && e.bases.includes(base),
  );
  return (
    <Stack gap="sm" component="section" aria-labelledby="palette-heading">
      <Title order={2} size="h4" id="palette-heading">
        {t("palette.heading")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("palette.hint")}
      </Text>
      <TextInput
        type="search"
        label={t("palette.search")}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      <Title order={3} size="h5">
        {t("palette.fields")}
      </Title>
      {entities.length === 0 && <Text size="sm">{t("palette.noMatch")}</Text>}
      {/* Beside the report on wide screens, the first two entities open; above it on phones,
          all closed, so the report's sections are not a long scroll away. */}
      <Accordion
        multiple
        variant="contained"
        defaultValue={wide ? entities.slice(0, 2).map((e) => e.entity) : []}
      >
        {entities.map((entity) => (
          <Accordion.Item key={entity.entity} value={entity.entity}>
            <Accordion.Control>{entity.label}</Accordion.Control>
            <Accordion.Panel>
              <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: "none" }}>
                {entity.fields.map((field) => {
                  const name = `${entity.label}: ${field.label}`;
                  return (
                    <li key={field.key}>
                      <Draggable
                        id={`field:${field.key}`}
                        payload={{ kind: "field", ref: field.key, label: name }}
                      >
                        <Group gap="xs" wrap="nowrap" justify="space-between">
                          <Text
                            size="sm"
                            title={field.description ?? undefined}
                            style={{ overflowWrap: "anywhere" }}
                          >
                            {field.label}
                          </Text>
                          <Menu position="bottom-end" withinPortal>
                            <Menu.Target>
                              <ActionIcon
                                variant="default"
                                size="sm"
                                aria-label={t("palette.addField", { name })}
                              >
                                <PlusIcon />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item onClick={() => onAddField(field.key, "columns")}>
                                {t("palette.asColumn")}
                              </Menu.Item>
                              <Menu.Item onClick={() => onAddField(field.key, "groups")}>
                                {t("palette.asGroup")}
                              </Menu.Item>
                              <Menu.Item onClick={() => onAddField(field.key, "filters")}>
                                {t("palette.asFilter")}
                              </Menu.Item>
                              {field.type !== "id" && (
                                <Menu.Item onClick={() => onAddField(field.key, "slicers")}>
                                  {t("palette.asSlicer")}
                                </Menu.Item>
                              )}
                            </Menu.Dropdown>
                          </Menu>
                        </Group>
                      </Draggable>
                    </li>
                  );
                })}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
      {hidden.length > 0 && (
        <Text size="xs" c="dimmed">
          {t("palette.hidden", { entities: hidden.map((e) => e.label).join(", ") })}
        </Text>
      )}
      <Title order={3} size="h5">
        {t("palette.measures")}
      </Title>
      <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: "none" }}>
        {measures.map((m) => (
          <li key={m.type}>
            <Draggable
              id={`measure:${m.type}`}
              payload={{ kind: "measure", type: m.type, label: measureLabel(m.type) }}
            >
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <Tooltip label={m.definition} multiline w={260} withinPortal>
                  <Text size="sm">{measureLabel(m.type)}</Text>
                </Tooltip>
                <ActionIcon
                  variant="default"
                  size="sm"
                  aria-label={t("palette.addMeasure", { name: measureLabel(m.type) })}
                  onClick={() => onAddMeasure(m.type)}
                >
                  <PlusIcon />
                </ActionIcon>
              </Group>
            </Draggable>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
