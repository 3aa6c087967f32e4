import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, publishedCourse, signIn, uniqueEmail } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createAllocation } from "../enrollment/allocations.js";
import { enroll } from "../enrollment/enroll.js";
import { takeAllocationSeat } from "../enrollment/seats.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** A SCIM request as identity providers send it: application/scim+json both ways. */
async function scim(
  token: string,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await t.lyceum.app.inject({
    method,
    url: `/scim/v2${path}`,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/scim+json; charset=utf-8" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body ? JSON.parse(response.body) : undefined,
  };
}

async function orgWithToken(options: Parameters<typeof makeOrganization>[1] = {}) {
  const { org, people } = await makeOrganization(t, options);
  const res = await t.http.post(
    `/api/v1/organizations/${org.id}/scim-tokens`,
    { name: "Entra ID" },
    people.admin,
  );
  expect(res.status).toBe(201);
  return { org, people, token: res.body.data.secret as string, tokenId: res.body.data.token.id };
}

function membership(organizationId: string, userId: string) {
  return t.system.db
    .selectFrom("organization_members")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
}

describe("provisioning tokens", () => {
  it("are created by an organization administrator, shown once, listed by prefix and revoked", async () => {
    const { org, people, token, tokenId } = await orgWithToken();
    expect(token).toMatch(/^lyscim_/);
    const stored = await t.system.db
      .selectFrom("scim_tokens")
      .selectAll()
      .where("id", "=", tokenId)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(token.startsWith(stored.token_prefix)).toBe(true);

    const list = await t.http.get(`/api/v1/organizations/${org.id}/scim-tokens`, people.admin);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: tokenId, name: "Entra ID", status: "active" }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(token);

    expect((await scim(token, "GET", "/ServiceProviderConfig")).status).toBe(200);
    const revoked = await t.http.post(
      `/api/v1/organizations/${org.id}/scim-tokens/${tokenId}/revoke`,
      {},
      people.admin,
    );
    expect(revoked.body.data.status).toBe("revoked");
    const refused = await scim(token, "GET", "/Users");
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      schemas: [ERROR],
      status: "401",
      detail: "The provisioning token is invalid or revoked",
    });
    expect(refused.headers["www-authenticate"]).toContain("Bearer");
    const audits = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", tokenId)
      .orderBy("created_at")
      .execute();
    expect(audits.map((a) => a.action)).toEqual(["scim-token.create", "scim-token.revoke"]);
  });

  it("are not managed by members without the permission, nor accepted by the API", async () => {
    const { org, people, token } = await orgWithToken({
      people: [{ key: "learner", roles: ["learner"] }],
    });
    const res = await t.http.post(
      `/api/v1/organizations/${org.id}/scim-tokens`,
      { name: "x" },
      people.learner,
    );
    expect(res.status).toBe(403);
    const api = await t.http.get(`/api/v1/organizations/${org.id}/members`, { token });
    expect(api.status).toBe(401);
    // Sessions do not open SCIM.
    const session = await scim(people.admin.token as string, "GET", "/Users");
    expect(session.status).toBe(401);
    expect(session.body.schemas).toEqual([ERROR]);
  });
});

