import { type QueryKey, queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
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
  recentNotifications: (userId: string) =>
    [...learnerKeys.all(userId), "notifications", "recent"] as const,
};

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
