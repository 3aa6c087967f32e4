import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

export type Integration = components["schemas"]["LmsIntegration"];
export type ConnectionTest = components["schemas"]["LmsConnectionTest"];
export type MappingPreview = components["schemas"]["LmsMappingPreview"];
export type SyncRun = components["schemas"]["IntegrationSyncRun"];
export type SyncRecord = components["schemas"]["IntegrationSyncRecord"];
export type DeadLetter = components["schemas"]["IntegrationDeadLetter"];
export type Incident = components["schemas"]["IntegrationIncident"];
export type Health = components["schemas"]["IntegrationHealth"];
export type ExternalEnrollment = components["schemas"]["ExternalEnrollment"];
export type ExternalProgress = components["schemas"]["ExternalProgress"];
export type LmsAnalytics = components["schemas"]["LmsAnalytics"];
export type IntegrationInput = NonNullable<
  paths["/api/v1/organizations/{organizationId}/lms-integrations"]["post"]["requestBody"]
>["content"]["application/json"];
export type MappingPreviewInput = NonNullable<
  paths["/api/v1/lms-integrations/{integrationId}/mapping-preview"]["post"]["requestBody"]
>["content"]["application/json"];

export const LMS_TYPES = [
  "moodle",
  "canvas",
  "talentlms",
  "docebo",
  "cornerstone",
  "blackboard",
  "generic-rest",
  "file",
  "inbound-webhook",
] as const satisfies readonly Integration["lmsType"][];
export const METHODS = [
  "api",
  "lti",
  "scorm",
  "xapi",
  "sftp",
  "file-upload",
  "webhook",
  "database-link",
  "manual-entry",
] as const satisfies readonly Integration["method"][];
export const AUTH_TYPES = [
  "none",
  "api-token",
  "oauth2-client-credentials",
  "basic",
] as const satisfies readonly Integration["authType"][];
export const DIRECTIONS = [
  "import",
  "export",
  "both",
] as const satisfies readonly Integration["direction"][];
export const CONNECTION_STATUSES = [
  "connected",
  "disconnected",
  "error",
  "testing",
  "maintenance",
] as const satisfies readonly Integration["connectionStatus"][];
export const RUN_OUTCOMES = ["created", "updated", "skipped", "failed"] as const;
export const RUN_ENTITIES = ["course", "enrollment", "person", "completion"] as const;
export const EXTERNAL_STATUSES = [
  "not-started",
  "in-progress",
  "completed",
  "failed",
  "dropped",
  "on-hold",
  "expired",
  "certified",
] as const;
export type ExternalStatus = (typeof EXTERNAL_STATUSES)[number];

export const INTEGRATIONS_PAGE_SIZE = 25;

export interface IntegrationFilters {
  page: number;
  lmsType: Integration["lmsType"] | null;
  connectionStatus: Integration["connectionStatus"] | null;
  isActive: boolean | null;
}

export interface RecordFilters {
  page: number;
  outcome: (typeof RUN_OUTCOMES)[number] | null;
  entity: (typeof RUN_ENTITIES)[number] | null;
}

export interface EnrollmentFilters {
  page: number;
  integrationId: string | null;
  status: ExternalStatus | null;
  dateFrom: string | null;
  dateTo: string | null;
  search: string;
}

/** Query keys of an organization's integrations, rooted at the person looking. */
export const integrationKeys = {
  org: (userId: string, orgId: string) => ["integrations", userId, orgId] as const,
  list: (userId: string, orgId: string, filters: IntegrationFilters) =>
    [...integrationKeys.org(userId, orgId), "list", filters] as const,
  enrollments: (userId: string, orgId: string, filters: EnrollmentFilters) =>
    [...integrationKeys.org(userId, orgId), "enrollments", filters] as const,
  analytics: (userId: string, orgId: string) =>
    [...integrationKeys.org(userId, orgId), "analytics"] as const,
  /** One integration and what hangs from it (runs, health, dead letters, incidents). */
  one: (userId: string, integrationId: string) => ["integration", userId, integrationId] as const,
  detail: (userId: string, integrationId: string) =>
    [...integrationKeys.one(userId, integrationId), "detail"] as const,
  health: (userId: string, integrationId: string) =>
    [...integrationKeys.one(userId, integrationId), "health"] as const,
  runs: (userId: string, integrationId: string, page: number) =>
    [...integrationKeys.one(userId, integrationId), "runs", page] as const,
  deadLetters: (userId: string, integrationId: string, page: number) =>
    [...integrationKeys.one(userId, integrationId), "dead-letters", page] as const,
  incidents: (userId: string, integrationId: string, page: number) =>
    [...integrationKeys.one(userId, integrationId), "incidents", page] as const,
  run: (userId: string, runId: string) => ["integration-run", userId, runId] as const,
  records: (userId: string, runId: string, filters: RecordFilters) =>
    [...integrationKeys.run(userId, runId), "records", filters] as const,
  progress: (userId: string, enrollmentId: string) =>
    ["lms-progress", userId, enrollmentId] as const,
};

