import type { TFunction } from "i18next";
import type { ReportDefinition } from "../../api/reports";

/**
 * A report definition said in words (a template's page): what it counts, its rows, groups,
 * measures and filters. Labels come from the `reports` namespace (`definition.*`); a field or
 * measure it does not know is shown by its key.
 */

type Base =
  | "enrollment"
  | "activity"
  | "assessment"
  | "integration-run"
  | "integration-incident"
  | "compliance-assignment";
type Measure = ReportDefinition["measures"][number];
type Filters = NonNullable<ReportDefinition["filters"]>;
type Custom = NonNullable<Filters["customFilters"]>[number];

const ACTIVITY_ONLY = new Set(["event-count"]);
const ASSESSMENT_ONLY = new Set(["pass-rate", "fail-rate", "avg-score"]);
const RUNS_ONLY = new Set([
  "run-count",
  "success-rate",
  "error-rate",
  "avg-call-latency",
  "records-per-run",
  "failed-records",
  "sla-met-rate",
]);
const INCIDENTS_ONLY = new Set([
  "incident-count",
  "open-incidents",
  "avg-hours-to-resolve",
  "median-hours-to-resolve",
]);

const COMPLIANCE_ONLY = new Set([
  "compliance-assignments",
  "compliant-count",
  "overdue-count",
  "expired-count",
  "exempt-count",
  "compliance-score",
  "violations",
]);

/**
 * What the report counts, as the server picks it (registry.ts `baseFor`): learning events when
 * a measure or entity is theirs only, graded attempts, integration sync runs and incidents
 * likewise, else
 * enrollments.
 */
export function baseOf(def: ReportDefinition): Base {
  const entities = [
    ...(def.dimensions ?? []).map((d) => d.entity),
    ...[...(def.groups ?? []), ...(def.filters?.customFilters ?? [])].map(
      (g) => g.field.split(".")[0],
    ),
  ];
  if (def.measures.some((m) => ACTIVITY_ONLY.has(m.type)) || entities.includes("activity"))
    return "activity";
  if (def.measures.some((m) => ASSESSMENT_ONLY.has(m.type)) || entities.includes("assessment"))
    return "assessment";
  // Incidents first: the integration entity describes both runs and incidents.
  if (def.measures.some((m) => INCIDENTS_ONLY.has(m.type)) || entities.includes("incident"))
    return "integration-incident";
  if (
    def.measures.some((m) => RUNS_ONLY.has(m.type)) ||
    entities.some((e) => e === "integration" || e === "sync-run")
  )
    return "integration-run";
  if (def.measures.some((m) => COMPLIANCE_ONLY.has(m.type)) || entities.includes("compliance"))
    return "compliance-assignment";
  return "enrollment";
}

export interface DefinitionWords {
  base: string;
  rows: string[];
  groups: string[];
  measures: string[];
  filters: string[];
}

interface Formats {
  dateTime: (iso: string) => string;
  number: (value: number) => string;
}

export function describeDefinition(
  def: ReportDefinition,
  t: TFunction<"reports">,
  format: Formats,
): DefinitionWords {
  const entity = (key: string) => t(`definition.entities.${key}`, { defaultValue: key });
  const field = (ref: string) => {
    const [e = "", f = ""] = ref.split(".");
    return t("definition.field", {
      entity: entity(e),
      field: t(`definition.fields.${e}.${f}`, { defaultValue: f }),
    });
  };
  const measure = (m: Measure) => {
    const type = t(`definition.measures.${m.type}`, { defaultValue: m.type });
    const named = m.field
      ? t("definition.measureOf", { measure: type, field: field(m.field) })
      : type;
    return m.label ? t("definition.labelled", { label: m.label, measure: named }) : named;
  };
  const list = (values: readonly string[], prefix: string) =>
    values.map((v) => t(`${prefix}.${v}`, { defaultValue: v })).join(", ");
  const value = (c: Custom, v: unknown): string => {
    if (typeof v === "boolean") return v ? t("definition.yes") : t("definition.no");
    if (typeof v === "number") return format.number(v);
    if (typeof v === "string" && /At$/.test(c.field) && !Number.isNaN(Date.parse(v)))
      return format.dateTime(v);
    return String(v);
  };
  const custom = (c: Custom) => {
    const dated = /At$/.test(c.field) && ["gt", "gte", "lt", "lte"].includes(c.operator);
    const operator = t(`definition.operators.${dated ? `${c.operator}Date` : c.operator}`, {
      defaultValue: c.operator,
    });
    const shown = Array.isArray(c.value)
      ? c.value.map((v) => value(c, v)).join(", ")
      : c.value === undefined
        ? ""
        : value(c, c.value);
    const end = c.valueEnd !== undefined ? ` ${t("definition.and")} ${value(c, c.valueEnd)}` : "";
    return `${field(c.field)} ${operator}${shown ? ` ${shown}` : ""}${end}`;
  };

  const f: Filters = def.filters ?? {};
  const filters: string[] = [];
  const counted = (key: string, ids: readonly string[] | undefined) => {
    if (ids?.length) filters.push(t(`definition.filter.${key}`, { count: ids.length }));
  };
  counted("departmentIds", f.departmentIds);
  counted("courseIds", f.courseIds);
  counted("classIds", f.classIds);
  counted("programIds", f.programIds);
  counted("learnerIds", f.learnerIds);
  counted("instructorIds", f.instructorIds);
  if (f.dateRange)
    filters.push(
      t("definition.filter.dateRange", {
        field: t(`definition.dateFields.${f.dateRange.field}`),
        start: format.dateTime(f.dateRange.start),
        end: format.dateTime(f.dateRange.end),
      }),
    );
  if (f.lastDays) filters.push(t("definition.filter.lastDays", { count: f.lastDays }));
  if (f.enrollmentStatus?.length)
    filters.push(
      t("definition.filter.enrollmentStatus", {
        values: list(f.enrollmentStatus, "definition.statuses"),
      }),
    );
  if (f.completionStatus?.length)
    filters.push(
      t("definition.filter.completionStatus", {
        values: list(f.completionStatus, "definition.completion"),
      }),
    );
  if (f.activityTypes?.length)
    filters.push(t("definition.filter.activityTypes", { values: f.activityTypes.join(", ") }));
  if (f.scoreRange && (f.scoreRange.min !== undefined || f.scoreRange.max !== undefined))
    filters.push(
      t("definition.filter.scoreRange", {
        min: format.number(f.scoreRange.min ?? 0),
        max: format.number(f.scoreRange.max ?? 100),
      }),
    );
  if (f.passStatus?.length)
    filters.push(
      t("definition.filter.passStatus", { values: list(f.passStatus, "definition.pass") }),
    );
  for (const c of f.customFilters ?? []) filters.push(custom(c));

  return {
    base: t(`definition.bases.${baseOf(def)}`),
    rows: (def.dimensions ?? []).map((d) =>
      t("definition.dimension", {
        entity: entity(d.entity),
        fields: d.fields
          .map((name) => t(`definition.fields.${d.entity}.${name}`, { defaultValue: name }))
          .join(", "),
      }),
    ),
    groups: (def.groups ?? []).map((g) =>
      g.granularity
        ? t("definition.groupBy", {
            field: field(g.field),
            granularity: t(`definition.granularities.${g.granularity}`),
          })
        : field(g.field),
    ),
    measures: def.measures.map(measure),
    filters,
  };
}
