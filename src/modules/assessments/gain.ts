/**
 * Hake's normalized gain (seed 001 §Learning Gain Calculation): g = (post − pre) / (100 − pre),
 * banded high (g ≥ 0.7), medium (0.3 ≤ g < 0.7) and low (g < 0.3).
 */

export type GainBand = "high" | "medium" | "low";

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export interface Gain {
  /** null when there was no room to gain: a pre-score of 100. */
  gain: number | null;
  band: GainBand | null;
  /** post − pre, in points. */
  rawGain: number;
  /** Why `gain` is null, when it is. */
  note?: "ceiling";
}

export function bandOf(g: number): GainBand {
  return g >= 0.7 ? "high" : g >= 0.3 ? "medium" : "low";
}

/** The normalized gain of one learner; scores are percentages 0–100. */
export function normalizedGain(pre: number, post: number): Gain {
  if (
    !Number.isFinite(pre) ||
    !Number.isFinite(post) ||
    pre < 0 ||
    pre > 100 ||
    post < 0 ||
    post > 100
  )
    throw new RangeError("scores are percentages between 0 and 100");
  const rawGain = Math.round((post - pre) * 100) / 100;
  // A learner who already scored 100 cannot gain; dividing by zero would say otherwise.
  if (pre === 100) return { gain: null, band: null, rawGain, note: "ceiling" };
  const gain = round4((post - pre) / (100 - pre));
  return { gain, band: bandOf(gain), rawGain };
}

export interface GainAggregate {
  /** Learners with both a pre- and a post-course score. */
  learners: number;
  /** Of them, those who started at 100: no normalized gain exists, so neither average counts them. */
  atCeiling: number;
  /** The learners both averages are computed over: `learners − atCeiling`. */
  included: number;
  /** Mean of the included learners' gains. */
  averageGain: number | null;
  /**
   * Gain of the averages over the same learners: (mean post − mean pre) / (100 − mean pre),
   * Hake's class-level g.
   */
  classGain: number | null;
  band: GainBand | null;
  bands: Record<GainBand, number>;
}

/**
 * Cohort or course aggregate over pairs of (pre, post) percentages. Both averages are taken over
 * one population — the learners below the ceiling (pre-score under 100) — so they can be compared:
 * a learner at the ceiling has no gain of their own, and counting their scores in the class gain
 * only would pull it away from the mean gain for a reason neither shows.
 */
export function aggregateGain(pairs: Array<{ pre: number; post: number }>): GainAggregate {
  const included = pairs
    .map((p) => ({ ...p, ...normalizedGain(p.pre, p.post) }))
    .filter((g): g is typeof g & { gain: number } => g.gain !== null);
  const bands: Record<GainBand, number> = { high: 0, medium: 0, low: 0 };
  for (const g of included) bands[bandOf(g.gain)] += 1;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  let averageGain: number | null = null;
  let classGain: number | null = null;
  if (included.length) {
    averageGain = round4(mean(included.map((g) => g.gain)));
    // Every included pre-score is below 100, so their mean is too.
    const meanPre = mean(included.map((g) => g.pre));
    const meanPost = mean(included.map((g) => g.post));
    classGain = round4((meanPost - meanPre) / (100 - meanPre));
  }
  return {
    learners: pairs.length,
    atCeiling: pairs.length - included.length,
    included: included.length,
    averageGain,
    classGain,
    band: averageGain === null ? null : bandOf(averageGain),
    bands,
  };
}
