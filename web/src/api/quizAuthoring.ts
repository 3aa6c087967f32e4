import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components, paths } from "./schema";

export type AuthoredQuiz = components["schemas"]["Quiz"];
export type QuizQuestion = components["schemas"]["QuizQuestion"];
export type QuizPatch = NonNullable<
  paths["/api/v1/quizzes/{quizId}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type QuestionDefinition = NonNullable<
  NonNullable<
    paths["/api/v1/quizzes/{quizId}/questions"]["post"]["requestBody"]
  >["content"]["application/json"]["question"]
>;

/** Query keys of quiz authoring, rooted at the person, then the course. */
export const quizAuthoringKeys = {
  course: (userId: string, courseId: string) => ["quiz-authoring", userId, courseId] as const,
  quiz: (userId: string, courseId: string, quizId: string) =>
    [...quizAuthoringKeys.course(userId, courseId), quizId] as const,
};

/** A course's quizzes, for its authors (GET /courses/{id}/quizzes). */
export function useAuthoredQuizzes(userId: string, courseId: string) {
  return useQuery({
    queryKey: quizAuthoringKeys.course(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/quizzes", { params: { path: { courseId } }, signal }),
      ),
  });
}

/** A quiz with its questions and answer keys (GET /quizzes/{id}). */
export function useAuthoredQuiz(userId: string, courseId: string, quizId: string) {
  return useQuery({
    queryKey: quizAuthoringKeys.quiz(userId, courseId, quizId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/quizzes/{quizId}", { params: { path: { quizId } }, signal })),
  });
}

export function useAddQuiz(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { moduleId: string; title: string }) =>
      unwrap(
        api.POST("/api/v1/modules/{moduleId}/quizzes", {
          params: { path: { moduleId: input.moduleId } },
          body: { title: input.title },
        }),
      ),
    onSuccess: () =>
      client.invalidateQueries({ queryKey: quizAuthoringKeys.course(userId, courseId) }),
  });
}

/**
 * A quiz's changes: settings (and publishing), questions added, edited, removed and
 * reordered, the quiz deleted. Each settles once the course's quizzes are fresh.
 */
export function useQuizChange(userId: string, courseId: string, quizId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (
      change:
        | { kind: "settings"; patch: QuizPatch }
        | { kind: "addQuestion"; question: QuestionDefinition }
        | { kind: "copyFromBank"; bankQuestionId: string }
        | { kind: "editQuestion"; questionId: string; question: QuestionDefinition }
        | { kind: "removeQuestion"; questionId: string }
        | { kind: "orderQuestions"; questionIds: string[] }
        | { kind: "delete" },
    ) => {
      switch (change.kind) {
        case "settings":
          return unwrap(
            api.PATCH("/api/v1/quizzes/{quizId}", {
              params: { path: { quizId } },
              body: change.patch,
            }),
          );
        case "addQuestion":
          return unwrap(
            api.POST("/api/v1/quizzes/{quizId}/questions", {
              params: { path: { quizId } },
              body: { question: change.question },
            }),
          );
        case "copyFromBank":
          return unwrap(
            api.POST("/api/v1/quizzes/{quizId}/questions", {
              params: { path: { quizId } },
              body: { bankQuestionId: change.bankQuestionId },
            }),
          );
        case "editQuestion":
          return unwrap(
            api.PATCH("/api/v1/quiz-questions/{quizQuestionId}", {
              params: { path: { quizQuestionId: change.questionId } },
              body: { question: change.question },
            }),
          );
        case "removeQuestion":
          return api.DELETE("/api/v1/quiz-questions/{quizQuestionId}", {
            params: { path: { quizQuestionId: change.questionId } },
          });
        case "orderQuestions":
          return api.PUT("/api/v1/quizzes/{quizId}/questions/order", {
            params: { path: { quizId } },
            body: { questionIds: change.questionIds },
          });
        case "delete":
          return api.DELETE("/api/v1/quizzes/{quizId}", { params: { path: { quizId } } });
      }
    },
    onSettled: () =>
      client.invalidateQueries({ queryKey: quizAuthoringKeys.course(userId, courseId) }),
  });
}
