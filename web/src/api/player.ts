import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { learnerKeys, myCourseProgressQuery, refreshLearningSideEffects } from "./learner";
import type { components, paths } from "./schema";

export type Lesson = components["schemas"]["Lesson"];
export type LessonProgress = components["schemas"]["LessonProgress"];
export type CourseProgress = components["schemas"]["CourseProgress"];
export type ModuleProgress = CourseProgress["modules"][number];
export type LessonState = ModuleProgress["lessons"][number];
export type Heartbeat = NonNullable<
  paths["/api/v1/lessons/{lessonId}/heartbeat"]["post"]["requestBody"]
>["content"]["application/json"];

/** Seconds between heartbeats while a lesson is open (the API asks for one every 15–60 s). */
export const HEARTBEAT_SECONDS = 30;

/**
 * Query keys of the lesson player, rooted at the person: what they may read and their
 * progress are their own.
 */
export const playerKeys = {
  all: (userId: string) => ["player", userId] as const,
  lesson: (userId: string, lessonId: string) =>
    [...playerKeys.all(userId), "lesson", lessonId] as const,
  visit: (userId: string, lessonId: string) =>
    [...playerKeys.lesson(userId, lessonId), "visit"] as const,
};

/** A lesson with its content (GET /lessons/{id}); refusals (not enrolled, locked) are errors. */
export const lessonQuery = (userId: string, lessonId: string) =>
  queryOptions({
    queryKey: playerKeys.lesson(userId, lessonId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/lessons/{lessonId}", { params: { path: { lessonId } }, signal })),
  });

export function useLesson(userId: string, lessonId: string) {
  return useQuery(lessonQuery(userId, lessonId));
}

/**
 * The person's course map: modules open or locked (with why), each lesson's state, and the
 * course's figures (GET /courses/{id}/progress/mine; null when they hold no enrollment).
 * Found by the course, so the player asks for it together with the lesson.
 */
export function useCourseProgress(userId: string, courseId: string) {
  return useQuery(myCourseProgressQuery(userId, courseId));
}

/** The course map with a lesson that was not started marked in progress. */
function markStarted(map: CourseProgress, lessonId: string): CourseProgress {
  return {
    ...map,
    modules: map.modules.map((m) => ({
      ...m,
      lessons: m.lessons.map((l) =>
        l.id === lessonId && l.status === "not-started" ? { ...l, status: "in-progress" } : l,
      ),
    })),
  };
}

/**
 * Opening a lesson: POST /lessons/{id}/start answers the progress with its notes and bookmarks,
 * so the player reads it as a query, once per visit (never again on focus or reconnect: each
 * start is recorded as a view). Heartbeats, notes and bookmarks write their answer here.
 */
export function useLessonVisit(userId: string, lessonId: string, courseId: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: playerKeys.visit(userId, lessonId),
    queryFn: async () => {
      const visit = await unwrap(
        api.POST("/api/v1/lessons/{lessonId}/start", { params: { path: { lessonId } } }),
      );
      // The outline loads once: mark the lesson started in it rather than reading it again.
      queryClient.setQueryData<CourseProgress | null>(
        learnerKeys.courseProgress(userId, courseId),
        (map) => (map ? markStarted(map, lessonId) : map),
      );
      return visit;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
}

/** Reports position and study time (POST /lessons/{id}/heartbeat); the answer updates the visit. */
export function useHeartbeat(userId: string, lessonId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (beat: Heartbeat) =>
      unwrap(
        api.POST("/api/v1/lessons/{lessonId}/heartbeat", {
          params: { path: { lessonId } },
          body: beat,
        }),
      ),
    onSuccess: (progress) => {
      // Only while the lesson is open: the last beat, sent as the person leaves, must not
      // bring back the visit, or coming back would not record a new one.
      queryClient.setQueryData<LessonProgress>(playerKeys.visit(userId, lessonId), (visit) =>
        visit ? progress : undefined,
      );
    },
  });
}

/**
 * Completes a lesson (POST /lessons/{id}/complete). Completion never reverts: the answer is
 * written to the visit, then the course map (modules it opened, the course's figures) and My
 * learning are refreshed before the mutation settles.
 */
export function useCompleteLesson(userId: string, lessonId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/lessons/{lessonId}/complete", { params: { path: { lessonId } } })),
    onSuccess: (result) => {
      queryClient.setQueryData(playerKeys.visit(userId, lessonId), result.progress);
      // The course map is kept under the enrollments: this refreshes both.
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: learnerKeys.enrollments(userId) }),
        refreshLearningSideEffects(queryClient, userId),
      ]);
    },
  });
}

/** Saves the lesson's notes (PUT /lessons/{id}/notes; empty clears them). */
export function useSaveNotes(userId: string, lessonId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notes: string | null) =>
      unwrap(
        api.PUT("/api/v1/lessons/{lessonId}/notes", {
          params: { path: { lessonId } },
          body: { notes },
        }),
      ),
    onSuccess: (progress) => {
      queryClient.setQueryData(playerKeys.visit(userId, lessonId), progress);
    },
  });
}

/** Bookmarks a position (POST /lessons/{id}/bookmarks) and adds it to the visit. */
export function useAddBookmark(userId: string, lessonId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { position: number; note?: string }) =>
      unwrap(
        api.POST("/api/v1/lessons/{lessonId}/bookmarks", {
          params: { path: { lessonId } },
          body,
        }),
      ),
    onSuccess: (bookmark) => {
      queryClient.setQueryData<LessonProgress>(playerKeys.visit(userId, lessonId), (visit) =>
        visit ? { ...visit, bookmarks: [...visit.bookmarks, bookmark] } : visit,
      );
    },
  });
}

/**
 * Removes a bookmark (DELETE /lessons/{id}/bookmarks/{bookmarkId}): optimistic, since it is
 * the learner's own low-stakes data, and put back when the server refuses.
 */
export function useRemoveBookmark(userId: string, lessonId: string) {
  const queryClient = useQueryClient();
  const key = playerKeys.visit(userId, lessonId);
  return useMutation({
    mutationFn: (bookmarkId: string) =>
      api.DELETE("/api/v1/lessons/{lessonId}/bookmarks/{bookmarkId}", {
        params: { path: { lessonId, bookmarkId } },
      }),
    onMutate: async (bookmarkId) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<LessonProgress>(key);
      queryClient.setQueryData<LessonProgress>(key, (visit) =>
        visit ? { ...visit, bookmarks: visit.bookmarks.filter((b) => b.id !== bookmarkId) } : visit,
      );
      return { before };
    },
    onError: (_error, _id, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
    },
  });
}
