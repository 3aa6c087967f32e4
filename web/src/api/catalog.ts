import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import { enrollmentKeys } from "./enrollment";
import { learnerKeys } from "./learner";
import type { components, paths } from "./schema";

export type CourseListItem = components["schemas"]["CourseListItem"];
export type Course = components["schemas"]["Course"];
export type Cohort = components["schemas"]["Cohort"];
export type EnrollmentRequest = components["schemas"]["EnrollmentRequest"];
export type CourseDetail = NonNullable<
  paths["/api/v1/courses/{courseId}"]["get"]["responses"][200]["content"]["application/json"]
>["data"];
export type CourseListParams = NonNullable<paths["/api/v1/courses"]["get"]["parameters"]["query"]>;

/** Courses shown on one catalog page. */
export const CATALOG_PAGE_SIZE = 12;

export const CATALOG_LEVELS = ["beginner", "intermediate", "advanced", "all-levels"] as const;
export const CATALOG_DELIVERIES = ["self-paced", "cohort-based"] as const;
export const CATALOG_SORTS = ["newest", "oldest", "popular", "rating", "price", "title"] as const;
/** Languages offered as a filter (the API takes any tag; these are the common ones). */
export const CATALOG_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt"] as const;
function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((v) => v === value);
}

/**
 * The list request for the catalog page's URL (its filters; unknown values are ignored):
 * the page and its loader ask with the same key.
 */
export function catalogListParams(search: URLSearchParams): CourseListParams {
  const price = search.get("price");
  const page = Number(search.get("page") ?? "1");
  const q = search.get("q")?.trim();
  return {
    page: Number.isInteger(page) && page > 0 ? page : 1,
    limit: CATALOG_PAGE_SIZE,
    sort: oneOf(CATALOG_SORTS, search.get("sort")) ?? "newest",
    ...(q ? { search: q } : {}),
    ...(search.get("category") ? { category: search.get("category") as string } : {}),
    ...(oneOf(CATALOG_LEVELS, search.get("level"))
      ? { level: oneOf(CATALOG_LEVELS, search.get("level")) }
      : {}),
    ...(oneOf(CATALOG_LANGUAGES, search.get("language"))
      ? { language: oneOf(CATALOG_LANGUAGES, search.get("language")) }
      : {}),
    ...(oneOf(CATALOG_DELIVERIES, search.get("delivery"))
      ? { delivery: oneOf(CATALOG_DELIVERIES, search.get("delivery")) }
      : {}),
    ...(price === "free" ? { free: "true" as const } : {}),
    ...(price === "paid" ? { priceMin: 1 } : {}),
  };
}

/**
 * Query keys of the catalog. What a person sees depends on who they are (members also see
 * their organizations' courses), so the keys are rooted at the person.
 */
export const catalogKeys = {
  all: (userId: string) => ["catalog", userId] as const,
  lists: (userId: string) => [...catalogKeys.all(userId), "list"] as const,
  list: (userId: string, params: CourseListParams) =>
    [...catalogKeys.lists(userId), params] as const,
  course: (userId: string, courseId: string) =>
    [...catalogKeys.all(userId), "course", courseId] as const,
  cohorts: (userId: string, courseId: string) =>
    [...catalogKeys.course(userId, courseId), "cohorts"] as const,
  requests: (userId: string) => [...catalogKeys.all(userId), "requests"] as const,
  categories: (userId: string) => [...catalogKeys.all(userId), "categories"] as const,
};

/** One page of the catalog (GET /courses); the previous page stays shown while the next loads. */
export const coursesQuery = (userId: string, params: CourseListParams) =>
  queryOptions({
    queryKey: catalogKeys.list(userId, params),
    queryFn: ({ signal }) =>
      unwrapList(api.GET("/api/v1/courses", { params: { query: params }, signal })),
    placeholderData: keepPreviousData,
  });

export function useCourses(userId: string, params: CourseListParams) {
  return useQuery(coursesQuery(userId, params));
}

