import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLesson } from "../../src/modules/catalog/content.js";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { quizCourse, SAMPLE } from "../../test/assessments.js";
import { makeUser, PASSWORD } from "../../test/factories.js";
import { type Journey, openJourney } from "./journey.js";
import { KeyboardUser } from "./keyboard.js";
import { afterResponse, type Lyceum } from "./pages.js";
import { addEveryLessonType, EVERY_LESSON_TYPE, routeLessonMaterial } from "./seed.js";
import type { E2eServer } from "./server.js";

/**
 * Learning with the keyboard alone (keyboard.e2e.ts covers signing in, the catalog and
 * enrolling): the lesson player — lessons from My learning, previous and next, completion,
 * the video's own controls, notes and bookmarks — and a quiz of every question type the app
 * has, through the confirmation dialog to the result. No click and no fill: Tab, Shift+Tab,
 * Enter, Space, Escape and the arrow keys. Every Tab stop must show its focus, and after each
 * action focus must be somewhere sensible (never lost to the page's body).
 */

let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let keys: KeyboardUser;

const learner = { email: `keys-learning-${Date.now()}@example.org`, firstName: "Tabitha" };
const QUIZ = "Ports by keyboard";
const VIDEO = EVERY_LESSON_TYPE.video;
const LAST = EVERY_LESSON_TYPE.text;
let course = { id: "", title: "" };
let quizId = "";
let enrollmentId = "";
const lessons: Record<string, string> = {};
/** A second course with a lesson of each type, for the embedded and linked ones. */
let every = { id: "", enrollmentId: "", lessons: {} as Record<string, string> };
/** The questions' ids in the quiz's order, by their SAMPLE key. */
const questions: Record<string, string> = {};

beforeAll(async () => {
  journey = await openJourney({
    prepare: (context, server) => routeLessonMaterial(context, server.url),
  });
  ({ server, page, app } = journey);
  keys = new KeyboardUser(page);

  const t = server.app;
  const instructor = await makeUser(t, { firstName: "Grace", lastName: "Hopper" });
  const order = ["mc", "ms", "tf", "short", "blank", "match", "essay", "rating"] as const;
  const made = await quizCourse(t, {
    instructorId: instructor.id,
    withLesson: true,
    settings: { title: QUIZ, showCorrectAnswers: "after-submit" },
    questions: order.map((key) =>
      key === "rating"
        ? { ...SAMPLE.rating, hints: ["Think of your last lab session."] }
        : SAMPLE[key],
    ),
  });
  course = { id: made.course.id, title: made.course.title };
  quizId = made.quiz.id;
  order.forEach((key, i) => {
    questions[key] = made.questions[i]?.id as string;
  });
  lessons["Read first"] = made.lesson?.id as string;
  // A video that plays in a second (the tone of seed.ts), then a reading to end on.
  lessons[VIDEO] = (
    await createLesson(t.system, made.module.id, {
      title: VIDEO,
      contentType: "video",
      content: { url: `${server.url}/media/sky.wav`, provider: "upload", durationSeconds: 1 },
    })
  ).id;
  lessons[LAST] = (
    await createLesson(t.system, made.module.id, {
      title: LAST,
      contentType: "text",
      content: { html: "<p>Polaris stays put while the sky turns.</p>" },
    })
  ).id;

  const person = await makeUser(t, { email: learner.email, firstName: learner.firstName });
  const result = await enroll(t.system, { userId: person.id, courseId: course.id, source: "self" });
  if (result.kind !== "enrolled") throw new Error(`not enrolled: ${result.kind}`);
  enrollmentId = result.enrollment.id;

  const second = await quizCourse(t, {
    instructorId: instructor.id,
    withLesson: true,
    settings: { title: "Every kind of lesson" },
    questions: [SAMPLE.tf],
  });
  const added = await addEveryLessonType(t.system, second.module.id, server.url, Date.now());
  const joined = await enroll(t.system, {
    userId: person.id,
    courseId: second.course.id,
    source: "self",
  });
  if (joined.kind !== "enrolled") throw new Error(`not enrolled: ${joined.kind}`);
  every = { id: second.course.id, enrollmentId: joined.enrollment.id, lessons: added };
});