describe("an Entra ID provisioning cycle", () => {
  it("creates, finds by userName, patches, deactivates and reactivates a person", async () => {
    const { org, token, tokenId } = await orgWithToken({ domain: "contoso.test" });
    const manager = await scim(token, "POST", "/Users", {
      schemas: [USER],
      userName: "grace.manager@contoso.test",
      externalId: "e-1",
      name: { givenName: "Grace", familyName: "Hopper" },
      active: true,
    });
    expect(manager.status).toBe(201);

    // Entra first looks the person up, then creates them.
    const lookup = await scim(
      token,
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "alan@contoso.test"')}`,
    );
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });
    const created = await scim(token, "POST", "/Users", {
      schemas: [USER, ENTERPRISE],
      externalId: "e-2",
      userName: "Alan@Contoso.test",
      active: true,
      displayName: "Alan Turing",
      emails: [{ primary: true, type: "work", value: "alan@contoso.test" }],
      name: { formatted: "Alan Turing", familyName: "Turing", givenName: "Alan" },
      title: "Engineer",
      [ENTERPRISE]: {
        employeeNumber: "1001",
        department: "Research",
        manager: { value: manager.body.id },
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers["content-type"]).toContain("application/scim+json");
    expect(created.headers.location).toBe(`http://lyceum.test/scim/v2/Users/${created.body.id}`);
    expect(created.headers.etag).toBe(created.body.meta.version);
    expect(created.body).toMatchObject({
      schemas: [USER, ENTERPRISE],
      externalId: "e-2",
      userName: "alan@contoso.test",
      active: true,
      title: "Engineer",
      name: { givenName: "Alan", familyName: "Turing" },
      emails: [{ value: "alan@contoso.test", type: "work", primary: true }],
      [ENTERPRISE]: {
        employeeNumber: "1001",
        department: "Research",
        manager: { value: manager.body.id, displayName: "Grace Hopper" },
      },
      meta: { resourceType: "User" },
    });
    const id = created.body.id as string;
    const account = await t.system.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      email: "alan@contoso.test",
      password_hash: null,
      email_verified: true,
    });
    const member = await membership(org.id, id);
    expect(member).toMatchObject({
      external_id: "e-2",
      employee_id: "1001",
      title: "Engineer",
      manager_user_id: manager.body.id,
      source: "integration",
      account_provisioned: true,
      status: "active",
    });
    const department = await t.system.db
      .selectFrom("departments")
      .select(["id", "name"])
      .where("organization_id", "=", org.id)
      .execute();
    expect(department).toEqual([{ id: member.department_id, name: "Research" }]);

    const found = await scim(
      token,
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "ALAN@contoso.test"')}`,
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(id);

    const again = await scim(token, "POST", "/Users", {
      schemas: [USER],
      userName: "alan@contoso.test",
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });

    // Entra's PATCH: capitalised ops, paths with URNs, a filter path, "False" as a string.
    const patched = await scim(token, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: "name.givenName", value: "Alan M." },
        { op: "Replace", path: "title", value: "Principal Engineer" },
        { op: "Replace", path: `${ENTERPRISE}:department`, value: "Computing" },
        { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "1002" },
        { op: "Remove", path: `${ENTERPRISE}:manager` },
        { op: "Replace", path: "externalId", value: "e-2b" },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      externalId: "e-2b",
      title: "Principal Engineer",
      name: { givenName: "Alan M.", familyName: "Turing" },
      [ENTERPRISE]: { employeeNumber: "1002", department: "Computing" },
    });
    expect(patched.body[ENTERPRISE].manager).toBeUndefined();
    expect(patched.body.meta.version).not.toBe(created.body.meta.version);

    const deactivated = await scim(token, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(deactivated.body.active).toBe(false);
    expect((await membership(org.id, id)).status).toBe("suspended");
    const inactive = await scim(
      token,
      "GET",
      `/Users?filter=${encodeURIComponent("active eq false")}`,
    );
    expect(inactive.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    const reactivated = await scim(token, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Replace", value: { active: true } }],
    });
    expect(reactivated.body.active).toBe(true);
    expect(await membership(org.id, id)).toMatchObject({ status: "active", seat_released: false });

    const trail = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "actor_type", "actor_scim_token_id"])
      .where("organization_id", "=", org.id)
      .where("actor_type", "=", "scim-token")
      .execute();
    expect(trail.length).toBeGreaterThan(5);
    expect(new Set(trail.map((a) => a.actor_scim_token_id))).toEqual(new Set([tokenId]));
    expect(trail.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "member.add",
        "member.update",
        "member.deprovision",
        "department.create",
      ]),
    );
  });

  it("links an existing account only inside a verified domain, never revealing other organizations", async () => {
    const { token } = await orgWithToken({ domain: "fabrikam.test" });
    const other = await makeOrganization(t);
    const outsider = uniqueEmail("outsider");
    await t.http.post(`/api/v1/auth/register`, {
      email: outsider,
      password: "Correct-Horse-9!",
      firstName: "Out",
      lastName: "Sider",
    });
    const refused = await scim(token, "POST", "/Users", { schemas: [USER], userName: outsider });
    expect(refused.status).toBe(409);
    expect(refused.body.scimType).toBe("uniqueness");
    expect(JSON.stringify(refused.body)).not.toContain(other.org.name);

    const { makeUser } = await import("../../../test/factories.js");
    const employee = await makeUser(t, { email: "linda@fabrikam.test", firstName: "Linda" });
    const linked = await scim(token, "POST", "/Users", {
      schemas: [USER],
      userName: "linda@fabrikam.test",
      name: { givenName: "Linda", familyName: "Lovelace" },
    });
    expect(linked.status).toBe(201);
    expect(linked.body.id).toBe(employee.id);
  });
});