/** Runs still to finish: their pages poll until they do. */
export const isRunLive = (run: Pick<SyncRun, "status">) =>
  run.status === "queued" || run.status === "running";

export function integrationsQuery(userId: string, orgId: string, filters: IntegrationFilters) {
  return queryOptions({
    queryKey: integrationKeys.list(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/lms-integrations", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: INTEGRATIONS_PAGE_SIZE,
              sort: "name",
              ...(filters.lmsType ? { lmsType: filters.lmsType } : {}),
              ...(filters.connectionStatus ? { connectionStatus: filters.connectionStatus } : {}),
              ...(filters.isActive !== null
                ? { isActive: filters.isActive ? ("true" as const) : ("false" as const) }
                : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export const useIntegrations = (userId: string, orgId: string, filters: IntegrationFilters) =>
  useQuery(integrationsQuery(userId, orgId, filters));

export function integrationQuery(userId: string, integrationId: string) {
  return queryOptions({
    queryKey: integrationKeys.detail(userId, integrationId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/lms-integrations/{integrationId}", {
          params: { path: { integrationId } },
          signal,
        }),
      ),
  });
}

export const useIntegration = (userId: string, integrationId: string) =>
  useQuery(integrationQuery(userId, integrationId));

export function healthQuery(userId: string, integrationId: string) {
  return queryOptions({
    queryKey: integrationKeys.health(userId, integrationId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/lms-integrations/{integrationId}/health", {
          params: { path: { integrationId }, query: { windowDays: 30 } },
          signal,
        }),
      ),
  });
}

export const useHealth = (userId: string, integrationId: string) =>
  useQuery(healthQuery(userId, integrationId));

export function runsQuery(userId: string, integrationId: string, page: number) {
  return queryOptions({
    queryKey: integrationKeys.runs(userId, integrationId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/lms-integrations/{integrationId}/sync-runs", {
          params: { path: { integrationId }, query: { page, limit: 10 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The integration's runs, asked again every 2 seconds while one is queued or running. */
export function useRuns(userId: string, integrationId: string, page: number) {
  return useQuery({
    ...runsQuery(userId, integrationId, page),
    refetchInterval: (query) => (query.state.data?.items.some(isRunLive) ? 2000 : false),
  });
}

export function useDeadLetters(userId: string, integrationId: string, page: number) {
  return useQuery({
    queryKey: integrationKeys.deadLetters(userId, integrationId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/lms-integrations/{integrationId}/dead-letters", {
          params: { path: { integrationId }, query: { page, limit: 10, status: "open" } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useIncidents(userId: string, integrationId: string, page: number) {
  return useQuery({
    queryKey: integrationKeys.incidents(userId, integrationId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/lms-integrations/{integrationId}/incidents", {
          params: { path: { integrationId }, query: { page, limit: 10 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function runQuery(userId: string, runId: string) {
  return queryOptions({
    queryKey: integrationKeys.run(userId, runId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/integration-sync-runs/{runId}", {
          params: { path: { runId } },
          signal,
        }),
      ),
    refetchInterval: (query) => (query.state.data && isRunLive(query.state.data) ? 2000 : false),
  });
}

export const useRun = (userId: string, runId: string) => useQuery(runQuery(userId, runId));

export function recordsQuery(userId: string, runId: string, filters: RecordFilters) {
  return queryOptions({
    queryKey: integrationKeys.records(userId, runId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/integration-sync-runs/{runId}/records", {
          params: {
            path: { runId },
            query: {
              page: filters.page,
              limit: 25,
              ...(filters.outcome ? { outcome: filters.outcome } : {}),
              ...(filters.entity ? { entity: filters.entity } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export const useRecords = (userId: string, runId: string, filters: RecordFilters) =>
  useQuery(recordsQuery(userId, runId, filters));

export function enrollmentsQuery(userId: string, orgId: string, filters: EnrollmentFilters) {
  return queryOptions({
    queryKey: integrationKeys.enrollments(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/lms-enrollments", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: 25,
              ...(filters.integrationId ? { integrationId: filters.integrationId } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.dateFrom ? { dateFrom: filters.dateFrom } : {}),
              ...(filters.dateTo ? { dateTo: filters.dateTo } : {}),
              ...(filters.search ? { search: filters.search } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export const useExternalEnrollments = (userId: string, orgId: string, filters: EnrollmentFilters) =>
  useQuery(enrollmentsQuery(userId, orgId, filters));

export function analyticsQuery(userId: string, orgId: string) {
  return queryOptions({
    queryKey: integrationKeys.analytics(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/lms-analytics", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

export const useAnalytics = (userId: string, orgId: string) =>
  useQuery(analyticsQuery(userId, orgId));

export function useProgress(userId: string, enrollmentId: string | null) {
  return useQuery({
    queryKey: integrationKeys.progress(userId, enrollmentId ?? ""),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/lms-progress/{enrollmentId}", {
          params: { path: { enrollmentId: enrollmentId ?? "" } },
          signal,
        }),
      ),
    enabled: enrollmentId !== null,
  });
}

/** Creates an integration; the organization's lists show it. */
export function useCreateIntegration(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: IntegrationInput) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/lms-integrations", {
          params: { path: { organizationId: orgId } },
          body: input,
        }),
      ),
    onSuccess: async (integration) => {
      queryClient.setQueryData(integrationKeys.detail(userId, integration.id), integration);
      await queryClient.invalidateQueries({ queryKey: integrationKeys.org(userId, orgId) });
    },
  });
}

/** Replaces an integration's configuration (credentials kept unless sent). */
export function useSaveIntegration(userId: string, orgId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: IntegrationInput) =>
      unwrap(
        api.PUT("/api/v1/lms-integrations/{integrationId}", {
          params: { path: { integrationId } },
          body: input,
        }),
      ),
    onSuccess: async (integration) => {
      queryClient.setQueryData(integrationKeys.detail(userId, integrationId), integration);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: integrationKeys.org(userId, orgId) }),
        queryClient.invalidateQueries({ queryKey: integrationKeys.one(userId, integrationId) }),
      ]);
    },
  });
}

export function useDeleteIntegration(userId: string, orgId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/lms-integrations/{integrationId}", {
          params: { path: { integrationId } },
        }),
      ),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: integrationKeys.one(userId, integrationId) });
      await queryClient.invalidateQueries({ queryKey: integrationKeys.org(userId, orgId) });
    },
  });
}

/** Tests the connection; the stored status and time change, so the integration is read again. */
export function useTestConnection(userId: string, orgId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/test-connection", {
          params: { path: { integrationId } },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: integrationKeys.detail(userId, integrationId) }),
        queryClient.invalidateQueries({ queryKey: integrationKeys.org(userId, orgId) }),
      ]),
  });
}

export function useMappingPreview(integrationId: string) {
  return useMutation({
    mutationFn: (input: MappingPreviewInput) =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/mapping-preview", {
          params: { path: { integrationId } },
          body: input,
        }),
      ),
  });
}

