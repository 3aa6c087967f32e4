/**
 * Due dates are chosen as days (a date input) and sent as instants: the end of that day in
 * the person's time zone, so "due on the 31st" is not late until the 31st has passed where
 * they are.
 */
export function dueAtFromDay(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const end = new Date(y, m - 1, d, 23, 59, 59, 999);
  // new Date rolls 2026-02-31 over into March: such a day does not exist.
  if (end.getFullYear() !== y || end.getMonth() !== m - 1 || end.getDate() !== d) return null;
  return end.toISOString();
}

/** The day (YYYY-MM-DD, local) a date input shows for an instant; `fromNow` days ahead if null. */
export function dayOf(iso: string | null, fromNow = 0, now = new Date()): string {
  const date = iso ? new Date(iso) : new Date(now.getTime() + fromNow * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
