import {
  type Answer,
  type FakeServer,
  type Fault,
  type RecordedRequest,
  type SeedEnrollment,
  seedCourse,
  seedEnrollment,
  seedPerson,
  startFake,
  truncated,
} from "./common.js";

/**
 * A local Canvas LMS answering its REST API under /api/v1 with a Bearer access token:
 * account courses, course enrollments (with grades), the token's own user, account
 * permissions and enrollment creation. Lists are paginated with `per_page`/`page` and the
 * `Link` header (rel="current", "next", "first", "last"); every answer carries
 * `X-Rate-Limit-Remaining` and `X-Request-Cost`; throttling is Canvas's 403 "Rate Limit
 * Exceeded"; errors are `{errors: [{message}]}`.
 *
 * Courses are ids `1000 + n` in account 1, person `n` is user `5000 + n`; records are
 * computed on demand, so large seeds cost nothing until read.
 */

export interface CanvasFakeOptions {
  token?: string;
  accountId?: string;
  courses?: number;
  enrollmentsPerCourse?: number;
  /** Answers of GET /accounts/:id/permissions (both true by default). */
  permissions?: Record<string, boolean>;
  record?: boolean;
}

export interface CanvasEnrollmentCreated {
  courseId: number;
  userId: string;
  type: string;
  enrollmentState: string | null;
}

/** An account made through `POST /accounts/:id/users`, with the form fields as received. */
export interface CanvasUserCreated {
  id: number;
  name: string;
  shortName: string | null;
  sortableName: string | null;
  uniqueId: string;
  email: string | null;
  skipRegistration: boolean;
  sendConfirmation: boolean;
}

/** An enrollment ended through `DELETE /courses/:course_id/enrollments/:id`. */
export interface CanvasEnrollmentEnded {
  courseId: number;
  enrollmentId: number;
  userId: number;
  task: string;
}

export interface CanvasFake extends FakeServer {
  token: string;
  accountId: string;
  created: CanvasEnrollmentCreated[];
  /** Accounts made through `POST /accounts/:id/users` (ids from 7000), in order. */
  users: CanvasUserCreated[];
  /** Enrollments concluded, deactivated or deleted, in order. */
  ended: CanvasEnrollmentEnded[];
  expireToken(): void;
  /** The X-Rate-Limit-Remaining sent from now on (700 by default). */
  setRateLimitRemaining(value: number): void;
}

const courseId = (index: number) => 1000 + index;
const userId = (personIndex: number) => 5000 + personIndex;

