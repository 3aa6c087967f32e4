import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { ORGANIZATION_ROLES } from "./catalog.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function world() {
  const w = await makeOrganization(t, {
    people: [
      { key: "hr", roles: ["hr-admin"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  return { ...w, base: `/api/v1/organizations/${w.org.id}` };
}

const roleId = async (orgId: string, key: string) =>
  (
    await t.system.db
      .selectFrom("roles")
      .select("id")
      .where("organization_id", "=", orgId)
      .where("key", "=", key)
      .executeTakeFirstOrThrow()
  ).id;

describe("the permission catalog", () => {
  it("lists every permission with its scopes", async () => {
    const { people } = await world();
    const res = await t.http.get("/api/v1/permissions", people.learner);
    expect(res.status).toBe(200);
    expect(res.body.data.scopes).toEqual([
      "own",
      "assigned",
      "team",
      "department",
      "organization",
      "all",
    ]);
    expect(res.body.data.permissions.map((p: { key: string }) => p.key)).toContain(
      "roles:manage:organization",
    );
  });
});

describe("roles", () => {
  it("lists the built-in roles with permissions and holders", async () => {
    const { base, people } = await world();
    const res = await t.http.get(`${base}/roles`, people.admin);
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { key: string }) => r.key).sort()).toEqual(
      ORGANIZATION_ROLES.map((r) => r.key).sort(),
    );
    const admin = res.body.data.find((r: { key: string }) => r.key === "org-admin");
    expect(admin).toMatchObject({
      isSystem: true,
      memberCount: 1,
      dataAccessLevel: "organization",
    });
    expect(admin.permissions).toContain("roles:manage:organization");
    const learner = res.body.data.find((r: { key: string }) => r.key === "learner");
    // the learner person; the others were given only their specific roles
    expect(learner.memberCount).toBe(1);
    expect((await t.http.get(`${base}/roles`, people.learner)).status).toBe(403);
  });

  it("creates custom roles from catalog permissions only, never platform-wide ones", async () => {
    const { base, people, org } = await world();
    const res = await t.http.post(
      `${base}/roles`,
      {
        key: "safety-lead",
        name: "Safety lead",
        dataAccessLevel: "department",
        permissions: ["members:read:department", "compliance:read:department"],
      },
      people.admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      key: "safety-lead",
      isSystem: false,
      memberCount: 0,
      permissions: ["compliance:read:department", "members:read:department"],
    });
    const stored = await t.system.db
      .selectFrom("role_permissions")
      .select("permission_key")
      .where("role_id", "=", res.body.data.id)
      .execute();
    expect(stored.map((p) => p.permission_key).sort()).toEqual([
      "compliance:read:department",
      "members:read:department",
    ]);
    expect(
      (
        await t.http.post(
          `${base}/roles`,
          { key: "safety-lead", name: "Again", permissions: [] },
          people.admin,
        )
      ).body.error.code,
    ).toBe("ALREADY_EXISTS");
    const unknown = await t.http.post(
      `${base}/roles`,
      { key: "x", name: "X", permissions: ["rockets:launch:organization"] },
      people.admin,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.unknown).toEqual(["rockets:launch:organization"]);
    const platform = await t.http.post(
      `${base}/roles`,
      { key: "y", name: "Y", permissions: ["users:read:all"] },
      people.admin,
    );
    expect(platform.status).toBe(422);
    const badKey = await t.http.post(
      `${base}/roles`,
      { key: "Not A Key", name: "Z", permissions: [] },
      people.admin,
    );
    expect(badKey.body.error.field).toBe("key");
    const count = await t.system.db
      .selectFrom("roles")
      .select("key")
      .where("organization_id", "=", org.id)
      .where("is_system", "=", false)
      .execute();
    expect(count.map((r) => r.key)).toEqual(["safety-lead"]);
    expect(
      (
        await t.http.post(
          `${base}/roles`,
          { key: "hr-made", name: "HR", permissions: [] },
          people.hr,
        )
      ).status,
    ).toBe(403);
  });

  it("replaces a role's permissions with an audit record, and refuses a change that locks every administrator out", async () => {
    const { base, people, org } = await world();
    const adminRole = await roleId(org.id, "org-admin");
    const original = (await t.http.get(`${base}/roles/${adminRole}`, people.admin)).body.data
      .permissions as string[];
    const lockout = await t.http.put(
      `${base}/roles/${adminRole}/permissions`,
      { permissions: original.filter((p) => p !== "roles:manage:organization") },
      people.admin,
    );
    expect(lockout.status).toBe(422);
    expect(lockout.body.error.code).toBe("ADMIN_LOCKOUT");
    const unchanged = await t.system.db
      .selectFrom("role_permissions")
      .select("permission_key")
      .where("role_id", "=", adminRole)
      .execute();
    expect(unchanged).toHaveLength(original.length);

    const learnerRole = await roleId(org.id, "learner");
    const res = await t.http.put(
      `${base}/roles/${learnerRole}/permissions`,
      { permissions: ["users:read:own", "courses:read:own"] },
      people.admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.permissions).toEqual(["courses:read:own", "users:read:own"]);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("entity_id", "=", learnerRole)
      .where("action", "=", "role.permissions-replace")
      .executeTakeFirstOrThrow();
    expect((audit.before as { permissions: string[] }).permissions).toContain(
      "enrollments:create:own",
    );
    expect(audit.after).toMatchObject({ permissions: ["courses:read:own", "users:read:own"] });
    expect((audit.after as { removed: string[] }).removed).toContain("enrollments:create:own");

    const reset = await t.http.post(`${base}/roles/${learnerRole}/reset`, {}, people.admin);
    expect(reset.body.data.permissions.sort()).toEqual(
      [...(ORGANIZATION_ROLES.find((r) => r.key === "learner")?.permissions ?? [])].sort(),
    );
  });

  it("lets an organization keep administering through another role that can manage roles", async () => {
    const { base, people, org } = await world();
    const custom = await t.http.post(
      `${base}/roles`,
      {
        key: "co-admin",
        name: "Co-admin",
        permissions: ["roles:manage:organization", "roles:read:organization"],
      },
      people.admin,
    );
    await t.http.post(
      `${base}/role-assignments`,
      { userId: people.hr!.user.id, roleKey: "co-admin" },
      people.admin,
    );
    const adminRole = await roleId(org.id, "org-admin");
    const current = (await t.http.get(`${base}/roles/${adminRole}`, people.admin)).body.data
      .permissions as string[];
    const res = await t.http.put(
      `${base}/roles/${adminRole}/permissions`,
      { permissions: current.filter((p) => p !== "roles:manage:organization") },
      people.admin,
    );
    expect(res.status).toBe(200);
    expect(custom.status).toBe(201);
  });

  it("deletes custom roles only, taking them from their holders", async () => {
    const { base, people, org } = await world();
    const system = await t.http.delete(
      `${base}/roles/${await roleId(org.id, "auditor")}`,
      people.admin,
    );
    expect(system.status).toBe(422);
    expect(system.body.error.code).toBe("SYSTEM_ROLE_PROTECTED");
    const custom = await t.http.post(
      `${base}/roles`,
      { key: "temp", name: "Temp", permissions: ["members:read:organization"] },
      people.admin,
    );
    await t.http.post(
      `${base}/role-assignments`,
      { userId: people.learner!.user.id, roleKey: "temp" },
      people.admin,
    );
    expect((await t.http.get(`${base}/members`, people.learner)).status).toBe(200);
    expect((await t.http.delete(`${base}/roles/${custom.body.data.id}`, people.admin)).status).toBe(
      200,
    );
    expect((await t.http.get(`${base}/members`, people.learner)).status).toBe(403);
    const gone = await t.system.db
      .selectFrom("user_roles")
      .select("id")
      .where("role_id", "=", custom.body.data.id)
      .execute();
    expect(gone).toEqual([]);
  });
});

