import type { Db } from "../../db/connection.js";
import type { Ability } from "../../platform/policy/engine.js";
import { SCORM_EVENT_TYPES } from "../events/reference.js";
import { reportDefinition } from "./definition.js";

/**
 * The twelve predefined report types of seed 000 §3.1.1, and integration health and incidents
 * (issue 15 §5), written as report definitions and run by the same engine as any custom report.
 * They are global system templates: every organization sees them (the integration reports only
 * those who hold integrations:manage), nobody edits them, and anyone may duplicate one to change
 * it.
 */

interface Predefined {
  name: string;
  description: string;
  category: string;
  definition: Record<string, unknown>;
  /**
   * Permissions, beyond reports:read, the report's fields need (as wide as reports:read):
   * only callers who hold them see the template.
   */
  requires?: Ability[];
}

const count = { id: "enrollments", type: "count", label: "Enrollments" };

export const PREDEFINED: Record<string, Predefined> = {
  "enrollment-summary": {
    name: "Enrollment summary",
    description: "Enrollments per course and status, with totals.",
    category: "enrollment",
    definition: {
      dimensions: [
        { entity: "course", fields: ["title"] },
        { entity: "enrollment", fields: ["status"] },
      ],
      measures: [count],
      display: { showTotals: true, showPercentages: true },
    },
  },
  "completion-rates": {
    name: "Completion rates",
    description: "Completion rate, average progress and time to complete per course.",
    category: "completion",
    definition: {
      dimensions: [{ entity: "course", fields: ["title"] }],
      measures: [
        count,
        { id: "completionRate", type: "completion-rate" },
        {
          id: "averageProgress",
          type: "average",
          field: "enrollment.progressPercent",
          format: "percent",
        },
        { id: "timeToComplete", type: "avg-time-to-complete" },
      ],
      display: { showTotals: true, sortBy: "completionRate", sortDirection: "desc" },
    },
  },
  "performance-analysis": {
    name: "Performance analysis",
    description: "Graded attempts, average, lowest and highest score and pass rate per quiz.",
    category: "assessment",
    definition: {
      dimensions: [
        { entity: "course", fields: ["title"] },
        { entity: "assessment", fields: ["quizTitle"] },
      ],
      measures: [
        { id: "attempts", type: "count" },
        { id: "averageScore", type: "avg-score" },
        { id: "lowest", type: "min", field: "assessment.score" },
        { id: "highest", type: "max", field: "assessment.score" },
        { id: "passRate", type: "pass-rate" },
      ],
    },
  },
  "learner-activity": {
    name: "Learner activity",
    description: "Learning events and courses touched per learner.",
    category: "engagement",
    definition: {
      dimensions: [{ entity: "learner", fields: ["name", "email"] }],
      measures: [
        { id: "events", type: "event-count" },
        { id: "courses", type: "count-distinct", field: "course.id" },
      ],
      display: { sortBy: "events", sortDirection: "desc" },
    },
  },
  "course-analytics": {
    name: "Course analytics",
    description: "Enrollment, engagement, completion, dropout and study time per course.",
    category: "course",
    definition: {
      dimensions: [{ entity: "course", fields: ["title", "category"] }],
      measures: [
        count,
        { id: "engagementRate", type: "engagement-rate" },
        { id: "completionRate", type: "completion-rate" },
        { id: "dropoutRate", type: "dropout-rate" },
        { id: "studyTime", type: "avg-study-time" },
      ],
    },
  },
  "instructor-workload": {
    name: "Instructor workload",
    description:
      "Courses, learners and enrollments per instructor (the cohort's, else the course owner).",
    category: "instructor",
    definition: {
      // Rows per person: namesakes stay apart.
      dimensions: [{ entity: "instructor", fields: ["id", "name", "email"] }],
      measures: [
        { id: "courses", type: "count-distinct", field: "course.id" },
        { id: "learners", type: "count-distinct", field: "learner.id" },
        count,
      ],
    },
  },
  "department-overview": {
    name: "Department overview",
    description: "Learners, enrollments, completion and study time per department.",
    category: "organization",
    definition: {
      dimensions: [{ entity: "department", fields: ["name"] }],
      measures: [
        { id: "learners", type: "count-distinct", field: "learner.id" },
        count,
        { id: "completionRate", type: "completion-rate" },
        { id: "studyTime", type: "avg-study-time" },
      ],
      display: { showTotals: true },
    },
  },
  "program-progress": {
    name: "Program progress",
    description: "Progress in the courses learners take through learning paths.",
    category: "completion",
    definition: {
      dimensions: [{ entity: "course", fields: ["title"] }],
      measures: [
        count,
        { id: "completionRate", type: "completion-rate" },
        {
          id: "averageProgress",
          type: "average",
          field: "enrollment.progressPercent",
          format: "percent",
        },
      ],
      filters: {
        customFilters: [{ field: "enrollment.source", operator: "eq", value: "learning-path" }],
      },
    },
  },
  "assessment-results": {
    name: "Assessment results",
    description: "Each learner's attempts, best and average score per quiz.",
    category: "assessment",
    definition: {
      // Rows per person (the id), not per name: namesakes stay apart.
      dimensions: [
        { entity: "learner", fields: ["id", "name", "email"] },
        { entity: "assessment", fields: ["quizTitle"] },
      ],
      measures: [
        { id: "attempts", type: "count" },
        { id: "best", type: "max", field: "assessment.score" },
        { id: "averageScore", type: "avg-score" },
      ],
    },
  },
  "scorm-attempts": {
    name: "SCORM attempts",
    description: "SCORM launches, completions and passes per course, from the event stream.",
    category: "engagement",
    definition: {
      dimensions: [
        { entity: "course", fields: ["title"] },
        { entity: "activity", fields: ["eventType"] },
      ],
      measures: [{ id: "events", type: "event-count" }],
      filters: {
        activityTypes: [...SCORM_EVENT_TYPES],
      },
    },
  },
  transcript: {
    name: "Transcript",
    description: "Every learner's courses with status, completion date, progress and study time.",
    category: "learner",
    definition: {
      dimensions: [
        { entity: "learner", fields: ["id", "name", "email"] },
        { entity: "course", fields: ["title"] },
        { entity: "enrollment", fields: ["status", "completedAt"] },
      ],
      measures: [
        { id: "progress", type: "max", field: "enrollment.progressPercent", format: "percent" },
        {
          id: "studySeconds",
          type: "sum",
          field: "enrollment.timeSpentSeconds",
          format: "duration",
        },
      ],
    },
  },
  "certification-status": {
    name: "Certification status",
    description: "Enrollments per course by certificate status: valid, expired, revoked or none.",
    category: "compliance",
    definition: {
      dimensions: [
        { entity: "course", fields: ["title"] },
        { entity: "certificate", fields: ["status"] },
      ],
      measures: [count],
      display: { showSubtotals: true },
    },
  },
  "integration-health": {
    name: "Integration health",
    description:
      "Sync runs, success and error rate, average latency per external call and failed records per integration over the last 30 days.",
    category: "integrations",
    requires: ["integrations:manage"],
    definition: {
      dimensions: [{ entity: "integration", fields: ["name", "type"] }],
      measures: [
        { id: "runs", type: "run-count" },
        { id: "successRate", type: "success-rate" },
        { id: "errorRate", type: "error-rate" },
        { id: "latencyMs", type: "avg-call-latency" },
        { id: "recordsPerRun", type: "records-per-run" },
        { id: "failedRecords", type: "failed-records" },
      ],
      filters: { lastDays: 30 },
      display: { showTotals: true },
    },
  },
  "integration-incidents": {
    name: "Integration incidents",
    description:
      "Incidents opened per integration over the last 90 days: how many, how many are still open, and the average and median hours to resolve them.",
    category: "integrations",
    requires: ["integrations:manage"],
    definition: {
      dimensions: [{ entity: "integration", fields: ["name", "type"] }],
      measures: [
        { id: "incidents", type: "incident-count" },
        { id: "open", type: "open-incidents" },
        { id: "avgHoursToResolve", type: "avg-hours-to-resolve" },
        { id: "medianHoursToResolve", type: "median-hours-to-resolve" },
      ],
      filters: { lastDays: 90 },
      display: { showTotals: true },
    },
  },
  "compliance-status": {
    name: "Compliance status",
    description:
      "Compliance requirements per department: people assigned, compliant, overdue, expired and exempt, the score (compliant among those not exempt) and violations (overdue and expired).",
    category: "compliance",
    requires: ["compliance:read"],
    definition: {
      dimensions: [
        { entity: "compliance", fields: ["requirement"] },
        { entity: "department", fields: ["name"] },
      ],
      measures: [
        { id: "assignments", type: "compliance-assignments" },
        { id: "compliant", type: "compliant-count" },
        { id: "overdue", type: "overdue-count" },
        { id: "expired", type: "expired-count" },
        { id: "exempt", type: "exempt-count" },
        { id: "score", type: "compliance-score" },
        { id: "violations", type: "violations" },
      ],
      display: { showSubtotals: true, showTotals: true },
    },
  },
};

