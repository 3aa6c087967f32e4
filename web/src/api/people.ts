import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

export type Member = components["schemas"]["Member"];
export type Invite = components["schemas"]["Invite"];
export type MemberStatus = Member["status"];

export const MEMBERS_PAGE_SIZE = 25;
/** Pending invitations shown at once (an organization rarely has more waiting). */
export const INVITES_LIMIT = 100;

export interface MemberFilters {
  page: number;
  search: string;
  status: MemberStatus | null;
}

/** Query keys of an organization's people, rooted at the person looking. */
export const peopleKeys = {
  org: (userId: string, orgId: string) => ["people", userId, orgId] as const,
  members: (userId: string, orgId: string, filters: MemberFilters) =>
    [...peopleKeys.org(userId, orgId), "members", filters] as const,
  invites: (userId: string, orgId: string) =>
    [...peopleKeys.org(userId, orgId), "invites"] as const,
  roles: (userId: string, orgId: string) => [...peopleKeys.org(userId, orgId), "roles"] as const,
};

/** The members the person may see (GET /organizations/{id}/members), by last name. */
export function useMembers(userId: string, orgId: string, filters: MemberFilters) {
  return useQuery({
    queryKey: peopleKeys.members(userId, orgId, filters),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/members", {
          params: {
            path: { organizationId: orgId },
            query: {
              page: filters.page,
              limit: MEMBERS_PAGE_SIZE,
              sort: "lastName",
              ...(filters.search ? { search: filters.search } : {}),
              ...(filters.status ? { status: filters.status } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Invitations still waiting for an answer (GET /organizations/{id}/invites?status=pending). */
export function usePendingInvites(userId: string, orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: peopleKeys.invites(userId, orgId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/invites", {
          params: {
            path: { organizationId: orgId },
            query: { status: "pending", limit: INVITES_LIMIT, page: 1 },
          },
          signal,
        }),
      ),
    enabled,
  });
}

/** The organization's roles, for the role an invitation gives. */
export function useRoles(userId: string, orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: peopleKeys.roles(userId, orgId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/roles", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export interface InviteInput {
  email: string;
  roleKey: string;
  message: string | null;
}

/** Mails an invitation; settles once the pending list is fresh. */
export function useInvite(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InviteInput) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/invites", {
          params: { path: { organizationId: orgId } },
          body: input,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.invites(userId, orgId) }),
  });
}

/** Revokes an invitation (its link stops working) or mails it again with a new link. */
export function useInviteAction(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ inviteId, action }: { inviteId: string; action: "revoke" | "resend" }) => {
      const path = { organizationId: orgId, inviteId };
      if (action === "revoke")
        await unwrap(
          api.DELETE("/api/v1/organizations/{organizationId}/invites/{inviteId}", {
            params: { path },
          }),
        );
      else
        await unwrap(
          api.POST("/api/v1/organizations/{organizationId}/invites/{inviteId}/resend", {
            params: { path },
            body: {},
          }),
        );
      return action;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.invites(userId, orgId) }),
  });
}

export type InviteBatchOutcome = components["schemas"]["InviteBatchOutcome"];

/** Mails many invitations (a CSV's rows): each row's outcome, in order. */
export function useInviteBatch(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invites: InviteInput[]) =>
      unwrap(
        api.POST("/api/v1/organizations/{organizationId}/invites/batch", {
          params: { path: { organizationId: orgId } },
          body: { invites: invites.map((i) => ({ ...i, message: i.message || null })) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.invites(userId, orgId) }),
  });
}
