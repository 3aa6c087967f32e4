import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { type OwnerProof, securityKeys } from "./security";
import { sessionKeys } from "./session";

/** Query keys of the signed-in person's security keys. */
export const webauthnKeys = {
  list: () => [...sessionKeys.all, "webauthn-credentials"] as const,
};

export type SecurityKey = Awaited<ReturnType<typeof fetchKeys>>[number];

function fetchKeys(signal?: AbortSignal) {
  return unwrap(api.GET("/api/v1/auth/webauthn/credentials", { signal }));
}

/** GET /auth/webauthn/credentials: my security keys. */
export function useSecurityKeys() {
  return useQuery({ queryKey: webauthnKeys.list(), queryFn: ({ signal }) => fetchKeys(signal) });
}

/** Options from the server (after the password), the browser's prompt, then the answer with the key's name. */
export function useAddSecurityKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ name, password }: { name: string; password: string }) => {
      const options = await unwrap(
        api.POST("/api/v1/auth/webauthn/registration-options", { body: { password } }),
      );
      const response = await startRegistration({
        optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
      });
      const body = {
        name,
        response: { ...response, clientExtensionResults: { ...response.clientExtensionResults } },
      };
      return unwrap(api.POST("/api/v1/auth/webauthn/credentials", { body }));
    },
    // Pages refused with MFA_ENROLLMENT_REQUIRED may load now.
    onSuccess: () => client.invalidateQueries(),
  });
}

export function useRemoveSecurityKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, proof }: { id: string; proof: OwnerProof }) =>
      unwrap(
        api.POST("/api/v1/auth/webauthn/credentials/{credentialId}/remove", {
          params: { path: { credentialId: id } },
          body: proof,
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: webauthnKeys.list() });
      await client.invalidateQueries({ queryKey: securityKeys.mfa() });
    },
  });
}

/** The second sign-in step with a security key: options, the browser's prompt, the answer. */
export function useSignInWithKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (challengeToken: string) => {
      const options = await unwrap(
        api.POST("/api/v1/auth/login/mfa/webauthn-options", { body: { challengeToken } }),
      );
      const answer = await startAuthentication({
        optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
      });
      const webauthn = { ...answer, clientExtensionResults: { ...answer.clientExtensionResults } };
      return unwrap(api.POST("/api/v1/auth/login/mfa", { body: { challengeToken, webauthn } }));
    },
    onSuccess: async () => {
      client.removeQueries();
      await client.invalidateQueries({ queryKey: sessionKeys.all });
    },
  });
}
