import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeOrganization,
  publishedCourse as makePublishedCourse,
  signedInUser,
} from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import type { CourseInput } from "../catalog/courses.js";
import { createCohort, transitionCohort } from "../cohorts/cohorts.js";
import { addMember } from "../organizations/service.js";
import { redeemAccessCode } from "./access-codes.js";
import { expireEnrollments } from "./manage.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let other: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await makeOrganization(t, {
    name: "Paths Org",
    people: [
      { key: "learner", roles: ["learner"] },
      { key: "second", roles: ["learner"] },
      { key: "instructor", roles: ["learner", "instructor"] },
      { key: "coordinator", roles: ["learner", "training-coordinator"] },
    ],
  });
  other = await makeOrganization(t, { name: "Elsewhere" });
});
afterAll(() => t.close());

let seq = 0;
async function publishedCourse(input: Partial<CourseInput> = {}) {
  seq += 1;
  return makePublishedCourse(t, {
    code: `PATH-${seq}`,
    title: `Path course ${seq}`,
    description: "A course used to test the ways into a course.",
    instructorId: w.people.instructor!.user.id,
    organizationId: w.org.id,
    ...input,
  });
}

async function notificationsOf(userId: string, type: string) {
  return t.system.db
    .selectFrom("notifications")
    .select(["title", "body"])
    .where("user_id", "=", userId)
    .where("type", "=", type)
    .execute();
}

describe("approval requests", () => {
  it("lets a learner ask once, the instructor approve, and the learner in", async () => {
    const course = await publishedCourse({ enrollmentType: "approval" });
    const learner = w.people.learner!;
    let res = await t.http.post("/api/v1/enrollments", { courseId: course.id }, learner);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("ENROLLMENT_CLOSED");

    res = await t.http.post(
      "/api/v1/enrollment-requests",
      { courseId: course.id, reason: "Needed for my role" },
      learner,
    );
    expect(res.status).toBe(201);
    const request = res.body.data;
    expect(request).toMatchObject({ status: "pending", reason: "Needed for my role" });
    res = await t.http.post("/api/v1/enrollment-requests", { courseId: course.id }, learner);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("ALREADY_REQUESTED");
    expect(await notificationsOf(w.people.instructor!.user.id, "enrollment-requested")).toEqual([
      expect.objectContaining({ body: "Reason: Needed for my role" }),
    ]);

    // Another learner cannot review it; the instructor lists and approves it.
    res = await t.http.post(
      `/api/v1/enrollment-requests/${request.id}/approve`,
      {},
      w.people.second!,
    );
    expect([403, 404]).toContain(res.status);
    res = await t.http.get(
      `/api/v1/courses/${course.id}/enrollment-requests?status=pending`,
      w.people.instructor!,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({ id: request.id, learner: expect.any(Object) }),
    ]);
    res = await t.http.post(
      `/api/v1/enrollment-requests/${request.id}/approve`,
      { notes: "Welcome" },
      w.people.instructor!,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.request).toMatchObject({ status: "approved", reviewNotes: "Welcome" });
    expect(res.body.data.enrollment).toMatchObject({
      result: "enrolled",
      enrollment: { status: "active", source: "approval" },
    });
    const stored = await t.system.db
      .selectFrom("enrollment_requests")
      .selectAll()
      .where("id", "=", request.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      status: "approved",
      reviewed_by: w.people.instructor!.user.id,
      enrollment_id: res.body.data.enrollment.enrollment.id,
    });
    expect(await notificationsOf(learner.user.id, "enrollment-accepted")).toHaveLength(1);
    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .select("subject")
      .where("to_address", "=", learner.user.email)
      .where("template", "=", "enrollment-accepted")
      .execute();
    expect(mail).toEqual([{ subject: `You're in: ${course.title}` }]);

    // Deciding twice is refused.
    res = await t.http.post(
      `/api/v1/enrollment-requests/${request.id}/reject`,
      {},
      w.people.instructor!,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("REQUEST_NOT_PENDING");
  });

  it("rejects with notes, lets learners withdraw, and lets organization approvers review their people", async () => {
    const course = await publishedCourse({
      enrollmentType: "approval",
      organizationId: w.org.id,
    });
    const first = await t.http.post(
      "/api/v1/enrollment-requests",
      { courseId: course.id },
      w.people.learner!,
    );
    const second = await t.http.post(
      "/api/v1/enrollment-requests",
      { courseId: course.id },
      w.people.second!,
    );
    let res = await t.http.post(
      `/api/v1/enrollment-requests/${first.body.data.id}/reject`,
      { notes: "Full this quarter" },
      w.people.coordinator!,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ request: { status: "rejected" }, enrollment: null });
    expect(await notificationsOf(w.people.learner!.user.id, "enrollment-rejected")).toEqual([
      expect.objectContaining({ body: "Full this quarter" }),
    ]);
    const enrolled = await t.system.db
      .selectFrom("enrollments")
      .select("id")
      .where("course_id", "=", course.id)
      .execute();
    expect(enrolled).toEqual([]);

    res = await t.http.delete(
      `/api/v1/enrollment-requests/${second.body.data.id}`,
      w.people.learner!,
    );
    expect(res.status).toBe(404);
    res = await t.http.delete(
      `/api/v1/enrollment-requests/${second.body.data.id}`,
      w.people.second!,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe("withdrawn");
    res = await t.http.get("/api/v1/enrollment-requests/mine", w.people.second!);
    expect(res.body.data.map((r: { status: string }) => r.status)).toEqual(["withdrawn"]);

    // A rejected learner may ask again.
    res = await t.http.post(
      "/api/v1/enrollment-requests",
      { courseId: course.id },
      w.people.learner!,
    );
    expect(res.status).toBe(201);
  });
});