/** The categories of the courses the person sees, with counts (GET /courses/categories). */
export const categoriesQuery = (userId: string) =>
  queryOptions({
    queryKey: catalogKeys.categories(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/courses/categories", { signal })),
    staleTime: 5 * 60_000,
  });

export function useCategories(userId: string) {
  return useQuery(categoriesQuery(userId));
}

/**
 * A course with its outline (GET /courses/{id}); `asLearner` asks for the outline a learner
 * sees (published parts only), for its editors' preview.
 */
export const courseQuery = (userId: string, courseId: string, asLearner = false) =>
  queryOptions({
    queryKey: asLearner
      ? ([...catalogKeys.course(userId, courseId), "as-learner"] as const)
      : catalogKeys.course(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}", {
          params: { path: { courseId }, query: asLearner ? { view: "learner" } : {} },
          signal,
        }),
      ),
  });

/**
 * Which courses a course choice offers: those an organization may assign (published, its own
 * and the platform catalog's), or the organization's own in any state (what it may link).
 */
export type CourseChoices = "assignable" | "own";

/** Up to 50 courses of `which` kind for an organization, by title, matching `search`. */
export function useCourseChoices(
  userId: string,
  orgId: string,
  search: string,
  which: CourseChoices,
) {
  return useQuery({
    queryKey: ["course-choices", which, userId, orgId, search],
    queryFn: async ({ signal }) => {
      const list = await unwrapList(
        api.GET("/api/v1/courses", {
          params: {
            query: {
              sort: "title",
              limit: 50,
              page: 1,
              ...(which === "assignable" ? { status: "published" as const } : {}),
              ...(search ? { search } : {}),
            },
          },
          signal,
        }),
      );
      return list.items.filter((c) =>
        which === "own"
          ? c.organizationId === orgId
          : c.organizationId === null || c.organizationId === orgId,
      );
    },
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useCourse(userId: string, courseId: string, asLearner = false) {
  return useQuery(courseQuery(userId, courseId, asLearner));
}

/** A cohort-based course's cohorts with their seats left (GET /courses/{id}/cohorts). */
export const courseCohortsQuery = (userId: string, courseId: string) =>
  queryOptions({
    queryKey: catalogKeys.cohorts(userId, courseId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/courses/{courseId}/cohorts", { params: { path: { courseId } }, signal }),
      ),
    // Several parts of a page read the cohorts (the list, the choice, a waitlist place):
    // one request serves them all; enrolling invalidates it.
    staleTime: 30_000,
  });

export function useCourseCohorts(userId: string, courseId: string, enabled: boolean) {
  return useQuery({ ...courseCohortsQuery(userId, courseId), enabled });
}

/** The person's requests to join approval-based courses (GET /enrollment-requests/mine). */
export const myEnrollmentRequestsQuery = (userId: string) =>
  queryOptions({
    queryKey: catalogKeys.requests(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/enrollment-requests/mine", { signal })),
  });

export function useMyEnrollmentRequests(userId: string, enabled: boolean) {
  return useQuery({ ...myEnrollmentRequestsQuery(userId), enabled });
}

/**
 * Enrolls the person in an open course (POST /enrollments). Awaits the refresh of My learning,
 * the course (its enrolled count), its cohorts (seats left) and the person's waitlist places
 * (a full cohort waitlists) before it settles.
 */
export function useEnroll(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { courseId: string; cohortId?: string }) =>
      unwrap(api.POST("/api/v1/enrollments", { body: { ...body, waitlist: true } })),
    onSuccess: (_result, body) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: learnerKeys.enrollments(userId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.course(userId, body.courseId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.lists(userId) }),
        queryClient.invalidateQueries({ queryKey: enrollmentKeys.waitlist(userId) }),
      ]),
  });
}

/** Asks to join an approval-based course (POST /enrollment-requests). */
export function useRequestEnrollment(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { courseId: string; cohortId?: string }) =>
      unwrap(api.POST("/api/v1/enrollment-requests", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.requests(userId) }),
  });
}
