import { describe, expect, it } from "vitest";
import type { ReportCatalog } from "../../../api/reportBuilder";
import type { ReportDefinition } from "../../../api/reports";
import {
  canAdd,
  emptyDraft,
  fromDefinition,
  groupColumns,
  measureId,
  onBase,
  problemsAt,
  toDefinition,
  withField,
} from "./draft";
import { bucketLabel, cellText, chartOf, measureText } from "./previewData";

const field = (
  entity: string,
  name: string,
  type: "id" | "string" | "number" | "date" | "boolean",
) => ({
  key: `${entity}.${name}`,
  field: name,
  label: name,
  type,
  description: null,
});
const entity = (
  name: string,
  bases: ("enrollment" | "activity" | "assessment" | "integration-run" | "integration-incident")[],
  fields: ReturnType<typeof field>[],
) => ({
  entity: name as "course",
  label: name,
  description: null,
  bases,
  available: true,
  reason: null,
  requires: null,
  allowed: true,
  fields,
});
const ALL = ["enrollment", "activity", "assessment"] as (
  | "enrollment"
  | "activity"
  | "assessment"
)[];
const catalog: ReportCatalog = {
  bases: [...ALL, "integration-run" as const, "integration-incident" as const].map((key) => ({
    key,
    label: key,
    date: "",
    requires: null,
    allowed: true,
  })),
  entities: [
    entity("course", ALL, [field("course", "title", "string"), field("course", "price", "number")]),
    entity("department", ALL, [field("department", "name", "string")]),
    entity(
      "enrollment",
      ["enrollment"],
      [field("enrollment", "enrolledAt", "date"), field("enrollment", "isCompliance", "boolean")],
    ),
    entity("assessment", ["assessment"], [field("assessment", "score", "number")]),
    entity(
      "integration",
      ["integration-run", "integration-incident"],
      [field("integration", "name", "string")],
    ),
    entity("incident", ["integration-incident"], [field("incident", "hoursOpen", "number")]),
  ],
  measures: [
    {
      type: "count",
      label: "Count",
      bases: ALL,
      field: null,
      format: "number",
      definition: "",
      precision: "",
    },
    {
      type: "completion-rate",
      label: "",
      bases: ["enrollment"],
      field: null,
      format: "percent",
      definition: "",
      precision: "",
    },
    {
      type: "avg-score",
      label: "",
      bases: ["assessment"],
      field: null,
      format: "number",
      definition: "",
      precision: "",
    },
    {
      type: "run-count",
      label: "",
      bases: ["integration-run"],
      field: null,
      format: "number",
      definition: "",
      precision: "",
    },
    {
      type: "incident-count",
      label: "",
      bases: ["integration-incident"],
      field: null,
      format: "number",
      definition: "",
      precision: "",
    },
  ],
  slicers: [],
  groups: { granularities: [], sortBy: [], options: [] },
  filters: {
    structured: [],
    dateRangeFields: [],
    dateRange: { description: "", fields: [] },
    operators: [],
  },
};

