import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCohort, transitionCohort } from "../../src/modules/cohorts/cohorts.js";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { makeOrganization, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An instructor runs a cohort-based course: schedules a cohort in its own time zone and opens
 * it, reads a full cohort's roster and waitlist and downloads the roster, adds a session
 * recording, fills the enablement kit, schedules an announcement to one cohort and answers a
 * learner's review. What the pages show is checked against what the server stored.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let instructorEmail = "";
let courseId = "";
let springId = "";
let moduleId = "";
const learners: Record<string, { id: string; email: string }> = {};

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const t = server.app;
  const { org, people } = await makeOrganization(t, {
    name: "Harbour Academy",
    people: [
      { key: "Ines", roles: ["instructor"] },
      { key: "Ada", roles: ["learner"] },
      { key: "Ben", roles: ["learner"] },
      { key: "Cy", roles: ["learner"] },
    ],
  });
  const instructor = people.Ines!;
  instructorEmail = instructor.user.email;
  for (const key of ["Ada", "Ben", "Cy"])
    learners[key] = { id: people[key]!.user.id, email: people[key]!.user.email };
  const course = await publishedCourse(t, {
    code: "HARBOUR-AI",
    title: "AI at the harbour",
    instructorId: instructor.user.id,
    organizationId: org.id,
    delivery: "cohort-based",
  });
  courseId = course.id;
  moduleId = (
    await t.system.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow()
  ).id;
  // A full two-seat cohort: Ada and Ben are in, Cy waits.
  const spring = await createCohort(t.system, courseId, {
    name: "Spring cohort",
    startsAt: "2030-04-01T08:00:00Z",
    endsAt: "2030-04-02T16:00:00Z",
    capacity: 2,
  });
  springId = spring.id;
  await transitionCohort(t.system, springId, "open");
  for (const key of ["Ada", "Ben", "Cy"])
    await enroll(t.system, {
      userId: learners[key]!.id,
      courseId,
      cohortId: springId,
      source: "self",
      waitlist: true,
    });
  const rated = await t.http.put(
    `/api/v1/courses/${courseId}/ratings/mine`,
    { rating: 4, title: "Useful", content: "The prompt drills helped; more time for questions." },
    people.Ada,
  );
  expect(rated.status).toBe(200);
});

afterAll(async () => {
  await journey?.close();
});

/** Clicks and returns the file the browser downloads. */
async function download(act: () => Promise<void>): Promise<{ name: string; text: string }> {
  const file = page.waitForEvent("download");
  await act();
  const done = await file;
  return { name: done.suggestedFilename(), text: await readFile(await done.path(), "utf8") };
}

