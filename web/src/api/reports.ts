import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

export type ReportJob = components["schemas"]["ReportJob"];
export type ReportJobStatus = ReportJob["status"];
export type ReportSchedule = components["schemas"]["ReportSchedule"];
export type ReportTemplateDetail = components["schemas"]["ReportTemplateDetail"];
export type ReportTemplateVersion = components["schemas"]["ReportTemplateVersion"];
/** A report definition as the API takes it (templates, previews). */
export type ReportDefinition = components["schemas"]["ReportDefinitionInput"];
export type ReportPreview = NonNullable<
  paths["/api/v1/organizations/{organizationId}/report-metadata/preview"]["post"]["responses"]["200"]["content"]["application/json"]
>["data"];

/** A job in one of these states changes no more (but for a retry or a duplicate). */
export const FINISHED: readonly ReportJobStatus[] = ["ready", "failed", "cancelled", "expired"];
export const isFinished = (status: ReportJobStatus) => FINISHED.includes(status);

/** How often a job's status is asked for while it waits or runs. */
export const POLL_MS = 2_000;
export const JOBS_PAGE_SIZE = 20;

/**
 * Query keys of reports. Jobs and schedules are addressed by id (mailed links carry no
 * organization), so the keys are rooted at the person; lists add their organization.
 */
export const reportKeys = {
  all: (userId: string) => ["reports", userId] as const,
  jobs: (userId: string, orgId: string) => [...reportKeys.all(userId), "jobs", orgId] as const,
  jobList: (userId: string, orgId: string, page: number) =>
    [...reportKeys.jobs(userId, orgId), { page }] as const,
  scheduleRuns: (userId: string, orgId: string, scheduleId: string) =>
    [...reportKeys.jobs(userId, orgId), { scheduleId }] as const,
  job: (userId: string, jobId: string) => [...reportKeys.all(userId), "job", jobId] as const,
  jobStatus: (userId: string, jobId: string) =>
    [...reportKeys.job(userId, jobId), "status"] as const,
  schedule: (userId: string, scheduleId: string) =>
    [...reportKeys.all(userId), "schedule", scheduleId] as const,
  template: (userId: string, templateId: string) =>
    [...reportKeys.all(userId), "template", templateId] as const,
  templateVersions: (userId: string, templateId: string) =>
    [...reportKeys.template(userId, templateId), "versions"] as const,
  templates: (userId: string, orgId: string) =>
    [...reportKeys.all(userId), "templates", orgId] as const,
  templateList: (userId: string, orgId: string, search: string) =>
    [...reportKeys.templates(userId, orgId), search] as const,
  preview: (userId: string, orgId: string, definition: ReportDefinition | null, limit: number) =>
    [...reportKeys.all(userId), "preview", orgId, definition, limit] as const,
};

/** A report job with its file and error (GET /report-jobs/{id}). */
export function useReportJob(userId: string, jobId: string) {
  return useQuery({
    queryKey: reportKeys.job(userId, jobId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/report-jobs/{jobId}", { params: { path: { jobId } }, signal })),
  });
}

/**
 * The job's status and progress (GET /report-jobs/{id}/status), asked every two seconds while
 * the job waits or runs; polling stops once it is finished.
 */
export function useReportJobStatus(userId: string, jobId: string, enabled: boolean) {
  return useQuery({
    queryKey: reportKeys.jobStatus(userId, jobId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/report-jobs/{jobId}/status", { params: { path: { jobId } }, signal }),
      ),
    enabled,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isFinished(status) ? false : POLL_MS;
    },
  });
}

/** The organization's report jobs the person sees, newest first (everyone's for managers). */
export function useReportJobs(userId: string, orgId: string, page: number) {
  return useQuery({
    queryKey: reportKeys.jobList(userId, orgId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/report-jobs", {
          params: {
            path: { organizationId: orgId },
            query: { page, limit: JOBS_PAGE_SIZE, all: "true" },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** A job action: cancel, retry or duplicate. Settles once the job and the lists are fresh. */
export function useJobAction(userId: string, action: "cancel" | "retry" | "duplicate") {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) => {
      const params = { params: { path: { jobId } } };
      if (action === "cancel")
        return unwrap(api.POST("/api/v1/report-jobs/{jobId}/cancel", params));
      if (action === "retry") return unwrap(api.POST("/api/v1/report-jobs/{jobId}/retry", params));
      return unwrap(api.POST("/api/v1/report-jobs/{jobId}/duplicate", params));
    },
    onSuccess: (job, jobId) => {
      queryClient.setQueryData(reportKeys.job(userId, job.id), job);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: reportKeys.job(userId, jobId) }),
        queryClient.invalidateQueries({ queryKey: reportKeys.jobs(userId, job.organizationId) }),
      ]);
    },
  });
}

