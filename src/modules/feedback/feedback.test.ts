import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createLesson } from "../catalog/content.js";
import { createCourse, publishCourse } from "../catalog/courses.js";
import { createCohort, transitionCohort } from "../cohorts/cohorts.js";
import { enroll } from "../enrollment/enroll.js";
import { deliverDueAnnouncements } from "./announcements.js";
import { rateCourse } from "./ratings.js";

let t: TestApp;
let instructor: Awaited<ReturnType<typeof signedInUser>>;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  instructor = await signedInUser(t, { platformAdmin: true });
});
afterAll(() => t.close());

async function course(cohorts = 0) {
  seq += 1;
  const c = await createCourse(t.system, {
    code: `FB-${seq}`,
    title: `Feedback course ${seq}`,
    description: "A course used to test ratings and announcements.",
    category: "testing",
    instructorId: instructor.user.id,
    delivery: cohorts ? "cohort-based" : "self-paced",
  });
  const intro = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", c.id)
    .executeTakeFirstOrThrow();
  await createLesson(t.system, intro.id, {
    title: "Intro",
    contentType: "text",
    content: { html: "<p>Hi</p>" },
  });
  await publishCourse(t.system, c.id);
  const cohortIds: string[] = [];
  for (let i = 0; i < cohorts; i++) {
    const cohort = await createCohort(t.system, c.id, {
      name: `Cohort ${seq}-${i}`,
      startsAt: "2026-05-01T09:00:00Z",
      endsAt: "2026-05-30T17:00:00Z",
      capacity: 50,
    });
    cohortIds.push((await transitionCohort(t.system, cohort.id, "open")).id);
  }
  return { course: c, cohortIds };
}

async function learner(courseId: string, cohortId?: string, firstName = "Lena") {
  const person = await signedInUser(t, { firstName, lastName: "Learner" });
  await enroll(t.system, { userId: person.user.id, courseId, cohortId, source: "self" });
  return person;
}

describe("ratings", () => {
  it("take one rating per enrolled learner, keep the average right, and carry the instructor's answer", async () => {
    const { course: c } = await course();
    const outsider = await signedInUser(t);
    let res = await t.http.put(`/api/v1/courses/${c.id}/ratings/mine`, { rating: 5 }, outsider);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("NOT_ENROLLED");

    const ada = await learner(c.id, undefined, "Ada");
    res = await t.http.get(`/api/v1/courses/${c.id}/ratings/mine`, ada);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    res = await t.http.put(
      `/api/v1/courses/${c.id}/ratings/mine`,
      { rating: 3, title: "Decent", content: "Good start" },
      ada,
    );
    expect(res.status).toBe(200);
    res = await t.http.put(
      `/api/v1/courses/${c.id}/ratings/mine`,
      { rating: 5, title: "Great" },
      ada,
    );
    const ratingId = res.body.data.id;
    expect(res.body.data).toMatchObject({ rating: 5, title: "Great", isVerifiedPurchase: false });
    res = await t.http.get(`/api/v1/courses/${c.id}/ratings/mine`, ada);
    expect(res.body.data).toMatchObject({ id: ratingId, rating: 5, title: "Great", content: null });
    res = await t.http.get(`/api/v1/courses/${c.id}/ratings/mine`, outsider);
    expect(res.body.data).toBeNull();
    res = await t.http.put(`/api/v1/courses/${c.id}/ratings/mine`, { rating: 6 }, ada);
    expect(res.status).toBe(400);

    res = await t.http.put(`/api/v1/ratings/${ratingId}/response`, { response: "Thanks!" }, ada);
    expect(res.status).toBe(403);
    res = await t.http.put(
      `/api/v1/ratings/${ratingId}/response`,
      { response: "Thanks, Ada!" },
      instructor,
    );
    expect(res.body.data).toMatchObject({ instructorResponse: "Thanks, Ada!" });

    res = await t.http.get(`/api/v1/courses/${c.id}/ratings`);
    expect(res.status).toBe(200);
    expect(res.body.meta.summary).toEqual({
      average: 5,
      count: 1,
      distribution: { "1": 0, "2": 0, "3": 0, "4": 0, "5": 1 },
    });
    expect(res.body.data[0]).toMatchObject({
      reviewer: "Ada L.",
      instructorResponse: "Thanks, Ada!",
    });
    expect(JSON.stringify(res.body)).not.toContain(ada.user.email);

    res = await t.http.delete(`/api/v1/courses/${c.id}/ratings/mine`, ada);
    expect(res.status).toBe(200);
    res = await t.http.get(`/api/v1/courses/${c.id}/ratings/mine`, ada);
    expect(res.body.data).toBeNull();
    const row = await t.system.db
      .selectFrom("courses")
      .select(["rating_count", "rating_average"])
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(row.rating_count).toBe(0);
    expect(Number(row.rating_average)).toBe(0);
  });

  it("keep count and average equal to the rows under concurrent ratings", async () => {
    const { course: c } = await course();
    const people = await Promise.all(Array.from({ length: 30 }, () => learner(c.id)));
    const stars = people.map((_, i) => (i % 5) + 1);
    await Promise.all(
      people.map((p, i) => rateCourse(t.system, p.user.id, c.id, { rating: stars[i] as number })),
    );
    // and a second wave changing half of them at once
    await Promise.all(
      people.slice(0, 15).map((p) => rateCourse(t.system, p.user.id, c.id, { rating: 5 })),
    );
    const rows = await t.system.db
      .selectFrom("course_ratings")
      .select("rating")
      .where("course_id", "=", c.id)
      .execute();
    const expected = rows.reduce((n, r) => n + r.rating, 0) / rows.length;
    const course_ = await t.system.db
      .selectFrom("courses")
      .select(["rating_count", "rating_average"])
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(rows).toHaveLength(30);
    expect(course_.rating_count).toBe(30);
    expect(Number(course_.rating_average)).toBeCloseTo(expected, 2);
  });
});

