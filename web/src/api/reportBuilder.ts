import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import {
  type ReportDefinition,
  type ReportFormat,
  type ReportTemplate,
  reportKeys,
} from "./reports";
import type { components } from "./schema";

export type ReportBase = components["schemas"]["ReportBase"];
export type ReportEntity = components["schemas"]["ReportDimensionEntity"];
export type ReportMeasureType = components["schemas"]["ReportMeasureType"];
export type ReportSlicerType = components["schemas"]["ReportSlicerType"];
export type ReportGroupOptions = components["schemas"]["ReportGroupOptions"];
export type ReportFilterOptions = components["schemas"]["ReportFilterOptions"];

/** Everything the builder offers in an organization, for this person (report-metadata/*). */
export interface ReportCatalog {
  bases: ReportBase[];
  entities: ReportEntity[];
  measures: ReportMeasureType[];
  slicers: ReportSlicerType[];
  groups: ReportGroupOptions;
  filters: ReportFilterOptions;
}

const metadata = (orgId: string) => ({ params: { path: { organizationId: orgId } } });

/** The report metadata catalog: bases, entities and fields, measures, slicers, groups, filters. */
export function useReportCatalog(userId: string, orgId: string) {
  return useQuery({
    queryKey: [...reportKeys.all(userId), "catalog", orgId] as const,
    queryFn: async ({ signal }): Promise<ReportCatalog> => {
      const base = "/api/v1/organizations/{organizationId}/report-metadata";
      const [dimensions, measures, slicers, groups, filters] = await Promise.all([
        unwrap(api.GET(`${base}/dimensions`, { ...metadata(orgId), signal })),
        unwrap(api.GET(`${base}/measures`, { ...metadata(orgId), signal })),
        unwrap(api.GET(`${base}/slicers`, { ...metadata(orgId), signal })),
        unwrap(api.GET(`${base}/groups`, { ...metadata(orgId), signal })),
        unwrap(api.GET(`${base}/filters`, { ...metadata(orgId), signal })),
      ]);
      return {
        bases: dimensions.bases,
        entities: dimensions.dimensions,
        measures,
        slicers,
        groups,
        filters,
      };
    },
    staleTime: 10 * 60_000,
  });
}

export interface Problem {
  field: string;
  message: string;
}

/** The server's check of a definition: every problem with the field it is about. */
export function useDefinitionCheck(
  userId: string,
  orgId: string,
  definition: ReportDefinition | null,
) {
  return useQuery({
    queryKey: [...reportKeys.all(userId), "check", orgId, definition] as const,
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/report-metadata/validate", {
          ...metadata(orgId),
          body: definition as unknown as Record<string, unknown>,
          signal,
        }),
      ),
    enabled: definition !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** What running the definition would read and cost, before it runs. */
export function useReportEstimate(
  userId: string,
  orgId: string,
  definition: ReportDefinition | null,
) {
  return useQuery({
    queryKey: [...reportKeys.all(userId), "estimate", orgId, definition] as const,
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/report-metadata/estimate", {
          ...metadata(orgId),
          body: definition as ReportDefinition,
          signal,
        }),
      ),
    enabled: definition !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export interface TemplateFields {
  name: string;
  description: string | null;
  category: string;
  visibility: "private" | "team" | "department" | "organization";
  defaultOutputFormat: ReportFormat;
}

/**
 * Saves the definition: as a new template, or (`templateId`) as the next version of one the
 * person may change. Settles once the template lists are fresh.
 */
export function useSaveTemplate(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      templateId,
      fields,
      definition,
    }: {
      templateId?: string;
      fields: TemplateFields;
      definition: ReportDefinition;
    }): Promise<ReportTemplate> =>
      templateId
        ? unwrap(
            api.PUT("/api/v1/report-templates/{templateId}", {
              params: { path: { templateId } },
              body: { ...fields, definition },
            }),
          )
        : unwrap(
            api.POST("/api/v1/organizations/{organizationId}/report-templates", {
              ...metadata(orgId),
              body: { ...fields, definition },
            }),
          ),
    onSuccess: (template) => {
      queryClient.setQueryData(reportKeys.template(userId, template.id), template);
      return queryClient.invalidateQueries({
        queryKey: [...reportKeys.all(userId), "templates", orgId],
      });
    },
  });
}
