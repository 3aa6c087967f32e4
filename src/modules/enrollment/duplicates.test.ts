import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE } from "../../../test/database.js";
import { makeUser, publishedCourse, signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ATTEMPTS = 20;

describe(`duplicate self-enrollments racing each other (${ENGINE})`, () => {
  it(`enrolls once out of ${ATTEMPTS} concurrent requests and answers every other ALREADY_ENROLLED`, async () => {
    const instructor = await makeUser(t, { firstName: "Race", lastName: "Instructor" });
    const course = await publishedCourse(t, {
      code: "RACE-1",
      title: "Everybody at once",
      instructorId: instructor.id,
    });
    const { user, token } = await signedInUser(t);
    const answers = await Promise.all(
      Array.from({ length: ATTEMPTS }, () =>
        t.http.post("/api/v1/enrollments", { courseId: course.id }, { token }),
      ),
    );
    const statuses = answers.map((a) => `${a.status} ${a.body.error?.code ?? "enrolled"}`).sort();
    expect(statuses).toEqual([
      "201 enrolled",
      ...Array.from({ length: ATTEMPTS - 1 }, () => "409 ALREADY_ENROLLED"),
    ]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.requestId).toBe(refused.headers["x-request-id"]);
    }
    const rows = await t.system.db
      .selectFrom("enrollments")
      .select(["id", "status"])
      .where("user_id", "=", user.id)
      .where("course_id", "=", course.id)
      .execute();
    expect(rows).toEqual([{ id: expect.any(String), status: "active" }]);
  });
});