describe("the builder's draft", () => {
  it("keeps columns of one entity together, in the order entities first appear", () => {
    expect(groupColumns(["course.title", "department.name", "course.price"])).toEqual([
      "course.title",
      "course.price",
      "department.name",
    ]);
  });

  it("names measures after their type without taking an id twice", () => {
    expect(measureId("completion-rate", [])).toBe("completionRate");
    expect(measureId("count", ["count", "count2"])).toBe("count3");
  });

  it("writes the definition with typed filter values and says where each column landed", () => {
    const draft = {
      ...emptyDraft(),
      columns: ["department.name", "course.title"],
      filters: [
        {
          key: "a",
          field: "course.price",
          operator: "between" as const,
          value: "10",
          valueEnd: "20.5",
        },
        { key: "b", field: "course.title", operator: "in" as const, value: "A, B ,", valueEnd: "" },
        {
          key: "c",
          field: "enrollment.isCompliance",
          operator: "eq" as const,
          value: "true",
          valueEnd: "",
        },
        { key: "d", field: "course.title", operator: "isNull" as const, value: "x", valueEnd: "" },
      ],
    };
    const { definition, columnPaths } = toDefinition(draft, catalog);
    expect(definition.dimensions).toEqual([
      { entity: "department", fields: ["name"] },
      { entity: "course", fields: ["title"] },
    ]);
    expect(columnPaths).toEqual({
      "department.name": "dimensions.0.fields.0",
      "course.title": "dimensions.1.fields.0",
    });
    expect(definition.filters?.customFilters).toEqual([
      { field: "course.price", operator: "between", value: 10, valueEnd: 20.5 },
      { field: "course.title", operator: "in", value: ["A", "B"] },
      { field: "enrollment.isCompliance", operator: "eq", value: true },
      { field: "course.title", operator: "isNull" },
    ]);
    expect(definition.measures).toEqual([{ id: "count", type: "count", format: "number" }]);
    expect(definition.visualization).toEqual({ type: "bar" });
  });

  it("reads a saved definition back unchanged, output options included", () => {
    const saved: ReportDefinition = {
      dimensions: [{ entity: "course", fields: ["title"], label: "Course" }],
      measures: [{ id: "avgScore", type: "avg-score", format: "number" }],
      groups: [],
      slicers: [],
      display: {
        showTotals: true,
        showSubtotals: false,
        showPercentages: false,
        sortDirection: "desc",
        sortBy: "avgScore",
      },
      visualization: { type: "line" },
      output: {
        includeCharts: true,
        includeRawData: true,
        includeSummary: true,
        pageOrientation: "landscape",
        pageSize: "a4",
        csvBom: false,
      },
      filters: {
        passStatus: ["passed"],
        customFilters: [{ field: "course.price", operator: "in", value: [1, 2] }],
      },
    };
    const draft = fromDefinition(saved, catalog);
    expect(draft.base).toBe("assessment");
    expect(draft.filters[0]?.value).toBe("1, 2");
    expect(toDefinition(draft, catalog).definition).toEqual(saved);
  });

  it("drops what does not fit another base, and counts it", () => {
    const draft = {
      ...emptyDraft(),
      columns: ["course.title", "enrollment.enrolledAt"],
      measures: [
        { key: "m1", id: "count", type: "count" as const, format: "number" as const },
        {
          key: "m2",
          id: "completionRate",
          type: "completion-rate" as const,
          format: "percent" as const,
        },
      ],
      display: { ...emptyDraft().display, sortBy: "completionRate" },
    };
    const moved = onBase(draft, "assessment", catalog);
    expect(moved.removed).toBe(2);
    expect(moved.draft.columns).toEqual(["course.title"]);
    expect(moved.draft.measures.map((m) => m.id)).toEqual(["count"]);
    expect(moved.draft.display.sortBy).toBeUndefined();
  });

  it("moves to sync runs with a run count, without the learning filters they have no column for", () => {
    const draft = {
      ...emptyDraft(),
      columns: ["course.title"],
      structured: {
        enrollmentStatus: ["active" as const],
        departmentIds: ["d1"],
        dateRange: {
          field: "enrolledAt" as const,
          start: "2026-01-01T00:00:00Z",
          end: "2026-02-01T00:00:00Z",
        },
      },
    };
    const moved = onBase(draft, "integration-run", catalog);
    // The column, the count and two learning filters.
    expect(moved.removed).toBe(4);
    expect(moved.draft.columns).toEqual([]);
    expect(moved.draft.measures.map((m) => [m.id, m.type])).toEqual([["runs", "run-count"]]);
    expect(moved.draft.structured).toEqual({
      dateRange: { ...draft.structured.dateRange, field: "eventDate" },
    });
    const back = fromDefinition(
      toDefinition(withField(moved.draft, "integration.name", "columns", catalog), catalog)
        .definition,
      catalog,
    );
    expect(back.base).toBe("integration-run");
  });

  it("moves to incidents with an incident count; the integration's fields stay", () => {
    const draft = {
      ...emptyDraft(),
      columns: ["integration.name", "course.title"],
      structured: { courseIds: ["c1"], lastDays: 90 },
    };
    const moved = onBase(draft, "integration-incident", catalog);
    // The course column, the count and the course filter.
    expect(moved.removed).toBe(3);
    expect(moved.draft.columns).toEqual(["integration.name"]);
    expect(moved.draft.measures.map((m) => [m.id, m.type])).toEqual([
      ["incidents", "incident-count"],
    ]);
    expect(moved.draft.structured).toEqual({ lastDays: 90 });
    const back = fromDefinition(toDefinition(moved.draft, catalog).definition, catalog);
    expect(back.base).toBe("integration-incident");
    const withHours = fromDefinition(
      toDefinition(withField(moved.draft, "incident.hoursOpen", "columns", catalog), catalog)
        .definition,
      catalog,
    );
    expect(withHours.columns).toEqual(["integration.name", "incident.hoursOpen"]);
  });

  it("adds a field where it goes: a column once, a date group by month, no more than a place takes", () => {
    let draft = withField(emptyDraft(), "course.title", "columns", catalog);
    expect(withField(draft, "course.title", "columns", catalog)).toBe(draft);
    draft = withField(draft, "enrollment.enrolledAt", "groups", catalog);
    expect(draft.groups[0]).toMatchObject({ field: "enrollment.enrolledAt", granularity: "month" });
    draft = withField(draft, "course.price", "slicers", catalog);
    expect(draft.slicers[0]).toMatchObject({ type: "range" });
    draft = withField(draft, "course.title", "slicers", catalog);
    expect(canAdd(draft, "slicers")).toBe(false);
    expect(withField(draft, "department.name", "slicers", catalog)).toBe(draft);
    draft = withField(draft, "course.price", "filters", catalog);
    expect(draft.filters.map((f) => [f.field, f.operator, f.value])).toEqual([
      ["course.price", "eq", ""],
    ]);
  });

  it("finds the server's problems about an item and under it", () => {
    const problems = [
      { field: "measures.1.field", message: "sum needs a field" },
      { field: "measures.10", message: "other" },
      { field: "measures", message: "no base" },
    ];
    expect(problemsAt(problems, "measures.1")).toEqual(["sum needs a field"]);
    expect(problemsAt(problems, "measures")).toHaveLength(3);
  });
});

