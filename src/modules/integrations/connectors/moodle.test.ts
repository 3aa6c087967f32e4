import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedEnrollment } from "../fakes/common.js";
import { type MoodleFake, startMoodleFake } from "../fakes/moodle-fake.js";
import { MOODLE_IMPORT_FUNCTIONS, MoodleConnector } from "./moodle.js";
import { createConnector } from "./registry.js";
import { ConnectorError, type ConnectorSpec, type ExternalEnrollment } from "./types.js";

let fake: MoodleFake;

beforeEach(async () => {
  fake = await startMoodleFake({ courses: 2, enrollmentsPerCourse: 25 });
});
afterEach(async () => {
  await fake.close();
});

const spec = (over: Partial<ConnectorSpec> = {}): ConnectorSpec => ({
  allowPrivateNetwork: true,
  type: "moodle",
  baseUrl: fake.url,
  credentials: { kind: "api-token", token: fake.token },
  timeoutMs: 2000,
  maxRetries: 2,
  options: { pageSize: 10 },
  ...over,
});
const connector = (over: Partial<ConnectorSpec> = {}) =>
  new MoodleConnector(spec(over), { backoffBaseMs: 1 });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected a ConnectorError");
}

async function all(c: MoodleConnector, courseId: string): Promise<ExternalEnrollment[]> {
  const out: ExternalEnrollment[] = [];
  let cursor: string | null = null;
  do {
    const page = await c.listEnrollments(courseId, { cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

describe("Moodle connector", () => {
  it("is the registry's connector for moodle", () => {
    expect(createConnector(spec())).toBeInstanceOf(MoodleConnector);
  });

  it("lists courses without the site course, with dates and a link", async () => {
    const page = await connector().listCourses();
    expect(page.next).toBeNull();
    expect(page.items.map((c) => c.externalId)).toEqual(["2", "3"]);
    expect(page.items[0]).toMatchObject({
      code: "C001",
      title: "Safety 1",
      url: `${fake.url}/course/view.php?id=2`,
      startsAt: new Date("2026-01-05T09:00:00Z"),
      endsAt: new Date("2026-04-05T09:00:00Z"),
    });
    const form = fake.params(fake.requests[0]!);
    expect(form.get("wsfunction")).toBe("core_course_get_courses");
    expect(form.get("moodlewsrestformat")).toBe("json");
    expect(fake.requests[0]!.method).toBe("POST");
  });

  it("pages through every enrolment with limitfrom/limitnumber to the end", async () => {
    const enrollments = await all(connector(), "2");
    expect(enrollments).toHaveLength(25);
    expect(new Set(enrollments.map((e) => e.externalId)).size).toBe(25);
    const pages = fake.requests
      .map((r) => fake.params(r))
      .filter((p) => p.get("wsfunction") === "core_enrol_get_enrolled_users");
    expect(pages.map((p) => [p.get("options[0][value]"), p.get("options[1][value]")])).toEqual([
      ["0", "10"],
      ["10", "10"],
      ["20", "10"],
    ]);
  });

  it("resumes from a stored cursor", async () => {
    const c = connector();
    const first = await c.listEnrollments("2");
    expect(first.next).toBe("10");
    const resumed = await connector().listEnrollments("2", { cursor: first.next });
    expect(resumed.items[0]!.person.externalId).toBe("110");
    expect(resumed.next).toBe("20");
  });

  it("serves the end of a 100,000-person course from a fake that holds none of them", async () => {
    const big = await startMoodleFake({ courses: 1, enrollmentsPerCourse: 100_000, record: false });
    try {
      const c = new MoodleConnector(spec({ baseUrl: big.url }));
      const last = await c.listEnrollments("2", { cursor: "99995" });
      expect(last.items.map((e) => e.person.externalId)).toEqual([
        "100095",
        "100096",
        "100097",
        "100098",
        "100099",
      ]);
      expect(last.next).toBeNull();
      expect(big.requests).toEqual([]);
    } finally {
      await big.close();
    }
  });

  it("maps completion, grades and access into Lyceum's words", async () => {
    const enrollments = await all(connector(), "2");
    const completed = enrollments[0]!;
    const seed = seedEnrollment(0, 0, 25);
    expect(completed).toMatchObject({
      externalId: "2:100",
      courseExternalId: "2",
      person: {
        externalId: "100",
        email: "learner1@example.org",
        firstName: "Ada",
        lastName: "Lovelace",
        username: "learner1",
      },
      status: "completed",
      progressPercent: 100,
      completedAt: seed.completedAt,
      lastAccessAt: seed.lastAccessAt,
      score: seed.score,
      maxScore: 100,
      grade: seed.score!.toFixed(2),
    });
    const notStarted = enrollments.find(
      (_e, i) => seedEnrollment(0, i, 25).state === "not-started",
    )!;
    expect(notStarted).toMatchObject({
      status: "not-started",
      progressPercent: 0,
      score: null,
      maxScore: null,
      grade: null,
      completedAt: null,
    });
    const inProgress = enrollments.find(
      (_e, i) => seedEnrollment(0, i, 25).state === "in-progress",
    )!;
    expect(inProgress.status).toBe("in-progress");
  });

  it("waits out a rate limit, then succeeds", async () => {
    fake.faults.add({ kind: "rate-limit", retryAfter: "1" });
    const started = Date.now();
    const page = await connector().listCourses();
    expect(page.items).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.requests).toHaveLength(2);
  });

  it("gives up as rate-limited after the allowed retries", async () => {
    fake.faults.add({ kind: "rate-limit", retryAfter: "0" }, { times: 5 });
    const error = await failure(connector({ maxRetries: 2 }).listCourses());
    expect(error.kind).toBe("rate-limited");
    expect(error.transient).toBe(true);
    expect(error.message).toContain("after 3 tries");
    expect(fake.requests).toHaveLength(3);
  });

  it("does not sleep through a Retry-After beyond the cap; it says when to come back", async () => {
    fake.faults.add({ kind: "rate-limit", retryAfter: "3600" });
    const error = await failure(connector().listCourses());
    expect(error.kind).toBe("rate-limited");
    expect(error.detail.retryAfterMs).toBe(3_600_000);
    expect(fake.requests).toHaveLength(1);
  });

  it("reports an expired token as auth, with what to do and without the token", async () => {
    fake.expireToken();
    const error = await failure(connector().listCourses());
    expect(error.kind).toBe("auth");
    expect(error.detail.remoteCode).toBe("invalidtoken");
    expect(error.message).toContain("token expired");
    expect(error.message).toContain("Manage tokens");
    expect(error.message).not.toContain(fake.token);
  });

  it("times out a slow answer after the retries", async () => {
    fake.faults.add({ kind: "slow", ms: 600 }, { times: 2 });
    const error = await failure(connector({ timeoutMs: 150, maxRetries: 1 }).listCourses());
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("did not answer within 150 ms");
  });

  it("retries a server error and succeeds", async () => {
    fake.faults.add({ kind: "server-error", status: 503 });
    const page = await connector().listCourses();
    expect(page.items).toHaveLength(2);
  });

  it("refuses malformed and cut-short answers as malformed", async () => {
    fake.faults.add({ kind: "malformed" });
    const wrong = await failure(connector().listEnrollments("2"));
    expect(wrong.kind).toBe("malformed");
    expect(wrong.message).toContain("unexpected shape");
    fake.faults.add({ kind: "partial" });
    const cut = await failure(connector().listCourses());
    expect(cut.kind).toBe("malformed");
    expect(cut.message).toContain("not JSON");
  });

  it("refuses a cursor it did not write", async () => {
    const error = await failure(connector().listEnrollments("2", { cursor: "https://x/y" }));
    expect(error.kind).toBe("malformed");
  });

  it("names a function the token may not call", async () => {
    fake.setAllowedFunctions(
      MOODLE_IMPORT_FUNCTIONS.filter((f) => f !== "core_enrol_get_enrolled_users"),
    );
    const error = await failure(connector().listEnrollments("2"));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toContain("core_enrol_get_enrolled_users");
  });

  it("enrols a person with the manual enrolment function (export)", async () => {
    const result = await connector().enrol({
      courseExternalId: "3",
      person: { externalId: "100", email: null, firstName: null, lastName: null },
    });
    expect(result).toEqual({ externalId: "3:100" });
    expect(fake.enrolments).toEqual([{ courseid: 3, userid: 100, roleid: 5 }]);
    const byEmail = await connector().enrol({
      courseExternalId: "3",
      person: {
        externalId: "hr-7",
        email: "learner8@example.org",
        firstName: null,
        lastName: null,
      },
    });
    expect(byEmail).toEqual({ externalId: "3:107" });
    expect(fake.enrolments[1]).toEqual({ courseid: 3, userid: 107, roleid: 5 });
    const later = await all(connector(), "3");
    expect(later.map((e) => e.externalId)).toContain("3:107");
  });

  it("tests the connection step by step, in words", async () => {
    const ok = await connector({ options: { direction: "both" } }).testConnection();
    expect(ok.ok).toBe(true);
    expect(ok.system).toEqual({ name: "Example Academy", version: "4.3.2 (Build: 20231222)" });
    expect(ok.checks.map((c) => c.step)).toEqual([
      "reach",
      "authenticate",
      "functions",
      "read-courses",
      "read-enrollments",
      "write-enrollments",
    ]);
    expect(ok.checks[1]!.message).toContain('"lyceum-sync"');

    fake.setAllowedFunctions(MOODLE_IMPORT_FUNCTIONS);
    const noExport = await connector({ options: { direction: "export" } }).testConnection();
    expect(noExport.ok).toBe(false);
    const functions = noExport.checks.find((c) => c.step === "functions")!;
    expect(functions.ok).toBe(false);
    expect(functions.message).toContain("enrol_manual_enrol_users");

    const badToken = await connector({
      credentials: { kind: "api-token", token: "wrong-token-value" },
    }).testConnection();
    expect(badToken.ok).toBe(false);
    expect(badToken.checks[0]).toMatchObject({ step: "reach", ok: true });
    expect(badToken.checks[1]).toMatchObject({ step: "authenticate", ok: false });
    expect(badToken.checks[1]!.message).toContain("refused the web service token");
  });

  it("says when the site cannot be reached", async () => {
    const url = fake.url;
    await fake.close();
    const result = await connector({ baseUrl: url, maxRetries: 0 }).testConnection();
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toMatchObject({ step: "reach", ok: false });
    expect(result.checks[0]!.message).toContain("connection was refused");
    fake = await startMoodleFake();
  });
});

describe("Moodle connector, export", () => {
  it("finds a person's account by email, or creates it with a generated password", async () => {
    const known = await connector().ensurePerson({
      email: "Learner3@example.org",
      firstName: "X",
      lastName: "Y",
    });
    expect(known).toEqual({ externalId: "102", created: false });
    const made = await connector().ensurePerson({
      email: "new.person@staff.example",
      firstName: "New",
      lastName: null,
    });
    expect(made).toEqual({ externalId: "10000", created: true });
    expect(fake.users).toEqual([
      {
        id: 10000,
        username: "new.person@staff.example",
        auth: "manual",
        firstname: "New",
        lastname: "new.person",
        email: "new.person@staff.example",
        createpassword: true,
      },
    ]);
    const calls = fake.requests.map((r) => fake.params(r).get("wsfunction"));
    expect(calls).toEqual([
      "core_user_get_users_by_field",
      "core_user_get_users_by_field",
      "core_user_create_users",
    ]);
    expect(fake.params(fake.requests[0]!).get("values[0]")).toBe("learner3@example.org");
    // Found the second time, not created again.
    const again = await connector().ensurePerson({
      email: "new.person@staff.example",
      firstName: "New",
      lastName: null,
    });
    expect(again).toEqual({ externalId: "10000", created: false });
  });

  it("creates accounts with the integration's authentication method, without a password", async () => {
    await connector({ options: { userAuth: "oauth2" } }).ensurePerson({
      email: "sso@staff.example",
      firstName: "Single",
      lastName: "Sign-On",
    });
    const create = fake.requests.find(
      (r) => fake.params(r).get("wsfunction") === "core_user_create_users",
    )!;
    expect(fake.params(create).get("users[0][auth]")).toBe("oauth2");
    expect(fake.params(create).has("users[0][createpassword]")).toBe(false);
  });

  it("enrols by the external user id, and says it cannot record completions", async () => {
    const enrolled = await connector().enrol({
      courseExternalId: "3",
      person: { externalId: "10000", email: null, firstName: null, lastName: null },
    });
    expect(enrolled).toEqual({ externalId: "3:10000" });
    expect(fake.enrolments).toEqual([{ courseid: 3, userid: 10000, roleid: 5 }]);
    const error = await failure(
      connector().complete({
        courseExternalId: "3",
        personExternalId: "10000",
        completedAt: new Date(),
        score: null,
      }),
    );
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(/cannot mark course 3 completed/);
  });

  it("names a function the token may not call", async () => {
    fake.setAllowedFunctions(["core_user_get_users_by_field"]);
    const error = await failure(
      connector().ensurePerson({ email: "x@staff.example", firstName: "X", lastName: "Y" }),
    );
    expect(error.kind).toBe("forbidden");
    expect(error.message).toMatch(/core_user_create_users/);
  });
});
