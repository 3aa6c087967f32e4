import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draftCourse, makeOrganization, publishedCourse, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { enroll } from "../enrollment/enroll.js";
import { updateMember } from "../organizations/members.js";
import { addMember } from "../organizations/service.js";
import { advanceDue } from "./engine.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;
let onboarding: { id: string };
let followUp: { id: string };
let definitionId: string;
const api = "/api/v1";
type Person = "admin" | "officer" | "manager" | "learner" | "learner2" | "editor" | "author";
const creds: Partial<Record<Person, { token?: string }>> = {};

/** Moves the clock; access tokens live minutes, so everyone signs in again. */
async function setClock(at: string) {
  t.clock.set(at);
  for (const key of Object.keys(a.people) as Person[])
    creds[key] = await signIn(t, a.people[key]!.user.email);
  b.people.admin = { ...b.people.admin, ...(await signIn(t, b.people.admin.user.email)) };
}
const as = (key: Person) => creds[key] as { token?: string };
const id = (key: Person) => a.people[key]!.user.id;

async function notices(userId: string, type: string) {
  return t.system.db
    .selectFrom("notifications")
    .select(["title", "data", "action_url"])
    .where("user_id", "=", userId)
    .where("type", "=", type)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

async function detail(executionId: string, who: Person = "admin") {
  const res = await t.http.get(`${api}/workflow-executions/${executionId}`, as(who));
  expect(res.status).toBe(200);
  return res.body.data as {
    status: string;
    version: number;
    currentStep: number;
    escalationLevel: number;
    history: Array<{ action: string; step: number | null; actorId: string | null; note: string }>;
  };
}

async function executionsOf(query: string) {
  const res = await t.http.get(
    `${api}/organizations/${a.org.id}/workflow-executions?${query}`,
    as("admin"),
  );
  expect(res.status).toBe(200);
  return res.body.data as Array<{
    id: string;
    status: string;
    subjectUserId: string;
    subjectName: string | null;
  }>;
}

/** A draft course of the organization with one lesson, ready to be published. */
async function orgDraft(code: string, title: string, instructor: Person) {
  return draftCourse(t, {
    code,
    title,
    description: "A course of the organization, waiting to be published.",
    instructorId: id(instructor),
    organizationId: a.org.id,
  });
}

beforeAll(async () => {
  // 2026-03-02 09:00 UTC
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Flowing Org",
    people: [
      { key: "officer", roles: ["learner", "compliance-officer"] },
      { key: "manager", roles: ["learner", "manager"] },
      { key: "learner", roles: ["learner"] },
      { key: "learner2", roles: ["learner"] },
      { key: "editor", roles: ["learner", "content-admin"] },
      { key: "author", roles: ["learner", "instructor"] },
    ],
  });
  b = await makeOrganization(t, { name: "Other Org" });
  for (const key of ["learner", "learner2"])
    await updateMember(t.system, a.org.id, a.people[key]!.user.id, {
      managerUserId: a.people.manager!.user.id,
    });
  onboarding = await publishedCourse(t, {
    code: "ONB-1",
    title: "Onboarding",
    instructorId: a.people.admin.user.id,
    organizationId: a.org.id,
  });
  followUp = await publishedCourse(t, {
    code: "ONB-2",
    title: "Onboarding, part two",
    instructorId: a.people.admin.user.id,
    organizationId: a.org.id,
  });
  await setClock("2026-03-02T09:00:00Z");
});

afterAll(() => t?.close());

