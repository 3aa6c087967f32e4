import type { RefKind } from "../../platform/references.js";
import { courseChildKind } from "../catalog/references.js";

/** Announcements and ratings, as path objects: they live where their course does. */
export const feedbackRefKinds: Record<string, RefKind> = {
  announcement: courseChildKind("Announcement", "announcements"),
  rating: courseChildKind("Rating", "course_ratings"),
};
