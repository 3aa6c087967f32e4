import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

/** Workflow definitions, their versions and executions, for workflow managers (docs/workflows.md). */
export type Workflow = components["schemas"]["Workflow"];
/** A row of the list: a workflow with how many of its executions are still open. */
export type WorkflowListItem = components["schemas"]["WorkflowListItem"];
export type WorkflowStep = components["schemas"]["WorkflowStep"];
export type WorkflowApprover = components["schemas"]["WorkflowApprover"];
export type WorkflowRecipient = components["schemas"]["WorkflowRecipient"];
export type WorkflowTrigger = components["schemas"]["WorkflowTrigger"];
export type WorkflowVersion = components["schemas"]["WorkflowVersion"];
export type WorkflowExecution = components["schemas"]["WorkflowExecution"];
/** An execution as the organization's list shows it: with the name of the person it is about. */
export type WorkflowExecutionListItem = components["schemas"]["WorkflowExecutionListItem"];
export type ExecutionStatus = WorkflowExecution["status"];
export type TriggerEvent = NonNullable<
  paths["/api/v1/workflow-trigger-events"]["get"]["responses"][200]["content"]["application/json"]["data"]
>[number];
export type WorkflowInput = NonNullable<
  paths["/api/v1/organizations/{organizationId}/workflows"]["post"]["requestBody"]
>["content"]["application/json"];

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  "running",
  "waiting",
  "awaiting-approval",
  "completed",
  "rejected",
  "cancelled",
  "failed",
];
export const WORKFLOWS_PAGE_SIZE = 25;
export const EXECUTIONS_PAGE_SIZE = 25;

export interface ExecutionFilters {
  page: number;
  definitionId: string | null;
  status: ExecutionStatus | null;
  subjectId: string | null;
}

/** Query keys of an organization's workflows, rooted at the person looking. */
export const workflowKeys = {
  all: (userId: string) => ["workflows", userId] as const,
  triggerEvents: (userId: string) => [...workflowKeys.all(userId), "trigger-events"] as const,
  org: (userId: string, orgId: string) => [...workflowKeys.all(userId), "org", orgId] as const,
  list: (userId: string, orgId: string, page: number) =>
    [...workflowKeys.org(userId, orgId), "list", page] as const,
  executions: (userId: string, orgId: string, filters: ExecutionFilters) =>
    [...workflowKeys.org(userId, orgId), "executions", filters] as const,
  detail: (userId: string, id: string) => [...workflowKeys.all(userId), "workflow", id] as const,
  schedulePreview: (userId: string, orgId: string, cron: string) =>
    [...workflowKeys.org(userId, orgId), "schedule-preview", cron] as const,
  versions: (userId: string, id: string) =>
    [...workflowKeys.detail(userId, id), "versions"] as const,
};

export function useTriggerEvents(userId: string) {
  return useQuery({
    queryKey: workflowKeys.triggerEvents(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/workflow-trigger-events", { signal })),
    staleTime: 60 * 60_000,
  });
}

/** The organization's workflows (the built-in approvals included), a page at a time. */
export function useWorkflows(
  userId: string,
  orgId: string,
  page: number,
  limit = WORKFLOWS_PAGE_SIZE,
) {
  return useQuery({
    queryKey: [...workflowKeys.list(userId, orgId, page), limit],
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/workflows", {
          params: { path: { organizationId: orgId }, query: { page, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/**
 * When a cron schedule would start the organization's workflows (its next five starts, in its
 * time zone), or the server's refusal of the expression; asked only for a non-empty one.
 */
export function useSchedulePreview(userId: string, orgId: string, cron: string) {
  return useQuery({
    queryKey: workflowKeys.schedulePreview(userId, orgId, cron),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/workflow-schedule-preview", {
          params: { path: { organizationId: orgId }, query: { cron } },
          signal,
        }),
      ),
    enabled: cron !== "",
    retry: false,
    staleTime: 60_000,
  });
}

export function useWorkflow(userId: string, id: string) {
  return useQuery({
    queryKey: workflowKeys.detail(userId, id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/workflows/{workflowId}", { params: { path: { workflowId: id } }, signal }),
      ),
  });
}

export function useWorkflowVersions(userId: string, id: string) {
  return useQuery({
    queryKey: workflowKeys.versions(userId, id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/workflows/{workflowId}/versions", {
          params: { path: { workflowId: id } },
          signal,
        }),
      ),
  });
}

/** The organization's executions, newest first, a page at a time. */
export function useWorkflowExecutions(userId: string, orgId: string, filters: ExecutionFilters) {
  return useQuery({
    queryKey: workflowKeys.executions(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/workflow-executions", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: EXECUTIONS_PAGE_SIZE,
              ...(filters.definitionId ? { definitionId: filters.definitionId } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.subjectId ? { subjectId: filters.subjectId } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export type WorkflowChange =
  | { kind: "create"; orgId: string; input: WorkflowInput }
  | { kind: "update"; id: string; input: Partial<WorkflowInput> }
  | { kind: "delete"; id: string }
  | { kind: "start"; id: string; subjectUserId: string | null };

export interface WorkflowChangeResult {
  workflow?: Workflow;
  execution?: WorkflowExecution;
}

/**
 * Every change to a workflow: create, update (a new version, or turning it on or off),
 * delete, start by hand. Lists, the workflow, its versions and the executions all follow,
 * so the person's workflow queries are read again (a deleted one's own are dropped first).
 */
export function useWorkflowChange(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: WorkflowChange): Promise<WorkflowChangeResult> => {
      switch (change.kind) {
        case "create":
          return {
            workflow: await unwrap(
              api.POST("/api/v1/organizations/{organizationId}/workflows", {
                params: { path: { organizationId: change.orgId } },
                body: change.input,
              }),
            ),
          };
        case "update":
          return {
            workflow: await unwrap(
              api.PATCH("/api/v1/workflows/{workflowId}", {
                params: { path: { workflowId: change.id } },
                body: change.input,
              }),
            ),
          };
        case "delete":
          await unwrap(
            api.DELETE("/api/v1/workflows/{workflowId}", {
              params: { path: { workflowId: change.id } },
            }),
          );
          return {};
        case "start":
          return {
            execution: await unwrap(
              api.POST("/api/v1/workflows/{workflowId}/executions", {
                params: { path: { workflowId: change.id } },
                body: change.subjectUserId ? { subjectUserId: change.subjectUserId } : {},
              }),
            ),
          };
      }
    },
    onSuccess: async (_result, change) => {
      if (change.kind === "delete")
        queryClient.removeQueries({ queryKey: workflowKeys.detail(userId, change.id) });
      await queryClient.invalidateQueries({ queryKey: workflowKeys.all(userId) });
    },
  });
}
