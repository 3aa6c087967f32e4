// An organization's rules (IP allow-list, MFA required) cover its objects wherever a request
// names them: resource routes outside `/organizations/{organizationId}`, and ids in bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quizCourse } from "../../../test/assessments.js";
import { draftCourse, makeOrganization, PASSWORD } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import type { Lyceum } from "../../app.js";
import { queryCount } from "../../db/connection.js";
import { PATH_KINDS, PATH_PARAMS_OUTSIDE_ORGANIZATIONS } from "../../platform/http/references.js";
import { enroll } from "../enrollment/enroll.js";
import { addMember } from "../organizations/service.js";
import { totpCode } from "./totp.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DEFAULTS = {
  mfaRequired: false,
  sessionTimeoutMinutes: null,
  ipAllowList: [] as string[],
  passwordPolicy: { minLength: 8, minDigits: 1, minSpecial: 1, historyCount: 0, maxAgeDays: null },
};
const ALLOWED = "127.0.0.1";
const REFUSED = "192.0.2.5";

const settingsUrl = (orgId: string) => `/api/v1/organizations/${orgId}/security-settings`;

/** A request from a given client address (to this Lyceum, or to another on the same database). */
async function call(
  ip: string,
  method: "GET" | "POST" | "PATCH",
  url: string,
  as: Credentials,
  body?: unknown,
  lyceum: Lyceum = t.lyceum,
) {
  const res = await lyceum.app.inject({
    method,
    url,
    remoteAddress: ip,
    headers: { authorization: `Bearer ${as.token}` },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

/**
 * Organizations A and B; `author` manages courses in both, `learner` is a learner of A,
 * enrolled in A's quiz course. Each organization has a draft (private) course by `author`.
 */
let seq = 0;
async function world() {
  seq += 1;
  const a = await makeOrganization(t, {
    people: [
      { key: "author", roles: ["content-admin"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  const b = await makeOrganization(t);
  const author = a.people.author as NonNullable<typeof a.people.author>;
  const learner = a.people.learner as NonNullable<typeof a.people.learner>;
  await addMember(t.system, b.org.id, { userId: author.user.id, roleKeys: ["content-admin"] });
  const draftA = await draftCourse(t, {
    code: `SEC-A-${seq}`,
    title: `A draft ${seq}`,
    instructorId: author.user.id,
    organizationId: a.org.id,
  });
  const draftB = await draftCourse(t, {
    code: `SEC-B-${seq}`,
    title: `B draft ${seq}`,
    instructorId: author.user.id,
    organizationId: b.org.id,
  });
  const { quiz, course: quizCourseA } = await quizCourse(t, {
    instructorId: author.user.id,
    organizationId: a.org.id,
  });
  const enrolled = await enroll(t.system, {
    userId: learner.user.id,
    courseId: quizCourseA.id,
    source: "self",
  });
  if (enrolled.kind !== "enrolled") throw new Error(enrolled.kind);
  expect(enrolled.enrollment.organization_id).toBe(a.org.id);
  return { a, b, author, learner, draftA, draftB, quiz, enrollment: enrolled.enrollment };
}

async function setRules(orgId: string, admin: Credentials, rules: Partial<typeof DEFAULTS>) {
  const res = await t.http.put(settingsUrl(orgId), { ...DEFAULTS, ...rules }, admin);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Statements one request ran. */
async function statementsOf(request: () => Promise<unknown>): Promise<number> {
  const before = queryCount(t.lyceum.services.db);
  await request();
  return queryCount(t.lyceum.services.db) - before;
}

describe("path objects", () => {
  it("every parameter of a route outside an organization's path is a path object or declared not one", () => {
    const unclassified = t.lyceum.routes.flatMap((route) => {
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      if (params.includes("organizationId")) return [];
      return params
        .filter((p) => !(p in PATH_KINDS) && !PATH_PARAMS_OUTSIDE_ORGANIZATIONS.has(p))
        .map((p) => `${route.method} ${route.url} :${p}`);
    });
    expect(unclassified).toEqual([]);
  });

  it("every path parameter the guard reads names a kind whose organization can be read", async () => {
    const w = await world();
    const references = t.lyceum.services.references;
    for (const kind of new Set(Object.values(PATH_KINDS)))
      expect(references.known(kind)).toBe(true);
    const wanted = [
      ...Object.values(PATH_KINDS).map((kind) => ({ kind, id: w.a.org.id })),
      { kind: "course", id: w.draftA.id },
      { kind: "enrollment", id: w.enrollment.id },
    ];
    const loaded = await references.load(t.system.db, wanted);
    expect(references.homeIn(loaded, "course", w.draftA.id)).toBe(w.a.org.id);
    expect(references.homeIn(loaded, "enrollment", w.enrollment.id)).toBe(w.a.org.id);
    expect(references.homeIn(loaded, "payment", w.a.org.id)).toBeUndefined();
  });
});

// First: the platform has no organization that enforces anything yet.
describe("the cost on resource routes", () => {
  it("reads nothing while no organization enforces anything, and follows changes at once", async () => {
    const w = await world();
    const courseA = `/api/v1/courses/${w.draftA.id}`;
    const courseB = `/api/v1/courses/${w.draftB.id}`;
    const get = (url: string) => async () =>
      expect((await call(ALLOWED, "GET", url, w.author)).status).toBe(200);
    await get(courseB)();
    const none = await statementsOf(get(courseB));
    expect(await statementsOf(get(courseB))).toBe(none);

    await setRules(w.a.org.id, w.a.people.admin, { ipAllowList: [ALLOWED] });
    // Some organization enforces something: the set of them is read once, then the path
    // object's organization on each request (B enforces nothing: no settings read).
    expect(await statementsOf(get(courseB))).toBe(none + 2);
    expect(await statementsOf(get(courseB))).toBe(none + 1);
    // A's course: also A's settings with the session's state.
    expect(await statementsOf(get(courseA))).toBe(none + 2);

    await setRules(w.a.org.id, w.a.people.admin, {});
    expect(await statementsOf(get(courseB))).toBe(none + 1);
    expect(await statementsOf(get(courseB))).toBe(none);
    expect(await statementsOf(get(courseA))).toBe(none);
  });
});

describe("IP allow-list on an organization's objects", () => {
  it("refuses the organization's members on its courses, enrollments and attempts from other addresses", async () => {
    const w = await world();
    // Started while the organization had no list.
    const started = await call(
      REFUSED,
      "POST",
      `/api/v1/quizzes/${w.quiz.id}/start`,
      w.learner,
      {},
    );
    expect(started.status).toBe(201);
    const attemptId: string = started.body.data.id;
    await setRules(w.a.org.id, w.a.people.admin, { ipAllowList: [ALLOWED] });

    const courseA = `/api/v1/courses/${w.draftA.id}`;
    const requests: Array<[Credentials, "GET" | "POST" | "PATCH", string, unknown?]> = [
      [w.author, "GET", courseA],
      [w.author, "PATCH", courseA, { subtitle: "Changed" }],
      [w.author, "PATCH", `/api/v1/modules/${w.quiz.module_id}`, { title: "Renamed" }],
      [w.learner, "GET", `/api/v1/enrollments/${w.enrollment.id}`],
      [w.learner, "GET", `/api/v1/attempts/${attemptId}`],
      [w.learner, "POST", `/api/v1/quizzes/${w.quiz.id}/start`, {}],
      // Ids in a body: a new course in organization A.
      [
        w.author,
        "POST",
        "/api/v1/courses",
        { code: "NEW-A", title: "New", organizationId: w.a.org.id },
      ],
    ];
    for (const [who, method, url, body] of requests) {
      const refused = await call(REFUSED, method, url, who, body);
      expect(refused.status, `${method} ${url}`).toBe(403);
      expect(refused.body.error.code, `${method} ${url}`).toBe("IP_NOT_ALLOWED");
      expect(refused.body.error.details.organizationId).toBe(w.a.org.id);
    }
    const stored = await t.system.db
      .selectFrom("courses")
      .select(["subtitle"])
      .where("organization_id", "=", w.a.org.id)
      .where("code", "in", ["NEW-A", w.draftA.code])
      .execute();
    expect(stored).toEqual([{ subtitle: w.draftA.subtitle }]);

    for (const [who, method, url, body] of requests) {
      const allowed = await call(ALLOWED, method, url, who, body);
      expect(allowed.status, `${method} ${url}: ${JSON.stringify(allowed.body)}`).toBeLessThan(300);
    }
    const refusals = await t.system.db
      .selectFrom("system_logs")
      .select("event")
      .where("organization_id", "=", w.a.org.id)
      .where("event", "=", "organization.ip-refused")
      .execute();
    expect(refusals).toHaveLength(requests.length);
  });

  it("does not hold a member of two organizations to one's rules on the other's objects", async () => {
    const w = await world();
    await setRules(w.a.org.id, w.a.people.admin, { ipAllowList: [ALLOWED] });
    const courseB = `/api/v1/courses/${w.draftB.id}`;
    expect((await call(REFUSED, "GET", courseB, w.author)).status).toBe(200);
    expect((await call(REFUSED, "PATCH", courseB, w.author, { subtitle: "B" })).status).toBe(200);
    const created = await call(REFUSED, "POST", "/api/v1/courses", w.author, {
      code: "NEW-B",
      title: "New in B",
      organizationId: w.b.org.id,
    });
    expect(created.status).toBe(201);
    // A's own course is still refused to the same person from the same address.
    expect((await call(REFUSED, "GET", `/api/v1/courses/${w.draftA.id}`, w.author)).status).toBe(
      403,
    );
  });

  it("refuses at once in another process that knew no organization enforced anything, and lets in at once when lifted", async () => {
    const w = await world();
    const other = await t.sibling();
    const url = `/api/v1/enrollments/${w.enrollment.id}`;
    for (let i = 0; i < 2; i++)
      expect((await call(REFUSED, "GET", url, w.learner, undefined, other)).status).toBe(200);
    await setRules(w.a.org.id, w.a.people.admin, { ipAllowList: [ALLOWED] });
    const refused = await call(REFUSED, "GET", url, w.learner, undefined, other);
    expect(refused.body.error?.code).toBe("IP_NOT_ALLOWED");
    await setRules(w.a.org.id, w.a.people.admin, {});
    expect((await call(REFUSED, "GET", url, w.learner, undefined, other)).status).toBe(200);
  });

  it("refuses learning events recorded in the organization, item by item", async () => {
    const w = await world();
    await setRules(w.a.org.id, w.a.people.admin, { ipAllowList: [ALLOWED] });
    const event = (organizationId: string) => ({
      type: "content-viewed",
      contentId: w.quiz.id,
      organizationId,
      courseId: w.quiz.course_id,
    });
    const res = await call(REFUSED, "POST", "/api/v1/learning-events/batch", w.learner, {
      events: [event(w.a.org.id)],
    });
    expect(res.status).toBe(200);
    expect(res.body.data.results[0].status).toBe("rejected");
    expect(res.body.data.results[0].error.code).toBe("IP_NOT_ALLOWED");
  });
});

describe("MFA required on an organization's objects", () => {
  it("sends members without MFA to enroll, and refuses password-only sessions", async () => {
    const w = await world();
    const admin = w.a.people.admin;
    const start = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, admin);
    await t.http.post(
      "/api/v1/auth/mfa/confirm",
      { code: totpCode(start.body.data.secret, t.clock.now()) },
      admin,
    );
    t.clock.advance(30_000);
    await setRules(w.a.org.id, admin, { mfaRequired: true });
    const courseA = `/api/v1/courses/${w.draftA.id}`;
    const enrollment = `/api/v1/enrollments/${w.enrollment.id}`;
    const noMfa = await call(ALLOWED, "GET", courseA, w.author);
    expect(noMfa.status).toBe(403);
    expect(noMfa.body.error.code).toBe("MFA_ENROLLMENT_REQUIRED");
    expect((await call(ALLOWED, "GET", enrollment, w.learner)).body.error.code).toBe(
      "MFA_ENROLLMENT_REQUIRED",
    );
    // B requires nothing.
    expect((await call(ALLOWED, "GET", `/api/v1/courses/${w.draftB.id}`, w.author)).status).toBe(
      200,
    );

    // Enrolled, but this session signed in with the password alone.
    const secret = await t.http.post("/api/v1/auth/mfa/enroll", { password: PASSWORD }, w.learner);
    const other = await t.http.post("/api/v1/auth/login", {
      email: w.learner.user.email,
      password: PASSWORD,
    });
    expect(other.body.data.tokens).toBeDefined();
    await t.http.post(
      "/api/v1/auth/mfa/confirm",
      { code: totpCode(secret.body.data.secret, t.clock.now()) },
      w.learner,
    );
    t.clock.advance(30_000);
    const passwordOnly = await call(ALLOWED, "GET", enrollment, {
      token: other.body.data.tokens.accessToken,
    });
    expect(passwordOnly.status).toBe(403);
    expect(passwordOnly.body.error.code).toBe("MFA_SESSION_REQUIRED");
    expect((await call(ALLOWED, "GET", enrollment, w.learner)).status).toBe(200);
  });
});
