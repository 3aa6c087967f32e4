import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { sessionKeys } from "./session";

/** Query keys of two-step sign-in and organization security settings. */
export const securityKeys = {
  mfa: () => [...sessionKeys.all, "mfa"] as const,
  settings: (userId: string, orgId: string) =>
    ["organization", userId, orgId, "security-settings"] as const,
};

/** GET /auth/mfa: whether two-step sign-in is on, and recovery codes left. */
export function useMfaStatus() {
  return useQuery({
    queryKey: securityKeys.mfa(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/auth/mfa", { signal })),
  });
}

export function useStartMfa() {
  return useMutation({
    mutationFn: (password: string) =>
      unwrap(api.POST("/api/v1/auth/mfa/enroll", { body: { password } })),
  });
}

export function useConfirmMfa() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST("/api/v1/auth/mfa/confirm", { body: { code } })),
    // Pages refused with MFA_ENROLLMENT_REQUIRED may load now.
    onSuccess: () => client.invalidateQueries(),
  });
}

export type OwnerProof = { password: string } | { code: string };

export function useRegenerateRecoveryCodes() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (proof: OwnerProof) =>
      unwrap(api.POST("/api/v1/auth/mfa/recovery-codes", { body: proof })),
    onSuccess: () => client.invalidateQueries({ queryKey: securityKeys.mfa() }),
  });
}

export function useDisableMfa() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (proof: OwnerProof) =>
      unwrap(api.POST("/api/v1/auth/mfa/disable", { body: proof })),
    onSuccess: () => client.invalidateQueries({ queryKey: securityKeys.mfa() }),
  });
}

/** POST /auth/login/mfa: the code step of signing in (cookie mode, as the password step). */
export function useCompleteSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { challengeToken: string; code?: string; recoveryCode?: string }) =>
      unwrap(api.POST("/api/v1/auth/login/mfa", { body })),
    onSuccess: async () => {
      client.removeQueries();
      await client.invalidateQueries({ queryKey: sessionKeys.all });
    },
  });
}

export type SecuritySettings = Awaited<ReturnType<typeof fetchSettings>>;

function fetchSettings(orgId: string, signal?: AbortSignal) {
  return unwrap(
    api.GET("/api/v1/organizations/{organizationId}/security-settings", {
      params: { path: { organizationId: orgId } },
      signal,
    }),
  );
}

/** An organization's security settings. */
export function useSecuritySettings(userId: string, orgId: string) {
  return useQuery({
    queryKey: securityKeys.settings(userId, orgId),
    queryFn: ({ signal }) => fetchSettings(orgId, signal),
  });
}

export function useSaveSecuritySettings(userId: string, orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SecuritySettings) =>
      unwrap(
        api.PUT("/api/v1/organizations/{organizationId}/security-settings", {
          params: { path: { organizationId: orgId } },
          body,
        }),
      ),
    onSuccess: (saved) => client.setQueryData(securityKeys.settings(userId, orgId), saved),
  });
}
