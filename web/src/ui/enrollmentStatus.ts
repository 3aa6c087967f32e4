import type { components } from "../api/schema";

/**
 * An enrollment status's colour, shown as a badge's dot (the badge's text says the status in
 * the page's colour; the dot is a second cue), wherever enrollments are listed.
 */
export const ENROLLMENT_STATUS_COLOR: Record<
  components["schemas"]["Enrollment"]["status"],
  string
> = {
  "pending-payment": "yellow",
  active: "indigo",
  completed: "teal",
  suspended: "gray",
  dropped: "gray",
  expired: "gray",
};
