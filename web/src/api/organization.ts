import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";
import { sessionKeys } from "./session";

export type Organization = components["schemas"]["Organization"];
export type AuditEntry = components["schemas"]["AuditEntry"];

export const AUDIT_PAGE_SIZE = 25;

/** Query keys of an organization's administration, rooted at the person looking. */
export const organizationKeys = {
  org: (userId: string, orgId: string) => ["organization", userId, orgId] as const,
  settings: (userId: string, orgId: string) =>
    [...organizationKeys.org(userId, orgId), "settings"] as const,
  audit: (userId: string, orgId: string, filters: AuditFilters) =>
    [...organizationKeys.org(userId, orgId), "audit", filters] as const,
};

/** The organization's settings (GET /organizations/{id}). */
export function useOrganization(userId: string, orgId: string) {
  return useQuery({
    queryKey: organizationKeys.settings(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

export interface OrganizationChange {
  name?: string;
  contactName?: string | null;
  contactEmail?: string | null;
  timezone?: string;
  locale?: string;
  autoJoin?: boolean;
  autoJoinRole?: string;
}

/** Changes the organization's settings; the person's memberships show the new name. */
export function useUpdateOrganization(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: OrganizationChange) =>
      unwrap(
        api.PATCH("/api/v1/organizations/{organizationId}", {
          params: { path: { organizationId: orgId } },
          body: change,
        }),
      ),
    onSuccess: (organization) => {
      queryClient.setQueryData(organizationKeys.settings(userId, orgId), organization);
      return queryClient.invalidateQueries({ queryKey: sessionKeys.all });
    },
  });
}

export const AUDIT_RISK_LEVELS = ["low", "medium", "high", "critical"] as const;
export type AuditRiskLevel = (typeof AUDIT_RISK_LEVELS)[number];
export type AuditChainReport = components["schemas"]["AuditChainReport"];

export interface AuditFilters {
  page: number;
  action: string;
  entityType: string;
  /** Records of this risk level or higher; empty for all. */
  riskLevel: AuditRiskLevel | "";
  from: string | null;
  to: string | null;
}

/** Whether the organization's audit trail is intact: its hash chain checked record by record. */
export function useAuditVerification(userId: string, orgId: string) {
  return useQuery({
    queryKey: [...organizationKeys.org(userId, orgId), "audit-verification"] as const,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/audit-logs/verification", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
    enabled: false,
  });
}

/** One page of the organization's audit trail, newest first. */
export function useAuditLog(userId: string, orgId: string, filters: AuditFilters) {
  return useQuery({
    queryKey: organizationKeys.audit(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/audit-logs", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: AUDIT_PAGE_SIZE,
              sort: "-createdAt",
              ...(filters.action ? { action: filters.action } : {}),
              ...(filters.entityType ? { entityType: filters.entityType } : {}),
              ...(filters.riskLevel ? { riskLevel: filters.riskLevel } : {}),
              ...(filters.from ? { from: filters.from } : {}),
              ...(filters.to ? { to: filters.to } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
