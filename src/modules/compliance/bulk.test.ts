import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, publishedCourse, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { queryCount } from "../../db/connection.js";
import { evaluateRequirement } from "./evaluate.js";
import { sendComplianceReminders } from "./reminders.js";

/**
 * Evaluation and reminders over a few hundred people write in slices: the statements they
 * send stay bounded (11 a reminder step and about 20 a new assignment when each was written
 * on its own), and a second round (or a second worker on the same round) sends nothing twice.
 */

const PEOPLE = 300;
let t: TestApp;
let org: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  // 2026-03-02 09:00 UTC
  t = await createTestApp();
  org = await makeOrganization(t, {
    name: "Many People",
    people: [
      { key: "officer", roles: ["learner", "compliance-officer"] },
      { key: "manager", roles: ["learner", "manager"] },
    ],
  });
  const course = await publishedCourse(t, {
    code: "BULK-1",
    title: "Fire safety",
    instructorId: org.people.admin.user.id,
    organizationId: org.org.id,
  });
  const db = t.system.db;
  const requirement = await db
    .insertInto("compliance_requirements")
    .values({
      organization_id: org.org.id,
      name: "Fire safety",
      jurisdiction: "EU",
      course_id: course.id,
      reminder_offsets_days: [14, 7, 1],
      overdue_reminder_days: 7,
      manager_escalation_days: 7,
      officer_escalation_days: 30,
      compliance_officer_user_id: org.people.officer!.user.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const manager = org.people.manager!.user.id;
  const users = await db
    .insertInto("users")
    .values(
      Array.from({ length: PEOPLE }, (_, n) => ({
        email: `bulk-${n}@example.org`,
        password_hash: "x",
        first_name: "Person",
        last_name: `N${n}`,
        email_verified: true,
      })),
    )
    .returning(["id", "email"])
    .execute();
  users.sort((x, y) => Number(x.email.split(/[-@]/)[1]) - Number(y.email.split(/[-@]/)[1]));
  await db
    .insertInto("organization_members")
    .values(
      users.map((u) => ({
        organization_id: org.org.id,
        user_id: u.id,
        status: "active",
        manager_user_id: manager,
      })),
    )
    .execute();
  // A third due in five days, a third 10 days overdue (manager told), a third 40 days
  // overdue (manager and officer told).
  const now = t.clock.now().getTime();
  const dueAt = (n: number) => new Date(now + [5, -10, -40][n % 3]! * 86_400_000 + 3_600_000);
  await db
    .insertInto("compliance_assignments")
    .values(
      users.map((u, n) => ({
        organization_id: org.org.id,
        requirement_id: requirement.id,
        user_id: u.id,
        assigned_at: new Date(now - 60 * 86_400_000),
        due_at: dueAt(n),
      })),
    )
    .execute();
  await sql`analyze compliance_assignments`.execute(db);
});

afterAll(async () => {
  await t?.close();
});