describe("an Okta provisioning cycle", () => {
  it("replaces a person with PUT and refuses a stale If-Match with 412", async () => {
    const { token } = await orgWithToken();
    const created = await scim(token, "POST", "/Users", {
      schemas: [USER],
      userName: "okta.user@example.org",
      name: { givenName: "Okta", familyName: "User" },
      emails: [{ primary: true, value: "okta.user@example.org", type: "work" }],
      active: true,
      title: "Analyst",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const okta = await scim(
      token,
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "okta.user@example.org"')}&startIndex=1&count=100`,
    );
    expect(okta.body.Resources[0].id).toBe(id);

    const replaced = await scim(
      token,
      "PUT",
      `/Users/${id}`,
      {
        schemas: [USER, ENTERPRISE],
        id,
        userName: "okta.user@example.org",
        name: { givenName: "Olivia", familyName: "User" },
        active: true,
        [ENTERPRISE]: { department: "Finance" },
      },
      { "if-match": created.body.meta.version },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toMatchObject({ givenName: "Olivia" });
    expect(replaced.body.title).toBeUndefined();
    expect(replaced.body[ENTERPRISE]).toEqual({ department: "Finance" });

    const stale = await scim(
      token,
      "PUT",
      `/Users/${id}`,
      { schemas: [USER], userName: "okta.user@example.org", title: "Late" },
      { "if-match": created.body.meta.version },
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ schemas: [ERROR], status: "412" });
    const current = await scim(token, "GET", `/Users/${id}`);
    expect(current.body.title).toBeUndefined();
  });
});

describe("lists", () => {
  it("filter, sort, page and project users", async () => {
    const { token } = await orgWithToken();
    const people: [string, string, string][] = [
      ["Cara", "Zed", "3"],
      ["Abe", "Young", "1"],
      ["Bea", "Xu", "2"],
    ];
    for (const [given, family, number] of people) {
      const res = await scim(token, "POST", "/Users", {
        schemas: [USER, ENTERPRISE],
        userName: `${given.toLowerCase()}@list.example`,
        name: { givenName: given, familyName: family },
        [ENTERPRISE]: { employeeNumber: number },
      });
      expect(res.status).toBe(201);
    }
    const q = (query: string) => scim(token, "GET", `/Users?${query}`);
    const names = (res: { body: { Resources: { name?: { givenName: string } }[] } }) =>
      res.body.Resources.map((r) => r.name?.givenName);

    const sorted = await q(
      "sortBy=name.familyName&sortOrder=descending&filter=" +
        encodeURIComponent('userName ew "@list.example"'),
    );
    expect(names(sorted)).toEqual(["Cara", "Abe", "Bea"]);
    const page = await q(
      `sortBy=userName&startIndex=2&count=1&filter=${encodeURIComponent('userName ew "@list.example"')}`,
    );
    expect(page.body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(names(page)).toEqual(["Bea"]);
    const total = await q(`count=0&filter=${encodeURIComponent('userName ew "@list.example"')}`);
    expect(total.body).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });

    const combined = await q(
      `sortBy=userName&filter=${encodeURIComponent(
        '(name.givenName sw "A" or emails[type eq "work"].value co "bea") and not (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "2")',
      )}`,
    );
    expect(names(combined)).toEqual(["Abe"]);
    const emails = await q(
      `filter=${encodeURIComponent('emails.value eq "cara@list.example" and active eq true and meta.lastModified ge "2000-01-01T00:00:00Z"')}`,
    );
    expect(names(emails)).toEqual(["Cara"]);
    const present = await q(
      `filter=${encodeURIComponent('title pr and userName ew "@list.example"')}`,
    );
    expect(present.body.totalResults).toBe(0);
    const ne = await q(
      `sortBy=userName&filter=${encodeURIComponent('userName ew "@list.example" and name.givenName ne "bea" and name.familyName gt "X"')}`,
    );
    expect(names(ne)).toEqual(["Abe", "Cara"]);

    const projected = await q(
      `attributes=userName&filter=${encodeURIComponent('userName eq "abe@list.example"')}`,
    );
    expect(Object.keys(projected.body.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);
    const excluded = await q(
      `excludedAttributes=name,emails,meta&filter=${encodeURIComponent('userName eq "abe@list.example"')}`,
    );
    expect(excluded.body.Resources[0].name).toBeUndefined();
    expect(excluded.body.Resources[0].userName).toBe("abe@list.example");

    const bad = await q(`filter=${encodeURIComponent("userName eq")}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
    const unknown = await q(`filter=${encodeURIComponent('password eq "x"')}`);
    expect(unknown.body.scimType).toBe("invalidFilter");
  });
});

describe("groups", () => {
  it("map to teams, with members added and removed by PATCH", async () => {
    const { org, token } = await orgWithToken();
    const ids: string[] = [];
    for (const name of ["gm1", "gm2", "gm3"]) {
      const res = await scim(token, "POST", "/Users", {
        schemas: [USER],
        userName: `${name}@groups.example`,
      });
      ids.push(res.body.id);
    }
    const created = await scim(token, "POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Sales",
      externalId: "g-1",
      members: [{ value: ids[0] }],
    });
    expect(created.status).toBe(201);
    const groupId = created.body.id as string;
    const team = await t.system.db
      .selectFrom("teams")
      .selectAll()
      .where("id", "=", groupId)
      .executeTakeFirstOrThrow();
    expect(team).toMatchObject({ organization_id: org.id, name: "Sales", external_id: "g-1" });

    const byName = await scim(
      token,
      "GET",
      `/Groups?filter=${encodeURIComponent('displayName eq "sales"')}&excludedAttributes=members`,
    );
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0].members).toBeUndefined();

    const patched = await scim(token, "PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Add", path: "members", value: [{ value: ids[1] }, { value: ids[2] }] },
        { op: "Remove", path: `members[value eq "${ids[0]}"]` },
        { op: "Replace", path: "displayName", value: "Sales EMEA" },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe("Sales EMEA");
    expect(patched.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [ids[1], ids[2]].sort(),
    );
    const memberRows = await t.system.db
      .selectFrom("team_members")
      .select("user_id")
      .where("team_id", "=", groupId)
      .execute();
    expect(memberRows.map((r) => r.user_id).sort()).toEqual([ids[1], ids[2]].sort());

    // Entra checks membership with a value filter.
    const check = await scim(
      token,
      "GET",
      `/Groups?filter=${encodeURIComponent(`id eq "${groupId}" and members[value eq "${ids[1]}"]`)}`,
    );
    expect(check.body.totalResults).toBe(1);
    const notIn = await scim(
      token,
      "GET",
      `/Groups?filter=${encodeURIComponent(`members[value eq "${ids[0]}"]`)}`,
    );
    expect(notIn.body.totalResults).toBe(0);
    const user = await scim(token, "GET", `/Users/${ids[1]}`);
    expect(user.body.groups).toEqual([
      expect.objectContaining({ value: groupId, display: "Sales EMEA" }),
    ]);

    // Okta: replace without a path.
    const okta = await scim(token, "PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { id: groupId, displayName: "Sales" } }],
    });
    expect(okta.body.displayName).toBe("Sales");

    const outsider = await scim(token, "PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "add", path: "members", value: [{ value: "0190a3a4-0000-7000-8000-000000000000" }] },
      ],
    });
    expect(outsider.status).toBe(400);
    expect(outsider.body.scimType).toBe("invalidValue");

    const removed = await scim(token, "DELETE", `/Groups/${groupId}`);
    expect(removed.status).toBe(204);
    expect((await scim(token, "GET", `/Groups/${groupId}`)).status).toBe(404);
    const kept = await t.system.db
      .selectFrom("teams")
      .select("is_active")
      .where("id", "=", groupId)
      .executeTakeFirstOrThrow();
    expect(kept.is_active).toBe(false);
  });
});

describe("tenancy", () => {
  it("keeps each token inside its organization", async () => {
    const a = await orgWithToken();
    const b = await orgWithToken();
    const person = await scim(a.token, "POST", "/Users", {
      schemas: [USER],
      userName: "only.a@tenancy.example",
    });
    const group = await scim(a.token, "POST", "/Groups", {
      schemas: [GROUP],
      displayName: "A team",
    });
    const id = person.body.id as string;

    expect((await scim(b.token, "GET", `/Users/${id}`)).status).toBe(404);
    expect(
      (await scim(b.token, "GET", `/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`)).body
        .totalResults,
    ).toBe(0);
    expect(
      (await scim(b.token, "GET", "/Users")).body.Resources.map((r: { id: string }) => r.id),
    ).not.toContain(id);
    expect(
      (await scim(b.token, "PUT", `/Users/${id}`, { schemas: [USER], userName: "x@y.example" }))
        .status,
    ).toBe(404);
    expect(
      (
        await scim(b.token, "PATCH", `/Users/${id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: "replace", path: "active", value: false }],
        })
      ).status,
    ).toBe(404);
    expect((await scim(b.token, "DELETE", `/Users/${id}`)).status).toBe(404);
    expect((await scim(b.token, "GET", `/Groups/${group.body.id}`)).status).toBe(404);
    expect((await scim(b.token, "DELETE", `/Groups/${group.body.id}`)).status).toBe(404);
    // B cannot put A's person in its team or make them a manager.
    const bGroup = await scim(b.token, "POST", "/Groups", {
      schemas: [GROUP],
      displayName: "B team",
      members: [{ value: id }],
    });
    expect(bGroup.status).toBe(400);
    const bUser = await scim(b.token, "POST", "/Users", {
      schemas: [USER, ENTERPRISE],
      userName: "b.person@tenancy.example",
      [ENTERPRISE]: { manager: { value: id } },
    });
    expect(bUser.status).toBe(400);
    expect((await membership(a.org.id, id)).status).toBe("active");
    // B's token cannot manage A's tokens either.
    const tokens = await t.http.get(
      `/api/v1/organizations/${a.org.id}/scim-tokens`,
      b.people.admin,
    );
    expect(tokens.status).toBe(403);
  });
});

