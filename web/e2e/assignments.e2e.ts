import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addTeamMember,
  createDepartment,
  createTeam,
} from "../../src/modules/organizations/structure.js";
import { makeOrganization, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The organization administrator's journey (issue 14 §6) as one flow: two people invited from
 * a CSV file accept the mailed links and create their accounts; the administrator puts them in
 * a department, assigns it compliance training with a due date, sees one of them overdue once
 * the date has passed and moves the due dates of everyone overdue in bulk; a manager sees their
 * team only; a learner has no Assignments entry.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let hygieneId = "";
const people: Record<string, { id: string; email: string; name: string }> = {};
/** The two people invited from the CSV file, with the names they sign up with. */
const INVITED = {
  Lea: { email: "lea.walker@example.com", firstName: "Lea", lastName: "Walker" },
  Tom: { email: "tom.baker@example.com", firstName: "Tom", lastName: "Baker" },
};

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const t = server.app;
  const w = await makeOrganization(t, {
    name: "Northwind Care",
    people: [
      { key: "Sam", roles: ["learner"] },
      { key: "Max", roles: ["learner", "manager"] },
    ],
  });
  orgId = w.org.id;
  for (const [key, person] of Object.entries(w.people))
    people[key] = {
      id: person.user.id,
      email: person.user.email,
      name: `${person.user.first_name} ${person.user.last_name}`,
    };
  await createDepartment(t.system, orgId, { name: "Nursing" });
  const team = await createTeam(t.system, orgId, {
    name: "Night desk",
    managerUserId: people.Max!.id,
  });
  await addTeamMember(t.system, orgId, team.id, people.Sam!.id);
  const course = (code: string, title: string) =>
    publishedCourse(t, {
      code,
      title,
      description: `${title}: what every member of staff must know and do.`,
      instructorId: people.admin!.id,
      organizationId: orgId,
    });
  const fire = await course("FIRE-1", "Fire safety");
  hygieneId = (await course("HYG-1", "Hand hygiene")).id;
  // Fire safety was due last week for Sam.
  const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const assigned = await t.http.post(
    `/api/v1/organizations/${orgId}/enrollments`,
    { userIds: [people.Sam!.id], courseId: fire.id, dueAt: lastWeek, isMandatory: true },
    w.people.admin,
  );
  expect(assigned.body.data.map((r: { result: string }) => r.result)).toEqual(["enrolled"]);
});

afterAll(async () => {
  await journey?.close();
});

