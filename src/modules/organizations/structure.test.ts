import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { addTeamMember } from "./structure.js";

let t: TestApp;
let world: Awaited<ReturnType<typeof makeOrganization>>;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  world = await makeOrganization(t, {
    people: [
      { key: "manager", roles: ["manager"] },
      { key: "worker", roles: ["learner"] },
      { key: "outsider", roles: ["learner"] },
    ],
  });
  base = `/api/v1/organizations/${world.org.id}`;
});
afterAll(() => t.close());

describe("departments", () => {
  it("are created, nested, renamed and deleted with their rules", async () => {
    const admin = world.people.admin;
    const parent = await t.http.post(
      `${base}/departments`,
      { name: "Operations", code: "OPS" },
      admin,
    );
    expect(parent.status).toBe(201);
    const child = await t.http.post(
      `${base}/departments`,
      {
        name: "Logistics",
        parentId: parent.body.data.id,
        headUserId: world.people.worker!.user.id,
      },
      admin,
    );
    expect(child.body.data).toMatchObject({
      parentId: parent.body.data.id,
      headUserId: world.people.worker!.user.id,
      memberCount: 0,
    });
    expect(
      (await t.http.post(`${base}/departments`, { name: "Operations" }, admin)).body.error.code,
    ).toBe("ALREADY_EXISTS");
    const cycle = await t.http.patch(
      `${base}/departments/${parent.body.data.id}`,
      { parentId: child.body.data.id },
      admin,
    );
    expect(cycle.status).toBe(422);
    const selfParent = await t.http.patch(
      `${base}/departments/${parent.body.data.id}`,
      { parentId: parent.body.data.id },
      admin,
    );
    expect(selfParent.status).toBe(422);
    const headOutside = await t.http.post(
      `${base}/departments`,
      { name: "X", headUserId: "01a206b7-0000-7000-8000-000000000000" },
      admin,
    );
    expect(headOutside.status).toBe(404);
    const blocked = await t.http.delete(`${base}/departments/${parent.body.data.id}`, admin);
    expect(blocked.status).toBe(422);
    const renamed = await t.http.patch(
      `${base}/departments/${child.body.data.id}`,
      { name: "Supply chain" },
      admin,
    );
    expect(renamed.body.data.name).toBe("Supply chain");
    expect((await t.http.delete(`${base}/departments/${child.body.data.id}`, admin)).status).toBe(
      200,
    );
    expect((await t.http.delete(`${base}/departments/${parent.body.data.id}`, admin)).status).toBe(
      200,
    );
    const actions = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("organization_id", "=", world.org.id)
      .where("entity_type", "=", "department")
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual([
      "department.create",
      "department.create",
      "department.delete",
      "department.delete",
      "department.update",
    ]);
  });

  it("are read-only for people without departments:manage", async () => {
    const list = await t.http.get(`${base}/departments`, world.people.manager);
    expect(list.status).toBe(403);
    const create = await t.http.post(`${base}/departments`, { name: "Nope" }, world.people.worker);
    expect(create.status).toBe(403);
  });
});

describe("teams", () => {
  it("are managed by administrators, and by managers only for the teams they lead", async () => {
    const admin = world.people.admin;
    const manager = world.people.manager!;
    const mine = await t.http.post(
      `${base}/teams`,
      { name: "Night shift", managerUserId: manager.user.id },
      admin,
    );
    const theirs = await t.http.post(`${base}/teams`, { name: "Day shift" }, admin);
    expect(mine.status).toBe(201);
    await addTeamMember(t.system, world.org.id, mine.body.data.id, manager.user.id, "lead");

    const listed = await t.http.get(`${base}/teams`, manager);
    expect(listed.body.data.map((team: { name: string }) => team.name)).toEqual(["Night shift"]);
    expect((await t.http.get(`${base}/teams/${theirs.body.data.id}`, manager)).status).toBe(404);

    const add = await t.http.put(
      `${base}/teams/${mine.body.data.id}/members/${world.people.worker!.user.id}`,
      { role: "member" },
      manager,
    );
    expect(add.status).toBe(200);
    expect(add.body.data.memberCount).toBe(2);
    expect(add.body.data.members.map((m: { role: string }) => m.role).sort()).toEqual([
      "lead",
      "member",
    ]);
    const notMember = await t.http.put(
      `${base}/teams/${mine.body.data.id}/members/01a20000-0000-7000-8000-00000000dead`,
      {},
      manager,
    );
    expect(notMember.status).toBe(404);
    const foreign = await t.http.put(
      `${base}/teams/${theirs.body.data.id}/members/${world.people.worker!.user.id}`,
      {},
      manager,
    );
    expect(foreign.status).toBe(403);
    const rename = await t.http.patch(
      `${base}/teams/${mine.body.data.id}`,
      { name: "Graveyard shift" },
      manager,
    );
    expect(rename.body.data.name).toBe("Graveyard shift");

    const removed = await t.http.delete(
      `${base}/teams/${mine.body.data.id}/members/${world.people.worker!.user.id}`,
      manager,
    );
    expect(removed.body.data.memberCount).toBe(1);
    const twice = await t.http.delete(
      `${base}/teams/${mine.body.data.id}/members/${world.people.worker!.user.id}`,
      manager,
    );
    expect(twice.status).toBe(404);
    expect((await t.http.delete(`${base}/teams/${theirs.body.data.id}`, manager)).status).toBe(403);
    expect((await t.http.delete(`${base}/teams/${theirs.body.data.id}`, admin)).status).toBe(200);
    const dup = await t.http.post(`${base}/teams`, { name: "Graveyard shift" }, admin);
    expect(dup.body.error.code).toBe("ALREADY_EXISTS");
  });

  it("make their lead see the members' details through members:read at team scope", async () => {
    const admin = world.people.admin;
    const team = await t.http.post(`${base}/teams`, { name: "Watchers" }, admin);
    await t.http.put(
      `${base}/teams/${team.body.data.id}/members/${world.people.outsider!.user.id}`,
      {},
      admin,
    );
    const before = await t.http.get(
      `${base}/members/${world.people.outsider!.user.id}`,
      world.people.manager,
    );
    expect(before.status).toBe(404);
    await t.http.put(
      `${base}/teams/${team.body.data.id}/members/${world.people.manager!.user.id}`,
      { role: "lead" },
      admin,
    );
    const after = await t.http.get(
      `${base}/members/${world.people.outsider!.user.id}`,
      world.people.manager,
    );
    expect(after.status).toBe(200);
  });
});
