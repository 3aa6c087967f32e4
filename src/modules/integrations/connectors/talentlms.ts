import { randomBytes } from "node:crypto";
import { z } from "zod";
import { publicOnlyFetch } from "./address-guard.js";
import { CheckList, directionOption, offsetCursor, parseOptions } from "./checks.js";
import {
  fromEpochSeconds,
  HttpClient,
  type HttpClientOptions,
  mapLimit,
  parseRetryAfter,
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
 * TalentLMS through its REST API v1 (`https://{domain}/api/v1/...`), HTTP basic auth with the
 * API key as user name and an empty password. Arguments of GET calls are path segments
 * (`getuserstatusincourse/course_id:3,user_id:7`); errors are `{error: {type, message}}`;
 * throttling is HTTP 429 with X-RateLimit-Reset. v1 lists are not paginated: a course's
 * learners come in one answer, so the connector pages through them itself (the cursor is an
 * offset) and asks each learner's status in the course for the detail.
 */

const SYSTEM = "TalentLMS";

/** The `options` of a TalentLMS integration, with their defaults. */
export const talentLmsOptions = z.object({
  direction: directionOption,
  /** Learners per page (each costs one status call). */
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  concurrency: z.coerce.number().int().min(1).max(16).default(4),
  /** The site's date format setting, for dates TalentLMS gives only as text. */
  dateFormat: z.enum(["DDMMYYYY", "MMDDYYYY", "YYYYMMDD"]).default("DDMMYYYY"),
});

const id = z.union([z.string(), z.number()]).transform(String);
const num = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined || v === "") return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  });

const siteInfo = z.object({
  total_users: num,
  total_courses: num,
  date_format: z.string().nullish(),
});

const user = z.object({
  id,
  login: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
});

const course = z.object({
  id,
  name: z.string(),
  code: z.string().nullish(),
  description: z.string().nullish(),
  status: z.string().nullish(),
  creation_date: z.string().nullish(),
  last_update_on: z.string().nullish(),
  start_datetime: z.string().nullish(),
  expiration_datetime: z.string().nullish(),
});

const courseUser = z.object({
  id,
  name: z.string().nullish(),
  role: z.string(),
  enrolled_on_timestamp: num,
  completed_on_timestamp: num,
  completion_percentage: num,
  expired_on_timestamp: num,
  total_time_seconds: num,
});

const courseWithUsers = course.extend({ users: z.array(courseUser) });

const userStatus = z.object({
  completion_status: z.string(),
  completion_percentage: num,
  completed_on_timestamp: num,
  expired_on_timestamp: num,
  total_time_seconds: num,
  units: z
    .array(z.object({ type: z.string().nullish(), score: num }))
    .nullish()
    .transform((u) => u ?? []),
});

const errorBody = z.object({
  error: z.object({ type: z.string().nullish(), message: z.string().nullish() }),
});