describe("Assignments", () => {
  it("invites two people from a CSV file, saying row by row who was invited", async () => {
    await app.open("/");
    expect((await app.signIn(people.admin!.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("link", { name: "People" }).first().click();
    await app.expectHeading("People");
    await page.getByRole("button", { name: "Invite from a CSV file" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite from a CSV file" });
    const file = dialog.locator('input[type="file"]');
    await file.setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name,role\nAna,Manager\n"),
    });
    await dialog
      .getByRole("alert")
      .getByText(/No column is named email/)
      .waitFor();

    await file.setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        `Email;Role;Message\n${INVITED.Lea.email};;Welcome to Nursing\n${INVITED.Tom.email};Learner;\n${people.Sam!.email};;\n`,
      ),
    });
    await dialog.getByText("3 people to invite").waitFor();
    await dialog.getByRole("cell", { name: INVITED.Lea.email }).waitFor();
    await checkPage(page, "CSV invitations, preview");
    const sent = await afterResponse(page, `/api/v1/organizations/${orgId}/invites/batch`, () =>
      dialog.getByRole("button", { name: "Send 3 invitations" }).click(),
    );
    expect(sent.status()).toBe(200);
    await dialog.getByText("Invited: 2. Refused: 1.").waitFor();
    const refused = dialog.getByRole("row", { name: new RegExp(people.Sam!.email) });
    await refused.getByText("Refused").waitFor();
    await refused.getByText("This person is already a member").waitFor();
    await checkPage(page, "CSV invitations, results");

    const download = page.waitForEvent("download");
    await dialog.getByRole("button", { name: "Download the results (CSV)" }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe("invitation-results.csv");
    const text = await readFile(await saved.path(), "utf8");
    expect(text.split("\r\n")).toEqual([
      "Line,Email,Result",
      `2,${INVITED.Lea.email},Invited`,
      `3,${INVITED.Tom.email},Invited`,
      `4,${people.Sam!.email},This person is already a member`,
      "",
    ]);
    await dialog.getByRole("button", { name: "Done" }).click();
    const invites = page.getByRole("region", { name: "Invitations waiting for an answer" });
    for (const { email } of Object.values(INVITED))
      await invites
        .getByRole("row", { name: new RegExp(email.replaceAll(".", "\\.")) })
        .getByRole("cell", { name: "Learner" })
        .waitFor();
  });

  it("has each invited person accept the mailed link and create their account", async () => {
    for (const [key, person] of Object.entries(INVITED)) {
      // The invitee's own browser, signed out.
      const theirs = await journey.newPage();
      const guest = new Lyceum(theirs, server.url);
      await guest.open(await server.mailedLink(person.email, "/invites/accept"));
      await guest.expectHeading("Join Northwind Care");
      await theirs.getByRole("heading", { name: "Create your account" }).waitFor();
      await theirs.getByLabel("First name").fill(person.firstName);
      await theirs.getByLabel("Last name").fill(person.lastName);
      await theirs.getByLabel(/^Password/).fill(PASSWORD);
      const answer = await afterResponse(theirs, "/api/v1/invites/accept-new", () =>
        theirs.getByRole("button", { name: "Create account and join" }).click(),
      );
      expect(answer.status()).toBe(201);
      await theirs
        .getByRole("status")
        .getByText("Your account is ready and you joined Northwind Care.", { exact: false })
        .waitFor();
      await theirs.context().close();
      const member = await server.app.system.db
        .selectFrom("users as u")
        .innerJoin("organization_members as m", "m.user_id", "u.id")
        .select(["u.id", "u.email_verified", "m.status"])
        .where("u.email", "=", person.email)
        .where("m.organization_id", "=", orgId)
        .executeTakeFirstOrThrow();
      expect(member).toMatchObject({ email_verified: true, status: "active" });
      people[key] = {
        id: member.id,
        email: person.email,
        name: `${person.firstName} ${person.lastName}`,
      };
    }
    // Answered invitations leave the administrator's list.
    await page.reload();
    await page
      .getByRole("region", { name: "Invitations waiting for an answer" })
      .getByRole("heading", { name: "No invitation is waiting" })
      .waitFor();
  });

  it("puts both in a department", async () => {
    const members = page.getByRole("region", { name: "Members" });
    for (const key of ["Lea", "Tom"]) {
      const person = people[key]!;
      await members.getByRole("link", { name: person.name }).click();
      await app.expectHeading(person.name);
      await page.getByRole("combobox", { name: "Department" }).click();
      await page.getByRole("option", { name: "Nursing" }).click();
      const saved = await afterResponse(
        page,
        `/api/v1/organizations/${orgId}/members/${person.id}`,
        () => page.getByRole("button", { name: "Save changes" }).click(),
      );
      expect(saved.status()).toBe(200);
      await page.getByText("Saved.").waitFor();
      await page.getByRole("link", { name: "All people" }).click();
      await app.expectHeading("People");
      await members
        .getByRole("row", { name: new RegExp(person.name) })
        .getByRole("cell", { name: "Nursing" })
        .waitFor();
    }
    const stored = await server.app.system.db
      .selectFrom("organization_members as m")
      .innerJoin("departments as d", "d.id", "m.department_id")
      .select("m.user_id")
      .where("m.organization_id", "=", orgId)
      .where("d.name", "=", "Nursing")
      .execute();
    expect(stored.map((r) => r.user_id).sort()).toEqual([people.Lea!.id, people.Tom!.id].sort());
  });

  it("assigns compliance training to the department with a due date", async () => {
    await afterResponse(page, `/api/v1/organizations/${orgId}/enrollments`, () =>
      page.getByRole("link", { name: "Assignments" }).first().click(),
    );
    await app.expectHeading("Assignments");
    await page.getByRole("button", { name: "1 overdue" }).waitFor();
    await page.getByRole("button", { name: "Assign training" }).click();
    const dialog = page.getByRole("dialog", { name: "Assign training" });
    await dialog.getByRole("combobox", { name: "Course" }).fill("hygiene");
    await page.getByRole("option", { name: "Hand hygiene" }).click();
    await dialog.getByRole("radio", { name: "A department" }).check();
    await dialog.getByRole("combobox", { name: "Department" }).click();
    await page.getByRole("option", { name: "Nursing" }).click();
    await dialog.getByLabel("Due date", { exact: true }).fill("2030-06-30");
    await dialog.getByRole("checkbox", { name: /^Compliance/ }).check();
    await checkPage(page, "assign training");
    const sent = await afterResponse(page, `/api/v1/organizations/${orgId}/enrollments`, () =>
      dialog.getByRole("button", { name: "Assign", exact: true }).click(),
    );
    expect(sent.status()).toBe(200);
    await dialog.getByText("Enrolled 2, on a waiting list 0, refused 0.").waitFor();
    await dialog.getByRole("progressbar", { name: "Sent to 2 of 2 people" }).waitFor();
    await checkPage(page, "assign training, done");
    await dialog.getByRole("button", { name: "Close" }).first().click();

    const stored = await server.app.system.db
      .selectFrom("enrollments")
      .select(["user_id", "is_compliance", "due_at", "source"])
      .where("course_id", "=", hygieneId)
      .orderBy("user_id")
      .execute();
    expect(stored.map((r) => r.user_id).sort()).toEqual([people.Lea!.id, people.Tom!.id].sort());
    expect(stored.every((r) => r.is_compliance && r.source === "compliance")).toBe(true);
    // The end of 30 June where the browser is.
    expect(stored[0]?.due_at?.toISOString().slice(0, 10)).toMatch(/^2030-(06-30|07-01)$/);

    const list = page.getByRole("region", { name: "Enrollments" });
    await list.getByText("3 enrollments").waitFor();
    await list
      .getByRole("row", { name: /Lea Walker/ })
      .getByText("Compliance")
      .waitFor();
  });

  it("shows who is overdue once a due date has passed", async () => {
    // Time passes for Tom: his hand hygiene was due yesterday.
    await server.app.system.db
      .updateTable("enrollments")
      .set({ due_at: new Date(Date.now() - 86_400_000) })
      .where("course_id", "=", hygieneId)
      .where("user_id", "=", people.Tom!.id)
      .execute();
    await afterResponse(page, `/api/v1/organizations/${orgId}/enrollments`, async () => {
      await page.reload();
    });
    await page.getByRole("button", { name: "2 overdue" }).click();
    expect(new URL(page.url()).searchParams.get("due")).toBe("overdue");
    const list = page.getByRole("region", { name: "Enrollments" });
    await list.getByText("2 enrollments").waitFor();
    for (const [name, course] of [
      ["Tom Baker", "Hand hygiene"],
      ["Sam Person", "Fire safety"],
    ] as const) {
      const row = list.getByRole("row", { name: new RegExp(name) });
      await row.getByText("Overdue").waitFor();
      await row.getByRole("link", { name: course }).waitFor();
    }
    expect(await list.getByRole("row", { name: /Lea Walker/ }).count()).toBe(0);
    await checkPage(page, "assignments, overdue");
  });

  it("moves the due date of selected rows with a progress bar, taking them off the overdue list", async () => {
    await page.getByRole("button", { name: "2 overdue" }).click();
    const list = page.getByRole("region", { name: "Enrollments" });
    await list.getByText("2 enrollments").waitFor();
    await list.getByRole("checkbox", { name: "Select every row on this page" }).check();
    const toolbar = page.getByRole("toolbar", { name: "Actions on the selected enrollments" });
    await toolbar.getByText("2 selected").waitFor();
    await toolbar.getByRole("button", { name: "Change due date" }).click();
    const dialog = page.getByRole("dialog", { name: "Change the due date of 2 enrollments" });
    await dialog.getByLabel("New due date").fill("2030-01-31");
    await checkPage(page, "bulk due date");
    await dialog.getByRole("button", { name: "Change 2 due dates" }).click();
    await dialog.getByText("Changed 2 of 2.").waitFor();
    await dialog.getByRole("progressbar", { name: "2 of 2 done" }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).first().click();
    await page.getByRole("button", { name: "0 overdue" }).waitFor();
    await list.getByRole("heading", { name: "Nothing matches" }).waitFor();
    const stored = await server.app.system.db
      .selectFrom("enrollments")
      .select("due_at")
      .where("user_id", "in", [people.Tom!.id, people.Sam!.id])
      .execute();
    expect(stored.map((r) => r.due_at?.getUTCFullYear())).toEqual([2030, 2030]);
  });

  it("shows a manager their team only, where it stands, and a learner no staff entries", async () => {
    await app.signOut(people.admin!.name);
    expect((await app.signIn(people.Max!.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("link", { name: "Assignments" }).first().click();
    await app.expectHeading("Assignments");
    const list = page.getByRole("region", { name: "Enrollments" });
    await list.getByText("1 enrollment").waitFor();
    await list.getByRole("row", { name: /Sam Person/ }).waitFor();
    // Managers may assign to their team but not change enrollments: no selection.
    expect(await list.getByRole("checkbox").count()).toBe(0);
    await checkPage(page, "assignments, manager");

    // Where the team stands, and one person's record.
    await page.getByRole("link", { name: "Learners" }).first().click();
    await app.expectHeading("Learners");
    const team = page.getByRole("region", { name: "People" });
    await team.getByText("2 people").waitFor();
    const sam = team.getByRole("row", { name: /Sam Person/ });
    await sam.getByText("0 of 1 completed").waitFor();
    expect(await team.getByRole("row", { name: /Lea Walker/ }).count()).toBe(0);
    await checkPage(page, "learners, manager");
    await sam.getByRole("link", { name: "Sam Person" }).click();
    await app.expectHeading("Sam Person");
    const courses = page.getByRole("region", { name: "Courses" });
    const fire = courses.getByRole("row", { name: /Fire safety/ });
    await fire.getByText("Active").waitFor();
    await fire.getByText(/2030/).waitFor();
    await checkPage(page, "a learner's record");

    await app.signOut(people.Max!.name);
    expect((await app.signIn(people.Lea!.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await nav.getByRole("link", { name: "Catalog" }).first().waitFor({ state: "attached" });
    expect(await nav.getByRole("link", { name: "Assignments" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Learners" }).count()).toBe(0);
    expect(journey.problems).toEqual([]);
  });
});
