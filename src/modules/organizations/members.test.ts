import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailedInviteToken, makeUser, signIn } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { addMember, createOrganization } from "./service.js";
import { addTeamMember, createDepartment, createTeam } from "./structure.js";

let t: TestApp;
let orgId: string;
const who: Record<string, { id: string; creds: Credentials }> = {};
const dept: Record<string, string> = {};
let teamId: string;

/**
 * One organization: an administrator, a department administrator of Engineering, a manager
 * leading the Platform team, Engineering learners (one in the team) and a Sales learner.
 */
beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrganization(t.system, { name: "Members Org", seatsPurchased: 20 });
  orgId = org.id;
  dept.eng = (await createDepartment(t.system, orgId, { name: "Engineering" })).id;
  dept.sales = (await createDepartment(t.system, orgId, { name: "Sales" })).id;
  const people: Array<[string, string[], string | null, string]> = [
    ["admin", ["org-admin"], null, "Adams"],
    ["deptAdmin", ["department-admin"], dept.eng, "Baker"],
    ["manager", ["manager"], dept.eng, "Clark"],
    ["engTeam", ["learner"], dept.eng, "Davis"],
    ["engSolo", ["learner"], dept.eng, "Evans"],
    ["sales", ["learner"], dept.sales, "Fox"],
  ];
  for (const [key, roles, department, lastName] of people) {
    const user = await makeUser(t, {
      firstName: key,
      lastName,
      email: `${key.toLowerCase()}@members.example`,
    });
    await addMember(t.system, orgId, {
      userId: user.id,
      roleKeys: roles,
      departmentId: department,
      title: key,
    });
    who[key] = { id: user.id, creds: await signIn(t, user.email) };
  }
  teamId = (await createTeam(t.system, orgId, { name: "Platform", departmentId: dept.eng })).id;
  await addTeamMember(t.system, orgId, teamId, who.manager!.id, "lead");
  await addTeamMember(t.system, orgId, teamId, who.engTeam!.id, "member");
});
afterAll(() => t.close());

const list = async (as: string, query = "") => {
  const res = await t.http.get(
    `/api/v1/organizations/${orgId}/members?limit=100${query}`,
    who[as]!.creds,
  );
  return {
    res,
    names: (res.body.data ?? []).map((m: { lastName: string }) => m.lastName) as string[],
  };
};

describe("listing members", () => {
  it("shows everyone to organization administrators, with departments, teams and roles", async () => {
    const { res, names } = await list("admin");
    expect(names).toEqual(["Adams", "Baker", "Clark", "Davis", "Evans", "Fox"]);
    const davis = res.body.data.find((m: { lastName: string }) => m.lastName === "Davis");
    expect(davis).toMatchObject({
      department: { id: dept.eng, name: "Engineering" },
      teams: [{ id: teamId, name: "Platform", role: "member" }],
      roles: ["learner"],
    });
  });

  it("shows a department administrator only their department, and a manager only their team", async () => {
    expect((await list("deptAdmin")).names).toEqual(["Baker", "Clark", "Davis", "Evans"]);
    expect((await list("manager")).names).toEqual(["Clark", "Davis"]);
    const hidden = await t.http.get(
      `/api/v1/organizations/${orgId}/members/${who.sales!.id}`,
      who.deptAdmin!.creds,
    );
    expect(hidden.status).toBe(404);
    const visible = await t.http.get(
      `/api/v1/organizations/${orgId}/members/${who.engSolo!.id}`,
      who.deptAdmin!.creds,
    );
    expect(visible.status).toBe(200);
  });

  it("refuses people without members:read", async () => {
    expect((await list("sales")).res.status).toBe(403);
  });

  it("filters by department, team, role, status and search, and pages", async () => {
    expect((await list("admin", `&departmentId=${dept.sales}`)).names).toEqual(["Fox"]);
    expect((await list("admin", `&teamId=${teamId}`)).names).toEqual(["Clark", "Davis"]);
    expect((await list("admin", "&role=department-admin")).names).toEqual(["Baker"]);
    expect((await list("admin", "&search=evans")).names).toEqual(["Evans"]);
    expect((await list("admin", "&search=engsolo%40members")).names).toEqual(["Evans"]);
    const page = await t.http.get(
      `/api/v1/organizations/${orgId}/members?limit=2&page=2&sort=-lastName`,
      who.admin!.creds,
    );
    expect(page.body.data.map((m: { lastName: string }) => m.lastName)).toEqual(["Davis", "Clark"]);
    expect(page.body.meta.pagination).toMatchObject({ total: 6, totalPages: 3 });
  });
});