/** Starts a sync (or a dry run); the runs list shows it and polls until it ends. */
export function useStartSync(userId: string, orgId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { dryRun: boolean }) =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/sync", {
          params: { path: { integrationId } },
          body: { dryRun: input.dryRun, full: false },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: integrationKeys.one(userId, integrationId) }),
        queryClient.invalidateQueries({ queryKey: integrationKeys.org(userId, orgId) }),
      ]),
  });
}

export function useSetMonitoring(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { slaHours: number | null; incidentAfterFailures: number }) =>
      unwrap(
        api.PUT("/api/v1/lms-integrations/{integrationId}/monitoring", {
          params: { path: { integrationId } },
          body: input,
        }),
      ),
    onSuccess: async (integration) => {
      queryClient.setQueryData(integrationKeys.detail(userId, integrationId), integration);
      await queryClient.invalidateQueries({
        queryKey: integrationKeys.health(userId, integrationId),
      });
    },
  });
}

/** Retries open dead letters (all, or those named) in a run of their own. */
export function useRetryDeadLetters(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[] | null) =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/dead-letters/retry", {
          params: { path: { integrationId } },
          body: ids ? { ids } : {},
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: integrationKeys.one(userId, integrationId) }),
  });
}

export function useDiscardDeadLetter(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deadLetterId: string) =>
      unwrap(
        api.POST("/api/v1/integration-dead-letters/{deadLetterId}/discard", {
          params: { path: { deadLetterId } },
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: integrationKeys.one(userId, integrationId) }),
  });
}

/* The export direction: course links and export runs. */

export type CourseLink = components["schemas"]["IntegrationCourseLink"];

const courseLinksKey = (userId: string, integrationId: string) =>
  [...integrationKeys.one(userId, integrationId), "course-links"] as const;

export function useCourseLinks(userId: string, integrationId: string) {
  return useQuery({
    queryKey: courseLinksKey(userId, integrationId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/lms-integrations/{integrationId}/course-links", {
          params: { path: { integrationId } },
          signal,
        }),
      ),
  });
}

export function useAddCourseLink(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { courseId: string; externalCourseId: string }) =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/course-links", {
          params: { path: { integrationId } },
          body: input,
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: courseLinksKey(userId, integrationId) }),
  });
}

export function useRemoveCourseLink(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (courseLinkId: string) =>
      unwrap(
        api.DELETE("/api/v1/integration-course-links/{courseLinkId}", {
          params: { path: { courseLinkId } },
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: courseLinksKey(userId, integrationId) }),
  });
}

export function useStartExport(userId: string, orgId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { dryRun: boolean }) =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/exports", {
          params: { path: { integrationId } },
          body: input,
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: integrationKeys.one(userId, integrationId) }),
        queryClient.invalidateQueries({ queryKey: integrationKeys.org(userId, orgId) }),
      ]),
  });
}
