import { z } from "zod";
import { type AppServices, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { AI_GRADE_JOB, closeOverdueAttempts } from "./attempt-close.js";
import { aiGradeAttempt } from "./grade.js";

export const CLOSE_ATTEMPTS_JOB = "assessments.close-overdue-attempts";

export const ASSESSMENT_SCHEDULE: ScheduledTask[] = [
  { name: "quiz-deadlines", pattern: "45 * * * * *", job: CLOSE_ATTEMPTS_JOB },
];

/**
 * Every minute, attempts past their deadline (and untimed ones left too long) are submitted
 * with what they hold; the AI grader works through open answers queued at submission.
 */
export function assessmentJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: CLOSE_ATTEMPTS_JOB,
      payload: z.object({}).passthrough(),
      run: async () => ({
        closed: await closeOverdueAttempts(systemCtx(services, "worker")),
      }),
    },
    {
      name: AI_GRADE_JOB,
      payload: z.object({ attemptId: z.uuid() }).passthrough(),
      run: async (payload) =>
        aiGradeAttempt(systemCtx(services, "ai-grader"), String(payload.attemptId)),
    },
  ];
}
