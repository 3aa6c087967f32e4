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
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The organization administrator assigns compliance training to a department and follows up
 * who is late; a bulk change moves a due date; a manager sees their team only; a learner has
 * no Assignments entry.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let hygieneId = "";
const people: Record<string, { id: string; email: string; name: string }> = {};

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const t = server.app;
  const w = await makeOrganization(t, {
    name: "Northwind Care",
    people: [
      { key: "Lea", roles: ["learner"] },
      { key: "Tom", roles: ["learner"] },
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
  const nursing = await createDepartment(t.system, orgId, { name: "Nursing" });
  const { updateMember } = await import("../../src/modules/organizations/members.js");
  for (const key of ["Lea", "Tom"])
    await updateMember(t.system, orgId, people[key]!.id, { departmentId: nursing.id });
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
  // Fire safety was due last week for Tom and Sam.
  const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const assigned = await t.http.post(
    `/api/v1/organizations/${orgId}/enrollments`,
    {
      userIds: [people.Tom!.id, people.Sam!.id],
      courseId: fire.id,
      dueAt: lastWeek,
      isMandatory: true,
    },
    w.people.admin,
  );
  expect(assigned.body.data.map((r: { result: string }) => r.result)).toEqual([
    "enrolled",
    "enrolled",
  ]);
});

afterAll(async () => {
  await journey?.close();
});

describe("Assignments", () => {
  it("shows who is overdue, from the navigation", async () => {
    await app.open("/");
    expect((await app.signIn(people.admin!.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await afterResponse(page, `/api/v1/organizations/${orgId}/enrollments`, () =>
      page.getByRole("link", { name: "Assignments" }).first().click(),
    );
    await app.expectHeading("Assignments");
    await page.getByRole("button", { name: "2 overdue" }).click();
    expect(new URL(page.url()).searchParams.get("due")).toBe("overdue");
    const list = page.getByRole("region", { name: "Enrollments" });
    await list.getByText("2 enrollments").waitFor();
    for (const name of ["Tom Person", "Sam Person"]) {
      const row = list.getByRole("row", { name: new RegExp(name) });
      await row.getByText("Overdue").waitFor();
      await row.getByRole("link", { name: "Fire safety" }).waitFor();
    }
    await checkPage(page, "assignments, overdue");
  });

  it("assigns compliance training to a department with a due date", async () => {
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

    await page.getByRole("combobox", { name: "Due" }).click();
    await page.getByRole("option", { name: "Any" }).click();
    const list = page.getByRole("region", { name: "Enrollments" });
    await list.getByText("4 enrollments").waitFor();
    await list
      .getByRole("row", { name: /Lea Person/ })
      .getByText("Compliance")
      .waitFor();
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
      .selectFrom("enrollments as e")
      .innerJoin("courses as c", "c.id", "e.course_id")
      .select("e.due_at")
      .where("c.code", "=", "FIRE-1")
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
    expect(await team.getByRole("row", { name: /Lea Person/ }).count()).toBe(0);
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
