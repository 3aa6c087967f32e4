import { type QueryClient, queryOptions, useQuery } from "@tanstack/react-query";
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
  /** Under the enrollments: whatever refreshes them refreshes the progress too. */
  courseProgress: (userId: string, courseId: string) =>
    [...learnerKeys.enrollments(userId), "course-progress", courseId] as const,
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
export const myEnrollmentsQuery = (userId: string) =>
  queryOptions({
    queryKey: learnerKeys.enrollments(userId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/enrollments/mine", { params: { query: { limit: 100 } }, signal }),
      ),
  });

export function useMyEnrollments(userId: string) {
  return useQuery(myEnrollmentsQuery(userId));
}

/**
 * The person's progress in a course, or null without an enrollment in it
 * (GET /courses/{id}/progress/mine): asked together with the course, not after the enrollments.
 */
export const myCourseProgressQuery = (userId: string, courseId: string) =>
  queryOptions({
    queryKey: learnerKeys.courseProgress(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/progress/mine", {
          params: { path: { courseId } },
          signal,
        }),
      ),
  });

/** The person's latest notifications, newest first (GET /notifications, first page only). */
export const recentNotificationsQuery = (userId: string) =>
  queryOptions({
    queryKey: learnerKeys.recentNotifications(userId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/notifications", {
          params: { query: { limit: RECENT_NOTIFICATIONS, page: 1 } },
          signal,
        }),
      ),
  });

export function useRecentNotifications(userId: string) {
  return useQuery(recentNotificationsQuery(userId));
}
