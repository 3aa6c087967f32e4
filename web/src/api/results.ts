import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components } from "./schema";

export type LearningGainReport = components["schemas"]["CourseLearningGain"];
export type ItemAnalysis = components["schemas"]["ItemAnalysis"];

/** Query keys of a course's results, rooted at the person and then the course or quiz. */
export const resultsKeys = {
  all: (userId: string) => ["results", userId] as const,
  learningGain: (userId: string, courseId: string) =>
    [...resultsKeys.all(userId), "course", courseId, "learning-gain"] as const,
  itemAnalysis: (userId: string, quizId: string, firstOnly: boolean) =>
    [...resultsKeys.all(userId), "quiz", quizId, "item-analysis", firstOnly] as const,
};

/** Learning gain of a course (GET /courses/{id}/learning-gain): overall, cohorts, skills, learners. */
export function useLearningGain(userId: string, courseId: string) {
  return useQuery({
    queryKey: resultsKeys.learningGain(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/learning-gain", {
          params: { path: { courseId } },
          signal,
        }),
      ),
  });
}

/** Item analysis of a quiz (GET /quizzes/{id}/item-analysis), of every or first attempts. */
export function useItemAnalysis(userId: string, quizId: string | null, firstOnly: boolean) {
  return useQuery({
    queryKey: resultsKeys.itemAnalysis(userId, quizId ?? "", firstOnly),
    enabled: quizId !== null,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/quizzes/{quizId}/item-analysis", {
          params: {
            path: { quizId: quizId ?? "" },
            query: { firstOnly: firstOnly ? "true" : "false" },
          },
          signal,
        }),
      ),
  });
}
