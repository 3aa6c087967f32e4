import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CanvasFake, startCanvasFake } from "../fakes/canvas-fake.js";
import { seedEnrollment } from "../fakes/common.js";
import { CanvasConnector, nextLink } from "./canvas.js";
import { createConnector } from "./registry.js";
import { ConnectorError, type ConnectorSpec, type ExternalEnrollment } from "./types.js";

let fake: CanvasFake;

beforeEach(async () => {
  fake = await startCanvasFake({ courses: 3, enrollmentsPerCourse: 25 });
});
afterEach(async () => {
  await fake.close();
});

const spec = (over: Partial<ConnectorSpec> = {}): ConnectorSpec => ({
  allowPrivateNetwork: true,
  type: "canvas",
  baseUrl: fake.url,
  credentials: { kind: "api-token", token: fake.token },
  timeoutMs: 2000,
  maxRetries: 2,
  // No pause for a low X-Rate-Limit-Remaining, except where a test asks for it.
  options: { accountId: "1", perPage: 10, passingScore: 60, rateLimitFloor: 0 },
  ...over,
});
const connector = (over: Partial<ConnectorSpec> = {}) =>
  new CanvasConnector(spec(over), { backoffBaseMs: 1 });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected a ConnectorError");
}

async function all(c: CanvasConnector, courseId: string): Promise<ExternalEnrollment[]> {
  const out: ExternalEnrollment[] = [];
  let cursor: string | null = null;
  do {
    const page = await c.listEnrollments(courseId, { cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

describe("Canvas connector", () => {
  it("is the registry's connector for canvas and needs an account id", () => {
    expect(createConnector(spec())).toBeInstanceOf(CanvasConnector);
    let error: unknown;
    try {
      createConnector(spec({ options: {} }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).message).toContain('"accountId"');
  });

  it("reads the rel=next URL of a Link header", () => {
    expect(
      nextLink(
        '<https://c.example/api/v1/x?page=1>; rel="current",<https://c.example/api/v1/x?page=2>; rel="next",<https://c.example/api/v1/x?page=1>; rel="first"',
      ),
    ).toBe("https://c.example/api/v1/x?page=2");
    expect(nextLink('<https://c.example/a?page=1>; rel="last"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });

  it("lists the account's courses page by page, following Link", async () => {
    const c = connector({ options: { accountId: "1", perPage: 2 } });
    const first = await c.listCourses();
    expect(first.items.map((x) => x.externalId)).toEqual(["1000", "1001"]);
    expect(first.next).toContain("page=2");
    expect(first.items[0]).toMatchObject({
      code: "C001",
      title: "Safety 1",
      url: `${fake.url}/courses/1000`,
      startsAt: new Date("2026-01-05T09:00:00Z"),
    });
    const second = await c.listCourses({ cursor: first.next });
    expect(second.items.map((x) => x.externalId)).toEqual(["1002"]);
    expect(second.next).toBeNull();
    expect(fake.requests[0]!.authorization).toBe(`Bearer ${fake.token}`);
  });

  it("pages through every enrollment to the end, asking for students and all states", async () => {
    const enrollments = await all(connector(), "1000");
    expect(enrollments).toHaveLength(25);
    expect(new Set(enrollments.map((e) => e.externalId)).size).toBe(25);
    const firstQuery = fake.requests[0]!.query;
    expect(firstQuery.getAll("type[]")).toEqual(["StudentEnrollment"]);
    expect(firstQuery.getAll("state[]")).toContain("completed");
    expect(fake.requests.map((r) => r.query.get("page"))).toEqual([null, "2", "3"]);
  });

  it("resumes from a stored Link cursor, and refuses one for another site or list", async () => {
    const first = await connector().listEnrollments("1000");
    const resumed = await connector().listEnrollments("1000", { cursor: first.next });
    expect(resumed.items[0]!.externalId).toBe("1000:5010");
    const elsewhere = await failure(
      connector().listEnrollments("1000", {
        cursor: "https://evil.example/api/v1/courses/1000/enrollments?page=2",
      }),
    );
    expect(elsewhere.kind).toBe("malformed");
    expect(elsewhere.message).toContain("evil.example");
    const otherList = await failure(connector().listEnrollments("1001", { cursor: first.next }));
    expect(otherList.kind).toBe("malformed");
  });

  it("serves the last page of a 100,000-enrollment course from a fake that holds none of them", async () => {
    const big = await startCanvasFake({ courses: 1, enrollmentsPerCourse: 100_000, record: false });
    try {
      const c = new CanvasConnector(spec({ baseUrl: big.url }));
      const first = await c.listEnrollments("1000");
      const lastUrl = first.next!.replace(/page=2/, "page=10000");
      const last = await c.listEnrollments("1000", { cursor: lastUrl });
      expect(last.items).toHaveLength(10);
      expect(last.items.at(-1)!.externalId).toBe("1000:104999");
      expect(last.next).toBeNull();
    } finally {
      await big.close();
    }
  });

  it("maps states, grades and dates into Lyceum's words", async () => {
    const enrollments = await all(connector(), "1000");
    const seed0 = seedEnrollment(0, 0, 25);
    expect(enrollments[0]).toMatchObject({
      externalId: "1000:5000",
      courseExternalId: "1000",
      person: {
        externalId: "5000",
        email: "learner1@example.org",
        firstName: "Ada",
        lastName: "Lovelace",
        username: "learner1@example.org",
      },
      status: "completed",
      enrolledAt: seed0.enrolledAt,
      completedAt: seed0.completedAt,
      progressPercent: 100,
      score: seed0.score,
      maxScore: 100,
      passingScore: 60,
      grade: "P",
      timeSpentMinutes: seed0.timeSpentMinutes,
    });
    const failed = enrollments[3]!;
    expect(seedEnrollment(0, 3, 25).state).toBe("failed");
    expect(failed).toMatchObject({ status: "failed", grade: "F" });
    const dropped = enrollments[7]!;
    expect(seedEnrollment(0, 7, 25).state).toBe("dropped");
    expect(dropped.status).toBe("dropped");
    const notStarted = enrollments.find(
      (_, i) => seedEnrollment(0, i, 25).state === "not-started",
    )!;
    expect(notStarted).toMatchObject({ status: "not-started", score: null, lastAccessAt: null });
    const inProgress = enrollments.find(
      (_, i) => seedEnrollment(0, i, 25).state === "in-progress",
    )!;
    expect(inProgress.status).toBe("in-progress");
  });

  it("retries Canvas's 403 Rate Limit Exceeded, then succeeds", async () => {
    fake.faults.add({ kind: "rate-limit" }, { times: 2 });
    const page = await connector().listCourses();
    expect(page.items).toHaveLength(3);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.every((r) => r.path === "/api/v1/accounts/1/courses")).toBe(true);
  });

  it("gives up as rate-limited after the allowed retries, honouring Retry-After", async () => {
    fake.faults.add({ kind: "rate-limit", retryAfter: "0" }, { times: 10 });
    const error = await failure(connector({ maxRetries: 1 }).listCourses());
    expect(error.kind).toBe("rate-limited");
    expect(error.detail.status).toBe(403);
    expect(fake.requests).toHaveLength(2);
  });

  it("slows down when X-Rate-Limit-Remaining runs low", async () => {
    fake.setRateLimitRemaining(15);
    const c = new CanvasConnector(
      spec({ options: { accountId: "1", perPage: 10, rateLimitFloor: 20 } }),
    );
    await c.listEnrollments("1000");
    const started = Date.now();
    await c.listEnrollments("1000");
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it("reports an expired token as auth, with what to do and without the token", async () => {
    fake.expireToken();
    const error = await failure(connector().listCourses());
    expect(error.kind).toBe("auth");
    expect(error.message).toContain("Invalid access token.");
    expect(error.message).toContain("Approved integrations");
    expect(error.message).not.toContain(fake.token);
    expect(fake.requests).toHaveLength(1);
  });

  it("times out a slow answer", async () => {
    fake.faults.add({ kind: "slow", ms: 500 }, { times: 3 });
    const error = await failure(connector({ timeoutMs: 100, maxRetries: 2 }).listCourses());
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("after 3 tries");
  });

  it("refuses malformed and partial pages", async () => {
    fake.faults.add({ kind: "malformed" });
    expect((await failure(connector().listEnrollments("1000"))).kind).toBe("malformed");
    fake.faults.add({ kind: "partial" });
    expect((await failure(connector().listEnrollments("1000"))).kind).toBe("malformed");
  });

  it("reports an unknown course as not-found", async () => {
    const error = await failure(connector().listEnrollments("42"));
    expect(error.kind).toBe("not-found");
    expect(error.message).toContain("course 42");
  });

  it("enrols a person as a student (export), by id or by login", async () => {
    const byId = await connector().enrol({
      courseExternalId: "1001",
      person: { externalId: "5003", email: null, firstName: null, lastName: null },
    });
    expect(byId).toEqual({ externalId: "1001:5003" });
    const byLogin = await connector().enrol({
      courseExternalId: "1001",
      person: {
        externalId: "hr-9",
        email: "learner9@example.org",
        firstName: null,
        lastName: null,
      },
    });
    expect(byLogin).toEqual({ externalId: "1001:5008" });
    const posts = fake.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.path)).toEqual([
      "/api/v1/courses/1001/enrollments",
      "/api/v1/courses/1001/enrollments",
    ]);
    expect(posts[0]!.form.get("enrollment[type]")).toBe("StudentEnrollment");
    expect(posts[0]!.form.get("enrollment[enrollment_state]")).toBe("active");
    expect(posts[1]!.form.get("enrollment[user_id]")).toBe("sis_login_id:learner9@example.org");
    expect(fake.created.map((c) => c.userId)).toEqual(["5003", "5008"]);
  });

  it("tests the connection step by step, in words", async () => {
    const ok = await connector({ options: { accountId: "1", direction: "both" } }).testConnection();
    expect(ok.checks.map((c) => [c.step, c.ok])).toEqual([
      ["reach", true],
      ["authenticate", true],
      ["read-courses", true],
      ["read-enrollments", true],
      ["write-enrollments", true],
    ]);
    expect(ok.ok).toBe(true);
    expect(ok.checks[1]!.message).toContain('"Lyceum Sync"');

    const wrongAccount = await connector({ options: { accountId: "77" } }).testConnection();
    expect(wrongAccount.ok).toBe(false);
    expect(wrongAccount.checks.find((c) => c.step === "read-courses")).toMatchObject({
      ok: false,
      message: expect.stringContaining("account 77"),
    });

    fake.expireToken();
    const expired = await connector().testConnection();
    expect(expired.checks[1]).toMatchObject({ step: "authenticate", ok: false });
  });

  it("says when the token may not add students", async () => {
    await fake.close();
    fake = await startCanvasFake({ permissions: {} });
    const result = await connector({
      options: { accountId: "1", direction: "export" },
    }).testConnection();
    expect(result.ok).toBe(false);
    expect(result.checks.at(-1)).toMatchObject({
      step: "write-enrollments",
      ok: false,
      message: expect.stringContaining("may not add students"),
    });
  });
});

describe("Canvas connector, export", () => {
  it("finds a person among the account's users, or creates the account", async () => {
    const known = await connector().ensurePerson({
      email: "learner4@example.org",
      firstName: "A",
      lastName: "B",
    });
    expect(known).toEqual({ externalId: "5003", created: false });
    const search = fake.requests[0]!;
    expect(search.path).toBe("/api/v1/accounts/1/users");
    expect(search.query.get("search_term")).toBe("learner4@example.org");
    expect(search.query.getAll("include[]")).toEqual(["email"]);
    const made = await connector().ensurePerson({
      email: "Grace@Staff.example",
      firstName: "Grace",
      lastName: "Hopper",
    });
    expect(made).toEqual({ externalId: "7000", created: true });
    const post = fake.requests.find((r) => r.method === "POST")!;
    expect(post.path).toBe("/api/v1/accounts/1/users");
    expect(Object.fromEntries(post.form)).toEqual({
      "user[name]": "Grace Hopper",
      "user[short_name]": "Grace",
      "user[sortable_name]": "Hopper, Grace",
      "user[skip_registration]": "true",
      "pseudonym[unique_id]": "grace@staff.example",
      "pseudonym[send_confirmation]": "false",
      "communication_channel[type]": "email",
      "communication_channel[address]": "grace@staff.example",
      "communication_channel[skip_confirmation]": "true",
    });
    expect(fake.users.map((u) => u.uniqueId)).toEqual(["grace@staff.example"]);
    const again = await connector().ensurePerson({
      email: "grace@staff.example",
      firstName: "Grace",
      lastName: "Hopper",
    });
    expect(again).toEqual({ externalId: "7000", created: false });
  });

  it("concludes the person's enrollment to record a completion, once", async () => {
    await connector().enrol({
      courseExternalId: "1001",
      person: { externalId: "5003", email: null, firstName: null, lastName: null },
    });
    const done = await connector().complete({
      courseExternalId: "1001",
      personExternalId: "5003",
      completedAt: new Date("2026-11-20T10:00:00Z"),
      score: 90,
    });
    expect(done).toEqual({ externalId: "1001:5003" });
    const deletes = fake.requests.filter((r) => r.method === "DELETE");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.query.get("task")).toBe("conclude");
    expect(fake.ended).toEqual([
      {
        courseId: 1001,
        enrollmentId: deletes[0]!.path.split("/").map(Number).at(-1),
        userId: 5003,
        task: "conclude",
      },
    ]);
    // Already concluded: nothing more is sent.
    await connector().complete({
      courseExternalId: "1001",
      personExternalId: "5003",
      completedAt: new Date("2026-11-21T10:00:00Z"),
      score: 90,
    });
    expect(fake.requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
  });

  it("says so when the person has no enrollment to conclude", async () => {
    const error = await failure(
      connector().complete({
        courseExternalId: "1001",
        personExternalId: "9999",
        completedAt: new Date(),
        score: null,
      }),
    );
    expect(error.kind).toBe("not-found");
    expect(error.message).toMatch(/no enrollment of user 9999 in course 1001/);
  });
});
