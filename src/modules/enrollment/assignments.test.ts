import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeOrganization,
  publishedCourse as makePublishedCourse,
  signIn,
} from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { addTeamMember, createDepartment, createTeam } from "../organizations/structure.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let other: Awaited<ReturnType<typeof makeOrganization>>;
let safety: { id: string };
let privacy: { id: string };
let ids = {} as Record<
  "anaSafety" | "benSafety" | "cySafety" | "anaPrivacy" | "benPrivacy" | "cyPrivacy",
  string
>;

const list = (query: string, as = w.people.admin) =>
  t.http.get(`/api/v1/organizations/${w.org.id}/enrollments?${query}`, as);
type Row = {
  id: string;
  userId: string;
  overdue: boolean;
  dueAt: string | null;
  learner: { name: string };
  course: { title: string };
  department: { name: string } | null;
};
const learners = (rows: Row[]) => rows.map((r) => r.learner.name).sort();

beforeAll(async () => {
  // 2026-03-02 09:00 UTC
  t = await createTestApp();
  w = await makeOrganization(t, {
    name: "Assigning Org",
    people: [
      { key: "ana", roles: ["learner"] },
      { key: "ben", roles: ["learner"] },
      { key: "cy", roles: ["learner"] },
      { key: "manager", roles: ["learner", "manager"] },
      { key: "deptAdmin", roles: ["learner", "department-admin"] },
    ],
  });
  const salesDept = await createDepartment(t.system, w.org.id, { name: "Sales" });
  const opsDept = await createDepartment(t.system, w.org.id, { name: "Ops" });
  const { updateMember } = await import("../organizations/members.js");
  for (const [key, dept] of [
    ["ana", salesDept.id],
    ["ben", opsDept.id],
    ["deptAdmin", salesDept.id],
  ] as const) {
    await updateMember(t.system, w.org.id, w.people[key]!.user.id, { departmentId: dept });
  }
  const team = await createTeam(t.system, w.org.id, {
    name: "Night shift",
    managerUserId: w.people.manager!.user.id,
  });
  await addTeamMember(t.system, w.org.id, team.id, w.people.cy!.user.id);
  other = await makeOrganization(t, {
    name: "Other Org",
    people: [{ key: "x", roles: ["learner"] }],
  });

  safety = await makePublishedCourse(t, {
    code: "SAFE-1",
    title: "Workplace safety",
    description: "Safety rules every employee must know before working on site.",
    instructorId: w.people.admin.user.id,
    organizationId: w.org.id,
  });
  privacy = await makePublishedCourse(t, {
    code: "PRIV-1",
    title: "Data privacy",
    description: "How personal data is collected, kept and protected at work.",
    instructorId: w.people.admin.user.id,
    organizationId: w.org.id,
  });
  const assign = async (userKeys: string[], body: Record<string, unknown>) => {
    const res = await t.http.post(
      `/api/v1/organizations/${w.org.id}/enrollments`,
      { userIds: userKeys.map((k) => w.people[k]!.user.id), ...body },
      w.people.admin,
    );
    expect(res.status).toBe(200);
    return res.body.data as Array<{ userId: string; enrollmentId: string }>;
  };
  // Due on 2026-03-05: overdue once the clock passes it.
  const early = await assign(["ana", "ben", "cy"], {
    courseId: safety.id,
    dueAt: "2026-03-05T17:00:00Z",
    isCompliance: true,
  });
  // Due on 2026-03-20, no flags; and one undated.
  const late = await assign(["ana", "ben"], {
    courseId: privacy.id,
    dueAt: "2026-03-20T17:00:00Z",
  });
  const undated = await assign(["cy"], { courseId: privacy.id, isMandatory: true });
  ids = {
    anaSafety: early[0]!.enrollmentId,
    benSafety: early[1]!.enrollmentId,
    cySafety: early[2]!.enrollmentId,
    anaPrivacy: late[0]!.enrollmentId,
    benPrivacy: late[1]!.enrollmentId,
    cyPrivacy: undated[0]!.enrollmentId,
  };
  // Ana completes her safety training; the clock then moves past its due date.
  const done = await t.http.post(
    `/api/v1/enrollments/${ids.anaSafety}/complete`,
    {},
    w.people.admin,
  );
  expect(done.status).toBe(200);
  t.clock.set("2026-03-10T09:00:00Z");
  // Sessions signed in a week ago have expired: sign everyone in again.
  for (const org of [w, other])
    for (const person of Object.values(org.people))
      Object.assign(person, await signIn(t, person.user.email));
});
afterAll(() => t.close());

