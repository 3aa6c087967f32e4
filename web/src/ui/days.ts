/**
 * Days chosen in a date input (YYYY-MM-DD) as instants, in the person's (browser's) time
 * zone: a due date is the end of its day, so "due on the 31st" is not late until the 31st has
 * passed where they are; a period runs from the start of its first day to the end of its last.
 */

function parts(day: string): [number, number, number] | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  // new Date rolls 2026-02-31 over into March: such a day does not exist.
  const probe = new Date(y, m - 1, d);
  if (probe.getFullYear() !== y || probe.getMonth() !== m - 1 || probe.getDate() !== d) return null;
  return [y, m, d];
}

/** The last millisecond of the day, as an ISO instant; null when the text is not a day. */
export function endOfDay(day: string): string | null {
  const p = parts(day);
  return p ? new Date(p[0], p[1] - 1, p[2], 23, 59, 59, 999).toISOString() : null;
}

/** The first millisecond of the day (local midnight, whatever the day's length). */
export function startOfDay(day: string): string | null {
  const p = parts(day);
  return p ? new Date(p[0], p[1] - 1, p[2], 0, 0, 0, 0).toISOString() : null;
}

/** The day (YYYY-MM-DD, local) a date input shows for an instant; `fromNow` days ahead if null. */
export function dayOf(iso: string | null, fromNow = 0, now = new Date()): string {
  const date = iso ? new Date(iso) : new Date(now.getTime() + fromNow * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The value a `datetime-local` input shows for an instant (YYYY-MM-DDTHH:mm, local). */
export function localInputValue(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${dayOf(iso)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