describe("workflow definitions", () => {
  it("refuses steps that cannot run, naming the step", async () => {
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/workflows`,
      {
        name: "Broken",
        trigger: { type: "event", event: "enrollment.created" },
        steps: [
          { type: "wait", hours: 1 },
          { type: "condition", field: "source", op: "eq", value: "admin", thenStep: 0 },
        ],
      },
      as("admin"),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "Step 2 (condition): thenStep must point to a later step (counted from 0)",
    );
    const scheduled = await t.http.post(
      `${api}/organizations/${a.org.id}/workflows`,
      {
        name: "Scheduled for nobody",
        trigger: { type: "schedule", everyHours: 24 },
        steps: [{ type: "approval", approver: { kind: "manager" } }],
      },
      as("admin"),
    );
    expect(scheduled.status).toBe(400);
    expect(scheduled.body.error.message).toMatch(/^Step 1 \(approval\): a scheduled workflow/);
    const noTimeout = await t.http.post(
      `${api}/organizations/${a.org.id}/workflows`,
      {
        name: "Escalates never",
        trigger: { type: "manual" },
        steps: [
          {
            type: "approval",
            approver: { kind: "manager" },
            escalateTo: { kind: "role", role: "compliance-officer" },
          },
        ],
      },
      as("admin"),
    );
    expect(noTimeout.status).toBe(400);
    expect(noTimeout.body.error.message).toBe(
      "Step 1 (approval): escalation and a timeout action need timeoutHours",
    );
    const learner = await t.http.get(`${api}/organizations/${a.org.id}/workflows`, as("learner"));
    expect(learner.status).toBe(403);
  });

  it("defines an event-triggered workflow and lists it beside the built-in approvals", async () => {
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/workflows`,
      {
        name: "New joiner follow-up",
        description: "After onboarding starts: welcome, the manager agrees, two days, part two",
        trigger: { type: "event", event: "enrollment.created" },
        steps: [
          {
            type: "condition",
            field: "courseId",
            op: "eq",
            value: onboarding.id,
            thenStep: 1,
            elseStep: 5,
          },
          { type: "notification", recipient: { kind: "subject" }, message: "Welcome aboard" },
          {
            type: "approval",
            approver: { kind: "manager" },
            timeoutHours: 24,
            escalateTo: { kind: "role", role: "compliance-officer" },
          },
          { type: "wait", hours: 48 },
          { type: "assignment", courseId: followUp.id, dueDays: 14 },
        ],
      },
      as("admin"),
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      version: 1,
      enabled: true,
      builtin: null,
      trigger: { type: "event", event: "enrollment.created", everyHours: null },
    });
    definitionId = res.body.data.id;
    const list = await t.http.get(`${api}/organizations/${a.org.id}/workflows`, as("admin"));
    expect(list.status).toBe(200);
    const byName = Object.fromEntries(
      (list.body.data as Array<{ name: string; builtin: string | null; enabled: boolean }>).map(
        (d) => [d.name, d],
      ),
    );
    expect(byName["New joiner follow-up"]?.builtin).toBeNull();
    expect(byName["Compliance exemption approval"]).toMatchObject({
      builtin: "compliance-exemption",
      enabled: true,
    });
    expect(byName["Course publication approval"]).toMatchObject({
      builtin: "course-publication",
      enabled: false,
    });
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", definitionId)
      .execute();
    expect(audit.map((r) => r.action)).toEqual(["workflow.create"]);
  });
});

