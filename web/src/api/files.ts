import { ApiError } from "./errors";

/**
 * Files fetched through the API client (so an expired access cookie is refreshed first) and
 * handed to the browser as downloads: certificates, transcripts, rosters.
 */

/** Hands a fetched file to the browser as a download under `filename`. */
export function saveFile(blob: Blob, filename: string): void {
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

/** The file of a `parseAs: "blob"` answer; an answer without one is a broken response. */
export function blobOf(data: Blob | undefined): Blob {
  if (!data) throw new ApiError(0, "UNEXPECTED_RESPONSE", "The server sent no file", null, null);
  return data;
}
