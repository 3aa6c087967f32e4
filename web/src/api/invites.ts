import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, csrfToken, unwrap } from "./client";
import type { paths } from "./schema";
import { sessionKeys } from "./session";

export type InviteLookup = NonNullable<
  paths["/api/v1/invites/lookup"]["get"]["responses"]["200"]["content"]["application/json"]
>["data"];

/** Query keys of invitation links, rooted at the token (no person or organization yet). */
export const inviteKeys = {
  all: ["invites"] as const,
  lookup: (token: string) => [...inviteKeys.all, "lookup", token] as const,
};

/** Whether this browser holds a session (the readable CSRF cookie comes and goes with it). */
export function hasSession(): boolean {
  return csrfToken() !== null;
}

/**
 * GET /users/me on a page open to everyone: asked only when the browser holds a session, so
 * a visitor without one is not sent to sign in.
 */
export function useOptionalMe() {
  return useQuery({
    queryKey: sessionKeys.me(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/users/me", { signal })),
    enabled: hasSession(),
    staleTime: 60_000,
    retry: false,
  });
}

/** GET /invites/lookup: the organization, who invited, the address, the status. */
export function useInviteLookup(token: string) {
  return useQuery({
    queryKey: inviteKeys.lookup(token),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/invites/lookup", { params: { query: { token } }, signal })),
  });
}

/**
 * POST /invites/accept as the signed-in person. Joining an organization changes what the
 * person may see almost everywhere (/users/me's memberships and permissions, the catalog's
 * organization courses, the navigation), so every cached query is refreshed.
 */
export function useAcceptInvite(token: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/invites/accept", { body: { token } })),
    onSuccess: () => client.invalidateQueries(),
  });
}

/** POST /invites/accept-new: creates the (already verified) account and joins in one step. */
export function useAcceptInviteAsNew(token: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { firstName: string; lastName: string; password: string }) =>
      unwrap(api.POST("/api/v1/invites/accept-new", { body: { token, ...body } })),
    onSuccess: () => client.invalidateQueries({ queryKey: inviteKeys.lookup(token) }),
  });
}

/**
 * POST /invites/decline: the invitation becomes `declined` (the inviter is told; the link
 * can no longer be accepted). Awaits the lookup's refresh, which then says so.
 */
export function useDeclineInvite(token: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/invites/decline", { body: { token } })),
    onSuccess: () => client.invalidateQueries({ queryKey: inviteKeys.lookup(token) }),
  });
}
