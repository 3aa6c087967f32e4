import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

export type LearnerSummary = components["schemas"]["LearnerSummary"];
export type LearnerTranscript = components["schemas"]["LearnerTranscript"];
export type LearnerSort = "name" | "-overdue" | "-progress" | "progress";

export const LEARNERS_PAGE_SIZE = 25;

export interface LearnerFilters {
  page: number;
  search: string;
  overdue: boolean;
  teamId: string | null;
  sort: LearnerSort;
}

export const learnerKeys = {
  org: (userId: string, orgId: string) => ["learners", userId, orgId] as const,
  list: (userId: string, orgId: string, filters: LearnerFilters) =>
    [...learnerKeys.org(userId, orgId), "list", filters] as const,
  transcript: (userId: string, orgId: string, learnerId: string) =>
    [...learnerKeys.org(userId, orgId), "transcript", learnerId] as const,
};

/** The learners the person looks after, with where each stands. */
export function useLearners(userId: string, orgId: string, filters: LearnerFilters) {
  return useQuery({
    queryKey: learnerKeys.list(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/learners", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: LEARNERS_PAGE_SIZE,
              sort: filters.sort,
              ...(filters.search ? { search: filters.search } : {}),
              ...(filters.overdue ? { overdue: "true" as const } : {}),
              ...(filters.teamId ? { teamId: filters.teamId } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** One learner's record in the organization: courses, progress, quiz results, certificates. */
export function useLearnerTranscript(userId: string, orgId: string, learnerId: string) {
  return useQuery({
    queryKey: learnerKeys.transcript(userId, orgId, learnerId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/reports/transcript/{learnerId}", {
          params: { path: { organizationId: orgId, learnerId } },
          signal,
        }),
      ),
  });
}