describe("the organization's assignments", () => {
  it("lists who is overdue: open enrollments past their due date, not completed ones", async () => {
    const res = await list("due=overdue");
    expect(res.status).toBe(200);
    expect(res.body.meta.pagination.total).toBe(2);
    const rows = res.body.data as Row[];
    expect(learners(rows)).toEqual(["ben Person", "cy Person"]);
    expect(rows.every((r) => r.overdue && r.course.title === "Workplace safety")).toBe(true);
    expect(rows.find((r) => r.userId === w.people.ben!.user.id)?.department?.name).toBe("Ops");
  });

  it("marks overdue rows in the full list and sorts by due date with undated ones last", async () => {
    const rows = (await list("sort=dueAt&limit=100")).body.data as Row[];
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.dueAt?.slice(0, 10) ?? null)).toEqual([
      "2026-03-05",
      "2026-03-05",
      "2026-03-05",
      "2026-03-20",
      "2026-03-20",
      null,
    ]);
    const desc = (await list("sort=-dueAt&limit=100")).body.data as Row[];
    expect(desc.at(-1)?.dueAt).toBeNull();
    expect(desc[0]?.dueAt?.slice(0, 10)).toBe("2026-03-20");
    const ana = rows.find((r) => r.id === ids.anaSafety);
    expect(ana?.overdue).toBe(false);
  });

  it("filters by due soon, flags, course, department, team and search", async () => {
    expect(learners((await list("due=due-soon")).body.data)).toEqual(["ana Person", "ben Person"]);
    expect((await list("due=undated")).body.data.map((r: Row) => r.id)).toEqual([ids.cyPrivacy]);
    expect((await list("required=compliance")).body.meta.pagination.total).toBe(3);
    expect((await list("required=mandatory")).body.meta.pagination.total).toBe(1);
    expect((await list("required=either")).body.meta.pagination.total).toBe(4);
    expect((await list(`courseId=${privacy.id}`)).body.meta.pagination.total).toBe(3);
    const sales = (await list("search=ana")).body.data as Row[];
    expect(sales.map((r) => r.course.title).sort()).toEqual(["Data privacy", "Workplace safety"]);
    expect((await list("search=privacy")).body.meta.pagination.total).toBe(3);
    expect((await list("status=completed")).body.data.map((r: Row) => r.id)).toEqual([
      ids.anaSafety,
    ]);
    expect((await list("assigned=true")).body.meta.pagination.total).toBe(6);
    expect((await list("due=late")).status).toBe(400);
  });

  it("shows department administrators their departments and managers their teams, learners themselves", async () => {
    expect(learners((await list("limit=100", w.people.deptAdmin)).body.data)).toEqual([
      "ana Person",
      "ana Person",
    ]);
    expect(learners((await list("limit=100", w.people.manager)).body.data)).toEqual([
      "cy Person",
      "cy Person",
    ]);
    // A learner reads their own enrollments only.
    const own = (await list("limit=100", w.people.ana)).body.data as Row[];
    expect(own.map((r) => r.userId)).toEqual([w.people.ana!.user.id, w.people.ana!.user.id]);
  });

  it("refuses another organization's readers and ids", async () => {
    const res = await t.http.get(
      `/api/v1/organizations/${w.org.id}/enrollments`,
      other.people.admin,
    );
    expect([403, 404]).toContain(res.status);
    const foreign = await t.http.get(
      `/api/v1/organizations/${other.org.id}/enrollments?courseId=${safety.id}`,
      other.people.admin,
    );
    expect(foreign.status).toBe(404);
    const mine = await t.http.get(
      `/api/v1/organizations/${other.org.id}/enrollments`,
      other.people.admin,
    );
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([]);
  });
});

