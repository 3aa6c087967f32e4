import type { PrivacyRequest, RetentionPolicy } from "../../api/privacy";

/**
 * The checks and choices the privacy screens make before asking the server (which decides
 * all the same): a policy's days against the category's minimum, the typed confirmation of an
 * erasure, and which actions a request offers.
 */

/** Why a number of days is refused (an i18n key of the privacy namespace), or null. */
export function retainDaysProblem(days: number | string, minimumDays: number): string | null {
  if (typeof days !== "number" || !Number.isInteger(days)) return "retention.wholeDays";
  if (days < minimumDays) return "retention.tooFew";
  return null;
}

/** Spaces collapsed, case ignored: what a person types to confirm matches the name shown. */
export function confirmationMatches(typed: string, expected: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLocaleLowerCase();
  return expected.trim() !== "" && norm(typed) === norm(expected);
}

/** What can be done with a request now, and by whom. */
export function requestActions(
  request: Pick<PrivacyRequest, "type" | "status" | "file" | "scope">,
  platformAdmin: boolean,
): { process: boolean; reject: boolean; lift: boolean; download: boolean } {
  const waiting = request.status === "requested";
  return {
    // Carrying a request out at once is the platform administrator's; otherwise the job does it.
    process: waiting && platformAdmin && request.type !== "restriction",
    reject: waiting && (request.scope === "organization" || platformAdmin),
    lift: request.type === "restriction" && request.status === "completed",
    download: request.type === "export" && request.status === "completed" && request.file !== null,
  };
}

/** The policies whose review is due, for the note above the list. */
export function overduePolicies(policies: Pick<RetentionPolicy, "reviewOverdue">[]): number {
  return policies.filter((p) => p.reviewOverdue).length;
}