describe("access codes", () => {
  it("opens an invite-only course to code holders within the window and up to the uses", async () => {
    const course = await publishedCourse({ enrollmentType: "invite" });
    const instructor = w.people.instructor!;
    let res = await t.http.post(
      `/api/v1/courses/${course.id}/access-codes`,
      { code: "spring-invite", maxUses: 1, validUntil: "2026-04-01T00:00:00Z" },
      instructor,
    );
    expect(res.status).toBe(201);
    const code = res.body.data;
    expect(code).toMatchObject({
      code: "SPRING-INVITE",
      maxUses: 1,
      usedCount: 0,
      remainingUses: 1,
    });
    res = await t.http.post(
      `/api/v1/courses/${course.id}/access-codes`,
      { code: "SPRING-INVITE" },
      instructor,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CODE_TAKEN");
    res = await t.http.post(`/api/v1/courses/${course.id}/access-codes`, {}, instructor);
    expect(res.body.data.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    res = await t.http.post(`/api/v1/courses/${course.id}/access-codes`, {}, w.people.learner!);
    expect(res.status).toBe(403);

    res = await t.http.post("/api/v1/enrollments", { courseId: course.id }, w.people.learner!);
    expect(res.body.error.code).toBe("ENROLLMENT_CLOSED");
    res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: " spring-invite " },
      w.people.learner!,
    );
    expect(res.status).toBe(201);
    expect(res.body.data.enrollment).toMatchObject({ status: "active", source: "access-code" });
    res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: "SPRING-INVITE" },
      w.people.second!,
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("ACCESS_CODE_EXHAUSTED");

    res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: "NO-SUCH-CODE" },
      w.people.second!,
    );
    expect(res.body.error).toMatchObject({
      code: "ACCESS_CODE_INVALID",
      details: { reason: "unknown" },
    });

    // Uses cannot drop below what was used; a deactivated or expired code stops working.
    res = await t.http.patch(
      `/api/v1/access-codes/${code.id}`,
      { maxUses: null, isActive: false },
      instructor,
    );
    expect(res.body.data).toMatchObject({ maxUses: null, isActive: false });
    res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: "SPRING-INVITE" },
      w.people.second!,
    );
    expect(res.body.error.details.reason).toBe("inactive");
    await t.http.patch(`/api/v1/access-codes/${code.id}`, { isActive: true }, instructor);
    // Its window closes (set in the past rather than moving the shared clock).
    await t.system.db
      .updateTable("access_codes")
      .set({
        valid_from: new Date(t.clock.now().getTime() - 2 * 86_400_000),
        valid_until: new Date(t.clock.now().getTime() - 1000),
      })
      .where("id", "=", code.id)
      .execute();
    res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: "SPRING-INVITE" },
      w.people.second!,
    );
    expect(res.body.error.details.reason).toBe("expired");
    const stored = await t.system.db
      .selectFrom("access_codes")
      .select("used_count")
      .where("id", "=", code.id)
      .executeTakeFirstOrThrow();
    expect(stored.used_count).toBe(1);
    res = await t.http.get(`/api/v1/courses/${course.id}/access-codes`, instructor);
    expect(res.body.data).toHaveLength(2);
  });

  it("never counts more uses than allowed under concurrent redemptions", async () => {
    const course = await publishedCourse({ enrollmentType: "invite" });
    await t.http.post(
      `/api/v1/courses/${course.id}/access-codes`,
      { code: "RUSH-HOUR", maxUses: 5 },
      w.people.instructor!,
    );
    const people = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const person = await signedInUser(t);
        await addMember(t.system, w.org.id, { userId: person.user.id, roleKeys: ["learner"] });
        return person;
      }),
    );
    const outcomes = await Promise.allSettled(
      people.map((p) => redeemAccessCode(t.system, p.user.id, { code: "rush-hour" })),
    );
    const reasons = outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
    expect(reasons.filter((r) => !r.includes("used up"))).toEqual([]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(refused).toHaveLength(15);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason.code).toBe("ACCESS_CODE_EXHAUSTED");
    const code = await t.system.db
      .selectFrom("access_codes")
      .select("used_count")
      .where("code", "=", "RUSH-HOUR")
      .executeTakeFirstOrThrow();
    const enrolled = await t.system.db
      .selectFrom("enrollments")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("course_id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(code.used_count).toBe(5);
    expect(Number(enrolled.n)).toBe(5);
  });

  it("does not count a use when the cohort is full, and keeps private codes inside their organization", async () => {
    const course = await publishedCourse({
      enrollmentType: "invite",
      delivery: "cohort-based",
      organizationId: w.org.id,
    });
    const cohort = await createCohort(t.system, course.id, {
      name: "Tiny",
      startsAt: "2026-09-01T09:00:00Z",
      endsAt: "2026-09-02T17:00:00Z",
      capacity: 1,
    });
    await transitionCohort(t.system, cohort.id, "open");
    await t.http.post(
      `/api/v1/courses/${course.id}/access-codes`,
      { code: "TINY-COHORT", cohortId: cohort.id },
      w.people.instructor!,
    );
    let res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: "TINY-COHORT" },
      w.people.learner!,
    );
    expect(res.status).toBe(201);
    expect(res.body.data.enrollment.cohortId).toBe(cohort.id);
    res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: "TINY-COHORT" },
      w.people.second!,
    );
    expect(res.body.error.code).toBe("COHORT_FULL");
    res = await t.http.post(
      "/api/v1/enrollments/redeem",
      { code: "TINY-COHORT" },
      other.people.admin,
    );
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: "ACCESS_CODE_INVALID",
      details: { reason: "unknown" },
    });
    const code = await t.system.db
      .selectFrom("access_codes")
      .select("used_count")
      .where("code", "=", "TINY-COHORT")
      .executeTakeFirstOrThrow();
    expect(code.used_count).toBe(1);
  });
});

