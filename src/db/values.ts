/** A numeric column as a number (drivers hand NUMERIC back as text), keeping null. */
export function numberOrNull(value: number | string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * A LIKE/ILIKE pattern matching `text` literally — its own %, _ and \ escaped — anywhere in the
 * value (default), at its start, or at its end.
 */
export function likePattern(
  text: string,
  where: "contains" | "startsWith" | "endsWith" = "contains",
): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return where === "startsWith"
    ? `${escaped}%`
    : where === "endsWith"
      ? `%${escaped}`
      : `%${escaped}%`;
}
