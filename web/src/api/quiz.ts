import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { learnerKeys, myCourseProgressQuery, refreshLearningSideEffects } from "./learner";
import type { components } from "./schema";

export type QuizSummary = components["schemas"]["QuizSummary"];
export type AttemptSummary = components["schemas"]["AttemptSummary"];
export type QuizAttempt = components["schemas"]["QuizAttempt"];
export type ServedQuestion = QuizAttempt["questions"][number];
export type AnswerResponse = components["schemas"]["AnswerResponse"];
export type CourseProgress = components["schemas"]["CourseProgress"];
export interface AnswerInput {
  questionId: string;
  response: AnswerResponse | null;
  markedForReview?: boolean;
}

/** Query keys of taking quizzes: a learner's own attempts, so rooted at the person. */
export const quizKeys = {
  all: (userId: string) => ["quiz", userId] as const,
  summary: (userId: string, quizId: string) =>
    [...quizKeys.all(userId), "summary", quizId] as const,
  attempt: (userId: string, attemptId: string) =>
    [...quizKeys.all(userId), "attempt", attemptId] as const,
};

/** A quiz as its learner sees it before starting: rules, attempts, standing (GET /quizzes/{id}/summary). */
export const quizSummaryQuery = (userId: string, quizId: string) =>
  queryOptions({
    queryKey: quizKeys.summary(userId, quizId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/quizzes/{quizId}/summary", { params: { path: { quizId } }, signal })),
  });

export function useQuizSummary(userId: string, quizId: string, enabled = true) {
  return useQuery({ ...quizSummaryQuery(userId, quizId), enabled: enabled && quizId !== "" });
}

/**
 * One attempt (GET /attempts/{id}). While it is open and timed it is fetched again every
 * 30 s, so the clock follows the server's remaining seconds rather than the page's own count.
 */
export const attemptQuery = (userId: string, attemptId: string) =>
  queryOptions({
    queryKey: quizKeys.attempt(userId, attemptId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/attempts/{attemptId}", { params: { path: { attemptId } }, signal })),
    refetchInterval: (query) =>
      query.state.data?.status === "in-progress" && query.state.data.deadlineAt ? 30_000 : false,
    refetchOnWindowFocus: true,
  });

export function useAttempt(userId: string, attemptId: string) {
  return useQuery(attemptQuery(userId, attemptId));
}

/**
 * The quizzes of the person's course, by module, with their standing, or null when they are
 * not enrolled (GET /courses/{id}/progress/mine, which lists the published quizzes).
 */
export function useCourseQuizzes(userId: string, courseId: string) {
  return useQuery(myCourseProgressQuery(userId, courseId));
}

/**
 * What changes when an attempt starts or closes: the quiz page, My learning and the course's
 * quiz list (the person's course progress, kept under their enrollments), and what a
 * submission can send (a grade, completion, a certificate).
 */
function invalidateStanding(
  client: ReturnType<typeof useQueryClient>,
  userId: string,
  quizId: string,
) {
  return Promise.all([
    client.invalidateQueries({ queryKey: quizKeys.summary(userId, quizId) }),
    client.invalidateQueries({ queryKey: learnerKeys.enrollments(userId) }),
    refreshLearningSideEffects(client, userId),
  ]);
}

/** Starts an attempt or resumes the open one (POST /quizzes/{id}/start). */
export function useStartAttempt(userId: string, quizId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/quizzes/{quizId}/start", { params: { path: { quizId } } })),
    onSuccess: async (attempt) => {
      client.setQueryData(quizKeys.attempt(userId, attempt.id), attempt);
      await invalidateStanding(client, userId, quizId);
    },
  });
}

/**
 * Autosaves answers of an open attempt (PUT /attempts/{id}/answers). The answer carries the
 * server's remaining seconds, so the cached attempt is replaced with it (the timer re-syncs).
 */
export function useSaveAnswers(userId: string, attemptId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answers: AnswerInput[]) =>
      unwrap(
        api.PUT("/api/v1/attempts/{attemptId}/answers", {
          params: { path: { attemptId } },
          body: { answers },
        }),
      ),
    onSuccess: (attempt) => client.setQueryData(quizKeys.attempt(userId, attemptId), attempt),
  });
}

/** Submits an attempt with its last answers (POST /attempts/{id}/submit) and keeps its result. */
export function useSubmitAttempt(userId: string, attemptId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answers: AnswerInput[]) =>
      unwrap(
        api.POST("/api/v1/attempts/{attemptId}/submit", {
          params: { path: { attemptId } },
          body: { answers },
        }),
      ),
    onSuccess: async (attempt) => {
      client.setQueryData(quizKeys.attempt(userId, attemptId), attempt);
      await invalidateStanding(client, userId, attempt.quizId);
    },
  });
}

/** Fetches the attempt again (after the server refused a save: time up, already submitted). */
export function useRefreshAttempt(userId: string, attemptId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: quizKeys.attempt(userId, attemptId) });
}