describe("role assignments", () => {
  it("give and take roles, honour expiry, and record who assigned them", async () => {
    const { base, people } = await world();
    const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const res = await t.http.post(
      `${base}/role-assignments`,
      { userId: people.learner!.user.id, roleKey: "report-viewer", expiresAt },
      people.admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      role: { key: "report-viewer" },
      assignedBy: people.admin.user.id,
      expired: false,
    });
    expect((await t.http.get(`${base}/members`, people.learner)).status).toBe(200);
    t.clock.advance(3_600_000 + 1000);
    const fresh = await signIn(t, people.learner!.user.email);
    const adminFresh = await signIn(t, people.admin.user.email);
    expect((await t.http.get(`${base}/members`, fresh)).status).toBe(403);
    const listed = await t.http.get(
      `${base}/role-assignments?userId=${people.learner!.user.id}&roleKey=report-viewer`,
      adminFresh,
    );
    expect(listed.body.data[0].expired).toBe(true);
    const removed = await t.http.delete(`${base}/role-assignments/${res.body.data.id}`, adminFresh);
    expect(removed.status).toBe(200);
    const unknownUser = await t.http.post(
      `${base}/role-assignments`,
      { userId: "01a20000-0000-7000-8000-000000000000", roleKey: "learner" },
      adminFresh,
    );
    expect(unknownUser.status).toBe(404);
  });

  it("cannot be used to grant more than the assigner holds", async () => {
    const { base, people } = await world();
    const res = await t.http.post(
      `${base}/role-assignments`,
      { userId: people.learner!.user.id, roleKey: "org-admin" },
      people.hr,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.details.notHeld).toContain("api-keys:manage:organization");
    const ok = await t.http.post(
      `${base}/role-assignments`,
      { userId: people.learner!.user.id, roleKey: "report-viewer" },
      people.hr,
    );
    expect(ok.status).toBe(201);
    const instructor = await t.http.post(
      `${base}/role-assignments`,
      { userId: people.learner!.user.id, roleKey: "instructor" },
      people.hr,
    );
    expect(instructor.body.error.details.notHeld).toContain("courses:manage:own");
  });

  it("refuses to take away the last administrator's role", async () => {
    const { base, people } = await world();
    const list = await t.http.get(`${base}/role-assignments?roleKey=org-admin`, people.admin);
    const res = await t.http.delete(
      `${base}/role-assignments/${list.body.data[0].id}`,
      people.admin,
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("ADMIN_LOCKOUT");
  });

  it("limits a department administrator to their own department's members", async () => {
    const { org, people, base } = await world();
    const { createDepartment } = await import("../organizations/structure.js");
    const { addMember } = await import("../organizations/service.js");
    const { makeUser } = await import("../../../test/factories.js");
    const eng = await createDepartment(t.system, org.id, { name: "Eng" });
    const ops = await createDepartment(t.system, org.id, { name: "Ops" });
    const head = await makeUser(t);
    const inside = await makeUser(t);
    const outside = await makeUser(t);
    await addMember(t.system, org.id, {
      userId: head.id,
      roleKeys: ["department-admin"],
      departmentId: eng.id,
    });
    await addMember(t.system, org.id, { userId: inside.id, departmentId: eng.id });
    await addMember(t.system, org.id, { userId: outside.id, departmentId: ops.id });
    const creds = await signIn(t, head.email);
    expect(
      (
        await t.http.post(
          `${base}/role-assignments`,
          { userId: inside.id, roleKey: "manager" },
          creds,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await t.http.post(
          `${base}/role-assignments`,
          { userId: outside.id, roleKey: "manager" },
          creds,
        )
      ).status,
    ).toBe(403);
    expect(people.admin).toBeTruthy();
  });
});
