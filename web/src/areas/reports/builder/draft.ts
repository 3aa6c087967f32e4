import type { ReportCatalog } from "../../../api/reportBuilder";
import type { ReportDefinition } from "../../../api/reports";

/**
 * The report builder's working copy of a definition, and its way to and from the definition
 * the API takes. The builder keeps what a person edits (a flat list of columns, filter values
 * as typed) and turns it into a definition for every check and preview; what it does not
 * edit (output options, conditional formats, labels of dimensions) rides along unchanged.
 */

export type Base =
  | "enrollment"
  | "activity"
  | "assessment"
  | "integration-run"
  | "integration-incident"
  | "compliance-assignment";
export const BASES: readonly Base[] = [
  "enrollment",
  "activity",
  "assessment",
  "integration-run",
  "integration-incident",
  "compliance-assignment",
];

/** Bases whose rows are not about learners: learning filters do not apply to them. */
export const WITHOUT_LEARNERS: readonly Base[] = ["integration-run", "integration-incident"];

type Measure = ReportDefinition["measures"][number];
type Group = NonNullable<ReportDefinition["groups"]>[number];
type Slicer = NonNullable<ReportDefinition["slicers"]>[number];
type Filters = NonNullable<ReportDefinition["filters"]>;
type CustomFilter = NonNullable<Filters["customFilters"]>[number];
type Dimension = NonNullable<ReportDefinition["dimensions"]>[number];
export type MeasureType = Measure["type"];
export type Operator = CustomFilter["operator"];
export type Granularity = NonNullable<Group["granularity"]>;
export type ChartType = "table" | "bar" | "line" | "pie" | "area";
export const CHART_TYPES: readonly ChartType[] = ["table", "bar", "line", "pie", "area"];

/** Every item of a list has a key of its own, so rows keep their state as the list changes. */
export interface Keyed {
  key: string;
}
export type MeasureDraft = Keyed & Measure;
export type GroupDraft = Keyed & Group;
export type SlicerDraft = Keyed & Slicer;
/** A custom filter with its values as typed (lists comma-separated). */
export interface FilterDraft extends Keyed {
  field: string;
  operator: Operator;
  value: string;
  valueEnd: string;
}

export interface Draft {
  base: Base;
  /** Dimension fields, `entity.field`, kept together by entity (as the report shows them). */
  columns: string[];
  measures: MeasureDraft[];
  groups: GroupDraft[];
  slicers: SlicerDraft[];
  filters: FilterDraft[];
  /** The structured filters (date range, statuses, scores, …). */
  structured: Omit<Filters, "customFilters">;
  display: NonNullable<ReportDefinition["display"]>;
  chart: ChartType;
  /** What the builder does not edit, kept as it came. */
  kept: Pick<ReportDefinition, "output"> & {
    dimensionLabels: Record<string, Pick<Dimension, "label" | "sortOrder">>;
    visualizationOptions?: Record<string, unknown>;
  };
}

let counter = 0;
export const newKey = () => `k${++counter}`;

export const NO_VALUE: readonly Operator[] = ["isNull", "isNotNull"];
export const LIST_VALUE: readonly Operator[] = ["in", "nin"];
export const TEXT_ONLY: readonly Operator[] = ["contains", "startsWith", "endsWith", "regex"];

export function emptyDraft(): Draft {
  return {
    base: "enrollment",
    columns: [],
    measures: [{ key: newKey(), id: "count", type: "count", format: "number" }],
    groups: [],
    slicers: [],
    filters: [],
    structured: {},
    display: {
      showTotals: false,
      showSubtotals: false,
      showPercentages: false,
      sortDirection: "asc",
    },
    chart: "bar",
    kept: { dimensionLabels: {} },
  };
}

const entityOf = (ref: string) => ref.split(".")[0] as string;

/** The catalog's entry for a field (`entity.field`), or undefined when there is none. */
export function fieldOf(catalog: ReportCatalog, ref: string) {
  const entity = catalog.entities.find((e) => e.entity === entityOf(ref));
  return entity?.fields.find((f) => f.key === ref);
}