describe("organization seats in paid courses", () => {
  it("assigns a paid course only while the organization's seats last, and frees a seat on drop", async () => {
    const course = await publishedCourse({
      organizationId: undefined,
      enrollmentType: "paid",
      priceAmount: 30_000,
      currency: "USD",
    });
    const coordinator = w.people.coordinator!;
    const assign = (userId: string) =>
      t.http.post(
        `/api/v1/organizations/${w.org.id}/enrollments`,
        {
          userIds: [userId],
          courseId: course.id,
          isMandatory: true,
          dueAt: "2026-12-01T00:00:00Z",
        },
        coordinator,
      );
    let res = await assign(w.people.learner!.user.id);
    expect(res.body.data[0]).toMatchObject({
      result: "refused",
      error: { code: "PAYMENT_REQUIRED" },
    });

    // Only platform administrators record purchases.
    res = await t.http.post(
      `/api/v1/organizations/${w.org.id}/seat-allocations`,
      { courseId: course.id, seats: 1 },
      w.people.admin,
    );
    expect(res.status).toBe(403);
    const platform = await signedInUser(t, { platformAdmin: true });
    res = await t.http.post(
      `/api/v1/organizations/${w.org.id}/seat-allocations`,
      { courseId: course.id, seats: 1, unitPrice: 25_000, invoiceReference: "PO-77" },
      platform,
    );
    expect(res.status).toBe(201);
    const allocation = res.body.data;
    expect(allocation).toMatchObject({ seatsPurchased: 1, seatsUsed: 0, currency: "USD" });

    res = await assign(w.people.learner!.user.id);
    expect(res.body.data[0].result).toBe("enrolled");
    const enrollmentId = res.body.data[0].enrollmentId;
    res = await assign(w.people.second!.user.id);
    expect(res.body.data[0]).toMatchObject({
      result: "refused",
      error: { code: "SEATS_EXHAUSTED" },
    });
    res = await t.http.get(`/api/v1/organizations/${w.org.id}/seat-allocations`, w.people.admin);
    expect(res.body.data).toEqual([
      expect.objectContaining({ id: allocation.id, seatsUsed: 1, seatsAvailable: 0 }),
    ]);
    expect(await notificationsOf(w.people.learner!.user.id, "enrollment-assigned")).toEqual(
      expect.arrayContaining([expect.objectContaining({ title: `New training: ${course.title}` })]),
    );

    // Seats cannot go below those in use; a drop gives one back.
    res = await t.http.patch(
      `/api/v1/organizations/${w.org.id}/seat-allocations/${allocation.id}`,
      { seats: 0 },
      platform,
    );
    expect(res.status).toBe(422);
    res = await t.http.post(`/api/v1/enrollments/${enrollmentId}/drop`, {}, coordinator);
    expect(res.status).toBe(200);
    res = await assign(w.people.second!.user.id);
    expect(res.body.data[0].result).toBe("enrolled");
    const row = await t.system.db
      .selectFrom("course_seat_allocations")
      .select(["seats_used", "seats_purchased"])
      .where("id", "=", allocation.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ seats_used: 1, seats_purchased: 1 });
  });
});

