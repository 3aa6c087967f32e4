import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { parseCsv } from "../../platform/csv.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const members = (organizationId: string) =>
  t.system.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .leftJoin("departments as d", "d.id", "m.department_id")
    .leftJoin("users as mgr", "mgr.id", "m.manager_user_id")
    .select([
      "u.email",
      "u.first_name",
      "m.status",
      "m.employee_id",
      "m.title",
      "d.name as department",
      "mgr.email as manager",
    ])
    .where("m.organization_id", "=", organizationId)
    .where("m.source", "=", "integration")
    .orderBy("u.email")
    .execute();

describe("CSV parsing", () => {
  it("reads quoted fields, doubled quotes and both line ends", () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n\nlast,\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["last", ""],
    ]);
    expect(() => parseCsv('a\n"open')).toThrow();
  });
});

describe("employee imports", () => {
  it("previews with a dry run, then creates, updates and deactivates with per-row results", async () => {
    const { org, people } = await makeOrganization(t, { domain: "initech.test" });
    const url = `/api/v1/organizations/${org.id}/employee-imports`;
    const csv = [
      "Email,First Name,Last Name,Department,Manager Email,Employee Number,Title,Active",
      "peter@initech.test,Peter,Gibbons,Software,bill@initech.test,7,Engineer,yes",
      "bill@initech.test,Bill,Lumbergh,Management,,1,Vice President,",
      ",No,Email,,,,,",
      "peter@initech.test,Again,Twice,,,,,",
      "milton@initech.test,Milton,Waddams,Storage,nobody@initech.test,9,,true",
    ].join("\r\n");

    const preview = await t.http.post(url, { csv, dryRun: true }, people.admin);
    expect(preview.status).toBe(200);
    expect(preview.body.data.summary).toEqual({
      rows: 5,
      created: 3,
      updated: 0,
      unchanged: 0,
      failed: 2,
    });
    expect(await members(org.id)).toEqual([]);
    const accounts = await t.system.db
      .selectFrom("users")
      .select("id")
      .where("email", "like", "%@initech.test")
      .where("email", "!=", people.admin.user.email)
      .execute();
    expect(accounts).toEqual([]);

    const done = await t.http.post(url, { csv }, people.admin);
    expect(done.body.data.rows).toEqual([
      { line: 2, email: "peter@initech.test", outcome: "created", message: null },
      { line: 3, email: "bill@initech.test", outcome: "created", message: null },
      { line: 4, email: null, outcome: "failed", message: "The email is missing" },
      {
        line: 5,
        email: "peter@initech.test",
        outcome: "failed",
        message: "This email is on an earlier row",
      },
      {
        line: 6,
        email: "milton@initech.test",
        outcome: "created",
        message:
          "The manager nobody@initech.test is not a person of this organization; no manager was set",
      },
    ]);
    expect(await members(org.id)).toEqual([
      {
        email: "bill@initech.test",
        first_name: "Bill",
        status: "active",
        employee_id: "1",
        title: "Vice President",
        department: "Management",
        manager: null,
      },
      {
        email: "milton@initech.test",
        first_name: "Milton",
        status: "active",
        employee_id: "9",
        title: null,
        department: "Storage",
        manager: null,
      },
      {
        email: "peter@initech.test",
        first_name: "Peter",
        status: "active",
        employee_id: "7",
        title: "Engineer",
        department: "Software",
        manager: "bill@initech.test",
      },
    ]);

    const second = await t.http.post(
      url,
      {
        csv: "email,active,title\nmilton@initech.test,false,\npeter@initech.test,,Engineer\n",
      },
      people.admin,
    );
    expect(second.body.data.rows.map((r: { outcome: string }) => r.outcome)).toEqual([
      "updated",
      "unchanged",
    ]);
    const milton = (await members(org.id)).find((m) => m.email === "milton@initech.test");
    expect(milton?.status).toBe("suspended");
  });

  it("refuses people outside the verified domains and callers without organization-wide reach", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [{ key: "learner", roles: ["learner"] }],
    });
    const existing = await makeUser(t);
    const url = `/api/v1/organizations/${org.id}/employee-imports`;
    const res = await t.http.post(url, { csv: `email\n${existing.email}\n` }, people.admin);
    expect(res.body.data.rows[0]).toMatchObject({ outcome: "failed" });
    expect(res.body.data.rows[0].message).toContain("invite the person instead");
    expect((await t.http.post(url, { csv: "email\nx@y.example\n" }, people.learner)).status).toBe(
      403,
    );
    const noEmail = await t.http.post(url, { csv: "name\nx\n" }, people.admin);
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.field).toBe("csv");
  });
});
