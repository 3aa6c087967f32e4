import { describe, expect, it } from "vitest";
import { type DimensionEntity, reportDefinition } from "../../../../src/modules/reports/definition";
import { baseFor, ENTITIES } from "../../../../src/modules/reports/registry";
import type { ReportPreview } from "../../api/reports";
import {
  ACTIVITY_WEEKS,
  breakdown,
  dayKey,
  gainOf,
  TILES,
  tileDefinitions,
  totalOf,
  weeklyActivity,
} from "./dashboardTiles";

// A Wednesday afternoon.
const now = new Date(2026, 2, 11, 15, 30);

function preview(rows: Array<[Record<string, unknown>, "detail" | "total"]>): ReportPreview {
  return {
    base: "enrollment",
    columns: [],
    rows: rows.map(([values, kind]) => ({ values, kind, total: kind === "total" })),
    timing: { queryMs: 1 },
  } as ReportPreview;
}

describe("the dashboard's tiles", () => {
  it("are report definitions the server's schema takes as they are", () => {
    const definitions = tileDefinitions(now);
    expect(Object.keys(definitions)).toEqual([...TILES]);
    for (const key of TILES) {
      const parsed = reportDefinition.safeParse(definitions[key]);
      expect(parsed.error?.issues ?? [], key).toEqual([]);
      // Every field the registry knows, and a base every measure and entity applies to.
      const def = parsed.data as NonNullable<typeof parsed.data>;
      const refs = [
        ...def.dimensions.flatMap((d) => d.fields.map((f) => `${d.entity}.${f}`)),
        ...(def.filters.customFilters ?? []).map((f) => f.field),
      ];
      for (const ref of refs) {
        const [entity, field] = ref.split(".") as [DimensionEntity, string];
        expect(ENTITIES[entity]?.fields[field], `${key}: ${ref}`).toBeDefined();
      }
      const entities = refs.map((r) => r.split(".")[0] as DimensionEntity);
      expect(
        baseFor(
          def.measures.map((m) => m.type),
          entities,
        ),
        key,
      ).not.toBeNull();
    }
    expect(baseFor(["event-count"], ["time"])).toBe("activity");
  });

  it("count overdue before now, and activity over twelve whole weeks up to today", () => {
    const { overdueCompliance, activity } = tileDefinitions(now);
    expect(overdueCompliance.filters?.customFilters).toContainEqual({
      field: "enrollment.dueAt",
      operator: "lt",
      value: now.toISOString(),
    });
    const range = activity.filters?.dateRange;
    // Monday 22 December 2025, midnight, up to Thursday 12 March 2026, midnight.
    expect(range?.start).toBe(new Date(2025, 11, 22).toISOString());
    expect(range?.end).toBe(new Date(2026, 2, 12).toISOString());
  });

  it("read totals from the total row, else from the rows", () => {
    const withTotal = preview([
      [{ "enrollment.status": "active", enrollments: 3 }, "detail"],
      [{ "enrollment.status": "completed", enrollments: 2 }, "detail"],
      [{ "enrollment.status": null, enrollments: 5 }, "total"],
    ]);
    expect(totalOf(withTotal, "enrollments")).toBe(5);
    expect(breakdown(withTotal, "enrollment.status", "enrollments")).toEqual([
      { label: "active", value: 3 },
      { label: "completed", value: 2 },
    ]);
    expect(totalOf(preview([]), "overdue")).toBe(0);
  });

  it("give the learning gain only with both pre- and post-course scores", () => {
    const both = preview([
      [{ "assessment.kind": "post-course", averageScore: 82.5, attempts: 4 }, "detail"],
      [{ "assessment.kind": "pre-course", averageScore: 40.25, attempts: 5 }, "detail"],
    ]);
    expect(gainOf(both)).toEqual({
      pre: 40.25,
      post: 82.5,
      preAttempts: 5,
      postAttempts: 4,
      gain: 42.25,
    });
    const preOnly = preview([
      [{ "assessment.kind": "pre-course", averageScore: 40, attempts: 1 }, "detail"],
    ]);
    expect(gainOf(preOnly).gain).toBeNull();
  });

  it("show every week of activity, weeks without events as none", () => {
    const weeks = weeklyActivity(
      preview([
        [{ "time.week": "2026-03-09", events: 7 }, "detail"],
        [{ "time.week": "2026-02-23", events: 2 }, "detail"],
      ]),
      now,
    );
    expect(weeks).toHaveLength(ACTIVITY_WEEKS);
    expect(dayKey(weeks[0]?.week as Date)).toBe("2025-12-22");
    expect(weeks.slice(-3).map((w) => [dayKey(w.week), w.events])).toEqual([
      ["2026-02-23", 2],
      ["2026-03-02", 0],
      ["2026-03-09", 7],
    ]);
  });
});
