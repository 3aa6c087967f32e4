import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

/** Required training: requirements, their rules, exemptions, status (docs/compliance.md). */
export type Requirement = components["schemas"]["ComplianceRequirement"];
export type ComplianceRule = components["schemas"]["ComplianceRule"];
export type ExemptionView = components["schemas"]["ComplianceExemptionView"];
export type ComplianceStatusRow = components["schemas"]["ComplianceStatus"];
export type ComplianceSummary = components["schemas"]["ComplianceSummary"];
export type ComplianceAssignment = components["schemas"]["ComplianceAssignment"];
export type ComplianceStatus = ComplianceStatusRow["status"];
export type RequirementInput = NonNullable<
  paths["/api/v1/organizations/{organizationId}/compliance/requirements"]["post"]["requestBody"]
>["content"]["application/json"];
export type RuleInput = NonNullable<
  paths["/api/v1/compliance-requirements/{requirementId}/rules"]["post"]["requestBody"]
>["content"]["application/json"];
export type EvaluationResult = NonNullable<
  paths["/api/v1/organizations/{organizationId}/compliance/evaluate"]["post"]["responses"][200]["content"]["application/json"]["data"]
>;

export const COMPLIANCE_STATUSES: readonly ComplianceStatus[] = [
  "compliant",
  "due-soon",
  "overdue",
  "expired",
  "exempt",
  "in-progress",
  "not-started",
];
export const STATUS_PAGE_SIZE = 50;

export interface StatusFilters {
  page: number;
  requirementId: string | null;
  departmentId: string | null;
  status: ComplianceStatus | null;
}

/** Query keys of an organization's compliance, rooted at the person looking. */
export const complianceKeys = {
  all: (userId: string) => ["compliance", userId] as const,
  org: (userId: string, orgId: string) => [...complianceKeys.all(userId), "org", orgId] as const,
  requirements: (userId: string, orgId: string) =>
    [...complianceKeys.org(userId, orgId), "requirements"] as const,
  summary: (userId: string, orgId: string, by: "requirement" | "department") =>
    [...complianceKeys.org(userId, orgId), "summary", by] as const,
  status: (userId: string, orgId: string, filters: StatusFilters) =>
    [...complianceKeys.org(userId, orgId), "status", filters] as const,
  exemptions: (userId: string, orgId: string, active: boolean | null) =>
    [...complianceKeys.org(userId, orgId), "exemptions", active] as const,
  assignments: (userId: string, orgId: string, requirementId: string, page: number) =>
    [...complianceKeys.org(userId, orgId), "assignments", requirementId, page] as const,
  requirement: (userId: string, id: string) =>
    [...complianceKeys.all(userId), "requirement", id] as const,
  rules: (userId: string, id: string) =>
    [...complianceKeys.requirement(userId, id), "rules"] as const,
};

export function useRequirements(userId: string, orgId: string) {
  return useQuery({
    queryKey: complianceKeys.requirements(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/compliance/requirements", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

export function useRequirement(userId: string, id: string) {
  return useQuery({
    queryKey: complianceKeys.requirement(userId, id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/compliance-requirements/{requirementId}", {
          params: { path: { requirementId: id } },
          signal,
        }),
      ),
  });
}

export function useRules(userId: string, requirementId: string) {
  return useQuery({
    queryKey: complianceKeys.rules(userId, requirementId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/compliance-requirements/{requirementId}/rules", {
          params: { path: { requirementId } },
          signal,
        }),
      ),
  });
}

