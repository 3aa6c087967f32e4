/**
 * A URL slug: accents dropped, lower case, runs of anything else than a–z and 0–9 turned into
 * one hyphen, cut to `max` characters; `fallback` when nothing is left (a name of symbols).
 */
export function slugify(text: string, fallback: string, max = 60): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, max) || fallback
  );
}
