import type { ReportDefinition } from "../../api/reports";

/**
 * Where the report builder opens (`/reports/builder`): on a saved template (`template`, which
 * it may then change as a new version or save as a copy), or on a definition carried in the
 * URL (`definition`, JSON: a dashboard tile's report, which the person may save as a template).
 */
export function builderPath(
  orgId: string,
  from?: { templateId: string } | { definition: ReportDefinition },
): string {
  const params = new URLSearchParams({ org: orgId });
  if (from && "templateId" in from) params.set("template", from.templateId);
  else if (from) params.set("definition", JSON.stringify(from.definition));
  return `/reports/builder?${params}`;
}

/** The definition a builder URL carries, or null when it carries none or a broken one. */
export function definitionFromParam(value: string | null): ReportDefinition | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed &&
      typeof parsed === "object" &&
      Array.isArray((parsed as ReportDefinition).measures)
      ? (parsed as ReportDefinition)
      : null;
  } catch {
    return null;
  }
}
