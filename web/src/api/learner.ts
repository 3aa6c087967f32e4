import { type QueryClient, type QueryKey, useQuery } from "@tanstack/react-query";
import { certificateKeys } from "./certificates";
import { api, unwrap, unwrapList } from "./client";
import { notificationKeys } from "./notifications";
import type { components } from "./schema";

export type EnrollmentView = components["schemas"]["EnrollmentView"];
export type Notification = components["schemas"]["Notification"];

/** How many notifications My learning shows. */
export const RECENT_NOTIFICATIONS = 5;

/** Query keys of one learner's own data, rooted at the person (a learner may have no organization). */
export const learnerKeys = {
  all: (userId: string) => ["learner", userId] as const,
  enrollments: (userId: string) => [...learnerKeys.all(userId), "enrollments"] as const,
  // Under the person's notifications, so whatever refreshes those (marking read) refreshes it.
  recentNotifications: (userId: string) => [...notificationKeys.all(userId), "recent"] as const,
};

/**
 * What learning can change besides the course's own figures: the notifications the server
 * sent for it (lessons unlocked, course completed, quiz graded, certificate issued, payment
 * received) with the bell's count and My learning's latest, and the person's certificates.
 * Mutations that complete, submit or enroll await this with their own invalidations.
 */
export function refreshLearningSideEffects(client: QueryClient, userId: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: notificationKeys.all(userId) }),
    client.invalidateQueries({ queryKey: certificateKeys.mine(userId) }),
  ]);
}

/** The signed-in person's enrollments, newest first (GET /enrollments/mine). */
export function useMyEnrollments(userId: string) {
  return useQuery({
    queryKey: learnerKeys.enrollments(userId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/enrollments/mine", { params: { query: { limit: 100 } }, signal }),
      ),
  });
}

/**
 * An enrollment's progress (GET /enrollments/{id}/progress: modules, lessons and quizzes with
 * their standing), under the key its reader keeps it by; waits for the enrollment's id.
 */
export function useEnrollmentProgress(queryKey: QueryKey, enrollmentId: string | undefined) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/enrollments/{enrollmentId}/progress", {
          params: { path: { enrollmentId: enrollmentId ?? "" } },
          signal,
        }),
      ),
    enabled: !!enrollmentId,
  });
}

/** The person's latest notifications, newest first (GET /notifications, first page only). */
export function useRecentNotifications(userId: string) {
  return useQuery({
    queryKey: learnerKeys.recentNotifications(userId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/notifications", {
          params: { query: { limit: RECENT_NOTIFICATIONS, page: 1 } },
          signal,
        }),
      ),
  });
}
