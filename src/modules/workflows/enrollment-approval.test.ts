import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, publishedCourse, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createCohort, transitionCohort } from "../cohorts/cohorts.js";
import { updateMember } from "../organizations/members.js";
import { advanceDue } from "./engine.js";

/** Requests to join an organization's approval course run as its enrollment approval workflow. */
let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let courseId: string;
let workflowId: string;
const api = "/api/v1";
type Person = "admin" | "instructor" | "manager" | "ann" | "ben" | "cid" | "dan" | "eve";
const creds: Partial<Record<Person, { token?: string }>> = {};
const as = (key: Person) => creds[key] as { token?: string };
const id = (key: Person) => a.people[key]!.user.id;

async function setClock(at: string) {
  t.clock.set(at);
  for (const key of Object.keys(a.people) as Person[])
    creds[key] = await signIn(t, a.people[key]!.user.email);
}

async function ask(who: Person) {
  const res = await t.http.post(
    `${api}/enrollment-requests`,
    { courseId, reason: `${who} needs it` },
    as(who),
  );
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

async function executionOf(requestId: string) {
  return t.system.db
    .selectFrom("workflow_executions as e")
    .innerJoin("workflow_definitions as d", "d.id", "e.definition_id")
    .select(["e.id", "e.status", "e.subject_user_id", "d.builtin"])
    .where("e.subject_id", "=", requestId)
    .executeTakeFirst();
}

async function history(executionId: string) {
  const rows = await t.system.db
    .selectFrom("workflow_execution_events")
    .select(["action", "actor_id"])
    .where("execution_id", "=", executionId)
    .orderBy("at")
    .orderBy("id")
    .execute();
  return rows.map((r) => `${r.action}${r.actor_id ? `:${r.actor_id}` : ""}`);
}

async function request(requestId: string) {
  return t.system.db
    .selectFrom("enrollment_requests")
    .select(["status", "reviewed_by", "review_notes", "enrollment_id"])
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
}

async function notices(userId: string, type: string) {
  return t.system.db
    .selectFrom("notifications")
    .select(["action_url", "data"])
    .where("user_id", "=", userId)
    .where("type", "=", type)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** The list's count of the enrollment approval's open executions. */
async function openCount() {
  const list = await t.http.get(
    `${api}/organizations/${a.org.id}/workflows?builtin=true`,
    as("admin"),
  );
  expect(list.status).toBe(200);
  return (list.body.data as Array<{ builtin: string; openExecutions: number }>).find(
    (d) => d.builtin === "enrollment-approval",
  )?.openExecutions;
}

beforeAll(async () => {
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Approving Org",
    people: [
      { key: "instructor", roles: ["learner", "instructor"] },
      { key: "manager", roles: ["learner", "manager"] },
      { key: "ann", roles: ["learner"] },
      { key: "ben", roles: ["learner"] },
      { key: "cid", roles: ["learner"] },
      { key: "dan", roles: ["learner"] },
      { key: "eve", roles: ["learner"] },
    ],
  });
  for (const key of ["ann", "ben", "cid", "dan", "eve"] as const)
    await updateMember(t.system, a.org.id, id(key), { managerUserId: id("manager") });
  const course = await publishedCourse(t, {
    code: "APR-1",
    title: "Advanced approvals",
    instructorId: a.people.instructor!.user.id,
    organizationId: a.org.id,
    enrollmentType: "approval",
  });
  courseId = course.id;
  await setClock("2026-03-02T09:00:00Z");
});

afterAll(() => t?.close());

