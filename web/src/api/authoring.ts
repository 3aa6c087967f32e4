import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { catalogKeys } from "./catalog";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";
import { uploadFile } from "./upload";

export type Course = components["schemas"]["Course"];
export type Module = components["schemas"]["Module"];
export type Lesson = components["schemas"]["Lesson"];
export type LessonSummary = components["schemas"]["LessonSummary"];
export type LessonType = Lesson["contentType"];
export type EditorCourse = NonNullable<
  paths["/api/v1/courses/{courseId}"]["get"]["responses"]["200"]["content"]["application/json"]
>["data"];
export type CoursePatch = NonNullable<
  paths["/api/v1/courses/{courseId}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type NewCourse = NonNullable<
  paths["/api/v1/courses"]["post"]["requestBody"]
>["content"]["application/json"];
export type ModulePatch = NonNullable<
  paths["/api/v1/modules/{moduleId}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type NewLesson = NonNullable<
  paths["/api/v1/modules/{moduleId}/lessons"]["post"]["requestBody"]
>["content"]["application/json"];
export type LessonPatch = NonNullable<
  paths["/api/v1/lessons/{lessonId}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type PublicationCheck = NonNullable<
  paths["/api/v1/courses/{courseId}/publication-check"]["get"]["responses"]["200"]["content"]["application/json"]
>["data"];
export type CourseFile = NonNullable<
  paths["/api/v1/courses/{courseId}/files"]["post"]["responses"]["201"]["content"]["application/json"]
>["data"];

export const LESSON_TYPES = [
  "text",
  "video",
  "audio",
  "pdf",
  "interactive",
  "live-session",
  "external-link",
] as const satisfies readonly LessonType[];

export const AUTHORING_PAGE_SIZE = 20;

/** Query keys of the author's screens, rooted at the person and then the course. */
export const authoringKeys = {
  all: (userId: string) => ["authoring", userId] as const,
  lists: (userId: string) => [...authoringKeys.all(userId), "list"] as const,
  list: (userId: string, params: object) => [...authoringKeys.lists(userId), params] as const,
  course: (userId: string, courseId: string) =>
    [...authoringKeys.all(userId), "course", courseId] as const,
  check: (userId: string, courseId: string) =>
    [...authoringKeys.course(userId, courseId), "check"] as const,
  lesson: (userId: string, courseId: string, lessonId: string) =>
    [...authoringKeys.course(userId, courseId), "lesson", lessonId] as const,
};

/** The courses the person may edit, any status (GET /courses?editable=true). */
export function useEditableCourses(
  userId: string,
  params: { page: number; search?: string; status?: Course["status"] },
) {
  const query = {
    ...params,
    editable: "true" as const,
    limit: AUTHORING_PAGE_SIZE,
    sort: "newest" as const,
  };
  return useQuery({
    queryKey: authoringKeys.list(userId, query),
    queryFn: ({ signal }) => unwrapList(api.GET("/api/v1/courses", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** A course with its whole outline, unpublished parts included for its editors. */
export const editorCourseQuery = (userId: string, courseId: string) =>
  queryOptions({
    queryKey: authoringKeys.course(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/courses/{courseId}", { params: { path: { courseId } }, signal })),
  });

export function useEditorCourse(userId: string, courseId: string) {
  return useQuery(editorCourseQuery(userId, courseId));
}

/** What still stops the course from being published, each problem with where it is fixed. */
export function usePublicationCheck(userId: string, courseId: string, enabled = true) {
  return useQuery({
    queryKey: authoringKeys.check(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/publication-check", {
          params: { path: { courseId } },
          signal,
        }),
      ),
    enabled,
  });
}

/** Marks everything that shows the course stale: the editor, the lists, the catalog. */
function courseChanged(client: QueryClient, userId: string, courseId: string) {
  return Promise.all([
    client.invalidateQueries({ queryKey: authoringKeys.course(userId, courseId) }),
    client.invalidateQueries({ queryKey: authoringKeys.lists(userId) }),
    client.invalidateQueries({ queryKey: catalogKeys.all(userId) }),
  ]);
}

export function useCreateCourse(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewCourse) => unwrap(api.POST("/api/v1/courses", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: authoringKeys.lists(userId) }),
  });
}

export function useChangeCourse(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CoursePatch) =>
      unwrap(api.PATCH("/api/v1/courses/{courseId}", { params: { path: { courseId } }, body })),
    onSuccess: () => courseChanged(client, userId, courseId),
  });
}

/** Publishes, takes back to draft or archives the course. */
export function useCourseStatus(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: "publish" | "unpublish" | "archive") => {
      const options = { params: { path: { courseId } } };
      return unwrap(
        action === "publish"
          ? api.POST("/api/v1/courses/{courseId}/publish", options)
          : action === "unpublish"
            ? api.POST("/api/v1/courses/{courseId}/unpublish", options)
            : api.POST("/api/v1/courses/{courseId}/archive", options),
      );
    },
    onSettled: () => courseChanged(client, userId, courseId),
  });
}

