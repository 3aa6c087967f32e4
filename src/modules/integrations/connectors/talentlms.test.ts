import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedEnrollment } from "../fakes/common.js";
import { startTalentLmsFake, type TalentLmsFake } from "../fakes/talentlms-fake.js";
import { createConnector } from "./registry.js";
import { parseTalentDate, TalentLmsConnector } from "./talentlms.js";
import { ConnectorError, type ConnectorSpec, type ExternalEnrollment } from "./types.js";

let fake: TalentLmsFake;

beforeEach(async () => {
  fake = await startTalentLmsFake({ courses: 2, enrollmentsPerCourse: 12 });
});
afterEach(async () => {
  await fake.close();
});

const spec = (over: Partial<ConnectorSpec> = {}): ConnectorSpec => ({
  allowPrivateNetwork: true,
  type: "talentlms",
  baseUrl: fake.url,
  credentials: { kind: "api-token", token: fake.apiKey },
  timeoutMs: 2000,
  maxRetries: 2,
  options: { pageSize: 5 },
  ...over,
});
const connector = (over: Partial<ConnectorSpec> = {}) =>
  new TalentLmsConnector(spec(over), { backoffBaseMs: 1 });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected a ConnectorError");
}

async function all(c: TalentLmsConnector, courseId: string): Promise<ExternalEnrollment[]> {
  const out: ExternalEnrollment[] = [];
  let cursor: string | null = null;
  do {
    const page = await c.listEnrollments(courseId, { cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

describe("TalentLMS connector", () => {
  it("is the registry's connector for talentlms and signs in with the key as user name", async () => {
    const c = createConnector(spec());
    expect(c).toBeInstanceOf(TalentLmsConnector);
    await c.listCourses();
    expect(fake.requests[0]!.authorization).toBe(
      `Basic ${Buffer.from(`${fake.apiKey}:`).toString("base64")}`,
    );
    expect(fake.requests[0]!.path).toBe("/api/v1/courses");
  });

  it("reads TalentLMS display dates in the site's format", () => {
    expect(parseTalentDate("05/01/2026, 09:30:00", "DDMMYYYY")).toEqual(
      new Date("2026-01-05T09:30:00Z"),
    );
    expect(parseTalentDate("01/05/2026", "MMDDYYYY")).toEqual(new Date("2026-01-05T00:00:00Z"));
    expect(parseTalentDate("", "DDMMYYYY")).toBeNull();
    expect(parseTalentDate("soon", "DDMMYYYY")).toBeNull();
  });

  it("lists courses with their codes and update dates", async () => {
    const page = await connector().listCourses();
    expect(page.next).toBeNull();
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({
      externalId: "200",
      code: "C001",
      title: "Safety 1",
      updatedAt: new Date("2026-01-05T09:00:00Z"),
      url: `${fake.url}/learner/courseinfo/id:200`,
    });
  });

  it("pages through the course's learners to the end and resumes from the cursor", async () => {
    const enrollments = await all(connector(), "200");
    expect(enrollments).toHaveLength(12);
    expect(enrollments.map((e) => e.externalId)).not.toContain("200:1");
    const first = await connector().listEnrollments("200");
    expect(first.next).toBe("5");
    const resumed = await connector().listEnrollments("200", { cursor: "10" });
    expect(resumed.items.map((e) => e.externalId)).toEqual(["200:1010", "200:1011"]);
    expect(resumed.next).toBeNull();
    const statusCalls = fake.requests.filter((r) => r.path.includes("getuserstatusincourse"));
    expect(statusCalls[0]!.path).toBe("/api/v1/getuserstatusincourse/course_id:200,user_id:1000");
  });

  it("maps status, progress, score, time and dates into Lyceum's words", async () => {
    const enrollments = await all(connector(), "200");
    const seed0 = seedEnrollment(0, 0, 12);
    expect(enrollments[0]).toMatchObject({
      externalId: "200:1000",
      person: {
        externalId: "1000",
        email: "learner1@example.org",
        firstName: "Ada",
        lastName: "Lovelace",
        username: "learner1",
      },
      status: "completed",
      progressPercent: 100,
      completedAt: seed0.completedAt,
      enrolledAt: seed0.enrolledAt,
      score: seed0.score,
      maxScore: 100,
      timeSpentMinutes: seed0.timeSpentMinutes,
    });
    expect(enrollments[3]).toMatchObject({
      status: "failed",
      score: seedEnrollment(0, 3, 12).score,
    });
    const notStarted = enrollments.find(
      (_, i) => seedEnrollment(0, i, 12).state === "not-started",
    )!;
    expect(notStarted).toMatchObject({ status: "not-started", progressPercent: 0, score: null });
  });

  it("waits out a 429 with Retry-After, then succeeds", async () => {
    fake.faults.add({ kind: "rate-limit", retryAfter: "0" }, { times: 2 });
    const page = await connector().listCourses();
    expect(page.items).toHaveLength(2);
    expect(fake.requests).toHaveLength(3);
  });

  it("gives up as rate-limited after the retries, or at once when the quota resets in an hour", async () => {
    fake.faults.add({ kind: "rate-limit", retryAfter: "0" }, { times: 5 });
    const exhausted = await failure(connector({ maxRetries: 1 }).listCourses());
    expect(exhausted.kind).toBe("rate-limited");
    expect(fake.requests).toHaveLength(2);
    fake.faults.clear();
    fake.faults.add({ kind: "rate-limit" });
    const hourly = await failure(connector().listCourses());
    expect(hourly.kind).toBe("rate-limited");
    expect(hourly.detail.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(hourly.message).toContain("the sync will try later");
  });

  it("reports a refused key as auth, with what to do and without the key", async () => {
    fake.expireToken();
    const error = await failure(connector().listCourses());
    expect(error.kind).toBe("auth");
    expect(error.message).toContain("API key is not active");
    expect(error.message).toContain("Integrations › API");
    expect(error.message).not.toContain(fake.apiKey);
  });

  it("times out a slow answer", async () => {
    fake.faults.add({ kind: "slow", ms: 500 }, { times: 2 });
    const error = await failure(connector({ timeoutMs: 100, maxRetries: 1 }).listCourses());
    expect(error.kind).toBe("timeout");
  });

  it("refuses malformed and partial answers; retries a server error", async () => {
    fake.faults.add({ kind: "malformed" });
    expect((await failure(connector().listCourses())).kind).toBe("malformed");
    fake.faults.add({ kind: "partial" }, { match: (r) => r.path.startsWith("/api/v1/courses/") });
    expect((await failure(connector().listEnrollments("200"))).kind).toBe("malformed");
    fake.faults.add({ kind: "server-error" });
    expect((await connector().listCourses()).items).toHaveLength(2);
  });

  it("enrols a person as a learner (export), by id or by email", async () => {
    const byId = await connector().enrol({
      courseExternalId: "201",
      person: { externalId: "1002", email: null, firstName: null, lastName: null },
    });
    expect(byId).toEqual({ externalId: "201:1002" });
    const byEmail = await connector().enrol({
      courseExternalId: "201",
      person: {
        externalId: "hr-5",
        email: "learner5@example.org",
        firstName: null,
        lastName: null,
      },
    });
    expect(byEmail).toEqual({ externalId: "201:1004" });
    expect(fake.added).toEqual([
      { userId: 1002, courseId: 201, role: "learner" },
      { userId: 1004, courseId: 201, role: "learner" },
    ]);
    const post = fake.requests.find((r) => r.method === "POST")!;
    expect(post.path).toBe("/api/v1/addusertocourse");
    expect(post.form.get("role")).toBe("learner");
    const twice = await failure(
      connector().enrol({
        courseExternalId: "201",
        person: { externalId: "1002", email: null, firstName: null, lastName: null },
      }),
    );
    expect(twice.kind).toBe("remote");
    expect(twice.message).toContain("already enrolled");
  });

  it("tests the connection step by step, in words", async () => {
    const ok = await connector({ options: { direction: "both" } }).testConnection();
    expect(ok.ok).toBe(true);
    expect(ok.checks.map((c) => c.step)).toEqual([
      "reach",
      "authenticate",
      "read-courses",
      "read-enrollments",
      "write-enrollments",
    ]);
    expect(ok.checks[1]!.message).toContain("24 users and 2 courses");
    expect(ok.checks[3]!.message).toContain('13 people enrolled in "Safety 1"');

    const wrong = await connector({
      credentials: { kind: "api-token", token: "not-the-key" },
    }).testConnection();
    expect(wrong.ok).toBe(false);
    expect(wrong.checks[1]).toMatchObject({
      step: "authenticate",
      ok: false,
      message: expect.stringContaining("Invalid API key provided"),
    });
  });
});

describe("TalentLMS connector, export", () => {
  it("finds a person by email, or signs them up", async () => {
    const known = await connector().ensurePerson({
      email: "learner2@example.org",
      firstName: "A",
      lastName: "B",
    });
    expect(known).toEqual({ externalId: "1001", created: false });
    const made = await connector().ensurePerson({
      email: "ada@staff.example",
      firstName: "Ada",
      lastName: "Lovelace",
    });
    expect(made).toEqual({ externalId: "3000", created: true });
    const signup = fake.requests.find((r) => r.method === "POST")!;
    expect(signup.path).toBe("/api/v1/usersignup");
    expect(signup.form.get("first_name")).toBe("Ada");
    expect(signup.form.get("last_name")).toBe("Lovelace");
    expect(signup.form.get("email")).toBe("ada@staff.example");
    expect(signup.form.get("login")).toBe("ada@staff.example");
    expect(signup.form.get("password")?.length).toBeGreaterThanOrEqual(16);
    expect(fake.signups.map((s) => s.email)).toEqual(["ada@staff.example"]);
    const lookups = fake.requests.filter((r) => r.method === "GET").map((r) => r.path);
    expect(lookups).toEqual([
      "/api/v1/users/email:learner2%40example.org",
      "/api/v1/users/email:ada%40staff.example",
    ]);
    const again = await connector().ensurePerson({
      email: "ada@staff.example",
      firstName: "Ada",
      lastName: "Lovelace",
    });
    expect(again).toEqual({ externalId: "3000", created: false });
  });

  it("enrols a signed-up person, and says it cannot record completions", async () => {
    await connector().ensurePerson({ email: "ada@staff.example", firstName: "Ada", lastName: "L" });
    const enrolled = await connector().enrol({
      courseExternalId: "201",
      person: { externalId: "3000", email: null, firstName: null, lastName: null },
    });
    expect(enrolled).toEqual({ externalId: "201:3000" });
    expect(fake.added).toEqual([{ userId: 3000, courseId: 201, role: "learner" }]);
    const error = await failure(
      connector().complete({
        courseExternalId: "201",
        personExternalId: "3000",
        completedAt: new Date(),
        score: null,
      }),
    );
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(/TalentLMS's API cannot mark course 201 completed/);
  });
});
