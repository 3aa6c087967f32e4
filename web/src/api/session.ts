import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components } from "./schema";

export type User = components["schemas"]["User"];

/** Query keys of the signed-in person: everything under ["session"] ends with the session. */
export const sessionKeys = {
  all: ["session"] as const,
  me: () => [...sessionKeys.all, "me"] as const,
};

/** GET /users/me: profile, memberships with their permission keys, platform permissions. */
export const meQuery = () =>
  queryOptions({
    queryKey: sessionKeys.me(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/users/me", { signal })),
    staleTime: 60_000,
    retry: false,
  });

export function useMe() {
  return useQuery(meQuery());
}

export type Me = NonNullable<ReturnType<typeof useMe>["data"]>;

/** Every permission key the person holds, in any organization or platform-wide. */
export function permissionsOf(me: Me): Set<string> {
  return new Set([...me.platformPermissions, ...me.memberships.flatMap((m) => m.permissions)]);
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      unwrap(api.POST("/api/v1/auth/login", { body: { ...body, mode: "cookie" } })),
    onSuccess: async () => {
      client.removeQueries();
      await client.invalidateQueries({ queryKey: sessionKeys.all });
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/logout")),
    // Whatever the answer, nothing of the session stays in the browser's caches.
    onSettled: () => client.clear(),
  });
}

export function useRegister() {
  return useMutation({
    mutationFn: (body: {
      email: string;
      password: string;
      firstName: string;
      lastName: string;
      timezone?: string;
      preferredLanguage?: string;
    }) => unwrap(api.POST("/api/v1/auth/register", { body })),
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: (email: string) =>
      unwrap(api.POST("/api/v1/auth/resend-verification", { body: { email } })),
  });
}

export function useVerifyEmail() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      unwrap(api.POST("/api/v1/auth/verify-email", { body: { token } })),
    // A confirmed email change alters the signed-in profile, when there is one.
    onSuccess: () => client.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

export function useForgotPassword() {
  return useMutation({
    mutationFn: (email: string) =>
      unwrap(api.POST("/api/v1/auth/forgot-password", { body: { email } })),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      unwrap(api.POST("/api/v1/auth/reset-password", { body })),
  });
}

export function useUpdateLanguage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (preferredLanguage: string) =>
      unwrap(api.PATCH("/api/v1/users/me", { body: { preferredLanguage } })),
    onSuccess: async (me) => {
      client.setQueryData(sessionKeys.me(), me);
    },
  });
}