describe("access windows", () => {
  it("gives cohort learners a year of materials and 90 days of support, and expires access", async () => {
    const course = await publishedCourse({ delivery: "cohort-based", organizationId: undefined });
    const cohort = await createCohort(t.system, course.id, {
      name: "Windowed",
      startsAt: "2026-03-10T09:00:00Z",
      endsAt: "2026-03-20T17:00:00Z",
      capacity: 10,
    });
    await transitionCohort(t.system, cohort.id, "open");
    const learner = await signedInUser(t);
    const res = await t.http.post(
      "/api/v1/enrollments",
      { courseId: course.id, cohortId: cohort.id },
      learner,
    );
    const enrollment = res.body.data.enrollment;
    expect(enrollment.accessExpiresAt).toBe("2027-03-20T17:00:00.000Z");
    expect(enrollment.officeHoursUntil).toBe("2026-06-18T17:00:00.000Z");
    expect(enrollment.chatbotAccessUntil).toBe("2026-06-18T17:00:00.000Z");

    const selfPaced = await publishedCourse({ capacity: 5 });
    const assigned = await t.http.post(
      `/api/v1/organizations/${w.org.id}/enrollments`,
      {
        userIds: [w.people.second!.user.id],
        courseId: selfPaced.id,
        accessExpiresAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
      },
      w.people.coordinator!,
    );
    const selfPacedId = assigned.body.data[0].enrollmentId;

    t.clock.advance(2 * 86_400_000);
    expect(await expireEnrollments(t.system)).toBeGreaterThanOrEqual(1);
    const expired = await t.system.db
      .selectFrom("enrollments")
      .select("status")
      .where("id", "=", selfPacedId)
      .executeTakeFirstOrThrow();
    expect(expired.status).toBe("expired");
    const seats = await t.system.db
      .selectFrom("courses")
      .select("enrolled_count")
      .where("id", "=", selfPaced.id)
      .executeTakeFirstOrThrow();
    expect(seats.enrolled_count).toBe(0);
    const still = await t.system.db
      .selectFrom("enrollments")
      .select("status")
      .where("id", "=", enrollment.id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe("active");
    const event = await t.system.db
      .selectFrom("learning_events")
      .select("event_type")
      .where("enrollment_id", "=", selfPacedId)
      .where("event_type", "=", "enrollment-expired")
      .execute();
    expect(event).toHaveLength(1);
  });
});
