/** Machine keys people type or have suggested (roles, lookup values). */

/** Keys are lowercase words joined by hyphens, as the API asks. */
export const KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Suggests a key from a name ("Safety lead" → "safety-lead"). */
export function keyFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}
