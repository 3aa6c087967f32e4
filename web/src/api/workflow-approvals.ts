import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components } from "./schema";

/** Approvals waiting for the person and single workflow executions (docs/workflows.md). */
export type Approval = components["schemas"]["WorkflowApproval"];
export type ExecutionView = components["schemas"]["WorkflowExecutionView"];
export type ExecutionEvent = ExecutionView["history"][number];
export type ExecutionStatus = ExecutionView["status"];

/** Statuses in which an execution has not ended (it can still be cancelled). */
export const OPEN_STATUSES: readonly ExecutionStatus[] = [
  "running",
  "waiting",
  "awaiting-approval",
];

/** Query keys, rooted at the person looking (approvals are per person, not per organization). */
export const approvalKeys = {
  all: (userId: string) => ["workflow-approvals", userId] as const,
  mine: (userId: string) => [...approvalKeys.all(userId), "mine"] as const,
  execution: (userId: string, id: string) =>
    [...approvalKeys.all(userId), "execution", id] as const,
};

export function useMyApprovals(userId: string) {
  return useQuery({
    queryKey: approvalKeys.mine(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/workflow-approvals/mine", { signal })),
  });
}

export function useExecution(userId: string, executionId: string) {
  return useQuery({
    queryKey: approvalKeys.execution(userId, executionId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/workflow-executions/{workflowExecutionId}", {
          params: { path: { workflowExecutionId: executionId } },
          signal,
        }),
      ),
  });
}

export type ExecutionAction = "approve" | "reject" | "cancel";

/**
 * A decision (approve, reject) or a cancellation, with an optional note. Awaits the approvals
 * list and the execution being read again, and the organization's workflow lists going stale.
 */
export function useExecutionAction(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id: string; action: ExecutionAction; note: string | null }) => {
      const options = {
        params: { path: { workflowExecutionId: input.id } },
        body: { note: input.note },
      };
      switch (input.action) {
        case "approve":
          return unwrap(
            api.POST("/api/v1/workflow-executions/{workflowExecutionId}/approve", options),
          );
        case "reject":
          return unwrap(
            api.POST("/api/v1/workflow-executions/{workflowExecutionId}/reject", options),
          );
        case "cancel":
          return unwrap(
            api.POST("/api/v1/workflow-executions/{workflowExecutionId}/cancel", options),
          );
      }
    },
    onSuccess: async (_data, input) => {
      // decided or cancelled: the request leaves the inbox at once
      client.setQueryData<Approval[]>(approvalKeys.mine(userId), (rows) =>
        rows?.filter((row) => row.id !== input.id),
      );
      await Promise.all([
        client.invalidateQueries({ queryKey: approvalKeys.mine(userId) }),
        // An approver no longer sees an execution once it is decided (unless it is about them,
        // or they manage workflows): the page showing it moves on to the inbox, so it is
        // only marked stale; a cancellation is read again.
        client.invalidateQueries({
          queryKey: approvalKeys.execution(userId, input.id),
          refetchType: input.action === "cancel" ? "active" : "none",
        }),
        // the workflow screens' executions lists (web/src/api/workflow-definitions.ts)
        client.invalidateQueries({ queryKey: ["workflows", userId], refetchType: "none" }),
      ]);
    },
  });
}
