import { numberOrNull } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { validateDefinition } from "./compile.js";
import { type ReportDefinition, reportDefinition } from "./definition.js";
import { runReport, runScope } from "./service.js";

/**
 * The real-time reports of seed 000 §4.2: completion and performance answer at once from the
 * same engine (and are deprecated in favour of report jobs, which handle any size); a learner's
 * transcript stays real-time, being small and about one person.
 */

export interface RealtimeQuery {
  courseIds?: string[];
  from?: string;
  to?: string;
}

function filtersOf(q: RealtimeQuery, field: "enrolledAt" | "eventDate") {
  return {
    ...(q.courseIds?.length ? { courseIds: q.courseIds } : {}),
    ...(q.from && q.to ? { dateRange: { field, start: q.from, end: q.to } } : {}),
  };
}

async function run(ctx: Ctx, organizationId: string, input: unknown) {
  const definition: ReportDefinition = reportDefinition.parse(input);
  const problems = validateDefinition(definition, await ctx.actor.access(), organizationId);
  if (problems.length) throw new AppError("FORBIDDEN", problems[0]?.message ?? "Not allowed");
  const report = await runReport(ctx, organizationId, definition);
  return report.rows.map((r) => r.values);
}

/** Per course: enrollments, completions, completion rate, progress and study time. */
export function completionReport(ctx: Ctx, organizationId: string, q: RealtimeQuery) {
  return run(ctx, organizationId, {
    dimensions: [{ entity: "course", fields: ["id", "code", "title"] }],
    measures: [
      { id: "enrollments", type: "count" },
      { id: "completionRate", type: "completion-rate" },
      { id: "averageProgress", type: "average", field: "enrollment.progressPercent" },
      { id: "averageStudySeconds", type: "avg-study-time" },
      { id: "averageSecondsToComplete", type: "avg-time-to-complete" },
    ],
    display: { sortBy: "course.title" },
    filters: filtersOf(q, "enrolledAt"),
  });
}

/** Per course and quiz: graded attempts, average score, pass rate. */
export function performanceReport(ctx: Ctx, organizationId: string, q: RealtimeQuery) {
  return run(ctx, organizationId, {
    dimensions: [
      { entity: "course", fields: ["id", "title"] },
      { entity: "assessment", fields: ["quizId", "quizTitle"] },
    ],
    measures: [
      { id: "attempts", type: "count" },
      { id: "averageScore", type: "avg-score" },
      { id: "passRate", type: "pass-rate" },
    ],
    display: { sortBy: "course.title" },
    filters: filtersOf(q, "eventDate"),
  });
}

/** One learner's record in the organization: courses, status, progress, scores, certificates. */
export async function learnerTranscript(ctx: Ctx, organizationId: string, learnerId: string) {
  const scope = await runScope(ctx, organizationId);
  const member = await ctx.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.first_name", "u.last_name", "u.email"])
    .where("m.organization_id", "=", organizationId)
    .where("m.user_id", "=", learnerId)
    .executeTakeFirst();
  if (!member || (scope.learners && !scope.learners.includes(learnerId)))
    throw new AppError("NOT_FOUND", "Learner not found");
  const enrollments = await ctx.db
    .selectFrom("enrollments as e")
    .innerJoin("courses as c", "c.id", "e.course_id")
    .select([
      "e.id",
      "e.status",
      "e.enrolled_at",
      "e.completed_at",
      "e.due_at",
      "e.progress_percent",
      "e.time_spent_seconds",
      "e.is_compliance",
      "c.id as course_id",
      "c.code",
      "c.title",
    ])
    .where("e.user_id", "=", learnerId)
    .where("e.organization_id", "=", organizationId)
    .orderBy("e.enrolled_at", "desc")
    .execute();
  const ids = enrollments.map((e) => e.id);
  const [results, certificates] = ids.length
    ? await Promise.all([
        ctx.db
          .selectFrom("quiz_results as r")
          .innerJoin("quizzes as q", "q.id", "r.quiz_id")
          .select([
            "r.enrollment_id",
            "q.title",
            "q.kind",
            "r.best_score",
            "r.passed",
            "r.attempts_used",
          ])
          .where("r.enrollment_id", "in", ids)
          .orderBy("q.title")
          .execute(),
        ctx.db
          .selectFrom("certificates")
          .select(["enrollment_id", "certificate_number", "issued_at", "expires_at", "revoked_at"])
          .where("enrollment_id", "in", ids)
          .execute(),
      ])
    : [[], []];
  return {
    learner: {
      id: member.id,
      name: `${member.first_name} ${member.last_name}`.trim(),
      email: member.email,
    },
    courses: enrollments.map((e) => ({
      enrollmentId: e.id,
      courseId: e.course_id,
      code: e.code,
      title: e.title,
      status: e.status,
      enrolledAt: e.enrolled_at.toISOString(),
      completedAt: e.completed_at?.toISOString() ?? null,
      dueAt: e.due_at?.toISOString() ?? null,
      compliance: e.is_compliance,
      progressPercent: Number(e.progress_percent),
      timeSpentSeconds: e.time_spent_seconds,
      quizzes: results
        .filter((r) => r.enrollment_id === e.id)
        .map((r) => ({
          title: r.title,
          kind: r.kind,
          bestScore: numberOrNull(r.best_score),
          passed: r.passed,
          attempts: r.attempts_used,
        })),
      certificate:
        certificates
          .filter((c) => c.enrollment_id === e.id)
          .map((c) => ({
            number: c.certificate_number,
            issuedAt: c.issued_at.toISOString(),
            expiresAt: c.expires_at?.toISOString() ?? null,
            revoked: !!c.revoked_at,
          }))[0] ?? null,
    })),
  };
}