describe("the builder's preview", () => {
  const writer = { locale: "en", none: "(none)", other: "Other" };
  const preview = {
    base: "enrollment" as const,
    columns: [
      { key: "department.name", label: "Department", kind: "dimension" as const, type: "string" },
      {
        key: "enrollment.enrolledAt:month",
        label: "Month",
        kind: "slicer" as const,
        type: "date",
        granularity: "month" as const,
      },
      {
        key: "completionRate",
        label: "Completion rate",
        kind: "measure" as const,
        type: "number",
        format: "percent",
      },
      { key: "count", label: "Count", kind: "measure" as const, type: "number", format: "number" },
      {
        key: "count%",
        label: "Count %",
        kind: "measure" as const,
        type: "number",
        format: "percent",
      },
    ],
    rows: [
      {
        kind: "detail" as const,
        total: false,
        values: {
          "department.name": "Sales",
          "enrollment.enrolledAt:month": "2026-01-01",
          completionRate: "50.00",
          count: 2,
          "count%": 40,
        },
      },
      {
        kind: "detail" as const,
        total: false,
        values: {
          "department.name": "Sales",
          "enrollment.enrolledAt:month": "2026-02-01",
          completionRate: 100,
          count: 1,
          "count%": 20,
        },
      },
      {
        kind: "detail" as const,
        total: false,
        values: {
          "department.name": null,
          "enrollment.enrolledAt:month": "2026-01-01",
          completionRate: 0,
          count: 2,
          "count%": 40,
        },
      },
      {
        kind: "total" as const,
        total: true,
        values: {
          "department.name": null,
          "enrollment.enrolledAt:month": null,
          completionRate: 60,
          count: 5,
          "count%": 100,
        },
      },
    ],
    timing: { queryMs: 3 },
  };

  it("writes cells by their column: periods, percentages, empty keys", () => {
    const [dept, month, rate] = preview.columns;
    const row = preview.rows[0] as (typeof preview.rows)[number];
    expect(cellText(month as never, row, writer)).toBe("Jan 2026");
    expect(cellText(rate as never, row, writer)).toBe("50%");
    expect(cellText(dept as never, preview.rows[2] as never, writer)).toBe("(none)");
    expect(bucketLabel("2026-04-01", "quarter", "en")).toBe("Q2 2026");
    expect(measureText(5400, "duration", "en")).toBe("1 hr 30 min");
  });

  it("draws a slicer's values as series of the first measure", () => {
    const chart = chartOf(preview, "line", writer);
    expect(chart?.categories).toEqual(["Sales", "(none)"]);
    expect(chart?.series).toEqual([
      { name: "Jan 2026", values: [50, 0] },
      { name: "Feb 2026", values: [100, null] },
    ]);
  });

  it("draws one series per measure of the first one's format, without shares or totals", () => {
    const flat = { ...preview, columns: preview.columns.filter((c) => c.kind !== "slicer") };
    const chart = chartOf(flat, "bar", writer);
    expect(chart?.categories).toEqual(["Sales", "Sales", "(none)"]);
    expect(chart?.series.map((s) => s.name)).toEqual(["Completion rate"]);
    expect(chartOf({ ...flat, rows: [] }, "bar", writer)).toBeNull();
  });
});
