import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapList } from "./client";
import type { components } from "./schema";

export type EvidencePack = components["schemas"]["ComplianceEvidencePack"];
export type EvidenceRequirement = components["schemas"]["ComplianceRequirement"];

export const evidenceKeys = {
  requirements: (orgId: string) => ["compliance-evidence", orgId, "requirements"] as const,
  packs: (orgId: string) => ["compliance-evidence", orgId, "packs"] as const,
};

/** The organization's compliance requirements, to pick one for a pack. */
export function useEvidenceRequirements(orgId: string) {
  return useQuery({
    queryKey: evidenceKeys.requirements(orgId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/organizations/{organizationId}/compliance/requirements", {
          params: { path: { organizationId: orgId } },
          signal,
        }),
      ),
  });
}

const working = (pack: EvidencePack) =>
  pack.status === "queued" || pack.status === "processing" || pack.status === "pending";

/** The organization's evidence packs, newest first; polled while one is being made. */
export function useEvidencePacks(orgId: string) {
  return useQuery({
    queryKey: evidenceKeys.packs(orgId),
    queryFn: ({ signal }) =>
      unwrapList(
        api.GET("/api/v1/organizations/{organizationId}/compliance/evidence-packs", {
          params: { path: { organizationId: orgId }, query: { page: 1, limit: 20 } },
          signal,
        }),
      ),
    refetchInterval: (query) => (query.state.data?.items.some(working) ? 2000 : false),
  });
}

/** Queues a pack for a requirement and period (YYYY-MM-DD, both included). */
export function useRequestEvidencePack(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { requirementId: string; from: string; to: string }) =>
      unwrap(
        api.POST(
          "/api/v1/organizations/{organizationId}/compliance/requirements/{requirementId}/evidence-packs",
          {
            params: { path: { organizationId: orgId, requirementId: input.requirementId } },
            body: { from: input.from, to: input.to },
          },
        ),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: evidenceKeys.packs(orgId) }),
  });
}

/** Where a ready pack downloads from (the session cookie authorizes it; each download is audited). */
export const evidencePackFileUrl = (orgId: string, packId: string) =>
  `/api/v1/organizations/${orgId}/compliance/evidence-packs/${packId}/file`;
