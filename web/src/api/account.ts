import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components, paths } from "./schema";
import { type Me, sessionKeys } from "./session";
import { uploadFile } from "./upload";

export type Session = components["schemas"]["Session"];
export type ProfilePatch = NonNullable<
  paths["/api/v1/users/me"]["patch"]["requestBody"]
>["content"]["application/json"];

/** Query keys of the signed-in person's account, rooted at the person. */
export const accountKeys = {
  all: (userId: string) => ["account", userId] as const,
  sessions: (userId: string) => [...accountKeys.all(userId), "sessions"] as const,
};

/**
 * PATCH /users/me with only the fields that changed; the answer is the new profile, written
 * into the cache every page reads it from (header, format.ts's time zone).
 */
export function useUpdateProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProfilePatch) => unwrap(api.PATCH("/api/v1/users/me", { body: patch })),
    onSuccess: (me) => {
      client.setQueryData(sessionKeys.me(), me);
    },
  });
}

/** Writes a changed user (avatar answers carry only the user) into the cached profile. */
function patchCachedUser(client: ReturnType<typeof useQueryClient>, user: Me["user"]) {
  client.setQueryData<Me>(sessionKeys.me(), (me) => (me ? { ...me, user } : me));
}

export function useUploadAvatar(onProgress: (percent: number) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) =>
      (await uploadFile<{ user: Me["user"] }>("/api/v1/users/me/avatar", file, onProgress)).user,
    onSuccess: (user) => patchCachedUser(client, user),
  });
}

export function useRemoveAvatar() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => (await unwrap(api.DELETE("/api/v1/users/me/avatar"))).user,
    onSuccess: (user) => patchCachedUser(client, user),
  });
}

/** POST /auth/change-password: other sessions are signed out, so their list is stale. */
export function useChangePassword(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      unwrap(api.POST("/api/v1/auth/change-password", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.sessions(userId) }),
  });
}

/** GET /auth/sessions: the person's open sessions, most recently used first. */
export function useSessions(userId: string) {
  return useQuery({
    queryKey: accountKeys.sessions(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/auth/sessions", { signal })),
  });
}

export function useRevokeSession(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) =>
      unwrap(api.DELETE("/api/v1/auth/sessions/{sessionId}", { params: { path: { sessionId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.sessions(userId) }),
  });
}

/** DELETE /auth/sessions: signs out every session but this one. */
export function useRevokeOtherSessions(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/auth/sessions")),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.sessions(userId) }),
  });
}
