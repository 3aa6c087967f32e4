import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeOrganization,
  publishedCourse as makePublishedCourse,
  makeUser,
  signIn,
} from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { type CourseInput, createCourse } from "../catalog/courses.js";
import { createCohort, transitionCohort } from "../cohorts/cohorts.js";
import { addTeamMember, createTeam } from "../organizations/structure.js";
import { expireOffers } from "./waitlist.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await makeOrganization(t, {
    name: "Enrolling Org",
    people: [
      { key: "learner", roles: ["learner"] },
      { key: "second", roles: ["learner"] },
      { key: "third", roles: ["learner"] },
      { key: "manager", roles: ["learner", "manager"] },
      { key: "coordinator", roles: ["learner", "training-coordinator"] },
    ],
  });
  const team = await createTeam(t.system, w.org.id, {
    name: "Ops",
    managerUserId: w.people.manager!.user.id,
  });
  await addTeamMember(t.system, w.org.id, team.id, w.people.learner!.user.id);
});
afterAll(() => t.close());

let seq = 0;
async function publishedCourse(input: Partial<CourseInput> = {}) {
  seq += 1;
  return makePublishedCourse(t, {
    code: `ENR-${seq}`,
    title: `Course ${seq}`,
    description: "A course used to test enrollment rules end to end.",
    instructorId: w.people.admin.user.id,
    ...input,
  });
}

async function openCohort(courseId: string, capacity: number) {
  const cohort = await createCohort(t.system, courseId, {
    name: `Cohort ${++seq}`,
    startsAt: "2026-06-01T09:00:00Z",
    endsAt: "2026-06-02T17:00:00Z",
    capacity,
  });
  return transitionCohort(t.system, cohort.id, "open");
}

const enrollAs = (as: Credentials, body: Record<string, unknown>) =>
  t.http.post("/api/v1/enrollments", body, as);

