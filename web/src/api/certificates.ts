import { queryOptions, useMutation, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import { ApiError } from "./errors";
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

/** Hands a fetched file to the browser as a download under `filename`. */
function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the bytes once click() returns; give the browser a moment anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function blobOf(data: Blob | undefined): Blob {
  if (!data) throw new ApiError(0, "UNEXPECTED_RESPONSE", "The server sent no file", null, null);
  return data;
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
