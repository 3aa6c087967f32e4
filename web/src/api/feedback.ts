import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { catalogKeys } from "./catalog";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

export type CourseRating = components["schemas"]["CourseRating"];
export type Announcement = components["schemas"]["Announcement"];
export type RatingInput = { rating: number; title: string | null; content: string | null };

/** Reviews shown on a course's page. */
export const REVIEWS_PAGE_SIZE = 20;

/**
 * Query keys of ratings and announcements. Both depend on who asks (my rating, my read
 * receipts), so they are rooted at the person, then the course.
 */
export const feedbackKeys = {
  all: (userId: string) => ["feedback", userId] as const,
  course: (userId: string, courseId: string) =>
    [...feedbackKeys.all(userId), "course", courseId] as const,
  ratings: (userId: string, courseId: string) =>
    [...feedbackKeys.course(userId, courseId), "ratings"] as const,
  myRating: (userId: string, courseId: string) =>
    [...feedbackKeys.course(userId, courseId), "my-rating"] as const,
  announcements: (userId: string, courseId: string) =>
    [...feedbackKeys.course(userId, courseId), "announcements"] as const,
};

/**
 * A course's reviews with the summary (GET /courses/{id}/ratings, newest first), a page at a
 * time: each "show more" appends the next page, keeping those already shown. Invalidating
 * the key refetches every loaded page.
 */
export const courseRatingsQuery = (userId: string, courseId: string) =>
  infiniteQueryOptions({
    queryKey: feedbackKeys.ratings(userId, courseId),
    initialPageParam: 1,
    queryFn: ({ pageParam, signal }) =>
      unwrapList(
        api.GET("/api/v1/courses/{courseId}/ratings", {
          params: { path: { courseId }, query: { page: pageParam, limit: REVIEWS_PAGE_SIZE } },
          signal,
        }),
      ),
    getNextPageParam: (last) =>
      last.meta?.pagination.hasNext ? last.meta.pagination.page + 1 : undefined,
  });

export function useCourseRatings(userId: string, courseId: string) {
  return useInfiniteQuery(courseRatingsQuery(userId, courseId));
}

/** The person's own rating of a course, or null (GET /courses/{id}/ratings/mine). */
export const myRatingQuery = (userId: string, courseId: string) =>
  queryOptions({
    queryKey: feedbackKeys.myRating(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/ratings/mine", {
          params: { path: { courseId } },
          signal,
        }),
      ),
  });

export function useMyRating(userId: string, courseId: string, enabled = true) {
  return useQuery({ ...myRatingQuery(userId, courseId), enabled });
}

/**
 * Rates a course or changes the rating (PUT /courses/{id}/ratings/mine), or withdraws it
 * (DELETE). Awaits the refresh of the reviews, my rating and the course (its average).
 */
export function useRateCourse(userId: string, courseId: string) {
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: feedbackKeys.course(userId, courseId) }),
      queryClient.invalidateQueries({ queryKey: catalogKeys.course(userId, courseId) }),
      queryClient.invalidateQueries({ queryKey: catalogKeys.lists(userId) }),
    ]);
  const save = useMutation({
    mutationFn: (body: RatingInput) =>
      unwrap(
        api.PUT("/api/v1/courses/{courseId}/ratings/mine", {
          params: { path: { courseId } },
          body,
        }),
      ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/courses/{courseId}/ratings/mine", { params: { path: { courseId } } }),
      ),
    onSuccess: refresh,
  });
  return { save, remove };
}

/**
 * A course's announcements as the person sees them, newest first: those that reach them,
 * with `readAt`; for the course team every one, with read counts.
 */
export const courseAnnouncementsQuery = (userId: string, courseId: string) =>
  queryOptions({
    queryKey: feedbackKeys.announcements(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/announcements", {
          params: { path: { courseId } },
          signal,
        }),
      ),
  });

export function useCourseAnnouncements(userId: string, courseId: string) {
  return useQuery(courseAnnouncementsQuery(userId, courseId));
}

/**
 * Sends a read receipt (POST /announcements/{id}/read) and marks the announcement read in
 * the cached list: a receipt never reverts, so no refetch is needed.
 */
export function useMarkAnnouncementRead(userId: string, courseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (announcementId: string) =>
      unwrap(
        api.POST("/api/v1/announcements/{announcementId}/read", {
          params: { path: { announcementId } },
        }),
      ),
    onSuccess: (_result, announcementId) => {
      const readAt = new Date().toISOString();
      queryClient.setQueryData<Announcement[]>(
        feedbackKeys.announcements(userId, courseId),
        (list) => list?.map((a) => (a.id === announcementId && !a.readAt ? { ...a, readAt } : a)),
      );
    },
  });
}