describe("announcements", () => {
  it("reach their audience inside the publish window, with read receipts counted once", async () => {
    const { course: c, cohortIds } = await course(2);
    const inA = await learner(c.id, cohortIds[0]);
    const inB = await learner(c.id, cohortIds[1]);
    let res = await t.http.post(
      `/api/v1/courses/${c.id}/announcements`,
      { title: "Nope", content: "<p>x</p>" },
      inA,
    );
    expect(res.status).toBe(403);

    res = await t.http.post(
      `/api/v1/courses/${c.id}/announcements`,
      {
        title: "Welcome all",
        content: "<p>Hello <script>alert(1)</script>everyone</p>",
        priority: "high",
      },
      instructor,
    );
    expect(res.status).toBe(201);
    const all = res.body.data;
    expect(all.content).not.toContain("<script>");
    res = await t.http.post(
      `/api/v1/courses/${c.id}/announcements`,
      { title: "Cohort A only", content: "<p>A</p>", audience: "cohort", cohortId: cohortIds[0] },
      instructor,
    );
    const onlyA = res.body.data;
    const later = new Date(t.clock.now().getTime() + 600_000).toISOString();
    res = await t.http.post(
      `/api/v1/courses/${c.id}/announcements`,
      { title: "Tomorrow's plan", content: "<p>Later</p>", publishAt: later },
      instructor,
    );
    const scheduled = res.body.data;
    res = await t.http.post(
      `/api/v1/courses/${c.id}/announcements`,
      { title: "Bad", content: "<p>x</p>", audience: "users", userIds: [instructor.user.id] },
      instructor,
    );
    expect(res.status).toBe(400);

    const titles = async (who: typeof inA) =>
      (await t.http.get(`/api/v1/courses/${c.id}/announcements`, who)).body.data.map(
        (a: { title: string }) => a.title,
      );
    expect((await titles(inA)).sort()).toEqual(["Cohort A only", "Welcome all"]);
    expect(await titles(inB)).toEqual(["Welcome all"]);
    const notes = await t.system.db
      .selectFrom("notifications")
      .select(["user_id", "title", "priority"])
      .where("type", "=", "announcement")
      .where("user_id", "in", [inA.user.id, inB.user.id])
      .execute();
    expect(notes).toHaveLength(3);
    expect(notes.filter((n) => n.user_id === inB.user.id)).toEqual([
      { user_id: inB.user.id, title: `${c.title}: Welcome all`, priority: "high" },
    ]);

    // The scheduled one appears and notifies when its time comes.
    t.clock.advance(601_000);
    expect(await deliverDueAnnouncements(t.system)).toBe(1);
    expect(await deliverDueAnnouncements(t.system)).toBe(0);
    const refreshedA = await signedInUser(t);
    await enroll(t.system, {
      userId: refreshedA.user.id,
      courseId: c.id,
      cohortId: cohortIds[0],
      source: "self",
    });
    expect(await titles(refreshedA)).toContain("Tomorrow's plan");

    // Read receipts.
    for (let i = 0; i < 2; i++) {
      res = await t.http.post(`/api/v1/announcements/${all.id}/read`, {}, refreshedA);
      expect(res.body.data).toEqual({ readCount: 1 });
    }
    res = await t.http.post(`/api/v1/announcements/${onlyA.id}/read`, {}, inB);
    expect(res.status).toBe(404);
    res = await t.http.get(`/api/v1/courses/${c.id}/announcements`, refreshedA);
    const mine = res.body.data.find((a: { id: string }) => a.id === all.id);
    expect(mine.readAt).not.toBeNull();
    res = await t.http.get(`/api/v1/announcements/${all.id}/reads`, instructor);
    expect(res.body.data).toMatchObject({
      audienceSize: 3,
      readers: [{ userId: refreshedA.user.id }],
    });
    res = await t.http.get(`/api/v1/announcements/${all.id}/reads`, inA);
    expect(res.status).toBe(404);

    // Expiry hides; the team still sees everything.
    res = await t.http.patch(
      `/api/v1/announcements/${scheduled.id}`,
      { expiresAt: new Date(t.clock.now().getTime() + 1000).toISOString() },
      instructor,
    );
    expect(res.status).toBe(200);
    t.clock.advance(2000);
    expect(await titles(refreshedA)).not.toContain("Tomorrow's plan");
    res = await t.http.get(`/api/v1/courses/${c.id}/announcements`, instructor);
    expect(res.body.data).toHaveLength(3);
    expect(res.body.data.find((a: { id: string }) => a.id === all.id).readCount).toBe(1);

    const outsider = await signedInUser(t);
    res = await t.http.get(`/api/v1/courses/${c.id}/announcements`, outsider);
    expect(res.body.error.code).toBe("NOT_ENROLLED");
    res = await t.http.delete(`/api/v1/announcements/${onlyA.id}`, instructor);
    expect(res.status).toBe(200);
  });
});
