import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishedCourse } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { privacyFixture } from "../../../test/privacy-fixture.js";
import { evaluateCompliance } from "../compliance/evaluate.js";
import { notify } from "../notifications/notify.js";
import { processNextReportJob } from "../reports/runner.js";

/**
 * Privacy settings and restriction enforced where people's data reaches someone else
 * (docs/privacy.md): reports (preview and file), rosters, enrollment lists and certificate
 * lists hide what the learner keeps; grading views keep scores for the course's staff; a
 * restricted person gets no notification and no new assignment; exports are access-logged.
 */

let t: TestApp;
let a: Awaited<ReturnType<typeof privacyFixture>>["a"];
let courseId: string;
let quizId: string;
let enrollmentId: string;

const api = "/api/v1";

beforeAll(async () => {
  t = await createTestApp();
  ({ a, courseId, quizId, enrollmentId } = await privacyFixture(t));
});
afterAll(() => t.close());

const byLearner = {
  dimensions: [{ entity: "learner", fields: ["name"] }],
  measures: [{ id: "avg", type: "avg-score" }],
  display: { sortBy: "learner.name" },
};

describe("privacy settings in manager views and reports", () => {
  it("blanks the hidden score in a manager's report preview (filters included), shown again once allowed", async () => {
    const res = await t.http.post(
      `${api}/organizations/${a.org.id}/report-metadata/preview`,
      byLearner,
      a.people.admin,
    );
    expect(res.status).toBe(200);
    const rows = res.body.data.rows as Array<{ values: Record<string, unknown> }>;
    expect(rows.map((r) => r.values)).toEqual([{ "learner.name": "Lea Person", avg: null }]);
    // Filtering by the score cannot reveal it either.
    const filtered = await t.http.post(
      `${api}/organizations/${a.org.id}/report-metadata/preview`,
      { ...byLearner, filters: { scoreRange: { min: 80 } } },
      a.people.admin,
    );
    expect(filtered.body.data.rows).toEqual([]);
    // Shown again once the learner allows it.
    await t.http.put(`${api}/users/me/privacy`, { showScores: true }, a.people.Lea!);
    const shown = await t.http.post(
      `${api}/organizations/${a.org.id}/report-metadata/preview`,
      byLearner,
      a.people.admin,
    );
    expect(shown.body.data.rows[0].values).toEqual({ "learner.name": "Lea Person", avg: 82 });
    await t.http.put(`${api}/users/me/privacy`, { showScores: false }, a.people.Lea!);
  });

  it("writes an export without the hidden study time, and logs who exported whom", async () => {
    const queued = await t.http.post(
      `${api}/organizations/${a.org.id}/report-jobs`,
      {
        name: "Study time",
        outputFormat: "csv",
        definition: {
          dimensions: [{ entity: "learner", fields: ["name"] }],
          measures: [{ id: "study", type: "avg-study-time" }],
          display: { sortBy: "learner.name" },
        },
      },
      a.people.admin,
    );
    expect(queued.status).toBe(201);
    const job = await processNextReportJob(t.lyceum.services, "privacy-test");
    expect(job?.status).toBe("ready");
    const file = await t.lyceum.services.storage.get(job?.file_key as string);
    const lines = file?.toString("utf8").trim().split(/\r?\n/) ?? [];
    const lea = lines.find((l) => l.includes("Lea Person"));
    const bo = lines.find((l) => l.includes("Bo Person"));
    expect(lea).toBeDefined();
    expect(lea).toBe(",Lea Person,");
    expect(bo).toBe(",Bo Person,1200");
    const logged = await t.system.db
      .selectFrom("privacy_access_logs")
      .select(["subject_user_id", "viewer_user_id", "detail"])
      .where("what", "=", "report-export")
      .where("organization_id", "=", a.org.id)
      .execute();
    expect(logged.map((r) => r.subject_user_id).sort()).toEqual(
      [a.people.Lea!.user.id, a.people.Bo!.user.id].sort(),
    );
    expect(logged.every((r) => r.viewer_user_id === a.people.admin.user.id)).toBe(true);
    expect(logged[0]?.detail).toBe("Study time (csv)");
  });

  it("blanks study time and last visit in the roster (JSON and CSV) and enrollment lists, not for the learner", async () => {
    const lea = a.people.Lea!.user.id;
    const roster = await t.http.get(`${api}/courses/${courseId}/enrollments`, a.people.admin);
    expect(roster.status).toBe(200);
    const mine = roster.body.data.find((r: { userId: string }) => r.userId === lea);
    expect(mine).toMatchObject({ timeSpentSeconds: null, lastAccessedAt: null });
    const other = roster.body.data.find(
      (r: { userId: string }) => r.userId === a.people.Bo!.user.id,
    );
    expect(other.timeSpentSeconds).toBe(1200);
    const csv = await t.http.get(
      `${api}/courses/${courseId}/enrollments?format=csv`,
      a.people.admin,
    );
    const leaLine = String(csv.body)
      .split(/\r?\n/)
      .find((l) => l.startsWith("Lea Person"));
    expect(leaLine?.split(",").slice(8, 10)).toEqual(["", ""]);
    const rosterLogs = await t.system.db
      .selectFrom("privacy_access_logs")
      .select("subject_user_id")
      .where("what", "=", "roster")
      .where("viewer_user_id", "=", a.people.admin.user.id)
      .execute();
    expect(rosterLogs.map((r) => r.subject_user_id)).toContain(lea);
    const assignments = await t.http.get(
      `${api}/organizations/${a.org.id}/enrollments?userId=${lea}`,
      a.people.admin,
    );
    expect(assignments.body.data[0]).toMatchObject({ timeSpentSeconds: null });
    // The learner sees their own.
    const own = await t.http.get(`${api}/enrollments/${enrollmentId}`, a.people.Lea!);
    expect(own.body.data).toMatchObject({ timeSpentSeconds: 1200 });
    const managers = await t.http.get(`${api}/enrollments/${enrollmentId}`, a.people.admin);
    expect(managers.body.data).toMatchObject({ timeSpentSeconds: null });
  });

  it("hides the score in the learners list; the grading instructor keeps it in the quiz results", async () => {
    const list = await t.http.get(`${api}/organizations/${a.org.id}/learners`, a.people.admin);
    const row = list.body.data.find((r: { userId: string }) => r.userId === a.people.Lea!.user.id);
    expect(row.averageScore).toBeNull();
    const results = await t.http.get(`${api}/quizzes/${quizId}/results`, a.people.Ivy!);
    expect(results.status).toBe(200);
    expect(results.body.data).toMatchObject([{ userId: a.people.Lea!.user.id, bestScore: 82 }]);
  });
});

