import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, publishedCourse } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
const api = "/api/v1";

beforeAll(async () => {
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Inbox Org",
    people: [
      { key: "officer", roles: ["learner", "compliance-officer"] },
      { key: "learner", roles: ["learner"] },
      { key: "other", roles: ["learner"] },
    ],
  });
});

afterAll(() => t?.close());

describe("the approvals inbox and the execution view", () => {
  it("says what is asked, whom it is about, what the caller may do, and links the notices", async () => {
    const course = await publishedCourse(t, {
      code: "FIRE-1",
      title: "Fire drill",
      instructorId: a.people.admin.user.id,
      organizationId: a.org.id,
    });
    const requirement = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/requirements`,
      { name: "Fire safety", jurisdiction: "DE", courseId: course.id, dueDays: 30 },
      a.people.officer!,
    );
    expect(requirement.status).toBe(201);
    const learner = a.people.learner!;
    const requested = await t.http.post(
      `${api}/organizations/${a.org.id}/compliance/exemption-requests`,
      { requirementId: requirement.body.data.id, userId: learner.user.id, reason: "Warden" },
      learner,
    );
    expect(requested.status).toBe(201);
    const executionId = requested.body.data.execution.id as string;
    const subjectName = "learner Person";

    const mine = await t.http.get(`${api}/workflow-approvals/mine`, a.people.officer!);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([
      expect.objectContaining({
        id: executionId,
        status: "awaiting-approval",
        summary: `Exemption of ${subjectName} from Fire safety`,
        subjectName,
        escalationLevel: 0,
      }),
    ]);
    expect((await t.http.get(`${api}/workflow-approvals/mine`, learner)).body.data).toEqual([]);

    const asOfficer = await t.http.get(
      `${api}/workflow-executions/${executionId}`,
      a.people.officer!,
    );
    expect(asOfficer.body.data).toMatchObject({
      summary: `Exemption of ${subjectName} from Fire safety`,
      subjectName,
      abilities: { decide: true, cancel: false },
    });
    const asLearner = await t.http.get(`${api}/workflow-executions/${executionId}`, learner);
    expect(asLearner.body.data.abilities).toEqual({ decide: false, cancel: false });
    const asAdmin = await t.http.get(`${api}/workflow-executions/${executionId}`, a.people.admin);
    expect(asAdmin.body.data.abilities).toMatchObject({ cancel: true });

    const asked = await t.system.db
      .selectFrom("notifications")
      .select("action_url")
      .where("user_id", "=", a.people.officer!.user.id)
      .where("type", "=", "workflow-approval-requested")
      .execute();
    expect(asked.map((n) => n.action_url)).toEqual(["/approvals"]);

    const rejected = await t.http.post(
      `${api}/workflow-executions/${executionId}/reject`,
      { note: "Not a warden here" },
      a.people.officer!,
    );
    expect(rejected.status).toBe(200);
    expect(
      (await t.http.get(`${api}/workflow-approvals/mine`, a.people.officer!)).body.data,
    ).toEqual([]);
    const after = await t.http.get(`${api}/workflow-executions/${executionId}`, a.people.admin);
    expect(after.body.data).toMatchObject({
      status: "rejected",
      abilities: { decide: false, cancel: false },
    });
    const decided = await t.system.db
      .selectFrom("notifications")
      .select("action_url")
      .where("user_id", "=", learner.user.id)
      .where("type", "=", "workflow-decided")
      .execute();
    expect(decided.map((n) => n.action_url)).toEqual([`/workflows/executions/${executionId}`]);
  });
});
