import { z } from "zod";
import { publicOnlyFetch } from "./address-guard.js";
import { CheckList, directionOption, parseOptions } from "./checks.js";
import {
  authFor,
  fromIso,
  HttpClient,
  type HttpClientOptions,
  type RemoteVerdict,
} from "./http.js";
import {
  type CompletionInput,
  type ConnectionTestResult,
  type Connector,
  ConnectorError,
  type ConnectorSpec,
  type EnrolInput,
  type ExternalCourse,
  type ExternalEnrollment,
  type ExternalEnrollmentStatus,
  type ListOptions,
  type Page,
  type PersonInput,
} from "./types.js";

/**
 * Canvas LMS through its REST API (`/api/v1`) with an access token (or an OAuth 2 client's
 * token). Lists follow the `Link` header: the rel="next" URL is the cursor. Canvas throttles
 * with a leaky bucket whose level is in `X-Rate-Limit-Remaining` and answers 403 "Rate Limit
 * Exceeded" when it is empty; the client slows down before that and retries after it.
 */

const SYSTEM = "Canvas";

/** Every enrollment state worth syncing (Canvas lists only active and invited by default). */
const STATES = ["active", "invited", "creation_pending", "completed", "inactive", "deleted"];

/** The account permissions export needs; either grants adding students. */
const WRITE_PERMISSIONS = ["add_student_to_course", "manage_students"];

/** The `options` of a Canvas integration, with their defaults. */
export const canvasOptions = z.object({
  /** The account whose courses are read (a sub-account id, or "self"/"1" for the root). */
  accountId: z.union([z.string().min(1), z.number().int().positive()]).transform(String),
  direction: directionOption,
  /** Records per page (Canvas caps it at 100). */
  perPage: z.coerce.number().int().min(1).max(100).default(100),
  /** Below this X-Rate-Limit-Remaining the client pauses to let the bucket refill. */
  rateLimitFloor: z.coerce.number().min(0).default(100),
  /** Final score (percent) under which a completed enrollment counts as failed. */
  passingScore: z.coerce.number().min(0).max(100).nullable().default(null),
});

const canvasCourse = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  course_code: z.string().nullish(),
  public_description: z.string().nullish(),
  start_at: z.string().nullish(),
  end_at: z.string().nullish(),
  workflow_state: z.string().nullish(),
});

const canvasUser = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  sortable_name: z.string().nullish(),
  short_name: z.string().nullish(),
  login_id: z.string().nullish(),
  email: z.string().nullish(),
});