describe("self-enrollment", () => {
  it("enrolls in an open course with an audit entry and a learning event, once", async () => {
    const course = await publishedCourse();
    const res = await enrollAs(w.people.learner!, { courseId: course.id });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      result: "enrolled",
      enrollment: { status: "active", source: "self", courseId: course.id },
    });
    const id = res.body.data.enrollment.id;
    const events = await t.system.db
      .selectFrom("learning_events")
      .select(["event_type", "enrollment_id"])
      .where("enrollment_id", "=", id)
      .execute();
    expect(events).toEqual([{ event_type: "enrollment-created", enrollment_id: id }]);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["enrollment.create"]);
    const again = await enrollAs(w.people.learner!, { courseId: course.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_ENROLLED");
    const mine = await t.http.get("/api/v1/enrollments/mine", w.people.learner);
    expect(mine.body.data.map((e: { course: { code: string } }) => e.course.code)).toContain(
      course.code,
    );
  });

  it("refuses drafts, other enrollment types, missing prerequisites and missing cohorts", async () => {
    const draft = await createCourse(t.system, {
      code: "DRAFT-E",
      title: "Draft",
      instructorId: w.people.admin.user.id,
    });
    expect((await enrollAs(w.people.learner!, { courseId: draft.id })).status).toBe(404);
    const approval = await publishedCourse({ enrollmentType: "approval" });
    const refused = await enrollAs(w.people.learner!, { courseId: approval.id });
    expect(refused.body.error).toMatchObject({
      code: "ENROLLMENT_CLOSED",
      details: { enrollmentType: "approval" },
    });
    const basics = await publishedCourse();
    const advanced = await publishedCourse({ prerequisiteCourseIds: [basics.id] });
    const prereq = await enrollAs(w.people.second!, { courseId: advanced.id });
    expect(prereq.body.error).toMatchObject({
      code: "PREREQUISITES_NOT_MET",
      details: { missing: [basics.id] },
    });
    const cohortCourse = await publishedCourse({ delivery: "cohort-based" });
    expect((await enrollAs(w.people.second!, { courseId: cohortCourse.id })).body.error.code).toBe(
      "COHORT_REQUIRED",
    );
    const scheduled = await createCohort(t.system, cohortCourse.id, {
      name: "Not yet",
      startsAt: "2026-06-01T09:00:00Z",
      endsAt: "2026-06-02T17:00:00Z",
      capacity: 5,
    });
    expect(
      (await enrollAs(w.people.second!, { courseId: cohortCourse.id, cohortId: scheduled.id })).body
        .error.code,
    ).toBe("ENROLLMENT_CLOSED");
    const rows = await t.system.db
      .selectFrom("enrollments")
      .select("id")
      .where("user_id", "=", w.people.second!.user.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it("tells a full self-paced course (COURSE_FULL) from a full cohort (COHORT_FULL)", async () => {
    const selfPaced = await publishedCourse({ capacity: 1 });
    expect((await enrollAs(w.people.learner!, { courseId: selfPaced.id })).status).toBe(201);
    const courseFull = await enrollAs(w.people.second!, { courseId: selfPaced.id });
    expect(courseFull.status).toBe(422);
    expect(courseFull.body.error.code).toBe("COURSE_FULL");
    expect(courseFull.body.error.field).toBeUndefined();

    const cohortCourse = await publishedCourse({ delivery: "cohort-based" });
    const cohort = await openCohort(cohortCourse.id, 1);
    const seat = { courseId: cohortCourse.id, cohortId: cohort.id };
    expect((await enrollAs(w.people.learner!, seat)).status).toBe(201);
    const cohortFull = await enrollAs(w.people.second!, { ...seat, waitlist: false });
    expect(cohortFull.status).toBe(422);
    expect(cohortFull.body.error).toMatchObject({
      code: "COHORT_FULL",
      message: "The cohort is full",
      field: "cohortId",
      details: { cohortId: cohort.id },
    });
    const held = await t.system.db
      .selectFrom("enrollments")
      .select("user_id")
      .where("course_id", "in", [selfPaced.id, cohortCourse.id])
      .execute();
    expect(held).toEqual([
      { user_id: w.people.learner!.user.id },
      { user_id: w.people.learner!.user.id },
    ]);
  });

  it("lets a learner who completed the prerequisites in", async () => {
    const basics = await publishedCourse({ organizationId: w.org.id });
    const advanced = await publishedCourse({
      organizationId: w.org.id,
      prerequisiteCourseIds: [basics.id],
    });
    const first = await enrollAs(w.people.third!, { courseId: basics.id });
    await t.http.post(
      `/api/v1/enrollments/${first.body.data.enrollment.id}/complete`,
      {},
      w.people.admin,
    );
    expect((await enrollAs(w.people.third!, { courseId: advanced.id })).status).toBe(201);
  });
});

describe("the waitlist", () => {
  it("offers a freed seat to the first in line for 48 hours, then to the next", async () => {
    const course = await publishedCourse({ delivery: "cohort-based" });
    const cohort = await openCohort(course.id, 1);
    const holder = await enrollAs(w.people.learner!, { courseId: course.id, cohortId: cohort.id });
    expect(holder.body.data.result).toBe("enrolled");
    const first = await enrollAs(w.people.second!, { courseId: course.id, cohortId: cohort.id });
    const second = await enrollAs(w.people.third!, { courseId: course.id, cohortId: cohort.id });
    expect([
      first.body.data.waitlistEntry.position,
      second.body.data.waitlistEntry.position,
    ]).toEqual([1, 2]);
    expect(
      (await enrollAs(w.people.third!, { courseId: course.id, cohortId: cohort.id })).body.error
        .code,
    ).toBe("ALREADY_WAITLISTED");
    const noWait = await enrollAs(w.people.manager!, {
      courseId: course.id,
      cohortId: cohort.id,
      waitlist: false,
    });
    expect(noWait.status).toBe(422);
    expect(noWait.body.error).toMatchObject({
      code: "COHORT_FULL",
      field: "cohortId",
      details: { cohortId: cohort.id },
    });
    // The people who run the cohort see the line in order, with names and addresses.
    const staff = await signIn(t, (await makeUser(t, { platformAdmin: true })).email);
    const line = await t.http.get(`/api/v1/cohorts/${cohort.id}/waitlist`, staff);
    expect(line.status).toBe(200);
    expect(
      line.body.data.map((e: { position: number; learner: object }) => [e.position, e.learner]),
    ).toEqual([
      [1, { name: "second Person", email: w.people.second!.user.email }],
      [2, { name: "third Person", email: w.people.third!.user.email }],
    ]);
    expect(
      (await t.http.get(`/api/v1/cohorts/${cohort.id}/waitlist`, w.people.learner)).status,
    ).toBe(403);

    await t.http.post(
      `/api/v1/enrollments/${holder.body.data.enrollment.id}/drop`,
      { reason: "Moved" },
      w.people.learner,
    );
    const offers = await t.http.get("/api/v1/waitlist/mine", w.people.second);
    expect(offers.body.data[0]).toMatchObject({ status: "offered", position: 1 });
    expect(new Date(offers.body.data[0].offerExpiresAt).getTime() - t.clock.now().getTime()).toBe(
      48 * 3_600_000,
    );
    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .select("template")
      .where("user_id", "=", w.people.second!.user.id)
      .where("template", "=", "waitlist-offer")
      .execute();
    expect(mail).toHaveLength(1);
    const note = await t.system.db
      .selectFrom("notifications")
      .select("type")
      .where("user_id", "=", w.people.second!.user.id)
      .where("type", "=", "waitlist-offer")
      .execute();
    expect(note).toHaveLength(1);
    const full = await enrollAs(w.people.manager!, { courseId: course.id, cohortId: cohort.id });
    expect(full.body.data.result).toBe("waitlisted");

    t.clock.advance(48 * 3_600_000 + 1000);
    for (const person of Object.values(w.people))
      Object.assign(person, await signIn(t, person.user.email));
    expect(await expireOffers(t.system)).toBe(1);
    const late = await t.http.post(
      `/api/v1/waitlist/${first.body.data.waitlistEntry.id}/accept`,
      {},
      w.people.second,
    );
    expect(late.status).toBe(422);
    const thirdOffer = (await t.http.get("/api/v1/waitlist/mine", w.people.third)).body.data[0];
    expect(thirdOffer.status).toBe("offered");
    const accepted = await t.http.post(
      `/api/v1/waitlist/${thirdOffer.id}/accept`,
      {},
      w.people.third,
    );
    expect(accepted.body.data).toMatchObject({
      result: "enrolled",
      enrollment: { source: "waitlist", status: "active" },
    });
    const counters = await t.system.db
      .selectFrom("cohorts")
      .select(["enrolled_count", "reserved_count", "waitlist_count"])
      .where("id", "=", cohort.id)
      .executeTakeFirstOrThrow();
    expect(counters).toEqual({ enrolled_count: 1, reserved_count: 0, waitlist_count: 1 });
    const entry = (await t.http.get("/api/v1/waitlist/mine", w.people.manager)).body.data[0];
    expect((await t.http.delete(`/api/v1/waitlist/${entry.id}`, w.people.manager)).status).toBe(
      200,
    );
    const after = await t.system.db
      .selectFrom("cohorts")
      .select("waitlist_count")
      .where("id", "=", cohort.id)
      .executeTakeFirstOrThrow();
    expect(after.waitlist_count).toBe(0);
  });

  it("passes a declined offer on at once", async () => {
    const course = await publishedCourse({ delivery: "cohort-based" });
    const cohort = await openCohort(course.id, 1);
    const holder = await enrollAs(w.people.learner!, { courseId: course.id, cohortId: cohort.id });
    const a = await enrollAs(w.people.second!, { courseId: course.id, cohortId: cohort.id });
    await enrollAs(w.people.third!, { courseId: course.id, cohortId: cohort.id });
    await t.http.post(
      `/api/v1/enrollments/${holder.body.data.enrollment.id}/drop`,
      {},
      w.people.learner,
    );
    expect(
      (
        await t.http.post(
          `/api/v1/waitlist/${a.body.data.waitlistEntry.id}/decline`,
          {},
          w.people.second,
        )
      ).status,
    ).toBe(200);
    const offer = (await t.http.get("/api/v1/waitlist/mine", w.people.third)).body.data[0];
    expect(offer.status).toBe("offered");
    const other = await t.http.post(`/api/v1/waitlist/${offer.id}/accept`, {}, w.people.second);
    expect(other.status).toBe(404);
  });
});

describe("assignments and management", () => {
  it("lets managers assign their team and coordinators anyone, with due dates and flags", async () => {
    const course = await publishedCourse({ organizationId: w.org.id });
    const dueAt = "2026-04-30T17:00:00Z";
    const res = await t.http.post(
      `/api/v1/organizations/${w.org.id}/enrollments`,
      {
        userIds: [w.people.learner!.user.id, w.people.second!.user.id],
        courseId: course.id,
        dueAt,
        isMandatory: true,
      },
      w.people.manager,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { result: string }) => r.result)).toEqual(["enrolled", "refused"]);
    expect(res.body.data[1].error.code).toBe("FORBIDDEN");
    const row = await t.system.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", res.body.data[0].enrollmentId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      source: "manager",
      is_mandatory: true,
      assigned_by: w.people.manager!.user.id,
      organization_id: w.org.id,
    });
    expect(row.due_at?.toISOString()).toBe(new Date(dueAt).toISOString());
    const drop = await t.http.post(`/api/v1/enrollments/${row.id}/drop`, {}, w.people.learner);
    expect(drop.status).toBe(422);
    const compliance = await t.http.post(
      `/api/v1/organizations/${w.org.id}/enrollments`,
      { userIds: [w.people.second!.user.id], courseId: course.id, isCompliance: true },
      w.people.coordinator,
    );
    expect(compliance.body.data[0].result).toBe("enrolled");
    const byLearner = await t.http.post(
      `/api/v1/organizations/${w.org.id}/enrollments`,
      { userIds: [w.people.third!.user.id], courseId: course.id },
      w.people.learner,
    );
    expect(byLearner.body.data[0].result).toBe("refused");
  });

  it("suspends, reactivates and completes through people who manage enrollments", async () => {
    const course = await publishedCourse({ organizationId: w.org.id });
    const res = await enrollAs(w.people.third!, { courseId: course.id });
    const id = res.body.data.enrollment.id;
    expect(
      (await t.http.post(`/api/v1/enrollments/${id}/suspend`, { reason: "leave" }, w.people.third))
        .status,
    ).toBe(403);
    expect(
      (
        await t.http.post(
          `/api/v1/enrollments/${id}/suspend`,
          { reason: "leave" },
          w.people.coordinator,
        )
      ).body.data.status,
    ).toBe("suspended");
    expect(
      (await t.http.post(`/api/v1/enrollments/${id}/complete`, {}, w.people.coordinator)).status,
    ).toBe(422);
    expect(
      (await t.http.post(`/api/v1/enrollments/${id}/reactivate`, {}, w.people.coordinator)).body
        .data.status,
    ).toBe("active");
    const done = await t.http.post(`/api/v1/enrollments/${id}/complete`, {}, w.people.coordinator);
    expect(done.body.data).toMatchObject({ status: "completed", progressPercent: 100 });
    const events = await t.system.db
      .selectFrom("learning_events")
      .select("event_type")
      .where("enrollment_id", "=", id)
      .execute();
    // Completion issues the course's certificate (certificates are on by default).
    expect(events.map((e) => e.event_type).sort()).toEqual([
      "certificate-issued",
      "enrollment-completed",
      "enrollment-created",
    ]);
    const stranger = await signIn(t, (await makeUser(t)).email);
    expect((await t.http.get(`/api/v1/enrollments/${id}`, stranger)).status).toBe(404);
  });

  it("lists a course's learners for its instructor, as JSON and CSV", async () => {
    const course = await publishedCourse({ organizationId: w.org.id });
    await enrollAs(w.people.learner!, { courseId: course.id });
    await enrollAs(w.people.second!, { courseId: course.id });
    const roster = await t.http.get(`/api/v1/courses/${course.id}/enrollments`, w.people.admin);
    expect(roster.status).toBe(200);
    expect(
      roster.body.data.map((e: { learner: { email: string } }) => e.learner.email).sort(),
    ).toEqual([w.people.learner!.user.email, w.people.second!.user.email].sort());
    const csv = await t.lyceum.app.inject({
      method: "GET",
      url: `/api/v1/courses/${course.id}/enrollments?format=csv`,
      headers: { authorization: `Bearer ${w.people.admin.token}` },
    });
    expect(csv.headers["content-type"]).toContain("text/csv");
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "learner,email,status,cohort,enrolled_at,progress_percent,lessons_completed,lessons_total,time_spent_minutes,last_activity,completed_at,due_at",
    );
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(",active,"))).toBe(true);
    // a learner sees only their own row
    const own = await t.http.get(`/api/v1/courses/${course.id}/enrollments`, w.people.second);
    expect(own.body.data.map((e: { learner: { email: string } }) => e.learner.email)).toEqual([
      w.people.second!.user.email,
    ]);
  });
});