describe("deactivation", () => {
  it("ends the person's sessions at once and gives back organization and course seats", async () => {
    const { org, people, token } = await orgWithToken({ domain: "seats.test", seats: 3 });
    const created = await scim(token, "POST", "/Users", {
      schemas: [USER],
      userName: "leaver@seats.test",
      name: { givenName: "Lea", familyName: "Ver" },
    });
    const id = created.body.id as string;
    // The person sets a password (as through recovery) and signs in.
    const { hashPassword } = await import("../identity/passwords.js");
    await t.system.db
      .updateTable("users")
      .set({ password_hash: await hashPassword("Correct-Horse-9!") })
      .where("id", "=", id)
      .execute();
    const session = await signIn(t, "leaver@seats.test");
    expect((await t.http.get("/api/v1/users/me", session)).status).toBe(200);

    const course = await publishedCourse(t, {
      code: `SCIM-${Date.now()}`,
      title: "Seats",
      instructorId: people.admin.user.id,
    });
    const allocation = await createAllocation(t.system, org.id, { courseId: course.id, seats: 1 });
    await takeAllocationSeat(t.system, org.id, course.id);
    const result = await enroll(t.system, {
      userId: id,
      courseId: course.id,
      organizationId: org.id,
      source: "seat",
      seatAllocationId: allocation.id,
    });
    expect(result.kind).toBe("enrolled");
    const seatsBefore = await t.system.db
      .selectFrom("organizations")
      .select("seats_used")
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(seatsBefore.seats_used).toBe(2);

    const gone = await scim(token, "DELETE", `/Users/${id}`);
    expect(gone.status).toBe(204);
    const refused = await t.http.get("/api/v1/users/me", session);
    expect(refused.status).toBe(401);
    const after = await t.system.db
      .selectFrom("organizations")
      .select("seats_used")
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(after.seats_used).toBe(1);
    const alloc = await t.system.db
      .selectFrom("course_seat_allocations")
      .select("seats_used")
      .where("id", "=", allocation.id)
      .executeTakeFirstOrThrow();
    expect(alloc.seats_used).toBe(0);
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select(["status", "dropped_reason"])
      .where("user_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(enrollment.status).toBe("dropped");
    // Nothing is deleted: the person is still there, inactive.
    const still = await scim(token, "GET", `/Users/${id}`);
    expect(still.body.active).toBe(false);
    expect(await membership(org.id, id)).toMatchObject({
      status: "suspended",
      seat_released: true,
    });
    // DELETE again changes nothing.
    expect((await scim(token, "DELETE", `/Users/${id}`)).status).toBe(204);

    const back = await scim(token, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", path: "active", value: "True" }],
    });
    expect(back.body.active).toBe(true);
    const seatsAgain = await t.system.db
      .selectFrom("organizations")
      .select("seats_used")
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(seatsAgain.seats_used).toBe(2);
  });
});

