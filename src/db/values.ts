/** A numeric column as a number (drivers hand NUMERIC back as text), keeping null. */
export function numberOrNull(value: number | string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}
