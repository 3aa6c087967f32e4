import { describe, expect, it } from "vitest";
import { dayOf, dueAtFromDay } from "./dates";

describe("due dates chosen as days", () => {
  it("sends the end of the chosen day in the person's time zone", () => {
    const iso = dueAtFromDay("2026-03-31");
    expect(iso).not.toBeNull();
    const due = new Date(iso as string);
    expect([due.getFullYear(), due.getMonth(), due.getDate()]).toEqual([2026, 2, 31]);
    expect([due.getHours(), due.getMinutes(), due.getSeconds()]).toEqual([23, 59, 59]);
  });

  it("refuses days that do not exist and text that is not a day", () => {
    expect(dueAtFromDay("2026-02-31")).toBeNull();
    expect(dueAtFromDay("2026-13-01")).toBeNull();
    expect(dueAtFromDay("31.03.2026")).toBeNull();
    expect(dueAtFromDay("")).toBeNull();
  });

  it("shows an instant as its local day, and a default some days ahead", () => {
    const iso = dueAtFromDay("2026-07-04") as string;
    expect(dayOf(iso)).toBe("2026-07-04");
    expect(dayOf(null, 30, new Date(2026, 0, 10, 12))).toBe("2026-02-09");
  });
});
