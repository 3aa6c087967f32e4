import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

export type ApiKey = components["schemas"]["ApiKey"];
export type AccessLevel = ApiKey["accessLevel"];

export const apiKeyKeys = {
  list: (userId: string, orgId: string) => ["api-keys", userId, orgId] as const,
};

/** The organization's API keys with this hour's and today's usage (up to 100). */
export function useApiKeys(userId: string, orgId: string) {
  return useQuery({
    queryKey: apiKeyKeys.list(userId, orgId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/api-keys", {
          params: { path: { organizationId: orgId }, query: { limit: 100, page: 1 } },
          signal,
        }),
      ),
  });
}

export interface NewApiKey {
  name: string;
  description: string | null;
  accessLevel: AccessLevel;
  scopes: string[];
  rateLimitPerHour: number;
  rateLimitPerDay: number;
  allowedIps: string[];
  expiresAt: string | null;
}

export type ApiKeyChange =
  | { kind: "create"; input: NewApiKey }
  | { kind: "pause" | "resume" | "rotate" | "revoke"; apiKeyId: string };

/**
 * Creates, pauses, resumes, rotates or revokes a key. Creating and rotating answer the full
 * key (`secret`), which the server shows only this once.
 */
export function useApiKeyChange(userId: string, orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: ApiKeyChange): Promise<{ key: ApiKey; secret?: string }> => {
      const organizationId = orgId;
      if (change.kind === "create")
        return unwrap(
          api.POST("/api/v1/organizations/{organizationId}/api-keys", {
            params: { path: { organizationId } },
            body: change.input,
          }),
        );
      const path = { organizationId, apiKeyId: change.apiKeyId };
      if (change.kind === "rotate")
        return unwrap(
          api.POST("/api/v1/organizations/{organizationId}/api-keys/{apiKeyId}/rotate", {
            params: { path },
          }),
        );
      if (change.kind === "revoke")
        return {
          key: await unwrap(
            api.POST("/api/v1/organizations/{organizationId}/api-keys/{apiKeyId}/revoke", {
              params: { path },
            }),
          ),
        };
      return {
        key: await unwrap(
          api.PATCH("/api/v1/organizations/{organizationId}/api-keys/{apiKeyId}", {
            params: { path },
            body: { isActive: change.kind === "resume" },
          }),
        ),
      };
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.list(userId, orgId) }),
  });
}
