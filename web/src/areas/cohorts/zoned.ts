/**
 * A cohort runs in its own time zone ("9:00 in Berlin"), whoever schedules it and wherever
 * they are. A `datetime-local` input holds a wall-clock time without a zone: these turn such a
 * time in a named IANA zone into the instant the API stores, and back.
 */

const PARTS = {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
} as const;

/** The wall clock of `timeZone` at an instant, as numbers. */
function wallClock(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", { ...PARTS, timeZone }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: part("year"),
    month: part("month"),
    day: part("day"),
    hour: part("hour") % 24,
    minute: part("minute"),
    second: part("second"),
  };
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(ms / 1000) * 1000;
}

/** Whether the browser knows `timeZone` as an IANA zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the browser knows, UTC and `current` among them. */
export function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  const extra = ["UTC", current].filter((zone) => zone && !zones.includes(zone));
  return [...new Set([...extra, ...zones])];
}

/** The value a `datetime-local` input shows for an instant on the clocks of `timeZone`. */
export function zonedInputValue(iso: string, timeZone: string): string {
  const w = wallClock(new Date(iso).getTime(), timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The instant (ISO) at which the clocks of `timeZone` show `value` (YYYY-MM-DDTHH:mm), or null
 * when it is no such time. A time skipped when the clocks go forward is read as the same time
 * after the change (02:30 on a night that jumps from 02:00 to 03:00 becomes 03:30); a time
 * that happens twice when they go back is the later one.
 */
export function instantFromZoned(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match || !isTimeZone(timeZone)) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59)
    return null;
  const guess = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(guess, timeZone)).toISOString();
}