describe("enrollment approval as a workflow", () => {
  it("asks the course's team with the request notice, and an approval there enrolls", async () => {
    const list = await t.http.get(
      `${api}/organizations/${a.org.id}/workflows?builtin=true`,
      as("admin"),
    );
    const builtin = (
      list.body.data as Array<{ id: string; builtin: string; enabled: boolean; steps: unknown[] }>
    ).find((d) => d.builtin === "enrollment-approval");
    expect(builtin).toMatchObject({
      enabled: true,
      steps: [
        {
          type: "approval",
          approver: { kind: "course-team" },
          timeoutHours: 168,
          escalateTo: { kind: "role", role: "org-admin" },
        },
      ],
    });
    workflowId = builtin!.id;

    const requestId = await ask("ann");
    const execution = await executionOf(requestId);
    expect(execution).toMatchObject({
      status: "awaiting-approval",
      subject_user_id: id("ann"),
      builtin: "enrollment-approval",
    });
    // the course's team gets the request notice leading to the course's requests, once
    const asked = await notices(id("instructor"), "enrollment-requested");
    expect(asked).toEqual([
      {
        action_url: `/courses/${courseId}/requests`,
        data: { requestId, courseId, executionId: execution!.id },
      },
    ]);
    expect(await notices(id("instructor"), "workflow-approval-requested")).toEqual([]);
    // the learner cannot approve themselves; the instructor approves through the workflow
    const self = await t.http.post(
      `${api}/workflow-executions/${execution!.id}/approve`,
      {},
      as("ann"),
    );
    expect(self.status).toBe(403);
    const approved = await t.http.post(
      `${api}/workflow-executions/${execution!.id}/approve`,
      { note: "Welcome" },
      as("instructor"),
    );
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe("completed");
    const stored = await request(requestId);
    expect(stored).toMatchObject({ status: "approved", reviewed_by: id("instructor") });
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select(["status", "source"])
      .where("id", "=", stored.enrollment_id as string)
      .executeTakeFirstOrThrow();
    expect(enrollment).toEqual({ status: "active", source: "approval" });
    expect(await history(execution!.id)).toEqual([
      `started:${id("ann")}`,
      "approval-requested",
      `approved:${id("instructor")}`,
      "completed",
    ]);
    // told once, by the request's own notice
    expect(await notices(id("ann"), "enrollment-accepted")).toHaveLength(1);
    expect(await notices(id("ann"), "workflow-decided")).toEqual([]);
  });

  it("records a decision on the course's requests, and a withdrawal, on the workflow", async () => {
    const benRequest = await ask("ben");
    const rejected = await t.http.post(
      `${api}/enrollment-requests/${benRequest}/reject`,
      { notes: "Full this quarter" },
      as("instructor"),
    );
    expect(rejected.status).toBe(200);
    const benExecution = await executionOf(benRequest);
    expect(benExecution?.status).toBe("rejected");
    // one entry for the decision that ended it, naming its step
    expect(await history(benExecution!.id)).toEqual([
      `started:${id("ben")}`,
      "approval-requested",
      `rejected:${id("instructor")}`,
    ]);
    const last = await t.system.db
      .selectFrom("workflow_execution_events")
      .select(["step", "step_type", "note"])
      .where("execution_id", "=", benExecution!.id)
      .where("action", "=", "rejected")
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ step: 0, step_type: "approval", note: "Full this quarter" });
    expect(await request(benRequest)).toMatchObject({
      status: "rejected",
      review_notes: "Full this quarter",
    });
    expect(await notices(id("ben"), "enrollment-rejected")).toHaveLength(1);

    const cidRequest = await ask("cid");
    const withdrawn = await t.http.delete(`${api}/enrollment-requests/${cidRequest}`, as("cid"));
    expect(withdrawn.status).toBe(200);
    expect((await executionOf(cidRequest))?.status).toBe("cancelled");
  });

  it("lists the request for a course team that does not belong to the organization", async () => {
    // A platform catalog course, taught by a platform instructor, with a cohort reserved for
    // the organization: a request for it runs in the organization's workflow, and the course's
    // team (the instructor and its staff) belongs to no organization.
    const outsider = await makeUser(t, { firstName: "Olga", lastName: "Outside" });
    const helper = await makeUser(t, { firstName: "Hal", lastName: "Helper" });
    const stranger = await makeUser(t, { firstName: "Sam", lastName: "Stranger" });
    const course = await publishedCourse(t, {
      code: "APR-OUT",
      title: "Taught from outside",
      instructorId: outsider.id,
      organizationId: null,
      enrollmentType: "approval",
      delivery: "cohort-based",
    });
    await t.system.db
      .insertInto("course_staff")
      .values({ course_id: course.id, user_id: helper.id, role: "teaching-assistant" })
      .execute();
    const cohort = await createCohort(t.system, course.id, {
      name: "Approving Org's cohort",
      startsAt: "2026-09-01T09:00:00Z",
      endsAt: "2026-09-02T17:00:00Z",
      capacity: 10,
      organizationId: a.org.id,
    });
    await transitionCohort(t.system, cohort.id, "open");
    const res = await t.http.post(
      `${api}/enrollment-requests`,
      { courseId: course.id, cohortId: cohort.id, reason: "cid needs it" },
      as("cid"),
    );
    expect(res.status).toBe(201);
    const execution = await executionOf(res.body.data.id);
    expect(execution?.status).toBe("awaiting-approval");
    const mine = async (email: string) => {
      const list = await t.http.get(`${api}/workflow-approvals/mine`, await signIn(t, email));
      expect(list.status).toBe(200);
      return (list.body.data as Array<{ id: string }>).map((e) => e.id);
    };
    expect(await mine(outsider.email)).toEqual([execution!.id]);
    expect(await mine(helper.email)).toEqual([execution!.id]);
    expect(await mine(stranger.email)).toEqual([]);
    const approved = await t.http.post(
      `${api}/workflow-executions/${execution!.id}/approve`,
      {},
      await signIn(t, outsider.email),
    );
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe("completed");
    expect(await mine(outsider.email)).toEqual([]);
  });

  it("escalates to the administrators after a week, then declines the request", async () => {
    const requestId = await ask("dan");
    const execution = await executionOf(requestId);
    await setClock("2026-03-09T10:00:00Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ escalated: 1 });
    // administrators are not the course's team: the general approval notice
    expect(await notices(id("admin"), "workflow-approval-requested")).toHaveLength(1);
    expect(await openCount()).toBe(1);
    await setClock("2026-03-16T11:00:00Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ "timed-out": 1 });
    expect(await openCount()).toBe(0);
    expect((await executionOf(requestId))?.status).toBe("rejected");
    expect(await request(requestId)).toMatchObject({
      status: "rejected",
      reviewed_by: null,
      review_notes: "Not decided in time",
    });
    expect(await notices(id("dan"), "enrollment-rejected")).toHaveLength(1);
    expect(execution).toBeDefined();
  });

  it("lets the organization's chosen approver decide on the course's requests", async () => {
    const changed = await t.http.patch(
      `${api}/workflows/${workflowId}`,
      { steps: [{ type: "approval", approver: { kind: "manager" } }] },
      as("admin"),
    );
    expect(changed.status).toBe(200);
    const again = await t.http.post(
      `${api}/enrollment-requests`,
      { courseId, reason: "Second course run" },
      as("ben"),
    );
    expect(again.status).toBe(201);
    const requestId = again.body.data.id as string;
    expect((await notices(id("manager"), "workflow-approval-requested")).at(-1)?.data).toEqual({
      executionId: (await executionOf(requestId))!.id,
      workflowId,
    });
    // the manager holds no review right over the course, but is the workflow's approver
    const approved = await t.http.post(
      `${api}/enrollment-requests/${requestId}/approve`,
      {},
      as("manager"),
    );
    expect(approved.status).toBe(200);
    expect(approved.body.data.request.status).toBe("approved");
    expect((await executionOf(requestId))?.status).toBe("completed");
    // another learner is neither
    const cid = await t.http.post(`${api}/enrollment-requests`, { courseId }, as("cid"));
    const refused = await t.http.post(
      `${api}/enrollment-requests/${cid.body.data.id}/approve`,
      {},
      as("dan"),
    );
    expect([403, 404]).toContain(refused.status);
  });

  it("declines the request and tells the learner why when an approval cannot enroll", async () => {
    const requestId = await ask("eve");
    const execution = await executionOf(requestId);
    // since the test before, the manager decides
    // the course closes before the team decides
    await t.system.db
      .updateTable("courses")
      .set({ status: "archived" })
      .where("id", "=", courseId)
      .execute();
    try {
      const approved = await t.http.post(
        `${api}/workflow-executions/${execution!.id}/approve`,
        {},
        as("manager"),
      );
      expect(approved.status).toBe(200);
      expect(approved.body.data.status).toBe("failed");
      const reason =
        "Approved, but the enrollment could not be made: The course is not open for enrollment";
      expect(await request(requestId)).toEqual({
        status: "rejected",
        reviewed_by: id("manager"),
        review_notes: reason,
        enrollment_id: null,
      });
      const told = await t.system.db
        .selectFrom("notifications")
        .select("body")
        .where("user_id", "=", id("eve"))
        .where("type", "=", "enrollment-rejected")
        .execute();
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain("could not be made");
      expect(await history(execution!.id)).toEqual([
        `started:${id("eve")}`,
        "approval-requested",
        `approved:${id("manager")}`,
        "failed",
      ]);
    } finally {
      await t.system.db
        .updateTable("courses")
        .set({ status: "published" })
        .where("id", "=", courseId)
        .execute();
    }
  });

  it("keeps the request's own flow when the organization turns it off", async () => {
    const off = await t.http.patch(
      `${api}/workflows/${workflowId}`,
      { enabled: false },
      as("admin"),
    );
    expect(off.status).toBe(200);
    const before = (await notices(id("instructor"), "enrollment-requested")).length;
    const requestId = await ask("dan");
    expect(await executionOf(requestId)).toBeUndefined();
    const after = await notices(id("instructor"), "enrollment-requested");
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.data).toEqual({ requestId, courseId });
  });
});
