import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components, paths } from "./schema";

export type Notification = components["schemas"]["Notification"];
export type NotificationPreferences = components["schemas"]["NotificationPreferences"];
export type PreferencesChange = NonNullable<
  paths["/api/v1/notifications/preferences"]["put"]["requestBody"]
>["content"]["application/json"];

/** How often the bell asks for the unread count while the page is open. */
export const UNREAD_POLL_MS = 60_000;

/** Query keys of one person's notifications, rooted at the person. */
export const notificationKeys = {
  all: (userId: string) => ["notifications", userId] as const,
  lists: (userId: string) => [...notificationKeys.all(userId), "list"] as const,
  list: (userId: string, page: number, limit: number) =>
    [...notificationKeys.lists(userId), { page, limit }] as const,
  unreadCount: (userId: string) => [...notificationKeys.all(userId), "unread-count"] as const,
  preferences: (userId: string) => [...notificationKeys.all(userId), "preferences"] as const,
};

/** GET /notifications/unread-count, refetched on an interval and when the window regains focus. */
export const unreadCountQuery = (userId: string) =>
  queryOptions({
    queryKey: notificationKeys.unreadCount(userId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/notifications/unread-count", { signal })).then((d) => d.unread),
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
  });

export function useUnreadCount(userId: string) {
  return useQuery(unreadCountQuery(userId));
}

/** GET /notifications, newest first, a page at a time (the previous page stays while the next loads). */
export function useNotifications(userId: string, page: number, limit = 20) {
  return useQuery({
    queryKey: notificationKeys.list(userId, page, limit),
    queryFn: ({ signal }) =>
      unwrapList(api.GET("/api/v1/notifications", { params: { query: { page, limit } }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** Marks one read (`clicked` when it was opened through its link); lists and count follow. */
export function useMarkRead(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, clicked = false }: { id: string; clicked?: boolean }) =>
      unwrap(
        api.POST("/api/v1/notifications/{notificationId}/read", {
          params: { path: { notificationId: id } },
          body: { clicked },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all(userId) }),
  });
}

export function useMarkAllRead(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/notifications/read-all", { body: {} })),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all(userId) }),
  });
}

/** GET /notifications/preferences: the two master switches and each kind's channels. */
export function useNotificationPreferences(userId: string) {
  return useQuery({
    queryKey: notificationKeys.preferences(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/notifications/preferences", { signal })),
  });
}

/** PUT /notifications/preferences; the answer is the stored preferences, written to the cache. */
export function useUpdateNotificationPreferences(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: PreferencesChange) =>
      unwrap(api.PUT("/api/v1/notifications/preferences", { body: change })),
    onSuccess: (preferences) =>
      client.setQueryData(notificationKeys.preferences(userId), preferences),
  });
}
