import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

/** Notification templates, the delivery log and the tracking setting (docs/notifications.md). */
export type NotificationTemplate = components["schemas"]["NotificationTemplate"];
export type NotificationTypeInfo = components["schemas"]["NotificationType"];
export type TemplatePreview = components["schemas"]["NotificationTemplatePreview"];
export type EffectiveTemplate = components["schemas"]["EffectiveNotificationTemplate"];
export type NotificationDelivery = components["schemas"]["NotificationDelivery"];
export type TemplateChannel = NotificationTemplate["channel"];
export type TemplateStatus = NotificationTemplate["status"];
export type DeliveryStatus = NotificationDelivery["status"];

export const TEMPLATE_CHANNELS: readonly TemplateChannel[] = ["email", "in-app", "sms", "push"];
export const TEMPLATE_LANGUAGES = ["en", "de"] as const;
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  "held",
  "queued",
  "sent",
  "failed",
  "bounced",
  "opened",
  "clicked",
];

/** Whose templates: an organization's overrides, or the system's (platform administrators). */
export type TemplateScope = { orgId: string } | { system: true };

const scopeKey = (scope: TemplateScope) => ("orgId" in scope ? scope.orgId : "system");

export interface DeliveryFilters {
  page: number;
  status?: DeliveryStatus;
  channel?: TemplateChannel;
  type?: string;
  userId?: string;
}

export const notificationTemplateKeys = {
  all: (userId: string) => ["notification-templates", userId] as const,
  types: ["notification-types"] as const,
  versions: (userId: string, scope: TemplateScope) =>
    [...notificationTemplateKeys.all(userId), "versions", scopeKey(scope)] as const,
  effective: (userId: string, orgId: string, language: string) =>
    [...notificationTemplateKeys.all(userId), "effective", orgId, language] as const,
  preview: (userId: string, orgId: string, input: PreviewInput) =>
    [...notificationTemplateKeys.all(userId), "preview", orgId, input] as const,
  settings: (userId: string, orgId: string) =>
    [...notificationTemplateKeys.all(userId), "settings", orgId] as const,
  deliveries: (userId: string, orgId: string, filters: DeliveryFilters) =>
    [...notificationTemplateKeys.all(userId), "deliveries", orgId, filters] as const,
};

/** The notification types with their variables and built-in texts. */
export function useNotificationTypes() {
  return useQuery({
    queryKey: notificationTemplateKeys.types,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/notification-types", { signal })),
    staleTime: 10 * 60_000,
  });
}

/** Every version of an organization's templates (or the system's), newest version first. */
export function useTemplateVersions(userId: string, scope: TemplateScope) {
  return useQuery({
    queryKey: notificationTemplateKeys.versions(userId, scope),
    queryFn: ({ signal }) =>
      "orgId" in scope
        ? unwrap(
            api.GET("/api/v1/organizations/{organizationId}/notification-templates", {
              params: { path: { organizationId: scope.orgId } },
              signal,
            }),
          )
        : unwrap(api.GET("/api/v1/notification-templates", { signal })),
  });
}

/** The texts each type goes out with in a language, and where they come from. */
export function useEffectiveTemplates(userId: string, orgId: string, language: string) {
  return useQuery({
    queryKey: notificationTemplateKeys.effective(userId, orgId, language),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/notification-templates/effective", {
          params: { path: { organizationId: orgId }, query: { language } },
          signal,
        }),
      ),
    enabled: !!orgId,
  });
}

export interface PreviewInput {
  type: string;
  channel: TemplateChannel;
  language: string;
  subject: string;
  body: string;
}

type NewTemplateBody = NonNullable<
  paths["/api/v1/notification-templates"]["post"]["requestBody"]
>["content"]["application/json"];

/** The type is checked by the server (an unknown one is refused as any other input). */
const asBody = (input: PreviewInput) => input as NewTemplateBody;

/**
 * Unsaved texts rendered by the server with sample values, for the editor's live preview
 * (the caller debounces the texts). A text the server refuses (an unknown variable) is the
 * query's error, with the field it is in.
 */
export function useTemplatePreview(userId: string, orgId: string | null, input: PreviewInput) {
  return useQuery({
    queryKey: notificationTemplateKeys.preview(userId, orgId ?? "none", input),
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/notification-templates/preview", {
          params: { path: { organizationId: orgId ?? "" } },
          body: asBody(input),
          signal,
        }),
      ),
    enabled: !!orgId && input.body.length > 0,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** A saved version rendered with sample values (system templates have no unsaved preview). */
export function useVersionPreview(userId: string, id: string | null) {
  return useQuery({
    queryKey: [...notificationTemplateKeys.all(userId), "version-preview", id] as const,
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/notification-templates/{notificationTemplateId}/preview", {
          params: { path: { notificationTemplateId: id ?? "" } },
          body: {},
          signal,
        }),
      ),
    enabled: !!id,
  });
}

export type TemplateChange =
  | { kind: "create"; scope: TemplateScope; input: PreviewInput }
  | { kind: "update"; id: string; input: { subject: string; body: string } }
  | { kind: "submit" | "approve"; id: string }
  | { kind: "reject"; id: string; reason: string };

/** Every change to template versions; lists, effective texts and previews follow. */
export function useTemplateChange(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (change: TemplateChange): Promise<NotificationTemplate> => {
      const path = { notificationTemplateId: "id" in change ? change.id : "" };
      switch (change.kind) {
        case "create":
          return "orgId" in change.scope
            ? unwrap(
                api.POST("/api/v1/organizations/{organizationId}/notification-templates", {
                  params: { path: { organizationId: change.scope.orgId } },
                  body: asBody(change.input),
                }),
              )
            : unwrap(api.POST("/api/v1/notification-templates", { body: asBody(change.input) }));
        case "update":
          return unwrap(
            api.PATCH("/api/v1/notification-templates/{notificationTemplateId}", {
              params: { path },
              body: change.input,
            }),
          );
        case "submit":
          return unwrap(
            api.POST("/api/v1/notification-templates/{notificationTemplateId}/submit", {
              params: { path },
            }),
          );
        case "approve":
          return unwrap(
            api.POST("/api/v1/notification-templates/{notificationTemplateId}/approve", {
              params: { path },
            }),
          );
        case "reject":
          return unwrap(
            api.POST("/api/v1/notification-templates/{notificationTemplateId}/reject", {
              params: { path },
              body: { reason: change.reason },
            }),
          );
      }
    },
    onSuccess: () => client.invalidateQueries({ queryKey: notificationTemplateKeys.all(userId) }),
  });
}

/** An organization's notification settings (the tracking switch). */
export function useNotificationSettings(userId: string, orgId: string) {
  return useQuery({
    queryKey: notificationTemplateKeys.settings(userId, orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/notification-settings", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

export function useUpdateNotificationSettings(userId: string, orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (trackingEnabled: boolean) =>
      unwrap(
        api.PUT("/api/v1/organizations/{organizationId}/notification-settings", {
          params: { path: { organizationId: orgId } },
          body: { trackingEnabled },
        }),
      ),
    onSuccess: (settings) =>
      client.setQueryData(notificationTemplateKeys.settings(userId, orgId), settings),
  });
}

/** An organization's delivery log, newest first, a page at a time. */
export function useNotificationDeliveries(userId: string, orgId: string, filters: DeliveryFilters) {
  return useQuery({
    queryKey: notificationTemplateKeys.deliveries(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/notification-deliveries", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: 25,
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.channel ? { channel: filters.channel } : {}),
              ...(filters.type ? { type: filters.type as never } : {}),
              ...(filters.userId ? { userId: filters.userId } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