afterAll(async () => {
  await journey?.close();
});

/** The learner's stored progress on a lesson. */
function progressOf(title: string) {
  return server.app.system.db
    .selectFrom("lesson_progress")
    .select(["status", "notes", "bookmarks"])
    .where("enrollment_id", "=", enrollmentId)
    .where("lesson_id", "=", lessons[title] as string)
    .executeTakeFirst();
}

/**
 * Presses Enter on the focused link to a lesson: the new lesson's heading takes focus, and
 * its visit (recorded on the first opening) shows the lesson's completion.
 */
async function enterLesson(title: string) {
  await keys.press("Enter");
  await app.expectHeading(title);
  await keys.expectFocus(new RegExp(`^${title}$`));
  await page.getByTestId("completion-state").waitFor();
}

/** The value of the focused select, as its option's text. */
const selectedText = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? "") : "";
  });

describe("learning with the keyboard alone", () => {
  it("opens the course's first lesson from My learning, focus on its heading", async () => {
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    expect((await keys.signIn(learner.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await keys.tabTo(new RegExp(`^Start: ${course.title}$`));
    await enterLesson("Read first");
  });

  it("marks a lesson complete, focus staying on the completion panel", async () => {
    await keys.tabTo(/^Mark complete$/);
    const done = await afterResponse(
      page,
      `/api/v1/lessons/${lessons["Read first"]}/complete`,
      () => keys.press("Enter"),
    );
    expect(done.status()).toBe(200);
    // The button is gone once the lesson is complete: focus moves to the panel saying so.
    await keys.expectFocus(/^Completed/);
    await page.getByTestId("completion-state").getByText("Completed").waitFor();
    expect((await progressOf("Read first"))?.status).toBe("completed");
  });

  it("moves to the next lesson and back with the lesson navigation", async () => {
    await keys.tabTo(/^Next lesson/);
    await enterLesson(VIDEO);
    await keys.tabTo(/Previous lesson$/);
    await enterLesson("Read first");
    await keys.tabTo(/^Next lesson/);
    await enterLesson(VIDEO);
  });

  it("plays the video with its own controls; it completes the lesson at its end", async () => {
    const media = page.getByTestId("lesson-media");
    await media.evaluate(
      (el: HTMLMediaElement) =>
        new Promise((ok) => {
          if (el.readyState >= 1) ok(null);
          else el.addEventListener("loadedmetadata", () => ok(null), { once: true });
        }),
    );
    await keys.tabTo(new RegExp(`^Video: ${VIDEO}$`));
    const completed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/lessons/${lessons[VIDEO]}/complete`,
    );
    // Space on the focused player plays it (the browser's own controls).
    await keys.press("Space");
    expect((await completed).status()).toBe(200);
    await page.getByTestId("completion-state").getByText("Completed").waitFor();
    expect((await progressOf(VIDEO))?.status).toBe("completed");
    // The player's own buttons are Tab stops too, and show focus (on the player's frame).
    await keys.press("Tab");
    const inside = await keys.focused();
    expect(inside?.name).toBe(`Video: ${VIDEO}`);
    expect(inside?.indicated).toBe(true);
  });

  it("writes and saves notes, focus staying on the button that saved them", async () => {
    await keys.tabTo(/^Notes on this lesson/);
    await keys.type("Polaris marks north.");
    await keys.tabTo(/^Save notes$/);
    const saved = await afterResponse(page, `/api/v1/lessons/${lessons[VIDEO]}/notes`, () =>
      keys.press("Enter"),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Notes saved.").waitFor();
    await keys.expectFocus(/^Save notes$/);
    expect((await progressOf(VIDEO))?.notes).toBe("Polaris marks north.");
  });

  it("adds a bookmark with Enter, jumps to it, and deletes it", async () => {
    await keys.tabTo(/^Bookmark note/);
    await keys.type("The pole star");
    const added = await afterResponse(page, `/api/v1/lessons/${lessons[VIDEO]}/bookmarks`, () =>
      keys.press("Enter"),
    );
    expect(added.status()).toBe(201);
    await page.getByText("Bookmark added.").waitFor();
    // Focus stays in the field, emptied for the next bookmark.
    await keys.expectFocus(/^Bookmark note/);
    const row = await progressOf(VIDEO);
    expect(row?.bookmarks.map((b) => b.note)).toEqual(["The pole star"]);
    const position = row?.bookmarks[0]?.position ?? -1;

    // The video ended at the bookmark's second; rewound, the bookmark takes it back there.
    expect(position).toBeGreaterThan(0);
    const media = page.getByTestId("lesson-media");
    // Where the player is once it has sought (the file is fetched again from that point).
    const sought = () =>
      media.evaluate((el: HTMLMediaElement) =>
        el.seeking
          ? new Promise<number>((ok) =>
              el.addEventListener("seeked", () => ok(el.currentTime), { once: true }),
            )
          : el.currentTime,
      );
    await media.evaluate((el: HTMLMediaElement) => {
      el.currentTime = 0;
    });
    expect(await sought()).toBe(0);
    await keys.tabTo(/^Go to \d+:\d\d$/);
    await keys.press("Enter");
    const at = await sought();
    expect(Math.round(at)).toBe(position);
    await keys.expectFocus(/^Go to \d+:\d\d$/);

    await keys.tabTo(/^Delete bookmark The pole star$/);
    await afterResponse(
      page,
      `/api/v1/lessons/${lessons[VIDEO]}/bookmarks/${row?.bookmarks[0]?.id}`,
      () => keys.press("Enter"),
    );
    await page.getByText("No bookmarks yet.").waitFor();
    // The deleted bookmark's button is gone: focus goes to the bookmarks' heading.
    await keys.expectFocus(/^Bookmarks$/);
    expect((await progressOf(VIDEO))?.bookmarks).toEqual([]);
  });

  it("on a phone, opens the outline drawer, picks a lesson from it and closes it with Escape", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await keys.tabTo(/^Course outline$/, { back: true, limit: 60 });
    await keys.press("Enter");
    const drawer = page.getByRole("dialog", { name: "Course outline" });
    await drawer.waitFor();
    await keys.expectFocusIn('[role="dialog"]');
    await keys.tabTo(new RegExp(`${LAST}$`));
    await enterLesson(LAST);
    await drawer.waitFor({ state: "detached" });
    // Escape closes the drawer, focus back on the button that opened it.
    await keys.tabTo(/^Course outline$/, { back: true });
    await keys.press("Enter");
    await drawer.waitFor();
    await keys.expectFocusIn('[role="dialog"]');
    await keys.press("Escape");
    await drawer.waitFor({ state: "detached" });
    await keys.expectFocus(/^Course outline$/);
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it("reaches the course page from the last lesson, and the course's quiz", async () => {
    await keys.tabTo(/^Back to the course$/);
    await keys.press("Enter");
    await app.expectHeading(course.title);
    await keys.expectFocus(new RegExp(`^${course.title}$`));
    await keys.tabTo(new RegExp(`^${QUIZ}$`), { limit: 80 });
    await keys.press("Enter");
    await app.expectHeading(QUIZ);
    await keys.expectFocus(new RegExp(`^${QUIZ}$`));
  });

  let attemptId = "";

  it("starts the quiz; focus goes to the attempt's heading", async () => {
    await keys.tabTo(/^Start quiz$/);
    const started = await afterResponse(page, `/api/v1/quizzes/${quizId}/start`, () =>
      keys.press("Enter"),
    );
    expect(started.status()).toBe(201);
    attemptId = (await started.json()).data.id;
    await page.waitForURL(`${server.url}/attempts/${attemptId}`);
    await keys.expectFocus(new RegExp(`^${QUIZ}$`));
  });

  it("answers each type of question with keys, leaving one for later", async () => {
    // One choice: Tab enters the group on its first option; the arrows choose.
    await keys.tabTo(/^80$/);
    await keys.press("ArrowDown");
    await keys.expectFocus(/^443$/);
    // Several choices: Space ticks each box.
    await keys.tabTo(/^TCP$/);
    await keys.press("Space");
    await keys.tabTo(/^UDP$/);
    await keys.press("Space");
    // True or false (question 3) stays open for now.
    await keys.tabTo(/^Name the protocol of the web\.$/);
    await keys.type("HTTP");
    await keys.tabTo(/^Blank 1 of 2$/);
    await keys.type("4");
    await keys.tabTo(/^Blank 2 of 2$/);
    await keys.type("32");
    // Matching: one select per item, chosen with the arrow keys.
    await keys.tabTo(/^22$/);
    await keys.arrowUntil(async () => (await selectedText()) === "SSH");
    await keys.tabTo(/^25$/);
    await keys.arrowUntil(async () => (await selectedText()) === "SMTP");
    await keys.tabTo(/^Explain how TLS protects data in transit\.$/);
    await keys.type("It encrypts the traffic, and certificates prove who the server is.");
    await page.getByText("11 words").waitFor();
    // A rating: arrows along the scale.
    await keys.tabTo(/^1$/);
    await keys.press("ArrowRight");
    await keys.press("ArrowRight");
    await keys.press("ArrowRight");
    await keys.expectFocus(/^4$/);
    // The hint's button goes once the last hint shows: focus moves to the hint.
    await keys.tabTo(/^Show hint 1 of 1$/);
    await keys.press("Enter");
    await keys.expectFocus(/^Think of your last lab session\.$/);
    await keys.tabTo(/^Mark for review$/);
    await keys.press("Space");
    // The page says what it stored: the save's time, and which questions have an answer.
    await app.quizSaved();
    expect(await page.getByText("Answered", { exact: true }).count()).toBe(7);
    expect(await page.getByText("Not answered", { exact: true }).count()).toBe(1);
  });

  it("goes from the confirmation dialog to the unanswered question and answers it", async () => {
    await keys.tabTo(/^Submit$/);
    await keys.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Submit this attempt?" });
    await dialog.getByText("1 question has no answer:").waitFor();
    await dialog.getByText("You marked question 8 for review.").waitFor();
    // Focus moves into the dialog and stays there however often Tab is pressed; the listed
    // question is a way back to it.
    await keys.expectFocusIn('[role="dialog"]');
    const stops = await keys.tabWithin('[role="dialog"]', 8);
    expect(stops).toEqual(
      expect.arrayContaining(["Question 3", "Keep answering", "Submit now", "Close"]),
    );
    await keys.tabTo(/^Question 3$/, { limit: 6 });
    await keys.press("Enter");
    await dialog.waitFor({ state: "detached" });
    await keys.expectFocus(/^Question 3$/);
    await keys.tabTo(/^True$/);
    // Saves go one at a time, so once this one is answered every answer is stored.
    const saved = await afterResponse(page, `/api/v1/attempts/${attemptId}/answers`, () =>
      keys.press("Space"),
    );
    expect(saved.status()).toBe(200);
    await app.quizSaved();
    await page.getByText("Not answered", { exact: true }).waitFor({ state: "detached" });
    expect(await page.getByText("Answered", { exact: true }).count()).toBe(8);

    const stored = await server.app.system.db
      .selectFrom("quiz_answers")
      .select(["quiz_question_id", "response", "marked_for_review"])
      .where("attempt_id", "=", attemptId)
      .execute();
    const byQuestion = new Map(stored.map((a) => [a.quiz_question_id, a]));
    const response = (key: string) => byQuestion.get(questions[key] as string)?.response;
    expect(response("mc")).toEqual({ selected: ["b"] });
    expect(response("ms")).toEqual({ selected: ["tcp", "udp"] });
    expect(response("tf")).toEqual({ value: true });
    expect(response("short")).toEqual({ text: "HTTP" });
    expect(response("blank")).toEqual({ blanks: ["4", "32"] });
    expect(response("match")).toEqual({ matches: { l1: "r1", l2: "r2" } });
    expect(response("essay")).toEqual({
      text: "It encrypts the traffic, and certificates prove who the server is.",
    });
    expect(response("rating")).toEqual({ rating: 4 });
    expect(byQuestion.get(questions.rating as string)?.marked_for_review).toBe(true);
  });

  it("closes the dialog with Escape back to Submit, then submits and reads the result", async () => {
    await keys.tabTo(/^Submit$/);
    await keys.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Submit this attempt?" });
    await dialog.getByText("You have answered every question.").waitFor();
    await keys.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await keys.expectFocus(/^Submit$/);

    await keys.press("Enter");
    await dialog.getByText("You have answered every question.").waitFor();
    await keys.expectFocusIn('[role="dialog"]');
    await keys.tabTo(/^Submit now$/, { limit: 6 });
    const submitted = await afterResponse(page, `/api/v1/attempts/${attemptId}/submit`, () =>
      keys.press("Enter"),
    );
    expect(submitted.status()).toBe(200);
    // The result replaces the questions: focus goes to its heading, not the page's body.
    const score = page.getByRole("region", { name: "Your score" });
    await score.getByText("Waiting for grading").waitFor();
    await keys.expectFocus(new RegExp(`^${QUIZ}$`));
    await score.getByText("1 answer waits for a grader; your score may still change.").waitFor();
    const row = await server.app.system.db
      .selectFrom("quiz_attempts")
      .select(["status", "submitted_at"])
      .where("id", "=", attemptId)
      .executeTakeFirstOrThrow();
    expect(row.status).not.toBe("in-progress");
    expect(row.submitted_at).not.toBeNull();

    // Back to the quiz, where the attempt is listed.
    await keys.tabTo(/^Back to the quiz$/, { back: true });
    await keys.press("Enter");
    await app.expectHeading(QUIZ);
    await keys.expectFocus(new RegExp(`^${QUIZ}$`));
    await keys.tabTo(/^Attempt 1/);
  });

  it("passes through the PDF's and the exercise's frames to the lesson navigation", async () => {
    const types = EVERY_LESSON_TYPE;
    await app.open(`/courses/${every.id}/lessons/${every.lessons[types.pdf]}`);
    await app.expectHeading(types.pdf);
    await page.getByTestId("completion-state").waitFor();
    await keys.tabTo(/^Download the PDF$/);
    // Tab goes on past the embedded PDF (no trap) to the next lesson's link.
    await keys.tabTo(/^Next lesson/, { limit: 60 });
    await enterLesson(types.audio);
    await keys.tabTo(/^Next lesson/, { limit: 60 });
    await enterLesson(types.interactive);
    await keys.tabTo(/^Open the exercise in a new tab/);
    await keys.tabTo(/^Next lesson/, { limit: 60 });
    await enterLesson(types.live);
  });

  it("joins the live session and opens the external resource from the keyboard", async () => {
    const types = EVERY_LESSON_TYPE;
    // The live session's join link opens the meeting in a new tab.
    await keys.tabTo(/^Join the session/);
    const meeting = page.context().waitForEvent("page");
    await keys.press("Enter");
    const meetingTab = await meeting;
    expect(meetingTab.url()).toContain("meet.example.org");
    await meetingTab.close();
    await page.bringToFront();
    await keys.expectFocus(/^Join the session/);

    await keys.tabTo(/^Next lesson/, { limit: 60 });
    await enterLesson(types.link);
    // Opening the resource is what lets the lesson be marked complete.
    await keys.tabTo(/^Open the star atlas/);
    const resource = page.context().waitForEvent("page");
    await keys.press("Enter");
    const resourceTab = await resource;
    expect(resourceTab.url()).toContain("library.example.org");
    await resourceTab.close();
    await page.bringToFront();
    await keys.tabTo(/^Mark complete$/);
    const completed = await afterResponse(
      page,
      `/api/v1/lessons/${every.lessons[types.link]}/complete`,
      () => keys.press("Enter"),
    );
    expect(completed.status()).toBe(200);
    await page.getByTestId("completion-state").getByText("Completed").waitFor();
    const stored = await server.app.system.db
      .selectFrom("lesson_progress")
      .select("status")
      .where("enrollment_id", "=", every.enrollmentId)
      .where("lesson_id", "=", every.lessons[types.link] as string)
      .executeTakeFirst();
    expect(stored?.status).toBe("completed");
  });

  it("met no Content-Security-Policy refusal and no page error", () => {
    expect(journey.problems).toEqual([]);
  });
});