export async function startCanvasFake(options: CanvasFakeOptions = {}): Promise<CanvasFake> {
  const token = options.token ?? "canvas-token-7~abcdefghijklmnop";
  const accountId = options.accountId ?? "1";
  const courses = options.courses ?? 3;
  const perCourse = options.enrollmentsPerCourse ?? 25;
  const permissions = options.permissions ?? {
    manage_students: true,
    add_student_to_course: true,
  };
  let expired = false;
  let remaining = 700;
  const created: CanvasEnrollmentCreated[] = [];
  const users: CanvasUserCreated[] = [];
  const ended: CanvasEnrollmentEnded[] = [];
  let origin = "";

  const errors = (status: number, message: string, extra: Record<string, string> = {}): Answer => ({
    status,
    headers: extra,
    body: { errors: [{ message }] },
  });
  const courseIndexOf = (id: number) =>
    Number.isInteger(id) && id >= 1000 && id < 1000 + courses ? id - 1000 : null;

  const paginate = <T>(
    req: RecordedRequest,
    total: number,
    at: (i: number) => T,
  ): { items: T[]; link: string } => {
    const perPage = Math.min(100, Math.max(1, Number(req.query.get("per_page") ?? 10)));
    const page = Math.max(1, Number(req.query.get("page") ?? 1));
    const last = Math.max(1, Math.ceil(total / perPage));
    const items: T[] = [];
    for (let i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++) items.push(at(i));
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams(req.query);
      q.set("page", String(p));
      q.set("per_page", String(perPage));
      return `<${origin}${req.path}?${q.toString()}>; rel="${rel}"`;
    };
    const rels = [link(page, "current")];
    if (page < last) rels.push(link(page + 1, "next"));
    if (page > 1) rels.push(link(page - 1, "prev"));
    rels.push(link(1, "first"), link(last, "last"));
    return { items, link: rels.join(",") };
  };

  const enrollmentAt = (ci: number, i: number): SeedEnrollment | CanvasEnrollmentCreated => {
    if (i < perCourse) return seedEnrollment(ci, i, perCourse);
    return created.filter((c) => c.courseId === courseId(ci))[i - perCourse]!;
  };
  const countIn = (ci: number) =>
    perCourse + created.filter((c) => c.courseId === courseId(ci)).length;

  const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : null);

  const enrollmentJson = (ci: number, i: number) => {
    const json = baseEnrollmentJson(ci, i);
    const end = [...ended].reverse().find((x) => x.enrollmentId === json.id);
    if (!end) return json;
    const state = { conclude: "completed", delete: "deleted" }[end.task] ?? "inactive";
    return { ...json, enrollment_state: state };
  };
  const baseEnrollmentJson = (ci: number, i: number) => {
    const e = enrollmentAt(ci, i);
    const id = 900_000 + ci * perCourse + i;
    if (!("person" in e)) {
      const uid = Number(e.userId);
      const made = users.find((u) => u.id === uid);
      const seed = seedPerson(uid - 5000);
      const person = made
        ? {
            firstName: made.shortName ?? made.name,
            lastName: made.sortableName?.split(",")[0] ?? "",
            email: made.uniqueId,
          }
        : seed;
      return {
        id,
        course_id: e.courseId,
        user_id: uid,
        type: e.type,
        role: e.type,
        enrollment_state: e.enrollmentState ?? "invited",
        created_at: "2026-02-01T10:00:00Z",
        updated_at: "2026-02-01T10:00:00Z",
        last_activity_at: null,
        total_activity_time: 0,
        grades: { current_score: null, final_score: null, current_grade: null, final_grade: null },
        user: {
          id: uid,
          name: `${person.firstName} ${person.lastName}`,
          sortable_name: `${person.lastName}, ${person.firstName}`,
          short_name: person.firstName,
          login_id: person.email,
        },
      };
    }
    const state =
      e.state === "completed" || e.state === "failed"
        ? "completed"
        : e.state === "dropped"
          ? "deleted"
          : "active";
    return {
      id,
      course_id: courseId(ci),
      course_section_id: 2000 + ci,
      enrollment_state: state,
      limit_privileges_to_course_section: false,
      root_account_id: 1,
      type: "StudentEnrollment",
      user_id: userId(e.person.index),
      associated_user_id: null,
      role: "StudentEnrollment",
      role_id: 3,
      created_at: iso(e.enrolledAt),
      updated_at: iso(e.completedAt ?? e.lastAccessAt ?? e.enrolledAt),
      start_at: null,
      end_at: null,
      last_activity_at: iso(e.lastAccessAt),
      last_attended_at: null,
      total_activity_time: e.timeSpentMinutes * 60,
      html_url: `${origin}/courses/${courseId(ci)}/users/${userId(e.person.index)}`,
      grades: {
        html_url: `${origin}/courses/${courseId(ci)}/grades/${userId(e.person.index)}`,
        current_score: e.score,
        final_score: e.score,
        current_grade: e.score === null ? null : e.score >= 60 ? "P" : "F",
        final_grade: e.score === null ? null : e.score >= 60 ? "P" : "F",
      },
      sis_user_id: `HR-${e.person.index + 1}`,
      user: {
        id: userId(e.person.index),
        name: `${e.person.firstName} ${e.person.lastName}`,
        created_at: iso(e.enrolledAt),
        sortable_name: `${e.person.lastName}, ${e.person.firstName}`,
        short_name: e.person.firstName,
        sis_user_id: `HR-${e.person.index + 1}`,
        login_id: e.person.email,
      },
    };
  };

  const route = (req: RecordedRequest): Answer => {
    let m: RegExpExecArray | null = null;
    /** Matches `re` and keeps the match in `m`, for the routes below. */
    const hit = (re: RegExp, text: string) => {
      m = re.exec(text);
      return m !== null;
    };
    if (req.method === "GET" && req.path === "/api/v1/users/self")
      return {
        status: 200,
        body: {
          id: 1,
          name: "Lyceum Sync",
          sortable_name: "Sync, Lyceum",
          short_name: "Lyceum",
          login_id: "lyceum-sync@example.org",
        },
      };
    if (req.method === "GET" && hit(/^\/api\/v1\/accounts\/([^/]+)\/courses$/, req.path)) {
      if (m![1] !== accountId) return errors(404, "The specified resource does not exist.");
      const { items, link } = paginate(req, courses, (i) => {
        const c = seedCourse(i);
        return {
          id: courseId(i),
          name: c.title,
          course_code: c.code,
          account_id: 1,
          workflow_state: "available",
          start_at: iso(c.startsAt),
          end_at: iso(c.endsAt),
          created_at: iso(c.updatedAt),
          public_description: "Everything you need.",
          sis_course_id: c.code,
          default_view: "modules",
          enrollment_term_id: 1,
        };
      });
      return { status: 200, headers: { link }, body: items };
    }
    if (req.method === "GET" && hit(/^\/api\/v1\/accounts\/([^/]+)\/permissions$/, req.path)) {
      if (m![1] !== accountId) return errors(404, "The specified resource does not exist.");
      const asked = req.query.getAll("permissions[]");
      return {
        status: 200,
        body: Object.fromEntries(asked.map((p) => [p, permissions[p] ?? false])),
      };
    }
    if (req.method === "GET" && hit(/^\/api\/v1\/accounts\/([^/]+)\/users$/, req.path)) {
      if (m![1] !== accountId) return errors(404, "The specified resource does not exist.");
      const term = (req.query.get("search_term") ?? "").toLowerCase();
      if (term && term.length < 2) return errors(400, "search_term must be at least 2 characters");
      const withEmail = req.query.getAll("include[]").includes("email");
      const seed = /^learner(\d+)@example\.org$/.exec(term);
      const list = [
        ...(seed
          ? [seedPerson(Number(seed[1]) - 1)].map((p) => ({
              id: userId(p.index),
              name: `${p.firstName} ${p.lastName}`,
              sortable_name: `${p.lastName}, ${p.firstName}`,
              short_name: p.firstName,
              login_id: p.email,
              ...(withEmail ? { email: p.email } : {}),
            }))
          : []),
        ...users
          .filter((u) => !term || u.uniqueId.includes(term) || u.name.toLowerCase().includes(term))
          .map((u) => ({
            id: u.id,
            name: u.name,
            sortable_name: u.sortableName,
            short_name: u.shortName,
            login_id: u.uniqueId,
            ...(withEmail ? { email: u.email } : {}),
          })),
      ];
      const { items, link } = paginate(req, list.length, (i) => list[i]);
      return { status: 200, headers: { link }, body: items };
    }
    if (req.method === "POST" && hit(/^\/api\/v1\/accounts\/([^/]+)\/users$/, req.path)) {
      if (m![1] !== accountId) return errors(404, "The specified resource does not exist.");
      const name = req.form.get("user[name]");
      const uniqueId = req.form.get("pseudonym[unique_id]")?.toLowerCase();
      if (!name || !uniqueId)
        return errors(400, "user[name] and pseudonym[unique_id] are required");
      if (users.some((u) => u.uniqueId === uniqueId) || /^learner\d+@example\.org$/.test(uniqueId))
        return errors(400, "ID already in use for this account and authentication provider");
      const made: CanvasUserCreated = {
        id: 7000 + users.length,
        name,
        shortName: req.form.get("user[short_name]"),
        sortableName: req.form.get("user[sortable_name]"),
        uniqueId,
        email:
          req.form.get("communication_channel[type]") === "email"
            ? req.form.get("communication_channel[address]")
            : null,
        skipRegistration: req.form.get("user[skip_registration]") === "true",
        sendConfirmation: req.form.get("pseudonym[send_confirmation]") === "true",
      };
      users.push(made);
      return {
        status: 200,
        body: {
          id: made.id,
          name: made.name,
          sortable_name: made.sortableName,
          short_name: made.shortName,
          login_id: made.uniqueId,
        },
      };
    }
    if (
      req.method === "DELETE" &&
      hit(/^\/api\/v1\/courses\/(\d+)\/enrollments\/(\d+)$/, req.path)
    ) {
      const ci = courseIndexOf(Number(m![1]));
      const enrollmentId = Number(m![2]);
      if (ci === null) return errors(404, "The specified resource does not exist.");
      const position = Array.from({ length: countIn(ci) }, (_, i) => i).find(
        (i) => baseEnrollmentJson(ci, i).id === enrollmentId,
      );
      if (position === undefined) return errors(404, "The specified resource does not exist.");
      const task = req.query.get("task") ?? req.form.get("task") ?? "conclude";
      if (!["conclude", "delete", "inactivate", "deactivate"].includes(task))
        return errors(400, "task is invalid");
      const json = baseEnrollmentJson(ci, position);
      ended.push({ courseId: courseId(ci), enrollmentId, userId: json.user_id, task });
      return { status: 200, body: enrollmentJson(ci, position) };
    }
    if (hit(/^\/api\/v1\/courses\/(\d+)\/enrollments$/, req.path)) {
      const ci = courseIndexOf(Number(m![1]));
      if (ci === null) return errors(404, "The specified resource does not exist.");
      if (req.method === "POST") {
        const user = req.form.get("enrollment[user_id]");
        if (!user) return errors(400, "user_id is required");
        const entry: CanvasEnrollmentCreated = {
          courseId: courseId(ci),
          userId: user.startsWith("sis_login_id:")
            ? String(5000 + Number(/learner(\d+)@/.exec(user)?.[1] ?? 0) - 1)
            : user,
          type: req.form.get("enrollment[type]") ?? "StudentEnrollment",
          enrollmentState: req.form.get("enrollment[enrollment_state]"),
        };
        created.push(entry);
        return { status: 200, body: enrollmentJson(ci, countIn(ci) - 1) };
      }
      const types = req.query.getAll("type[]");
      if (types.length && !types.includes("StudentEnrollment")) return { status: 200, body: [] };
      const only = req.query.get("user_id");
      if (only) {
        const states = req.query.getAll("state[]");
        const mine = Array.from({ length: countIn(ci) }, (_, i) => enrollmentJson(ci, i)).filter(
          (e) =>
            String(e.user_id) === only &&
            (states.length ? states.includes(e.enrollment_state) : true),
        );
        return { status: 200, body: mine };
      }
      const { items, link } = paginate(req, countIn(ci), (i) => enrollmentJson(ci, i));
      return { status: 200, headers: { link }, body: items };
    }
    return errors(404, "The specified resource does not exist.");
  };

  const handle = (req: RecordedRequest, fault: Fault | null): Answer => {
    const rate = { "x-rate-limit-remaining": remaining.toFixed(1), "x-request-cost": "0.5" };
    if (fault?.kind === "rate-limit")
      return {
        status: 403,
        headers: {
          "x-rate-limit-remaining": "0.0",
          "content-type": "text/plain",
          ...(fault.retryAfter ? { "retry-after": fault.retryAfter } : {}),
        },
        raw: "403 Forbidden (Rate Limit Exceeded)\n",
      };
    if (fault?.kind === "server-error")
      return errors(fault.status ?? 500, "An error occurred.", rate);
    if (req.authorization !== `Bearer ${token}` || expired || fault?.kind === "expired-token")
      return errors(401, "Invalid access token.", {
        ...rate,
        "www-authenticate": 'Bearer realm="canvas-lms"',
      });
    const answer = route(req);
    answer.headers = { ...rate, ...answer.headers };
    if (fault?.kind === "malformed" && Array.isArray(answer.body))
      return { ...answer, body: answer.body.map(() => ({ id: "x", user: 7 })) };
    if (fault?.kind === "malformed") return { ...answer, body: { unexpected: true } };
    if (fault?.kind === "partial") return { ...answer, raw: truncated(answer.body) };
    return answer;
  };

  const server = await startFake(handle, { record: options.record ?? true });
  origin = server.url;
  return {
    ...server,
    token,
    accountId,
    created,
    users,
    ended,
    expireToken: () => {
      expired = true;
    },
    setRateLimitRemaining: (value) => {
      remaining = value;
    },
  };
}
