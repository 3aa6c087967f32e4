import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, publishedCourse, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { updateMember } from "../organizations/members.js";
import { addMember } from "../organizations/service.js";
import { createDepartment } from "../organizations/structure.js";
import { evaluateCompliance } from "./evaluate.js";
import { sendComplianceReminders } from "./reminders.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;
let course: { id: string };
let sales: { id: string };
let ops: { id: string };
let requirementId: string;
let officerCreds: { token?: string };

const api = "/api/v1";
const officer = () => officerCreds;
async function refreshOfficer() {
  officerCreds = await signIn(t, a.people.officer!.user.email);
}
/** Moves the clock; access tokens live minutes, so the officer signs in again. */
async function setClock(at: string) {
  t.clock.set(at);
  await refreshOfficer();
}

async function notices(userId: string, type: string) {
  return t.system.db
    .selectFrom("notifications")
    .select(["title", "data", "action_url"])
    .where("user_id", "=", userId)
    .where("type", "=", type)
    .orderBy("created_at")
    .execute();
}

async function assignmentsOf(userId: string) {
  return t.system.db
    .selectFrom("compliance_assignments")
    .selectAll()
    .where("user_id", "=", userId)
    .where("requirement_id", "=", requirementId)
    .orderBy("cycle")
    .execute();
}

async function statusOf(userId: string) {
  await refreshOfficer();
  const res = await t.http.get(
    `${api}/organizations/${a.org.id}/compliance/status?userId=${userId}`,
    officer(),
  );
  expect(res.status).toBe(200);
  return res.body.data as Array<{ status: string; exemption: { reason: string } | null }>;
}

async function join(key: string, departmentId: string, hireDate: string, managerId?: string) {
  const { makeUser } = await import("../../../test/factories.js");
  const user = await makeUser(t, { firstName: key, lastName: "Person" });
  await addMember(t.system, a.org.id, { userId: user.id, roleKeys: ["learner"], departmentId });
  await updateMember(t.system, a.org.id, user.id, {
    hireDate,
    ...(managerId ? { managerUserId: managerId } : {}),
  });
  return user;
}

