/**
 * Stable error codes. Clients switch on `error.code`, never on the message, so a code never
 * changes meaning once shipped. Each code has one HTTP status.
 */
export const ERROR_CODES = {
  VALIDATION_ERROR: 400,
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  INVALID_TOKEN: 400,
  WEBHOOK_SIGNATURE_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_EXPIRED: 401,
  SESSION_REVOKED: 401,
  REFRESH_TOKEN_REUSED: 401,
  INVALID_API_KEY: 401,
  WEBHOOK_UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  EMAIL_NOT_VERIFIED: 403,
  ACCOUNT_SUSPENDED: 403,
  ORGANIZATION_SUSPENDED: 403,
  IP_NOT_ALLOWED: 403,
  EMAIL_DOMAIN_NOT_ALLOWED: 403,
  CANNOT_REVOKE_CURRENT_SESSION: 403,
  NOT_ENROLLED: 403,
  PROCESSING_RESTRICTED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  SLUG_TAKEN: 409,
  DOMAIN_TAKEN: 409,
  ALREADY_MEMBER: 409,
  ALREADY_EXISTS: 409,
  INVITE_NOT_PENDING: 409,
  INVITE_DECLINED: 409,
  CODE_TAKEN: 409,
  ALREADY_ENROLLED: 409,
  ALREADY_WAITLISTED: 409,
  ALREADY_REQUESTED: 409,
  REQUEST_NOT_PENDING: 409,
  ATTEMPT_NOT_IN_PROGRESS: 409,
  ATTEMPT_IN_PROGRESS: 409,
  QUESTION_LOCKED: 409,
  TIME_LIMIT_EXCEEDED: 409,
  SYNC_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  UNPROCESSABLE: 422,
  WEAK_PASSWORD: 422,
  INVALID_FILE: 422,
  SEATS_EXHAUSTED: 422,
  INVITE_EXPIRED: 422,
  INVITE_EMAIL_MISMATCH: 422,
  ADMIN_LOCKOUT: 422,
  SYSTEM_ROLE_PROTECTED: 422,
  COURSE_NOT_PUBLISHABLE: 422,
  FIELD_LOCKED: 422,
  COURSE_EXTERNAL: 422,
  ENROLLMENT_CLOSED: 422,
  COHORT_REQUIRED: 422,
  COURSE_FULL: 422,
  COHORT_FULL: 422,
  PREREQUISITES_NOT_MET: 422,
  OFFER_EXPIRED: 422,
  ACCESS_CODE_INVALID: 422,
  ACCESS_CODE_EXHAUSTED: 422,
  PAYMENT_REQUIRED: 402,
  MIN_TIME_NOT_MET: 422,
  QUIZ_NOT_AVAILABLE: 422,
  ATTEMPT_LIMIT_REACHED: 422,
  LESSON_NOT_STARTED: 422,
  PUBLIC_EMAIL_DOMAIN: 422,
  DOMAIN_VERIFICATION_FAILED: 422,
  ACCOUNT_LOCKED: 423,
  MODULE_LOCKED: 423,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  PAYMENT_PROVIDER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  DNS_LOOKUP_FAILED: 503,
  INVALID_MFA_CODE: 401,
  MFA_CHALLENGE_INVALID: 401,
  SESSION_IDLE_TIMEOUT: 401,
  MFA_ENROLLMENT_REQUIRED: 403,
  MFA_SESSION_REQUIRED: 403,
  PASSWORD_EXPIRED: 403,
  MFA_ALREADY_ENABLED: 409,
  MFA_NOT_ENABLED: 409,
  WEBAUTHN_REGISTRATION_FAILED: 422,
  PASSWORD_REUSED: 422,
  IP_ALLOW_LIST_LOCKOUT: 422,
  PUBLICATION_AWAITS_APPROVAL: 409,
  NOT_AN_APPROVER: 403,
  EXECUTION_NOT_AWAITING_APPROVAL: 409,
  TEMPLATE_NOT_DRAFT: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorOptions {
  details?: Record<string, unknown>;
  field?: string;
  headers?: Record<string, string>;
}

/** An error the API reports to the caller as-is, in the standard envelope. */
export class AppError extends Error {
  readonly status: number;
  readonly details?: Record<string, unknown>;
  readonly field?: string;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message);
    this.name = "AppError";
    this.status = ERROR_CODES[code];
    this.details = options.details;
    this.field = options.field;
    this.headers = options.headers;
  }
}

export const notFound = (entity = "Resource") => new AppError("NOT_FOUND", `${entity} not found`);
export const forbidden = (message = "You do not have permission to do this") =>
  new AppError("FORBIDDEN", message);
export const unauthenticated = (message = "Authentication required") =>
  new AppError("UNAUTHENTICATED", message);
export const validationError = (field: string, message: string) =>
  new AppError("VALIDATION_ERROR", message, {
    field,
    details: { issues: [{ path: field, message }] },
  });

/** True for PostgreSQL's unique_violation, optionally on a named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  if (!e || e.code !== "23505") return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? "").includes(constraint);
}
