import {
  type Answer,
  type FakeServer,
  type Fault,
  type RecordedRequest,
  type SeedEnrollment,
  seconds,
  seedCourse,
  seedEnrollment,
  seedPerson,
  startFake,
  truncated,
} from "./common.js";

/**
 * A local Moodle answering its web services over the REST protocol: `POST
 * /webservice/rest/server.php` with `wstoken`, `wsfunction` and `moodlewsrestformat=json`,
 * parameters in Moodle's array syntax (`options[0][name]=limitfrom`), and errors the way
 * Moodle gives them: HTTP 200 with `{exception, errorcode, message}`.
 *
 * Course ids start at 2 (1 is the site itself, listed as Moodle lists it); person `n` is user
 * id `100 + n`. Records are computed on demand, so large seeds cost nothing until read.
 */

export const MOODLE_FUNCTIONS = [
  "core_webservice_get_site_info",
  "core_course_get_courses",
  "core_enrol_get_enrolled_users",
  "core_completion_get_course_completion_status",
  "gradereport_user_get_grade_items",
  "enrol_manual_enrol_users",
  "core_user_get_users_by_field",
  "core_user_create_users",
] as const;

/** An account made through `core_user_create_users`, with the parameters as received. */
export interface MoodleUserCreated {
  id: number;
  username: string;
  auth: string;
  firstname: string;
  lastname: string;
  email: string;
  createpassword: boolean;
}

export interface MoodleFakeOptions {
  token?: string;
  courses?: number;
  enrollmentsPerCourse?: number;
  /** The functions the token's external service allows (all of MOODLE_FUNCTIONS by default). */
  allowedFunctions?: readonly string[];
  /** Record every request (default); a benchmark may turn it off. */
  record?: boolean;
}

export interface MoodleFake extends FakeServer {
  token: string;
  /** Enrolments made through `enrol_manual_enrol_users`, in order. */
  enrolments: Array<{ courseid: number; userid: number; roleid: number }>;
  /** Accounts made through `core_user_create_users` (ids from 10000), in order. */
  users: MoodleUserCreated[];
  /** Every later call is refused as with an expired token. */
  expireToken(): void;
  setAllowedFunctions(functions: readonly string[]): void;
  /** The parameters of a request, body and query together. */
  params(req: RecordedRequest): URLSearchParams;
}

const courseId = (index: number) => index + 2;
const userId = (personIndex: number) => 100 + personIndex;