beforeAll(async () => {
  // 2026-03-02 09:00 UTC
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Compliant Org",
    people: [
      { key: "officer", roles: ["learner", "compliance-officer"] },
      { key: "manager", roles: ["learner", "manager"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  b = await makeOrganization(t, { name: "Other Org" });
  sales = await createDepartment(t.system, a.org.id, { name: "Sales" });
  ops = await createDepartment(t.system, a.org.id, { name: "Ops" });
  course = await publishedCourse(t, {
    code: "AML-1",
    title: "Anti money laundering",
    instructorId: a.people.admin.user.id,
    organizationId: a.org.id,
  });
  officerCreds = a.people.officer!;
});

afterAll(async () => {
  await t?.close();
});

describe("compliance requirements and rules", () => {
  it("creates a requirement and a rule with compliance:manage, audited; a learner may not", async () => {
    const body = {
      name: "Anti money laundering",
      jurisdiction: "EU",
      complianceType: "industry-standards",
      requirements: "Everyone in sales knows the AML rules.",
      auditFrequency: "annually",
      retentionDays: 3650,
      courseId: course.id,
      dueDays: 30,
      recurrenceMonths: 12,
      recertificationWindowDays: 30,
      reminderOffsetsDays: [1, 7],
      overdueReminderDays: 7,
      managerEscalationDays: 3,
      officerEscalationDays: 10,
      complianceOfficerUserId: a.people.officer!.user.id,
    };
    const refused = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/requirements`,
      body,
      a.people.learner,
    );
    expect(refused.status).toBe(403);
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/requirements`,
      body,
      officer(),
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: "Anti money laundering",
      dueDays: 30,
      recurrenceMonths: 12,
      reminderOffsetsDays: [7, 1],
      complianceOfficerUserId: a.people.officer!.user.id,
      isActive: true,
    });
    requirementId = res.body.data.id;

    const noDepartment = await t.http.post(
      `${api}/compliance-requirements/${requirementId}/rules`,
      { scope: "department" },
      officer(),
    );
    expect(noDepartment.status).toBe(400);
    const rule = await t.http.post(
      `${api}/compliance-requirements/${requirementId}/rules`,
      { scope: "department", departmentId: sales.id, trigger: "hire-date" },
      officer(),
    );
    expect(rule.status).toBe(201);
    expect(rule.body.data).toMatchObject({ scope: "department", departmentId: sales.id });
    const rules = await t.http.get(
      `${api}/compliance-requirements/${requirementId}/rules`,
      officer(),
    );
    expect(rules.body.data.map((r: { id: string }) => r.id)).toEqual([rule.body.data.id]);

    const audits = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("organization_id", "=", a.org.id)
      .where("action", "like", "compliance-%")
      .execute();
    expect(audits.map((x) => x.action).sort()).toEqual([
      "compliance-requirement.create",
      "compliance-rule.create",
    ]);
  });
});

describe("evaluation, reminders, escalation, completion and recertification", () => {
  let ana: { id: string };
  let carl: { id: string };
  let dan: { id: string };

  it("assigns people in scope on hire, due 30 days later, through an enrollment flagged compliance", async () => {
    ana = await join("Ana", sales.id, "2026-03-01", a.people.manager!.user.id);
    await join("Olga", ops.id, "2026-03-01");
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/evaluate`,
      {},
      officer(),
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ assigned: 1, outOfScope: 0, recertifications: 0 });
    const [first] = await assignmentsOf(ana.id);
    expect(first).toMatchObject({ cycle: 1, status: "open", previous_assignment_id: null });
    expect(first!.due_at.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", first!.enrollment_id as string)
      .executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({
      user_id: ana.id,
      course_id: course.id,
      is_compliance: true,
      source: "compliance",
      status: "active",
    });
    expect(enrollment.due_at?.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect((await notices(ana.id, "enrollment-assigned")).length).toBe(1);
    // Evaluating again changes nothing.
    const again = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/evaluate`,
      {},
      officer(),
    );
    expect(again.body.data.assigned).toBe(0);
    expect(await assignmentsOf(ana.id)).toHaveLength(1);
    expect(await statusOf(ana.id)).toMatchObject([{ status: "not-started" }]);
  });

  it("assigns a person who joins after the rule on the next evaluation", async () => {
    await setClock("2026-03-05T10:00:00Z");
    carl = await join("Carl", sales.id, "2026-03-05");
    dan = await join("Dan", sales.id, "2026-03-05");
    expect(await assignmentsOf(carl.id)).toHaveLength(0);
    // Joining queued one evaluation of the organization (the worker is not running here).
    const queued = await t.system.db
      .selectFrom("jobs")
      .select(["payload", "status"])
      .where("name", "=", "compliance.evaluate")
      .execute();
    expect(queued).toEqual([{ payload: { organizationId: a.org.id }, status: "queued" }]);
    const result = await evaluateCompliance(t.system, a.org.id);
    expect(result.assigned).toBe(2);
    const [assignment] = await assignmentsOf(carl.id);
    expect(assignment!.due_at.toISOString()).toBe("2026-04-04T00:00:00.000Z");
  });

  it("an exemption shows exempt with reason and approver, and stops reminders", async () => {
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/exemptions`,
      { requirementId, userId: carl.id, reason: "Certified by the regulator directly" },
      officer(),
    );
    expect(res.status).toBe(201);
    expect(res.body.data.approvedBy).toBe(a.people.officer!.user.id);
    const [status] = await statusOf(carl.id);
    expect(status).toMatchObject({
      status: "exempt",
      exemption: { reason: "Certified by the regulator directly", approverName: "officer Person" },
    });
    const list = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/exemptions?active=true`,
      officer(),
    );
    expect(list.body.data).toMatchObject([
      { userId: carl.id, personName: "Carl Person", approverName: "officer Person" },
    ]);
  });

  it("people who leave the scope keep their history: assignment out of scope, enrollment kept", async () => {
    await updateMember(t.system, a.org.id, dan.id, { departmentId: ops.id });
    const result = await evaluateCompliance(t.system, a.org.id);
    expect(result.outOfScope).toBe(1);
    const [assignment] = await assignmentsOf(dan.id);
    expect(assignment).toMatchObject({ status: "out-of-scope" });
    expect(assignment!.out_of_scope_at).not.toBeNull();
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select("status")
      .where("id", "=", assignment!.enrollment_id as string)
      .executeTakeFirstOrThrow();
    expect(enrollment.status).toBe("active");
    expect(await statusOf(dan.id)).toEqual([]);
    const history = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/assignments?userId=${dan.id}`,
      officer(),
    );
    expect(history.body.data).toMatchObject([{ status: "out-of-scope", cycle: 1 }]);
  });

  it("sends due-soon reminders at the offsets, once per window", async () => {
    await setClock("2026-03-20T10:00:00Z");
    expect((await sendComplianceReminders(t.system, a.org.id)).dueSoon).toBe(0);
    await setClock("2026-03-24T01:00:00Z"); // 6 days 23 hours before the due date
    expect((await sendComplianceReminders(t.system, a.org.id)).dueSoon).toBe(1);
    await setClock("2026-03-25T01:00:00Z");
    expect((await sendComplianceReminders(t.system, a.org.id)).dueSoon).toBe(0);
    await setClock("2026-03-30T02:00:00Z");
    expect((await sendComplianceReminders(t.system, a.org.id)).dueSoon).toBe(1);
    expect((await sendComplianceReminders(t.system, a.org.id)).dueSoon).toBe(0);
    const sent = await notices(ana.id, "compliance-due-soon");
    expect(sent).toHaveLength(2);
    expect(sent[0]!.action_url).toContain(`/courses/${course.id}`);
    // Carl is exempt: nothing for him.
    expect(await notices(carl.id, "compliance-due-soon")).toHaveLength(0);
  });

  it("reminds when overdue and escalates to the manager, then to the compliance officer", async () => {
    await setClock("2026-04-01T01:00:00Z");
    expect(await sendComplianceReminders(t.system, a.org.id)).toMatchObject({
      overdue: 1,
      escalatedToManager: 0,
      escalatedToOfficer: 0,
    });
    expect((await sendComplianceReminders(t.system, a.org.id)).overdue).toBe(0);
    expect(await statusOf(ana.id)).toMatchObject([{ status: "overdue" }]);

    await setClock("2026-04-03T01:00:00Z");
    expect(await sendComplianceReminders(t.system, a.org.id)).toMatchObject({
      overdue: 0,
      escalatedToManager: 1,
      escalatedToOfficer: 0,
    });
    const toManager = await notices(a.people.manager!.user.id, "compliance-escalation");
    expect(toManager).toHaveLength(1);
    expect(toManager[0]!.action_url).toContain(`/people/${ana.id}`);

    await setClock("2026-04-11T01:00:00Z");
    expect(await sendComplianceReminders(t.system, a.org.id)).toMatchObject({
      overdue: 1,
      escalatedToManager: 0,
      escalatedToOfficer: 1,
    });
    expect(await notices(a.people.officer!.user.id, "compliance-escalation")).toHaveLength(1);
    expect(await sendComplianceReminders(t.system, a.org.id)).toMatchObject({
      overdue: 0,
      escalatedToManager: 0,
      escalatedToOfficer: 0,
    });
    const [first] = await assignmentsOf(ana.id);
    const kinds = await t.system.db
      .selectFrom("compliance_reminders")
      .select(["kind", "reminder_window"])
      .where("assignment_id", "=", first!.id)
      .orderBy("sent_at")
      .orderBy("kind")
      .execute();
    expect(kinds.map((k) => `${k.kind}:${k.reminder_window}`)).toEqual([
      "due-soon:before-7d",
      "due-soon:before-1d",
      "overdue:overdue-0",
      "escalation-manager:once",
      "escalation-officer:once",
      "overdue:overdue-1",
    ]);
  });

  it("completion makes the person compliant, with the certificate and an expiry a recurrence later", async () => {
    await setClock("2026-04-12T09:00:00Z");
    const admin = await signIn(t, a.people.admin.user.email);
    const [first] = await assignmentsOf(ana.id);
    const done = await t.http.post(
      `${api}/enrollments/${first!.enrollment_id}/complete`,
      {},
      admin,
    );
    expect(done.status).toBe(200);
    const [completed] = await assignmentsOf(ana.id);
    const cert = await t.system.db
      .selectFrom("certificates")
      .select("id")
      .where("enrollment_id", "=", first!.enrollment_id as string)
      .executeTakeFirst();
    expect(cert).toBeDefined();
    expect(completed).toMatchObject({ status: "completed", certificate_id: cert?.id });
    expect(completed!.completed_at?.toISOString()).toBe("2026-04-12T09:00:00.000Z");
    expect(completed!.expires_at?.toISOString()).toBe("2027-04-12T09:00:00.000Z");
    expect(await statusOf(ana.id)).toMatchObject([{ status: "compliant" }]);
  });

  it("opens recertification inside the window before expiry, chained to the cycle before; expiry shows expired", async () => {
    await setClock("2027-03-10T09:00:00Z");
    expect((await evaluateCompliance(t.system, a.org.id)).recertifications).toBe(0);
    await setClock("2027-03-14T09:00:00Z");
    await refreshOfficer();
    expect((await evaluateCompliance(t.system, a.org.id)).recertifications).toBe(1);
    const [first, second] = await assignmentsOf(ana.id);
    expect(second).toMatchObject({ cycle: 2, status: "open", previous_assignment_id: first!.id });
    expect(second!.due_at.toISOString()).toBe("2027-04-12T09:00:00.000Z");
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select(["status", "due_at"])
      .where("id", "=", second!.enrollment_id as string)
      .executeTakeFirstOrThrow();
    expect(enrollment.status).toBe("active");
    // Still certified until the old certificate runs out.
    expect(await statusOf(ana.id)).toMatchObject([{ status: "compliant" }]);
    const chain = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/assignments?userId=${ana.id}&requirementId=${requirementId}`,
      officer(),
    );
    expect(
      chain.body.data.map((x: { cycle: number; previousAssignmentId: string | null }) => [
        x.cycle,
        x.previousAssignmentId,
      ]),
    ).toEqual([
      [1, null],
      [2, first!.id],
    ]);
    expect(chain.body.data[0].reminders).toHaveLength(6);

    await setClock("2027-04-13T09:00:00Z");
    await refreshOfficer();
    expect(await statusOf(ana.id)).toMatchObject([{ status: "expired" }]);
  });

  it("summarises per requirement and per department with a score and violations", async () => {
    await refreshOfficer();
    const byRequirement = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/summary?by=requirement`,
      officer(),
    );
    expect(byRequirement.status).toBe(200);
    const [row] = byRequirement.body.data;
    expect(row).toMatchObject({ id: requirementId, total: 2 });
    expect(row.counts).toMatchObject({ exempt: 1, expired: 1 });
    expect(row.violations).toBe(1);
    expect(row.score).toBe(0);
    const byDepartment = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/summary?by=department`,
      officer(),
    );
    expect(byDepartment.body.data).toMatchObject([{ id: sales.id, name: "Sales", total: 2 }]);
    const expired = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/status?status=expired&departmentId=${sales.id}`,
      officer(),
    );
    expect(expired.body.data.map((x: { person: { id: string } }) => x.person.id)).toEqual([ana.id]);
    // The per-person lists are reads of those people's data: one access-log line per person.
    const logged = await t.system.db
      .selectFrom("privacy_access_logs")
      .select(["subject_user_id", "what"])
      .where("organization_id", "=", a.org.id)
      .where("what", "=", "compliance-status")
      .where("subject_user_id", "=", ana.id)
      .execute();
    expect(logged.length).toBeGreaterThan(0);
    const before = await t.system.db
      .selectFrom("privacy_access_logs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("what", "=", "compliance-assignments")
      .executeTakeFirstOrThrow();
    const history = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/assignments?userId=${ana.id}`,
      officer(),
    );
    expect(history.status).toBe(200);
    const after = await t.system.db
      .selectFrom("privacy_access_logs")
      .select(["subject_user_id"])
      .where("what", "=", "compliance-assignments")
      .orderBy("id")
      .execute();
    expect(history.body.data.length).toBeGreaterThan(0);
    // One line per person listed, however many cycles of theirs the page shows.
    expect(after.length).toBe(Number(before.n) + 1);
    expect(after.at(-1)?.subject_user_id).toBe(ana.id);
  });
});