describe("an execution started by a domain event", () => {
  let executionId: string;

  it("runs notification → approval, and waits for the manager", async () => {
    await enroll(t.system, {
      userId: id("learner"),
      courseId: onboarding.id,
      organizationId: a.org.id,
      source: "admin",
    });
    // recorded in the enrollment's transaction; the workflow job runs it
    const [started] = await executionsOf(`definitionId=${definitionId}`);
    expect(started?.status).toBe("running");
    executionId = started?.id as string;
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ started: 1 });
    const seen = await detail(executionId);
    expect(seen.status).toBe("awaiting-approval");
    expect(seen.currentStep).toBe(2);
    expect(seen.history.map((h) => h.action)).toEqual([
      "started",
      "condition",
      "notified",
      "approval-requested",
    ]);
    expect((await notices(id("learner"), "workflow-notification"))[0]).toMatchObject({
      title: "New joiner follow-up",
      action_url: `/workflows/executions/${executionId}`,
    });
    const asked = await notices(id("manager"), "workflow-approval-requested");
    expect(asked).toHaveLength(1);
    expect(asked[0]?.data).toMatchObject({ executionId });
  });

  it("refuses an approval by anyone but an approver", async () => {
    for (const who of ["officer", "learner", "editor"] as const) {
      const res = await t.http.post(
        `${api}/workflow-executions/${executionId}/approve`,
        { note: "Me too" },
        as(who),
      );
      // the learner sees their own execution; the others do not see it at all
      expect(res.status).toBe(who === "learner" ? 403 : 404);
    }
    const admin = await t.http.post(
      `${api}/workflow-executions/${executionId}/approve`,
      {},
      as("admin"),
    );
    expect(admin.status).toBe(403);
    expect(admin.body.error.code).toBe("NOT_AN_APPROVER");
    expect((await detail(executionId)).status).toBe("awaiting-approval");
  });

  it("keeps another organization out", async () => {
    const other = b.people.admin;
    expect((await t.http.get(`${api}/workflow-executions/${executionId}`, other)).status).toBe(404);
    for (const decision of ["approve", "reject", "cancel"])
      expect(
        (await t.http.post(`${api}/workflow-executions/${executionId}/${decision}`, {}, other))
          .status,
      ).toBe(404);
    expect(
      (await t.http.get(`${api}/organizations/${a.org.id}/workflow-executions`, other)).status,
    ).toBe(403);
    const own = await t.http.get(
      `${api}/organizations/${b.org.id}/workflow-executions?definitionId=${definitionId}`,
      other,
    );
    expect(own.status).toBe(404);
    expect((await t.http.get(`${api}/workflows/${definitionId}`, other)).status).toBe(404);
    expect((await t.http.get(`${api}/workflow-approvals/mine`, other)).body.data).toEqual([]);
  });

  it("goes on once the manager approves: waits, then assigns", async () => {
    const mine = await t.http.get(`${api}/workflow-approvals/mine`, as("manager"));
    expect(mine.body.data.map((e: { id: string }) => e.id)).toEqual([executionId]);
    const res = await t.http.post(
      `${api}/workflow-executions/${executionId}/approve`,
      { note: "Fine by me" },
      as("manager"),
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "waiting", currentStep: 3 });
    expect(res.body.data.dueAt).toBe("2026-03-04T09:00:00.000Z");
    // an edit makes a new version; the running execution keeps its own
    const edit = await t.http.patch(
      `${api}/workflows/${definitionId}`,
      { steps: [{ type: "notification", recipient: { kind: "manager" }, message: "Joined" }] },
      as("admin"),
    );
    expect(edit.status).toBe(200);
    expect(edit.body.data.version).toBe(2);
    const versions = await t.http.get(`${api}/workflows/${definitionId}/versions`, as("admin"));
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    await setClock("2026-03-03T09:00:00Z");
    expect(await advanceDue(t.system, a.org.id)).toEqual({ scheduled: 0 });
    await setClock("2026-03-04T09:00:01Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ resumed: 1 });
    const done = await detail(executionId, "learner");
    expect(done.status).toBe("completed");
    expect(done.version).toBe(1);
    expect(done.history.map((h) => [h.step, h.action])).toEqual([
      [null, "started"],
      [0, "condition"],
      [1, "notified"],
      [2, "approval-requested"],
      [2, "approved"],
      [3, "waiting"],
      [3, "resumed"],
      [4, "assigned"],
      [null, "completed"],
    ]);
    expect(done.history.find((h) => h.action === "approved")).toMatchObject({
      actorId: id("manager"),
      note: "Fine by me",
    });
    const assigned = await t.system.db
      .selectFrom("enrollments")
      .select(["status", "due_at", "is_mandatory"])
      .where("user_id", "=", id("learner"))
      .where("course_id", "=", followUp.id)
      .executeTakeFirstOrThrow();
    expect(assigned.status).toBe("active");
    expect(assigned.due_at?.toISOString()).toBe("2026-03-18T09:00:01.000Z");
    // the assignment's own enrollment started version 2, which tells the manager
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ started: 1 });
    const v2 = await executionsOf(`definitionId=${definitionId}&status=completed`);
    expect(v2).toHaveLength(2);
    expect((await notices(id("manager"), "workflow-notification")).length).toBe(1);
  });

  it("is queryable by workflow, status and subject", async () => {
    const learner = a.people.learner!.user;
    // each row names the person it is about (the list needs no member lookups)
    expect(
      (await executionsOf(`subjectId=${id("learner")}`)).map((e) => [e.status, e.subjectName]),
    ).toEqual([
      ["completed", `${learner.first_name} ${learner.last_name}`],
      ["completed", `${learner.first_name} ${learner.last_name}`],
    ]);
    expect(await executionsOf(`subjectId=${id("learner2")}`)).toEqual([]);
    expect(await executionsOf("status=awaiting-approval")).toEqual([]);
    const bad = await t.http.get(
      `${api}/organizations/${a.org.id}/workflow-executions?status=lost`,
      as("admin"),
    );
    expect(bad.status).toBe(400);
  });
});

