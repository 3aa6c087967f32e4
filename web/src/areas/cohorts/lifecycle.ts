import type { Cohort, CohortStatus } from "../../api/cohorts";
import type { Announcement } from "../../api/community";

/**
 * A cohort's next steps from its status, in the order they are offered: the server's lifecycle
 * (scheduled → open → in-progress → completed; open may go back to scheduled; anything before
 * completion may be cancelled). The server decides; this only picks the buttons.
 */
export const NEXT_STEPS: Record<CohortStatus, CohortStatus[]> = {
  scheduled: ["open", "cancelled"],
  open: ["in-progress", "scheduled", "cancelled"],
  "in-progress": ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

/** Steps that cannot be taken back: they ask first. */
export const FINAL_STEPS: ReadonlySet<CohortStatus> = new Set(["completed", "cancelled"]);

/** Whether a cohort may still be changed (its dates, seats, link): not once it is over. */
export function isEditable(cohort: Pick<Cohort, "status">): boolean {
  return cohort.status !== "completed" && cohort.status !== "cancelled";
}

/**
 * A course's cohorts in two lists: those still to come or running (soonest first) and those
 * over (completed or cancelled, latest first).
 */
export function splitCohorts(cohorts: Cohort[]): { current: Cohort[]; past: Cohort[] } {
  const current = cohorts.filter(isEditable).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = cohorts
    .filter((c) => !isEditable(c))
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return { current, past };
}

export type AnnouncementState = "draft" | "scheduled" | "live" | "expired";

/**
 * Where an announcement stands for its learners at `now`: a draft (not published), scheduled
 * (published, its time still to come), live, or expired (its window closed).
 */
export function announcementState(
  announcement: Pick<Announcement, "isPublished" | "publishAt" | "expiresAt">,
  now: Date = new Date(),
): AnnouncementState {
  if (!announcement.isPublished) return "draft";
  if (new Date(announcement.publishAt) > now) return "scheduled";
  if (announcement.expiresAt && new Date(announcement.expiresAt) <= now) return "expired";
  return "live";
}

/** A file name for a cohort's roster: its name in lower case, words joined by dashes. */
export function rosterFileName(cohortName: string): string {
  const slug = cohortName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `roster-${slug || "cohort"}.csv`;
}
