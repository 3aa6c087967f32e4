import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { resultsKeys } from "./results";
import type { components, paths } from "./schema";

export type QueueItem = components["schemas"]["GradingQueueItem"];
export type CourseGradebook = components["schemas"]["CourseGradebook"];
/** An attempt as its course's graders see it: every answer with its grading trail. */
export type GradedAttempt = components["schemas"]["QuizAttempt"];
export type QueueShow = NonNullable<
  NonNullable<
    paths["/api/v1/courses/{courseId}/grading-queue"]["get"]["parameters"]["query"]
  >["show"]
>;

/** The question part of a queue item (GET /courses/{id}/grading-queue). */
export interface QueueQuestion {
  type: string;
  text: string;
  points: number;
  rubric: Array<{ description: string; points: number }>;
}

/** The AI grader's suggestion on a queue item, when it looked at the answer. */
export interface AiSuggestion {
  grader: string | null;
  points: number | null;
  confidence: number | null;
  decision: "graded" | "graded-flagged" | "manual";
  feedback: string | null;
  criteria: Array<{ description: string; met: boolean; points: number }> | null;
}

/** How one answer was graded, as the course team sees it (`grading` of an attempt's question). */
export interface AnswerGrading {
  rubricScores: number[] | null;
  /** A person's own comment for the learner (the AI's feedback is in `ai`). */
  comment: string | null;
  gradedBy: string | null;
  grader: { id: string; name: string } | null;
  gradedAt: string | null;
  manualOverride: boolean;
  flaggedForReview: boolean;
  ai: AiSuggestion | null;
}

/** Query keys of grading, rooted at the person and then the course. */
export const gradingKeys = {
  all: (userId: string) => ["grading", userId] as const,
  queue: (userId: string, courseId: string, show: QueueShow, quizId: string | null) =>
    [...gradingKeys.all(userId), courseId, "queue", show, quizId] as const,
  course: (userId: string, courseId: string) => [...gradingKeys.all(userId), courseId] as const,
  gradebook: (userId: string, courseId: string) =>
    [...gradingKeys.course(userId, courseId), "gradebook"] as const,
  attempt: (userId: string, courseId: string, attemptId: string) =>
    [...gradingKeys.course(userId, courseId), "attempt", attemptId] as const,
};

/** Open answers waiting for a grade and AI grades flagged for review, oldest first. */
export function useGradingQueue(
  userId: string,
  courseId: string,
  show: QueueShow,
  quizId: string | null,
) {
  return useQuery({
    queryKey: gradingKeys.queue(userId, courseId, show, quizId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/grading-queue", {
          params: { path: { courseId }, query: { show, ...(quizId ? { quizId } : {}) } },
          signal,
        }),
      ),
  });
}

/** The course gradebook (GET /courses/{id}/gradebook): each learner's best score per quiz. */
export function useCourseGradebook(userId: string, courseId: string) {
  return useQuery({
    queryKey: gradingKeys.gradebook(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        // JSON unless format=csv is asked for; the schema lists both kinds of answer.
        api.GET("/api/v1/courses/{courseId}/gradebook", {
          params: { path: { courseId } },
          signal,
        }) as Promise<{ data?: { data: CourseGradebook } }>,
      ),
  });
}

/** One attempt with its grading trail, for the course's graders (GET /attempts/{id}). */
export function useGradedAttempt(userId: string, courseId: string, attemptId: string) {
  return useQuery({
    queryKey: gradingKeys.attempt(userId, courseId, attemptId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/attempts/{attemptId}", { params: { path: { attemptId } }, signal })),
  });
}

/**
 * Grades or regrades one answer of an attempt (POST /attempts/{id}/grade): points, or one score
 * per rubric criterion, and feedback. The answer is the attempt as graded, written into its
 * page's cache; the course's queue, gradebook and results are fetched again.
 */
export function useGradeAnswer(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (grade: {
      attemptId: string;
      questionId: string;
      points?: number;
      rubricScores?: number[];
      feedback: string | null;
    }) =>
      unwrap(
        api.POST("/api/v1/attempts/{attemptId}/grade", {
          params: { path: { attemptId: grade.attemptId } },
          body: {
            answers: [
              {
                questionId: grade.questionId,
                ...(grade.rubricScores
                  ? { rubricScores: grade.rubricScores }
                  : { points: grade.points ?? 0 }),
                feedback: grade.feedback,
              },
            ],
          },
        }),
      ),
    onSuccess: async (attempt) => {
      client.setQueryData(gradingKeys.attempt(userId, courseId, attempt.id), attempt);
      await Promise.all([
        client.invalidateQueries({
          queryKey: gradingKeys.course(userId, courseId),
          // The attempt just answered is current.
          predicate: (query) => query.queryKey[3] !== "attempt" || query.queryKey[4] !== attempt.id,
        }),
        client.invalidateQueries({ queryKey: resultsKeys.all(userId) }),
      ]);
    },
  });
}
