import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, publishedCourse, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { expectBaseRefused } from "../../../test/report-bases.js";
import { evaluateCompliance } from "../compliance/evaluate.js";
import { updateMember } from "../organizations/members.js";
import { addMember } from "../organizations/service.js";
import { createDepartment } from "../organizations/structure.js";
import { PREDEFINED } from "./predefined.js";

/**
 * The compliance-assignment base: requirements, rules and people set up through the compliance
 * API, assignments completed, exempted or left to run late, the clock moved, and the report
 * engine's figures compared with the compliance status and summary the compliance API gives.
 */

let t: TestApp;
let a: Awaited<ReturnType<typeof makeOrganization>>;
let b: Awaited<ReturnType<typeof makeOrganization>>;
let admin: { token?: string };
const api = "/api/v1";
const people: Record<string, { id: string }> = {};
const departments: Record<string, { id: string }> = {};
const requirements: Record<string, string> = {};

type Row = { values: Record<string, unknown>; kind: string };

async function setClock(at: string) {
  t.clock.set(at);
  admin = await signIn(t, a.people.admin.user.email);
}

async function join(orgId: string, key: string, departmentId: string) {
  const user = await makeUser(t, { firstName: key, lastName: "Person" });
  await addMember(t.system, orgId, { userId: user.id, roleKeys: ["learner"], departmentId });
  await updateMember(t.system, orgId, user.id, { hireDate: "2026-03-01" });
  people[key] = user;
  return user;
}

async function requirement(
  orgId: string,
  creds: { token?: string },
  name: string,
  courseId: string,
  departmentId: string,
  extra: Record<string, unknown> = {},
) {
  const res = await t.http.post(
    `${api}/organizations/${orgId}/compliance/requirements`,
    { name, jurisdiction: "EU", courseId, dueDays: 30, ...extra },
    creds,
  );
  expect(res.status).toBe(201);
  const rule = await t.http.post(
    `${api}/compliance-requirements/${res.body.data.id}/rules`,
    { scope: "department", departmentId, trigger: "hire-date" },
    creds,
  );
  expect(rule.status).toBe(201);
  return res.body.data.id as string;
}

async function complete(
  key: string,
  requirementKey: string,
  completedAt: string,
  expiresAt: string,
) {
  await t.system.db
    .updateTable("compliance_assignments")
    .set({
      status: "completed",
      completed_at: new Date(completedAt),
      expires_at: new Date(expiresAt),
    })
    .where("user_id", "=", people[key]!.id)
    .where("requirement_id", "=", requirements[requirementKey]!)
    .execute();
}

async function preview(definition: unknown, as = admin, orgId = a.org.id) {
  const res = await t.http.post(
    `${api}/organizations/${orgId}/report-metadata/preview?limit=100`,
    definition,
    as,
  );
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { base: string; rows: Row[] };
}

async function summary(by: "requirement" | "department") {
  const res = await t.http.get(
    `${api}/organizations/${a.org.id}/compliance/summary?by=${by}`,
    admin,
  );
  expect(res.status).toBe(200);
  return res.body.data as Array<{
    id: string | null;
    name: string | null;
    counts: Record<string, number>;
    total: number;
    score: number | null;
    violations: number;
  }>;
}

const measures = [
  { id: "assignments", type: "compliance-assignments" },
  { id: "compliant", type: "compliant-count" },
  { id: "overdue", type: "overdue-count" },
  { id: "expired", type: "expired-count" },
  { id: "exempt", type: "exempt-count" },
  { id: "score", type: "compliance-score" },
  { id: "violations", type: "violations" },
];

const byRequirement = {
  dimensions: [{ entity: "compliance", fields: ["requirement"] }],
  measures,
  display: { sortBy: "compliance.requirement" },
};

/** The report's rows per group, in the summary's shape. */
function asSummary(rows: Row[], key: string) {
  return rows
    .filter((r) => r.kind === "detail")
    .map((r) => ({
      name: r.values[key],
      counts: {
        compliant: r.values.compliant,
        overdue: r.values.overdue,
        expired: r.values.expired,
        exempt: r.values.exempt,
      },
      total: r.values.assignments,
      score: r.values.score,
      violations: r.values.violations,
    }));
}

function summaryShape(rows: Awaited<ReturnType<typeof summary>>) {
  return rows.map((s) => ({
    name: s.name,
    counts: {
      compliant: s.counts.compliant,
      overdue: s.counts.overdue,
      expired: s.counts.expired,
      exempt: s.counts.exempt,
    },
    total: s.total,
    score: s.score,
    violations: s.violations,
  }));
}