describe("restriction", () => {
  it("stops notifications, bulk assignment and new compliance assignments; blanks report fields", async () => {
    const bo = a.people.Bo!.user.id;
    const restricted = await t.http.post(
      `${api}/organizations/${a.org.id}/privacy-requests`,
      { type: "restriction", userId: bo, reason: "Contests the accuracy of the records" },
      a.people.admin,
    );
    expect(restricted.status).toBe(201);

    const told = await notify(t.system, {
      userId: bo,
      organizationId: a.org.id,
      type: "compliance-due-soon",
      variables: { courseTitle: "Privacy in practice", requirementName: "GDPR", dueAt: "soon" },
    });
    expect(told).toBeNull();
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select("id")
      .where("to_address", "=", a.people.Bo!.user.email)
      .where("subject", "ilike", "%due%")
      .execute();
    expect(mails).toEqual([]);

    const second = await publishedCourse(t, {
      code: "PRIV-2",
      title: "Second course",
      instructorId: a.people.Ivy!.user.id,
      organizationId: a.org.id,
    });
    const bulk = await t.http.post(
      `${api}/organizations/${a.org.id}/enrollments`,
      { userIds: [bo, a.people.Ivy!.user.id], courseId: second.id },
      a.people.admin,
    );
    expect(bulk.body.data).toMatchObject([
      { userId: bo, result: "refused", error: { code: "CONFLICT" } },
      { userId: a.people.Ivy!.user.id, result: "enrolled" },
    ]);

    const requirement = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/requirements`,
      {
        name: "Privacy basics",
        jurisdiction: "EU",
        complianceType: "gdpr",
        requirements: "Everyone knows the basics of data protection.",
        auditFrequency: "annually",
        retentionDays: 3650,
        courseId: second.id,
        dueDays: 30,
      },
      a.people.admin,
    );
    expect(requirement.status).toBe(201);
    const rule = await t.http.post(
      `${api}/compliance-requirements/${requirement.body.data.id}/rules`,
      { scope: "everyone", trigger: "join-date" },
      a.people.admin,
    );
    expect(rule.status).toBe(201);
    await evaluateCompliance(t.system, a.org.id);
    const assigned = await t.system.db
      .selectFrom("compliance_assignments")
      .select("user_id")
      .where("requirement_id", "=", requirement.body.data.id)
      .execute();
    const people = assigned.map((r) => r.user_id);
    expect(people).toContain(a.people.Lea!.user.id);
    expect(people).not.toContain(bo);

    const preview = await t.http.post(
      `${api}/organizations/${a.org.id}/report-metadata/preview`,
      {
        dimensions: [{ entity: "learner", fields: ["name", "email"] }],
        measures: [{ id: "n", type: "count" }],
        filters: { courseIds: [courseId] },
        display: { sortBy: "learner.name" },
      },
      a.people.admin,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.data.rows.map((r: { values: unknown }) => r.values)).toEqual(
      expect.arrayContaining([
        { "learner.name": "Lea Person", "learner.email": a.people.Lea!.user.email, n: 1 },
        { "learner.name": null, "learner.email": null, n: 1 },
      ]),
    );
  });
});