/** Whether a field (`entity.field`) describes rows of the base. */
export function fieldFits(catalog: ReportCatalog, ref: string, base: Base): boolean {
  const entity = catalog.entities.find((e) => e.entity === entityOf(ref));
  return !!entity?.bases.includes(base);
}

export function measureFits(catalog: ReportCatalog, type: MeasureType, base: Base): boolean {
  return !!catalog.measures.find((m) => m.type === type)?.bases.includes(base);
}

/** Columns kept together by entity, in the order each entity first appears. */
export function groupColumns(columns: readonly string[]): string[] {
  const order: string[] = [];
  for (const ref of columns) if (!order.includes(entityOf(ref))) order.push(entityOf(ref));
  return order.flatMap((entity) => columns.filter((ref) => entityOf(ref) === entity));
}

/** A new group by a field: by month for a date. */
export function newGroup(field: string, catalog: ReportCatalog): GroupDraft {
  return {
    key: newKey(),
    field,
    sortBy: "label",
    sortDirection: "asc",
    showOther: false,
    ...(fieldOf(catalog, field)?.type === "date" ? { granularity: "month" as const } : {}),
  };
}

/** A new slicer by a field: periods of a date, ranges of a number, else its values. */
export function newSlicer(field: string, catalog: ReportCatalog): SlicerDraft {
  const type = fieldOf(catalog, field)?.type;
  if (type === "date") return { key: newKey(), field, type: "time", timeGranularity: "month" };
  if (type === "number")
    return {
      key: newKey(),
      field,
      type: "range",
      buckets: [
        { label: "< 50", max: 50 },
        { label: "≥ 50", min: 50 },
      ],
    };
  return { key: newKey(), field, type: "categorical" };
}

/** A new condition on a field, its value still to be typed. */
export function newFilter(field: string): FilterDraft {
  return { key: newKey(), field, operator: "eq", value: "", valueEnd: "" };
}

/** Where a field goes from the palette or a section's button, and how many each takes. */
export type Place = "columns" | "groups" | "filters" | "slicers";
const MOST: Record<Place, number> = { columns: 60, groups: 3, filters: 30, slicers: 2 };

/** Whether a place takes one more field (a column only once). */
export function canAdd(draft: Draft, place: Place, ref?: string): boolean {
  if (place === "columns" && ref && draft.columns.includes(ref)) return false;
  return draft[place].length < MOST[place];
}

/** The draft with a field added to a place; unchanged when the place is full. */
export function withField(draft: Draft, ref: string, place: Place, catalog: ReportCatalog): Draft {
  if (!canAdd(draft, place, ref)) return draft;
  switch (place) {
    case "columns":
      return { ...draft, columns: groupColumns([...draft.columns, ref]) };
    case "groups":
      return { ...draft, groups: [...draft.groups, newGroup(ref, catalog)] };
    case "filters":
      return { ...draft, filters: [...draft.filters, newFilter(ref)] };
    case "slicers":
      return { ...draft, slicers: [...draft.slicers, newSlicer(ref, catalog)] };
  }
}

/** A measure id not yet taken, from its type (`completion-rate` → `completionRate2`). */
export function measureId(type: MeasureType, taken: readonly string[]): string {
  const stem = type.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  if (!taken.includes(stem)) return stem;
  let n = 2;
  while (taken.includes(`${stem}${n}`)) n += 1;
  return `${stem}${n}`;
}

/** A custom filter's typed value, as the field's type and the operator take it. */
function typedValue(text: string, type: string | undefined, list: boolean) {
  const one = (raw: string): string | number | boolean => {
    const v = raw.trim();
    if (type === "number" && v !== "" && Number.isFinite(Number(v))) return Number(v);
    if (type === "boolean" && (v === "true" || v === "false")) return v === "true";
    return v;
  };
  if (list)
    return text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)
      .map(one);
  return text.trim() === "" ? undefined : one(text);
}

