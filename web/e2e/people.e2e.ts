import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDepartment, createTeam } from "../../src/modules/organizations/structure.js";
import { makeOrganization, makeUser, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The People page of an organization administrator: members found by name, an invitation
 * mailed, sent again and revoked; a learner of the same organization sees no People entry.
 * Invitations from a CSV file are in the administrator's journey (assignments.e2e.ts), where
 * the people invited accept and are given training.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let admin: { email: string; name: string };
let learnerEmail = "";
let orgId = "";
let noahId = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const t = server.app;
  const { org, people } = await makeOrganization(t, {
    name: "Harbour Logistics",
    people: [
      { key: "Maya", roles: ["learner"] },
      { key: "Noah", roles: ["manager"] },
    ],
  });
  orgId = org.id;
  await createDepartment(t.system, org.id, { name: "Operations" });
  admin = {
    email: people.admin.user.email,
    name: `${people.admin.user.first_name} ${people.admin.user.last_name}`,
  };
  learnerEmail = people.Maya?.user.email ?? "";
  noahId = people.Noah?.user.id ?? "";
  // Someone outside the organization, who must not show up.
  await makeUser(t, { firstName: "Outsider", lastName: "Elsewhere" });
});

async function roleId(key: string) {
  const role = await server.app.system.db
    .selectFrom("roles")
    .select("id")
    .where("organization_id", "=", orgId)
    .where("key", "=", key)
    .executeTakeFirst();
  return role?.id;
}

async function permissionsOf(key: string) {
  const rows = await server.app.system.db
    .selectFrom("role_permissions as p")
    .innerJoin("roles as r", "r.id", "p.role_id")
    .select("p.permission_key")
    .where("r.organization_id", "=", orgId)
    .where("r.key", "=", key)
    .orderBy("p.permission_key")
    .execute();
  return rows.map((r) => r.permission_key);
}

afterAll(async () => {
  await journey?.close();
});