describe("an approval not decided in time", () => {
  it("escalates, then is rejected on the second timeout", async () => {
    const created = await t.http.post(
      `${api}/organizations/${a.org.id}/workflows`,
      {
        name: "Manager sign-off",
        trigger: { type: "manual" },
        steps: [
          {
            type: "approval",
            approver: { kind: "manager" },
            timeoutHours: 24,
            escalateTo: { kind: "role", role: "compliance-officer" },
          },
          { type: "notification", recipient: { kind: "subject" }, message: "Signed off" },
        ],
      },
      as("admin"),
    );
    expect(created.status).toBe(201);
    const started = await t.http.post(
      `${api}/workflows/${created.body.data.id}/executions`,
      { subjectUserId: id("learner2") },
      as("admin"),
    );
    expect(started.status).toBe(201);
    const executionId = started.body.data.id as string;
    expect(started.body.data).toMatchObject({
      status: "awaiting-approval",
      dueAt: "2026-03-05T09:00:01.000Z",
    });
    await setClock("2026-03-05T09:00:02Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ escalated: 1 });
    const escalated = await detail(executionId);
    expect(escalated).toMatchObject({ status: "awaiting-approval", escalationLevel: 1 });
    expect(escalated.history.at(-1)?.action).toBe("escalated");
    const told = await notices(id("officer"), "workflow-approval-requested");
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toBe("Approval needed: Manager sign-off for learner2 Person");
    await setClock("2026-03-06T09:00:03Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ "timed-out": 1 });
    const ended = await detail(executionId);
    expect(ended.status).toBe("rejected");
    expect(ended.history.slice(-2).map((h) => h.action)).toEqual(["timed-out", "rejected"]);
    expect(await notices(id("learner2"), "workflow-notification")).toEqual([]);
    expect((await notices(id("learner2"), "workflow-decided")).map((n) => n.title)).toEqual([
      "Declined: Manager sign-off for learner2 Person",
    ]);
  });
});

describe("compliance exemption approval", () => {
  let requirementId: string;

  beforeAll(async () => {
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/requirements`,
      { name: "Fire safety", jurisdiction: "DE", courseId: onboarding.id, dueDays: 30 },
      as("officer"),
    );
    expect(res.status).toBe(201);
    requirementId = res.body.data.id;
  });

  it("waits for a compliance officer when the person asks", async () => {
    const path = `${api}/organizations/${a.org.id}/compliance/exemption-requests`;
    const body = { requirementId, userId: id("learner"), reason: "Certified fire warden" };
    const notMine = await t.http.post(path, { ...body, userId: id("learner2") }, as("learner"));
    expect(notMine.status).toBe(403);
    const res = await t.http.post(path, body, as("learner"));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: "pending", exemptionId: null });
    const executionId = res.body.data.execution.id as string;
    expect(res.body.data.execution).toMatchObject({
      builtin: "compliance-exemption",
      status: "awaiting-approval",
      subjectUserId: id("learner"),
      subjectId: requirementId,
    });
    const again = await t.http.post(path, body, as("manager"));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_REQUESTED");
    expect((await notices(id("officer"), "workflow-approval-requested")).at(-1)?.title).toBe(
      "Approval needed: Exemption of learner Person from Fire safety",
    );
    // the manager is not the approver; the person cannot approve their own request
    for (const who of ["manager", "learner"] as const) {
      const refused = await t.http.post(
        `${api}/workflow-executions/${executionId}/approve`,
        {},
        as(who),
      );
      expect(refused.status).toBe(who === "learner" ? 403 : 404);
    }
    expect(
      await t.system.db
        .selectFrom("compliance_exemptions")
        .select("id")
        .where("user_id", "=", id("learner"))
        .execute(),
    ).toEqual([]);
    const approved = await t.http.post(
      `${api}/workflow-executions/${executionId}/approve`,
      { note: "Warden certificate seen" },
      as("officer"),
    );
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe("completed");
    const exemption = await t.system.db
      .selectFrom("compliance_exemptions")
      .selectAll()
      .where("user_id", "=", id("learner"))
      .executeTakeFirstOrThrow();
    expect(exemption).toMatchObject({
      requirement_id: requirementId,
      reason: "Certified fire warden",
      approved_by: id("officer"),
    });
    const history = (await detail(executionId, "learner")).history;
    expect(history.map((h) => h.action)).toEqual([
      "started",
      "approval-requested",
      "approved",
      "completed",
    ]);
    expect(history.at(-1)?.note).toBe(`Exemption ${exemption.id} recorded`);
    expect((await notices(id("learner"), "workflow-decided")).at(-1)?.title).toBe(
      "Approved: Exemption of learner Person from Fire safety",
    );
  });

  it("exempts at once when a compliance officer asks, and a rejection records nothing", async () => {
    const path = `${api}/organizations/${a.org.id}/compliance/exemption-requests`;
    const direct = await t.http.post(
      path,
      { requirementId, userId: id("manager"), reason: "On leave" },
      as("officer"),
    );
    expect(direct.status).toBe(201);
    expect(direct.body.data).toMatchObject({ status: "exempted", execution: null });
    const asked = await t.http.post(
      path,
      { requirementId, userId: id("learner2"), reason: "Works remotely" },
      as("manager"),
    );
    expect(asked.body.data.status).toBe("pending");
    const rejected = await t.http.post(
      `${api}/workflow-executions/${asked.body.data.execution.id}/reject`,
      { note: "Remote staff take it too" },
      as("officer"),
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.data.status).toBe("rejected");
    expect(
      await t.system.db
        .selectFrom("compliance_exemptions")
        .select("id")
        .where("user_id", "=", id("learner2"))
        .execute(),
    ).toEqual([]);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", asked.body.data.execution.id)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    expect(audit.map((r) => r.action)).toEqual([
      "workflow-execution.start",
      "workflow-execution.reject",
    ]);
  });

  it("names a pending request after the organization's own approval workflow", async () => {
    const list = await t.http.get(
      `${api}/organizations/${a.org.id}/workflows?builtin=true`,
      as("admin"),
    );
    const exemption = (list.body.data as Array<{ id: string; builtin: string }>).find(
      (d) => d.builtin === "compliance-exemption",
    );
    const renamed = await t.http.patch(
      `${api}/workflows/${exemption?.id}`,
      { name: "Exemption sign-off" },
      as("admin"),
    );
    expect(renamed.status).toBe(200);
    const asked = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/exemption-requests`,
      { requirementId, userId: id("learner2"), reason: "Moved to the night shift" },
      as("manager"),
    );
    expect(asked.status).toBe(201);
    expect(asked.body.data.execution).toMatchObject({
      status: "awaiting-approval",
      workflowId: exemption?.id,
      workflowName: "Exemption sign-off",
      builtin: "compliance-exemption",
    });
    const mine = await t.http.get(`${api}/workflow-approvals/mine`, as("officer"));
    expect(mine.body.data.map((e: { id: string }) => e.id)).toContain(asked.body.data.execution.id);
    const notMine = await t.http.get(`${api}/workflow-approvals/mine`, as("manager"));
    expect(notMine.body.data).toEqual([]);
  });
});

describe("course publication approval", () => {
  it("makes a non-approver's publication wait for a content administrator", async () => {
    const list = await t.http.get(
      `${api}/organizations/${a.org.id}/workflows?builtin=true`,
      as("admin"),
    );
    const publication = (list.body.data as Array<{ id: string; builtin: string }>).find(
      (d) => d.builtin === "course-publication",
    );
    const on = await t.http.patch(
      `${api}/workflows/${publication?.id}`,
      { enabled: true },
      as("admin"),
    );
    expect(on.status).toBe(200);
    expect(on.body.data).toMatchObject({ enabled: true, version: 1 });
    const course = await orgDraft("AUTH-1", "Written by the author", "author");
    const publish = await t.http.post(`${api}/courses/${course.id}/publish`, {}, as("author"));
    expect(publish.status).toBe(409);
    expect(publish.body.error.code).toBe("PUBLICATION_AWAITS_APPROVAL");
    const executionId = publish.body.error.details.executionId as string;
    const again = await t.http.post(`${api}/courses/${course.id}/publish`, {}, as("author"));
    expect(again.body.error.details.executionId).toBe(executionId);
    const draft = await t.system.db
      .selectFrom("courses")
      .select("status")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(draft.status).toBe("draft");
    expect((await notices(id("editor"), "workflow-approval-requested")).at(-1)?.title).toBe(
      "Approval needed: Publication of Written by the author",
    );
    const approved = await t.http.post(
      `${api}/workflow-executions/${executionId}/approve`,
      {},
      as("editor"),
    );
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe("completed");
    const published = await t.system.db
      .selectFrom("courses")
      .select("status")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(published.status).toBe("published");
    // the approver publishes their own courses at once
    const own = await orgDraft("ED-1", "By the editor", "editor");
    const direct = await t.http.post(`${api}/courses/${own.id}/publish`, {}, as("editor"));
    expect(direct.status).toBe(200);
    expect(direct.body.data.status).toBe("published");
  });

  it("holds a publication by someone whose approver grant has expired", async () => {
    const contentAdmin = await t.system.db
      .selectFrom("roles")
      .select("id")
      .where("key", "=", "content-admin")
      .where("organization_id", "=", a.org.id)
      .executeTakeFirstOrThrow();
    await t.system.db
      .insertInto("user_roles")
      .values({
        user_id: id("author"),
        role_id: contentAdmin.id,
        organization_id: a.org.id,
        expires_at: new Date("2026-03-01T00:00:00Z"),
      })
      .execute();
    const course = await orgDraft("AUTH-2", "After the grant ran out", "author");
    const publish = await t.http.post(`${api}/courses/${course.id}/publish`, {}, as("author"));
    expect(publish.status).toBe(409);
    expect(publish.body.error.code).toBe("PUBLICATION_AWAITS_APPROVAL");
    const stored = await t.system.db
      .selectFrom("courses")
      .select("status")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("draft");
  });
});

describe("scheduled workflows", () => {
  it("start on their schedule", async () => {
    const created = await t.http.post(
      `${api}/organizations/${a.org.id}/workflows`,
      {
        name: "Daily nudge",
        trigger: { type: "schedule", everyHours: 24 },
        steps: [
          {
            type: "notification",
            recipient: { kind: "role", role: "compliance-officer" },
            message: "Check the dashboard",
          },
        ],
      },
      as("admin"),
    );
    expect(created.status).toBe(201);
    expect(created.body.data.nextRunAt).toBe("2026-03-07T09:00:03.000Z");
    await setClock("2026-03-07T10:00:00Z");
    expect(await advanceDue(t.system, a.org.id)).toMatchObject({ scheduled: 1 });
    expect(await advanceDue(t.system, a.org.id)).toEqual({ scheduled: 0 });
    const runs = await executionsOf(`definitionId=${created.body.data.id}`);
    expect(runs.map((r) => r.status)).toEqual(["completed"]);
    const after = await t.http.get(`${api}/workflows/${created.body.data.id}`, as("admin"));
    expect(after.body.data.nextRunAt).toBe("2026-03-08T09:00:03.000Z");
    expect((await notices(id("officer"), "workflow-notification")).map((n) => n.title)).toEqual([
      "Daily nudge",
    ]);
  });
});

void addMember;