const canvasEnrollment = z.object({
  id: z.number().int(),
  course_id: z.number().int(),
  user_id: z.number().int(),
  enrollment_state: z.string(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  start_at: z.string().nullish(),
  end_at: z.string().nullish(),
  last_activity_at: z.string().nullish(),
  total_activity_time: z.number().nullish(),
  grades: z
    .object({
      current_score: z.number().nullish(),
      final_score: z.number().nullish(),
      current_grade: z.string().nullish(),
      final_grade: z.string().nullish(),
      html_url: z.string().nullish(),
    })
    .nullish(),
  user: canvasUser.nullish(),
});

const errorBody = z.object({
  errors: z.union([z.array(z.object({ message: z.string() })), z.record(z.string(), z.unknown())]),
});

/** Canvas's first error message, when it gave one. */
function canvasMessage(body: unknown): string | null {
  const parsed = errorBody.safeParse(body);
  if (parsed.success && Array.isArray(parsed.data.errors))
    return parsed.data.errors[0]?.message ?? null;
  if (
    body &&
    typeof body === "object" &&
    typeof (body as { message?: unknown }).message === "string"
  )
    return (body as { message: string }).message;
  return null;
}

function verdict(answer: { status: number; body: unknown; headers: Headers }): RemoteVerdict {
  const { status, body } = answer;
  if (status === 403 && typeof body === "string" && /rate limit exceeded/i.test(body))
    return { kind: "rate-limited" };
  if (status === 401) {
    const said = canvasMessage(body);
    return {
      kind: "error",
      error: new ConnectorError(
        "auth",
        `Canvas refused the access token${said ? ` ("${said}")` : ""}: it is wrong, expired or was deleted. Generate a new one under Account › Settings › Approved integrations.`,
      ),
    };
  }
  if (status === 403) {
    const said = canvasMessage(body);
    return {
      kind: "error",
      error: new ConnectorError(
        "forbidden",
        `Canvas does not let the token's user do this${said ? ` ("${said}")` : ""}; it needs an account admin role on the account.`,
      ),
    };
  }
  return { kind: "ok" };
}

/** The rel="next" URL of a `Link` header (RFC 8288), if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (m && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(m[2]!)) return m[1]!;
  }
  return null;
}

/** "Lovelace, Ada" into its parts; a name without a comma is all first name. */
function splitName(user: z.output<typeof canvasUser> | null | undefined): {
  firstName: string | null;
  lastName: string | null;
} {
  const sortable = user?.sortable_name;
  if (sortable?.includes(",")) {
    const [last, ...first] = sortable.split(",");
    return { firstName: first.join(",").trim() || null, lastName: last?.trim() || null };
  }
  return { firstName: user?.short_name ?? user?.name ?? null, lastName: null };
}

export class CanvasConnector implements Connector {
  readonly type = "canvas" as const;
  private readonly http: HttpClient;
  private readonly options: z.output<typeof canvasOptions>;

  constructor(spec: ConnectorSpec, overrides: Partial<HttpClientOptions> = {}) {
    if (spec.credentials.kind === "basic")
      throw new ConnectorError(
        "unsupported",
        "Canvas connects with an access token (or OAuth 2), not a user name and password.",
      );
    this.options = parseOptions(SYSTEM, canvasOptions, spec);
    const floor = this.options.rateLimitFloor;
    this.http = new HttpClient({
      system: SYSTEM,
      baseUrl: spec.baseUrl,
      timeoutMs: spec.timeoutMs,
      maxRetries: spec.maxRetries,
      auth: authFor(SYSTEM, spec.credentials, spec.timeoutMs, spec.allowPrivateNetwork),
      inspect: verdict,
      // The bucket leaks about 10 units a second: wait until it is back above the floor.
      pace: (headers) => {
        const remaining = Number(headers.get("x-rate-limit-remaining"));
        if (!headers.has("x-rate-limit-remaining") || !Number.isFinite(remaining)) return 0;
        return remaining < floor ? Math.min(5000, Math.ceil((floor - remaining) * 100)) : 0;
      },
      ...(spec.allowPrivateNetwork ? {} : { fetch: publicOnlyFetch(SYSTEM) }),
      ...overrides,
    });
  }

  private account(): string {
    return encodeURIComponent(this.options.accountId);
  }

  /** A stored cursor must be a `Link` URL of the same list; anything else is refused. */
  private cursorUrl(cursor: string, path: string): string {
    let url: URL;
    try {
      url = this.http.resolve(cursor);
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw new ConnectorError(
        "malformed",
        "The stored Canvas sync position is not a Canvas address; run a full sync.",
      );
    }
    if (!url.pathname.endsWith(path))
      throw new ConnectorError(
        "malformed",
        "The stored Canvas sync position belongs to another list; run a full sync.",
      );
    return url.href;
  }

  async testConnection(signal?: AbortSignal): Promise<ConnectionTestResult> {
    const list = new CheckList();
    const s = signal ? { signal } : {};
    let self: z.output<typeof canvasUser>;
    try {
      ({ data: self } = await this.http.request({
        method: "GET",
        url: "api/v1/users/self",
        schema: canvasUser,
        what: "the token's user",
        ...s,
      }));
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (error.kind === "auth" || error.kind === "forbidden") {
        list.pass("reach", "Reached Canvas.");
        list.fail("authenticate", error.message);
        list.skip(["read-courses"], "Canvas did not accept the token.");
      } else {
        list.fail("reach", error.message);
        list.skip(["authenticate", "read-courses"], "Canvas could not be reached.");
      }
      return list.result();
    }
    list.system = { name: "Canvas LMS" };
    list.pass("reach", "Reached Canvas.");
    list.pass("authenticate", `The token works; it acts as "${self.name ?? self.id}".`);
    const courses = await list.step(
      "read-courses",
      () => this.listCourses({ ...s }),
      (page) =>
        `Read ${page.items.length}${page.next ? "+" : ""} course${page.items.length === 1 ? "" : "s"} of account ${this.options.accountId}.`,
    );
    const first = courses.ok ? courses.value.items[0] : undefined;
    if (first)
      await list.step(
        "read-enrollments",
        () =>
          this.http.request({
            method: "GET",
            url: `api/v1/courses/${encodeURIComponent(first.externalId)}/enrollments`,
            query: { "type[]": ["StudentEnrollment"], per_page: 1 },
            schema: z.array(canvasEnrollment),
            what: `the enrollments of course ${first.externalId}`,
            ...s,
          }),
        () => `Read the enrollments of "${first.title}".`,
      );
    if (this.options.direction !== "import")
      await list.step(
        "write-enrollments",
        async () => {
          const { data } = await this.http.request({
            method: "GET",
            url: `api/v1/accounts/${this.account()}/permissions`,
            query: { "permissions[]": WRITE_PERMISSIONS },
            schema: z.record(z.string(), z.boolean()),
            what: "the token's permissions on the account",
            ...s,
          });
          if (!WRITE_PERMISSIONS.some((p) => data[p]))
            throw new ConnectorError(
              "forbidden",
              `The token's user may not add students to courses in account ${this.options.accountId}; give its role the "Users - add / remove students in courses" permission.`,
            );
        },
        () => "The token's user may add students to courses.",
      );
    return list.result();
  }

  async listCourses(options: ListOptions = {}): Promise<Page<ExternalCourse>> {
    const path = `/api/v1/accounts/${this.account()}/courses`;
    const { data, headers } = await this.http.request({
      method: "GET",
      url: options.cursor ? this.cursorUrl(options.cursor, path) : path,
      ...(options.cursor
        ? {}
        : { query: { per_page: this.options.perPage, "include[]": ["public_description"] } }),
      schema: z.array(canvasCourse),
      what: `the courses of account ${this.options.accountId}`,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const home = this.http.resolve(".").href;
    return {
      items: data
        .filter((c) => c.workflow_state !== "deleted")
        .map((c) => ({
          externalId: String(c.id),
          code: c.course_code ?? null,
          title: c.name ?? c.course_code ?? `Course ${c.id}`,
          summary: c.public_description ?? null,
          url: new URL(`courses/${c.id}`, home).href,
          startsAt: fromIso(c.start_at),
          endsAt: fromIso(c.end_at),
          updatedAt: null,
        })),
      next: nextLink(headers.get("link")),
    };
  }

  async listEnrollments(
    courseExternalId: string,
    options: ListOptions = {},
  ): Promise<Page<ExternalEnrollment>> {
    const path = `/api/v1/courses/${encodeURIComponent(courseExternalId)}/enrollments`;
    const { data, headers } = await this.http.request({
      method: "GET",
      url: options.cursor ? this.cursorUrl(options.cursor, path) : path,
      ...(options.cursor
        ? {}
        : {
            query: {
              "type[]": ["StudentEnrollment"],
              "state[]": STATES,
              per_page: this.options.perPage,
            },
          }),
      schema: z.array(canvasEnrollment),
      what: `the enrollments of course ${courseExternalId}`,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      items: data.map((e) => this.enrollment(e)),
      next: nextLink(headers.get("link")),
    };
  }

  private enrollment(e: z.output<typeof canvasEnrollment>): ExternalEnrollment {
    const score = e.grades?.final_score ?? e.grades?.current_score ?? null;
    const lastActivity = fromIso(e.last_activity_at);
    const updatedAt = fromIso(e.updated_at);
    const passing = this.options.passingScore;
    let status: ExternalEnrollmentStatus;
    switch (e.enrollment_state) {
      case "completed":
        status = passing !== null && score !== null && score < passing ? "failed" : "completed";
        break;
      case "inactive":
        status = "on-hold";
        break;
      case "deleted":
      case "rejected":
        status = "dropped";
        break;
      case "invited":
      case "creation_pending":
        status = "not-started";
        break;
      default:
        status = lastActivity ? "in-progress" : "not-started";
    }
    const user = e.user;
    const login = user?.login_id ?? null;
    const email = user?.email ?? (login?.includes("@") ? login : null);
    return {
      externalId: `${e.course_id}:${e.user_id}`,
      courseExternalId: String(e.course_id),
      person: {
        externalId: String(e.user_id),
        email,
        ...splitName(user),
        username: login,
      },
      status,
      enrolledAt: fromIso(e.created_at),
      startedAt: fromIso(e.start_at),
      completedAt: status === "completed" || status === "failed" ? updatedAt : null,
      dueAt: fromIso(e.end_at),
      lastAccessAt: lastActivity,
      progressPercent: status === "completed" ? 100 : null,
      timeSpentMinutes:
        e.total_activity_time != null ? Math.round(e.total_activity_time / 60) : null,
      score,
      maxScore: score !== null ? 100 : null,
      passingScore: passing,
      grade: e.grades?.final_grade ?? e.grades?.current_grade ?? null,
      credits: null,
      costMinor: null,
      currency: null,
      instructorName: null,
      attempts: null,
      certifiedAt: null,
      certificateUrl: null,
      updatedAt,
    };
  }

  async enrol(input: EnrolInput, signal?: AbortSignal): Promise<{ externalId: string }> {
    const numeric = /^\d+$/.test(input.person.externalId);
    if (!numeric && !input.person.email)
      throw new ConnectorError(
        "not-found",
        "Lyceum knows neither this person's Canvas user id nor their login (email address).",
      );
    const user = numeric ? input.person.externalId : `sis_login_id:${input.person.email}`;
    const { data } = await this.http.request({
      method: "POST",
      url: `api/v1/courses/${encodeURIComponent(input.courseExternalId)}/enrollments`,
      form: {
        "enrollment[user_id]": user,
        "enrollment[type]": "StudentEnrollment",
        "enrollment[enrollment_state]": "active",
        "enrollment[notify]": "false",
      },
      schema: canvasEnrollment.pick({ id: true, course_id: true, user_id: true }),
      what: `the enrollment in course ${input.courseExternalId}`,
      ...(signal ? { signal } : {}),
    });
    return { externalId: `${data.course_id}:${data.user_id}` };
  }

  /**
   * Finds the account by its login or email among the account's users (`GET
   * /accounts/:id/users?search_term=`), or creates it (`POST /accounts/:id/users`: the address
   * as login and as a confirmed email channel, registration skipped, nothing mailed).
   */
  async ensurePerson(
    person: PersonInput,
    signal?: AbortSignal,
  ): Promise<{ externalId: string; created: boolean }> {
    const email = person.email.trim().toLowerCase();
    const { data: found } = await this.http.request({
      method: "GET",
      url: `api/v1/accounts/${this.account()}/users`,
      query: { search_term: email, "include[]": ["email"], per_page: this.options.perPage },
      schema: z.array(canvasUser),
      what: "the user with that email address",
      ...(signal ? { signal } : {}),
    });
    const match = found.find(
      (u) => u.login_id?.toLowerCase() === email || u.email?.toLowerCase() === email,
    );
    if (match) return { externalId: String(match.id), created: false };
    const first = person.firstName?.trim() ?? "";
    const last = person.lastName?.trim() ?? "";
    const name = `${first} ${last}`.trim() || email;
    const { data } = await this.http.request({
      method: "POST",
      url: `api/v1/accounts/${this.account()}/users`,
      form: {
        "user[name]": name,
        "user[short_name]": first || name,
        "user[sortable_name]": last && first ? `${last}, ${first}` : name,
        "user[skip_registration]": "true",
        "pseudonym[unique_id]": email,
        "pseudonym[send_confirmation]": "false",
        "communication_channel[type]": "email",
        "communication_channel[address]": email,
        "communication_channel[skip_confirmation]": "true",
      },
      schema: canvasUser.pick({ id: true }),
      what: "the new user account",
      ...(signal ? { signal } : {}),
    });
    return { externalId: String(data.id), created: true };
  }

  /**
   * Concludes the person's student enrollment in the course (`DELETE
   * /courses/:course_id/enrollments/:id` with `task=conclude`): Canvas then counts the
   * course as completed for them. An enrollment already concluded is left as it is.
   */
  async complete(input: CompletionInput, signal?: AbortSignal): Promise<{ externalId: string }> {
    const course = encodeURIComponent(input.courseExternalId);
    const { data } = await this.http.request({
      method: "GET",
      url: `api/v1/courses/${course}/enrollments`,
      query: {
        user_id: input.personExternalId,
        "type[]": ["StudentEnrollment"],
        "state[]": ["active", "invited", "creation_pending", "completed", "inactive"],
      },
      schema: z.array(canvasEnrollment),
      what: `the person's enrollment in course ${input.courseExternalId}`,
      ...(signal ? { signal } : {}),
    });
    const enrollment =
      data.find((e) => e.enrollment_state === "completed") ??
      data.find((e) => String(e.user_id) === input.personExternalId);
    if (!enrollment)
      throw new ConnectorError(
        "not-found",
        `Canvas has no enrollment of user ${input.personExternalId} in course ${input.courseExternalId} to conclude.`,
      );
    if (enrollment.enrollment_state !== "completed")
      await this.http.request({
        method: "DELETE",
        url: `api/v1/courses/${course}/enrollments/${enrollment.id}`,
        query: { task: "conclude" },
        schema: canvasEnrollment.pick({ id: true, enrollment_state: true }),
        what: `the conclusion of the enrollment in course ${input.courseExternalId}`,
        ...(signal ? { signal } : {}),
      });
    return { externalId: `${enrollment.course_id}:${enrollment.user_id}` };
  }
}
