import { api, csrfToken, unwrap } from "./client";
import { ApiError, NETWORK_ERROR, toApiError } from "./errors";

/**
 * Sends one file as multipart/form-data (a `file` part) through XMLHttpRequest, which reports
 * upload progress (fetch does not), with the API client's CSRF header and error envelope.
 * Resolves with the envelope's `data`.
 */
function sendFile<T>(
  url: string,
  file: File,
  onProgress: (percent: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    const token = csrfToken();
    if (token) xhr.setRequestHeader("x-csrf-token", token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      const response = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { "x-request-id": xhr.getResponseHeader("x-request-id") ?? "" },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        response.json().then(
          (body: { data: T }) => resolve(body.data),
          () => reject(new ApiError(0, "UNEXPECTED_RESPONSE", "The server sent no data")),
        );
      } else {
        toApiError(response).then(reject, reject);
      }
    };
    xhr.onerror = () =>
      reject(new ApiError(0, NETWORK_ERROR, "The server could not be reached", null, null));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

/**
 * An upload, tried once more after an expired access token: a call through the API client
 * refreshes the session (or, when it cannot, runs the app's sign-out) before the retry.
 */
export async function uploadFile<T>(
  url: string,
  file: File,
  onProgress: (percent: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await sendFile<T>(url, file, onProgress, signal);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    await unwrap(api.GET("/api/v1/auth/sessions"));
    return sendFile<T>(url, file, onProgress, signal);
  }
}