export function useDeleteCourse(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.DELETE("/api/v1/courses/{courseId}", { params: { path: { courseId } } }),
    onSuccess: () => courseChanged(client, userId, courseId),
  });
}

/**
 * The outline's changes: modules and lessons added, changed, deleted and reordered. Each
 * settles once the course is fresh (a failed reorder puts the server's order back).
 */
export function useOutlineChange(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (
      change:
        | { kind: "addModule"; title: string }
        | { kind: "changeModule"; moduleId: string; patch: ModulePatch }
        | { kind: "deleteModule"; moduleId: string }
        | { kind: "orderModules"; moduleIds: string[] }
        | { kind: "orderLessons"; moduleId: string; lessonIds: string[] }
        | { kind: "deleteLesson"; lessonId: string },
    ) => {
      switch (change.kind) {
        case "addModule":
          return unwrap(
            api.POST("/api/v1/courses/{courseId}/modules", {
              params: { path: { courseId } },
              body: { title: change.title },
            }),
          );
        case "changeModule":
          return unwrap(
            api.PATCH("/api/v1/modules/{moduleId}", {
              params: { path: { moduleId: change.moduleId } },
              body: change.patch,
            }),
          );
        case "deleteModule":
          return api.DELETE("/api/v1/modules/{moduleId}", {
            params: { path: { moduleId: change.moduleId } },
          });
        case "orderModules":
          return api.PUT("/api/v1/courses/{courseId}/modules/order", {
            params: { path: { courseId } },
            body: { moduleIds: change.moduleIds },
          });
        case "orderLessons":
          return api.PUT("/api/v1/modules/{moduleId}/lessons/order", {
            params: { path: { moduleId: change.moduleId } },
            body: { lessonIds: change.lessonIds },
          });
        case "deleteLesson":
          return api.DELETE("/api/v1/lessons/{lessonId}", {
            params: { path: { lessonId: change.lessonId } },
          });
      }
    },
    onSettled: () =>
      Promise.all([
        courseChanged(client, userId, courseId),
        client.invalidateQueries({ queryKey: authoringKeys.check(userId, courseId) }),
      ]),
  });
}

/** Writes a new order into the cached outline at once, before the server confirms it. */
export function reorderCached(
  client: QueryClient,
  userId: string,
  courseId: string,
  change: { moduleIds: string[] } | { moduleId: string; lessonIds: string[] },
) {
  client.setQueryData<EditorCourse>(authoringKeys.course(userId, courseId), (course) => {
    if (!course) return course;
    if ("moduleIds" in change) {
      const byId = new Map(course.modules.map((m) => [m.id, m]));
      return {
        ...course,
        modules: change.moduleIds.flatMap((id) => byId.get(id) ?? []),
      };
    }
    return {
      ...course,
      modules: course.modules.map((m) => {
        if (m.id !== change.moduleId) return m;
        const byId = new Map(m.lessons.map((l) => [l.id, l]));
        return { ...m, lessons: change.lessonIds.flatMap((id) => byId.get(id) ?? []) };
      }),
    };
  });
}

/** One lesson with its content, as its editors see it (GET /lessons/{id}). */
export function useEditorLesson(userId: string, courseId: string, lessonId: string) {
  return useQuery({
    queryKey: authoringKeys.lesson(userId, courseId, lessonId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/lessons/{lessonId}", { params: { path: { lessonId } }, signal })),
    enabled: lessonId !== "",
  });
}

/** Adds a lesson to a module or changes one; answers the stored lesson. */
export function useSaveLesson(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      save:
        | { kind: "create"; moduleId: string; body: NewLesson }
        | { kind: "change"; lessonId: string; patch: LessonPatch },
    ) =>
      save.kind === "create"
        ? unwrap(
            api.POST("/api/v1/modules/{moduleId}/lessons", {
              params: { path: { moduleId: save.moduleId } },
              body: save.body,
            }),
          )
        : unwrap(
            api.PATCH("/api/v1/lessons/{lessonId}", {
              params: { path: { lessonId: save.lessonId } },
              body: save.patch,
            }),
          ),
    onSuccess: (lesson) => {
      client.setQueryData(authoringKeys.lesson(userId, courseId, lesson.id), lesson);
      return Promise.all([
        courseChanged(client, userId, courseId),
        client.invalidateQueries({ queryKey: authoringKeys.check(userId, courseId) }),
      ]);
    },
  });
}

/** Uploads a file for the course's lessons (POST /courses/{id}/files) with its progress. */
export function uploadCourseFile(
  courseId: string,
  file: File,
  onProgress: (percent: number) => void,
  signal?: AbortSignal,
): Promise<CourseFile> {
  return uploadFile<CourseFile>(
    `/api/v1/courses/${encodeURIComponent(courseId)}/files`,
    file,
    onProgress,
    signal,
  );
}
