export interface AggregationKeys {
  dayKey: string;
  weekKey: string;
  monthKey: string;
  quarterKey: string;
  yearKey: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localDate(at: Date, timeZone: string): { y: number; m: number; d: number } {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, fmt);
  }
  const [y, m, d] = fmt.format(at).split("-").map(Number) as [number, number, number];
  return { y, m, d };
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The rollup keys of an instant as seen in a time zone (seed 000 §3.2.1 aggregation): the
 * local day, ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday),
 * month, quarter and year. recordEvents computes the same keys in SQL as it stores events;
 * this is their definition, which its test compares against.
 */
export function aggregationKeys(at: Date, timeZone: string): AggregationKeys {
  const { y, m, d } = localDate(at, timeZone);
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date);
  thursday.setUTCDate(date.getUTCDate() - weekday + 3);
  const isoYear = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return {
    dayKey: `${y}-${pad(m)}-${pad(d)}`,
    weekKey: `${isoYear}-W${pad(week)}`,
    monthKey: `${y}-${pad(m)}`,
    quarterKey: `${y}-Q${Math.ceil(m / 3)}`,
    yearKey: y,
  };
}
