import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";
import { sessionKeys } from "./session";

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
export function usePendingInvites(userId: string, orgId: string) {
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

export type RoleAssignment = components["schemas"]["RoleAssignment"];
export type Department = components["schemas"]["Department"];

export const memberKeys = {
  member: (userId: string, orgId: string, memberId: string) =>
    [...peopleKeys.org(userId, orgId), "member", memberId] as const,
  assignments: (userId: string, orgId: string, memberId: string) =>
    [...memberKeys.member(userId, orgId, memberId), "assignments"] as const,
  departments: (userId: string, orgId: string) =>
    [...peopleKeys.org(userId, orgId), "departments"] as const,
};

/**
 * One member (GET /organizations/{id}/members/{userId}); nothing is read while `memberId` is
 * null.
 */
export function useMember(userId: string, orgId: string, memberId: string | null) {
  return useQuery({
    queryKey: memberKeys.member(userId, orgId, memberId ?? ""),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/members/{userId}", {
          params: { path: { organizationId: orgId, userId: memberId ?? "" } },
          signal,
        }),
      ),
    enabled: Boolean(memberId),
  });
}

/** The roles a member holds in the organization, with their reach and expiry. */
export function useMemberAssignments(userId: string, orgId: string, memberId: string) {
  return useQuery({
    queryKey: memberKeys.assignments(userId, orgId, memberId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/role-assignments", {
          params: { path: { organizationId: orgId }, query: { userId: memberId, limit: 100 } },
          signal,
        }),
      ),
  });
}

/** The organization's departments, for choosing a member's. */
export function useDepartments(userId: string, orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: memberKeys.departments(userId, orgId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/departments", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
    enabled,
    staleTime: 60_000,
  });
}

export interface MemberChange {
  departmentId?: string | null;
  title?: string | null;
  employeeId?: string | null;
  status?: MemberStatus;
}

/** Changes a member's department, title, employee id or status; the lists refresh after. */
export function useUpdateMember(userId: string, orgId: string, memberId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: MemberChange) =>
      unwrap(
        api.PATCH("/api/v1/organizations/{organizationId}/members/{userId}", {
          params: { path: { organizationId: orgId, userId: memberId } },
          body: change,
        }),
      ),
    onSuccess: (member) => {
      queryClient.setQueryData(memberKeys.member(userId, orgId, memberId), member);
      // The lists show members' departments, and departments count their members; a change
      // to oneself (suspension) changes what one may do.
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...peopleKeys.org(userId, orgId), "members"] }),
        queryClient.invalidateQueries({ queryKey: memberKeys.departments(userId, orgId) }),
        memberId === userId && queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
      ]);
    },
  });
}

/** Gives a member a role (optionally for one department) or takes one away. */
export function useAssignmentAction(userId: string, orgId: string, memberId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (
      input:
        | { kind: "give"; roleKey: string; departmentId: string | null }
        | { kind: "take"; assignmentId: string },
    ) => {
      if (input.kind === "give")
        await unwrap(
          api.POST("/api/v1/organizations/{organizationId}/role-assignments", {
            params: { path: { organizationId: orgId } },
            body: { userId: memberId, roleKey: input.roleKey, departmentId: input.departmentId },
          }),
        );
      else
        await unwrap(
          api.DELETE("/api/v1/organizations/{organizationId}/role-assignments/{assignmentId}", {
            params: { path: { organizationId: orgId, assignmentId: input.assignmentId } },
          }),
        );
      return input.kind;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: memberKeys.member(userId, orgId, memberId) }),
        queryClient.invalidateQueries({ queryKey: [...peopleKeys.org(userId, orgId), "members"] }),
        // One's own roles are what the pages show and hide.
        memberId === userId && queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
      ]),
  });
}

export type Team = components["schemas"]["Team"];

export const structureKeys = {
  teams: (userId: string, orgId: string) => [...peopleKeys.org(userId, orgId), "teams"] as const,
};

/** The organization's teams the person may see (managers: the teams they lead). */
export function useTeams(userId: string, orgId: string) {
  return useQuery({
    queryKey: structureKeys.teams(userId, orgId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/teams", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

export type StructureChange =
  | { kind: "create-department"; name: string; code: string | null; parentId: string | null }
  | { kind: "rename-department"; departmentId: string; name: string; code: string | null }
  | { kind: "delete-department"; departmentId: string }
  | { kind: "create-team"; name: string; departmentId: string | null }
  | { kind: "delete-team"; teamId: string };

/** Creates, renames or deletes departments and teams; both lists refresh after any change. */
export function useStructureChange(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: StructureChange) => {
      const organizationId = orgId;
      switch (change.kind) {
        case "create-department":
          await unwrap(
            api.POST("/api/v1/organizations/{organizationId}/departments", {
              params: { path: { organizationId } },
              body: { name: change.name, code: change.code, parentId: change.parentId },
            }),
          );
          break;
        case "rename-department":
          await unwrap(
            api.PATCH("/api/v1/organizations/{organizationId}/departments/{departmentId}", {
              params: { path: { organizationId, departmentId: change.departmentId } },
              body: { name: change.name, code: change.code },
            }),
          );
          break;
        case "delete-department":
          await unwrap(
            api.DELETE("/api/v1/organizations/{organizationId}/departments/{departmentId}", {
              params: { path: { organizationId, departmentId: change.departmentId } },
            }),
          );
          break;
        case "create-team":
          await unwrap(
            api.POST("/api/v1/organizations/{organizationId}/teams", {
              params: { path: { organizationId } },
              body: { name: change.name, departmentId: change.departmentId },
            }),
          );
          break;
        case "delete-team":
          await unwrap(
            api.DELETE("/api/v1/organizations/{organizationId}/teams/{teamId}", {
              params: { path: { organizationId, teamId: change.teamId } },
            }),
          );
          break;
      }
      return change.kind;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: memberKeys.departments(userId, orgId) }),
        queryClient.invalidateQueries({ queryKey: structureKeys.teams(userId, orgId) }),
        queryClient.invalidateQueries({ queryKey: [...peopleKeys.org(userId, orgId), "members"] }),
      ]),
  });
}

/** Puts a member in a team (as member or lead) or takes them out; the member and teams refresh. */
export function useTeamMembership(userId: string, orgId: string, memberId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (
      input:
        | { kind: "add"; teamId: string; role: "member" | "lead" }
        | { kind: "remove"; teamId: string },
    ) => {
      const path = { organizationId: orgId, teamId: input.teamId, userId: memberId };
      if (input.kind === "add")
        await unwrap(
          api.PUT("/api/v1/organizations/{organizationId}/teams/{teamId}/members/{userId}", {
            params: { path },
            body: { role: input.role },
          }),
        );
      else
        await unwrap(
          api.DELETE("/api/v1/organizations/{organizationId}/teams/{teamId}/members/{userId}", {
            params: { path },
          }),
        );
      return input.kind;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: memberKeys.member(userId, orgId, memberId) }),
        queryClient.invalidateQueries({ queryKey: structureKeys.teams(userId, orgId) }),
        queryClient.invalidateQueries({ queryKey: [...peopleKeys.org(userId, orgId), "members"] }),
        // Leading a team changes what one may see.
        memberId === userId && queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
      ]),
  });
}
