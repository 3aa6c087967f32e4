import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import { ROSTER_MAX, rosterJson } from "./cohorts";
import { feedbackKeys } from "./feedback";
import type { components, paths } from "./schema";

export type KitItem = components["schemas"]["KitItem"];
export type KitType = KitItem["type"];
export type { Announcement } from "./feedback";
export type NewKitItem = NonNullable<
  paths["/api/v1/courses/{courseId}/kit-items"]["post"]["requestBody"]
>["content"]["application/json"];
export type KitItemPatch = NonNullable<
  paths["/api/v1/kit-items/{kitItemId}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type NewAnnouncement = NonNullable<
  paths["/api/v1/courses/{courseId}/announcements"]["post"]["requestBody"]
>["content"]["application/json"];
export type AnnouncementPatch = NonNullable<
  paths["/api/v1/announcements/{announcementId}"]["patch"]["requestBody"]
>["content"]["application/json"];

/**
 * What a course's team says to and shares with its learners beyond the lessons: the
 * enablement kit, announcements (with who read them) and answers to reviews. Keys are rooted
 * at the person, then the course; announcements and reviews share the feedback area's keys, so
 * the learner's pages and the team's stay in step.
 */
export const communityKeys = {
  all: (userId: string) => ["community", userId] as const,
  course: (userId: string, courseId: string) =>
    [...communityKeys.all(userId), "course", courseId] as const,
  kit: (userId: string, courseId: string) =>
    [...communityKeys.course(userId, courseId), "kit"] as const,
  learners: (userId: string, courseId: string) =>
    [...communityKeys.course(userId, courseId), "learners"] as const,
  reads: (userId: string, announcementId: string) =>
    [...communityKeys.all(userId), "reads", announcementId] as const,
};

export const KIT_TYPES = [
  "slides",
  "prompts",
  "template",
  "chatbot",
  "worksheet",
] as const satisfies readonly KitType[];

/** A course's enablement kit, in order (GET /courses/{id}/kit-items). */
export const kitQuery = (userId: string, courseId: string) =>
  queryOptions({
    queryKey: communityKeys.kit(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/kit-items", { params: { path: { courseId } }, signal }),
      ),
  });

export function useKit(userId: string, courseId: string) {
  return useQuery(kitQuery(userId, courseId));
}

/** Adds a kit item, changes one (only the fields given) or removes one. */
export function useKitChange(userId: string, courseId: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: communityKeys.kit(userId, courseId) });
  const save = useMutation({
    mutationFn: (
      input: { kitItemId: null; body: NewKitItem } | { kitItemId: string; body: KitItemPatch },
    ) =>
      input.kitItemId
        ? unwrap(
            api.PATCH("/api/v1/kit-items/{kitItemId}", {
              params: { path: { kitItemId: input.kitItemId } },
              body: input.body,
            }),
          )
        : unwrap(
            api.POST("/api/v1/courses/{courseId}/kit-items", {
              params: { path: { courseId } },
              body: input.body as NewKitItem,
            }),
          ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (kitItemId: string) =>
      unwrap(api.DELETE("/api/v1/kit-items/{kitItemId}", { params: { path: { kitItemId } } })),
    onSuccess: refresh,
  });
  return { save, remove };
}

/** The course's active learners to address an announcement to (the first 1,000, by name). */
export function useCourseLearners(userId: string, courseId: string, enabled: boolean) {
  return useQuery({
    queryKey: communityKeys.learners(userId, courseId),
    queryFn: ({ signal }) =>
      unwrapList(
        rosterJson(
          api.GET("/api/v1/courses/{courseId}/enrollments", {
            params: {
              path: { courseId },
              query: { status: "active", limit: ROSTER_MAX, page: 1 },
            },
            signal,
          }),
        ),
      ),
    enabled,
  });
}

/** Writes an announcement, changes one (its audience stays) or deletes one. */
export function useAnnouncementChange(userId: string, courseId: string) {
  const client = useQueryClient();
  const refresh = () =>
    client.invalidateQueries({ queryKey: feedbackKeys.announcements(userId, courseId) });
  const save = useMutation({
    mutationFn: (
      input:
        | { announcementId: null; body: NewAnnouncement }
        | { announcementId: string; body: AnnouncementPatch },
    ) =>
      input.announcementId
        ? unwrap(
            api.PATCH("/api/v1/announcements/{announcementId}", {
              params: { path: { announcementId: input.announcementId } },
              body: input.body,
            }),
          )
        : unwrap(
            api.POST("/api/v1/courses/{courseId}/announcements", {
              params: { path: { courseId } },
              body: input.body as NewAnnouncement,
            }),
          ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (announcementId: string) =>
      unwrap(
        api.DELETE("/api/v1/announcements/{announcementId}", {
          params: { path: { announcementId } },
        }),
      ),
    onSuccess: refresh,
  });
  return { save, remove };
}

/** Who read an announcement, of how many it reaches (GET /announcements/{id}/reads). */
export function useAnnouncementReads(userId: string, announcementId: string) {
  return useQuery({
    queryKey: communityKeys.reads(userId, announcementId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/announcements/{announcementId}/reads", {
          params: { path: { announcementId } },
          signal,
        }),
      ),
  });
}

/**
 * The course team's public answer to a review (PUT /ratings/{id}/response; null removes it).
 * Settles once the course's reviews are fresh.
 */
export function useAnswerRating(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { ratingId: string; response: string | null }) =>
      unwrap(
        api.PUT("/api/v1/ratings/{ratingId}/response", {
          params: { path: { ratingId: input.ratingId } },
          body: { response: input.response },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: feedbackKeys.ratings(userId, courseId) }),
  });
}
