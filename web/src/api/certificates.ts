import { queryOptions, useMutation, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { blobOf, saveFile } from "./files";
import type { components } from "./schema";

export type CertificateVerification = components["schemas"]["CertificateVerification"];
export type Certificate = components["schemas"]["Certificate"];

/**
 * Query keys of certificates. A verification is public, so it is rooted at the number; a
 * person's own certificates at the person.
 */
export const certificateKeys = {
  all: () => ["certificates"] as const,
  verification: (number: string) =>
    [...certificateKeys.all(), "verification", number.toUpperCase()] as const,
  mine: (userId: string) => [...certificateKeys.all(), "user", userId] as const,
  one: (userId: string, certificateId: string) =>
    [...certificateKeys.mine(userId), certificateId] as const,
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

/** The signed-in person's certificates, newest first (GET /certificates/mine). */
export const myCertificatesQuery = (userId: string) =>
  queryOptions({
    queryKey: certificateKeys.mine(userId),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/certificates/mine", { signal })),
  });

export function useMyCertificates(userId: string) {
  return useQuery(myCertificatesQuery(userId));
}

/** One certificate with its verification, PDF and LinkedIn links (GET /certificates/{id}). */
export function useCertificate(userId: string, certificateId: string) {
  return useQuery({
    queryKey: certificateKeys.one(userId, certificateId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/certificates/{certificateId}", {
          params: { path: { certificateId } },
          signal,
        }),
      ),
  });
}

/**
 * Downloads a certificate's PDF (GET /certificates/{id}/pdf) through the API client, so an
 * expired access cookie is refreshed first, and saves it as `<number>.pdf`.
 */
export function useDownloadCertificatePdf() {
  return useMutation({
    mutationFn: async (certificate: Pick<Certificate, "id" | "number">) => {
      const { data } = await api.GET("/api/v1/certificates/{certificateId}/pdf", {
        params: { path: { certificateId: certificate.id } },
        parseAs: "blob",
      });
      saveFile(blobOf(data), `${certificate.number}.pdf`);
    },
  });
}

/** Downloads the person's transcript as CSV (GET /users/me/transcript?format=csv). */
export function useDownloadTranscript() {
  return useMutation({
    mutationFn: async () => {
      const { data } = await api.GET("/api/v1/users/me/transcript", {
        params: { query: { format: "csv" } },
        parseAs: "blob",
      });
      saveFile(blobOf(data), "transcript.csv");
    },
  });
}