describe("managing members", () => {
  it("turns an administrator's add into an invitation the person must accept", async () => {
    const person = await makeUser(t, { email: "joiner@members.example", lastName: "Green" });
    const members = `/api/v1/organizations/${orgId}/members`;
    const res = await t.http.post(
      members,
      { email: person.email, departmentId: dept.sales, title: "Rep", roleKeys: ["manager"] },
      who.admin!.creds,
    );
    expect(res.status).toBe(202);
    expect(res.body.data.invite).toMatchObject({
      email: "joiner@members.example",
      status: "pending",
      roleKey: "manager",
      departmentId: dept.sales,
      title: "Rep",
      acceptedUserId: null,
    });
    // Nothing about the account: no id, name, avatar or last sign-in.
    expect(Object.keys(res.body.data)).toEqual(["invite"]);
    expect(JSON.stringify(res.body)).not.toContain(person.id);
    expect(JSON.stringify(res.body)).not.toContain("Green");
    const notYet = await t.system.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", orgId)
      .where("user_id", "=", person.id)
      .executeTakeFirst();
    expect(notYet).toBeUndefined();
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select("template")
      .where("to_address", "=", person.email)
      .execute();
    expect(mails).toEqual([{ template: "organization-invite" }]);

    // Asking again answers with the same pending invitation and mails nothing more.
    const again = await t.http.post(members, { email: person.email }, who.admin!.creds);
    expect(again.status).toBe(202);
    expect(again.body.data.invite.id).toBe(res.body.data.invite.id);
    expect(
      await t.system.db
        .selectFrom("mail_outbox")
        .select("id")
        .where("to_address", "=", person.email)
        .execute(),
    ).toHaveLength(1);

    const token = await mailedInviteToken(t, res.body.data.invite.id);
    const creds = await signIn(t, person.email);
    expect((await t.http.post("/api/v1/invites/accept", { token }, creds)).status).toBe(200);
    const joined = await t.http.get(`${members}/${person.id}`, who.admin!.creds);
    expect(joined.body.data).toMatchObject({
      userId: person.id,
      title: "Rep",
      department: { id: dept.sales },
      source: "invite",
    });
    expect(joined.body.data.roles.sort()).toEqual(["learner", "manager"]);

    const dup = await t.http.post(members, { email: person.email }, who.admin!.creds);
    expect(dup.body.error.code).toBe("ALREADY_MEMBER");
    const both = await t.http.post(
      members,
      { email: person.email, userId: person.id },
      who.admin!.creds,
    );
    expect(both.status).toBe(400);
    await t.http.delete(`${members}/${person.id}`, who.admin!.creds);
  });

  it("answers alike whether or not the address has an account", async () => {
    await makeUser(t, { email: "exists@members.example", lastName: "Hill" });
    const members = `/api/v1/organizations/${orgId}/members`;
    const known = await t.http.post(members, { email: "exists@members.example" }, who.admin!.creds);
    const unknown = await t.http.post(
      members,
      { email: "nobody@members.example" },
      who.admin!.creds,
    );
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.body.data)).toEqual(Object.keys(known.body.data));
    const shape = (invite: Record<string, unknown>) => {
      const { id, email, createdAt, expiresAt, ...rest } = invite;
      expect([id, email, createdAt, expiresAt].every(Boolean)).toBe(true);
      return rest;
    };
    expect(shape(unknown.body.data.invite)).toEqual(shape(known.body.data.invite));
    const mailed = await t.system.db
      .selectFrom("mail_outbox")
      .select(["to_address", "template"])
      .where("to_address", "in", ["exists@members.example", "nobody@members.example"])
      .orderBy("to_address")
      .execute();
    expect(mailed).toEqual([
      { to_address: "exists@members.example", template: "organization-invite" },
      { to_address: "nobody@members.example", template: "organization-invite" },
    ]);
  });

  it("does not let an organization add an account by id", async () => {
    const person = await makeUser(t, { email: "byid@members.example" });
    const res = await t.http.post(
      `/api/v1/organizations/${orgId}/members`,
      { userId: person.id },
      who.admin!.creds,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.field).toBe("userId");
    const invites = await t.system.db
      .selectFrom("organization_invites")
      .select("id")
      .where("email", "=", person.email)
      .execute();
    expect(invites).toEqual([]);
  });

  it("lets the platform administrator add an existing account at once", async () => {
    const platform = await makeUser(t, { platformAdmin: true });
    const platformCreds = await signIn(t, platform.email);
    const person = await makeUser(t, { email: "direct@members.example", lastName: "Irwin" });
    const members = `/api/v1/organizations/${orgId}/members`;
    const res = await t.http.post(
      members,
      { email: person.email, departmentId: dept.sales, title: "Rep" },
      platformCreds,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      userId: person.id,
      title: "Rep",
      roles: ["learner"],
      source: "admin",
    });
    const unknown = await t.http.post(members, { email: "ghost@members.example" }, platformCreds);
    expect(unknown.status).toBe(404);
    await t.http.delete(`${members}/${person.id}`, platformCreds);
    const byId = await t.http.post(members, { userId: person.id }, platformCreds);
    expect(byId.status).toBe(201);
    await t.http.delete(`${members}/${person.id}`, platformCreds);
  });

  it("lets a department administrator change only their department's members, and not move them out of reach", async () => {
    const ok = await t.http.patch(
      `/api/v1/organizations/${orgId}/members/${who.engSolo!.id}`,
      { title: "Senior engineer" },
      who.deptAdmin!.creds,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.data.title).toBe("Senior engineer");
    const other = await t.http.patch(
      `/api/v1/organizations/${orgId}/members/${who.sales!.id}`,
      { title: "Hacked" },
      who.deptAdmin!.creds,
    );
    expect(other.status).toBe(403);
    const away = await t.http.patch(
      `/api/v1/organizations/${orgId}/members/${who.engSolo!.id}`,
      { departmentId: dept.sales },
      who.deptAdmin!.creds,
    );
    expect(away.status).toBe(403);
    const stored = await t.system.db
      .selectFrom("organization_members")
      .selectAll()
      .where("user_id", "=", who.sales!.id)
      .executeTakeFirstOrThrow();
    expect(stored.title).toBe("sales");
    const escalate = await t.http.post(
      `/api/v1/organizations/${orgId}/members`,
      { email: "x@members.example" },
      who.manager!.creds,
    );
    expect(escalate.status).toBe(403);
  });

  it("suspending a membership removes its permissions at once", async () => {
    const before = await t.http.get(`/api/v1/organizations/${orgId}/members`, who.deptAdmin!.creds);
    expect(before.status).toBe(200);
    const res = await t.http.patch(
      `/api/v1/organizations/${orgId}/members/${who.deptAdmin!.id}`,
      { status: "suspended" },
      who.admin!.creds,
    );
    expect(res.body.data.status).toBe("suspended");
    expect(
      (await t.http.get(`/api/v1/organizations/${orgId}/members`, who.deptAdmin!.creds)).status,
    ).toBe(403);
    await t.http.patch(
      `/api/v1/organizations/${orgId}/members/${who.deptAdmin!.id}`,
      { status: "active" },
      who.admin!.creds,
    );
    expect(
      (await t.http.get(`/api/v1/organizations/${orgId}/members`, who.deptAdmin!.creds)).status,
    ).toBe(200);
  });

  it("never removes or suspends the last administrator", async () => {
    const self = await t.http.patch(
      `/api/v1/organizations/${orgId}/members/${who.admin!.id}`,
      { status: "suspended" },
      who.admin!.creds,
    );
    expect(self.status).toBe(422);
    const platform = await makeUser(t, { platformAdmin: true });
    const platformCreds = await signIn(t, platform.email);
    const removeLast = await t.http.delete(
      `/api/v1/organizations/${orgId}/members/${who.admin!.id}`,
      platformCreds,
    );
    expect(removeLast.status).toBe(422);
    expect(removeLast.body.error.code).toBe("ADMIN_LOCKOUT");
    const still = await t.system.db
      .selectFrom("organization_members")
      .select("status")
      .where("user_id", "=", who.admin!.id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe("active");
  });

  it("removing a member frees their seat and drops their roles and teams", async () => {
    const seatsBefore = await t.system.db
      .selectFrom("organizations")
      .select("seats_used")
      .where("id", "=", orgId)
      .executeTakeFirstOrThrow();
    const res = await t.http.delete(
      `/api/v1/organizations/${orgId}/members/${who.engTeam!.id}`,
      who.admin!.creds,
    );
    expect(res.status).toBe(200);
    const seatsAfter = await t.system.db
      .selectFrom("organizations")
      .select("seats_used")
      .where("id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(seatsAfter.seats_used).toBe(seatsBefore.seats_used - 1);
    const roles = await t.system.db
      .selectFrom("user_roles")
      .select("id")
      .where("user_id", "=", who.engTeam!.id)
      .where("organization_id", "=", orgId)
      .execute();
    const teams = await t.system.db
      .selectFrom("team_members")
      .select("team_id")
      .where("user_id", "=", who.engTeam!.id)
      .execute();
    expect(roles).toEqual([]);
    expect(teams).toEqual([]);
    const audits = await t.system.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("organization_id", "=", orgId)
      .where("action", "=", "member.remove")
      .execute();
    const audit = audits.find(
      (a) => (a.before as { user_id?: string }).user_id === who.engTeam!.id,
    );
    expect(audit?.actor_user_id).toBe(who.admin!.id);
    expect(audit?.before).toMatchObject({ user_id: who.engTeam!.id, roles: ["learner"] });
  });
});