beforeAll(async () => {
  // 2026-03-02 09:00 UTC
  t = await createTestApp();
  a = await makeOrganization(t, {
    name: "Compliance Report Org",
    people: [{ key: "viewer", roles: ["report-viewer"] }],
  });
  b = await makeOrganization(t, { name: "Other Compliance Org" });
  admin = a.people.admin;
  departments.sales = await createDepartment(t.system, a.org.id, { name: "Sales" });
  departments.ops = await createDepartment(t.system, a.org.id, { name: "Ops" });
  departments.foreign = await createDepartment(t.system, b.org.id, { name: "Foreign" });
  const course = await publishedCourse(t, {
    code: "AML-1",
    title: "Anti money laundering",
    instructorId: a.people.admin.user.id,
    organizationId: a.org.id,
  });
  const foreignCourse = await publishedCourse(t, {
    code: "FX-1",
    title: "Foreign course",
    instructorId: b.people.admin.user.id,
    organizationId: b.org.id,
  });
  requirements.aml = await requirement(
    a.org.id,
    admin,
    "Anti money laundering",
    course.id,
    departments.sales.id,
    { complianceType: "industry-standards" },
  );
  requirements.privacy = await requirement(
    a.org.id,
    admin,
    "Data privacy",
    course.id,
    departments.ops.id,
    { complianceType: "data-privacy", jurisdiction: "DE" },
  );
  requirements.foreign = await requirement(
    b.org.id,
    b.people.admin,
    "Foreign rule",
    foreignCourse.id,
    departments.foreign.id,
  );
  for (const key of ["Ana", "Ben", "Cem", "Dora"]) await join(a.org.id, key, departments.sales.id);
  for (const key of ["Olga", "Pia"]) await join(a.org.id, key, departments.ops.id);
  for (const key of ["Xena", "Yuri"]) await join(b.org.id, key, departments.foreign.id);
  await evaluateCompliance(t.system, a.org.id);
  await evaluateCompliance(t.system, b.org.id);
  // Ana completed for a year, Ben until mid-April, Pia for a year; Cem is exempt; Dora and
  // Olga have not started (due 2026-03-31).
  await complete("Ana", "aml", "2026-03-10T10:00:00Z", "2027-03-10T10:00:00Z");
  await complete("Ben", "aml", "2026-03-10T10:00:00Z", "2026-04-15T00:00:00Z");
  await complete("Pia", "privacy", "2026-03-11T10:00:00Z", "2027-03-11T10:00:00Z");
  await t.system.db
    .insertInto("compliance_exemptions")
    .values({
      organization_id: a.org.id,
      requirement_id: requirements.aml!,
      user_id: people.Cem!.id,
      reason: "Works part time abroad",
      approved_by: a.people.admin.user.id,
    })
    .execute();
});

afterAll(async () => {
  await t?.close();
});

