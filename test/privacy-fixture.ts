import { expect } from "vitest";
import { makeOrganization, publishedCourse } from "./factories.js";
import type { TestApp } from "./harness.js";

/**
 * The organization the privacy enforcement tests read (docs/privacy.md): learners Lea and Bo
 * assigned a course of the instructor Ivy, both with 20 minutes of study and a last visit, Lea
 * with a graded quiz attempt (82, passed) who keeps her scores and activity from others.
 */
export async function privacyFixture(t: TestApp) {
  const api = "/api/v1";
  const a = await makeOrganization(t, {
    name: "Enforced",
    people: [
      { key: "Lea", roles: ["learner"] },
      { key: "Bo", roles: ["learner"] },
      { key: "Ivy", roles: ["learner", "instructor"] },
    ],
  });
  const course = await publishedCourse(t, {
    code: "PRIV-1",
    title: "Privacy in practice",
    instructorId: a.people.Ivy!.user.id,
    organizationId: a.org.id,
  });
  const courseId = course.id;
  const assigned = await t.http.post(
    `${api}/organizations/${a.org.id}/enrollments`,
    { userIds: [a.people.Lea!.user.id, a.people.Bo!.user.id], courseId },
    a.people.admin,
  );
  expect(assigned.body.data.map((r: { result: string }) => r.result)).toEqual([
    "enrolled",
    "enrolled",
  ]);
  const db = t.system.db;
  const lea = a.people.Lea!.user.id;
  const enrollment = await db
    .selectFrom("enrollments")
    .select("id")
    .where("user_id", "=", lea)
    .where("course_id", "=", courseId)
    .executeTakeFirstOrThrow();
  const enrollmentId = enrollment.id;
  await db
    .updateTable("enrollments")
    .set({ time_spent_seconds: 1200, last_accessed_at: new Date("2026-03-01T10:00:00Z") })
    .where("course_id", "=", courseId)
    .execute();
  const moduleRow = await db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", courseId)
    .executeTakeFirstOrThrow();
  const quiz = await db
    .insertInto("quizzes")
    .values({
      course_id: courseId,
      module_id: moduleRow.id,
      title: "Checkpoint",
      kind: "graded",
      is_published: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const quizId = quiz.id;
  const submitted = new Date("2026-03-01T11:00:00Z");
  const attempt = await db
    .insertInto("quiz_attempts")
    .values({
      quiz_id: quizId,
      enrollment_id: enrollmentId,
      user_id: lea,
      course_id: courseId,
      attempt_number: 1,
      status: "graded",
      started_at: submitted,
      submitted_at: submitted,
      graded_at: submitted,
      question_ids: [],
      points_earned: 82,
      points_possible: 100,
      score: 82,
      passed: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("quiz_results")
    .values({
      enrollment_id: enrollmentId,
      quiz_id: quizId,
      user_id: lea,
      attempts_used: 1,
      best_score: 82,
      best_attempt_id: attempt.id,
      last_score: 82,
      last_attempt_id: attempt.id,
      passed: true,
      passed_at: submitted,
    })
    .execute();
  const hide = await t.http.put(
    `${api}/users/me/privacy`,
    { showScores: false, showActivity: false },
    a.people.Lea!,
  );
  expect(hide.status).toBe(200);
  return { a, courseId, quizId, enrollmentId, attemptId: attempt.id };
}
