import type { Db } from "../../db/connection.js";

interface SeedValue {
  key: string;
  displayAs: string;
  sortOrder: number;
  description?: string;
  metadata?: Record<string, unknown>;
}

const label = (key: string) =>
  key
    .split("-")
    .map((w) => (w === "scorm" ? "SCORM" : w[0]?.toUpperCase() + w.slice(1)))
    .join(" ");

function series(keys: string[], start: number): SeedValue[] {
  return keys.map((key, i) => ({ key, displayAs: label(key), sortOrder: start + i }));
}

/** The system lookup values of seed 000 §3.2.2, by category. */
/** The learning event types a SCORM package's run records. */
export const SCORM_EVENT_TYPES = [
  "scorm-launched",
  "scorm-initialized",
  "scorm-completed",
  "scorm-passed",
  "scorm-failed",
  "scorm-suspended",
  "scorm-exited",
] as const;

export const SYSTEM_LOOKUPS: Record<string, SeedValue[]> = {
  "activity-event": [
    ...series(
      [
        "enrollment-created",
        "enrollment-started",
        "enrollment-completed",
        "enrollment-withdrawn",
        "enrollment-expired",
      ],
      10,
    ),
    ...series(["content-viewed", "content-started", "content-completed", "content-downloaded"], 20),
    ...series(
      ["assessment-started", "assessment-submitted", "assessment-completed", "assessment-graded"],
      30,
    ),
    ...series(["module-started", "module-completed", "course-started", "course-completed"], 40),
    ...series([...SCORM_EVENT_TYPES], 50),
    ...series(["video-played", "video-paused", "video-seeked", "video-completed"], 60),
    ...series(["session-started", "session-ended", "login", "logout"], 70),
    ...series(["achievement-earned", "certificate-issued"], 80),
  ],
  "report-type": series(
    [
      "enrollment-summary",
      "completion-rates",
      "performance-analysis",
      "learner-activity",
      "course-analytics",
      "instructor-workload",
      "department-overview",
      "program-progress",
      "assessment-results",
      "scorm-attempts",
      "transcript",
      "certification-status",
    ],
    10,
  ).map((v, i) => ({ ...v, sortOrder: (i + 1) * 10 })),
  "report-status": series(
    ["pending", "queued", "processing", "ready", "failed", "cancelled", "expired"],
    10,
  ),
  "report-priority": series(["critical", "high", "normal", "low", "scheduled"], 10),
  "report-visibility": series(["private", "team", "department", "organization", "global"], 10),
  "dimension-entity": series(
    [
      "learner",
      "course",
      "enrollment",
      "activity",
      "assessment",
      "instructor",
      "department",
      "team",
      "organization",
      "time",
    ],
    10,
  ),
  "measure-type": [
    ...series(
      ["count", "count-distinct", "sum", "average", "median", "min", "max", "std-dev", "variance"],
      10,
    ),
    ...series(
      [
        "completion-rate",
        "pass-rate",
        "fail-rate",
        "engagement-rate",
        "retention-rate",
        "dropout-rate",
      ],
      30,
    ),
    ...series(["avg-time-to-complete", "avg-study-time"], 40),
    ...series(["avg-score"], 50),
    ...series(["event-count"], 60),
  ],
  "output-format": series(["pdf", "excel", "csv", "json"], 10),
};

/**
 * Inserts system lookup values that are missing. Values an administrator renamed or
 * deactivated keep their changes.
 */
export async function syncLookupValues(db: Db): Promise<number> {
  const rows = Object.entries(SYSTEM_LOOKUPS).flatMap(([category, values]) =>
    values.map((v) => ({
      organization_id: null,
      category,
      key: v.key,
      display_as: v.displayAs,
      description: v.description ?? null,
      sort_order: v.sortOrder,
      is_system: true,
      metadata: JSON.stringify(v.metadata ?? {}),
    })),
  );
  const inserted = await db
    .insertInto("lookup_values")
    .values(rows)
    .onConflict((oc) => oc.columns(["organization_id", "category", "key"]).doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}
