import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { peopleKeys } from "./people";
import type { components } from "./schema";
import { sessionKeys } from "./session";

export type Role = components["schemas"]["Role"];

/** Query keys of an organization's roles (the list lives with the people's keys). */
export const roleKeys = {
  role: (userId: string, orgId: string, roleId: string) =>
    [...peopleKeys.roles(userId, orgId), roleId] as const,
  catalog: () => ["permission-catalog"] as const,
};

/** The permission catalog (GET /permissions): the same for everyone, kept for the session. */
export function usePermissionCatalog() {
  return useQuery({
    queryKey: roleKeys.catalog(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/permissions", { signal })),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** One role with its permission keys. */
export function useRole(userId: string, orgId: string, roleId: string) {
  return useQuery({
    queryKey: roleKeys.role(userId, orgId, roleId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/roles/{roleId}", {
          params: { path: { organizationId: orgId, roleId } },
          signal,
        }),
      ),
  });
}

export type RoleChange =
  | { kind: "create"; key: string; name: string; description: string | null }
  | { kind: "describe"; name: string; description: string | null }
  | { kind: "permissions"; permissions: string[] }
  | { kind: "reset" }
  | { kind: "delete" };

/**
 * Creates a role, or renames, re-permissions, resets or deletes one (`roleId` for all but
 * create). The role and the list refresh; one's own permissions may have changed too.
 */
export function useRoleChange(userId: string, orgId: string, roleId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: RoleChange): Promise<Role | null> => {
      const organizationId = orgId;
      if (change.kind === "create")
        return unwrap(
          api.POST("/api/v1/organizations/{organizationId}/roles", {
            params: { path: { organizationId } },
            body: {
              key: change.key,
              name: change.name,
              description: change.description,
              permissions: [],
            },
          }),
        );
      if (!roleId) throw new Error("a role to change");
      const path = { organizationId, roleId };
      switch (change.kind) {
        case "describe":
          return unwrap(
            api.PATCH("/api/v1/organizations/{organizationId}/roles/{roleId}", {
              params: { path },
              body: { name: change.name, description: change.description },
            }),
          );
        case "permissions":
          return unwrap(
            api.PUT("/api/v1/organizations/{organizationId}/roles/{roleId}/permissions", {
              params: { path },
              body: { permissions: change.permissions },
            }),
          );
        case "reset":
          return unwrap(
            api.POST("/api/v1/organizations/{organizationId}/roles/{roleId}/reset", {
              params: { path },
            }),
          );
        case "delete":
          await unwrap(
            api.DELETE("/api/v1/organizations/{organizationId}/roles/{roleId}", {
              params: { path },
            }),
          );
          return null;
      }
    },
    onSuccess: (role) => {
      if (role) queryClient.setQueryData(roleKeys.role(userId, orgId, role.id), role);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: peopleKeys.roles(userId, orgId), exact: true }),
        // Whoever holds the role, oneself included, may now do more or less.
        queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
      ]);
    },
  });
}
