import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLesson, createModule } from "../../src/modules/catalog/content.js";
import { createCourse, publishCourse } from "../../src/modules/catalog/courses.js";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { makeUser, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import { addEveryLessonType, routeLessonMaterial } from "./seed.js";
import type { E2eServer } from "./server.js";

/**
 * The lesson player: one learner works through a course with a lesson of each of the seven
 * types, a module waiting for the first and one opening on a date; notes and bookmarks
 * survive a reload; someone not enrolled is refused.
 */

let journey: Journey;
let server: E2eServer;
let context: BrowserContext;
let page: Page;
let app: Lyceum;

const COURSE = "Celestial Navigation";
const learner = { firstName: "Mae", lastName: "Jemison" };
let learnerEmail = "";
let strangerEmail = "";
let courseId = "";
let enrollmentId = "";
const lessons: Record<string, string> = {};

beforeAll(async () => {
  journey = await openJourney({
    timezoneId: "Europe/Berlin",
    // The lesson material lives elsewhere; the browser gets it from here, never the network.
    prepare: (context, server) => routeLessonMaterial(context, server.url),
  });
  ({ server, context, page, app } = journey);

  const system = server.app.system;
  const instructor = await makeUser(server.app, { firstName: "Carl", lastName: "Sagan" });
  const course = await createCourse(system, {
    code: "NAV-101",
    title: COURSE,
    description: "Finding your way by the stars, from sextants to transfer orbits.",
    category: "science",
    instructorId: instructor.id,
  });
  courseId = course.id;
  const intro = await system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  Object.assign(lessons, await addEveryLessonType(system, intro.id, server.url, Date.now()));
  const transfers = await createModule(system, course.id, {
    title: "Transfer orbits",
    unlockType: "prerequisites",
    prerequisiteModuleIds: [intro.id],
  });
  lessons["Hohmann transfers"] = (
    await createLesson(system, transfers.id, {
      title: "Hohmann transfers",
      contentType: "text",
      content: { html: "<p>Two burns and half an ellipse.</p>" },
    })
  ).id;
  const later = await createModule(system, course.id, {
    title: "Deep space",
    unlockType: "scheduled",
    unlockAt: "2099-01-01T09:00:00Z",
  });
  await createLesson(system, later.id, {
    title: "Voyager's route",
    contentType: "text",
    content: { html: "<p>Grand tour.</p>" },
  });
  await publishCourse(system, course.id);

  const person = await makeUser(server.app, learner);
  learnerEmail = person.email;
  // Dates show in the profile's time zone.
  await system.db
    .updateTable("users")
    .set({ timezone: "Europe/Berlin" })
    .where("id", "=", person.id)
    .execute();
  const result = await enroll(system, { userId: person.id, courseId, source: "self" });
  if (result.kind !== "enrolled") throw new Error("the learner was not enrolled");
  enrollmentId = result.enrollment.id;
  strangerEmail = (await makeUser(server.app, { firstName: "Sam", lastName: "Stranger" })).email;
});

afterAll(async () => {
  await journey?.close();
});

/** The lesson rows the server stored for the learner, by lesson id. */
async function stored() {
  const rows = await server.app.system.db
    .selectFrom("lesson_progress")
    .select(["lesson_id", "status", "notes", "bookmarks", "time_spent_seconds"])
    .where("enrollment_id", "=", enrollmentId)
    .execute();
  return new Map(rows.map((r) => [r.lesson_id, r]));
}

async function openLesson(title: string) {
  await app.openLesson(title, lessons[title] as string);
}

async function markComplete(title: string) {
  expect((await app.markLessonComplete(lessons[title] as string)).status()).toBe(200);
}

describe("the lesson player in chromium", () => {
  it("continues from My learning to the first lesson, with the outline and locks explained", async () => {
    await app.open("/sign-in");
    expect((await app.signIn(learnerEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    const start = page.getByRole("link", { name: `Start: ${COURSE}` });
    await afterResponse(page, `/api/v1/lessons/${lessons["Watching the sky"]}/start`, () =>
      start.click(),
    );
    await app.expectHeading("Watching the sky");
    expect(app.path()).toBe(`/courses/${courseId}/lessons/${lessons["Watching the sky"]}`);
    const outline = page.getByRole("navigation", { name: "Course outline" });
    await outline.getByTestId("course-progress").getByText("0 of 9 lessons").waitFor();
    // Opening the lesson marks it started in the outline.
    await outline.getByRole("link", { name: /^In progress\s*Watching the sky$/ }).waitFor();
    await outline.getByText("Opens when you finish “Introduction”.").waitFor();
    // The scheduled module's date, in the profile's zone (Berlin: 10:00 in winter).
    await outline.getByText("Opens on Jan 1, 2099, 10:00 AM.").waitFor();
    await page.getByText("This lesson counts as complete after 1 sec of study").waitFor();
    await checkPage(page, "video lesson");
  });

  it("plays the video to its end, which reports the study time and completes the lesson", async () => {
    // The server's clock stands still; let the minute the learner watched pass there too.
    server.app.clock.advance(60_000);
    const video = page.getByTestId("lesson-media");
    await video.evaluate(
      (el: HTMLMediaElement) =>
        new Promise((ok) => {
          if (el.readyState >= 1) ok(null);
          else el.addEventListener("loadedmetadata", () => ok(null), { once: true });
        }),
    );
    const completed = page.waitForResponse(
      (r) =>
        new URL(r.url()).pathname === `/api/v1/lessons/${lessons["Watching the sky"]}/complete`,
    );
    await video.evaluate((el: HTMLMediaElement) => el.play());
    expect((await completed).status()).toBe(200);
    await page.getByTestId("completion-state").getByText("Completed").waitFor();
    const row = (await stored()).get(lessons["Watching the sky"] as string);
    expect(row?.status).toBe("completed");
    expect(row?.time_spent_seconds).toBeGreaterThanOrEqual(1);
  });

  it("keeps notes and a timed bookmark across a reload, and deletes the bookmark", async () => {
    await page.getByLabel("Notes on this lesson").fill("Polaris marks north.");
    const saved = await afterResponse(
      page,
      `/api/v1/lessons/${lessons["Watching the sky"]}/notes`,
      () => page.getByRole("button", { name: "Save notes" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Notes saved.").waitFor();
    await page.getByLabel("Bookmark note (optional)").fill("The pole star");
    const added = await afterResponse(
      page,
      `/api/v1/lessons/${lessons["Watching the sky"]}/bookmarks`,
      () => page.getByRole("button", { name: "Add a bookmark" }).click(),
    );
    expect(added.status()).toBe(201);

    await afterResponse(page, `/api/v1/lessons/${lessons["Watching the sky"]}/start`, () =>
      page.reload().then(() => undefined),
    );
    await expect(page.getByLabel("Notes on this lesson").inputValue()).resolves.toBe(
      "Polaris marks north.",
    );
    const bookmarks = page.getByRole("list", { name: "Bookmarks of this lesson" });
    await bookmarks.getByText("The pole star").waitFor();
    await bookmarks.getByRole("button", { name: /^Go to \d+:\d\d$/ }).waitFor();
    await checkPage(page, "video lesson with notes and a bookmark");
    const row = (await stored()).get(lessons["Watching the sky"] as string);
    expect(row?.notes).toBe("Polaris marks north.");
    expect(row?.bookmarks.map((b) => b.note)).toEqual(["The pole star"]);

    await afterResponse(
      page,
      `/api/v1/lessons/${lessons["Watching the sky"]}/bookmarks/${row?.bookmarks[0]?.id}`,
      () => page.getByRole("button", { name: "Delete bookmark The pole star" }).click(),
    );
    await page.getByText("No bookmarks yet.").waitFor();
    expect((await stored()).get(lessons["Watching the sky"] as string)?.bookmarks).toEqual([]);
  });

  it("reads a text lesson and marks it complete, moving on with Next", async () => {
    await afterResponse(page, `/api/v1/lessons/${lessons["Reading the stars"]}/start`, () =>
      page.getByRole("link", { name: "Next lesson" }).click(),
    );
    await app.expectHeading("Reading the stars");
    await page.getByRole("heading", { name: "The pole star" }).waitFor();
    await checkPage(page, "text lesson");
    await markComplete("Reading the stars");
    await page
      .getByRole("navigation", { name: "Course outline" })
      .getByText("2 of 9 lessons")
      .waitFor();
  });

  it("shows a PDF with its download, and an audio lesson that completes at its end", async () => {
    await openLesson("Star chart");
    await page.getByRole("link", { name: "Download the PDF" }).waitFor();
    await page.locator('iframe[title="PDF: Star chart"]').waitFor();
    await checkPage(page, "pdf lesson");
    await markComplete("Star chart");

    await openLesson("Night sounds");
    await checkPage(page, "audio lesson");
    const completed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/lessons/${lessons["Night sounds"]}/complete`,
    );
    await page.getByTestId("lesson-media").evaluate((el: HTMLMediaElement) => el.play());
    expect((await completed).status()).toBe(200);
    await page.getByTestId("completion-state").getByText("Completed").waitFor();
  });

  it("embeds an interactive exercise and shows a live session in the person's time zone", async () => {
    await openLesson("Plot a course");
    await page.locator('iframe[title="Interactive exercise: Plot a course"]').waitFor();
    await page
      .frameLocator('iframe[title="Interactive exercise: Plot a course"]')
      .getByText("Drag the planets.")
      .waitFor();
    await checkPage(page, "interactive lesson");
    await markComplete("Plot a course");

    await openLesson("Ask an astronomer");
    await page.getByText("This session is running now.").waitFor();
    await page.getByRole("link", { name: /Join the session/ }).waitFor();
    await checkPage(page, "live session lesson");
    await markComplete("Ask an astronomer");
  });

  it("opens an external link in a new tab before it can be marked complete", async () => {
    await openLesson("Further reading");
    const button = page.getByRole("button", { name: "Mark complete" });
    expect(await button.isDisabled()).toBe(true);
    await checkPage(page, "external link lesson");
    const popup = context.waitForEvent("page");
    await page.getByRole("link", { name: /Open the star atlas/ }).click();
    await (await popup).close();
    await markComplete("Further reading");
    // The first module is done: the next one opens, and the page says so.
    await page.getByText("Now open: Transfer orbits.").waitFor();
  });

  it("stored every lesson of the first module as completed, and the outline agrees", async () => {
    const rows = await stored();
    const intro = Object.keys(lessons).slice(0, 7);
    for (const title of intro)
      expect(rows.get(lessons[title] as string)?.status, title).toBe("completed");
    const enrollment = await server.app.system.db
      .selectFrom("enrollments")
      .select(["lessons_completed", "lessons_total"])
      .where("id", "=", enrollmentId)
      .executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({ lessons_completed: 7, lessons_total: 9 });
    const outline = page.getByRole("navigation", { name: "Course outline" });
    await outline
      .getByTestId("course-progress")
      .getByText("78% complete · 7 of 9 lessons")
      .waitFor();
    await outline.getByRole("link", { name: "Hohmann transfers" }).waitFor();
    expect(await outline.getByText("Opens when you finish “Introduction”.").count()).toBe(0);
  });

  it("refuses a locked lesson with the reason, and an unknown one as not found", async () => {
    await page
      .getByRole("navigation", { name: "Course outline" })
      .getByRole("link", { name: "Voyager's route" })
      .click();
    await app.expectHeading("This lesson is locked");
    await page
      .getByText(/Opens on Jan 1, 2099, 10:00\sAM\./)
      .first()
      .waitFor();
    await page.getByRole("link", { name: "Go to the course page" }).waitFor();
    await checkPage(page, "locked lesson");

    await app.open(`/courses/${courseId}/lessons/00000000-0000-4000-8000-000000000000`);
    await app.expectHeading("Lesson not found");
    await checkPage(page, "unknown lesson");
  });

  it("shows the drawer outline on a phone", async () => {
    await app.open(`/courses/${courseId}/lessons/${lessons["Reading the stars"]}`);
    await app.expectHeading("Reading the stars");
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByRole("button", { name: "Course outline" }).click();
    const drawer = page.getByRole("dialog", { name: "Course outline" });
    await drawer.getByRole("link", { name: "Hohmann transfers" }).click();
    await app.expectHeading("Hohmann transfers");
    await page.setViewportSize({ width: 1440, height: 800 });
  });

  it("continues from the course page at the first lesson not completed", async () => {
    await app.open(`/courses/${courseId}`);
    await app.expectHeading(COURSE);
    await checkPage(page, "course page with continue learning");
    await afterResponse(page, `/api/v1/lessons/${lessons["Hohmann transfers"]}/start`, () =>
      page.getByRole("link", { name: "Continue learning" }).click(),
    );
    await app.expectHeading("Hohmann transfers");
    expect(app.path()).toBe(`/courses/${courseId}/lessons/${lessons["Hohmann transfers"]}`);
  });

  it("refuses a learner who is not enrolled, with the way to the course page", async () => {
    await app.signOut(`${learner.firstName} ${learner.lastName}`);
    await app.open("/sign-in");
    expect((await app.signIn(strangerEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/courses/${courseId}/lessons/${lessons["Reading the stars"]}`);
    await app.expectHeading("You are not enrolled in this course");
    await checkPage(page, "not enrolled");
    await page.getByRole("link", { name: "Go to the course page" }).click();
    await app.expectHeading(COURSE);
  });

  it("met no Content-Security-Policy refusal and no page error", () => {
    expect(journey.problems).toEqual([]);
  });
});
