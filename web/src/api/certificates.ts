import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { components } from "./schema";

export type CertificateVerification = components["schemas"]["CertificateVerification"];

/** Query keys of certificates; a verification is public, so it is rooted at the number. */
export const certificateKeys = {
  all: () => ["certificates"] as const,
  verification: (number: string) =>
    [...certificateKeys.all(), "verification", number.toUpperCase()] as const,
};

/** A certificate's public verification (GET /certificates/{number}/verify), no sign-in needed. */
export function useCertificateVerification(number: string) {
  return useQuery({
    queryKey: certificateKeys.verification(number),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/certificates/{number}/verify", {
          params: { path: { number } },
          signal,
        }),
      ),
    // An unknown number stays unknown: no retries of a 404.
    retry: false,
  });
}