const textOf = (value: unknown): string =>
  value === undefined || value === null
    ? ""
    : Array.isArray(value)
      ? value.map(String).join(", ")
      : String(value);

/**
 * The definition a draft stands for, with where each column landed (`dimensions.i.fields.k`),
 * so that the server's problems find their way back to the column they are about.
 */
export function toDefinition(
  draft: Draft,
  catalog: ReportCatalog,
): { definition: ReportDefinition; columnPaths: Record<string, string> } {
  const columnPaths: Record<string, string> = {};
  const dimensions: Dimension[] = [];
  for (const ref of groupColumns(draft.columns)) {
    const [entity, field] = ref.split(".") as [Dimension["entity"], string];
    let i = dimensions.findIndex((d) => d.entity === entity);
    if (i < 0) {
      i = dimensions.length;
      dimensions.push({ entity, fields: [], ...draft.kept.dimensionLabels[entity] });
    }
    const dimension = dimensions[i] as Dimension;
    columnPaths[ref] = `dimensions.${i}.fields.${dimension.fields.length}`;
    dimension.fields.push(field);
  }
  const customFilters: CustomFilter[] = draft.filters.map((f) => {
    const type = fieldOf(catalog, f.field)?.type;
    const filter: CustomFilter = { field: f.field, operator: f.operator };
    if (NO_VALUE.includes(f.operator)) return filter;
    const value = typedValue(f.value, type, LIST_VALUE.includes(f.operator));
    if (value !== undefined) filter.value = value;
    if (f.operator === "between") {
      const end = typedValue(f.valueEnd, type, false);
      if (end !== undefined && !Array.isArray(end)) filter.valueEnd = end;
    }
    return filter;
  });
  const strip = <T extends Keyed>({ key: _, ...rest }: T) => rest;
  const definition: ReportDefinition = {
    dimensions,
    measures: draft.measures.map(strip),
    groups: draft.groups.map(strip),
    slicers: draft.slicers.map(strip),
    display: draft.display,
    visualization: {
      type: draft.chart,
      ...(draft.kept.visualizationOptions ? { options: draft.kept.visualizationOptions } : {}),
    },
    filters: { ...draft.structured, ...(customFilters.length ? { customFilters } : {}) },
    ...(draft.kept.output ? { output: draft.kept.output } : {}),
  };
  return { definition, columnPaths };
}

/** The first base every measure and column of a definition fits (enrollments when none does). */
export function baseOf(definition: ReportDefinition, catalog: ReportCatalog): Base {
  const refs = [
    ...(definition.dimensions ?? []).map((d) => `${d.entity}.x`),
    ...(definition.groups ?? []).map((g) => g.field),
    ...(definition.slicers ?? []).map((s) => s.field),
  ];
  return (
    BASES.find(
      (base) =>
        definition.measures.every((m) => measureFits(catalog, m.type, base)) &&
        refs.every((ref) => fieldFits(catalog, ref, base)),
    ) ?? "enrollment"
  );
}

/** The structured filters on a learning column (learner, course, cohort, enrollment). */
const LEARNING_FILTERS = [
  "departmentIds",
  "courseIds",
  "classIds",
  "learnerIds",
  "instructorIds",
  "programIds",
  "enrollmentStatus",
  "completionStatus",
] as const;

