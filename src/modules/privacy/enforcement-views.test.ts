import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { privacyFixture } from "../../../test/privacy-fixture.js";

/**
 * Privacy settings and restriction in the views of one person's data (docs/privacy.md): an
 * enrollment's progress, a certificate by id, learning gain, restricted people in rosters and
 * assignment lists, and the access log of report previews. Lea keeps her scores and activity
 * from others (the fixture); Bo keeps nothing.
 */

let t: TestApp;
let f: Awaited<ReturnType<typeof privacyFixture>>;
let boEnrollmentId: string;

const api = "/api/v1";

beforeAll(async () => {
  t = await createTestApp();
  f = await privacyFixture(t);
  const bo = await t.system.db
    .selectFrom("enrollments")
    .select("id")
    .where("user_id", "=", f.a.people.Bo!.user.id)
    .where("course_id", "=", f.courseId)
    .executeTakeFirstOrThrow();
  boEnrollmentId = bo.id;
});
afterAll(() => t.close());

const people = () => ({
  lea: f.a.people.Lea!,
  bo: f.a.people.Bo!,
  ivy: f.a.people.Ivy!,
  admin: f.a.people.admin,
});

describe("one enrollment's progress", () => {
  it("leaves out the study time and quiz scores the learner keeps, for others only", async () => {
    const { lea, admin } = people();
    const url = `${api}/enrollments/${f.enrollmentId}/progress`;
    const own = await t.http.get(url, lea);
    expect(own.status).toBe(200);
    expect(own.body.data.hidden).toEqual([]);
    expect(own.body.data.enrollment.timeSpentSeconds).toBe(1200);
    const ownQuiz = own.body.data.modules
      .flatMap((m: { quizzes: Array<{ id: string }> }) => m.quizzes)
      .find((q: { id: string }) => q.id === f.quizId);
    expect(ownQuiz).toMatchObject({ bestScore: 82, passed: true });

    const managers = await t.http.get(url, admin);
    expect(managers.status).toBe(200);
    expect(managers.body.data.hidden).toEqual(["scores", "activity"]);
    expect(managers.body.data.enrollment).toMatchObject({
      timeSpentSeconds: null,
      lastAccessedAt: null,
    });
    const modules = managers.body.data.modules as Array<{
      timeSpentSeconds: number | null;
      lessons: Array<{ timeSpentSeconds: number | null }>;
      quizzes: Array<{ id: string; bestScore: number | null; passed: boolean | null }>;
    }>;
    expect(modules.every((m) => m.timeSpentSeconds === null)).toBe(true);
    expect(modules.flatMap((m) => m.lessons).every((l) => l.timeSpentSeconds === null)).toBe(true);
    expect(modules.flatMap((m) => m.quizzes).find((q) => q.id === f.quizId)).toMatchObject({
      bestScore: null,
      passed: null,
    });
    // Bo keeps nothing: the manager sees his study time.
    const bos = await t.http.get(`${api}/enrollments/${boEnrollmentId}/progress`, admin);
    expect(bos.body.data.hidden).toEqual([]);
    expect(bos.body.data.enrollment.timeSpentSeconds).toBe(1200);
  });
});

describe("learning gain", () => {
  it("leaves out the gains of learners who keep their scores, except from themselves", async () => {
    const { lea, bo, ivy } = people();
    const gain = (enrollmentId: string, userId: string, pre: number, post: number) => ({
      enrollment_id: enrollmentId,
      user_id: userId,
      course_id: f.courseId,
      organization_id: f.a.org.id,
      pre_quiz_id: f.quizId,
      pre_attempt_id: f.attemptId,
      pre_score: pre,
      post_quiz_id: f.quizId,
      post_attempt_id: f.attemptId,
      post_score: post,
      score_improvement: post - pre,
      percentage_gain: ((post - pre) / pre) * 100,
      normalized_gain: (post - pre) / (100 - pre),
      band: "medium" as const,
      calculated_at: new Date("2026-03-02T10:00:00Z"),
    });
    await t.system.db
      .insertInto("learning_gains")
      .values([gain(f.enrollmentId, lea.user.id, 40, 82), gain(boEnrollmentId, bo.user.id, 50, 60)])
      .execute();

    const course = await t.http.get(`${api}/courses/${f.courseId}/learning-gain`, ivy);
    expect(course.status).toBe(200);
    expect(course.body.data.learners.map((l: { userId: string }) => l.userId)).toEqual([
      bo.user.id,
    ]);
    // Lea's gain counts in no average either: the course's is Bo's alone (0.2).
    expect(course.body.data.course.averageGain).toBeCloseTo(0.2);

    const leasForIvy = await t.http.get(`${api}/enrollments/${f.enrollmentId}/learning-gain`, ivy);
    expect(leasForIvy.status).toBe(200);
    expect(leasForIvy.body.data).toBeNull();
    const own = await t.http.get(`${api}/enrollments/${f.enrollmentId}/learning-gain`, lea);
    expect(own.body.data).toMatchObject({ preScore: 40, postScore: 82 });
    const bos = await t.http.get(`${api}/enrollments/${boEnrollmentId}/learning-gain`, ivy);
    expect(bos.body.data).toMatchObject({ preScore: 50, postScore: 60 });
  });
});