function verdict(answer: { status: number; body: unknown; headers: Headers }): RemoteVerdict {
  const { status, body, headers } = answer;
  if (status === 429) {
    const reset = Number(headers.get("x-ratelimit-reset"));
    const retryAfterMs =
      parseRetryAfter(headers.get("retry-after")) ??
      (Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined);
    return { kind: "rate-limited", ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  const parsed = errorBody.safeParse(body);
  if (!parsed.success || status < 400) return { kind: "ok" };
  const said = parsed.data.error.message ? ` ("${parsed.data.error.message}")` : "";
  const detail = parsed.data.error.type ? { remoteCode: parsed.data.error.type } : {};
  if (status === 401)
    return {
      kind: "error",
      error: new ConnectorError(
        "auth",
        `TalentLMS refused the API key${said}. Check that the API is enabled and the key is active under Account & Settings › Integrations › API.`,
        detail,
      ),
    };
  if (status === 403)
    return {
      kind: "error",
      error: new ConnectorError("forbidden", `TalentLMS does not allow this${said}.`, detail),
    };
  if (status === 404)
    return {
      kind: "error",
      error: new ConnectorError("not-found", `TalentLMS could not find it${said}.`, detail),
    };
  if (status >= 500) return { kind: "ok" };
  return {
    kind: "error",
    error: new ConnectorError("remote", `TalentLMS refused the request${said}.`, detail),
  };
}

/** A TalentLMS display date ("05/01/2026, 09:00:00") in the site's format, read as UTC. */
export function parseTalentDate(
  value: string | null | undefined,
  format: "DDMMYYYY" | "MMDDYYYY" | "YYYYMMDD",
): Date | null {
  if (!value) return null;
  const m = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4}),?\s*(?:(\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(
    value.trim(),
  );
  if (!m) return null;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [year, month, day] =
    format === "YYYYMMDD" ? [a, b, c] : format === "MMDDYYYY" ? [c, a, b] : [c, b, a];
  const date = new Date(
    Date.UTC(year, month - 1, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)),
  );
  return Number.isNaN(date.getTime()) ? null : date;
}

function statusOf(text: string, progress: number | null): ExternalEnrollmentStatus {
  switch (
    text
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_")
  ) {
    case "completed":
      return "completed";
    case "failed":
      return "failed";
    case "not_attempted":
    case "not_started":
      return "not-started";
    case "in_progress":
    case "incomplete":
    case "pending":
      return "in-progress";
    default:
      return (progress ?? 0) > 0 ? "in-progress" : "not-started";
  }
}

export class TalentLmsConnector implements Connector {
  readonly type = "talentlms" as const;
  private readonly http: HttpClient;
  private readonly options: z.output<typeof talentLmsOptions>;
  private people: Promise<Map<string, z.output<typeof user>>> | null = null;

  constructor(spec: ConnectorSpec, overrides: Partial<HttpClientOptions> = {}) {
    this.options = parseOptions(SYSTEM, talentLmsOptions, spec);
    const credentials = spec.credentials;
    if (credentials.kind === "oauth2-client-credentials")
      throw new ConnectorError(
        "unsupported",
        "TalentLMS connects with an API key; choose the API token authentication.",
      );
    const key = credentials.kind === "api-token" ? credentials.token : credentials.username;
    this.http = new HttpClient({
      system: SYSTEM,
      baseUrl: spec.baseUrl,
      timeoutMs: spec.timeoutMs,
      maxRetries: spec.maxRetries,
      auth: { kind: "basic", username: key, password: "" },
      inspect: verdict,
      ...(spec.allowPrivateNetwork ? {} : { fetch: publicOnlyFetch(SYSTEM) }),
      ...overrides,
    });
  }

  private get<T>(path: string, schema: z.ZodType<T>, what: string, signal?: AbortSignal) {
    return this.http
      .request({
        method: "GET",
        url: `api/v1/${path}`,
        schema,
        what,
        ...(signal ? { signal } : {}),
      })
      .then((a) => a.data);
  }

  async testConnection(signal?: AbortSignal): Promise<ConnectionTestResult> {
    const list = new CheckList();
    let site: z.output<typeof siteInfo>;
    try {
      site = await this.get("siteinfo", siteInfo, "the site information", signal);
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (error.kind === "auth" || error.kind === "forbidden") {
        list.pass("reach", "Reached TalentLMS.");
        list.fail("authenticate", error.message);
        list.skip(["read-courses"], "TalentLMS did not accept the API key.");
      } else {
        list.fail("reach", error.message);
        list.skip(["authenticate", "read-courses"], "TalentLMS could not be reached.");
      }
      return list.result();
    }
    list.system = { name: `TalentLMS (${new URL(this.http.origin).host})` };
    list.pass("reach", "Reached TalentLMS.");
    list.pass(
      "authenticate",
      `The API key works; the site has ${site.total_users ?? "?"} users and ${site.total_courses ?? "?"} courses.`,
    );
    const courses = await list.step(
      "read-courses",
      () => this.listCourses(signal ? { signal } : {}),
      (page) => `Read ${page.items.length} course${page.items.length === 1 ? "" : "s"}.`,
    );
    const first = courses.ok ? courses.value.items[0] : undefined;
    if (first)
      await list.step(
        "read-enrollments",
        () =>
          this.get(
            `courses/id:${encodeURIComponent(first.externalId)}`,
            courseWithUsers,
            `course ${first.externalId} and its learners`,
            signal,
          ),
        (c) => `Read the ${c.users.length} people enrolled in "${first.title}".`,
      );
    if (this.options.direction !== "import")
      list.pass(
        "write-enrollments",
        "A TalentLMS API key may enrol people in courses (addusertocourse); its account must be an administrator's.",
      );
    return list.result();
  }

  async listCourses(options: ListOptions = {}): Promise<Page<ExternalCourse>> {
    const courses = await this.get("courses", z.array(course), "the course list", options.signal);
    const f = this.options.dateFormat;
    const since = options.since?.getTime() ?? null;
    const home = this.http.resolve(".").href;
    const items = courses
      .map(
        (c): ExternalCourse => ({
          externalId: c.id,
          code: c.code || null,
          title: c.name,
          summary: c.description || null,
          url: new URL(`learner/courseinfo/id:${c.id}`, home).href,
          startsAt: parseTalentDate(c.start_datetime, f),
          endsAt: parseTalentDate(c.expiration_datetime, f),
          updatedAt: parseTalentDate(c.last_update_on ?? c.creation_date, f),
        }),
      )
      .filter((c) => since === null || !c.updatedAt || c.updatedAt.getTime() >= since);
    return { items, next: null };
  }

  /** Everyone on the site by id, read once per connector (v1 has no lookup in bulk). */
  private directory(signal?: AbortSignal): Promise<Map<string, z.output<typeof user>>> {
    this.people ??= this.get("users", z.array(user), "the user list", signal).then(
      (users) => new Map(users.map((u) => [u.id, u])),
    );
    this.people.catch(() => {
      this.people = null;
    });
    return this.people;
  }

  async listEnrollments(
    courseExternalId: string,
    options: ListOptions = {},
  ): Promise<Page<ExternalEnrollment>> {
    const from = offsetCursor(SYSTEM, options.cursor);
    const signal = options.signal;
    const courseId = encodeURIComponent(courseExternalId);
    const [detail, people] = await Promise.all([
      this.get(
        `courses/id:${courseId}`,
        courseWithUsers,
        `course ${courseExternalId} and its learners`,
        signal,
      ),
      this.directory(signal),
    ]);
    const learners = detail.users.filter((u) => u.role === "learner");
    const page = learners.slice(from, from + this.options.pageSize);
    const items = await mapLimit(page, this.options.concurrency, async (u) => {
      const status = await this.get(
        `getuserstatusincourse/course_id:${courseId},user_id:${encodeURIComponent(u.id)}`,
        userStatus,
        `the status of user ${u.id} in course ${courseExternalId}`,
        signal,
      );
      return this.enrollment(courseExternalId, u, status, people.get(u.id));
    });
    const end = from + page.length;
    return { items, next: end < learners.length ? String(end) : null };
  }

  private enrollment(
    courseId: string,
    u: z.output<typeof courseUser>,
    s: z.output<typeof userStatus>,
    person: z.output<typeof user> | undefined,
  ): ExternalEnrollment {
    const progress = s.completion_percentage ?? u.completion_percentage;
    const expiredAt = fromEpochSeconds(s.expired_on_timestamp ?? u.expired_on_timestamp);
    let status = statusOf(s.completion_status, progress);
    if (expiredAt && expiredAt.getTime() < Date.now() && status !== "completed") status = "expired";
    const scores = s.units
      .map((unit) => unit.score)
      .filter((score): score is number => score !== null);
    const score = scores.length
      ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100
      : null;
    const seconds = s.total_time_seconds ?? u.total_time_seconds;
    const [first, ...rest] = (u.name ?? "").split(" ");
    return {
      externalId: `${courseId}:${u.id}`,
      courseExternalId: courseId,
      person: {
        externalId: u.id,
        email: person?.email || null,
        firstName: person?.first_name || first || null,
        lastName: person?.last_name || rest.join(" ") || null,
        username: person?.login || null,
      },
      status,
      enrolledAt: fromEpochSeconds(u.enrolled_on_timestamp),
      startedAt: null,
      completedAt: fromEpochSeconds(s.completed_on_timestamp ?? u.completed_on_timestamp),
      dueAt: expiredAt,
      lastAccessAt: null,
      progressPercent: progress,
      timeSpentMinutes: seconds !== null ? Math.round(seconds / 60) : null,
      score,
      maxScore: score !== null ? 100 : null,
      passingScore: null,
      grade: null,
      credits: null,
      costMinor: null,
      currency: null,
      instructorName: null,
      attempts: null,
      certifiedAt: null,
      certificateUrl: null,
      updatedAt: null,
    };
  }

  async enrol(input: EnrolInput, signal?: AbortSignal): Promise<{ externalId: string }> {
    let userId = /^\d+$/.test(input.person.externalId) ? input.person.externalId : null;
    if (userId === null) {
      if (!input.person.email)
        throw new ConnectorError(
          "not-found",
          "Lyceum knows neither this person's TalentLMS user id nor their email address.",
        );
      const found = await this.get(
        `users/email:${encodeURIComponent(input.person.email)}`,
        user,
        "the user with that email address",
        signal,
      );
      userId = found.id;
    }
    const { data } = await this.http.request({
      method: "POST",
      url: "api/v1/addusertocourse",
      form: { user_id: userId, course_id: input.courseExternalId, role: "learner" },
      schema: z.array(z.object({ user_id: id, course_id: id })).min(1),
      what: `the enrolment in course ${input.courseExternalId}`,
      ...(signal ? { signal } : {}),
    });
    const row = data[0]!;
    return { externalId: `${row.course_id}:${row.user_id}` };
  }

  /**
   * Finds the account by email (`GET users/email:…`), or signs the person up (`POST
   * usersignup` with the address as login and a random password: the person signs in through
   * TalentLMS's own password reset or single sign-on).
   */
  async ensurePerson(
    person: PersonInput,
    signal?: AbortSignal,
  ): Promise<{ externalId: string; created: boolean }> {
    const email = person.email.trim().toLowerCase();
    try {
      const found = await this.get(
        `users/email:${encodeURIComponent(email)}`,
        user,
        "the user with that email address",
        signal,
      );
      return { externalId: found.id, created: false };
    } catch (error) {
      if (!(error instanceof ConnectorError && error.kind === "not-found")) throw error;
    }
    const local = email.split("@")[0] || email;
    const { data } = await this.http.request({
      method: "POST",
      url: "api/v1/usersignup",
      form: {
        first_name: person.firstName?.trim() || local,
        last_name: person.lastName?.trim() || local,
        email,
        login: email,
        password: `${randomBytes(12).toString("base64url")}A1!`,
      },
      schema: user,
      what: "the new user account",
      ...(signal ? { signal } : {}),
    });
    this.people = null;
    return { externalId: data.id, created: true };
  }

  /**
   * TalentLMS's API has no call that marks a course completed for a learner: it completes
   * courses from the learner's progress through the course's units.
   */
  async complete(input: CompletionInput): Promise<{ externalId: string }> {
    throw new ConnectorError(
      "unsupported",
      `TalentLMS's API cannot mark course ${input.courseExternalId} completed for a learner; TalentLMS completes courses from progress in their units.`,
    );
  }
}
