import { sql } from "kysely";
import { numberOrNull } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { countsWhenTaken } from "../assessments/results.js";
import { validateDefinition } from "./compile.js";
import { type ReportDefinition, reportDefinition } from "./definition.js";
import { certificateOrder, certificateStatus } from "./registry.js";
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
  if (q.from && q.to && Date.parse(q.to) <= Date.parse(q.from))
    throw new AppError(
      "VALIDATION_ERROR",
      "to must be after from (the range runs from from up to, not including, to)",
      { field: "to" },
    );
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

type CertificateStatus = "valid" | "expired" | "revoked";

/**
 * One learner's record in the organization: courses, status, progress, quiz results and the
 * certificate of each enrollment — the one the certification-status report counts (the live
 * one, else the latest issued). Quizzes nobody passes or fails (surveys, practice, pre-course
 * and self-assessments) show as completed, with no pass mark.
 */
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
        // Per enrollment, the certificate the certification-status report counts.
        ctx.db
          .selectFrom("certificates as x")
          .distinctOn("x.enrollment_id")
          .select([
            "x.enrollment_id",
            "x.certificate_number",
            "x.issued_at",
            "x.expires_at",
            "x.revoked_at",
            sql<CertificateStatus>`${sql.raw(certificateStatus("x"))}`.as("status"),
          ])
          .where("x.enrollment_id", "in", ids)
          .orderBy("x.enrollment_id")
          .orderBy(sql.raw(certificateOrder("x")))
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
        .map((r) => {
          // Surveys, practice and the like are taken, never passed or failed.
          const scored = !countsWhenTaken(r.kind);
          return {
            title: r.title,
            kind: r.kind,
            bestScore: numberOrNull(r.best_score),
            result: (scored ? (r.passed ? "passed" : "failed") : "completed") as
              | "passed"
              | "failed"
              | "completed",
            passed: scored ? r.passed : null,
            attempts: r.attempts_used,
          };
        }),
      certificate:
        certificates
          .filter((c) => c.enrollment_id === e.id)
          .map((c) => ({
            number: c.certificate_number,
            issuedAt: c.issued_at.toISOString(),
            expiresAt: c.expires_at?.toISOString() ?? null,
            revoked: !!c.revoked_at,
            status: c.status,
          }))[0] ?? null,
    })),
  };
}
