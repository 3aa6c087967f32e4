import { describe, expect, it } from "vitest";
import { changeValue, percent, runSeconds } from "./words";

describe("a run's figures in words", () => {
  it("measures a run from its start to its end, or to now while it runs", () => {
    expect(runSeconds({ startedAt: null, finishedAt: null })).toBeNull();
    expect(
      runSeconds({ startedAt: "2026-03-02T09:00:00.000Z", finishedAt: "2026-03-02T09:00:12.340Z" }),
    ).toBe(12.3);
    expect(
      runSeconds(
        { startedAt: "2026-03-02T09:00:00.000Z", finishedAt: null },
        Date.parse("2026-03-02T09:01:00.000Z"),
      ),
    ).toBe(60);
  });

  it("reads rates as percentages and changed values as text", () => {
    expect(percent(null)).toBeNull();
    expect(percent(0.8765)).toBe(87.7);
    expect(changeValue(null, "(empty)")).toBe("(empty)");
    expect(changeValue("", "(empty)")).toBe("(empty)");
    expect(changeValue("Safety 101", "(empty)")).toBe("Safety 101");
    expect(changeValue(87.5, "(empty)")).toBe("87.5");
    expect(changeValue({ amountMinor: 100 }, "(empty)")).toBe('{"amountMinor":100}');
  });
});