describe("a certificate by id", () => {
  it("is not found for others when the holder keeps certificates; verification stays public", async () => {
    const { lea, bo, admin } = people();
    const issue = (enrollmentId: string, userId: string, number: string) => ({
      certificate_number: number,
      enrollment_id: enrollmentId,
      user_id: userId,
      course_id: f.courseId,
      organization_id: f.a.org.id,
      recipient_name: number,
      course_title: "Privacy in practice",
      issuer_name: "Enforced",
      issued_at: new Date("2026-03-02T10:00:00Z"),
      badge_data: JSON.stringify({}),
      pdf_key: `certificates/${number}.pdf`,
    });
    const [leas, bos] = await t.system.db
      .insertInto("certificates")
      .values([
        issue(f.enrollmentId, lea.user.id, "PRIV-LEA-1"),
        issue(boEnrollmentId, bo.user.id, "PRIV-BO-1"),
      ])
      .returning("id")
      .execute();
    expect((await t.http.get(`${api}/certificates/${leas!.id}`, admin)).status).toBe(200);

    const hide = await t.http.put(`${api}/users/me/privacy`, { showCertificates: false }, lea);
    expect(hide.status).toBe(200);
    const managers = await t.http.get(`${api}/certificates/${leas!.id}`, admin);
    expect(managers.status).toBe(404);
    expect(managers.body.error.code).toBe("NOT_FOUND");
    expect((await t.http.get(`${api}/certificates/${leas!.id}/pdf`, admin)).status).toBe(404);
    const own = await t.http.get(`${api}/certificates/${leas!.id}`, lea);
    expect(own.body.data).toMatchObject({ number: "PRIV-LEA-1" });
    const verified = await t.http.get(`${api}/certificates/PRIV-LEA-1/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body.data).toMatchObject({ number: "PRIV-LEA-1", status: "valid" });
    expect((await t.http.get(`${api}/certificates/${bos!.id}`, admin)).status).toBe(200);
  });
});

describe("report previews", () => {
  it("log one line per person a preview names, none for one that names no one", async () => {
    const { lea, bo, admin } = people();
    const logged = () =>
      t.system.db
        .selectFrom("privacy_access_logs")
        .select(["subject_user_id", "viewer_user_id", "detail"])
        .where("what", "=", "report-preview")
        .where("organization_id", "=", f.a.org.id)
        .execute();
    const counts = await t.http.post(
      `${api}/organizations/${f.a.org.id}/report-metadata/preview`,
      {
        dimensions: [{ entity: "course", fields: ["title"] }],
        measures: [{ id: "n", type: "count" }],
      },
      admin,
    );
    expect(counts.status).toBe(200);
    expect(await logged()).toEqual([]);
    const named = await t.http.post(
      `${api}/organizations/${f.a.org.id}/report-metadata/preview`,
      {
        dimensions: [{ entity: "learner", fields: ["name"] }],
        measures: [{ id: "n", type: "count" }],
        filters: { courseIds: [f.courseId] },
      },
      admin,
    );
    expect(named.status).toBe(200);
    const lines = await logged();
    expect(lines.map((l) => l.subject_user_id).sort()).toEqual([lea.user.id, bo.user.id].sort());
    expect(lines.every((l) => l.viewer_user_id === admin.user.id)).toBe(true);
    expect(lines[0]?.detail).toBe("preview (enrollment)");
  });
});

describe("restriction in views", () => {
  it("blanks a restricted learner's name, address, activity and department in rosters and assignments", async () => {
    const { bo, admin } = people();
    const restricted = await t.http.post(
      `${api}/organizations/${f.a.org.id}/privacy-requests`,
      { type: "restriction", userId: bo.user.id, reason: "Contests the accuracy of the records" },
      admin,
    );
    expect(restricted.status).toBe(201);

    const roster = await t.http.get(`${api}/courses/${f.courseId}/enrollments`, admin);
    expect(roster.status).toBe(200);
    const bos = roster.body.data.find((r: { userId: string }) => r.userId === bo.user.id);
    expect(bos).toMatchObject({
      restricted: true,
      activityHidden: true,
      learner: { name: null, email: null },
      timeSpentSeconds: null,
      lastAccessedAt: null,
    });
    const leas = roster.body.data.find(
      (r: { userId: string }) => r.userId === f.a.people.Lea!.user.id,
    );
    expect(leas).toMatchObject({
      restricted: false,
      activityHidden: true,
      learner: { name: "Lea Person" },
    });
    const csv = String(
      (await t.http.get(`${api}/courses/${f.courseId}/enrollments?format=csv`, admin)).body,
    );
    expect(csv).not.toContain(bo.user.email);
    expect(csv).not.toContain("Bo Person");

    const assignments = await t.http.get(
      `${api}/organizations/${f.a.org.id}/enrollments?userId=${bo.user.id}`,
      admin,
    );
    expect(assignments.body.data).toHaveLength(1);
    expect(assignments.body.data[0]).toMatchObject({
      restricted: true,
      learner: { name: null, email: null },
      department: null,
      timeSpentSeconds: null,
    });

    // Lifted, he is shown again.
    const lifted = await t.http.post(
      `${api}/organizations/${f.a.org.id}/privacy-requests/${restricted.body.data.id}/lift`,
      { note: null },
      admin,
    );
    expect(lifted.status).toBe(200);
    const again = await t.http.get(`${api}/courses/${f.courseId}/enrollments`, admin);
    expect(again.body.data.find((r: { userId: string }) => r.userId === bo.user.id)).toMatchObject({
      restricted: false,
      learner: { name: "Bo Person" },
      timeSpentSeconds: 1200,
    });
  });

  it("leaves a restricted learner out of searches, learner lists, transcripts, progress and certificates, and tells the member page", async () => {
    const { bo, lea, admin } = people();
    const org = f.a.org.id;
    // Bo completes and holds a certificate before the restriction.
    const completed = await t.http.post(`${api}/enrollments/${boEnrollmentId}/complete`, {}, admin);
    expect(completed.status).toBe(200);
    const issued = await t.http.post(`${api}/enrollments/${boEnrollmentId}/certificate`, {}, admin);
    expect(issued.status).toBe(201);
    const certificateId: string = issued.body.data.id;
    const restricted = await t.http.post(
      `${api}/organizations/${org}/privacy-requests`,
      { type: "restriction", userId: bo.user.id, reason: "Objects to the processing" },
      admin,
    );
    expect(restricted.status).toBe(201);

    // Searches by name or address do not find him; a search by course title lists his blank row.
    const ids = (res: { body: { data: Array<{ userId: string }> } }) =>
      res.body.data.map((r) => r.userId);
    expect(
      ids(await t.http.get(`${api}/courses/${f.courseId}/enrollments?search=Bo`, admin)),
    ).toEqual([]);
    expect(
      ids(
        await t.http.get(
          `${api}/courses/${f.courseId}/enrollments?search=${encodeURIComponent(bo.user.email)}`,
          admin,
        ),
      ),
    ).toEqual([]);
    expect(
      ids(await t.http.get(`${api}/courses/${f.courseId}/enrollments?search=Lea`, admin)),
    ).toEqual([lea.user.id]);
    expect(
      ids(await t.http.get(`${api}/organizations/${org}/enrollments?search=Bo%20Person`, admin)),
    ).toEqual([]);
    const byTitle = await t.http.get(
      `${api}/organizations/${org}/enrollments?search=Privacy`,
      admin,
    );
    expect(ids(byTitle).sort()).toEqual([lea.user.id, bo.user.id].sort());
    expect(ids(await t.http.get(`${api}/organizations/${org}/learners?search=Bo`, admin))).toEqual(
      [],
    );

    // The learners list keeps his row, counted, without name, address, department or score.
    const learners = await t.http.get(`${api}/organizations/${org}/learners?limit=100`, admin);
    expect(learners.status).toBe(200);
    const bos = learners.body.data.find((r: { userId: string }) => r.userId === bo.user.id);
    expect(bos).toMatchObject({
      restricted: true,
      name: null,
      email: null,
      department: null,
      averageScore: null,
      certificates: null,
      enrollments: 1,
      completed: 1,
    });
    expect(
      learners.body.data.find((r: { userId: string }) => r.userId === lea.user.id),
    ).toMatchObject({ restricted: false, name: "Lea Person" });

    // His transcript is refused; the member page says he is restricted.
    const transcript = await t.http.get(
      `${api}/organizations/${org}/reports/transcript/${bo.user.id}`,
      admin,
    );
    expect(transcript.status).toBe(403);
    expect(transcript.body.error.code).toBe("PROCESSING_RESTRICTED");
    const member = await t.http.get(`${api}/organizations/${org}/members/${bo.user.id}`, admin);
    expect(member.body.data).toMatchObject({ restricted: true, userId: bo.user.id });
    const members = await t.http.get(`${api}/organizations/${org}/members?limit=100`, admin);
    const flags = Object.fromEntries(
      members.body.data.map((m: { userId: string; restricted: boolean }) => [
        m.userId,
        m.restricted,
      ]),
    );
    expect(flags[bo.user.id]).toBe(true);
    expect(flags[lea.user.id]).toBe(false);

    // One enrollment and its progress leave out his activity and scores.
    const one = await t.http.get(`${api}/enrollments/${boEnrollmentId}`, admin);
    expect(one.body.data).toMatchObject({ timeSpentSeconds: null, lastAccessedAt: null });
    const progress = await t.http.get(`${api}/enrollments/${boEnrollmentId}/progress`, admin);
    expect(progress.status).toBe(200);
    expect(progress.body.data.hidden).toEqual(["scores", "activity"]);
    expect(progress.body.data.enrollment.timeSpentSeconds).toBeNull();

    // His certificate is left out of the course's list and not found by id, but he sees it.
    const list = await t.http.get(`${api}/courses/${f.courseId}/certificates`, admin);
    expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(certificateId);
    expect((await t.http.get(`${api}/certificates/${certificateId}`, admin)).status).toBe(404);
    expect((await t.http.get(`${api}/certificates/${certificateId}/pdf`, admin)).status).toBe(404);
    expect((await t.http.get(`${api}/certificates/${certificateId}`, bo)).status).toBe(200);

    // Lifted, everything shows again.
    const lifted = await t.http.post(
      `${api}/organizations/${org}/privacy-requests/${restricted.body.data.id}/lift`,
      { note: null },
      admin,
    );
    expect(lifted.status).toBe(200);
    const after = await t.http.get(`${api}/organizations/${org}/learners?search=Bo`, admin);
    expect(after.body.data).toMatchObject([
      { userId: bo.user.id, restricted: false, name: "Bo Person" },
    ]);
    expect(
      (await t.http.get(`${api}/organizations/${org}/reports/transcript/${bo.user.id}`, admin))
        .status,
    ).toBe(200);
    expect((await t.http.get(`${api}/certificates/${certificateId}`, admin)).status).toBe(200);
  });
});

describe("access logs of one person's views", () => {
  it("records others opening an enrollment, its progress and a certificate, and not the holder", async () => {
    const { bo, admin } = people();
    // Bo's certificate (made by the tests above), with a file to download.
    const cert = await t.system.db
      .selectFrom("certificates")
      .select(["id", "pdf_key"])
      .where("user_id", "=", bo.user.id)
      .where("course_id", "=", f.courseId)
      .executeTakeFirstOrThrow();
    await t.storage.put(cert.pdf_key, Buffer.from("%PDF-1.4\n"), "application/pdf");
    const certificateId = cert.id;
    const logged = () =>
      t.system.db
        .selectFrom("privacy_access_logs")
        .select(["what", "viewer_user_id", "subject_user_id", "detail"])
        .where("subject_user_id", "=", bo.user.id)
        .where("what", "in", ["enrollment", "progress", "certificate"])
        .orderBy("id")
        .execute();
    const before = (await logged()).length;
    expect((await t.http.get(`${api}/enrollments/${boEnrollmentId}`, admin)).status).toBe(200);
    expect((await t.http.get(`${api}/enrollments/${boEnrollmentId}/progress`, admin)).status).toBe(
      200,
    );
    expect((await t.http.get(`${api}/certificates/${certificateId}`, admin)).status).toBe(200);
    expect((await t.http.get(`${api}/certificates/${certificateId}/pdf`, admin)).status).toBe(200);
    const lines = (await logged()).slice(before);
    expect(lines.map((l) => [l.what, l.detail])).toEqual([
      ["enrollment", `enrollment ${boEnrollmentId}`],
      ["progress", `enrollment ${boEnrollmentId}`],
      ["certificate", `certificate ${certificateId}`],
      ["certificate", `certificate (pdf) ${certificateId}`],
    ]);
    expect(lines.every((l) => l.viewer_user_id === admin.user.id)).toBe(true);
    // The holder reading their own leaves nothing.
    await t.http.get(`${api}/enrollments/${boEnrollmentId}/progress`, bo);
    await t.http.get(`${api}/certificates/${certificateId}`, bo);
    expect((await logged()).length).toBe(before + 4);
  });
});