describe("compliance tenancy", () => {
  it("another organization can neither read nor change the requirements, nor name its course, department or people", async () => {
    const other = await signIn(t, b.people.admin.user.email);
    expect(
      (await t.http.get(`${api}/compliance-requirements/${requirementId}`, other)).status,
    ).toBe(404);
    expect(
      (
        await t.http.patch(
          `${api}/compliance-requirements/${requirementId}`,
          { name: "Mine" },
          other,
        )
      ).status,
    ).toBe(404);
    expect(
      (await t.http.get(`${api}/organizations/${a.org.id}/compliance/status`, other)).status,
    ).toBe(403);
    const withCourse = await t.http.post(
      `${api}/organizations/${b.org.id}/compliance/requirements`,
      { name: "Copy", jurisdiction: "EU", courseId: course.id },
      other,
    );
    expect(withCourse.status).toBe(404);
    const own = await t.http.post(
      `${api}/organizations/${b.org.id}/compliance/requirements`,
      {
        name: "Own",
        jurisdiction: "EU",
        courseId: (
          await publishedCourse(t, {
            code: "B-1",
            title: "B course",
            instructorId: b.people.admin.user.id,
            organizationId: b.org.id,
          })
        ).id,
      },
      other,
    );
    expect(own.status).toBe(201);
    const withDepartment = await t.http.post(
      `${api}/compliance-requirements/${own.body.data.id}/rules`,
      { scope: "department", departmentId: sales.id },
      other,
    );
    expect(withDepartment.status).toBe(404);
    const withPerson = await t.http.post(
      `${api}/organizations/${b.org.id}/compliance/exemptions`,
      { requirementId: own.body.data.id, userId: a.people.learner!.user.id, reason: "No" },
      other,
    );
    expect(withPerson.status).toBe(404);
    const withRequirement = await t.http.post(
      `${api}/organizations/${b.org.id}/compliance/exemptions`,
      { requirementId, userId: b.people.admin.user.id, reason: "No" },
      other,
    );
    expect(withRequirement.status).toBe(404);
    const unchanged = await t.system.db
      .selectFrom("compliance_requirements")
      .select("name")
      .where("id", "=", requirementId)
      .executeTakeFirstOrThrow();
    expect(unchanged.name).toBe("Anti money laundering");
  });
});

