import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

export type Assignment = components["schemas"]["Assignment"];
export type EnrollmentStatus = Assignment["status"];
type ListQuery = NonNullable<
  paths["/api/v1/organizations/{organizationId}/enrollments"]["get"]["parameters"]["query"]
>;
export type DueFilter = NonNullable<ListQuery["due"]>;
export type RequiredFilter = NonNullable<ListQuery["required"]>;

export const ASSIGNMENTS_PAGE_SIZE = 25;
/** People per assignment request (the API takes up to 200). */
export const ASSIGN_CHUNK = 200;

export interface AssignmentFilters {
  page: number;
  search: string;
  due: DueFilter | null;
  required: RequiredFilter | null;
  status: EnrollmentStatus | null;
}

/** Query keys of an organization's assignments, rooted at the person looking. */
export const assignmentKeys = {
  org: (userId: string, orgId: string) => ["assignments", userId, orgId] as const,
  list: (userId: string, orgId: string, filters: AssignmentFilters) =>
    [...assignmentKeys.org(userId, orgId), "list", filters] as const,
  count: (userId: string, orgId: string, due: DueFilter) =>
    [...assignmentKeys.org(userId, orgId), "count", due] as const,
};

/** One page of the organization's enrollments, soonest due first. */
export function useAssignments(userId: string, orgId: string, filters: AssignmentFilters) {
  return useQuery({
    queryKey: assignmentKeys.list(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/enrollments", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: ASSIGNMENTS_PAGE_SIZE,
              sort: "dueAt",
              ...(filters.search ? { search: filters.search } : {}),
              ...(filters.due ? { due: filters.due } : {}),
              ...(filters.required ? { required: filters.required } : {}),
              ...(filters.status ? { status: filters.status } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** How many of the organization's enrollments are overdue or due soon (one row fetched). */
export function useAssignmentCount(userId: string, orgId: string, due: DueFilter) {
  return useQuery({
    queryKey: assignmentKeys.count(userId, orgId, due),
    queryFn: async ({ signal }) => {
      const list = await unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/enrollments", {
          params: { path: { organizationId: orgId }, query: { due, limit: 1, page: 1 } },
          signal,
        }),
      );
      return list.meta?.pagination?.total ?? list.items.length;
    },
  });
}

export interface AssignInput {
  userIds: string[];
  courseId: string;
  cohortId: string | null;
  dueAt: string | null;
  isMandatory: boolean;
  isCompliance: boolean;
}

export type AssignResult = {
  userId: string;
  result: "enrolled" | "waitlisted" | "refused";
  error?: { code: string; message: string };
};

/**
 * Assigns a course to many people, `ASSIGN_CHUNK` at a time, reporting how many were sent
 * after each request; the results come back per person. The lists refresh once it ends.
 */
export function useAssign(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      input,
      onProgress,
    }: {
      input: AssignInput;
      onProgress: (done: number) => void;
    }) => {
      const results: AssignResult[] = [];
      for (let start = 0; start < input.userIds.length; start += ASSIGN_CHUNK) {
        const chunk = input.userIds.slice(start, start + ASSIGN_CHUNK);
        const answer = await unwrap(
          api.POST("/api/v1/organizations/{organizationId}/enrollments", {
            params: { path: { organizationId: orgId } },
            body: {
              userIds: chunk,
              courseId: input.courseId,
              ...(input.cohortId ? { cohortId: input.cohortId } : {}),
              ...(input.dueAt ? { dueAt: input.dueAt } : {}),
              isMandatory: input.isMandatory,
              isCompliance: input.isCompliance,
            },
          }),
        );
        results.push(...answer);
        onProgress(start + chunk.length);
      }
      return results;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: assignmentKeys.org(userId, orgId) }),
  });
}

export type EnrollmentChange =
  | { kind: "due"; dueAt: string | null }
  | { kind: "drop" }
  | { kind: "complete" };

/** Changes one enrollment: its due date, or drops or completes it. */
export async function changeEnrollment(enrollmentId: string, change: EnrollmentChange) {
  const path = { enrollmentId };
  if (change.kind === "due")
    await unwrap(
      api.PATCH("/api/v1/enrollments/{enrollmentId}", {
        params: { path },
        body: { dueAt: change.dueAt },
      }),
    );
  else if (change.kind === "drop")
    await unwrap(
      api.POST("/api/v1/enrollments/{enrollmentId}/drop", { params: { path }, body: {} }),
    );
  else
    await unwrap(
      api.POST("/api/v1/enrollments/{enrollmentId}/complete", { params: { path }, body: {} }),
    );
}

/** Everyone (active) in a team or a department the person may see, for assigning them all. */
export async function membersOf(
  orgId: string,
  group: { teamId: string } | { departmentId: string },
): Promise<Array<{ userId: string; fullName: string }>> {
  const people: Array<{ userId: string; fullName: string }> = [];
  for (let page = 1; ; page++) {
    const list = await unwrapList(
      api.GET("/api/v1/organizations/{organizationId}/members", {
        params: {
          path: { organizationId: orgId },
          query: { ...group, status: "active", limit: 100, page, sort: "lastName" },
        },
      }),
    );
    people.push(...list.items.map((m) => ({ userId: m.userId, fullName: m.fullName })));
    if (!list.meta?.pagination?.hasNext) return people;
  }
}
