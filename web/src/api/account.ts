import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, csrfToken, unwrap } from "./client";
import { ApiError, NETWORK_ERROR, toApiError } from "./errors";
import type { components, paths } from "./schema";
import { type Me, sessionKeys } from "./session";

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

/**
 * POST /users/me/avatar through XMLHttpRequest, which reports upload progress (fetch does
 * not); same CSRF header and error envelope as the API client.
 */
export function uploadAvatar(
  file: File,
  onProgress: (percent: number) => void,
  signal?: AbortSignal,
): Promise<Me["user"]> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/users/me/avatar");
    xhr.withCredentials = true;
    const token = csrfToken();
    if (token) xhr.setRequestHeader("x-csrf-token", token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      const response = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { "x-request-id": xhr.getResponseHeader("x-request-id") ?? "" },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        response.json().then(
          (body: { data: { user: Me["user"] } }) => resolve(body.data.user),
          () => reject(new ApiError(0, "UNEXPECTED_RESPONSE", "The server sent no data")),
        );
      } else {
        toApiError(response).then(reject, reject);
      }
    };
    xhr.onerror = () =>
      reject(new ApiError(0, NETWORK_ERROR, "The server could not be reached", null, null));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

/**
 * The upload, tried once more after an expired access token: a call through the API client
 * refreshes the session (or, when it cannot, runs the app's sign-out) before the retry.
 */
async function uploadWithRefresh(file: File, onProgress: (percent: number) => void) {
  try {
    return await uploadAvatar(file, onProgress);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    await unwrap(api.GET("/api/v1/auth/sessions"));
    return uploadAvatar(file, onProgress);
  }
}

export function useUploadAvatar(onProgress: (percent: number) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadWithRefresh(file, onProgress),
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
