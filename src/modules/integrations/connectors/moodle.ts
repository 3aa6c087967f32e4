import { z } from "zod";
import { publicOnlyFetch } from "./address-guard.js";
import { CheckList, directionOption, offsetCursor, parseOptions } from "./checks.js";
import {
  fromEpochSeconds,
  HttpClient,
  type HttpClientOptions,
  mapLimit,
  type Params,
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
 * Moodle through its web services, REST protocol: every call is `POST
 * {base}/webservice/rest/server.php` with the token, the function name and
 * `moodlewsrestformat=json`, parameters form-encoded in Moodle's array syntax. Moodle answers
 * its own errors with HTTP 200 and `{exception, errorcode, message}`.
 */

const SYSTEM = "Moodle";
const SERVER_PATH = "webservice/rest/server.php";

/** The web service functions import needs the token to be allowed to call. */
export const MOODLE_IMPORT_FUNCTIONS = [
  "core_webservice_get_site_info",
  "core_course_get_courses",
  "core_enrol_get_enrolled_users",
  "core_completion_get_course_completion_status",
  "gradereport_user_get_grade_items",
] as const;

/** And those export adds. */
export const MOODLE_EXPORT_FUNCTIONS = [
  "enrol_manual_enrol_users",
  "core_user_get_users_by_field",
  "core_user_create_users",
] as const;

/** The `options` of a Moodle integration, with their defaults. */
export const moodleOptions = z.object({
  direction: directionOption,
  /** Enrolled users read per call (Moodle's `limitnumber`). */
  pageSize: z.coerce.number().int().min(1).max(1000).default(200),
  /** Completion and grade calls in flight at once, per page. */
  concurrency: z.coerce.number().int().min(1).max(16).default(8),
  /** Role given by export (5 is Moodle's default "student"). */
  studentRoleId: z.coerce.number().int().positive().default(5),
  /** Authentication method of the accounts export creates (`manual`, `oauth2`, `saml2`, …). */
  userAuth: z.string().min(1).max(50).default("manual"),
  /** Only enrolments holding one of these roles are imported (empty: every role). */
  roles: z.array(z.string()).default(["student"]),
});

const moodleError = z.object({
  exception: z.string(),
  errorcode: z.string(),
  message: z.string().optional(),
});

const siteInfo = z.object({
  sitename: z.string(),
  username: z.string(),
  release: z.string().optional(),
  version: z.string().optional(),
  functions: z.array(z.object({ name: z.string() })).default([]),
});

const course = z.object({
  id: z.number().int(),
  shortname: z.string(),
  fullname: z.string(),
  idnumber: z.string().nullish(),
  summary: z.string().nullish(),
  format: z.string().nullish(),
  startdate: z.number().nullish(),
  enddate: z.number().nullish(),
  timemodified: z.number().nullish(),
});

const enrolledUser = z.object({
  id: z.number().int(),
  username: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  email: z.string().nullish(),
  firstaccess: z.number().nullish(),
  lastaccess: z.number().nullish(),
  lastcourseaccess: z.number().nullish(),
  roles: z.array(z.object({ roleid: z.number(), shortname: z.string() })).nullish(),
});

const completionStatus = z.object({
  completionstatus: z.object({
    completed: z.boolean(),
    completions: z
      .array(
        z.object({
          complete: z.boolean(),
          timecompleted: z.number().nullish(),
        }),
      )
      .default([]),
  }),
});

const gradeItems = z.object({
  usergrades: z.array(
    z.object({
      userid: z.number(),
      gradeitems: z.array(
        z.object({
          itemtype: z.string(),
          graderaw: z.number().nullish(),
          grademax: z.number().nullish(),
          gradeformatted: z.string().nullish(),
          gradedategraded: z.number().nullish(),
        }),
      ),
    }),
  ),
});

const userByField = z.array(z.object({ id: z.number().int(), email: z.string().nullish() }));
const createdUsers = z.array(z.object({ id: z.number().int(), username: z.string() })).min(1);

/** Moodle's own error codes, in the engine's terms. */
function verdict(answer: { status: number; body: unknown }): RemoteVerdict {
  const parsed = moodleError.safeParse(answer.body);
  if (!parsed.success) return { kind: "ok" };
  const { errorcode, message } = parsed.data;
  const said = message ? `: "${message}"` : "";
  const detail = { remoteCode: errorcode };
  switch (errorcode) {
    case "invalidtoken":
      return {
        kind: "error",
        error: new ConnectorError(
          "auth",
          `Moodle refused the web service token${said}. Create a new token for the integration's user under Site administration › Server › Web services › Manage tokens.`,
          detail,
        ),
      };
    case "accessexception":
    case "nopermissions":
    case "requireloginerror":
    case "usernotfullysetup":
      return {
        kind: "error",
        error: new ConnectorError(
          "forbidden",
          `Moodle does not allow the token's user to do this${said}.`,
          detail,
        ),
      };
    case "invalidrecord":
    case "invalidrecordunknown":
    case "invalidcourseid":
      return {
        kind: "error",
        error: new ConnectorError("not-found", `Moodle could not find it${said}.`, detail),
      };
    case "enablewsdescription":
    case "webservicesdisabled":
      return {
        kind: "error",
        error: new ConnectorError(
          "forbidden",
          "Web services are turned off in this Moodle: enable them and the REST protocol under Site administration › Server › Web services.",
          detail,
        ),
      };
    default:
      return {
        kind: "error",
        error: new ConnectorError("remote", `Moodle answered with an error${said}.`, detail),
      };
  }
}

function statusFrom(
  completed: boolean,
  lastAccess: Date | null,
  progress: number | null,
): ExternalEnrollmentStatus {
  if (completed) return "completed";
  if (lastAccess || (progress ?? 0) > 0) return "in-progress";
  return "not-started";
}

export class MoodleConnector implements Connector {
  readonly type = "moodle" as const;
  private readonly http: HttpClient;
  private readonly token: string;
  private readonly options: z.output<typeof moodleOptions>;

  constructor(spec: ConnectorSpec, overrides: Partial<HttpClientOptions> = {}) {
    if (spec.credentials.kind !== "api-token")
      throw new ConnectorError(
        "unsupported",
        "Moodle connects with a web service token; choose the API token authentication.",
      );
    this.token = spec.credentials.token;
    this.options = parseOptions(SYSTEM, moodleOptions, spec);
    this.http = new HttpClient({
      system: SYSTEM,
      baseUrl: spec.baseUrl,
      timeoutMs: spec.timeoutMs,
      maxRetries: spec.maxRetries,
      auth: { kind: "none" },
      inspect: verdict,
      secrets: [this.token],
      ...(spec.allowPrivateNetwork ? {} : { fetch: publicOnlyFetch(SYSTEM) }),
      ...overrides,
    });
  }

  /** Calls one web service function; a refused function is named in the message. */
  private async call<T>(
    fn: string,
    params: Params,
    schema: z.ZodType<T>,
    what: string,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      const { data } = await this.http.request({
        method: "POST",
        url: SERVER_PATH,
        form: { wstoken: this.token, wsfunction: fn, moodlewsrestformat: "json", ...params },
        schema,
        what,
        ...(signal ? { signal } : {}),
      });
      return data;
    } catch (error) {
      if (error instanceof ConnectorError && error.detail.remoteCode === "accessexception")
        throw new ConnectorError(
          "forbidden",
          `Moodle does not let this token call ${fn}: add the function to the token's external service (Site administration › Server › Web services › External services).`,
          error.detail,
        );
      throw error;
    }
  }

  async testConnection(signal?: AbortSignal): Promise<ConnectionTestResult> {
    const list = new CheckList();
    let site: z.output<typeof siteInfo>;
    try {
      site = await this.call(
        "core_webservice_get_site_info",
        {},
        siteInfo,
        "the site information",
        signal,
      );
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      if (error.kind === "auth" || error.kind === "forbidden") {
        list.pass("reach", "Reached the Moodle web services.");
        list.fail("authenticate", error.message);
        list.skip(["functions", "read-courses"], "Moodle did not accept the token.");
      } else {
        list.fail("reach", error.message);
        list.skip(["authenticate", "functions", "read-courses"], "Moodle could not be reached.");
      }
      return list.result();
    }
    list.pass("reach", `Reached the Moodle site "${site.sitename}".`);
    list.system = { name: site.sitename, ...(site.release ? { version: site.release } : {}) };
    list.pass("authenticate", `The token works; it acts as the Moodle user "${site.username}".`);

    const exporting = this.options.direction !== "import";
    const needed: string[] = [
      ...MOODLE_IMPORT_FUNCTIONS,
      ...(exporting ? MOODLE_EXPORT_FUNCTIONS : []),
    ];
    const granted = new Set(site.functions.map((f) => f.name));
    const missing = needed.filter((f) => !granted.has(f));
    if (missing.length === 0)
      list.pass("functions", `The token may call the ${needed.length} functions Lyceum uses.`);
    else
      list.fail(
        "functions",
        `The token's external service lacks ${missing.join(", ")}; add ${missing.length === 1 ? "it" : "them"} under Site administration › Server › Web services › External services.`,
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
          this.call(
            "core_enrol_get_enrolled_users",
            {
              courseid: first.externalId,
              "options[0][name]": "limitfrom",
              "options[0][value]": 0,
              "options[1][name]": "limitnumber",
              "options[1][value]": 1,
            },
            z.array(enrolledUser),
            `the participants of course ${first.externalId}`,
            signal,
          ),
        () => `Read the participants of "${first.title}".`,
      );
    if (exporting) {
      if (granted.has("enrol_manual_enrol_users"))
        list.pass(
          "write-enrollments",
          "The token may enrol people through manual enrolments; each course needs the Manual enrolments method enabled.",
        );
      else
        list.fail(
          "write-enrollments",
          "The token may not call enrol_manual_enrol_users, so Lyceum cannot enrol people in Moodle.",
        );
    }
    return list.result();
  }

  async listCourses(options: ListOptions = {}): Promise<Page<ExternalCourse>> {
    const courses = await this.call(
      "core_course_get_courses",
      {},
      z.array(course),
      "the course list",
      options.signal,
    );
    const home = this.http.resolve(".").href;
    const since = options.since?.getTime() ?? null;
    const items = courses
      .filter((c) => c.format !== "site" && c.id !== 1)
      .map(
        (c): ExternalCourse => ({
          externalId: String(c.id),
          code: c.shortname || c.idnumber || null,
          title: c.fullname,
          summary: c.summary || null,
          url: new URL(`course/view.php?id=${c.id}`, home).href,
          startsAt: fromEpochSeconds(c.startdate),
          endsAt: fromEpochSeconds(c.enddate),
          updatedAt: fromEpochSeconds(c.timemodified),
        }),
      )
      .filter((c) => since === null || !c.updatedAt || c.updatedAt.getTime() >= since);
    return { items, next: null };
  }

  async listEnrollments(
    courseExternalId: string,
    options: ListOptions = {},
  ): Promise<Page<ExternalEnrollment>> {
    const from = offsetCursor(SYSTEM, options.cursor);
    const limit = this.options.pageSize;
    const signal = options.signal;
    const users = await this.call(
      "core_enrol_get_enrolled_users",
      {
        courseid: courseExternalId,
        "options[0][name]": "limitfrom",
        "options[0][value]": from,
        "options[1][name]": "limitnumber",
        "options[1][value]": limit,
      },
      z.array(enrolledUser),
      `the participants of course ${courseExternalId}`,
      signal,
    );
    const roles = new Set(this.options.roles);
    const learners = users.filter(
      (u) => roles.size === 0 || !u.roles?.length || u.roles.some((r) => roles.has(r.shortname)),
    );
    const items = await mapLimit(learners, this.options.concurrency, (u) =>
      this.enrollment(courseExternalId, u, signal),
    );
    return { items, next: users.length < limit ? null : String(from + users.length) };
  }

  private async enrollment(
    courseId: string,
    user: z.output<typeof enrolledUser>,
    signal?: AbortSignal,
  ): Promise<ExternalEnrollment> {
    const [completion, grades] = await Promise.all([
      this.call(
        "core_completion_get_course_completion_status",
        { courseid: courseId, userid: user.id },
        completionStatus,
        `the completion of user ${user.id} in course ${courseId}`,
        signal,
      ).catch((error) => {
        // Completion tracking off for the course, or no criteria set: progress is unknown.
        if (error instanceof ConnectorError && error.kind === "remote") return null;
        throw error;
      }),
      this.call(
        "gradereport_user_get_grade_items",
        { courseid: courseId, userid: user.id },
        gradeItems,
        `the grades of user ${user.id} in course ${courseId}`,
        signal,
      ),
    ]);
    const status = completion?.completionstatus;
    const criteria = status?.completions ?? [];
    const done = criteria.filter((c) => c.complete);
    const progress = status
      ? status.completed
        ? 100
        : criteria.length
          ? Math.round((done.length / criteria.length) * 100)
          : null
      : null;
    const completedAt = status?.completed
      ? fromEpochSeconds(Math.max(0, ...done.map((c) => c.timecompleted ?? 0)))
      : null;
    const total = grades.usergrades
      .find((g) => g.userid === user.id)
      ?.gradeitems.find((i) => i.itemtype === "course");
    const lastAccess = fromEpochSeconds(user.lastcourseaccess);
    const formatted = total?.gradeformatted?.trim();
    return {
      externalId: `${courseId}:${user.id}`,
      courseExternalId: courseId,
      person: {
        externalId: String(user.id),
        email: user.email || null,
        firstName: user.firstname || null,
        lastName: user.lastname || null,
        username: user.username || null,
      },
      status: statusFrom(status?.completed ?? false, lastAccess, progress),
      enrolledAt: null,
      startedAt: null,
      completedAt,
      dueAt: null,
      lastAccessAt: lastAccess,
      progressPercent: progress,
      timeSpentMinutes: null,
      score: total?.graderaw ?? null,
      maxScore: total?.graderaw != null ? (total.grademax ?? null) : null,
      passingScore: null,
      grade: formatted && formatted !== "-" ? formatted : null,
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
    let userId = /^\d+$/.test(input.person.externalId) ? Number(input.person.externalId) : null;
    if (userId === null) {
      if (!input.person.email)
        throw new ConnectorError(
          "not-found",
          "Lyceum knows neither this person's Moodle user id nor their email address.",
        );
      const found = await this.call(
        "core_user_get_users_by_field",
        { field: "email", "values[0]": input.person.email },
        userByField,
        "the user with that email address",
        signal,
      );
      if (!found[0])
        throw new ConnectorError(
          "not-found",
          "Moodle has no user with this person's email address; create the account in Moodle first.",
        );
      userId = found[0].id;
    }
    await this.call(
      "enrol_manual_enrol_users",
      {
        "enrolments[0][roleid]": this.options.studentRoleId,
        "enrolments[0][userid]": userId,
        "enrolments[0][courseid]": input.courseExternalId,
      },
      z.unknown(),
      `the enrolment in course ${input.courseExternalId}`,
      signal,
    );
    return { externalId: `${input.courseExternalId}:${userId}` };
  }

  /**
   * Finds the account by email (`core_user_get_users_by_field`), or creates it
   * (`core_user_create_users`: user name the address, the integration's authentication
   * method, and for manual accounts a password Moodle generates and mails to the person).
   */
  async ensurePerson(
    person: PersonInput,
    signal?: AbortSignal,
  ): Promise<{ externalId: string; created: boolean }> {
    const email = person.email.trim().toLowerCase();
    const found = await this.call(
      "core_user_get_users_by_field",
      { field: "email", "values[0]": email },
      userByField,
      "the user with that email address",
      signal,
    );
    if (found[0]) return { externalId: String(found[0].id), created: false };
    const local = email.split("@")[0] || email;
    const params: Params = {
      "users[0][username]": email,
      "users[0][auth]": this.options.userAuth,
      "users[0][firstname]": person.firstName?.trim() || local,
      "users[0][lastname]": person.lastName?.trim() || local,
      "users[0][email]": email,
    };
    if (this.options.userAuth === "manual") params["users[0][createpassword]"] = 1;
    const created = await this.call(
      "core_user_create_users",
      params,
      createdUsers,
      "the new user account",
      signal,
    );
    return { externalId: String(created[0]!.id), created: true };
  }

  /**
   * Moodle's web services have no function that marks a course completed for another user:
   * Moodle decides course completion from the course's own completion criteria.
   */
  async complete(input: CompletionInput): Promise<{ externalId: string }> {
    throw new ConnectorError(
      "unsupported",
      `Moodle's web services cannot mark course ${input.courseExternalId} completed for a person; Moodle completes courses from their completion criteria.`,
    );
  }
}
