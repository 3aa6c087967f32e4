/**
 * The contract between the integration engine and the systems it talks to. A connector is a
 * real client of one external learning system's public API (Moodle web services, Canvas REST,
 * TalentLMS REST, …); the engine knows only this interface. Every value here is already in
 * Lyceum's words (kebab-case statuses, dates as `Date`, money in minor units): a connector
 * translates its system's shapes at the edge and never leaks them.
 */

/** The kinds of external system an integration can point at (seed 003 §3.1, kebab-case). */
export const LMS_TYPES = [
  "moodle",
  "canvas",
  "talentlms",
  "docebo",
  "cornerstone",
  "blackboard",
  "generic-rest",
  "file",
  "inbound-webhook",
] as const;
export type LmsType = (typeof LMS_TYPES)[number];

/** How a connector proves who it is. Secrets arrive decrypted, only for the call's lifetime. */
export type ConnectorCredentials =
  | { kind: "api-token"; token: string }
  | {
      kind: "oauth2-client-credentials";
      clientId: string;
      clientSecret: string;
      tokenUrl: string;
      scope?: string;
    }
  | { kind: "basic"; username: string; password: string };

/** Everything needed to build a connector for one integration. */
export interface ConnectorSpec {
  type: LmsType;
  /** The system's base address, e.g. `https://moodle.example.org` (no trailing slash). */
  baseUrl: string;
  credentials: ConnectorCredentials;
  /** Per request; a request that takes longer fails with `timeout`. */
  timeoutMs: number;
  /** Retries of one request on timeouts, 5xx and rate limiting (with the server's Retry-After). */
  maxRetries: number;
  /** System-specific settings (e.g. Canvas `accountId`), validated by the connector. */
  options: Record<string, unknown>;
  /**
   * Whether the system may be on a private network (loopback, RFC 1918, link-local). Off
   * unless the deployment allows it: addresses are checked before every request
   * (address-guard.ts).
   */
  allowPrivateNetwork?: boolean;
}

/** Why a call to an external system failed, in terms the engine can act on. */
export type ConnectorErrorKind =
  | "auth" // credentials refused or expired
  | "forbidden" // authenticated, but the account lacks a permission (named in the message)
  | "rate-limited" // still limited after the allowed retries
  | "timeout"
  | "unreachable" // DNS, refused connection, TLS
  | "not-found"
  | "malformed" // the answer did not have the documented shape
  | "remote" // the system answered with an error of its own
  | "unsupported"; // this connector cannot do that (e.g. export on an import-only system)

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly detail: {
      status?: number;
      /** The system's own error code, e.g. Moodle's `invalidtoken`. */
      remoteCode?: string;
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = "ConnectorError";
  }

  /** Whether trying again later may succeed (the sync engine retries these, then dead-letters). */
  get transient(): boolean {
    return this.kind === "rate-limited" || this.kind === "timeout" || this.kind === "unreachable";
  }
}

/** One step of a connection test, said in words a person can act on. */
export interface ConnectionCheck {
  /** Stable key: `reach`, `authenticate`, `read-courses`, `read-enrollments`, `write-enrollments`, … */
  step: string;
  ok: boolean;
  message: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  checks: ConnectionCheck[];
  /** What the system says it is, when it says (Moodle's site name and release, …). */
  system?: { name?: string; version?: string };
  latencyMs: number;
}

export interface ExternalPerson {
  externalId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  username?: string | null;
}

export interface ExternalCourse {
  externalId: string;
  code: string | null;
  title: string;
  summary: string | null;
  url: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  updatedAt: Date | null;
}

/** seed 003 §3.2 enrollment statuses, kebab-case. */
export const EXTERNAL_ENROLLMENT_STATUSES = [
  "not-started",
  "in-progress",
  "completed",
  "failed",
  "dropped",
  "on-hold",
  "expired",
  "certified",
] as const;
export type ExternalEnrollmentStatus = (typeof EXTERNAL_ENROLLMENT_STATUSES)[number];

/** One person's enrollment in one external course, with what the system knows of progress. */
export interface ExternalEnrollment {
  /** Stable across syncs; the key of idempotent upserts (e.g. `<courseId>:<userId>`). */
  externalId: string;
  courseExternalId: string;
  person: ExternalPerson;
  status: ExternalEnrollmentStatus;
  enrolledAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  dueAt: Date | null;
  lastAccessAt: Date | null;
  /** 0–100. */
  progressPercent: number | null;
  timeSpentMinutes: number | null;
  score: number | null;
  maxScore: number | null;
  passingScore: number | null;
  grade: string | null;
  credits: number | null;
  /** Minor units of `currency`. */
  costMinor: number | null;
  currency: string | null;
  instructorName: string | null;
  attempts: number | null;
  certifiedAt: Date | null;
  certificateUrl: string | null;
  /** When the system last changed this record; drives incremental sync where it is known. */
  updatedAt: Date | null;
  /**
   * Why the record cannot be imported, when its source could not read it (a file's row with a
   * date that is not one): the engine reports it failed with this reason.
   */
  unreadable?: string;
}

/**
 * A page of results and where the next one starts. `next` is opaque to the engine (a Canvas
 * `Link` URL, a Moodle offset, …) and is stored as the sync cursor between runs.
 */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface ListOptions {
  /** The `next` of the previous page; null or absent for the first page. */
  cursor?: string | null;
  /** Only records changed since then, where the system can filter so. */
  since?: Date | null;
  signal?: AbortSignal;
}

/** Export direction: what Lyceum asks an external system to record. */
export interface EnrolInput {
  courseExternalId: string;
  /** `externalId` is the person's id over there, as `ensurePerson` answered it. */
  person: ExternalPerson;
}

/** Export direction: a Lyceum person as the external system should know them. */
export interface PersonInput {
  /** Lower case; the key people are found by over there. */
  email: string;
  firstName: string | null;
  lastName: string | null;
}

/** Export direction: that a person completed a course in Lyceum. */
export interface CompletionInput {
  courseExternalId: string;
  /** The person's id over there, as `ensurePerson` answered it. */
  personExternalId: string;
  completedAt: Date;
  /** 0–100, when Lyceum knows one. */
  score: number | null;
}

export interface Connector {
  readonly type: LmsType;
  /** Reach, authenticate, read (and, for export, check the write permission), in words. */
  testConnection(signal?: AbortSignal): Promise<ConnectionTestResult>;
  listCourses(options?: ListOptions): Promise<Page<ExternalCourse>>;
  listEnrollments(
    courseExternalId: string,
    options?: ListOptions,
  ): Promise<Page<ExternalEnrollment>>;
  /** Enrols a person (export direction); throws `unsupported` where the system cannot. */
  enrol(input: EnrolInput, signal?: AbortSignal): Promise<{ externalId: string }>;
  /**
   * Finds the person's account by email, or creates it (export direction); answers its id
   * over there and whether it was created. Absent: the system cannot (the engine reports why).
   */
  ensurePerson?(
    person: PersonInput,
    signal?: AbortSignal,
  ): Promise<{ externalId: string; created: boolean }>;
  /**
   * Records that the person completed the course (export direction); throws `unsupported`
   * with the reason where the system has no way to, and the engine reports it as skipped.
   */
  complete?(input: CompletionInput, signal?: AbortSignal): Promise<{ externalId: string }>;
}

/** Builds the connector for an integration; injected so tests can point at local fakes. */
export type ConnectorFactory = (spec: ConnectorSpec) => Connector;