describe("reminders in bulk", () => {
  it("sends every step of a few hundred assignments in a bounded number of statements, and nothing twice", async () => {
    const before = queryCount(t.system.db);
    const result = await sendComplianceReminders(t.system, org.org.id);
    const statements = queryCount(t.system.db) - before;
    // 100 due soon, 200 overdue, 200 escalations to the manager, 100 to the officer
    expect(result).toEqual({
      dueSoon: 100,
      overdue: 200,
      escalatedToManager: 200,
      escalatedToOfficer: 100,
    });
    const steps = 600;
    // a fixed number per slice of 500 and kind of notification (the reminder rows; the reads
    // of restrictions, people, templates and settings; the notifications, mails and delivery
    // log; the access log; the audit records), whatever the number of steps: 56 here, 11 a
    // step (6,600) when each was sent on its own
    expect(statements).toBeLessThanOrEqual(80);

    const reminders = await t.system.db
      .selectFrom("compliance_reminders")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("organization_id", "=", org.org.id)
      .executeTakeFirstOrThrow();
    expect(Number(reminders.n)).toBe(steps);
    const audits = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", (e) => e.fn.countAll<number>().as("n")])
      .where("organization_id", "=", org.org.id)
      .where("action", "like", "compliance-assignment.%")
      .groupBy("action")
      .orderBy("action")
      .execute();
    expect(audits.map((a) => [a.action, Number(a.n)])).toEqual([
      ["compliance-assignment.due-soon", 100],
      ["compliance-assignment.escalation-manager", 200],
      ["compliance-assignment.escalation-officer", 100],
      ["compliance-assignment.overdue", 200],
    ]);
    const managerNotices = await t.system.db
      .selectFrom("notifications")
      .select(["title", "data"])
      .where("user_id", "=", org.people.manager!.user.id)
      .where("type", "=", "compliance-escalation")
      .execute();
    expect(managerNotices).toHaveLength(200);
    // each escalation names its own person and assignment
    expect(
      new Set(
        managerNotices.map(
          (n) => (n.data as { complianceAssignmentId: string }).complianceAssignmentId,
        ),
      ).size,
    ).toBe(200);
    const accessLog = await t.system.db
      .selectFrom("privacy_access_logs")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("organization_id", "=", org.org.id)
      .where("viewer_user_id", "=", org.people.manager!.user.id)
      .where("what", "=", "reminder")
      .executeTakeFirstOrThrow();
    expect(Number(accessLog.n)).toBe(200);

    const again = queryCount(t.system.db);
    expect(await sendComplianceReminders(t.system, org.org.id)).toEqual({
      dueSoon: 0,
      overdue: 0,
      escalatedToManager: 0,
      escalatedToOfficer: 0,
    });
    expect(queryCount(t.system.db) - again).toBeLessThanOrEqual(3);
  });

  it("two rounds at once send each step once", async () => {
    t.clock.set(new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString());
    const [one, two] = await Promise.all([
      sendComplianceReminders(t.system, org.org.id),
      sendComplianceReminders(t.system, org.org.id),
    ]);
    // the due-soon third is now two days overdue; the others reached their next window
    expect(one.overdue + two.overdue).toBe(300);
    const rows = await t.system.db
      .selectFrom("compliance_reminders")
      .select(["assignment_id", "kind", "reminder_window"])
      .where("organization_id", "=", org.org.id)
      .where("kind", "=", "overdue")
      .execute();
    expect(rows).toHaveLength(200 + 300);
    const notices = await t.system.db
      .selectFrom("notifications")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("organization_id", "=", org.org.id)
      .where("type", "=", "compliance-overdue")
      .executeTakeFirstOrThrow();
    expect(Number(notices.n)).toBe(200 + 300);
  });
});