describe("changing an assignment", () => {
  it("moves a due date, which takes the person off the overdue list, and audits it", async () => {
    const res = await t.http.patch(
      `/api/v1/enrollments/${ids.benSafety}`,
      { dueAt: "2026-03-31T17:00:00Z", isMandatory: true },
      w.people.admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ dueAt: "2026-03-31T17:00:00.000Z", isMandatory: true });
    expect(learners((await list("due=overdue")).body.data)).toEqual(["cy Person"]);
    const logged = await t.system.db
      .selectFrom("audit_logs")
      .select(["before", "after", "organization_id"])
      .where("action", "=", "enrollment.update")
      .where("entity_id", "=", ids.benSafety)
      .executeTakeFirstOrThrow();
    expect(logged.organization_id).toBe(w.org.id);
    expect(logged.after).toMatchObject({ is_mandatory: true });
    expect(logged.before).toMatchObject({ is_mandatory: false });
  });

  it("removes a due date with null and refuses empty or unknown fields", async () => {
    const cleared = await t.http.patch(
      `/api/v1/enrollments/${ids.benPrivacy}`,
      { dueAt: null },
      w.people.admin,
    );
    expect(cleared.body.data.dueAt).toBeNull();
    expect(
      (await t.http.patch(`/api/v1/enrollments/${ids.benPrivacy}`, {}, w.people.admin)).status,
    ).toBe(400);
    const unknown = await t.http.patch(
      `/api/v1/enrollments/${ids.benPrivacy}`,
      { status: "completed" },
      w.people.admin,
    );
    expect(unknown.status).toBe(400);
    const row = await t.system.db
      .selectFrom("enrollments")
      .select("status")
      .where("id", "=", ids.benPrivacy)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("active");
  });

  it("lets department administrators change their departments only; learners and outsiders never", async () => {
    const own = await t.http.patch(
      `/api/v1/enrollments/${ids.anaPrivacy}`,
      { dueAt: "2026-04-01T00:00:00Z" },
      w.people.deptAdmin,
    );
    expect(own.status).toBe(200);
    const outside = await t.http.patch(
      `/api/v1/enrollments/${ids.cyPrivacy}`,
      { dueAt: "2026-04-01T00:00:00Z" },
      w.people.deptAdmin,
    );
    expect(outside.status).toBe(404);
    const self = await t.http.patch(
      `/api/v1/enrollments/${ids.cySafety}`,
      { dueAt: null },
      w.people.cy,
    );
    expect(self.status).toBe(403);
    const foreign = await t.http.patch(
      `/api/v1/enrollments/${ids.cySafety}`,
      { dueAt: null },
      other.people.admin,
    );
    expect([403, 404]).toContain(foreign.status);
    const row = await t.system.db
      .selectFrom("enrollments")
      .select(["due_at"])
      .where("id", "=", ids.cySafety)
      .executeTakeFirstOrThrow();
    expect(row.due_at?.toISOString()).toBe("2026-03-05T17:00:00.000Z");
  });

  it("refuses to change a dropped enrollment", async () => {
    await t.http.post(`/api/v1/enrollments/${ids.cyPrivacy}/drop`, {}, w.people.admin);
    const res = await t.http.patch(
      `/api/v1/enrollments/${ids.cyPrivacy}`,
      { dueAt: null },
      w.people.admin,
    );
    expect(res.status).toBe(422);
  });
});
