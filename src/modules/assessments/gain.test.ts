import { describe, expect, it } from "vitest";
import { aggregateGain, normalizedGain } from "./gain.js";

describe("Hake's normalized gain", () => {
  it("matches seed 001's worked examples and bands", () => {
    expect(normalizedGain(40, 85)).toEqual({ gain: 0.75, band: "high", rawGain: 45 });
    expect(normalizedGain(75, 90)).toEqual({ gain: 0.6, band: "medium", rawGain: 15 });
    expect(normalizedGain(50, 60)).toMatchObject({ gain: 0.2, band: "low" });
    expect(normalizedGain(50, 65).band).toBe("medium");
    expect(normalizedGain(0, 70).band).toBe("high");
  });

  it("handles a pre-score of 100 without dividing by zero, and losses", () => {
    expect(normalizedGain(100, 100)).toEqual({
      gain: null,
      band: null,
      rawGain: 0,
      note: "ceiling",
    });
    expect(normalizedGain(100, 80)).toMatchObject({ gain: null, rawGain: -20 });
    expect(normalizedGain(60, 50)).toEqual({ gain: -0.25, band: "low", rawGain: -10 });
    expect(() => normalizedGain(-1, 50)).toThrow(RangeError);
    expect(() => normalizedGain(50, 101)).toThrow(RangeError);
  });

  it("aggregates a cohort, leaving out learners at the ceiling from both averages", () => {
    const result = aggregateGain([
      { pre: 40, post: 85 },
      { pre: 75, post: 90 },
      { pre: 50, post: 60 },
      { pre: 100, post: 100 },
    ]);
    expect(result).toEqual({
      learners: 4,
      atCeiling: 1,
      included: 3,
      averageGain: 0.5167,
      // mean pre 55, mean post 78.33 over the three below the ceiling: 23.33 / 45
      classGain: 0.5185,
      band: "medium",
      bands: { high: 1, medium: 1, low: 1 },
    });
    expect(aggregateGain([]).averageGain).toBeNull();
    expect(aggregateGain([{ pre: 100, post: 100 }])).toMatchObject({
      averageGain: null,
      classGain: null,
    });
  });

  it("computes the mean gain and the class gain over the same learners", () => {
    // The learner who started at 100 has no gain of their own, so neither average counts them:
    // mean pre 55, mean post 72.5 → (72.5 − 55) / 45. With them it would be 8.33 / 30 = 0.2778.
    const result = aggregateGain([
      { pre: 40, post: 60 },
      { pre: 70, post: 85 },
      { pre: 100, post: 90 },
    ]);
    expect(result).toMatchObject({
      learners: 3,
      atCeiling: 1,
      included: 2,
      averageGain: 0.4167,
      classGain: 0.3889,
    });
    // Nobody below the ceiling: neither average exists.
    expect(aggregateGain([{ pre: 100, post: 90 }])).toMatchObject({
      learners: 1,
      atCeiling: 1,
      included: 0,
      averageGain: null,
      classGain: null,
    });
  });
});
