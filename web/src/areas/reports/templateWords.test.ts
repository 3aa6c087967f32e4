import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import type { ReportTemplateVersion } from "../../api/reports";
import { i18next } from "../../i18n";
import { loadTexts } from "../../test/render";
import { baseOf, describeDefinition } from "./definitionWords";
import { versionChanges } from "./versionChanges";

let t: TFunction<"reports">;
const format = {
  dateTime: (iso: string) => iso.slice(0, 10),
  number: (n: number) => String(n),
};

beforeAll(async () => {
  await loadTexts("en", ["reports"]);
  t = i18next.getFixedT("en", "reports");
});

function version(n: number, patch: Partial<ReportTemplateVersion>): ReportTemplateVersion {
  return {
    id: `v${n}`,
    familyId: "f",
    organizationId: "o",
    name: "Completion by course",
    description: null,
    slug: "completion-by-course",
    reportType: "custom",
    predefinedType: null,
    definition: { measures: [{ id: "rate", type: "completion-rate" }] },
    defaultOutputFormat: "csv",
    category: "completion",
    tags: [],
    icon: null,
    color: null,
    isSystem: false,
    visibility: "private",
    departmentId: null,
    teamId: null,
    sharedWith: [],
    usageCount: 0,
    lastUsedAt: null,
    version: n,
    previousVersionId: null,
    isLatest: false,
    createdBy: "u",
    updatedAt: "2026-03-01T10:00:00.000Z",
    author: null,
    team: null,
    department: null,
    ...patch,
  };
}

describe("a report definition in words", () => {
  it("says what is counted, the rows, measures and filters", () => {
    const words = describeDefinition(
      {
        dimensions: [{ entity: "course", fields: ["title", "category"] }],
        groups: [],
        slicers: [],
        measures: [
          { id: "n", type: "count", label: "Enrollments", format: "number" },
          { id: "p", type: "average", field: "enrollment.progressPercent", format: "percent" },
        ],
        filters: {
          departmentIds: ["d1", "d2"],
          enrollmentStatus: ["active", "pending-payment"],
          customFilters: [
            { field: "enrollment.dueAt", operator: "lt", value: "2026-03-01T00:00:00.000Z" },
            { field: "enrollment.isCompliance", operator: "eq", value: true },
          ],
        },
        display: {
          showTotals: false,
          showSubtotals: false,
          showPercentages: false,
          sortDirection: "asc",
        },
      },
      t,
      format,
    );
    expect(words).toEqual({
      base: "Enrollments",
      rows: ["Course: Title, Category"],
      groups: [],
      measures: ["Enrollments (Count)", "Average of Enrollment: Progress %"],
      filters: [
        "2 chosen departments",
        "Enrollment status: active, waiting for payment",
        "Enrollment: Due is before 2026-03-01",
        "Enrollment: Compliance is yes",
      ],
    });
  });

  it("counts what the server would: events or attempts when a measure is theirs only", () => {
    const measures = (
      type:
        | "event-count"
        | "avg-score"
        | "count"
        | "success-rate"
        | "compliance-score"
        | "violations",
    ) => ({
      measures: [{ id: "m", type, format: "number" as const }],
    });
    expect(baseOf(measures("event-count") as never)).toBe("activity");
    expect(baseOf(measures("avg-score") as never)).toBe("assessment");
    expect(baseOf(measures("count") as never)).toBe("enrollment");
    expect(baseOf(measures("success-rate") as never)).toBe("integration-run");
    expect(
      baseOf({
        ...measures("count"),
        dimensions: [{ entity: "integration", fields: ["name"] }],
      } as never),
    ).toBe("integration-run");
    expect(
      baseOf({
        measures: [{ id: "m", type: "open-incidents", format: "number" }],
        dimensions: [{ entity: "integration", fields: ["name"] }],
      } as never),
    ).toBe("integration-incident");
    expect(baseOf(measures("compliance-score") as never)).toBe("compliance-assignment");
    expect(
      baseOf({
        ...measures("violations"),
        dimensions: [{ entity: "department", fields: ["name"] }],
      } as never),
    ).toBe("compliance-assignment");
  });

  it("says an incident report in words", () => {
    const words = describeDefinition(
      {
        dimensions: [{ entity: "incident", fields: ["status", "hoursOpen"] }],
        groups: [],
        slicers: [],
        measures: [
          { id: "incidents", type: "incident-count", format: "number" },
          { id: "median", type: "median-hours-to-resolve", format: "number" },
        ],
        filters: { lastDays: 90 },
      } as never,
      t,
      format,
    );
    expect(words).toMatchObject({
      base: "Integration incidents",
      rows: ["Incident: Status, Hours open"],
      measures: ["Incidents", "Median hours to resolve"],
      filters: ["The last 90 days"],
    });
  });

  it("says a sync-run report in words, with its moving window", () => {
    const words = describeDefinition(
      {
        dimensions: [{ entity: "integration", fields: ["name"] }],
        groups: [],
        slicers: [],
        measures: [
          { id: "runs", type: "run-count", format: "number" },
          { id: "rate", type: "success-rate", format: "number" },
        ],
        filters: { lastDays: 30 },
      } as never,
      t,
      format,
    );
    expect(words).toMatchObject({
      base: "Integration sync runs",
      rows: ["Integration: Name"],
      measures: ["Sync runs", "Success rate"],
      filters: ["The last 30 days"],
    });
  });
});

describe("what a version changed", () => {
  it("names the name, visibility and parts of the report that differ", () => {
    const older = version(1, {});
    const newer = version(2, {
      name: "Completion by course (monthly)",
      visibility: "team",
      team: { id: "t", name: "Night shift" },
      definition: {
        measures: [{ id: "rate", type: "completion-rate" }],
        filters: { enrollmentStatus: ["active"] },
      },
      defaultOutputFormat: "pdf",
    });
    expect(versionChanges(newer, older, t)).toEqual([
      "Name changed from “Completion by course” to “Completion by course (monthly)”",
      "Who sees it changed from Only its author and the people it is shared with to The team Night shift",
      "The report changed: filters",
      "Default format changed from CSV to PDF",
    ]);
    // Key order in stored JSON is no change.
    const reordered = version(3, {
      definition: { measures: [{ type: "completion-rate", id: "rate" }] },
    });
    expect(versionChanges(reordered, older, t)).toEqual([]);
  });
});
