import createClient, { type Middleware } from "openapi-fetch";
import { ApiError, NETWORK_ERROR, toApiError } from "./errors";
import type { paths } from "./schema";

/**
 * The one API client. Same origin, cookie session: the server set httpOnly session cookies
 * at sign-in and a readable `lyceum_csrf` cookie whose value goes out as X-CSRF-Token on
 * unsafe methods. No token is kept in script-readable storage.
 *
 * - a failed answer throws ApiError (status, code, message, field, requestId);
 * - a 401 is tried once more after one shared POST /auth/refresh; when that fails too, the
 *   session-expired handler (the app's sign-out: clear caches, go to sign-in with a return
 *   URL) runs once and the call throws.
 */
const CSRF_COOKIE = "lyceum_csrf";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Calls whose 401 means wrong credentials or no session, never an expired one. */
const NO_REFRESH = ["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"];

export function csrfToken(): string | null {
  for (const part of document.cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}

let onSessionExpired: () => void = () => {};
/** The app's sign-out for a session that cannot be refreshed (set once by the shell). */
export function setSessionExpiredHandler(handler: () => void): void {
  onSessionExpired = handler;
}

let refreshing: Promise<boolean> | null = null;
/** One POST /auth/refresh at a time, shared by every call that met a 401. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = csrfToken();
    if (!token) return false;
    try {
      const response = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": token },
        body: "{}",
        credentials: "same-origin",
      });
      return response.ok;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function withCsrf(request: Request): Request {
  if (!UNSAFE.has(request.method)) return request;
  const token = csrfToken();
  if (token) request.headers.set("x-csrf-token", token);
  return request;
}

async function send(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch {
    throw new ApiError(0, NETWORK_ERROR, "The server could not be reached", null, null);
  }
}

/** fetch with the session's CSRF token, and one refresh-and-retry on a 401. */
async function sessionFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const response = await send(withCsrf(input));
  if (response.status !== 401) return response;
  const path = new URL(input.url).pathname;
  if (NO_REFRESH.includes(path)) return response;
  // A wrong password re-entered in a signed-in form (change password) is not an expired session.
  if ((await toApiError(response)).code === "INVALID_CREDENTIALS") return response;
  if (await refreshSession()) {
    const again = await send(withCsrf(retry));
    if (again.status !== 401) return again;
  }
  onSessionExpired();
  return response;
}

/**
 * What an organization's security settings ask of the person (MFA_ENROLLMENT_REQUIRED: turn
 * on two-step sign-in; MFA_SESSION_REQUIRED: sign in again with a code).
 */
export type SecurityRequirement = "enroll" | "sign-in-with-code";
let onSecurityRequirement: (requirement: SecurityRequirement) => void = () => {};
/** The app's reaction to an organization's security requirement (set once by the shell). */
export function setSecurityRequirementHandler(
  handler: (requirement: SecurityRequirement) => void,
): void {
  onSecurityRequirement = handler;
}

const throwOnError: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) {
      const error = await toApiError(response);
      if (error.code === "MFA_ENROLLMENT_REQUIRED" && response.status === 403 && !error.field)
        onSecurityRequirement("enroll");
      if (error.code === "MFA_SESSION_REQUIRED") onSecurityRequirement("sign-in-with-code");
      throw error;
    }
    return undefined;
  },
};

export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: "same-origin",
  fetch: sessionFetch,
});
api.use(throwOnError);

/** The envelope's `data` of a successful call (failures have already thrown ApiError). */
export async function unwrap<T>(call: Promise<{ data?: { data: T } }>): Promise<T> {
  const { data } = await call;
  if (data === undefined) {
    throw new ApiError(0, "UNEXPECTED_RESPONSE", "The server sent no data", null, null);
  }
  return data.data;
}

/** A list's items with its pagination (`meta.pagination`). */
export async function unwrapList<T, M>(
  call: Promise<{ data?: { data: T[]; meta?: M } }>,
): Promise<{ items: T[]; meta: M | undefined }> {
  const { data } = await call;
  if (data === undefined) {
    throw new ApiError(0, "UNEXPECTED_RESPONSE", "The server sent no data", null, null);
  }
  return { items: data.data, meta: data.meta };
}
