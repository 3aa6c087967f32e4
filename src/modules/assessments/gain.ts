/**
 * Hake's normalized gain (seed 001 §Learning Gain Calculation): g = (post − pre) / (100 − pre),
 * banded high (g ≥ 0.7), medium (0.3 ≤ g < 0.7) and low (g < 0.3).
 */

export type GainBand = "high" | "medium" | "low";

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
  const gain = Math.round(((post - pre) / (100 - pre)) * 10_000) / 10_000;
  return { gain, band: bandOf(gain), rawGain };
}

export interface GainAggregate {
  learners: number;
  /** Learners left out because they started at 100. */
  atCeiling: number;
  /** Mean of the learners' gains. */
  averageGain: number | null;
  /** Gain of the averages: (mean post − mean pre) / (100 − mean pre), Hake's class-level g. */
  classGain: number | null;
  band: GainBand | null;
  bands: Record<GainBand, number>;
}

/** Cohort or course aggregate over pairs of (pre, post) percentages. */
export function aggregateGain(pairs: Array<{ pre: number; post: number }>): GainAggregate {
  const gains = pairs.map((p) => normalizedGain(p.pre, p.post));
  const counted = gains.filter((g) => g.gain !== null) as Array<Gain & { gain: number }>;
  const bands: Record<GainBand, number> = { high: 0, medium: 0, low: 0 };
  for (const g of counted) bands[bandOf(g.gain)] += 1;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const averageGain = counted.length
    ? Math.round(mean(counted.map((g) => g.gain)) * 10_000) / 10_000
    : null;
  const meanPre = pairs.length ? mean(pairs.map((p) => p.pre)) : 100;
  const meanPost = pairs.length ? mean(pairs.map((p) => p.post)) : 100;
  const classGain =
    pairs.length && meanPre < 100
      ? Math.round(((meanPost - meanPre) / (100 - meanPre)) * 10_000) / 10_000
      : null;
  return {
    learners: pairs.length,
    atCeiling: gains.length - counted.length,
    averageGain,
    classGain,
    band: averageGain === null ? null : bandOf(averageGain),
    bands,
  };
}
