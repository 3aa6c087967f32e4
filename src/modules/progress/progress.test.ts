import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE } from "../../../test/database.js";
import { signedInUser } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { queryCount } from "../../db/connection.js";
import { createLesson, createModule } from "../catalog/content.js";
import { createCourse, publishCourse } from "../catalog/courses.js";
import { createCohort, transitionCohort } from "../cohorts/cohorts.js";
import { addKitItem, addRecording } from "../cohorts/materials.js";
import { enroll } from "../enrollment/enroll.js";

let t: TestApp;
let instructor: Awaited<ReturnType<typeof signedInUser>>;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  instructor = await signedInUser(t, { platformAdmin: true });
});
afterAll(() => t.close());

/**
 * A course with an open first module (two lessons, the second needing 120 s of study) and a
 * sequential second module (one lesson).
 */
async function course(options: { cohort?: boolean } = {}) {
  seq += 1;
  const c = await createCourse(t.system, {
    code: `PROG-${seq}`,
    title: `Progress course ${seq}`,
    description: "A course used to test lesson progress, unlocking and completion.",
    category: "testing",
    instructorId: instructor.user.id,
    delivery: options.cohort ? "cohort-based" : "self-paced",
  });
  const first = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", c.id)
    .executeTakeFirstOrThrow();
  const a = await createLesson(t.system, first.id, {
    title: "Read me",
    contentType: "text",
    content: { html: "<p>Short</p>" },
  });
  const b = await createLesson(t.system, first.id, {
    title: "Watch me",
    contentType: "video",
    content: { url: "https://video.example/v.mp4", durationSeconds: 600 },
    minTimeSeconds: 120,
  });
  const second = await createModule(t.system, c.id, {
    title: "After the basics",
    unlockType: "sequential",
  });
  const d = await createLesson(t.system, second.id, {
    title: "Wrap up",
    contentType: "text",
    content: { html: "<p>Done</p>" },
  });
  await publishCourse(t.system, c.id);
  let cohortId: string | undefined;
  if (options.cohort) {
    const cohort = await createCohort(t.system, c.id, {
      name: `Cohort ${seq}`,
      startsAt: "2026-04-01T09:00:00Z",
      endsAt: "2026-04-30T17:00:00Z",
      capacity: 10,
    });
    cohortId = (await transitionCohort(t.system, cohort.id, "open")).id;
  }
  return { course: c, modules: [first.id, second.id], lessons: { a, b, d }, cohortId };
}

async function enrolled(courseId: string, cohortId?: string) {
  const learner = await signedInUser(t);
  const result = await enroll(t.system, {
    userId: learner.user.id,
    courseId,
    cohortId,
    source: "self",
  });
  if (result.kind !== "enrolled") throw new Error("not enrolled");
  return { learner, enrollment: result.enrollment };
}

const post = (url: string, as: Credentials, body: object = {}) => t.http.post(url, body, as);

async function enrollmentRow(id: string) {
  return t.system.db
    .selectFrom("enrollments")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function eventTypes(enrollmentId: string) {
  const rows = await t.system.db
    .selectFrom("learning_events")
    .select("event_type")
    .where("enrollment_id", "=", enrollmentId)
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => r.event_type);
}

