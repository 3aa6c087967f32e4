import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import { blobOf, saveFile } from "./files";
import { integrationKeys } from "./integrations";
import type { components } from "./schema";
import { uploadFile } from "./upload";

/** File imports of an integration of type file: upload, column mapping, result file. */

export type FileImport = components["schemas"]["IntegrationFileImport"];
export type ColumnMapping = Record<string, string>;

/** The fields a file's columns can fill, in the order the mapping step shows them. */
export const FILE_FIELDS = [
  "email",
  "firstName",
  "lastName",
  "personExternalId",
  "courseExternalId",
  "courseCode",
  "courseTitle",
  "externalId",
  "status",
  "enrolledAt",
  "startedAt",
  "completedAt",
  "dueAt",
  "lastAccessAt",
  "progressPercent",
  "timeSpentMinutes",
  "score",
  "maxScore",
  "passingScore",
  "grade",
  "credits",
  "cost",
  "currency",
  "instructorName",
  "attempts",
  "certifiedAt",
  "certificateUrl",
] as const;
export type FileField = (typeof FILE_FIELDS)[number];
/** Fields the server refuses a mapping without (the course by its id or its code). */
export const REQUIRED_FIELDS: readonly FileField[] = ["email", "courseTitle"];

export const fileImportKeys = {
  list: (userId: string, integrationId: string, page: number) =>
    [...integrationKeys.one(userId, integrationId), "file-imports", page] as const,
  one: (userId: string, fileImportId: string) =>
    ["integration-file-import", userId, fileImportId] as const,
};

/** Imports still to finish: their pages poll until they do. */
export const isImportLive = (file: Pick<FileImport, "status">) =>
  file.status === "queued" || file.status === "processing";

export function fileImportsQuery(userId: string, integrationId: string, page: number) {
  return queryOptions({
    queryKey: fileImportKeys.list(userId, integrationId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/lms-integrations/{integrationId}/file-imports", {
          params: { path: { integrationId }, query: { page, limit: 10 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useFileImports(userId: string, integrationId: string, page: number) {
  return useQuery({
    ...fileImportsQuery(userId, integrationId, page),
    refetchInterval: (query) => (query.state.data?.items.some(isImportLive) ? 2000 : false),
  });
}

export function fileImportQuery(userId: string, fileImportId: string) {
  return queryOptions({
    queryKey: fileImportKeys.one(userId, fileImportId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/integration-file-imports/{fileImportId}", {
          params: { path: { fileImportId } },
          signal,
        }),
      ),
    refetchInterval: (query) => (query.state.data && isImportLive(query.state.data) ? 2000 : false),
  });
}

export const useFileImport = (userId: string, fileImportId: string) =>
  useQuery(fileImportQuery(userId, fileImportId));

/** Uploads a CSV or XLSX to an integration; answers the import waiting for its mapping. */
export function useUploadFileImport(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File; onProgress: (percent: number) => void }) =>
      uploadFile<FileImport>(
        `/api/v1/lms-integrations/${encodeURIComponent(integrationId)}/file-imports`,
        file,
        onProgress,
      ),
    onSuccess: async (created) => {
      queryClient.setQueryData(fileImportKeys.one(userId, created.id), created);
      await queryClient.invalidateQueries({
        queryKey: [...integrationKeys.one(userId, integrationId), "file-imports"],
      });
    },
  });
}

/** Saves the mapping and queues the run (a dry run, or the import). */
export function useMapFileImport(userId: string, file: Pick<FileImport, "id" | "integrationId">) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { mapping: ColumnMapping; dryRun: boolean }) =>
      unwrap(
        api.PUT("/api/v1/integration-file-imports/{fileImportId}/mapping", {
          params: { path: { fileImportId: file.id } },
          body,
        }),
      ),
    onSuccess: async (updated) => {
      queryClient.setQueryData(fileImportKeys.one(userId, file.id), updated);
      await queryClient.invalidateQueries({
        queryKey: integrationKeys.one(userId, file.integrationId),
      });
    },
  });
}

/** Downloads the per-row result file of an import's latest run. */
export function useDownloadFileResult() {
  return useMutation({
    mutationFn: async (file: Pick<FileImport, "id" | "fileName" | "run">) => {
      const { data } = await api.GET("/api/v1/integration-file-imports/{fileImportId}/result", {
        params: { path: { fileImportId: file.id } },
        parseAs: "blob",
      });
      const base = file.fileName.replace(/\.(csv|xlsx)$/i, "");
      saveFile(blobOf(data), `${base}-result${file.run?.dryRun ? "-dry-run" : ""}.csv`);
    },
  });
}

/** Asks for a check of the integration's SFTP server now (as its cron does); answers whether one was queued. */
export function useSftpPoll(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/sftp-poll", {
          params: { path: { integrationId } },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({
        queryKey: [...integrationKeys.one(userId, integrationId), "file-imports"],
      });
    },
  });
}
