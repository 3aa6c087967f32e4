import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

/** Outbound webhooks of an organization (docs/webhooks.md). */
export type Webhook = components["schemas"]["Webhook"];
export type OutboundDelivery = components["schemas"]["WebhookDelivery"];
export type WebhookEventType = components["schemas"]["WebhookEventType"];

export const outboundWebhookKeys = {
  all: (userId: string) => ["outbound-webhooks", userId] as const,
  list: (userId: string, orgId: string) =>
    [...outboundWebhookKeys.all(userId), "org", orgId] as const,
  one: (userId: string, id: string) => [...outboundWebhookKeys.all(userId), "one", id] as const,
  deliveries: (userId: string, id: string, page: number) =>
    [...outboundWebhookKeys.one(userId, id), "deliveries", page] as const,
  types: ["webhook-event-types"] as const,
};

/** The catalog of event types a webhook can subscribe to. */
export function useWebhookEventTypes() {
  return useQuery({
    queryKey: outboundWebhookKeys.types,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/webhook-event-types", { signal })),
    staleTime: 10 * 60_000,
  });
}

export function useWebhooks(userId: string, orgId: string) {
  return useQuery({
    queryKey: outboundWebhookKeys.list(userId, orgId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/webhooks", {
          params: { path: { organizationId: orgId }, query: { limit: 100, page: 1 } },
          signal,
        }),
      ),
  });
}

export function useWebhook(userId: string, id: string) {
  return useQuery({
    queryKey: outboundWebhookKeys.one(userId, id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/webhooks/{webhookId}", { params: { path: { webhookId: id } }, signal }),
      ),
  });
}

/** A webhook's deliveries, newest first; asked again every 5 seconds while some wait. */
export function useOutboundDeliveries(userId: string, id: string, page: number) {
  return useQuery({
    queryKey: outboundWebhookKeys.deliveries(userId, id, page),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/webhooks/{webhookId}/deliveries", {
          params: { path: { webhookId: id }, query: { page, limit: 20 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((d) => d.status === "pending" || d.status === "failed")
        ? 5000
        : false,
  });
}

export interface WebhookFields {
  url: string;
  description: string | null;
  eventTypes: string[];
}

export type WebhookChange =
  | { kind: "create"; orgId: string; input: WebhookFields }
  | { kind: "update"; id: string; input: Partial<WebhookFields> & { status?: Webhook["status"] } }
  | { kind: "delete" | "rotate" | "test"; id: string }
  | { kind: "redeliver"; deliveryId: string };

/**
 * Every change to webhooks. Creating and rotating answer the signing secret, shown only once;
 * testing answers the ping's delivery.
 */
export function useWebhookChange(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (
      change: WebhookChange,
    ): Promise<{ webhook?: Webhook; secret?: string; delivery?: OutboundDelivery }> => {
      switch (change.kind) {
        case "create":
          return unwrap(
            api.POST("/api/v1/organizations/{organizationId}/webhooks", {
              params: { path: { organizationId: change.orgId } },
              body: change.input,
            }),
          );
        case "update":
          return {
            webhook: await unwrap(
              api.PATCH("/api/v1/webhooks/{webhookId}", {
                params: { path: { webhookId: change.id } },
                body: change.input,
              }),
            ),
          };
        case "delete":
          await unwrap(
            api.DELETE("/api/v1/webhooks/{webhookId}", {
              params: { path: { webhookId: change.id } },
            }),
          );
          return {};
        case "rotate":
          return unwrap(
            api.POST("/api/v1/webhooks/{webhookId}/rotate-secret", {
              params: { path: { webhookId: change.id } },
            }),
          );
        case "test":
          return {
            delivery: await unwrap(
              api.POST("/api/v1/webhooks/{webhookId}/test", {
                params: { path: { webhookId: change.id } },
              }),
            ),
          };
        case "redeliver":
          return {
            delivery: await unwrap(
              api.POST("/api/v1/webhook-deliveries/{webhookDeliveryId}/redeliver", {
                params: { path: { webhookDeliveryId: change.deliveryId } },
              }),
            ),
          };
      }
    },
    onSuccess: async (_result, change) => {
      // A deleted webhook's page is about to be left: reading it again would only answer 404
      // and replace the page (and the caller's navigation) with an error.
      if (change.kind === "delete")
        queryClient.removeQueries({ queryKey: outboundWebhookKeys.one(userId, change.id) });
      await queryClient.invalidateQueries({
        queryKey: outboundWebhookKeys.all(userId),
        predicate: (query) => change.kind !== "delete" || query.queryKey[3] !== change.id,
      });
    },
  });
}
