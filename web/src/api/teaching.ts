import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrapList } from "./client";
import type { components } from "./schema";

export type CourseRequest = components["schemas"]["EnrollmentRequest"];

/** Requests shown on one page: the oldest waiting first, the decided ones after them. */
export const REQUESTS_LIMIT = 100;

/** Query keys of the instructor's screens, rooted at the person and then the course. */
export const teachingKeys = {
  all: (userId: string) => ["teaching", userId] as const,
  course: (userId: string, courseId: string) =>
    [...teachingKeys.all(userId), "course", courseId] as const,
  requests: (userId: string, courseId: string) =>
    [...teachingKeys.course(userId, courseId), "requests"] as const,
};

/** A course's enrollment requests, oldest first (GET /courses/{id}/enrollment-requests). */
export function useCourseRequests(userId: string, courseId: string) {
  return useQuery({
    queryKey: teachingKeys.requests(userId, courseId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/courses/{courseId}/enrollment-requests", {
          params: { path: { courseId }, query: { limit: REQUESTS_LIMIT, page: 1 } },
          signal,
        }),
      ),
  });
}

/**
 * Approves (enrolling the learner) or declines a request, with an optional note the learner
 * is sent. Settles once the course's requests are fresh.
 */
export function useDecideRequest(userId: string, courseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: {
      requestId: string;
      decision: "approve" | "reject";
      notes?: string;
    }) => {
      const options = {
        params: { path: { requestId: input.requestId } },
        body: input.notes ? { notes: input.notes } : {},
      };
      const { data } =
        input.decision === "approve"
          ? await api.POST("/api/v1/enrollment-requests/{requestId}/approve", options)
          : await api.POST("/api/v1/enrollment-requests/{requestId}/reject", options);
      return data?.data ?? null;
    },
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: teachingKeys.requests(userId, courseId) }),
  });
}