describe("errors and discovery", () => {
  it("answers every failure in SCIM's error format and describes itself", async () => {
    const { token } = await orgWithToken();
    const missing = await scim(token, "GET", "/Users/0190a3a4-0000-7000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ schemas: [ERROR], status: "404" });
    expect(missing.headers["content-type"]).toContain("application/scim+json");
    expect((await scim(token, "GET", "/Users/not-an-id")).status).toBe(404);
    expect((await scim(token, "GET", "/Nothing")).body).toMatchObject({
      schemas: [ERROR],
      status: "404",
    });

    const response = await t.lyceum.app.inject({
      method: "POST",
      url: "/scim/v2/Users",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ schemas: [ERROR], status: "400" });
    const noUserName = await scim(token, "POST", "/Users", { schemas: [USER] });
    expect(noUserName.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    const badPatch = await scim(token, "POST", "/Groups", { schemas: [GROUP] });
    expect(badPatch.body.scimType).toBe("invalidValue");

    const config = await scim(token, "GET", "/ServiceProviderConfig");
    expect(config.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      sort: { supported: true },
      etag: { supported: true },
      bulk: { supported: false },
    });
    const types = await scim(token, "GET", "/ResourceTypes");
    expect(types.body.Resources.map((r: { id: string }) => r.id)).toEqual(["User", "Group"]);
    const schemas = await scim(token, "GET", "/Schemas");
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([
      USER,
      ENTERPRISE,
      GROUP,
    ]);
    expect((await scim(token, "GET", `/Schemas/${ENTERPRISE}`)).body.name).toBe("EnterpriseUser");

    // The rest of the API keeps its own envelope.
    const api = await t.http.get("/api/v1/nothing-here");
    expect(api.body).toMatchObject({ success: false, error: { code: "ROUTE_NOT_FOUND" } });
  });
});

describe("rate limits", () => {
  it("count token guesses per address and answer 429 in SCIM's format", async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: "3" } });
    try {
      const call = () =>
        limited.lyceum.app.inject({
          method: "GET",
          url: "/scim/v2/Users",
          headers: { authorization: "Bearer lyscim_guess" },
        });
      for (let i = 0; i < 3; i++) expect((await call()).statusCode).toBe(401);
      const refused = await call();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers["retry-after"]).toBeDefined();
      expect(JSON.parse(refused.body)).toMatchObject({ schemas: [ERROR], status: "429" });
    } finally {
      await limited.close();
    }
  });
});

describe("members who keep their own account", () => {
  it("change only through their membership", async () => {
    const { people, token } = await orgWithToken({
      people: [{ key: "invited", roles: ["learner"] }],
    });
    const invited = people.invited?.user;
    if (!invited) throw new Error("no invited person");
    const found = await scim(
      token,
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${invited.email}"`)}`,
    );
    expect(found.body.totalResults).toBe(1);
    const id = invited.id;
    const renamed = await scim(token, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "replace", path: "name.familyName", value: "Renamed" },
        { op: "replace", path: "title", value: "Analyst" },
      ],
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe("Analyst");
    expect(renamed.body.name.familyName).toBe(invited.last_name);
    const readdressed = await scim(token, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", path: "userName", value: "elsewhere@example.net" }],
    });
    expect(readdressed.status).toBe(400);
    expect(readdressed.body.scimType).toBe("mutability");
    const account = await t.system.db
      .selectFrom("users")
      .select(["email", "last_name"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ email: invited.email, last_name: invited.last_name });
  });
});