describe("Cohorts", () => {
  it("schedules a cohort in its own time zone and opens it", async () => {
    await app.open("/");
    expect((await app.signIn(instructorEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/teaching/courses/${courseId}`);
    await page.getByRole("link", { name: "Cohorts" }).first().click();
    await app.expectHeading("Cohorts: AI at the harbour");
    const spring = page.getByRole("listitem").filter({ hasText: "Spring cohort" });
    await spring.getByText("2 of 2 seats taken · 1 on the waitlist").waitFor();
    await checkPage(page, "a course's cohorts");

    await page.getByRole("button", { name: "Schedule a cohort" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Schedule a cohort" });
    await dialog.getByLabel(/^Name/).fill("Autumn cohort");
    await dialog.getByRole("combobox", { name: /^Time zone/ }).fill("Europe/Berl");
    await page.getByRole("option", { name: "Europe/Berlin" }).click();
    await dialog.getByLabel(/^Starts/).fill("2030-10-07T09:00");
    await dialog.getByLabel(/^Ends/).fill("2030-10-06T17:00");
    await dialog.getByRole("button", { name: "Schedule" }).click();
    await dialog.getByText("The end must come after the start").waitFor();
    await dialog.getByLabel(/^Ends/).fill("2030-10-08T17:00");
    await dialog.getByLabel(/^Seats/).fill("12");
    await checkPage(page, "schedule a cohort dialog");
    const created = await afterResponse(page, `/api/v1/courses/${courseId}/cohorts`, () =>
      dialog.getByRole("button", { name: "Schedule" }).click(),
    );
    expect(created.status()).toBe(201);
    const autumnId = (await created.json()).data.id as string;
    await app.expectHeading("Autumn cohort");
    expect(app.path()).toBe(`/teaching/cohorts/${autumnId}`);
    const stored = await server.app.system.db
      .selectFrom("cohorts")
      .selectAll()
      .where("id", "=", autumnId)
      .executeTakeFirstOrThrow();
    // 09:00 and 17:00 in Berlin in October (summer time, UTC+2).
    expect(stored.starts_at.toISOString()).toBe("2030-10-07T07:00:00.000Z");
    expect(stored.ends_at.toISOString()).toBe("2030-10-08T15:00:00.000Z");
    expect(stored).toMatchObject({ timezone: "Europe/Berlin", capacity: 12, status: "scheduled" });
    await page.getByText("(Europe/Berlin)").first().waitFor();
    await page.getByRole("heading", { name: "No one is enrolled yet" }).waitFor();

    const opened = await afterResponse(page, `/api/v1/cohorts/${autumnId}/status`, () =>
      page.getByRole("button", { name: "Open for enrollment" }).click(),
    );
    expect(opened.status()).toBe(200);
    await page.getByRole("status").getByText("Autumn cohort is open for enrollment.").waitFor();
    const status = await server.app.system.db
      .selectFrom("cohorts")
      .select("status")
      .where("id", "=", autumnId)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe("open");
    await checkPage(page, "a new cohort");
  });

  it("shows a cohort's roster, downloads it and lists its waitlist", async () => {
    await page.getByRole("link", { name: "All cohorts of AI at the harbour" }).click();
    await app.expectHeading("Cohorts: AI at the harbour");
    await page.getByRole("link", { name: "Spring cohort" }).click();
    await app.expectHeading("Spring cohort");
    const roster = page.getByRole("table", { name: "Roster" });
    await roster.getByText(learners.Ada!.email).waitFor();
    await roster.getByText(learners.Ben!.email).waitFor();
    expect(await roster.getByText(learners.Cy!.email).count()).toBe(0);

    const searched = page.waitForResponse(
      (r) => new URL(r.url()).searchParams.get("search") === "Ada" && r.ok(),
    );
    await page.getByLabel("Search learners").fill("Ada");
    await searched;
    await page.getByRole("status").getByText("1 learner").waitFor();
    expect(await roster.getByText(learners.Ben!.email).count()).toBe(0);
    await page.getByLabel("Search learners").fill("");
    await page.getByRole("status").getByText("2 learners").waitFor();
    await checkPage(page, "a cohort's roster");

    const csv = await download(() => page.getByRole("button", { name: "Download CSV" }).click());
    expect(csv.name).toBe("roster-spring-cohort.csv");
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^learner,email,status,cohort,enrolled_at/);
    expect(lines).toHaveLength(3);
    for (const key of ["Ada", "Ben"]) {
      const line = lines.find((l) => l.includes(learners[key]!.email));
      expect(line).toContain(`${key} Person`);
      expect(line).toContain(",active,Spring cohort,");
    }
    expect(csv.text).not.toContain(learners.Cy!.email);

    await page.getByRole("tab", { name: "Waitlist (1)" }).click();
    const waitlist = page.getByRole("table", { name: "Waitlist" });
    await waitlist.getByText(learners.Cy!.email).waitFor();
    await waitlist.getByText("Cy Person").waitFor();
    await waitlist.getByText("Waiting", { exact: true }).waitFor();
  });

  it("adds a session recording", async () => {
    await page.getByRole("tab", { name: "Recordings" }).click();
    await page.getByRole("heading", { name: "No recordings yet" }).waitFor();
    await page.getByLabel(/^Title/).fill("Day 1: prompts");
    await page.getByLabel(/^Video link/).fill("https://video.example.org/day-1");
    await page.getByRole("combobox", { name: "Session" }).click();
    await page.getByRole("option", { name: "Introduction" }).click();
    await page.getByLabel("Length in minutes").fill("90");
    const added = await afterResponse(page, `/api/v1/cohorts/${springId}/recordings`, () =>
      page.getByRole("button", { name: "Add recording" }).click(),
    );
    expect(added.status()).toBe(201);
    await page.getByRole("link", { name: "Day 1: prompts" }).waitFor();
    await page.getByText("Session: Introduction · 1 hr 30 min").waitFor();
    const stored = await server.app.system.db
      .selectFrom("session_recordings")
      .selectAll()
      .where("cohort_id", "=", springId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      title: "Day 1: prompts",
      video_url: "https://video.example.org/day-1",
      duration_seconds: 5400,
      module_id: moduleId,
    });
    await checkPage(page, "a cohort's recordings");
  });

  it("fills the enablement kit and changes an item", async () => {
    await page.getByRole("link", { name: "Community" }).click();
    await app.expectHeading("Community: AI at the harbour");
    await page.getByRole("tab", { name: "Enablement kit" }).click();
    await page.getByRole("heading", { name: "The kit is empty" }).waitFor();
    await page.getByRole("button", { name: "Add a kit item" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a kit item" });
    await dialog.getByLabel(/^Title/).fill("Prompt pack");
    await dialog.getByRole("combobox", { name: /^Kind/ }).click();
    await page.getByRole("option", { name: "Prompts" }).click();
    await dialog.getByLabel(/^Link/).fill("https://files.example.org/prompts.pdf");
    await checkPage(page, "add a kit item dialog");
    await afterResponse(page, `/api/v1/courses/${courseId}/kit-items`, () =>
      dialog.getByRole("button", { name: "Add to the kit" }).click(),
    );
    await page.getByRole("status").getByText("“Prompt pack” was added to the kit.").waitFor();

    await page
      .getByRole("group", { name: "Actions for “Prompt pack”" })
      .getByRole("button", { name: "Edit" })
      .click();
    const edit = page.getByRole("dialog", { name: "Change “Prompt pack”" });
    await edit.getByLabel(/^Title/).fill("Prompt pack, part 1");
    await edit.getByLabel("Description").fill("Bring it to day 1.");
    const [item] = await server.app.system.db
      .selectFrom("kit_items")
      .select("id")
      .where("course_id", "=", courseId)
      .execute();
    const changed = await afterResponse(page, `/api/v1/kit-items/${item!.id}`, () =>
      edit.getByRole("button", { name: "Save changes" }).click(),
    );
    expect(changed.request().method()).toBe("PATCH");
    expect(changed.status()).toBe(200);
    await page.getByRole("link", { name: "Prompt pack, part 1" }).waitFor();
    const stored = await server.app.system.db
      .selectFrom("kit_items")
      .selectAll()
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      title: "Prompt pack, part 1",
      type: "prompts",
      url: "https://files.example.org/prompts.pdf",
      description: "Bring it to day 1.",
    });
    await checkPage(page, "the enablement kit");
  });

  it("schedules an announcement to one cohort", async () => {
    await page.getByRole("tab", { name: "Announcements" }).click();
    await page.getByRole("heading", { name: "No announcements yet" }).waitFor();
    await page.getByRole("button", { name: "Write an announcement" }).click();
    const dialog = page.getByRole("dialog", { name: "Write an announcement" });
    await dialog.getByLabel(/^Title/).fill("Room change");
    await dialog.getByRole("textbox", { name: /^Message/ }).fill("Day 2 moves to the blue room.");
    await dialog.getByRole("radio", { name: "One cohort" }).check();
    await dialog.getByRole("combobox", { name: /^Cohort/ }).click();
    await page.getByRole("option", { name: "Spring cohort" }).click();
    // The instructor's profile zone is UTC: the time is stored as written.
    await dialog.getByLabel(/^Goes out at/).fill("2030-03-31T09:30");
    await checkPage(page, "write an announcement dialog");
    const created = await afterResponse(page, `/api/v1/courses/${courseId}/announcements`, () =>
      dialog.getByRole("button", { name: "Schedule" }).click(),
    );
    expect(created.status()).toBe(201);
    const card = page.getByRole("listitem").filter({ hasText: "Room change" });
    await card.getByText("Scheduled", { exact: true }).waitFor();
    await card.getByText("To the cohort Spring cohort").waitFor();
    const stored = await server.app.system.db
      .selectFrom("announcements")
      .selectAll()
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      title: "Room change",
      audience: "cohort",
      cohort_id: springId,
      is_published: true,
    });
    expect(stored.publish_at.toISOString()).toBe("2030-03-31T09:30:00.000Z");
    expect(stored.content).toContain("Day 2 moves to the blue room.");
    await checkPage(page, "announcements");
  });

  it("answers a learner's review", async () => {
    await page.getByRole("tab", { name: "Reviews" }).click();
    await page.getByText("4 of 5 stars from 1 review").waitFor();
    const review = page.getByRole("listitem").filter({ hasText: "4 stars from Ada P." });
    await review.getByRole("button", { name: "Answer" }).click();
    await review
      .getByLabel("Your answer to Ada P.")
      .fill("Thank you, Ada: the next cohort gets a question hour.");
    const rating = await server.app.system.db
      .selectFrom("course_ratings")
      .select("id")
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow();
    const answered = await afterResponse(page, `/api/v1/ratings/${rating.id}/response`, () =>
      review.getByRole("button", { name: "Publish the answer" }).click(),
    );
    expect(answered.status()).toBe(200);
    await review.getByText("Thank you, Ada: the next cohort gets a question hour.").waitFor();
    await page.getByRole("status").getByText("Your answer to Ada P. is published.").waitFor();
    const stored = await server.app.system.db
      .selectFrom("course_ratings")
      .select(["instructor_response", "instructor_response_at"])
      .where("course_id", "=", courseId)
      .executeTakeFirstOrThrow();
    expect(stored.instructor_response).toBe(
      "Thank you, Ada: the next cohort gets a question hour.",
    );
    expect(stored.instructor_response_at).not.toBeNull();
    await checkPage(page, "reviews");
  });
});