export async function startMoodleFake(options: MoodleFakeOptions = {}): Promise<MoodleFake> {
  const token = options.token ?? "moodle-token-0123456789abcdef";
  const courses = options.courses ?? 3;
  const perCourse = options.enrollmentsPerCourse ?? 25;
  let allowed = new Set<string>(options.allowedFunctions ?? MOODLE_FUNCTIONS);
  let expired = false;
  const enrolments: MoodleFake["enrolments"] = [];
  const users: MoodleUserCreated[] = [];

  const params = (req: RecordedRequest) => {
    const all = new URLSearchParams(req.query);
    for (const [k, v] of req.form) all.append(k, v);
    return all;
  };
  const error = (exception: string, errorcode: string, message: string): Answer => ({
    status: 200,
    body: { exception, errorcode, message },
  });
  const courseIndexOf = (id: number) =>
    Number.isInteger(id) && id >= 2 && id < courses + 2 ? id - 2 : null;

  /** Generated enrolment or one added by export, by course and position. */
  const enrolmentAt = (courseIndex: number, position: number): SeedEnrollment | null => {
    if (position < perCourse) return seedEnrollment(courseIndex, position, perCourse);
    const added = enrolments.filter((e) => e.courseid === courseId(courseIndex))[
      position - perCourse
    ];
    if (!added) return null;
    const person = seedPerson(added.userid - 100);
    return {
      courseIndex,
      index: position,
      person,
      state: "not-started",
      enrolledAt: new Date(),
      lastAccessAt: null,
      completedAt: null,
      progressPercent: 0,
      score: null,
      timeSpentMinutes: 0,
    };
  };
  const countIn = (courseIndex: number) =>
    perCourse + enrolments.filter((e) => e.courseid === courseId(courseIndex)).length;
  const findEnrolment = (courseIndex: number, uid: number): SeedEnrollment | null => {
    const personIndex = uid - 100;
    const position = personIndex - courseIndex * perCourse;
    if (position >= 0 && position < perCourse)
      return seedEnrollment(courseIndex, position, perCourse);
    const added = enrolments.findIndex(
      (e) => e.courseid === courseId(courseIndex) && e.userid === uid,
    );
    return added < 0 ? null : enrolmentAt(courseIndex, perCourse + added);
  };

  const user = (e: SeedEnrollment) => ({
    id: userId(e.person.index),
    username: e.person.username,
    firstname: e.person.firstName,
    lastname: e.person.lastName,
    fullname: `${e.person.firstName} ${e.person.lastName}`,
    email: e.person.email,
    department: "",
    firstaccess: seconds(e.lastAccessAt),
    lastaccess: seconds(e.lastAccessAt),
    lastcourseaccess: seconds(e.lastAccessAt),
    description: "",
    descriptionformat: 1,
    profileimageurlsmall: "",
    profileimageurl: "",
    roles: [{ roleid: 5, name: "", shortname: "student", sortorder: 0 }],
    enrolledcourses: [
      {
        id: courseId(e.courseIndex),
        fullname: seedCourse(e.courseIndex).title,
        shortname: seedCourse(e.courseIndex).code,
      },
    ],
  });

  const call = (fn: string, p: URLSearchParams): Answer => {
    switch (fn) {
      case "core_webservice_get_site_info":
        return {
          status: 200,
          body: {
            sitename: "Example Academy",
            username: "lyceum-sync",
            firstname: "Lyceum",
            lastname: "Sync",
            fullname: "Lyceum Sync",
            lang: "en",
            userid: 3,
            siteurl: "https://moodle.example.org",
            userpictureurl: "",
            functions: [...allowed].map((name) => ({ name, version: "2023100900" })),
            downloadfiles: 0,
            uploadfiles: 0,
            release: "4.3.2 (Build: 20231222)",
            version: "2023100902",
            mobilecssurl: "",
            advancedfeatures: [{ name: "enablecompletion", value: 1 }],
            siteid: 1,
          },
        };
      case "core_course_get_courses": {
        const site = {
          id: 1,
          shortname: "academy",
          categoryid: 0,
          fullname: "Example Academy",
          displayname: "Example Academy",
          idnumber: "",
          summary: "",
          summaryformat: 1,
          format: "site",
          startdate: 0,
          enddate: 0,
          timecreated: 1700000000,
          timemodified: 1700000000,
          visible: 1,
          enablecompletion: 0,
        };
        const list = Array.from({ length: courses }, (_, i) => {
          const c = seedCourse(i);
          return {
            id: courseId(i),
            shortname: c.code,
            categoryid: 1,
            categorysortorder: 10000 + i,
            fullname: c.title,
            displayname: c.title,
            idnumber: c.code,
            summary: c.summary,
            summaryformat: 1,
            format: "topics",
            showgrades: 1,
            newsitems: 5,
            startdate: seconds(c.startsAt),
            enddate: seconds(c.endsAt),
            numsections: 4,
            maxbytes: 0,
            showreports: 0,
            visible: 1,
            groupmode: 0,
            groupmodeforce: 0,
            defaultgroupingid: 0,
            timecreated: seconds(c.startsAt) - 86400,
            timemodified: seconds(c.updatedAt),
            enablecompletion: 1,
            completionnotify: 0,
            lang: "",
            forcetheme: "",
          };
        });
        const ids = [...p.entries()]
          .filter(([k]) => /^options\[ids\]\[\d+\]$/.test(k))
          .map(([, v]) => Number(v));
        const all = [site, ...list];
        return { status: 200, body: ids.length ? all.filter((c) => ids.includes(c.id)) : all };
      }
      case "core_enrol_get_enrolled_users": {
        const ci = courseIndexOf(Number(p.get("courseid")));
        if (ci === null)
          return error(
            "dml_missing_record_exception",
            "invalidrecord",
            "Can't find data record in database table course.",
          );
        const opts = new Map<string, string>();
        for (let i = 0; p.has(`options[${i}][name]`); i++)
          opts.set(p.get(`options[${i}][name]`)!, p.get(`options[${i}][value]`) ?? "");
        const from = Number(opts.get("limitfrom") ?? 0);
        const limit = Number(opts.get("limitnumber") ?? 0);
        const end = limit > 0 ? Math.min(countIn(ci), from + limit) : countIn(ci);
        const out = [];
        for (let i = from; i < end; i++) {
          const e = enrolmentAt(ci, i);
          if (e) out.push(user(e));
        }
        return { status: 200, body: out };
      }
      case "core_completion_get_course_completion_status": {
        const ci = courseIndexOf(Number(p.get("courseid")));
        const e = ci === null ? null : findEnrolment(ci, Number(p.get("userid")));
        if (!e)
          return error(
            "moodle_exception",
            "nocourseparticipants",
            "This user is not enrolled in this course.",
          );
        const done = e.state === "completed";
        return {
          status: 200,
          body: {
            completionstatus: {
              completed: done,
              aggregation: 1,
              completions: [
                {
                  type: 4,
                  title: "Activity completion",
                  status: done ? "Yes" : "No",
                  complete: done,
                  timecompleted: done ? seconds(e.completedAt) : null,
                  details: {
                    type: "Activity completion",
                    criteria: "Final quiz",
                    requirement: "Marking yourself complete",
                    status: done ? "Yes" : "No",
                  },
                },
              ],
            },
            warnings: [],
          },
        };
      }
      case "gradereport_user_get_grade_items": {
        const ci = courseIndexOf(Number(p.get("courseid")));
        const uid = Number(p.get("userid"));
        const e = ci === null ? null : findEnrolment(ci, uid);
        if (!e) return { status: 200, body: { usergrades: [], warnings: [] } };
        const item = (itemtype: string, raw: number | null) => ({
          id: itemtype === "course" ? 1 : 2,
          itemname: itemtype === "course" ? null : "Final quiz",
          itemtype,
          itemmodule: itemtype === "course" ? null : "quiz",
          iteminstance: 1,
          itemnumber: 0,
          idnumber: "",
          categoryid: null,
          outcomeid: null,
          scaleid: null,
          locked: false,
          graderaw: raw,
          gradedatesubmitted: null,
          gradedategraded: raw === null ? null : seconds(e.completedAt ?? e.lastAccessAt),
          gradehiddenbydate: false,
          gradeneedsupdate: false,
          gradeishidden: false,
          gradeislocked: false,
          gradeisoverridden: false,
          gradeformatted: raw === null ? "-" : raw.toFixed(2),
          grademin: 0,
          grademax: 100,
          rangeformatted: "0–100",
          feedback: "",
          feedbackformat: 0,
        });
        return {
          status: 200,
          body: {
            usergrades: [
              {
                courseid: courseId(ci!),
                userid: uid,
                userfullname: `${e.person.firstName} ${e.person.lastName}`,
                useridnumber: "",
                maxdepth: 2,
                gradeitems: [item("mod", e.score), item("course", e.score)],
              },
            ],
            warnings: [],
          },
        };
      }
      case "enrol_manual_enrol_users": {
        for (let i = 0; p.has(`enrolments[${i}][userid]`); i++) {
          const courseid = Number(p.get(`enrolments[${i}][courseid]`));
          const userid = Number(p.get(`enrolments[${i}][userid]`));
          const roleid = Number(p.get(`enrolments[${i}][roleid]`));
          if (courseIndexOf(courseid) === null)
            return error(
              "dml_missing_record_exception",
              "invalidrecord",
              "Can't find data record in database table course.",
            );
          if (!enrolments.some((e) => e.courseid === courseid && e.userid === userid))
            enrolments.push({ courseid, userid, roleid });
        }
        return { status: 200, raw: "null" };
      }
      case "core_user_get_users_by_field": {
        const field = p.get("field");
        const values = [...p.entries()]
          .filter(([k]) => /^values\[\d+\]$/.test(k))
          .map(([, v]) => v);
        const found = values.flatMap((v) => {
          const made = users.find((u) =>
            field === "email" ? u.email === v.toLowerCase() : field === "id" && String(u.id) === v,
          );
          if (made) return [{ ...made, fullname: `${made.firstname} ${made.lastname}` }];
          const m =
            field === "email"
              ? /^learner(\d+)@example\.org$/.exec(v)
              : field === "id"
                ? /^(\d+)$/.exec(String(Number(v) - 99))
                : null;
          if (!m) return [];
          const person = seedPerson(Number(m[1]) - 1);
          return [
            {
              id: userId(person.index),
              username: person.username,
              firstname: person.firstName,
              lastname: person.lastName,
              fullname: `${person.firstName} ${person.lastName}`,
              email: person.email,
            },
          ];
        });
        return { status: 200, body: found };
      }
      case "core_user_create_users": {
        const made: Array<{ id: number; username: string }> = [];
        for (let i = 0; p.has(`users[${i}][username]`); i++) {
          const get = (field: string) => p.get(`users[${i}][${field}]`) ?? "";
          const username = get("username");
          const email = get("email").toLowerCase();
          if (!get("firstname") || !get("lastname") || !email)
            return error(
              "invalid_parameter_exception",
              "invalidparameter",
              "Invalid parameter value detected",
            );
          if (!get("password") && get("createpassword") !== "1" && get("auth") === "manual")
            return error("invalid_parameter_exception", "invalidparameter", "Invalid password");
          if (
            users.some((u) => u.username === username) ||
            /^learner\d+(@example\.org)?$/.test(username)
          )
            return error("moodle_exception", "username", "Username already exists: " + username);
          const created: MoodleUserCreated = {
            id: 10_000 + users.length,
            username,
            auth: get("auth") || "manual",
            firstname: get("firstname"),
            lastname: get("lastname"),
            email,
            createpassword: get("createpassword") === "1",
          };
          users.push(created);
          made.push({ id: created.id, username });
        }
        if (!made.length)
          return error(
            "invalid_parameter_exception",
            "invalidparameter",
            "Invalid parameter value detected",
          );
        return { status: 200, body: made };
      }
      default:
        return error(
          "dml_missing_record_exception",
          "invalidrecord",
          "Can't find data record in database table external_functions.",
        );
    }
  };

  const handle = (req: RecordedRequest, fault: Fault | null): Answer => {
    if (req.path !== "/webservice/rest/server.php") return { status: 404, raw: "Not found" };
    const p = params(req);
    if (fault?.kind === "rate-limit")
      return {
        status: 429,
        headers: { "retry-after": fault.retryAfter ?? "1" },
        raw: "Too many requests",
      };
    if (fault?.kind === "server-error")
      return { status: fault.status ?? 500, raw: "<html><body>Internal error</body></html>" };
    if (p.get("wstoken") !== token)
      return error("moodle_exception", "invalidtoken", "Invalid token - token not found");
    if (expired || fault?.kind === "expired-token")
      return error("moodle_exception", "invalidtoken", "Invalid token - token expired");
    const fn = p.get("wsfunction") ?? "";
    if (p.get("moodlewsrestformat") !== "json")
      return { status: 200, raw: "<?xml version='1.0'?><RESPONSE></RESPONSE>" };
    if (!allowed.has(fn) && MOODLE_FUNCTIONS.includes(fn as (typeof MOODLE_FUNCTIONS)[number]))
      return error("webservice_access_exception", "accessexception", "Access control exception");
    const answer = call(fn, p);
    if (fault?.kind === "malformed") return { status: 200, body: [{ id: "not-a-number" }] };
    if (fault?.kind === "partial") return { status: 200, raw: truncated(answer.body ?? null) };
    return answer;
  };

  const server = await startFake(handle, { record: options.record ?? true });
  return {
    ...server,
    token,
    enrolments,
    users,
    expireToken: () => {
      expired = true;
    },
    setAllowedFunctions: (functions) => {
      allowed = new Set(functions);
    },
    params,
  };
}
