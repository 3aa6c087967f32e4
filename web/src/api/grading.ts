import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components, paths } from "./schema";

export type QueueItem = components["schemas"]["GradingQueueItem"];
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

/** Query keys of grading, rooted at the person and then the course. */
export const gradingKeys = {
  all: (userId: string) => ["grading", userId] as const,
  queue: (userId: string, courseId: string, show: QueueShow, quizId: string | null) =>
    [...gradingKeys.all(userId), courseId, "queue", show, quizId] as const,
  course: (userId: string, courseId: string) => [...gradingKeys.all(userId), courseId] as const,
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

/**
 * Grades one answer of an attempt (POST /attempts/{id}/grade): points, or one score per rubric
 * criterion, and feedback. The course's queue is fetched again afterwards.
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
    onSuccess: () => client.invalidateQueries({ queryKey: gradingKeys.course(userId, courseId) }),
  });
}