describe("People", () => {
  it("lists the organization's members, searchable, from the navigation", async () => {
    await app.open("/");
    expect((await app.signIn(admin.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await afterResponse(page, `/api/v1/organizations/${orgId}/members`, () =>
      page.getByRole("link", { name: "People" }).first().click(),
    );
    await app.expectHeading("People");
    const members = page.getByRole("region", { name: "Members" });
    await members.getByText("3 people").waitFor();
    for (const name of ["Org Admin", "Maya Person", "Noah Person"])
      await members.getByRole("cell", { name: new RegExp(name) }).waitFor();
    expect(await page.getByText("Outsider Elsewhere").count()).toBe(0);

    await afterResponse(page, `/api/v1/organizations/${orgId}/members`, () =>
      page.getByLabel("Search").fill("noah"),
    );
    await members.getByText("1 person").waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("noah");
    await members.getByRole("cell", { name: /Noah Person/ }).waitFor();
    expect(await members.getByRole("cell", { name: /Maya Person/ }).count()).toBe(0);

    await page.getByLabel("Search").fill("nobody-by-this-name");
    await members.getByRole("heading", { name: "Nobody matches" }).waitFor();
    await checkPage(page, "people, nobody matches");
    await page.getByLabel("Search").fill("");
    await members.getByText("3 people").waitFor();
    await checkPage(page, "people");
  });

  it("mails an invitation, sends it again and revokes it", async () => {
    const invites = page.getByRole("region", { name: "Invitations waiting for an answer" });
    await invites.getByRole("heading", { name: "No invitation is waiting" }).waitFor();

    await page.getByRole("button", { name: "Invite someone" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite someone" });
    await dialog.getByLabel("Email address").fill("lena.new@example.com");
    await dialog.getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: "Manager" }).click();
    await dialog.getByLabel("Message").fill("Welcome to the logistics team.");
    await checkPage(page, "invite dialog");
    const sent = await afterResponse(page, `/api/v1/organizations/${orgId}/invites`, () =>
      dialog.getByRole("button", { name: "Send the invitation" }).click(),
    );
    expect(sent.status()).toBe(201);
    await page.getByText("An invitation was mailed to lena.new@example.com.").waitFor();
    const row = invites.getByRole("row", { name: /lena\.new@example\.com/ });
    await row.waitFor();
    await row.getByRole("cell", { name: "Manager" }).waitFor();
    const link = await server.mailedLink("lena.new@example.com", "/invites/accept");
    expect(link).toMatch(/^\/invites\/accept\?token=/);

    // The same address again is refused in the dialog, which stays open.
    await page.getByRole("button", { name: "Invite someone" }).click();
    await dialog.getByLabel("Email address").fill("lena.new@example.com");
    const again = await afterResponse(page, `/api/v1/organizations/${orgId}/invites`, () =>
      dialog.getByRole("button", { name: "Send the invitation" }).click(),
    );
    expect(again.status()).toBe(409);
    await dialog.getByRole("alert").waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).first().click();
    await dialog.waitFor({ state: "hidden" });

    const actions = invites.getByRole("group", { name: "Invitation to lena.new@example.com" });
    await afterResponse(page, `/api/v1/organizations/${orgId}/invites`, () =>
      actions.getByRole("button", { name: "Send again" }).click(),
    );
    await invites
      .getByText("The invitation to lena.new@example.com was mailed again with a new link.")
      .waitFor();
    const resent = await server.mailedLink("lena.new@example.com", "/invites/accept");
    expect(resent).not.toBe(link);

    await afterResponse(page, `/api/v1/organizations/${orgId}/invites`, () =>
      actions.getByRole("button", { name: "Revoke" }).click(),
    );
    await invites.getByRole("heading", { name: "No invitation is waiting" }).waitFor();
    await checkPage(page, "people after revoking");
  });

  it("changes a member's details and roles on their page", async () => {
    const members = page.getByRole("region", { name: "Members" });
    await members.getByRole("link", { name: "Noah Person" }).click();
    await app.expectHeading("Noah Person");
    const roles = page.getByRole("region", { name: "Roles" });
    await roles.getByRole("cell", { name: "Manager", exact: true }).waitFor();
    await checkPage(page, "member page");

    await page.getByLabel("Job title").fill("Dispatcher");
    await page.getByRole("combobox", { name: "Department" }).click();
    await page.getByRole("option", { name: "Operations" }).click();
    const saved = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/members/${noahId}`,
      () => page.getByRole("button", { name: "Save changes" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Saved.").waitFor();
    const stored = await server.app.system.db
      .selectFrom("organization_members as m")
      .innerJoin("departments as d", "d.id", "m.department_id")
      .select(["m.title", "d.name"])
      .where("m.user_id", "=", noahId)
      .where("m.organization_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ title: "Dispatcher", name: "Operations" });

    await page.getByRole("combobox", { name: "Give a role" }).click();
    await page.getByRole("option", { name: "Instructor" }).click();
    await afterResponse(page, `/api/v1/organizations/${orgId}/role-assignments`, () =>
      page.getByRole("button", { name: "Give the role" }).click(),
    );
    await roles.getByText("The role Instructor was given.").waitFor();
    await roles.getByRole("cell", { name: "Instructor", exact: true }).waitFor();
    await roles.getByRole("button", { name: "Take away the role Instructor" }).click();
    await roles.getByText("The role Instructor was taken away.").waitFor();
    await roles
      .getByRole("cell", { name: "Instructor", exact: true })
      .waitFor({ state: "detached" });

    await page.getByRole("link", { name: "All people" }).click();
    await app.expectHeading("People");
    const noah = members.getByRole("row", { name: /Noah Person/ });
    await noah.getByRole("cell", { name: "Operations" }).waitFor();
  });

  it("adds, renames and deletes departments and teams", async () => {
    await page.getByRole("link", { name: "Departments and teams" }).click();
    await app.expectHeading("Departments and teams");
    const departments = page.getByRole("region", { name: "Departments" });
    await departments
      .getByRole("row", { name: /Operations/ })
      .getByRole("cell", { name: "1" })
      .waitFor();

    await departments.getByLabel("Name").fill("Customer Service");
    await departments.getByLabel("Code").fill("CS");
    await departments.getByRole("combobox", { name: "Part of" }).click();
    await page.getByRole("option", { name: "Operations" }).click();
    await afterResponse(page, `/api/v1/organizations/${orgId}/departments`, () =>
      departments.getByRole("button", { name: "Add the department" }).click(),
    );
    await departments.getByText("Customer Service was added.").waitFor();
    const added = departments.getByRole("row", { name: /Customer Service/ });
    await added.getByRole("cell", { name: "Operations" }).waitFor();

    await departments
      .getByRole("group", { name: "Department Customer Service" })
      .getByRole("button", { name: "Rename" })
      .click();
    const dialog = page.getByRole("dialog", { name: "Rename Customer Service" });
    await dialog.getByLabel("Name").fill("Customer Care");
    await checkPage(page, "rename a department");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await departments.getByText("The department is now called Customer Care.").waitFor();

    const teams = page.getByRole("region", { name: "Teams" });
    await teams.getByRole("heading", { name: "No team yet" }).waitFor();
    await teams.getByLabel("Team name").fill("Night Shift");
    await teams.getByRole("combobox", { name: "Department" }).click();
    await page.getByRole("option", { name: "Customer Care" }).click();
    await afterResponse(page, `/api/v1/organizations/${orgId}/teams`, () =>
      teams.getByRole("button", { name: "Add the team" }).click(),
    );
    await teams
      .getByRole("row", { name: /Night Shift/ })
      .getByRole("cell", { name: "Customer Care" })
      .waitFor();
    await checkPage(page, "departments and teams");
    const stored = await server.app.system.db
      .selectFrom("teams as t")
      .innerJoin("departments as d", "d.id", "t.department_id")
      .innerJoin("departments as p", "p.id", "d.parent_id")
      .select(["t.name as team", "d.name as department", "d.code", "p.name as parent"])
      .where("t.organization_id", "=", orgId)
      .execute();
    expect(stored).toEqual([
      { team: "Night Shift", department: "Customer Care", code: "CS", parent: "Operations" },
    ]);

    await teams.getByRole("button", { name: "Delete Night Shift" }).click();
    const confirmTeam = page.getByRole("dialog", { name: "Delete Night Shift?" });
    await confirmTeam.getByText(/Its 0 members stay/).waitFor();
    await checkPage(page, "confirm deleting a team");
    await confirmTeam.getByRole("button", { name: "Delete" }).click();
    await teams.getByRole("heading", { name: "No team yet" }).waitFor();
    await departments
      .getByRole("group", { name: "Department Customer Care" })
      .getByRole("button", { name: "Delete" })
      .click();
    // Cancelling keeps it; confirming deletes it.
    const confirmDepartment = page.getByRole("dialog", { name: "Delete Customer Care?" });
    await confirmDepartment.getByRole("button", { name: "Cancel" }).first().click();
    await confirmDepartment.waitFor({ state: "hidden" });
    await departments.getByRole("row", { name: /Customer Care/ }).waitFor();
    await departments
      .getByRole("group", { name: "Department Customer Care" })
      .getByRole("button", { name: "Delete" })
      .click();
    await confirmDepartment.getByRole("button", { name: "Delete" }).click();
    await departments.getByText("Customer Care was deleted.").waitFor();
    expect(await departments.getByRole("row", { name: /Customer Care/ }).count()).toBe(0);
  });

  it("puts a member in a team as its lead and takes them out", async () => {
    await createTeam(server.app.system, orgId, { name: "Day Shift" });
    await app.open(`/people/${noahId}?org=${orgId}`);
    await app.expectHeading("Noah Person");
    const teams = page.getByRole("region", { name: "Teams" });
    await teams.getByRole("heading", { name: "In no team" }).waitFor();
    await teams.getByRole("combobox", { name: "Add to a team" }).click();
    await page.getByRole("option", { name: "Day Shift" }).click();
    await teams.getByRole("combobox", { name: "Role in the team" }).click();
    await page.getByRole("option", { name: "Lead" }).click();
    await afterResponse(page, `/api/v1/organizations/${orgId}/teams`, () =>
      teams.getByRole("button", { name: "Add to the team" }).click(),
    );
    await teams.getByText("Added to Day Shift as Lead.").waitFor();
    await teams
      .getByRole("row", { name: /Day Shift/ })
      .getByRole("cell", { name: "Lead" })
      .waitFor();
    await checkPage(page, "member page with a team");
    const stored = await server.app.system.db
      .selectFrom("team_members as m")
      .innerJoin("teams as t", "t.id", "m.team_id")
      .select(["t.name", "m.role"])
      .where("m.user_id", "=", noahId)
      .execute();
    expect(stored).toEqual([{ name: "Day Shift", role: "lead" }]);
    await teams.getByRole("button", { name: "Take out of the team Day Shift" }).click();
    await teams.getByText("Taken out of Day Shift.").waitFor();
    await teams.getByRole("heading", { name: "In no team" }).waitFor();
  });

  it("creates a role, gives it permissions, keeps an administrator, and deletes it", async () => {
    await app.open(`/people?org=${orgId}`);
    await app.expectHeading("People");
    await page.getByRole("link", { name: "Roles and permissions" }).click();
    await app.expectHeading("Roles and permissions");
    const list = page.getByRole("region", { name: "Roles" });
    await list.getByRole("link", { name: "Organization administrator" }).waitFor();
    await checkPage(page, "roles");

    await list.getByRole("textbox", { name: /^Name/ }).fill("Safety lead");
    expect(await list.getByRole("textbox", { name: /^Key/ }).inputValue()).toBe("safety-lead");
    await afterResponse(page, `/api/v1/organizations/${orgId}/roles`, () =>
      list.getByRole("button", { name: "Create the role" }).click(),
    );
    await app.expectHeading("Safety lead");
    await page.getByText("Held by 0 people").waitFor();
    const matrix = page.getByRole("region", { name: "Permissions" });
    await matrix.getByLabel("Find a permission").fill("enrollments");
    await matrix.getByRole("checkbox", { name: "See enrollments: Department" }).check();
    await matrix.getByText("Unsaved: 1 added, 0 removed.").waitFor();
    await checkPage(page, "role editor");
    const saved = await afterResponse(
      page,
      /* the role's permissions */ `/api/v1/organizations/${orgId}/roles/${await roleId("safety-lead")}/permissions`,
      () => matrix.getByRole("button", { name: "Save 1 change" }).click(),
    );
    expect(saved.status()).toBe(200);
    await matrix.getByText("The permissions were saved.").waitFor();
    expect(await permissionsOf("safety-lead")).toEqual(["enrollments:read:department"]);

    // Taking role management from the only administrators' role is refused; nothing changes.
    await page.getByRole("link", { name: "All roles" }).click();
    await list.getByRole("link", { name: "Organization administrator" }).click();
    await app.expectHeading("Organization administrator");
    const before = await permissionsOf("org-admin");
    await matrix.getByLabel("Find a permission").fill("Create roles");
    await matrix
      .getByRole("checkbox", { name: "Create roles and change their permissions: Organization" })
      .uncheck();
    const refused = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/roles/${await roleId("org-admin")}/permissions`,
      () => matrix.getByRole("button", { name: "Save 1 change" }).click(),
    );
    expect(refused.status()).toBe(422);
    await matrix
      .getByRole("alert")
      .getByText(/without an administrator who can manage roles/)
      .waitFor();
    expect(await permissionsOf("org-admin")).toEqual(before);
    await matrix.getByRole("button", { name: "Discard changes" }).click();

    await page.getByRole("link", { name: "All roles" }).click();
    await list.getByRole("link", { name: "Safety lead" }).click();
    await app.expectHeading("Safety lead");
    await page.getByRole("button", { name: "Delete the role" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete Safety lead?" });
    await confirm.getByRole("button", { name: "Delete the role" }).click();
    await app.expectHeading("Roles and permissions");
    await list.getByRole("link", { name: "Organization administrator" }).waitFor();
    expect(await list.getByRole("link", { name: "Safety lead" }).count()).toBe(0);
    expect(await roleId("safety-lead")).toBeUndefined();
  });

  it("shows no People entry to a learner", async () => {
    await app.signOut(admin.name);
    await app.expectHeading("Sign in");
    expect((await app.signIn(learnerEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await nav.getByRole("link", { name: "Catalog" }).first().waitFor({ state: "attached" });
    expect(await nav.getByRole("link", { name: "People" }).count()).toBe(0);
    expect(journey.problems).toEqual([]);
  });
});
