import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { type Cohort, catalogKeys } from "./catalog";
import { api, unwrap, unwrapList } from "./client";
import { blobOf, saveFile } from "./files";
import type { components, paths } from "./schema";

export type { Cohort };
export type CohortStatus = Cohort["status"];
export type RosterEntry = components["schemas"]["EnrollmentView"];
export type WaitlistPlace = components["schemas"]["CohortWaitlistEntry"];
export type Recording = components["schemas"]["SessionRecording"];
export type NewCohort = NonNullable<
  paths["/api/v1/courses/{courseId}/cohorts"]["post"]["requestBody"]
>["content"]["application/json"];
export type CohortPatch = NonNullable<
  paths["/api/v1/cohorts/{cohortId}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type NewRecording = NonNullable<
  paths["/api/v1/cohorts/{cohortId}/recordings"]["post"]["requestBody"]
>["content"]["application/json"];

type RosterJson =
  paths["/api/v1/courses/{courseId}/enrollments"]["get"]["responses"][200]["content"]["application/json"];

/**
 * A roster request's answer as JSON: the route also answers a CSV file (`format=csv`), which
 * its type includes; asked without `format`, it is always the list.
 */
export function rosterJson(call: Promise<unknown>) {
  return call as Promise<{ data?: RosterJson }>;
}

/** Learners on one page of a cohort's roster. */
export const ROSTER_PAGE_SIZE = 50;
/** The most learners one request lists (the roster's CSV file, the announcement's choice). */
export const ROSTER_MAX = 1000;

/**
 * Query keys of the screens that run cohorts, rooted at the person, then the cohort. A
 * course's list of cohorts shares the catalog's key (`catalogKeys.cohorts`).
 */
export const cohortKeys = {
  all: (userId: string) => ["cohorts", userId] as const,
  cohort: (userId: string, cohortId: string) =>
    [...cohortKeys.all(userId), "cohort", cohortId] as const,
  rosters: (userId: string, cohortId: string) =>
    [...cohortKeys.cohort(userId, cohortId), "roster"] as const,
  roster: (userId: string, cohortId: string, params: RosterParams) =>
    [...cohortKeys.rosters(userId, cohortId), params] as const,
  waitlist: (userId: string, cohortId: string) =>
    [...cohortKeys.cohort(userId, cohortId), "waitlist"] as const,
  recordings: (userId: string, cohortId: string) =>
    [...cohortKeys.cohort(userId, cohortId), "recordings"] as const,
};

export interface RosterParams {
  page: number;
  search?: string;
}

/** One cohort (GET /cohorts/{id}). */
export const cohortQuery = (userId: string, cohortId: string) =>
  queryOptions({
    queryKey: cohortKeys.cohort(userId, cohortId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/cohorts/{cohortId}", { params: { path: { cohortId } }, signal })),
  });

export function useCohort(userId: string, cohortId: string) {
  return useQuery(cohortQuery(userId, cohortId));
}

/** A cohort changed: the answer replaces the cached cohort; the course's list (the catalog's too) refetches. */
function cohortChanged(client: QueryClient, userId: string, cohort: Cohort) {
  client.setQueryData(cohortKeys.cohort(userId, cohort.id), cohort);
  return client.invalidateQueries({ queryKey: catalogKeys.cohorts(userId, cohort.courseId) });
}

/**
 * Schedules a cohort (POST /courses/{id}/cohorts) or changes one (PATCH /cohorts/{id}, only the
 * fields given). Settles once the course's cohorts are fresh.
 */
export function useSaveCohort(userId: string, courseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      input: { cohortId: null; body: NewCohort } | { cohortId: string; body: CohortPatch },
    ) =>
      input.cohortId
        ? unwrap(
            api.PATCH("/api/v1/cohorts/{cohortId}", {
              params: { path: { cohortId: input.cohortId } },
              body: input.body,
            }),
          )
        : unwrap(
            api.POST("/api/v1/courses/{courseId}/cohorts", {
              params: { path: { courseId } },
              body: input.body as NewCohort,
            }),
          ),
    onSuccess: (cohort) => cohortChanged(client, userId, cohort),
  });
}

