/**
 * The in-app path to go back to after signing in: only a path on this site (starting with
 * one "/"), never another origin, and never the sign-in page itself.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return "/";
  }
  if (value.startsWith("/sign-in")) return "/";
  return value;
}

/** The sign-in page's address that comes back to `path` afterwards. */
export function signInPath(path: string): string {
  return path === "/" || path.startsWith("/sign-in")
    ? `/sign-in?returnTo=${encodeURIComponent("/")}`
    : `/sign-in?returnTo=${encodeURIComponent(path)}`;
}
