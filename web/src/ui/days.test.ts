import { describe, expect, it } from "vitest";
import { dayOf, endOfDay, localInputValue, startOfDay } from "./days";

describe("due dates chosen as days", () => {
  it("sends the end of the chosen day in the person's time zone", () => {
    const iso = endOfDay("2026-03-31");
    expect(iso).not.toBeNull();
    const due = new Date(iso as string);
    expect([due.getFullYear(), due.getMonth(), due.getDate()]).toEqual([2026, 2, 31]);
    expect([due.getHours(), due.getMinutes(), due.getSeconds()]).toEqual([23, 59, 59]);
  });

  it("refuses days that do not exist and text that is not a day", () => {
    expect(endOfDay("2026-02-31")).toBeNull();
    expect(endOfDay("2026-13-01")).toBeNull();
    expect(endOfDay("31.03.2026")).toBeNull();
    expect(endOfDay("")).toBeNull();
  });

  it("starts a day at local midnight, a millisecond after the day before ends", () => {
    const start = new Date(startOfDay("2026-03-29") as string);
    expect([start.getDate(), start.getHours(), start.getMinutes()]).toEqual([29, 0, 0]);
    expect(start.getTime() - new Date(endOfDay("2026-03-28") as string).getTime()).toBe(1);
    expect(startOfDay("2026-02-30")).toBeNull();
  });

  it("shows an instant as its local day, and a default some days ahead", () => {
    const iso = endOfDay("2026-07-04") as string;
    expect(dayOf(iso)).toBe("2026-07-04");
    expect(dayOf(null, 30, new Date(2026, 0, 10, 12))).toBe("2026-02-09");
  });

  it("shows an instant in a datetime-local input as the local day and minute", () => {
    const instant = new Date(2026, 4, 7, 9, 5, 30).toISOString();
    expect(localInputValue(instant)).toBe("2026-05-07T09:05");
    // The input's value read back as local time is the same minute.
    expect(new Date(localInputValue(instant)).getTime()).toBe(new Date(2026, 4, 7, 9, 5).getTime());
  });
});