describe("lesson progress", () => {
  it("starts, counts only real study time, and completes after the minimum time", async () => {
    const { course: c, lessons } = await course();
    const { learner, enrollment } = await enrolled(c.id);
    let res = await post(`/api/v1/lessons/${lessons.b.id}/complete`, learner);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("LESSON_NOT_STARTED");

    res = await post(`/api/v1/lessons/${lessons.b.id}/start`, learner);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "in-progress", timeSpentSeconds: 0 });
    expect((await enrollmentRow(enrollment.id)).started_at).not.toBeNull();

    // A heartbeat claiming more time than passed counts only what passed.
    res = await post(`/api/v1/lessons/${lessons.b.id}/heartbeat`, learner, { seconds: 500 });
    expect(res.body.data.timeSpentSeconds).toBe(0);
    t.clock.advance(60_000);
    res = await post(`/api/v1/lessons/${lessons.b.id}/heartbeat`, learner, {
      seconds: 500,
      position: 61,
      percent: 10,
    });
    expect(res.body.data).toMatchObject({
      timeSpentSeconds: 60,
      lastPosition: 61,
      completionPercent: 10,
    });

    res = await post(`/api/v1/lessons/${lessons.b.id}/complete`, learner);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: "MIN_TIME_NOT_MET",
      details: { requiredSeconds: 120, spentSeconds: 60 },
    });
    t.clock.advance(90_000);
    await post(`/api/v1/lessons/${lessons.b.id}/heartbeat`, learner, { seconds: 90 });
    res = await post(`/api/v1/lessons/${lessons.b.id}/complete`, learner);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      progress: { status: "completed", completionPercent: 100, timeSpentSeconds: 150 },
      moduleCompleted: false,
      courseCompleted: false,
    });
    // Completing again changes nothing.
    res = await post(`/api/v1/lessons/${lessons.b.id}/complete`, learner);
    expect(res.body.data.moduleCompleted).toBe(false);

    const row = await enrollmentRow(enrollment.id);
    expect(row).toMatchObject({ lessons_completed: 1, lessons_total: 3, time_spent_seconds: 150 });
    expect(Number(row.progress_percent)).toBe(33.33);
    expect(row.last_accessed_at).not.toBeNull();
    const types = await eventTypes(enrollment.id);
    expect(types).toEqual(
      expect.arrayContaining([
        "enrollment-started",
        "course-started",
        "module-started",
        "content-started",
        "content-completed",
      ]),
    );
  });

  it("completes a lesson that changes only figures in one statement, writing what the full path writes", async () => {
    const { course: c, lessons, modules } = await course();
    const { learner, enrollment } = await enrolled(c.id);
    await post(`/api/v1/lessons/${lessons.a.id}/start`, learner);
    t.clock.advance(30_000);
    await post(`/api/v1/lessons/${lessons.a.id}/heartbeat`, learner, { seconds: 30 });
    const statements = async (url: string) => {
      const before = queryCount(t.lyceum.services.db);
      const res = await post(url, learner);
      return { res, statements: queryCount(t.lyceum.services.db) - before };
    };

    // Lesson a leaves its module open (b is not done): the database's fast path.
    const fast = await statements(`/api/v1/lessons/${lessons.a.id}/complete`);
    expect(fast.res.status).toBe(200);
    expect(fast.res.body.data).toEqual({
      progress: expect.objectContaining({
        lessonId: lessons.a.id,
        status: "completed",
        completionPercent: 100,
        timeSpentSeconds: 30,
        completedAt: t.clock.now().toISOString(),
      }),
      moduleCompleted: false,
      courseCompleted: false,
      unlockedModules: [],
    });
    // One statement (on a server, the change feed's check is one more).
    expect(fast.statements).toBe(ENGINE === "postgres" ? 2 : 1);
    const row = await enrollmentRow(enrollment.id);
    expect(row).toMatchObject({ lessons_completed: 1, lessons_total: 3, time_spent_seconds: 30 });
    expect(Number(row.progress_percent)).toBe(33.33);
    expect(row.last_accessed_at?.toISOString()).toBe(t.clock.now().toISOString());
    const figures = await t.system.db
      .selectFrom("module_progress")
      .selectAll()
      .where("enrollment_id", "=", enrollment.id)
      .where("module_id", "=", modules[0] as string)
      .executeTakeFirstOrThrow();
    expect(figures).toMatchObject({ lessons_completed: 1, lessons_total: 2, completed_at: null });
    expect(Number(figures.completion_percent)).toBe(50);
    const event = await t.system.db
      .selectFrom("learning_events")
      .selectAll()
      .where("enrollment_id", "=", enrollment.id)
      .where("event_type", "=", "content-completed")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      learner_id: learner.user.id,
      course_id: c.id,
      content_id: lessons.a.id,
      organization_id: null,
      source: "internal",
      data: { timeSpentSeconds: 30 },
      day_key: t.clock.now().toISOString().slice(0, 10),
      year_key: t.clock.now().getUTCFullYear(),
    });
    expect(event.occurred_at.toISOString()).toBe(t.clock.now().toISOString());
    expect(event.context).toMatchObject({ ipAddress: expect.any(String), deviceType: "other" });

    // Completing it again, and a lesson whose module completes with it, take the transaction.
    const again = await statements(`/api/v1/lessons/${lessons.a.id}/complete`);
    expect(again.res.body.data.progress.completedAt).toBe(fast.res.body.data.progress.completedAt);
    expect(again.statements).toBeGreaterThan(fast.statements + 2);
    await post(`/api/v1/lessons/${lessons.b.id}/start`, learner);
    t.clock.advance(130_000);
    await post(`/api/v1/lessons/${lessons.b.id}/heartbeat`, learner, { seconds: 130 });
    const full = await statements(`/api/v1/lessons/${lessons.b.id}/complete`);
    expect(full.res.body.data).toMatchObject({
      moduleCompleted: true,
      unlockedModules: [modules[1]],
    });
    expect(full.statements).toBeGreaterThan(fast.statements + 2);
    expect(await eventTypes(enrollment.id)).toEqual(
      expect.arrayContaining(["content-completed", "module-completed"]),
    );
  });

  it("refuses to complete a started lesson whose module has been locked since, and keeps nothing of the attempt", async () => {
    const { course: c, lessons, modules } = await course();
    const { learner, enrollment } = await enrolled(c.id);
    expect((await post(`/api/v1/lessons/${lessons.a.id}/start`, learner)).status).toBe(200);
    const eventsBefore = await eventTypes(enrollment.id);
    // The instructor schedules the first module for later.
    await t.system.db
      .updateTable("modules")
      .set({ unlock_type: "scheduled", unlock_at: new Date(t.clock.now().getTime() + 86_400_000) })
      .where("id", "=", modules[0] as string)
      .execute();
    const res = await post(`/api/v1/lessons/${lessons.a.id}/complete`, learner);
    expect(res.status).toBe(423);
    expect(res.body.error).toMatchObject({ code: "MODULE_LOCKED", details: { type: "scheduled" } });
    const progress = await t.system.db
      .selectFrom("lesson_progress")
      .select(["status", "completed_at"])
      .where("enrollment_id", "=", enrollment.id)
      .where("lesson_id", "=", lessons.a.id)
      .executeTakeFirstOrThrow();
    expect(progress).toEqual({ status: "in-progress", completed_at: null });
    expect(await eventTypes(enrollment.id)).toEqual(eventsBefore);
    expect((await enrollmentRow(enrollment.id)).lessons_completed).toBe(0);
  });

  it("keeps sequential modules locked until the one before is complete, then opens and completes the course", async () => {
    const { course: c, lessons, modules } = await course();
    const { learner, enrollment } = await enrolled(c.id);
    let res = await post(`/api/v1/lessons/${lessons.d.id}/start`, learner);
    expect(res.status).toBe(423);
    expect(res.body.error).toMatchObject({
      code: "MODULE_LOCKED",
      details: { type: "sequential", waitingFor: [modules[0]] },
    });
    res = await t.http.get(`/api/v1/lessons/${lessons.d.id}`, learner);
    expect(res.status).toBe(423);
    // Lessons of the open module can be read.
    res = await t.http.get(`/api/v1/lessons/${lessons.a.id}`, learner);
    expect(res.status).toBe(200);

    await post(`/api/v1/lessons/${lessons.a.id}/start`, learner);
    res = await post(`/api/v1/lessons/${lessons.a.id}/complete`, learner);
    expect(res.body.data.moduleCompleted).toBe(false);
    await post(`/api/v1/lessons/${lessons.b.id}/start`, learner);
    t.clock.advance(120_000);
    await post(`/api/v1/lessons/${lessons.b.id}/heartbeat`, learner, { seconds: 120 });
    res = await post(`/api/v1/lessons/${lessons.b.id}/complete`, learner);
    expect(res.body.data).toMatchObject({
      moduleCompleted: true,
      courseCompleted: false,
      unlockedModules: [modules[1]],
    });
    const unlockedNote = await t.system.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", learner.user.id)
      .where("type", "=", "lesson-unlocked")
      .execute();
    expect(unlockedNote).toEqual([{ title: "Now open: After the basics" }]);

    res = await t.http.get(`/api/v1/enrollments/${enrollment.id}/progress`, learner);
    expect(res.status).toBe(200);
    expect(
      res.body.data.modules.map(
        (m: { unlocked: boolean; completed: boolean; lessonsCompleted: number }) => [
          m.unlocked,
          m.completed,
          m.lessonsCompleted,
        ],
      ),
    ).toEqual([
      [true, true, 2],
      [true, false, 0],
    ]);

    await post(`/api/v1/lessons/${lessons.d.id}/start`, learner);
    res = await post(`/api/v1/lessons/${lessons.d.id}/complete`, learner);
    expect(res.body.data).toMatchObject({ moduleCompleted: true, courseCompleted: true });
    const row = await enrollmentRow(enrollment.id);
    expect(row.status).toBe("completed");
    expect(row.completed_at).not.toBeNull();
    expect(Number(row.progress_percent)).toBe(100);
    const counts = await t.system.db
      .selectFrom("courses")
      .select("completed_count")
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(counts.completed_count).toBe(1);
    expect(await eventTypes(enrollment.id)).toEqual(
      expect.arrayContaining(["module-completed", "enrollment-completed", "course-completed"]),
    );
    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .select("subject")
      .where("to_address", "=", learner.user.email)
      .where("template", "=", "course-completed")
      .execute();
    expect(mail).toEqual([{ subject: `You completed ${c.title}` }]);

    // The transcript has it, as JSON and CSV.
    res = await t.http.get("/api/v1/users/me/transcript", learner);
    expect(res.body.data.totals).toMatchObject({ enrollments: 1, completed: 1, inProgress: 0 });
    expect(res.body.data.courses[0]).toMatchObject({
      courseId: c.id,
      status: "completed",
      lessonsCompleted: 3,
      lessonsTotal: 3,
    });
    const csv = await t.http.get("/api/v1/users/me/transcript?format=csv", learner);
    expect(csv.headers["content-type"]).toContain("text/csv");
    const lines = (csv.body as string).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${c.code},${c.title},,completed,`);
  });

  it("keeps module and course figures equal to the lesson rows under concurrent completions", async () => {
    const { course: c, lessons } = await course();
    const { learner, enrollment } = await enrolled(c.id);
    await post(`/api/v1/lessons/${lessons.a.id}/start`, learner);
    await post(`/api/v1/lessons/${lessons.b.id}/start`, learner);
    await t.system.db
      .updateTable("lesson_progress")
      .set({ time_spent_seconds: 200 })
      .where("enrollment_id", "=", enrollment.id)
      .execute();
    const results = await Promise.all([
      post(`/api/v1/lessons/${lessons.a.id}/complete`, learner),
      post(`/api/v1/lessons/${lessons.b.id}/complete`, learner),
      post(`/api/v1/lessons/${lessons.a.id}/complete`, learner),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.body.data.moduleCompleted)).toHaveLength(1);
    const module = await t.system.db
      .selectFrom("module_progress")
      .selectAll()
      .where("enrollment_id", "=", enrollment.id)
      .execute();
    const first = module.find((m) => m.lessons_total === 2);
    expect(first).toMatchObject({ lessons_completed: 2, time_spent_seconds: 400 });
    expect(Number(first?.completion_percent)).toBe(100);
    expect(await enrollmentRow(enrollment.id)).toMatchObject({
      lessons_completed: 2,
      lessons_total: 3,
      time_spent_seconds: 400,
    });
  });

  it("refuses people who are not (or no longer) enrolled", async () => {
    const { course: c, lessons } = await course();
    const stranger = await signedInUser(t);
    let res = await post(`/api/v1/lessons/${lessons.a.id}/start`, stranger);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("NOT_ENROLLED");
    res = await t.http.get(`/api/v1/lessons/${lessons.a.id}`, stranger);
    expect(res.body.error.code).toBe("NOT_ENROLLED");
    const { learner, enrollment } = await enrolled(c.id);
    await t.system.db
      .updateTable("enrollments")
      .set({ status: "suspended" })
      .where("id", "=", enrollment.id)
      .execute();
    res = await post(`/api/v1/lessons/${lessons.a.id}/start`, learner);
    expect(res.body.error).toMatchObject({
      code: "NOT_ENROLLED",
      details: { status: "suspended" },
    });
    res = await t.http.get(`/api/v1/enrollments/${enrollment.id}/progress`, stranger);
    expect(res.status).toBe(404);
    const rows = await t.system.db
      .selectFrom("lesson_progress")
      .select("id")
      .where("lesson_id", "=", lessons.a.id)
      .execute();
    expect(rows).toEqual([]);
  });
});

describe("notes and bookmarks", () => {
  it("keeps a learner's own notes and ordered bookmarks on a lesson", async () => {
    const { course: c, lessons } = await course();
    const { learner } = await enrolled(c.id);
    let res = await t.http.put(`/api/v1/lessons/${lessons.b.id}/notes`, { notes: "x" }, learner);
    expect(res.body.error.code).toBe("LESSON_NOT_STARTED");
    await post(`/api/v1/lessons/${lessons.b.id}/start`, learner);
    res = await t.http.put(
      `/api/v1/lessons/${lessons.b.id}/notes`,
      { notes: "Key idea at 2:10" },
      learner,
    );
    expect(res.body.data.notes).toBe("Key idea at 2:10");
    const late = await post(`/api/v1/lessons/${lessons.b.id}/bookmarks`, learner, {
      position: 300,
      note: "Example",
    });
    expect(late.status).toBe(201);
    await post(`/api/v1/lessons/${lessons.b.id}/bookmarks`, learner, { position: 130 });
    res = await t.http.get(`/api/v1/lessons/${lessons.b.id}/progress`, learner);
    expect(res.body.data.bookmarks.map((b: { position: number }) => b.position)).toEqual([
      130, 300,
    ]);
    res = await t.http.delete(
      `/api/v1/lessons/${lessons.b.id}/bookmarks/${late.body.data.id}`,
      learner,
    );
    expect(res.status).toBe(200);
    res = await t.http.get(`/api/v1/lessons/${lessons.b.id}/progress`, learner);
    expect(res.body.data.bookmarks).toEqual([
      expect.objectContaining({ position: 130, note: null }),
    ]);
    res = await post(`/api/v1/lessons/${lessons.b.id}/bookmarks`, learner, { position: -1 });
    expect(res.status).toBe(400);

    // Someone else has nothing to read or change here.
    const other = await enrolled(c.id);
    res = await t.http.get(`/api/v1/lessons/${lessons.b.id}/progress`, other.learner);
    expect(res.body.data).toBeNull();
    res = await t.http.delete(
      `/api/v1/lessons/${lessons.b.id}/bookmarks/${late.body.data.id}`,
      other.learner,
    );
    expect(res.status).toBe(422);
  });
});

describe("materials for enrolled learners", () => {
  it("opens the kit to the course's learners and recordings to the cohort's", async () => {
    const { course: c, cohortId } = await course({ cohort: true });
    await addKitItem(t.system, c.id, {
      title: "Prompt pack",
      type: "prompts",
      url: "https://kit.example/p.pdf",
    });
    await addRecording(t.system, cohortId as string, {
      title: "Day 1",
      videoUrl: "https://rec.example/1.mp4",
    });
    const outsider = await signedInUser(t);
    let res = await t.http.get(`/api/v1/courses/${c.id}/kit-items`, outsider);
    expect(res.status).toBe(403);
    res = await t.http.get(`/api/v1/cohorts/${cohortId}/recordings`, outsider);
    expect([403, 404]).toContain(res.status);
    const { learner } = await enrolled(c.id, cohortId);
    res = await t.http.get(`/api/v1/courses/${c.id}/kit-items`, learner);
    expect(res.body.data.map((k: { title: string }) => k.title)).toEqual(["Prompt pack"]);
    res = await t.http.get(`/api/v1/cohorts/${cohortId}/recordings`, learner);
    expect(res.body.data.map((r: { title: string }) => r.title)).toEqual(["Day 1"]);
  });
});

describe("my progress in a course, found by the course", () => {
  it("answers the caller's own enrollment's progress, null without one, and never another's", async () => {
    const { course: c, lessons } = await course();
    const { learner, enrollment } = await enrolled(c.id);
    await post(`/api/v1/lessons/${lessons.a.id}/start`, learner);
    await post(`/api/v1/lessons/${lessons.a.id}/complete`, learner);

    let res = await t.http.get(`/api/v1/courses/${c.id}/progress/mine`, learner);
    expect(res.status).toBe(200);
    const byEnrollment = await t.http.get(`/api/v1/enrollments/${enrollment.id}/progress`, learner);
    expect(res.body.data).toEqual(byEnrollment.body.data);
    expect(res.body.data.enrollment.id).toBe(enrollment.id);
    expect(res.body.data.modules[0].lessonsCompleted).toBe(1);

    // Someone else who may see the course but holds no enrollment in it: null, not the learner's.
    const other = await signedInUser(t);
    res = await t.http.get(`/api/v1/courses/${c.id}/progress/mine`, other);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();

    // A dropped enrollment is no longer the learner's progress.
    await t.system.db
      .updateTable("enrollments")
      .set({ status: "dropped" })
      .where("id", "=", enrollment.id)
      .execute();
    res = await t.http.get(`/api/v1/courses/${c.id}/progress/mine`, learner);
    expect(res.body.data).toBeNull();

    res = await t.http.get(`/api/v1/courses/${crypto.randomUUID()}/progress/mine`, learner);
    expect(res.status).toBe(404);
    res = await t.http.get(`/api/v1/courses/${c.id}/progress/mine`);
    expect(res.status).toBe(401);
  });
});
