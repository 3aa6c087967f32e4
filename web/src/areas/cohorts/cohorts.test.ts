import { describe, expect, it } from "vitest";
import type { Cohort } from "../../api/cohorts";
import { announcementState, NEXT_STEPS, rosterFileName, splitCohorts } from "./lifecycle";
import { instantFromZoned, timeZones, zonedInputValue } from "./zoned";

describe("a cohort's times in its own zone", () => {
  it("reads a wall-clock time in the cohort's zone, summer and winter", () => {
    expect(instantFromZoned("2026-07-06T09:00", "Europe/Berlin")).toBe("2026-07-06T07:00:00.000Z");
    expect(instantFromZoned("2026-01-12T09:00", "Europe/Berlin")).toBe("2026-01-12T08:00:00.000Z");
    expect(instantFromZoned("2026-01-12T09:00", "America/New_York")).toBe(
      "2026-01-12T14:00:00.000Z",
    );
    expect(instantFromZoned("2026-01-12T09:00", "UTC")).toBe("2026-01-12T09:00:00.000Z");
    expect(instantFromZoned("2026-03-01T05:30", "Asia/Kolkata")).toBe("2026-03-01T00:00:00.000Z");
  });

  it("shows an instant on the cohort's clocks, whatever the browser's zone", () => {
    expect(zonedInputValue("2026-07-06T07:00:00Z", "Europe/Berlin")).toBe("2026-07-06T09:00");
    expect(zonedInputValue("2026-01-12T14:00:00Z", "America/New_York")).toBe("2026-01-12T09:00");
    expect(zonedInputValue("2026-12-31T23:30:00Z", "Asia/Tokyo")).toBe("2027-01-01T08:30");
    for (const zone of ["Europe/Berlin", "America/Los_Angeles", "Australia/Sydney", "UTC"]) {
      const value = "2026-10-04T18:45";
      expect(zonedInputValue(instantFromZoned(value, zone) as string, zone)).toBe(value);
    }
  });

  it("moves a time the clocks skip forward, and takes the later of a time they repeat", () => {
    // Berlin jumps from 02:00 to 03:00 on 29 March 2026: 02:30 does not exist there.
    expect(instantFromZoned("2026-03-29T02:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
    // And goes back from 03:00 to 02:00 on 25 October: 02:30 happens twice.
    expect(instantFromZoned("2026-10-25T02:30", "Europe/Berlin")).toBe("2026-10-25T01:30:00.000Z");
  });

  it("refuses what is no time or no zone", () => {
    expect(instantFromZoned("", "UTC")).toBeNull();
    expect(instantFromZoned("2026-02-30T09:00", "UTC")).toBeNull();
    expect(instantFromZoned("2026-02-03T25:00", "UTC")).toBeNull();
    expect(instantFromZoned("2026-02-03T09:00", "Mars/Olympus")).toBeNull();
  });

  it("offers UTC and the person's zone among the zones", () => {
    const zones = timeZones("Etc/GMT+5");
    expect(zones).toContain("UTC");
    expect(zones).toContain("Etc/GMT+5");
    expect(zones).toContain("Europe/Berlin");
    expect(new Set(zones).size).toBe(zones.length);
  });
});

const cohort = (id: string, status: Cohort["status"], startsAt: string) =>
  ({ id, status, startsAt }) as Cohort;

describe("the cohort lifecycle", () => {
  it("offers the server's next steps, none once a cohort is over", () => {
    expect(NEXT_STEPS.scheduled).toEqual(["open", "cancelled"]);
    expect(NEXT_STEPS.open).toEqual(["in-progress", "scheduled", "cancelled"]);
    expect(NEXT_STEPS["in-progress"]).toEqual(["completed", "cancelled"]);
    expect(NEXT_STEPS.completed).toEqual([]);
    expect(NEXT_STEPS.cancelled).toEqual([]);
  });

  it("lists running and coming cohorts soonest first, past ones latest first", () => {
    const { current, past } = splitCohorts([
      cohort("b", "open", "2026-09-01T09:00:00Z"),
      cohort("old", "completed", "2025-01-01T09:00:00Z"),
      cohort("a", "in-progress", "2026-05-01T09:00:00Z"),
      cohort("gone", "cancelled", "2026-02-01T09:00:00Z"),
      cohort("c", "scheduled", "2027-01-01T09:00:00Z"),
    ]);
    expect(current.map((c) => c.id)).toEqual(["a", "b", "c"]);
    expect(past.map((c) => c.id)).toEqual(["gone", "old"]);
  });
});

describe("an announcement's state", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  it("is a draft, scheduled, live or expired", () => {
    const base = { isPublished: true, publishAt: "2026-06-01T08:00:00Z", expiresAt: null };
    expect(announcementState({ ...base, isPublished: false }, now)).toBe("draft");
    expect(announcementState({ ...base, publishAt: "2026-06-02T08:00:00Z" }, now)).toBe(
      "scheduled",
    );
    expect(announcementState(base, now)).toBe("live");
    expect(announcementState({ ...base, expiresAt: "2026-06-01T12:00:00Z" }, now)).toBe("expired");
    expect(announcementState({ ...base, expiresAt: "2026-06-09T00:00:00Z" }, now)).toBe("live");
  });
});

describe("the roster's file name", () => {
  it("is the cohort's name in plain letters", () => {
    expect(rosterFileName("Spring 2026 — Zürich")).toBe("roster-spring-2026-zurich.csv");
    expect(rosterFileName("***")).toBe("roster-cohort.csv");
  });
});