/**
 * An expiring signed link to a ready job's file (POST /report-jobs/{id}/download-url). The
 * link is the server's public URL; the browser follows its path on this origin, where the
 * app and the API are served together (and Vite's dev server passes /api on).
 */
export function useDownloadLink() {
  return useMutation({
    mutationFn: async (jobId: string) => {
      const link = await unwrap(
        api.POST("/api/v1/report-jobs/{jobId}/download-url", { params: { path: { jobId } } }),
      );
      const url = new URL(link.url, window.location.origin);
      return { ...link, path: url.pathname + url.search };
    },
  });
}

/** A report schedule (GET /report-schedules/{id}). */
export function useReportSchedule(userId: string, scheduleId: string) {
  return useQuery({
    queryKey: reportKeys.schedule(userId, scheduleId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/report-schedules/{scheduleId}", {
          params: { path: { scheduleId } },
          signal,
        }),
      ),
  });
}

/**
 * A template (its latest version, whichever version's id is given), with the names of its
 * author and of whom it is shared with, and whether the person may change it. Schedules read
 * its name; system templates need the organization they are seen in.
 */
export function useReportTemplate(userId: string, templateId: string, organizationId: string) {
  return useQuery({
    queryKey: reportKeys.template(userId, templateId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/report-templates/{templateId}", {
          params: { path: { templateId }, query: { organizationId } },
          signal,
        }),
      ),
  });
}

/** A schedule's latest runs (the organization's jobs queued by it). */
export function useScheduleRuns(userId: string, orgId: string, scheduleId: string) {
  return useQuery({
    queryKey: reportKeys.scheduleRuns(userId, orgId, scheduleId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/report-jobs", {
          params: {
            path: { organizationId: orgId },
            query: { scheduleId, limit: 10, page: 1, all: "true" },
          },
          signal,
        }),
      ),
  });
}

/** Pause, resume or run a schedule now; settles once the schedule and its runs are fresh. */
export function useScheduleAction(userId: string, action: "pause" | "resume" | "run-now") {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (schedule: ReportSchedule) => {
      const params = { params: { path: { scheduleId: schedule.id } } };
      if (action === "pause")
        return unwrap(api.POST("/api/v1/report-schedules/{scheduleId}/pause", params));
      if (action === "resume")
        return unwrap(api.POST("/api/v1/report-schedules/{scheduleId}/resume", params));
      await unwrap(api.POST("/api/v1/report-schedules/{scheduleId}/run-now", params));
      return null;
    },
    onSuccess: (updated, schedule) => {
      if (updated) queryClient.setQueryData(reportKeys.schedule(userId, schedule.id), updated);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: reportKeys.schedule(userId, schedule.id) }),
        queryClient.invalidateQueries({
          queryKey: reportKeys.jobs(userId, schedule.organizationId),
        }),
      ]);
    },
  });
}

export type ReportTemplate = components["schemas"]["ReportTemplate"];
export type ReportFormat = ReportTemplate["defaultOutputFormat"];

/** The templates the person sees in an organization: the system's and those shared with them. */
export function useReportTemplates(userId: string, orgId: string, search: string) {
  return useQuery({
    queryKey: reportKeys.templateList(userId, orgId, search),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/report-templates", {
          params: { path: { organizationId: orgId }, query: search ? { search } : {} },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export interface TemplateRun {
  name: string | null;
  outputFormat: ReportFormat;
  dateRange: {
    field: "enrolledAt" | "completedAt" | "eventDate";
    start: string;
    end: string;
  } | null;
  departmentIds: string[];
}

/** Queues a job from a template with filter overrides; the job's page follows its progress. */
export function useRunTemplate(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ templateId, run }: { templateId: string; run: TemplateRun }) =>
      unwrap(
        api.POST("/api/v1/report-templates/{templateId}/generate", {
          params: { path: { templateId } },
          body: {
            organizationId: orgId,
            outputFormat: run.outputFormat,
            ...(run.name ? { name: run.name } : {}),
            ...(run.dateRange || run.departmentIds.length
              ? {
                  filters: {
                    ...(run.dateRange ? { dateRange: run.dateRange } : {}),
                    ...(run.departmentIds.length ? { departmentIds: run.departmentIds } : {}),
                  },
                }
              : {}),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reportKeys.jobs(userId, orgId) }),
  });
}

/** A private copy of a template (system ones too), to change. */
export function useDuplicateTemplate(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (templateId: string) =>
      unwrap(
        api.POST("/api/v1/report-templates/{templateId}/duplicate", {
          params: { path: { templateId } },
          body: { organizationId: orgId },
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: reportKeys.templates(userId, orgId) }),
  });
}

