import {
  type Answer,
  type FakeServer,
  type Fault,
  type RecordedRequest,
  type SeedEnrollment,
  type SeedPerson,
  seconds,
  seedCourse,
  seedEnrollment,
  seedPerson,
  startFake,
  truncated,
} from "./common.js";

/**
 * A local TalentLMS answering its REST API v1 (`/api/v1/...`) with HTTP basic auth (the API
 * key as user name, no password): `siteinfo`, `users`, `users/email:…`, `courses`,
 * `courses/id:…` (with its users' progress), `getuserstatusincourse/course_id:…,user_id:…`
 * and `addusertocourse`. Errors are `{error: {type, message}}`; every answer carries
 * X-RateLimit-Limit/-Remaining/-Reset, and throttling is HTTP 429.
 *
 * Courses are ids `200 + n`, person `n` is user `1000 + n`; records are computed on demand.
 */

export interface TalentLmsFakeOptions {
  apiKey?: string;
  courses?: number;
  enrollmentsPerCourse?: number;
  record?: boolean;
}

/** An account made through `usersignup`, with the form fields as received. */
export interface TalentLmsSignup {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  login: string;
  password: string;
}

export interface TalentLmsFake extends FakeServer {
  apiKey: string;
  added: Array<{ userId: number; courseId: number; role: string }>;
  /** Accounts made through `usersignup` (ids from 3000), in order. */
  signups: TalentLmsSignup[];
  /** The key is deactivated: every later call is refused. */
  expireToken(): void;
}

const courseId = (index: number) => 200 + index;
const userId = (personIndex: number) => 1000 + personIndex;

/** TalentLMS's display format for dates (the site's DDMMYYYY setting). */
function displayDate(date: Date | null): string | null {
  if (!date) return null;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(date.getUTCDate())}/${p(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}, ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}
const stamp = (date: Date | null) => (date ? String(seconds(date)) : null);