/** Permissions predefined reports may need beyond reports:read (the templates' visibility). */
export const PREDEFINED_ABILITIES: Ability[] = [
  ...new Set(Object.values(PREDEFINED).flatMap((p) => p.requires ?? [])),
];

/** JSON with sorted keys, to compare with what jsonb gives back. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** Writes the predefined reports as global system templates (new ones added, old ones updated). */
export async function syncPredefinedTemplates(db: Db): Promise<number> {
  let written = 0;
  for (const [key, p] of Object.entries(PREDEFINED)) {
    const definition = JSON.stringify(reportDefinition.parse(p.definition));
    const requires = p.requires ?? [];
    const existing = await db
      .selectFrom("report_templates")
      .select(["id", "definition", "required_permissions"])
      .where("organization_id", "is", null)
      .where("slug", "=", key)
      .where("is_latest", "=", true)
      .executeTakeFirst();
    if (existing) {
      if (
        canonical(existing.definition) === canonical(JSON.parse(definition)) &&
        canonical(existing.required_permissions) === canonical(requires)
      )
        continue;
      await db
        .updateTable("report_templates")
        .set({
          definition,
          name: p.name,
          description: p.description,
          category: p.category,
          required_permissions: requires,
        })
        .where("id", "=", existing.id)
        .execute();
    } else {
      const id = crypto.randomUUID();
      await db
        .insertInto("report_templates")
        .values({
          id,
          family_id: id,
          organization_id: null,
          name: p.name,
          description: p.description,
          slug: key,
          report_type: "predefined",
          predefined_type: key,
          definition,
          category: p.category,
          tags: ["predefined"],
          is_system: true,
          visibility: "global",
          shared_with: [],
          required_permissions: requires,
        })
        .execute();
    }
    written += 1;
  }
  return written;
}