describe("the compliance-assignment report base", () => {
  it("gives each person's status as the compliance status does, by the injected clock", async () => {
    await setClock("2026-03-20T09:00:00Z");
    const report = await preview({
      dimensions: [
        {
          entity: "compliance",
          fields: ["requirement", "type", "jurisdiction", "status", "cycle"],
        },
        { entity: "learner", fields: ["firstName"] },
        { entity: "department", fields: ["name"] },
      ],
      measures: [{ id: "assignments", type: "compliance-assignments" }],
      display: { sortBy: "learner.firstName" },
    });
    expect(report.base).toBe("compliance-assignment");
    expect(report.rows.map((r) => r.values)).toEqual(
      [
        ["Ana", "Anti money laundering", "industry-standards", "EU", "compliant", "Sales"],
        ["Ben", "Anti money laundering", "industry-standards", "EU", "compliant", "Sales"],
        ["Cem", "Anti money laundering", "industry-standards", "EU", "exempt", "Sales"],
        ["Dora", "Anti money laundering", "industry-standards", "EU", "due-soon", "Sales"],
        ["Olga", "Data privacy", "data-privacy", "DE", "due-soon", "Ops"],
        ["Pia", "Data privacy", "data-privacy", "DE", "compliant", "Ops"],
      ].map(([first, requirement, type, jurisdiction, status, department]) => ({
        "compliance.requirement": requirement,
        "compliance.type": type,
        "compliance.jurisdiction": jurisdiction,
        "compliance.status": status,
        "compliance.cycle": 1,
        "learner.firstName": first,
        "department.name": department,
        assignments: 1,
      })),
    );
    const status = await t.http.get(
      `${api}/organizations/${a.org.id}/compliance/status?limit=100`,
      admin,
    );
    const byPerson = Object.fromEntries(
      status.body.data.map((s: { person: { name: string }; status: string }) => [
        s.person.name.split(" ")[0],
        s.status,
      ]),
    );
    expect(
      Object.fromEntries(
        report.rows.map((r) => [r.values["learner.firstName"], r.values["compliance.status"]]),
      ),
    ).toEqual(byPerson);
  });

  it("counts, scores and violations match the compliance summary as the clock moves", async () => {
    await setClock("2026-03-20T09:00:00Z");
    const early = await preview(byRequirement);
    expect(asSummary(early.rows, "compliance.requirement")).toEqual(
      summaryShape(await summary("requirement")),
    );
    expect(asSummary(early.rows, "compliance.requirement")).toEqual([
      {
        name: "Anti money laundering",
        counts: { compliant: 2, overdue: 0, expired: 0, exempt: 1 },
        total: 4,
        score: 66.7,
        violations: 0,
      },
      {
        name: "Data privacy",
        counts: { compliant: 1, overdue: 0, expired: 0, exempt: 0 },
        total: 2,
        score: 50,
        violations: 0,
      },
    ]);

    // A month later: Ben's completion has expired, Dora and Olga are overdue.
    await setClock("2026-04-20T09:00:00Z");
    const late = await preview(byRequirement);
    expect(asSummary(late.rows, "compliance.requirement")).toEqual(
      summaryShape(await summary("requirement")),
    );
    expect(asSummary(late.rows, "compliance.requirement")).toEqual([
      {
        name: "Anti money laundering",
        counts: { compliant: 1, overdue: 1, expired: 1, exempt: 1 },
        total: 4,
        score: 33.3,
        violations: 2,
      },
      {
        name: "Data privacy",
        counts: { compliant: 1, overdue: 1, expired: 0, exempt: 0 },
        total: 2,
        score: 50,
        violations: 1,
      },
    ]);
    const byDepartment = await preview({
      dimensions: [{ entity: "department", fields: ["name"] }],
      measures,
      display: { sortBy: "department.name" },
    });
    expect(asSummary(byDepartment.rows, "department.name")).toEqual(
      summaryShape(await summary("department")),
    );
    // The department filter works as on the learning bases.
    const sales = await preview({
      ...byRequirement,
      filters: { departmentIds: [departments.sales!.id] },
    });
    expect(sales.rows.map((r) => r.values["compliance.requirement"])).toEqual([
      "Anti money laundering",
    ]);
  });

  it("runs the predefined Compliance status report", async () => {
    await setClock("2026-04-20T09:00:00Z");
    const templates = await t.http.get(
      `${api}/organizations/${a.org.id}/report-templates?system=true`,
      admin,
    );
    const template = templates.body.data.find(
      (x: { slug: string }) => x.slug === "compliance-status",
    );
    expect(template).toMatchObject({ name: "Compliance status", category: "compliance" });
    const report = await preview(PREDEFINED["compliance-status"]!.definition);
    const total = report.rows.find((r) => r.kind === "total");
    expect(total?.values).toMatchObject({
      assignments: 6,
      compliant: 2,
      overdue: 2,
      expired: 1,
      exempt: 1,
      score: 40,
      violations: 3,
    });
    expect(
      report.rows
        .filter((r) => r.kind === "detail")
        .map((r) => [r.values["compliance.requirement"], r.values["department.name"]]),
    ).toEqual([
      ["Anti money laundering", "Sales"],
      ["Data privacy", "Ops"],
    ]);
  });

  it("never shows another organization's rows", async () => {
    const report = await preview({
      dimensions: [{ entity: "compliance", fields: ["requirement"] }],
      measures,
    });
    const names = report.rows.map((r) => r.values["compliance.requirement"]);
    expect(names).not.toContain("Foreign rule");
    const foreign = await preview(
      {
        dimensions: [{ entity: "learner", fields: ["firstName"] }],
        measures: [{ id: "assignments", type: "compliance-assignments" }],
        display: { sortBy: "learner.firstName" },
      },
      await signIn(t, b.people.admin.user.email),
      b.org.id,
    );
    expect(foreign.rows.map((r) => r.values)).toEqual([
      { "learner.firstName": "Xena", assignments: 1 },
      { "learner.firstName": "Yuri", assignments: 1 },
    ]);
    const crossed = await t.http.post(
      `${api}/organizations/${b.org.id}/report-metadata/preview`,
      byRequirement,
      admin,
    );
    expect(crossed.status).toBe(403);
  });

  it("is refused to those without compliance:read, and not offered to them", async () => {
    await expectBaseRefused(t, {
      orgId: a.org.id,
      base: "compliance-assignment",
      label: "compliance assignments",
      template: "compliance-status",
      definitions: [byRequirement, { measures: [{ id: "score", type: "compliance-score" }] }],
      admin,
      viewer: await signIn(t, a.people.viewer!.user.email),
      permission: "compliance:read",
    });
  });
});
