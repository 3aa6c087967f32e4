import { z } from "zod";
import { envelope, isoDateTime, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { pageQuery, queryFlag } from "../../platform/http/pagination.js";
import type { App } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { type HiddenFromManagers, privacyForViewer } from "../access/learner-privacy.js";
import { LEARNER_SORTS, learnerSummaries } from "./learners.js";
import { learnerTranscript } from "./realtime.js";

const iso = isoDateTime;

const learnerSummarySchema = z
  .object({
    userId: z.uuid(),
    restricted: z
      .boolean()
      .describe(
        "The person's processing is restricted in the organization: name, address, department, score and certificates are null; the counts stay",
      ),
    name: z.string().nullable(),
    email: z.string().nullable(),
    department: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    enrollments: z.number().int().describe("Enrollments in the organization, not withdrawn"),
    completed: z.number().int(),
    averageProgress: z.number().describe("0–100, over those enrollments"),
    overdue: z.number().int().describe("Open enrollments past their due date"),
    compliance: z.object({
      required: z.number().int().describe("Compliance enrollments, not withdrawn"),
      overdue: z.number().int(),
    }),
    averageScore: z
      .number()
      .nullable()
      .describe("Average best score (0–100) of graded quizzes; null when none"),
    certificates: z
      .number()
      .int()
      .nullable()
      .describe(
        "Valid certificates (neither revoked nor expired); null when the learner keeps them from managers",
      ),
  })
  .meta({ id: "LearnerSummary" });

const transcriptCourse = z.object({
  enrollmentId: z.uuid(),
  courseId: z.uuid(),
  code: z.string(),
  title: z.string(),
  status: z.string(),
  enrolledAt: iso(),
  completedAt: iso().nullable(),
  dueAt: iso().nullable(),
  compliance: z.boolean(),
  progressPercent: z.number(),
  timeSpentSeconds: z
    .number()
    .int()
    .nullable()
    .describe("Null when the learner keeps their activity from managers"),
  quizzes: z.array(
    z.object({
      title: z.string(),
      kind: z.string(),
      bestScore: z.number().nullable(),
      result: z.enum(["passed", "failed", "completed"]),
      passed: z.boolean().nullable(),
      attempts: z.number().int(),
    }),
  ),
  certificate: z
    .object({
      number: z.string(),
      issuedAt: iso(),
      expiresAt: iso().nullable(),
      revoked: z.boolean(),
      status: z.enum(["valid", "expired", "revoked"]),
    })
    .nullable(),
});

/** Where each learner stands, for managers and administrators, and one learner's record. */
export async function learnerReportRoutes(app: App): Promise<void> {
  const tags = ["Reports"];

  app.get(
    "/api/v1/organizations/:organizationId/learners",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Where each learner stands (managers and administrators)",
        description:
          "The organization's active members the caller reaches with `reports:read` (their teams, their departments, or everyone), each with enrollments completed of all, average progress, overdue enrollments, compliance training required and overdue, the average best score of graded quizzes, and valid certificates. `overdue=true` keeps those with something overdue; `sort=-overdue` puts the latest first. One learner's detail: `GET …/reports/transcript/{learnerId}`.",
        params: z.object({ organizationId: z.uuid() }),
        querystring: pageQuery(LEARNER_SORTS, { sort: "name", limit: 25 }).extend({
          search: z.string().trim().min(1).max(200).optional().describe("Name or email"),
          departmentId: ref("department").optional(),
          teamId: ref("team").optional(),
          overdue: queryFlag().optional(),
        }),
        response: { 200: listEnvelope(learnerSummarySchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await learnerSummaries(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      await request.ctx.events.emit(request.ctx, "personal-data.read", {
        organizationId: request.params.organizationId,
        subjectUserIds: rows.map((r) => r.user_id),
        what: "learner-list",
      });
      // What learners keep hidden, and everything of a restricted learner but the counts.
      const privacy = await privacyForViewer(
        request.ctx,
        rows.map((r) => r.user_id),
        request.params.organizationId,
      );
      return okList(
        rows.map((r) => {
          const restricted = privacy.restricted(r.user_id);
          return {
            userId: r.user_id,
            restricted,
            name: restricted ? null : `${r.first_name} ${r.last_name}`.trim(),
            email: restricted ? null : r.email,
            department:
              !restricted && r.department_id && r.department_name
                ? { id: r.department_id, name: r.department_name }
                : null,
            enrollments: r.enrollments,
            completed: r.completed,
            averageProgress: Math.round(r.progress * 10) / 10,
            overdue: r.overdue_count,
            compliance: { required: r.compliance_required, overdue: r.compliance_overdue },
            averageScore:
              r.average_score === null || privacy.hides(r.user_id, "scores")
                ? null
                : Math.round(r.average_score * 10) / 10,
            certificates: privacy.hides(r.user_id, "certificates") ? null : r.certificates,
          };
        }),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/reports/transcript/:learnerId",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "A learner's transcript in the organization (real-time)",
        description:
          "A person whose processing is restricted in the organization answers `403 PROCESSING_RESTRICTED` to everyone but themself. Per enrollment: course, status, dates, progress, study time, quiz results and the certificate the certification-status report counts (the live one, else the latest issued; `status` valid, expired or revoked). Quizzes nobody passes or fails (survey, practice, pre-course, self-assessment) show `result: completed` and `passed: null`; the others `result` passed or failed.",
        params: z.object({ organizationId: z.uuid(), learnerId: z.uuid() }),
        response: {
          200: envelope(
            z
              .object({
                learner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
                courses: z.array(transcriptCourse),
                hidden: z
                  .array(z.enum(["scores", "activity", "certificates"]))
                  .describe(
                    "What the learner's privacy settings keep from the viewer (null values)",
                  ),
              })
              .meta({ id: "LearnerTranscript" }),
          ),
        },
      },
    },
    async (request) => {
      const { organizationId, learnerId } = request.params;
      // Reached first (404 for someone the caller does not reach), then restriction.
      const transcript = await learnerTranscript(request.ctx, organizationId, learnerId);
      const privacy = await privacyForViewer(request.ctx, [learnerId], organizationId);
      if (privacy.restricted(learnerId))
        throw new AppError(
          "PROCESSING_RESTRICTED",
          "This person's processing is restricted in the organization: their transcript is not shown until the restriction is lifted",
        );
      await request.ctx.events.emit(request.ctx, "personal-data.read", {
        organizationId,
        subjectUserIds: [learnerId],
        what: "transcript",
      });
      const hides = (what: HiddenFromManagers) => privacy.hides(learnerId, what);
      const hidden = (["scores", "activity", "certificates"] as const).filter(hides);
      return ok({
        ...transcript,
        hidden,
        courses: transcript.courses.map((c) => ({
          ...c,
          timeSpentSeconds: hides("activity") ? null : c.timeSpentSeconds,
          quizzes: hides("scores") ? c.quizzes.map((q) => ({ ...q, bestScore: null })) : c.quizzes,
          certificate: hides("certificates") ? null : c.certificate,
        })),
      });
    },
  );
}
