import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { createCourse } from "../catalog/courses.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let other: Awaited<ReturnType<typeof makeOrganization>>;
let platform: Credentials;
let courseId: string;
let privateCourseId: string;

const dates = { startsAt: "2026-04-06T09:00:00Z", endsAt: "2026-04-07T17:00:00Z" };

beforeAll(async () => {
  t = await createTestApp();
  w = await makeOrganization(t, {
    name: "Cohort Org",
    people: [
      { key: "instructor", roles: ["learner", "instructor"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  other = await makeOrganization(t, {
    name: "Other Org",
    people: [{ key: "learner", roles: ["learner"] }],
  });
  // Teaching a platform-catalog course needs the platform instructor role.
  const { roleIdByKey } = await import("../access/provision.js");
  await t.system.db
    .insertInto("user_roles")
    .values({
      user_id: w.people.instructor!.user.id,
      role_id: (await roleIdByKey(t.system.db, null, "instructor")) as string,
    })
    .execute();
  const platformAdmin = await makeUser(t, { platformAdmin: true });
  platform = await signIn(t, platformAdmin.email);
  const course = await createCourse(t.system, {
    code: "AI-COHORT",
    title: "AI Cohort",
    delivery: "cohort-based",
    instructorId: w.people.instructor!.user.id,
    description: "Two intensive days of hands-on practice with AI tools.",
    category: "ai",
  });
  courseId = course.id;
  const lesson = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  const { createLesson } = await import("../catalog/content.js");
  const { publishCourse } = await import("../catalog/courses.js");
  await createLesson(t.system, lesson.id, {
    title: "Welcome",
    contentType: "text",
    content: { html: "<p>Hi</p>" },
  });
  await publishCourse(t.system, course.id);
  privateCourseId = (
    await createCourse(t.system, {
      organizationId: w.org.id,
      code: "PRIV-C",
      title: "Private cohort course",
      delivery: "cohort-based",
      instructorId: w.people.instructor!.user.id,
    })
  ).id;
});
afterAll(() => t.close());

async function schedule(as: Credentials, body: Record<string, unknown> = {}, course = courseId) {
  return t.http.post(
    `/api/v1/courses/${course}/cohorts`,
    { name: "Spring cohort", capacity: 30, ...dates, ...body },
    as,
  );
}

describe("cohorts", () => {
  it("are scheduled by the course's instructor with the instructor as default teacher", async () => {
    const res = await schedule(w.people.instructor!, {
      meetingUrl: "https://zoom.example/j/1",
      timezone: "Europe/Paris",
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      status: "scheduled",
      capacity: 30,
      seatsLeft: 30,
      enrolledCount: 0,
      instructorId: w.people.instructor!.user.id,
      timezone: "Europe/Paris",
      organizationId: null,
    });
    expect((await schedule(w.people.learner!)).status).toBe(403);
    const backwards = await schedule(w.people.instructor!, {
      startsAt: dates.endsAt,
      endsAt: dates.startsAt,
    });
    expect(backwards.body.error.field).toBe("endsAt");
    const selfPaced = await createCourse(t.system, {
      organizationId: w.org.id,
      code: "SELF-1",
      title: "Self paced",
      instructorId: w.people.instructor!.user.id,
    });
    const refused = await schedule(w.people.instructor!, {}, selfPaced.id);
    expect(refused.status).toBe(422);
  });

  it("follow the lifecycle and refuse other moves", async () => {
    const cohort = (await schedule(w.people.instructor!)).body.data;
    const move = (status: string, reason?: string) =>
      t.http.post(`/api/v1/cohorts/${cohort.id}/status`, { status, reason }, w.people.instructor);
    const skip = await move("completed");
    expect(skip.status).toBe(422);
    expect(skip.body.error.details.allowed).toEqual(["open", "cancelled"]);
    expect((await move("open")).body.data.status).toBe("open");
    expect((await move("in-progress")).body.data.status).toBe("in-progress");
    expect((await move("completed")).body.data.status).toBe("completed");
    expect((await move("cancelled")).status).toBe(422);
    expect(
      (
        await t.http.patch(
          `/api/v1/cohorts/${cohort.id}`,
          { name: "Late rename" },
          w.people.instructor,
        )
      ).status,
    ).toBe(422);
    const cancelled = (await schedule(w.people.instructor!)).body.data;
    const res = await t.http.post(
      `/api/v1/cohorts/${cancelled.id}/status`,
      { status: "cancelled", reason: "Instructor ill" },
      w.people.instructor,
    );
    expect(res.body.data).toMatchObject({ status: "cancelled", cancelledReason: "Instructor ill" });
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", cohort.id)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "cohort.create",
      "cohort.open",
      "cohort.in-progress",
      "cohort.completed",
    ]);
  });

  it("keep a private cohort to its organization", async () => {
    const res = await schedule(platform, { organizationId: w.org.id, name: "Cohort Org only" });
    expect(res.status).toBe(201);
    const own = await t.http.get(`/api/v1/courses/${courseId}/cohorts`, w.people.learner);
    expect(own.body.data.map((c: { name: string }) => c.name)).toContain("Cohort Org only");
    const outsider = await t.http.get(`/api/v1/courses/${courseId}/cohorts`, other.people.learner);
    expect(outsider.body.data.map((c: { name: string }) => c.name)).not.toContain(
      "Cohort Org only",
    );
    expect(
      (await t.http.get(`/api/v1/cohorts/${res.body.data.id}`, other.people.learner)).status,
    ).toBe(404);
    expect((await t.http.get(`/api/v1/cohorts/${res.body.data.id}`)).status).toBe(404);
    const wrongOrg = await schedule(
      w.people.admin,
      { organizationId: other.org.id },
      privateCourseId,
    );
    expect(wrongOrg.body.error.field).toBe("organizationId");
  });

  it("never shrink below the people enrolled", async () => {
    const cohort = (await schedule(w.people.instructor!)).body.data;
    await t.system.db
      .updateTable("cohorts")
      .set({ enrolled_count: 12 })
      .where("id", "=", cohort.id)
      .execute();
    const res = await t.http.patch(
      `/api/v1/cohorts/${cohort.id}`,
      { capacity: 10 },
      w.people.instructor,
    );
    expect(res.status).toBe(422);
    const ok = await t.http.patch(
      `/api/v1/cohorts/${cohort.id}`,
      { capacity: 12, meetingUrl: "https://meet.example/x" },
      w.people.instructor,
    );
    expect(ok.body.data).toMatchObject({
      capacity: 12,
      seatsLeft: 0,
      meetingUrl: "https://meet.example/x",
    });
  });
});

describe("recordings and the enablement kit", () => {
  it("are managed by the people who run the course and hidden from others", async () => {
    const cohort = (await schedule(w.people.instructor!)).body.data;
    const detail = await t.http.get(`/api/v1/courses/${courseId}`, w.people.instructor);
    const moduleId = detail.body.data.modules[0].id;
    const rec = await t.http.post(
      `/api/v1/cohorts/${cohort.id}/recordings`,
      { title: "Day 1", videoUrl: "https://vimeo.example/1", durationSeconds: 5400, moduleId },
      w.people.instructor,
    );
    expect(rec.status).toBe(201);
    expect(rec.body.data).toMatchObject({ title: "Day 1", durationSeconds: 5400, moduleId });
    const foreignModule = await t.http.post(
      `/api/v1/cohorts/${cohort.id}/recordings`,
      {
        title: "X",
        videoUrl: "https://vimeo.example/2",
        moduleId: "01a20000-0000-7000-8000-000000000001",
      },
      w.people.instructor,
    );
    expect(foreignModule.status).toBe(404);
    expect(
      (await t.http.get(`/api/v1/cohorts/${cohort.id}/recordings`, w.people.instructor)).body.data,
    ).toHaveLength(1);
    expect(
      (await t.http.get(`/api/v1/cohorts/${cohort.id}/recordings`, w.people.learner)).status,
    ).toBe(403);
    expect(
      (await t.http.delete(`/api/v1/recordings/${rec.body.data.id}`, w.people.instructor)).status,
    ).toBe(200);

    const kit = await t.http.post(
      `/api/v1/courses/${courseId}/kit-items`,
      { title: "Prompt pack", type: "prompts", url: "https://files.example/p.pdf" },
      w.people.instructor,
    );
    expect(kit.body.data.position).toBe(1);
    const second = await t.http.post(
      `/api/v1/courses/${courseId}/kit-items`,
      { title: "Worksheet", type: "worksheet", url: "https://files.example/w.pdf" },
      w.people.instructor,
    );
    expect(second.body.data.position).toBe(2);
    expect(
      (
        await t.http.get(`/api/v1/courses/${courseId}/kit-items`, w.people.instructor)
      ).body.data.map((k: { title: string }) => k.title),
    ).toEqual(["Prompt pack", "Worksheet"]);
    const learnerView = await t.http.get(`/api/v1/courses/${courseId}/kit-items`, w.people.learner);
    expect(learnerView.status).toBe(403);
    expect(learnerView.body.error.code).toBe("NOT_ENROLLED");
    const changed = await t.http.patch(
      `/api/v1/kit-items/${second.body.data.id}`,
      { title: "Workbook", type: "template", description: "Fill in on day 2", position: 0 },
      w.people.instructor,
    );
    expect(changed.status).toBe(400);
    const moved = await t.http.patch(
      `/api/v1/kit-items/${second.body.data.id}`,
      { title: "Workbook", type: "template", description: "Fill in on day 2" },
      w.people.instructor,
    );
    expect(moved.body.data).toMatchObject({
      title: "Workbook",
      type: "template",
      url: "https://files.example/w.pdf",
      description: "Fill in on day 2",
      position: 2,
    });
    expect(
      (
        await t.http.patch(
          `/api/v1/kit-items/${second.body.data.id}`,
          { position: 1 },
          w.people.instructor,
        )
      ).body.data.position,
    ).toBe(1);
    expect(
      (
        await t.http.patch(
          `/api/v1/kit-items/${second.body.data.id}`,
          { title: "Mine now" },
          w.people.learner,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await t.http.patch(
          "/api/v1/kit-items/01a20000-0000-7000-8000-000000000001",
          { title: "Nobody" },
          w.people.instructor,
        )
      ).status,
    ).toBe(404);
    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "after"])
      .where("entity_id", "=", second.body.data.id)
      .where("action", "=", "kit-item.update")
      .execute();
    expect(audited).toHaveLength(2);
    expect(
      (await t.http.delete(`/api/v1/kit-items/${kit.body.data.id}`, w.people.learner)).status,
    ).toBe(403);
    expect(
      (await t.http.delete(`/api/v1/kit-items/${kit.body.data.id}`, w.people.instructor)).status,
    ).toBe(200);
  });
});
