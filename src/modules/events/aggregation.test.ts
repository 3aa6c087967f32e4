import { describe, expect, it } from "vitest";
import { aggregationKeys } from "./aggregation.js";

describe("aggregation keys", () => {
  it("uses the local calendar day of the time zone", () => {
    const at = new Date("2026-03-01T23:30:00Z");
    expect(aggregationKeys(at, "UTC").dayKey).toBe("2026-03-01");
    expect(aggregationKeys(at, "Europe/Berlin").dayKey).toBe("2026-03-02");
    expect(aggregationKeys(at, "America/Los_Angeles").dayKey).toBe("2026-03-01");
  });

  it("numbers weeks the ISO 8601 way, across year ends", () => {
    expect(aggregationKeys(new Date("2026-01-01T12:00:00Z"), "UTC").weekKey).toBe("2026-W01");
    expect(aggregationKeys(new Date("2027-01-01T12:00:00Z"), "UTC").weekKey).toBe("2026-W53");
    expect(aggregationKeys(new Date("2024-12-30T12:00:00Z"), "UTC").weekKey).toBe("2025-W01");
    expect(aggregationKeys(new Date("2026-06-15T12:00:00Z"), "UTC").weekKey).toBe("2026-W25");
  });

  it("derives month, quarter and year, and keeps the local day across a DST change", () => {
    const keys = aggregationKeys(new Date("2026-10-25T00:30:00Z"), "Europe/London");
    expect(keys).toEqual({
      dayKey: "2026-10-25",
      weekKey: "2026-W43",
      monthKey: "2026-10",
      quarterKey: "2026-Q4",
      yearKey: 2026,
    });
    expect(aggregationKeys(new Date("2026-03-29T00:30:00Z"), "Europe/London").dayKey).toBe(
      "2026-03-29",
    );
    expect(aggregationKeys(new Date("2026-12-31T23:30:00Z"), "Asia/Tokyo")).toMatchObject({
      dayKey: "2027-01-01",
      quarterKey: "2027-Q1",
      yearKey: 2027,
    });
  });
});