export async function startTalentLmsFake(
  options: TalentLmsFakeOptions = {},
): Promise<TalentLmsFake> {
  const apiKey = options.apiKey ?? "talentlmsApiKey0123456789ABCDEF";
  const courses = options.courses ?? 3;
  const perCourse = options.enrollmentsPerCourse ?? 25;
  const people = courses * perCourse;
  let expired = false;
  const added: TalentLmsFake["added"] = [];
  const signups: TalentLmsSignup[] = [];

  const error = (status: number, type: string, message: string): Answer => ({
    status,
    body: { error: { type, message } },
  });
  const courseIndexOf = (id: number) =>
    Number.isInteger(id) && id >= 200 && id < 200 + courses ? id - 200 : null;
  const personOf = (uid: number): SeedPerson | null => {
    const made = signups.find((u) => u.id === uid);
    if (made)
      return {
        index: uid - 1000,
        firstName: made.firstName,
        lastName: made.lastName,
        email: made.email,
        username: made.login,
      };
    return uid >= 1000 && uid < 1000 + people ? seedPerson(uid - 1000) : null;
  };

  const userJson = (p: SeedPerson) => ({
    id: String(userId(p.index)),
    login: p.username,
    first_name: p.firstName,
    last_name: p.lastName,
    email: p.email,
    restrict_email: "0",
    user_type: "Learner-Type",
    timezone: "(GMT +00:00) UTC",
    language: "en",
    status: "active",
    deactivation_date: "",
    level: "1",
    points: "0",
    created_on: "05/01/2026, 09:00:00",
    last_updated: "05/01/2026, 09:00:00",
    last_updated_timestamp: "1767603600",
    avatar: "",
    bio: "",
    login_key: `https://example.talentlms.com/index/autologin/key:${"x".repeat(8)}`,
  });
  const courseJson = (i: number) => {
    const c = seedCourse(i);
    return {
      id: String(courseId(i)),
      name: c.title,
      code: c.code,
      category_id: "1",
      description: "Everything you need.",
      price: "&#36;0.00",
      status: "active",
      creation_date: displayDate(c.startsAt),
      last_update_on: displayDate(c.updatedAt),
      creator_id: "1",
      hide_from_catalog: "0",
      time_limit: "0",
      start_datetime: null,
      expiration_datetime: null,
      level: null,
      shared: 0,
      shared_url: "",
      avatar: "",
      big_avatar: "",
      certification: null,
      certification_duration: null,
    };
  };
  const enrollmentsOf = (ci: number): Array<SeedEnrollment> => {
    const list: SeedEnrollment[] = [];
    for (let i = 0; i < perCourse; i++) list.push(seedEnrollment(ci, i, perCourse));
    for (const a of added.filter((x) => x.courseId === courseId(ci)))
      list.push({
        courseIndex: ci,
        index: list.length,
        person: seedPerson(a.userId - 1000),
        state: "not-started",
        enrolledAt: new Date(Date.UTC(2026, 1, 1)),
        lastAccessAt: null,
        completedAt: null,
        progressPercent: 0,
        score: null,
        timeSpentMinutes: 0,
      });
    return list;
  };
  const courseUser = (e: SeedEnrollment) => ({
    id: String(userId(e.person.index)),
    name: `${e.person.firstName[0]}. ${e.person.lastName}`,
    role: "learner",
    enrolled_on: displayDate(e.enrolledAt),
    enrolled_on_timestamp: stamp(e.enrolledAt),
    completed_on: displayDate(e.completedAt) ?? "",
    completed_on_timestamp: stamp(e.completedAt),
    completion_percentage: String(e.progressPercent),
    expired_on: "",
    expired_on_timestamp: null,
    total_time: `${e.timeSpentMinutes}m`,
    total_time_seconds: e.timeSpentMinutes * 60,
  });
  /** `name:value,name:value` path arguments. */
  const args = (text: string) =>
    new Map(
      text.split(",").map((pair) => {
        const at = pair.indexOf(":");
        return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))] as const;
      }),
    );

  const route = (req: RecordedRequest): Answer => {
    const path = req.path.replace(/^\/api\/v1\//, "");
    let m: RegExpExecArray | null = null;
    /** Matches `re` and keeps the match in `m`, for the routes below. */
    const hit = (re: RegExp, text: string) => {
      m = re.exec(text);
      return m !== null;
    };
    if (req.method === "GET" && path === "siteinfo")
      return {
        status: 200,
        body: {
          total_users: String(people),
          total_courses: String(courses),
          total_categories: "1",
          total_groups: "0",
          total_branches: "0",
          monthly_active_users: 10,
          signup_method: "manual",
          paypal_email: "",
          domain_map: "",
          date_format: "DDMMYYYY",
        },
      };
    if (req.method === "GET" && path === "users")
      return {
        status: 200,
        body: Array.from({ length: people }, (_, i) => userJson(seedPerson(i))),
      };
    if (req.method === "GET" && hit(/^users\/(.+)$/, path)) {
      const a = args(m![1]!);
      const email = a.get("email");
      const id = a.get("id");
      const person = email
        ? (() => {
            const made = signups.find((u) => u.email === email.toLowerCase());
            if (made) return personOf(made.id);
            const n = /^learner(\d+)@example\.org$/.exec(email);
            return n ? personOf(userId(Number(n[1]) - 1)) : null;
          })()
        : id
          ? personOf(Number(id))
          : null;
      return person
        ? { status: 200, body: userJson(person) }
        : error(404, "invalid_request_error", "The requested user does not exist");
    }
    if (req.method === "GET" && path === "courses")
      return { status: 200, body: Array.from({ length: courses }, (_, i) => courseJson(i)) };
    if (req.method === "GET" && hit(/^courses\/(.+)$/, path)) {
      const ci = courseIndexOf(Number(args(m![1]!).get("id")));
      if (ci === null)
        return error(404, "invalid_request_error", "The requested course does not exist");
      return {
        status: 200,
        body: {
          ...courseJson(ci),
          prerequisites: [],
          users: [
            {
              id: "1",
              name: "A. Instructor",
              role: "instructor",
              enrolled_on: "05/01/2026, 09:00:00",
              enrolled_on_timestamp: "1767603600",
              completed_on: "",
              completed_on_timestamp: null,
              completion_percentage: "0",
              expired_on: "",
              expired_on_timestamp: null,
              total_time: "0s",
              total_time_seconds: 0,
            },
            ...enrollmentsOf(ci).map(courseUser),
          ],
          units: [
            { id: "1", type: "Content", name: "Introduction", url: "" },
            { id: "2", type: "Test", name: "Final test", url: "" },
          ],
          rules: [],
          custom_fields: [],
        },
      };
    }
    if (req.method === "GET" && hit(/^getuserstatusincourse\/(.+)$/, path)) {
      const a = args(m![1]!);
      const ci = courseIndexOf(Number(a.get("course_id")));
      const uid = Number(a.get("user_id"));
      const e =
        ci === null ? undefined : enrollmentsOf(ci).find((x) => userId(x.person.index) === uid);
      if (!e)
        return error(
          404,
          "invalid_request_error",
          "The requested user is not enrolled in this course",
        );
      const status =
        e.state === "completed"
          ? "Completed"
          : e.state === "failed"
            ? "Failed"
            : e.state === "not-started"
              ? "Not attempted"
              : "In progress";
      return {
        status: 200,
        body: {
          role: "learner",
          enrolled_on: displayDate(e.enrolledAt),
          enrolled_on_timestamp: stamp(e.enrolledAt),
          completion_status: status,
          completion_percentage: String(e.progressPercent),
          completed_on: displayDate(e.completedAt) ?? "",
          completed_on_timestamp: stamp(e.completedAt),
          expired_on: "",
          expired_on_timestamp: null,
          total_time: `${e.timeSpentMinutes}m`,
          total_time_seconds: e.timeSpentMinutes * 60,
          units: [
            {
              id: "1",
              type: "Content",
              name: "Introduction",
              completion_status: e.state === "not-started" ? "Not attempted" : "Completed",
              completed_on: "",
              completed_on_timestamp: null,
              score: null,
              total_time: "5m",
              total_time_seconds: 300,
            },
            {
              id: "2",
              type: "Test",
              name: "Final test",
              completion_status: e.score === null ? "Not attempted" : status,
              completed_on: displayDate(e.completedAt) ?? "",
              completed_on_timestamp: stamp(e.completedAt),
              score: e.score === null ? null : String(e.score),
              total_time: "10m",
              total_time_seconds: 600,
            },
          ],
        },
      };
    }
    if (req.method === "POST" && path === "usersignup") {
      const field = (name: string) => req.form.get(name)?.trim() ?? "";
      const [firstName, lastName, email, login, password] = [
        "first_name",
        "last_name",
        "email",
        "login",
        "password",
      ].map(field) as [string, string, string, string, string];
      if (!firstName || !lastName || !email || !login || !password)
        return error(400, "invalid_request_error", "Invalid arguments provided");
      const lower = email.toLowerCase();
      if (signups.some((u) => u.email === lower) || /^learner\d+@example\.org$/.test(lower))
        return error(400, "invalid_request_error", "A user with the same email already exists");
      const made: TalentLmsSignup = {
        id: 3000 + signups.length,
        firstName,
        lastName,
        email: lower,
        login,
        password,
      };
      signups.push(made);
      return { status: 200, body: userJson(personOf(made.id)!) };
    }
    if (req.method === "POST" && path === "addusertocourse") {
      const uid = Number(req.form.get("user_id"));
      const cid = Number(req.form.get("course_id"));
      const role = req.form.get("role") ?? "learner";
      const ci = courseIndexOf(cid);
      if (ci === null || !personOf(uid))
        return error(404, "invalid_request_error", "The requested user or course does not exist");
      if (enrollmentsOf(ci).some((x) => userId(x.person.index) === uid))
        return error(400, "invalid_request_error", "The user is already enrolled in this course");
      added.push({ userId: uid, courseId: cid, role });
      return {
        status: 200,
        body: [
          { user_id: String(uid), course_id: String(cid), role, course_name: seedCourse(ci).title },
        ],
      };
    }
    return error(400, "invalid_request_error", "Invalid arguments provided");
  };

  const handle = (req: RecordedRequest, fault: Fault | null): Answer => {
    const rate = {
      "x-ratelimit-limit": "2000",
      "x-ratelimit-remaining": "1999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    };
    if (fault?.kind === "rate-limit")
      return {
        status: 429,
        headers: {
          ...rate,
          "x-ratelimit-remaining": "0",
          ...(fault.retryAfter ? { "retry-after": fault.retryAfter } : {}),
        },
        body: { error: { type: "rate_limit_error", message: "API rate limit exceeded" } },
      };
    if (fault?.kind === "server-error")
      return { status: fault.status ?? 500, raw: "<h1>500 Internal Server Error</h1>" };
    const expected = `Basic ${Buffer.from(`${apiKey}:`).toString("base64")}`;
    if (req.authorization !== expected)
      return { ...error(401, "invalid_request_error", "Invalid API key provided"), headers: rate };
    if (expired || fault?.kind === "expired-token")
      return { ...error(401, "invalid_request_error", "API key is not active"), headers: rate };
    const answer = route(req);
    answer.headers = { ...rate, ...answer.headers };
    if (fault?.kind === "malformed")
      return { ...answer, body: Array.isArray(answer.body) ? [{ id: [] }] : { users: "none" } };
    if (fault?.kind === "partial") return { ...answer, raw: truncated(answer.body) };
    return answer;
  };

  const server = await startFake(handle, { record: options.record ?? true });
  return {
    ...server,
    apiKey,
    added,
    signups,
    expireToken: () => {
      expired = true;
    },
  };
}
