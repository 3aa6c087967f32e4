import type { TFunction } from "i18next";
import type { ReportTemplateVersion } from "../../api/reports";

/**
 * What one version of a template changed from the one before (both whole, from
 * `GET /report-templates/{id}/versions`), in words: its name, description, visibility,
 * category, tags, default format, and which parts of its report definition.
 */

/** JSON with sorted keys, so that two equal objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

const DEFINITION_PARTS = [
  "dimensions",
  "measures",
  "groups",
  "slicers",
  "filters",
  "display",
  "visualization",
  "output",
] as const;

/** Where a version was visible, in words (with its team's or department's name). */
export function visibilityOf(
  v: Pick<ReportTemplateVersion, "visibility" | "team" | "department">,
  t: TFunction<"reports">,
): string {
  const name = v.visibility === "team" ? v.team?.name : v.department?.name;
  return name
    ? t(`template.visibilityNamed.${v.visibility as "team" | "department"}`, { name })
    : t(`template.visibilities.${v.visibility}`);
}

export function versionChanges(
  newer: ReportTemplateVersion,
  older: ReportTemplateVersion,
  t: TFunction<"reports">,
): string[] {
  const changes: string[] = [];
  if (newer.name !== older.name)
    changes.push(t("template.changes.name", { from: older.name, to: newer.name }));
  if ((newer.description ?? "") !== (older.description ?? ""))
    changes.push(t("template.changes.description"));
  const before = visibilityOf(older, t);
  const after = visibilityOf(newer, t);
  if (before !== after) changes.push(t("template.changes.visibility", { from: before, to: after }));
  const parts = DEFINITION_PARTS.filter(
    (part) =>
      canonical((newer.definition as Record<string, unknown>)[part]) !==
      canonical((older.definition as Record<string, unknown>)[part]),
  );
  if (parts.length)
    changes.push(
      t("template.changes.definition", {
        parts: parts.map((p) => t(`template.definitionParts.${p}`)).join(", "),
      }),
    );
  if (newer.category !== older.category)
    changes.push(t("template.changes.category", { from: older.category, to: newer.category }));
  if (canonical(newer.tags) !== canonical(older.tags))
    changes.push(
      newer.tags.length
        ? t("template.changes.tags", { tags: newer.tags.join(", ") })
        : t("template.changes.noTags"),
    );
  if (newer.defaultOutputFormat !== older.defaultOutputFormat)
    changes.push(
      t("template.changes.format", {
        from: t(`format.${older.defaultOutputFormat}`),
        to: t(`format.${newer.defaultOutputFormat}`),
      }),
    );
  if (newer.slug !== older.slug)
    changes.push(t("template.changes.slug", { from: older.slug, to: newer.slug }));
  if (newer.icon !== older.icon || newer.color !== older.color)
    changes.push(t("template.changes.look"));
  return changes;
}
