import type { TFunction } from "i18next";
import type { ReportCatalog, ReportEntity } from "../../../api/reportBuilder";
import type { Base } from "./draft";

type FieldType = ReportEntity["fields"][number]["type"];

/** The entities a person may put in a report on this base, with their fields. */
export function entitiesFor(catalog: ReportCatalog, base: Base): ReportEntity[] {
  return catalog.entities.filter((e) => e.available && e.allowed && e.bases.includes(base));
}

/** Fields of a base for a Select, grouped by entity; only of these types when given. */
export function fieldOptions(catalog: ReportCatalog, base: Base, types?: readonly FieldType[]) {
  return entitiesFor(catalog, base)
    .map((entity) => ({
      group: entity.label,
      items: entity.fields
        .filter((f) => !types || types.includes(f.type))
        .map((f) => ({ value: f.key, label: `${entity.label}: ${f.label}` })),
    }))
    .filter((group) => group.items.length > 0);
}

/** The first field a section's add button takes (the person then picks another). */
export function firstField(
  catalog: ReportCatalog,
  base: Base,
  types?: readonly FieldType[],
): string | undefined {
  return fieldOptions(catalog, base, types)[0]?.items[0]?.value;
}

/** A field's name as the builder writes it: "Course: Title". */
export function fieldLabel(catalog: ReportCatalog, ref: string): string {
  const [entityKey] = ref.split(".");
  const entity = catalog.entities.find((e) => e.entity === entityKey);
  const field = entity?.fields.find((f) => f.key === ref);
  return entity && field ? `${entity.label}: ${field.label}` : ref;
}

/**
 * The catalog with its entities' and fields' names in the page's language, from the
 * `reports` namespace (`definition.entities`, `definition.fields`, which also say a template's
 * report in words); a name it does not know stays the server's.
 */
export function translatedCatalog(catalog: ReportCatalog, t: TFunction<"reports">): ReportCatalog {
  return {
    ...catalog,
    entities: catalog.entities.map((entity) => ({
      ...entity,
      label: t(`definition.entities.${entity.entity}`, { defaultValue: entity.label }),
      fields: entity.fields.map((field) => ({
        ...field,
        label: t(`definition.fields.${entity.entity}.${field.field}`, {
          defaultValue: field.label,
        }),
        // The server's fuller name says what a short one leaves open ("Id" of what).
        description: field.description ?? field.label,
      })),
    })),
  };
}