describe("evaluation over people already enrolled in the course", () => {
  it("reuses an open enrollment, counts a completed one at once, and enrolls the rest", async () => {
    await setClock("2027-05-03T09:00:00Z");
    const { enroll } = await import("../enrollment/enroll.js");
    const legal = await createDepartment(t.system, a.org.id, { name: "Legal" });
    const privacy = await publishedCourse(t, {
      code: "GDPR-1",
      title: "Data protection basics",
      instructorId: a.people.admin.user.id,
      organizationId: a.org.id,
    });
    const enrolled = async (userId: string) => {
      const result = await enroll(t.system, {
        userId,
        courseId: privacy.id,
        organizationId: a.org.id,
        source: "self",
        waitlist: false,
      });
      if (result.kind !== "enrolled") throw new Error("not enrolled");
      return result.enrollment;
    };
    const eve = await join("Eve", legal.id, "2027-05-01");
    const fay = await join("Fay", legal.id, "2027-05-01");
    const gus = await join("Gus", legal.id, "2027-05-01");
    const eveEnrollment = await enrolled(eve.id);
    const fayEnrollment = await enrolled(fay.id);
    const admin = await signIn(t, a.people.admin.user.email);
    expect(
      (await t.http.post(`${api}/enrollments/${fayEnrollment.id}/complete`, {}, admin)).status,
    ).toBe(200);
    const fayCertificate = await t.system.db
      .selectFrom("certificates")
      .select("id")
      .where("enrollment_id", "=", fayEnrollment.id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();

    await refreshOfficer();
    const created = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/requirements`,
      { name: "Data protection", jurisdiction: "EU", courseId: privacy.id, dueDays: 20 },
      officer(),
    );
    expect(created.status).toBe(201);
    const privacyRequirement = created.body.data.id as string;
    const rule = await t.http.post(
      `${api}/compliance-requirements/${privacyRequirement}/rules`,
      { scope: "department", departmentId: legal.id, trigger: "hire-date" },
      officer(),
    );
    expect(rule.status).toBe(201);

    const result = await evaluateCompliance(t.system, a.org.id);
    expect(result).toMatchObject({ assigned: 3, completedOnAssignment: 1, outOfScope: 0 });
    const rows = await t.system.db
      .selectFrom("compliance_assignments")
      .selectAll()
      .where("requirement_id", "=", privacyRequirement)
      .execute();
    const of = (userId: string) => rows.find((r) => r.user_id === userId)!;
    expect(of(eve.id)).toMatchObject({ status: "open", enrollment_id: eveEnrollment.id });
    expect(of(eve.id).due_at.toISOString()).toBe("2027-05-21T00:00:00.000Z");
    const eveNow = await t.system.db
      .selectFrom("enrollments")
      .select(["is_compliance", "due_at", "status"])
      .where("id", "=", eveEnrollment.id)
      .executeTakeFirstOrThrow();
    expect(eveNow).toMatchObject({ is_compliance: true, status: "active" });
    expect(eveNow.due_at?.toISOString()).toBe("2027-05-21T00:00:00.000Z");
    expect(fayCertificate).toBeDefined();
    expect(of(fay.id)).toMatchObject({
      status: "completed",
      enrollment_id: fayEnrollment.id,
      certificate_id: fayCertificate?.id,
    });
    expect(of(fay.id).completed_at?.toISOString()).toBe("2027-05-03T09:00:00.000Z");
    expect(of(gus.id)).toMatchObject({ status: "open" });
    expect(of(gus.id).enrollment_id).not.toBeNull();
    expect(of(gus.id).enrollment_id).not.toBe(eveEnrollment.id);
    // Only the person enrolled by the evaluation is told of a new training.
    const told = async (userId: string) =>
      (await notices(userId, "enrollment-assigned")).filter(
        (n) => (n.data as { courseId?: string }).courseId === privacy.id,
      ).length;
    expect([await told(eve.id), await told(fay.id), await told(gus.id)]).toEqual([0, 0, 1]);
    expect((await evaluateCompliance(t.system, a.org.id)).assigned).toBe(0);
  });
});