/** A draft of a saved or carried definition. */
export function fromDefinition(definition: ReportDefinition, catalog: ReportCatalog): Draft {
  const empty = emptyDraft();
  const { customFilters, ...structured } = definition.filters ?? {};
  const chart = definition.visualization?.type;
  return {
    base: baseOf(definition, catalog),
    columns: groupColumns(
      (definition.dimensions ?? []).flatMap((d) => d.fields.map((f) => `${d.entity}.${f}`)),
    ),
    measures: definition.measures.map((m) => ({ key: newKey(), ...m })),
    groups: (definition.groups ?? []).map((g) => ({ key: newKey(), ...g })),
    slicers: (definition.slicers ?? []).map((s) => ({ key: newKey(), ...s })),
    filters: (customFilters ?? []).map((f) => ({
      key: newKey(),
      field: f.field,
      operator: f.operator,
      value: textOf(f.value),
      valueEnd: textOf(f.valueEnd),
    })),
    structured,
    display: { ...empty.display, ...definition.display },
    chart: CHART_TYPES.includes(chart as ChartType) ? (chart as ChartType) : "table",
    kept: {
      output: definition.output,
      dimensionLabels: Object.fromEntries(
        (definition.dimensions ?? []).map((d) => [
          d.entity,
          {
            ...(d.label ? { label: d.label } : {}),
            ...(d.sortOrder !== undefined ? { sortOrder: d.sortOrder } : {}),
          },
        ]),
      ),
      ...(definition.visualization?.options
        ? { visualizationOptions: definition.visualization.options }
        : {}),
    },
  };
}

/**
 * The draft on another base: what does not describe its rows leaves (and is counted, to tell
 * the person), as do the filters only another base takes.
 */
export function onBase(
  draft: Draft,
  base: Base,
  catalog: ReportCatalog,
): { draft: Draft; removed: number } {
  const fits = (ref: string) => fieldFits(catalog, ref, base);
  const columns = draft.columns.filter(fits);
  const kept = draft.measures.filter(
    (m) => measureFits(catalog, m.type, base) && (!m.field || fits(m.field)),
  );
  // A report counts something: the base's own count when nothing else is left.
  const measures: MeasureDraft[] = kept.length
    ? kept
    : [
        base === "integration-run"
          ? { key: newKey(), id: "runs", type: "run-count", format: "number" }
          : base === "integration-incident"
            ? { key: newKey(), id: "incidents", type: "incident-count", format: "number" }
            : base === "compliance-assignment"
              ? {
                  key: newKey(),
                  id: "assignments",
                  type: "compliance-assignments",
                  format: "number",
                }
              : { key: newKey(), id: "count", type: "count", format: "number" },
      ];
  const groups = draft.groups.filter((g) => fits(g.field));
  const slicers = draft.slicers.filter((s) => fits(s.field));
  const filters = draft.filters.filter((f) => fits(f.field));
  const { activityTypes, scoreRange, passStatus, ...structured } = draft.structured;
  if (WITHOUT_LEARNERS.includes(base)) {
    // Sync runs and incidents have no learner, course, cohort or enrollment to filter by.
    for (const key of LEARNING_FILTERS) delete structured[key];
    if (structured.dateRange && !["eventDate", "createdAt"].includes(structured.dateRange.field))
      structured.dateRange = { ...structured.dateRange, field: "eventDate" };
  }
  const keptStructured = {
    ...structured,
    ...(base === "activity" && activityTypes ? { activityTypes } : {}),
    ...(base === "assessment" && scoreRange ? { scoreRange } : {}),
    ...(base === "assessment" && passStatus ? { passStatus } : {}),
  };
  const removed =
    draft.columns.length -
    columns.length +
    (draft.measures.length - kept.length) +
    (draft.groups.length - groups.length) +
    (draft.slicers.length - slicers.length) +
    (draft.filters.length - filters.length) +
    (Object.keys(draft.structured).length - Object.keys(keptStructured).length);
  const sortBy = draft.display.sortBy;
  const sortKept =
    !sortBy || columns.includes(sortBy) || measures.some((m) => m.id === sortBy)
      ? draft.display
      : { ...draft.display, sortBy: undefined };
  return {
    draft: {
      ...draft,
      base,
      columns,
      measures,
      groups,
      slicers,
      filters,
      structured: keptStructured,
      display: sortKept,
    },
    removed,
  };
}

/** The server's problems about one place of the definition (`measures.2`), or under it. */
export function problemsAt(problems: readonly { field: string; message: string }[], path: string) {
  return problems
    .filter((p) => p.field === path || p.field.startsWith(`${path}.`))
    .map((p) => p.message);
}
