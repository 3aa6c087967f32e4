import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import { blobOf, saveFile } from "./files";
import type { components } from "./schema";

/** Retention, data subject requests, access logs and privacy settings (docs/privacy.md). */
export type PrivacyRequest = components["schemas"]["PrivacyRequest"];
export type PrivacyRequestType = PrivacyRequest["type"];
export type PrivacyRequestStatus = PrivacyRequest["status"];
export type RetentionPolicy = components["schemas"]["RetentionPolicy"];
export type RetentionCategory = RetentionPolicy["category"];
export type RetentionAction = RetentionPolicy["action"];
export type RetentionArchive = components["schemas"]["RetentionArchive"];
export type AccessLogEntry = components["schemas"]["AccessLogEntry"];
export type PrivacySettings = components["schemas"]["PrivacySettings"];

export const PRIVACY_REQUEST_TYPES: readonly PrivacyRequestType[] = [
  "export",
  "erasure",
  "restriction",
];
export const PRIVACY_REQUEST_STATUSES: readonly PrivacyRequestStatus[] = [
  "requested",
  "processing",
  "completed",
  "rejected",
  "lifted",
];
export const PRIVACY_PAGE_SIZE = 25;

export interface RequestFilters {
  page: number;
  type: PrivacyRequestType | null;
  status: PrivacyRequestStatus | null;
  userId: string | null;
}

export interface AccessLogFilters {
  page: number;
  subjectUserId: string | null;
  viewerUserId: string | null;
}

/** Query keys, rooted at the person looking and the organization. */
export const privacyKeys = {
  all: (userId: string) => ["privacy", userId] as const,
  org: (userId: string, orgId: string) => [...privacyKeys.all(userId), "org", orgId] as const,
  policies: (userId: string, orgId: string) =>
    [...privacyKeys.org(userId, orgId), "policies"] as const,
  dryRun: (userId: string, orgId: string) =>
    [...privacyKeys.org(userId, orgId), "dry-run"] as const,
  archives: (userId: string, orgId: string) =>
    [...privacyKeys.org(userId, orgId), "archives"] as const,
  requests: (userId: string, orgId: string, filters?: RequestFilters) =>
    [...privacyKeys.org(userId, orgId), "requests", ...(filters ? [filters] : [])] as const,
  accessLogs: (userId: string, orgId: string, filters: AccessLogFilters) =>
    [...privacyKeys.org(userId, orgId), "access-logs", filters] as const,
  mine: (userId: string) => [...privacyKeys.all(userId), "me"] as const,
  mySettings: (userId: string) => [...privacyKeys.mine(userId), "settings"] as const,
  myAccessLogs: (userId: string, page: number) =>
    [...privacyKeys.mine(userId), "access-logs", page] as const,
  myRequests: (userId: string) => [...privacyKeys.mine(userId), "requests"] as const,
};

/** Requests a job is still working: their lists are asked again every few seconds. */
const working = (items: PrivacyRequest[] | undefined) =>
  items?.some((r) => r.status === "processing" || (r.status === "requested" && r.type === "export"))
    ? 3000
    : false;

// --- Retention ---------------------------------------------------------------------------

