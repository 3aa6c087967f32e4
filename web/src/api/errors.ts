/** The one error every API call throws: the envelope's code, message and field, and the request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly requestId: string | null = null,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Codes the browser raises itself, when no answer came or it was not the API's envelope. */
export const NETWORK_ERROR = "NETWORK_ERROR";
export const UNEXPECTED_RESPONSE = "UNEXPECTED_RESPONSE";

interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string; field?: string; details?: Record<string, unknown> };
  requestId?: string;
}

function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  const error = (body as ErrorEnvelope | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}

/** Reads a failed response's envelope into an ApiError (any body, never throws). */
export async function toApiError(response: Response): Promise<ApiError> {
  const requestId = response.headers.get("x-request-id");
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (isErrorEnvelope(body)) {
    return new ApiError(
      response.status,
      body.error.code,
      body.error.message,
      body.error.field ?? null,
      body.requestId ?? requestId,
      body.error.details ?? {},
    );
  }
  return new ApiError(
    response.status,
    UNEXPECTED_RESPONSE,
    `The server answered ${response.status}`,
    null,
    requestId,
  );
}

/**
 * Whether a page's thing is not there for this person: unknown or invisible (404), or an
 * address whose id `idField` is no id at all (400 naming that path parameter).
 */
export function isNotFound(error: unknown, idField: string): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 404 || (error.status === 400 && error.field === idField))
  );
}
