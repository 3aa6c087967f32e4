import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, publishedCourse } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { updateMember } from "../organizations/members.js";
import { addTeamMember, createDepartment, createTeam } from "../organizations/structure.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let other: Awaited<ReturnType<typeof makeOrganization>>;
let safetyId = "";

type Summary = {
  userId: string;
  name: string;
  enrollments: number;
  completed: number;
  averageProgress: number;
  overdue: number;
  compliance: { required: number; overdue: number };
  averageScore: number | null;
  certificates: number;
  department: { name: string } | null;
};
const list = async (query: string, as = w.people.admin) => {
  const res = await t.http.get(`/api/v1/organizations/${w.org.id}/learners?${query}`, as);
  return res;
};
const names = (rows: Summary[]) => rows.map((r) => r.name);

beforeAll(async () => {
  // 2026-03-02 09:00 UTC: due dates before it are past.
  t = await createTestApp();
  w = await makeOrganization(t, {
    name: "Summary Org",
    people: [
      { key: "Ana", roles: ["learner"] },
      { key: "Ben", roles: ["learner"] },
      { key: "Cy", roles: ["learner"] },
      { key: "Max", roles: ["learner", "manager"] },
      { key: "Dee", roles: ["learner", "department-admin"] },
    ],
  });
  other = await makeOrganization(t, { name: "Elsewhere" });
  const wards = await createDepartment(t.system, w.org.id, { name: "Wards" });
  for (const key of ["Ben", "Dee"])
    await updateMember(t.system, w.org.id, w.people[key]!.user.id, { departmentId: wards.id });
  const team = await createTeam(t.system, w.org.id, {
    name: "Nights",
    managerUserId: w.people.Max!.user.id,
  });
  await addTeamMember(t.system, w.org.id, team.id, w.people.Ana!.user.id);
  const course = (code: string, title: string) =>
    publishedCourse(t, {
      code,
      title,
      instructorId: w.people.admin.user.id,
      organizationId: w.org.id,
    });
  safetyId = (await course("SAFE", "Safety")).id;
  const privacy = await course("PRIV", "Privacy");
  const assign = async (keys: string[], body: Record<string, unknown>) => {
    const res = await t.http.post(
      `/api/v1/organizations/${w.org.id}/enrollments`,
      { userIds: keys.map((k) => w.people[k]!.user.id), ...body },
      w.people.admin,
    );
    return res.body.data as Array<{ enrollmentId: string }>;
  };
  // Safety was due on 1 March (compliance); privacy is due in April.
  await assign(["Ana", "Ben"], {
    courseId: safetyId,
    dueAt: "2026-03-01T17:00:00Z",
    isCompliance: true,
  });
  const [anaPrivacy] = await assign(["Ana", "Cy"], {
    courseId: privacy.id,
    dueAt: "2026-04-30T17:00:00Z",
  });
  await t.http.post(`/api/v1/enrollments/${anaPrivacy!.enrollmentId}/complete`, {}, w.people.admin);
});
afterAll(() => t.close());

describe("where each learner stands", () => {
  it("counts each member's enrollments, overdue and compliance training", async () => {
    const res = await list("limit=100");
    expect(res.status).toBe(200);
    const rows = res.body.data as Summary[];
    // By last name, then first.
    expect(names(rows)).toEqual([
      "Org Admin",
      "Ana Person",
      "Ben Person",
      "Cy Person",
      "Dee Person",
      "Max Person",
    ]);
    const ana = rows[1]!;
    expect(ana).toMatchObject({
      enrollments: 2,
      completed: 1,
      averageProgress: 50,
      overdue: 1,
      compliance: { required: 1, overdue: 1 },
      averageScore: null,
      // Completing the privacy course issued its certificate.
      certificates: 1,
      department: null,
    });
    expect(rows[2]).toMatchObject({
      enrollments: 1,
      overdue: 1,
      compliance: { required: 1, overdue: 1 },
      department: { name: "Wards" },
    });
    expect(rows[3]).toMatchObject({ enrollments: 1, overdue: 0, compliance: { required: 0 } });
    expect(rows[0]).toMatchObject({ enrollments: 0, completed: 0, averageProgress: 0 });
  });

  it("keeps those with something overdue, sorts by it, and searches", async () => {
    expect(names((await list("overdue=true")).body.data)).toEqual(["Ana Person", "Ben Person"]);
    const sorted = (await list("sort=-overdue&limit=2")).body;
    expect(sorted.data.map((r: Summary) => r.overdue)).toEqual([1, 1]);
    expect(sorted.meta.pagination.total).toBe(6);
    const byProgress = (await list("sort=-progress&limit=1")).body.data as Summary[];
    expect(byProgress[0]?.name).toBe("Ana Person");
    expect(names((await list("search=cy")).body.data)).toEqual(["Cy Person"]);
  });

  it("shows managers their team, department administrators their department, learners themselves", async () => {
    // Managers also see themselves (every learner reads their own).
    expect(names((await list("", w.people.Max)).body.data)).toEqual(["Ana Person", "Max Person"]);
    expect(names((await list("", w.people.Dee)).body.data)).toEqual(["Ben Person", "Dee Person"]);
    // A learner reads only their own line.
    expect(names((await list("", w.people.Cy)).body.data)).toEqual(["Cy Person"]);
  });

  it("refuses another organization's readers and does not count its enrollments", async () => {
    const res = await t.http.get(`/api/v1/organizations/${w.org.id}/learners`, other.people.admin);
    expect([403, 404]).toContain(res.status);
    const mine = await t.http.get(
      `/api/v1/organizations/${other.org.id}/learners`,
      other.people.admin,
    );
    expect(names(mine.body.data)).toEqual(["Org Admin"]);
    expect(mine.body.data[0].enrollments).toBe(0);
  });

  it("gives one learner's transcript with each course's status and due date", async () => {
    const res = await t.http.get(
      `/api/v1/organizations/${w.org.id}/reports/transcript/${w.people.Ana!.user.id}`,
      w.people.Max,
    );
    expect(res.status).toBe(200);
    const safety = res.body.data.courses.find((c: { courseId: string }) => c.courseId === safetyId);
    expect(safety).toMatchObject({ status: "active", compliance: true, certificate: null });
    const hidden = await t.http.get(
      `/api/v1/organizations/${w.org.id}/reports/transcript/${w.people.Ben!.user.id}`,
      w.people.Max,
    );
    expect(hidden.status).toBe(404);
  });
});