/** The schedules the person sees in an organization (their own and organization-wide ones). */
export function useReportSchedules(userId: string, orgId: string) {
  return useQuery({
    queryKey: [...reportKeys.all(userId), "schedules", orgId] as const,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/report-schedules", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

export type ScheduleCalendar = NonNullable<
  paths["/api/v1/report-schedules/preview"]["post"]["requestBody"]
>["content"]["application/json"];

/** The next runs of a calendar being edited; kept while the next one loads. */
export function useSchedulePreview(calendar: ScheduleCalendar | null) {
  return useQuery({
    queryKey: ["schedule-preview", calendar] as const,
    // The zone rides with the runs: while the next calendar's runs load, the previous ones
    // still show in their own zone.
    queryFn: async ({ signal }) => ({
      ...(await unwrap(
        api.POST("/api/v1/report-schedules/preview", {
          body: calendar as ScheduleCalendar,
          signal,
        }),
      )),
      timezone: (calendar as ScheduleCalendar).timezone,
    }),
    enabled: calendar !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export type NewSchedule = NonNullable<
  paths["/api/v1/organizations/{organizationId}/report-schedules"]["post"]["requestBody"]
>["content"]["application/json"];

export function useCreateSchedule(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewSchedule) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/report-schedules", {
          params: { path: { organizationId: orgId } },
          body: input,
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: [...reportKeys.all(userId), "schedules", orgId] }),
  });
}

/**
 * Every version of a template, newest first, each with who wrote it (system templates are
 * seen in an organization).
 */
export function useTemplateVersions(userId: string, templateId: string, organizationId: string) {
  return useQuery({
    queryKey: reportKeys.templateVersions(userId, templateId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/report-templates/{templateId}/versions", {
          params: { path: { templateId }, query: { organizationId } },
          signal,
        }),
      ),
  });
}

export type TemplateChange = NonNullable<
  paths["/api/v1/report-templates/{templateId}"]["put"]["requestBody"]
>["content"]["application/json"];
export type TemplateShare = NonNullable<
  paths["/api/v1/report-templates/{templateId}/share"]["post"]["requestBody"]
>["content"]["application/json"];

/**
 * Settles once the template (`templateId`: the id its page was opened with), its versions and
 * the organization's list are fresh.
 */
function refreshTemplate(
  queryClient: ReturnType<typeof useQueryClient>,
  userId: string,
  orgId: string,
  templateId: string,
) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: reportKeys.template(userId, templateId) }),
    queryClient.invalidateQueries({ queryKey: reportKeys.templates(userId, orgId) }),
  ]);
}

/** Changes a template's name, description or visibility: the server writes a new version. */
export function useUpdateTemplate(userId: string, orgId: string, templateId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TemplateChange) =>
      unwrap(
        api.PUT("/api/v1/report-templates/{templateId}", {
          params: { path: { templateId } },
          body: change,
        }),
      ),
    onSuccess: () => refreshTemplate(queryClient, userId, orgId, templateId),
  });
}

/** Shares a template with people, or with a team, a department or the whole organization. */
export function useShareTemplate(userId: string, orgId: string, templateId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (share: TemplateShare) =>
      unwrap(
        api.POST("/api/v1/report-templates/{templateId}/share", {
          params: { path: { templateId } },
          body: share,
        }),
      ),
    onSuccess: () => refreshTemplate(queryClient, userId, orgId, templateId),
  });
}

/** Deletes a template with all its versions; its page's data is dropped, the list refreshed. */
export function useDeleteTemplate(userId: string, orgId: string, templateId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/report-templates/{templateId}", {
          params: { path: { templateId } },
        }),
      ),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: reportKeys.template(userId, templateId) });
      await queryClient.invalidateQueries({ queryKey: reportKeys.templates(userId, orgId) });
    },
  });
}

/** How many rows a dashboard tile's preview reads at most. */
export const TILE_ROWS = 60;

/**
 * A report definition's first rows (POST …/report-metadata/preview): a dashboard tile's
 * figures, or the report builder's preview (asked only once a definition is given, the
 * previous rows kept while the next load); kept fresh for a minute.
 */
export function useReportPreview(
  userId: string,
  orgId: string,
  definition: ReportDefinition | null,
  limit = TILE_ROWS,
) {
  return useQuery({
    queryKey: reportKeys.preview(userId, orgId, definition, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/report-metadata/preview", {
          params: { path: { organizationId: orgId }, query: { limit } },
          body: definition as ReportDefinition,
          signal,
        }),
      ),
    enabled: definition !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