/** Counts, score and violations per requirement or per department. */
export function useComplianceSummary(
  userId: string,
  orgId: string,
  by: "requirement" | "department",
) {
  return useQuery({
    queryKey: complianceKeys.summary(userId, orgId, by),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/compliance/summary", {
          params: { path: { organizationId: orgId }, query: { by } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Each person's standing on each requirement, a page at a time. */
export function useComplianceStatus(userId: string, orgId: string, filters: StatusFilters) {
  return useQuery({
    queryKey: complianceKeys.status(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/compliance/status", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: STATUS_PAGE_SIZE,
              ...(filters.requirementId ? { requirementId: filters.requirementId } : {}),
              ...(filters.departmentId ? { departmentId: filters.departmentId } : {}),
              ...(filters.status ? { status: filters.status } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Exemptions: all, only those in force (true), or only those ended (false). */
export function useExemptions(userId: string, orgId: string, active: boolean | null) {
  return useQuery({
    queryKey: complianceKeys.exemptions(userId, orgId, active),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/compliance/exemptions", {
          params: {
            path: { organizationId: orgId },
            query: active === null ? {} : { active: active ? "true" : "false" },
          },
          signal,
        }),
      ),
  });
}

/** A requirement's assignments, every cycle, with the reminders sent for each. */
export function useComplianceAssignments(
  userId: string,
  orgId: string,
  requirementId: string,
  page: number,
) {
  return useQuery({
    queryKey: complianceKeys.assignments(userId, orgId, requirementId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/compliance/assignments", {
          params: {
            path: { organizationId: orgId },
            query: { requirementId, page, limit: 25 },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export type ComplianceChange =
  | { kind: "create-requirement"; orgId: string; input: RequirementInput }
  | { kind: "update-requirement"; id: string; input: Partial<RequirementInput> }
  | { kind: "delete-requirement"; id: string }
  | { kind: "create-rule"; requirementId: string; input: RuleInput }
  | { kind: "update-rule"; id: string; input: Partial<RuleInput> }
  | { kind: "delete-rule"; id: string }
  | {
      kind: "grant-exemption";
      orgId: string;
      input: { requirementId: string; userId: string; reason: string; expiresAt: string | null };
    }
  | { kind: "revoke-exemption"; id: string }
  | { kind: "evaluate"; orgId: string };

export interface ComplianceChangeResult {
  requirement?: Requirement;
  rule?: ComplianceRule;
  evaluation?: EvaluationResult;
}

/**
 * Every change to compliance. Each one can move people's status, the counts and the lists,
 * so all of the person's compliance queries are read again (a deleted requirement's own
 * queries are dropped first: its page is about to be left).
 */
export function useComplianceChange(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: ComplianceChange): Promise<ComplianceChangeResult> => {
      switch (change.kind) {
        case "create-requirement":
          return {
            requirement: await unwrap(
              api.POST("/api/v1/organizations/{organizationId}/compliance/requirements", {
                params: { path: { organizationId: change.orgId } },
                body: change.input,
              }),
            ),
          };
        case "update-requirement":
          return {
            requirement: await unwrap(
              api.PATCH("/api/v1/compliance-requirements/{requirementId}", {
                params: { path: { requirementId: change.id } },
                body: change.input,
              }),
            ),
          };
        case "delete-requirement":
          await unwrap(
            api.DELETE("/api/v1/compliance-requirements/{requirementId}", {
              params: { path: { requirementId: change.id } },
            }),
          );
          return {};
        case "create-rule":
          return {
            rule: await unwrap(
              api.POST("/api/v1/compliance-requirements/{requirementId}/rules", {
                params: { path: { requirementId: change.requirementId } },
                body: change.input,
              }),
            ),
          };
        case "update-rule":
          return {
            rule: await unwrap(
              api.PATCH("/api/v1/compliance-rules/{ruleId}", {
                params: { path: { ruleId: change.id } },
                body: change.input,
              }),
            ),
          };
        case "delete-rule":
          await unwrap(
            api.DELETE("/api/v1/compliance-rules/{ruleId}", {
              params: { path: { ruleId: change.id } },
            }),
          );
          return {};
        case "grant-exemption":
          await unwrap(
            api.POST("/api/v1/organizations/{organizationId}/compliance/exemptions", {
              params: { path: { organizationId: change.orgId } },
              body: change.input,
            }),
          );
          return {};
        case "revoke-exemption":
          await unwrap(
            api.POST("/api/v1/compliance-exemptions/{exemptionId}/revoke", {
              params: { path: { exemptionId: change.id } },
              body: {},
            }),
          );
          return {};
        case "evaluate":
          return {
            evaluation: await unwrap(
              api.POST("/api/v1/organizations/{organizationId}/compliance/evaluate", {
                params: { path: { organizationId: change.orgId } },
                body: {},
              }),
            ),
          };
      }
    },
    onSuccess: async (_result, change) => {
      if (change.kind === "delete-requirement")
        queryClient.removeQueries({ queryKey: complianceKeys.requirement(userId, change.id) });
      await queryClient.invalidateQueries({ queryKey: complianceKeys.all(userId) });
    },
  });
}
