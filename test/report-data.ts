import { createQuiz } from "../src/modules/assessments/quizzes.js";
import { createCourse } from "../src/modules/catalog/courses.js";
import { recordEvents } from "../src/modules/events/record.js";
import { addMember } from "../src/modules/organizations/service.js";
import { createDepartment } from "../src/modules/organizations/structure.js";
import { makeOrganization, makeUser, signIn } from "./factories.js";
import type { TestApp } from "./harness.js";

/**
 * A small organization whose report figures are worked out by hand (reports tests): Engineering
 * (L1–L3) and Sales (L4–L6), two courses, seven enrollments, five learning events and four quiz
 * attempts, in the America/New_York time zone; a report viewer, Engineering's department admin.
 */

type Credentials = Parameters<TestApp["http"]["get"]>[1];

const day = (iso: string) => new Date(iso);

export async function reportWorld(t: TestApp) {
  let orgId = "";
  let url = "";
  const who: Record<string, Credentials> = {};
  const ids: Record<string, string> = {};
  const { org, people } = await makeOrganization(t, { name: "Acme Reports" });
  orgId = org.id;
  url = `/api/v1/organizations/${orgId}/report-metadata`;
  who.admin = people.admin;
  await t.system.db
    .updateTable("organizations")
    .set({ timezone: "America/New_York" })
    .where("id", "=", orgId)
    .execute();
  const eng = await createDepartment(t.system, orgId, { name: "Engineering", code: "ENG" });
  const sales = await createDepartment(t.system, orgId, { name: "Sales", code: "SAL" });
  ids.eng = eng.id;
  const member = async (key: string, roleKeys: string[], departmentId: string | null) => {
    const user = await makeUser(t, { firstName: key, lastName: "Doe" });
    await addMember(t.system, orgId, { userId: user.id, roleKeys, departmentId });
    ids[key] = user.id;
    return user;
  };
  for (const key of ["L1", "L2", "L3"]) await member(key, ["learner"], eng.id);
  for (const key of ["L4", "L5", "L6"]) await member(key, ["learner"], sales.id);
  const viewer = await member("viewer", ["report-viewer"], null);
  const head = await member("head", ["department-admin"], eng.id);
  who.viewer = await signIn(t, viewer.email);
  who.head = await signIn(t, head.email);
  who.L1 = await signIn(
    t,
    (
      await t.system.db
        .selectFrom("users")
        .select("email")
        .where("id", "=", ids.L1 as string)
        .executeTakeFirstOrThrow()
    ).email,
  );

  // Signing people in recorded login events in the organization; the figures count only the
  // five events recorded below.
  await t.system.db.deleteFrom("learning_events").where("organization_id", "=", orgId).execute();

  const course = (code: string, title: string, category: string) =>
    createCourse(t.system, {
      organizationId: orgId,
      instructorId: ids.viewer as string,
      code,
      title,
      description: "A course for the report engine tests.",
      category,
    });
  const c1 = await course("R-C1", "Safety basics", "safety");
  const c2 = await course("R-C2", "Sales craft", "sales");
  ids.c1 = c1.id;
  ids.c2 = c2.id;
  const enrollment = async (
    learner: string,
    courseId: string,
    status: string,
    progress: number,
    seconds: number,
    enrolled: string,
    completed: string | null,
    started = true,
  ) => {
    const row = await t.system.db
      .insertInto("enrollments")
      .values({
        user_id: ids[learner] as string,
        course_id: courseId,
        organization_id: orgId,
        status: status as "active",
        progress_percent: progress,
        time_spent_seconds: seconds,
        enrolled_at: day(enrolled),
        started_at: started ? day(enrolled) : null,
        completed_at: completed ? day(completed) : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids[`${learner}-${courseId === c1.id ? "c1" : "c2"}`] = row.id;
  };
  await enrollment(
    "L1",
    c1.id,
    "completed",
    100,
    3600,
    "2026-01-05T15:00:00Z",
    "2026-01-07T15:00:00Z",
  );
  await enrollment(
    "L2",
    c1.id,
    "completed",
    100,
    1800,
    "2026-01-10T15:00:00Z",
    "2026-01-14T15:00:00Z",
  );
  await enrollment("L3", c1.id, "active", 50, 900, "2026-01-12T15:00:00Z", null);
  await enrollment("L4", c1.id, "dropped", 10, 60, "2026-01-15T15:00:00Z", null);
  await enrollment(
    "L5",
    c2.id,
    "completed",
    100,
    7200,
    "2026-02-01T10:00:00Z",
    "2026-02-02T10:00:00Z",
  );
  await enrollment("L6", c2.id, "active", 0, 0, "2026-02-03T10:00:00Z", null, false);
  await enrollment("L1", c2.id, "active", 20, 300, "2026-02-04T10:00:00Z", null);

  const event = (learner: string, type: string, at: string, courseId = c1.id) => ({
    type,
    learnerId: ids[learner] as string,
    organizationId: orgId,
    courseId,
    occurredAt: day(at),
  });
  await recordEvents(t.system, [
    event("L1", "content-viewed", "2026-03-01T03:00:00Z"), // 28 Feb, 22:00 in New York
    event("L1", "content-viewed", "2026-03-01T12:00:00Z"),
    event("L2", "content-viewed", "2026-03-02T12:00:00Z"),
    event("L5", "content-completed", "2026-02-15T12:00:00Z", c2.id),
    event("L4", "login", "2026-03-05T12:00:00Z"),
  ]);

  const module = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", c1.id)
    .executeTakeFirstOrThrow();
  const quiz = await createQuiz(t.system, module.id, { title: "Safety check" });
  const attempt = async (
    learner: string,
    status: string,
    score: number | null,
    passed: boolean | null,
  ) =>
    t.system.db
      .insertInto("quiz_attempts")
      .values({
        quiz_id: quiz.id,
        enrollment_id: ids[`${learner}-c1`] as string,
        user_id: ids[learner] as string,
        course_id: c1.id,
        attempt_number: 1,
        status: status as "graded",
        started_at: day("2026-03-03T10:00:00Z"),
        submitted_at: status === "in-progress" ? null : day("2026-03-03T10:20:00Z"),
        question_ids: [],
        score,
        passed,
      })
      .execute();
  await attempt("L1", "graded", 90, true);
  await attempt("L2", "graded", 60, false);
  await attempt("L3", "graded", 80, true);
  await attempt("L4", "in-progress", null, null);
  return { orgId, url, who, ids };
}
