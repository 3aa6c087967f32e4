import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import { integrationKeys } from "./integrations";
import type { components } from "./schema";

/** An inbound webhook's signing secret (answered once) and its deliveries. */
export type WebhookDelivery = components["schemas"]["LmsWebhookDeliveryRecord"];
export type WebhookSecret = components["schemas"]["LmsWebhookSecret"];
export type WebhookDeliveryStatus = WebhookDelivery["status"];

export const webhookKeys = {
  deliveries: (userId: string, integrationId: string, page: number) =>
    [...integrationKeys.one(userId, integrationId), "webhook-deliveries", page] as const,
};

/** The integration's deliveries, newest first; asked again every 5 seconds while some wait. */
export function useWebhookDeliveries(userId: string, integrationId: string, page: number) {
  return useQuery({
    queryKey: webhookKeys.deliveries(userId, integrationId, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/lms-integrations/{integrationId}/webhook-deliveries", {
          params: { path: { integrationId }, query: { page, limit: 10 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((d) => d.status === "received") ? 5000 : false,
  });
}

/** Generates (or rotates) the signing secret; the answer holds it, this once. */
export function useRotateWebhookSecret(userId: string, integrationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/lms-integrations/{integrationId}/webhook-secret", {
          params: { path: { integrationId } },
          body: {},
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({
        queryKey: integrationKeys.detail(userId, integrationId),
      }),
  });
}