/** A requirement of the organization's, with a rule that reaches everyone. */
async function requiredOfEveryone(name: string, courseId: string) {
  const db = t.system.db;
  const requirement = await db
    .insertInto("compliance_requirements")
    .values({
      organization_id: org.org.id,
      name,
      jurisdiction: "EU",
      course_id: courseId,
      reminder_offsets_days: [7],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto("compliance_rules")
    .values({ organization_id: org.org.id, requirement_id: requirement.id, scope: "everyone" })
    .execute();
  return requirement;
}

describe("evaluation in bulk", () => {
  it("assigns a few hundred people in slices, enrolled, audited and told, in a bounded number of statements", async () => {
    const db = t.system.db;
    const course = await publishedCourse(t, {
      code: "BULK-2",
      title: "First aid",
      instructorId: org.people.admin.user.id,
      organizationId: org.org.id,
    });
    await db.updateTable("courses").set({ capacity: 250 }).where("id", "=", course.id).execute();
    // one person is already in the course: the enrollment is reused, flagged, not told
    const [first] = await db
      .selectFrom("organization_members")
      .select("user_id")
      .where("organization_id", "=", org.org.id)
      .orderBy("user_id")
      .limit(1)
      .execute();
    const existing = await db
      .insertInto("enrollments")
      .values({
        user_id: first!.user_id,
        course_id: course.id,
        organization_id: org.org.id,
        status: "active",
        source: "self",
        enrolled_at: t.clock.now(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .updateTable("courses")
      .set({ enrolled_count: 1 })
      .where("id", "=", course.id)
      .execute();
    const requirement = await requiredOfEveryone("First aid", course.id);
    const members = await db
      .selectFrom("organization_members")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("organization_id", "=", org.org.id)
      .where("status", "=", "active")
      .executeTakeFirstOrThrow();
    const people = Number(members.n);
    expect(people).toBeGreaterThan(PEOPLE);

    const before = queryCount(db);
    const result = await evaluateRequirement(t.system, requirement);
    const statements = queryCount(db) - before;
    expect(result).toEqual({
      assigned: people,
      recertifications: 0,
      outOfScope: 0,
      completedOnAssignment: 0,
    });
    // capacity 250 with one seat taken: 249 new enrollments, the rest assigned without one
    const enrollments = await db
      .selectFrom("enrollments")
      .select(["id", "is_compliance", "is_mandatory", "source"])
      .where("course_id", "=", course.id)
      .execute();
    expect(enrollments).toHaveLength(250);
    expect(enrollments.every((e) => e.is_compliance)).toBe(true);
    const counted = await db
      .selectFrom("courses")
      .select("enrolled_count")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(counted.enrolled_count).toBe(250);
    const assignments = await db
      .selectFrom("compliance_assignments")
      .select(["user_id", "enrollment_id", "status"])
      .where("requirement_id", "=", requirement.id)
      .execute();
    expect(assignments).toHaveLength(people);
    expect(assignments.filter((a) => a.enrollment_id !== null)).toHaveLength(250);
    expect(assignments.find((a) => a.user_id === first!.user_id)?.enrollment_id).toBe(existing.id);
    const audits = await db
      .selectFrom("audit_logs")
      .select(["action", (e) => e.fn.countAll<number>().as("n")])
      .where("organization_id", "=", org.org.id)
      .where("action", "in", [
        "compliance-assignment.create",
        "enrollment.create",
        "enrollment.update",
      ])
      .groupBy("action")
      .orderBy("action")
      .execute();
    expect(audits.map((a) => [a.action, Number(a.n)])).toEqual([
      ["compliance-assignment.create", people],
      ["enrollment.create", 249],
      ["enrollment.update", 1],
    ]);
    const told = await db
      .selectFrom("notifications")
      .select("data")
      .where("organization_id", "=", org.org.id)
      .where("type", "=", "enrollment-assigned")
      .execute();
    expect(told).toHaveLength(249);
    const events = await db
      .selectFrom("learning_events")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("course_id", "=", course.id)
      .where("event_type", "=", "enrollment-created")
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(249);
    // a fixed number per slice, `enrollment.created` included (its subscribers hear a slice at
    // once): 28 here, against 524 when they heard one enrollment at a time and some twenty per
    // person when everything was written one by one
    expect(statements).toBeLessThanOrEqual(40);

    const again = queryCount(db);
    expect(await evaluateRequirement(t.system, requirement)).toMatchObject({ assigned: 0 });
    expect(queryCount(db) - again).toBeLessThanOrEqual(20);
  });

  it("tells the subscribers of enrollment.created about every enrollment of a slice", async () => {
    const db = t.system.db;
    const admin = org.people.admin;
    const course = await publishedCourse(t, {
      code: "BULK-3",
      title: "Data protection",
      instructorId: admin.user.id,
      organizationId: org.org.id,
    });
    const endpoint = await db
      .insertInto("webhook_endpoints")
      .values({
        organization_id: org.org.id,
        url: "https://hooks.example.org/lyceum",
        description: null,
        event_types: ["enrollment.created"],
        secret_sealed: "sealed",
        secret_key_id: "k1",
        api_key_id: null,
        created_by: admin.user.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const workflow = await t.http.post(
      `/api/v1/organizations/${org.org.id}/workflows`,
      {
        name: "Welcome to data protection",
        trigger: { type: "event", event: "enrollment.created" },
        steps: [{ type: "notification", recipient: { kind: "subject" }, message: "Welcome" }],
      },
      await signIn(t, admin.user.email),
    );
    expect(workflow.status).toBe(201);
    const requirement = await requiredOfEveryone("Data protection", course.id);

    const result = await evaluateRequirement(t.system, requirement);
    const enrolled = await db
      .selectFrom("enrollments")
      .select(["id", "user_id"])
      .where("course_id", "=", course.id)
      .orderBy("id")
      .execute();
    expect(enrolled).toHaveLength(result.assigned);
    const deliveries = await db
      .selectFrom("webhook_deliveries")
      .select(["event_id", "event_type", "payload"])
      .where("endpoint_id", "=", endpoint.id)
      .execute();
    expect(deliveries).toHaveLength(enrolled.length);
    expect(new Set(deliveries.map((d) => d.event_id)).size).toBe(enrolled.length);
    const delivered = deliveries
      .map((d) => {
        const body = (typeof d.payload === "string" ? JSON.parse(d.payload) : d.payload) as {
          type: string;
          data: { enrollmentId: string; userId: string; source: string };
        };
        expect(body.type).toBe("enrollment.created");
        expect(body.data.source).toBe("compliance");
        return [body.data.enrollmentId, body.data.userId];
      })
      .sort((x, y) => x[0]!.localeCompare(y[0]!));
    expect(delivered).toEqual(enrolled.map((e) => [e.id, e.user_id]));
    const executions = await db
      .selectFrom("workflow_executions")
      .select("subject_user_id")
      .where("definition_id", "=", workflow.body.data.id)
      .execute();
    expect(executions.map((e) => e.subject_user_id).sort()).toEqual(
      enrolled.map((e) => e.user_id).sort(),
    );
  });
});