export function useRetention(userId: string, orgId: string) {
  return useQuery({
    queryKey: privacyKeys.policies(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/retention-policies", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

/** What a run would do now; asked on demand (it counts rows in every category). */
export function useDryRun(userId: string, orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: privacyKeys.dryRun(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/retention/dry-run", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
    enabled,
  });
}

export function useArchives(userId: string, orgId: string) {
  return useQuery({
    queryKey: privacyKeys.archives(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/retention/archives", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

/**
 * Where an archive file of the archival log downloads from (the session cookie authorizes it;
 * each download is audited and logged as a read of the people it holds).
 */
export const archiveFileUrl = (orgId: string, archiveId: string) =>
  `/api/v1/organizations/${orgId}/retention/archives/${archiveId}/file`;

export interface PolicyFields {
  category: RetentionCategory;
  action: RetentionAction;
  retainDays: number;
  reviewEveryDays: number;
  enabled: boolean;
}

export type RetentionChange =
  | { kind: "save"; policy: PolicyFields }
  | { kind: "remove"; category: RetentionCategory }
  | { kind: "review"; category: RetentionCategory }
  | { kind: "run" }
  | { kind: "hold"; until: string | null; reason: string | null };

/** Every change to retention; each refreshes the policies, the dry run and the archives. */
export function useRetentionChange(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  const path = { organizationId: orgId };
  return useMutation({
    mutationFn: async (change: RetentionChange) => {
      switch (change.kind) {
        case "save":
          await unwrap(
            api.PUT("/api/v1/organizations/{organizationId}/retention-policies", {
              params: { path },
              body: change.policy,
            }),
          );
          return null;
        case "remove":
          await unwrap(
            api.DELETE("/api/v1/organizations/{organizationId}/retention-policies", {
              params: { path, query: { category: change.category } },
            }),
          );
          return null;
        case "review":
          await unwrap(
            api.POST("/api/v1/organizations/{organizationId}/retention-policies/review", {
              params: { path },
              body: { category: change.category, note: null },
            }),
          );
          return null;
        case "run":
          return unwrap(
            api.POST("/api/v1/organizations/{organizationId}/retention/run", { params: { path } }),
          );
        case "hold":
          await unwrap(
            api.PUT("/api/v1/organizations/{organizationId}/legal-hold", {
              params: { path },
              body: { until: change.until, reason: change.reason },
            }),
          );
          return null;
      }
    },
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: privacyKeys.policies(userId, orgId) }),
        queryClient.invalidateQueries({ queryKey: privacyKeys.dryRun(userId, orgId) }),
        queryClient.invalidateQueries({ queryKey: privacyKeys.archives(userId, orgId) }),
      ]);
    },
  });
}

// --- Data subject requests ----------------------------------------------------------------

export function usePrivacyRequests(userId: string, orgId: string, filters: RequestFilters) {
  return useQuery({
    queryKey: privacyKeys.requests(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/privacy-requests", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: PRIVACY_PAGE_SIZE,
              ...(filters.type ? { type: filters.type } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.userId ? { userId: filters.userId } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => working(query.state.data?.items),
  });
}

export type PrivacyRequestChange =
  | {
      kind: "create";
      type: PrivacyRequestType;
      subjectUserId: string;
      reason: string | null;
    }
  | { kind: "process"; id: string }
  | { kind: "reject"; id: string; note: string }
  | { kind: "lift"; id: string; note: string | null };

/** Filing, processing (platform administrators), rejecting and lifting requests. */
export function usePrivacyRequestChange(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: PrivacyRequestChange): Promise<PrivacyRequest> => {
      const path = { organizationId: orgId };
      switch (change.kind) {
        case "create":
          return unwrap(
            api.POST("/api/v1/organizations/{organizationId}/privacy-requests", {
              params: { path },
              body: { type: change.type, userId: change.subjectUserId, reason: change.reason },
            }),
          );
        case "process":
          return unwrap(
            api.POST("/api/v1/privacy-requests/{privacyRequestId}/process", {
              params: { path: { privacyRequestId: change.id } },
            }),
          );
        case "reject":
          return unwrap(
            api.POST(
              "/api/v1/organizations/{organizationId}/privacy-requests/{privacyRequestId}/reject",
              {
                params: { path: { ...path, privacyRequestId: change.id } },
                body: { note: change.note },
              },
            ),
          );
        case "lift":
          return unwrap(
            api.POST(
              "/api/v1/organizations/{organizationId}/privacy-requests/{privacyRequestId}/lift",
              {
                params: { path: { ...path, privacyRequestId: change.id } },
                body: { note: change.note },
              },
            ),
          );
      }
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: privacyKeys.requests(userId, orgId) });
    },
  });
}

/** Downloads an export's ZIP (GET /privacy-requests/{id}/file). */
export function useDownloadExport() {
  return useMutation({
    mutationFn: async (request: Pick<PrivacyRequest, "id">) => {
      const { data } = await api.GET("/api/v1/privacy-requests/{privacyRequestId}/file", {
        params: { path: { privacyRequestId: request.id } },
        parseAs: "blob",
      });
      saveFile(blobOf(data), `lyceum-data-${request.id}.zip`);
    },
  });
}

// --- Access logs --------------------------------------------------------------------------

export function useAccessLogs(userId: string, orgId: string, filters: AccessLogFilters) {
  return useQuery({
    queryKey: privacyKeys.accessLogs(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/access-logs", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: PRIVACY_PAGE_SIZE,
              ...(filters.subjectUserId ? { subjectUserId: filters.subjectUserId } : {}),
              ...(filters.viewerUserId ? { viewerUserId: filters.viewerUserId } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

// --- The person's own ---------------------------------------------------------------------

export function useMyPrivacySettings(userId: string) {
  return useQuery({
    queryKey: privacyKeys.mySettings(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/users/me/privacy", { signal })),
  });
}

export function useUpdateMyPrivacySettings(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: Partial<PrivacySettings>) =>
      unwrap(api.PUT("/api/v1/users/me/privacy", { body: change })),
    onSuccess: (settings) => {
      queryClient.setQueryData(privacyKeys.mySettings(userId), settings);
    },
  });
}

export function useMyAccessLogs(userId: string, page: number) {
  return useQuery({
    queryKey: privacyKeys.myAccessLogs(userId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/users/me/access-logs", {
          params: { query: { page, limit: PRIVACY_PAGE_SIZE } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMyPrivacyRequests(userId: string) {
  return useQuery({
    queryKey: privacyKeys.myRequests(userId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/users/me/privacy-requests", {
          params: { query: { page: 1, limit: 20 } },
          signal,
        }),
      ),
    refetchInterval: (query) => working(query.state.data?.items),
  });
}

/** Asks for an export of one's own data. */
export function useRequestMyExport(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/users/me/privacy-requests", { body: { type: "export", reason: null } }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: privacyKeys.myRequests(userId) });
    },
  });
}
