import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE } from "../../../test/database.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createLesson } from "../catalog/content.js";
import { createCourse, publishCourse } from "../catalog/courses.js";
import { createCohort, transitionCohort } from "../cohorts/cohorts.js";
import { openSession } from "../identity/sessions.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const LEARNERS = 200;
const SEATS = 30;

describe(`capacity under concurrency (${ENGINE})`, () => {
  it(`fills a ${SEATS}-seat cohort from ${LEARNERS} concurrent enrollments, waitlisting the rest in order`, async () => {
    const ctx = t.system;
    const instructor = await ctx.db
      .insertInto("users")
      .values({
        email: "rush.instructor@example.com",
        first_name: "Rush",
        last_name: "Instructor",
        email_verified: true,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const course = await createCourse(ctx, {
      code: "RUSH-1",
      title: "Popular Cohort",
      description: "The cohort everybody wants to join at once.",
      category: "ai",
      delivery: "cohort-based",
      instructorId: instructor.id,
    });
    const intro = await ctx.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", course.id)
      .executeTakeFirstOrThrow();
    await createLesson(ctx, intro.id, {
      title: "Welcome",
      contentType: "text",
      content: { html: "<p>Hi</p>" },
    });
    await publishCourse(ctx, course.id);
    const cohort = await createCohort(ctx, course.id, {
      name: "Rush cohort",
      startsAt: "2026-06-01T09:00:00Z",
      endsAt: "2026-06-02T17:00:00Z",
      capacity: SEATS,
    });
    await transitionCohort(ctx, cohort.id, "open");

    const users = await ctx.db
      .insertInto("users")
      .values(
        Array.from({ length: LEARNERS }, (_, i) => ({
          email: `rush${i}@example.com`,
          first_name: "Rush",
          last_name: `Learner ${i}`,
          email_verified: true,
        })),
      )
      .returning("id")
      .execute();
    const learnerRole = await ctx.db
      .selectFrom("roles")
      .select("id")
      .where("organization_id", "is", null)
      .where("key", "=", "learner")
      .executeTakeFirstOrThrow();
    await ctx.db
      .insertInto("user_roles")
      .values(users.map((u) => ({ user_id: u.id, role_id: learnerRole.id })))
      .execute();
    const tokens = [];
    for (const user of users) tokens.push((await openSession(ctx, user.id, "bearer")).accessToken);

    const responses = await Promise.all(
      tokens.map((token) =>
        t.lyceum.app.inject({
          method: "POST",
          url: "/api/v1/enrollments",
          headers: { authorization: `Bearer ${token}` },
          payload: { courseId: course.id, cohortId: cohort.id },
        }),
      ),
    );
    const bodies = responses.map((r) => ({ status: r.statusCode, body: r.json() }));
    expect(bodies.filter((b) => b.status !== 201)).toEqual([]);
    const enrolled = bodies.filter((b) => b.body.data.result === "enrolled");
    const waitlisted = bodies.filter((b) => b.body.data.result === "waitlisted");
    expect(enrolled).toHaveLength(SEATS);
    expect(waitlisted).toHaveLength(LEARNERS - SEATS);

    const rows = await ctx.db
      .selectFrom("enrollments")
      .select(["user_id", "status"])
      .where("cohort_id", "=", cohort.id)
      .execute();
    expect(rows).toHaveLength(SEATS);
    expect(rows.every((r) => r.status === "active")).toBe(true);
    const entries = await ctx.db
      .selectFrom("waitlist_entries")
      .select(["user_id", "position", "status"])
      .where("cohort_id", "=", cohort.id)
      .orderBy("position")
      .execute();
    expect(entries.map((e) => e.position)).toEqual(
      Array.from({ length: LEARNERS - SEATS }, (_, i) => i + 1),
    );
    expect(entries.every((e) => e.status === "waiting")).toBe(true);
    const everyone = new Set([...rows.map((r) => r.user_id), ...entries.map((e) => e.user_id)]);
    expect(everyone.size).toBe(LEARNERS);
    const positions = waitlisted
      .map((w) => w.body.data.waitlistEntry.position)
      .sort((a: number, b: number) => a - b);
    expect(positions).toEqual(entries.map((e) => e.position));

    const counters = await ctx.db
      .selectFrom("cohorts")
      .select(["enrolled_count", "waitlist_count", "reserved_count"])
      .where("id", "=", cohort.id)
      .executeTakeFirstOrThrow();
    expect(counters).toEqual({
      enrolled_count: SEATS,
      waitlist_count: LEARNERS - SEATS,
      reserved_count: 0,
    });
    const courseRow = await ctx.db
      .selectFrom("courses")
      .select("enrolled_count")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(courseRow.enrolled_count).toBe(SEATS);
    const events = await ctx.db
      .selectFrom("learning_events")
      .select(sql<number>`count(*)`.as("n"))
      .where("cohort_id", "=", cohort.id)
      .where("event_type", "=", "enrollment-created")
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(SEATS);
  });
});