/** Moves a cohort along its lifecycle (POST /cohorts/{id}/status); a reason goes with cancelling. */
export function useCohortStatus(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { cohortId: string; status: CohortStatus; reason?: string | null }) =>
      unwrap(
        api.POST("/api/v1/cohorts/{cohortId}/status", {
          params: { path: { cohortId: input.cohortId } },
          body: { status: input.status, reason: input.reason ?? null },
        }),
      ),
    onSuccess: (cohort) => cohortChanged(client, userId, cohort),
  });
}

/** One page of a cohort's learners, searched (GET /courses/{id}/enrollments?cohortId=…). */
export const cohortRosterQuery = (
  userId: string,
  courseId: string,
  cohortId: string,
  params: RosterParams,
) =>
  queryOptions({
    queryKey: cohortKeys.roster(userId, cohortId, params),
    queryFn: ({ signal }) =>
      unwrapList(
        rosterJson(
          api.GET("/api/v1/courses/{courseId}/enrollments", {
            params: {
              path: { courseId },
              query: {
                cohortId,
                page: params.page,
                limit: ROSTER_PAGE_SIZE,
                ...(params.search ? { search: params.search } : {}),
              },
            },
            signal,
          }),
        ),
      ),
    placeholderData: keepPreviousData,
  });

/** The roster's page and search as the cohort page's URL holds them (`page`, `q`). */
export function rosterParams(search: URLSearchParams): RosterParams {
  const page = Math.max(1, Number(search.get("page")) || 1);
  const q = search.get("q")?.trim();
  return { page, ...(q ? { search: q } : {}) };
}

export function useCohortRoster(
  userId: string,
  courseId: string,
  cohortId: string,
  params: RosterParams,
) {
  return useQuery(cohortRosterQuery(userId, courseId, cohortId, params));
}

/**
 * Downloads a cohort's roster as CSV (the same list with `format=csv`, up to 1,000 learners,
 * narrowed by the search shown) and saves it as `filename`.
 */
export function useDownloadRoster() {
  return useMutation({
    mutationFn: async (input: {
      courseId: string;
      cohortId: string;
      search?: string;
      filename: string;
    }) => {
      const { data } = await api.GET("/api/v1/courses/{courseId}/enrollments", {
        params: {
          path: { courseId: input.courseId },
          query: {
            cohortId: input.cohortId,
            format: "csv",
            limit: ROSTER_MAX,
            page: 1,
            ...(input.search ? { search: input.search } : {}),
          },
        },
        parseAs: "blob",
      });
      saveFile(blobOf(data as Blob | undefined), input.filename);
    },
  });
}

/** A cohort's waitlist in order, with names (GET /cohorts/{id}/waitlist). */
export const cohortWaitlistQuery = (userId: string, cohortId: string) =>
  queryOptions({
    queryKey: cohortKeys.waitlist(userId, cohortId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/cohorts/{cohortId}/waitlist", { params: { path: { cohortId } }, signal }),
      ),
  });

export function useCohortWaitlist(userId: string, cohortId: string) {
  return useQuery(cohortWaitlistQuery(userId, cohortId));
}

/** A cohort's session recordings (GET /cohorts/{id}/recordings). */
export const recordingsQuery = (userId: string, cohortId: string) =>
  queryOptions({
    queryKey: cohortKeys.recordings(userId, cohortId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/cohorts/{cohortId}/recordings", {
          params: { path: { cohortId } },
          signal,
        }),
      ),
  });

export function useRecordings(userId: string, cohortId: string) {
  return useQuery(recordingsQuery(userId, cohortId));
}

/** Adds a recording to a cohort, or deletes one; settles once the list is fresh. */
export function useRecordingChange(userId: string, cohortId: string) {
  const client = useQueryClient();
  const refresh = () =>
    client.invalidateQueries({ queryKey: cohortKeys.recordings(userId, cohortId) });
  const add = useMutation({
    mutationFn: (body: NewRecording) =>
      unwrap(
        api.POST("/api/v1/cohorts/{cohortId}/recordings", {
          params: { path: { cohortId } },
          body,
        }),
      ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (recordingId: string) =>
      unwrap(api.DELETE("/api/v1/recordings/{recordingId}", { params: { path: { recordingId } } })),
    onSuccess: refresh,
  });
  return { add, remove };
}
