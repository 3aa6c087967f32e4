import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { quizCourse, SAMPLE } from "../../test/assessments.js";
import { makeUser, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * A learner takes quizzes: a quiz of six question types (start, answer, autosave, reload and
 * resume, submit with a confirmation, pass, the result and the attempts history), a timed quiz
 * whose clock runs out (the server's deadline decides), and another learner refused at the
 * first one's mailed attempt address.
 */

let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;

const learner = { email: `quiz-learner-${Date.now()}@example.org`, name: "Quinn" };
const other = { email: `quiz-other-${Date.now()}@example.org`, name: "Olive" };
let courseId = "";
let quizId = "";
let quizTitle = "";
let timedQuizId = "";
let timedTitle = "";
let essayQuizId = "";
let essayTitle = "";
let attemptId = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);

  const t = server.app;
  const instructor = await makeUser(t, { firstName: "Radia", lastName: "Perlman" });
  const main = await quizCourse(t, {
    instructorId: instructor.id,
    settings: { title: "Networking basics check", passingScore: 70 },
    questions: [SAMPLE.mc, SAMPLE.ms, SAMPLE.tf, SAMPLE.short, SAMPLE.blank, SAMPLE.match],
  });
  courseId = main.course.id;
  quizId = main.quiz.id;
  quizTitle = main.quiz.title;
  const timed = await quizCourse(t, {
    instructorId: instructor.id,
    settings: { title: "One-minute sprint", timeLimitMinutes: 1, showCorrectAnswers: "never" },
    questions: [SAMPLE.mc, SAMPLE.tf],
  });
  timedQuizId = timed.quiz.id;
  timedTitle = timed.quiz.title;
  const essay = await quizCourse(t, {
    instructorId: instructor.id,
    settings: { title: "Reflect on TLS", showCorrectAnswers: "never" },
    questions: [SAMPLE.essay, { ...SAMPLE.rating, hints: ["Think of your last lab session."] }],
  });
  essayQuizId = essay.quiz.id;
  essayTitle = essay.quiz.title;

  const quinn = await makeUser(t, { email: learner.email, firstName: learner.name });
  for (const id of [main.course.id, timed.course.id, essay.course.id]) {
    const result = await enroll(t.system, { userId: quinn.id, courseId: id, source: "self" });
    if (result.kind !== "enrolled") throw new Error(`not enrolled: ${result.kind}`);
  }
  const olive = await makeUser(t, { email: other.email, firstName: other.name });
  await enroll(t.system, { userId: olive.id, courseId: main.course.id, source: "self" });
});

afterAll(async () => {
  await journey?.close();
});

describe("taking quizzes in chromium", () => {
  it("signs the learner in and lists the course's quizzes on its page", async () => {
    await app.open(`/courses/${courseId}`);
    await app.expectHeading("Sign in");
    expect((await app.signIn(learner.email, PASSWORD)).status()).toBe(200);
    await page.getByRole("heading", { name: "Quizzes" }).waitFor();
    await page.getByRole("link", { name: quizTitle }).waitFor();
    await checkPage(page, "course page with quizzes");
  });

  it("shows the quiz's rules and starts an attempt", async () => {
    await page.getByRole("link", { name: quizTitle }).click();
    await app.expectHeading(quizTitle);
    const rules = page.getByRole("region", { name: "About this quiz" });
    await expect(rules.textContent()).resolves.toContain("70%");
    await page.getByText("You have not taken this quiz yet.").waitFor();
    await checkPage(page, "quiz page before starting");

    const started = await afterResponse(page, `/api/v1/quizzes/${quizId}/start`, () =>
      page.getByRole("button", { name: "Start quiz" }).click(),
    );
    expect(started.status()).toBe(201);
    attemptId = (await started.json()).data.id;
    await page.waitForURL(`${server.url}/attempts/${attemptId}`);
    await app.expectHeading(quizTitle);
    await page.getByText("No time limit").waitFor();
    await checkPage(page, "attempt being taken");
  });

  it("saves answers as they are given and restores them after a reload", async () => {
    await page.getByRole("radio", { name: "443" }).check();
    await page.getByRole("checkbox", { name: "TCP" }).check();
    await page.getByRole("checkbox", { name: "UDP" }).check();
    await page.getByLabel("Name the protocol of the web.").fill("HTTP");
    await page.getByLabel("Blank 1 of 2").fill("4");
    await page.getByLabel("Blank 2 of 2").fill("32");
    await page.getByRole("combobox", { name: "22" }).selectOption({ label: "SSH" });
    await page.getByRole("combobox", { name: "25" }).selectOption({ label: "SMTP" });
    await app.quizSaved();
    const stored = await server.app.system.db
      .selectFrom("quiz_answers")
      .select("response")
      .where("attempt_id", "=", attemptId)
      .execute();
    expect(stored).toHaveLength(5);
    expect(stored.map((a) => a.response)).toContainEqual({ matches: { l1: "r1", l2: "r2" } });

    await page.reload();
    await app.expectHeading(quizTitle);
    await expect(page.getByRole("radio", { name: "443" }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole("checkbox", { name: "UDP" }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel("Name the protocol of the web.").inputValue()).resolves.toBe(
      "HTTP",
    );
    await expect(page.getByLabel("Blank 2 of 2").inputValue()).resolves.toBe("32");
    await expect(page.getByRole("combobox", { name: "25" }).inputValue()).resolves.toBe("r2");
    await expect(page.getByRole("radio", { name: "True" }).isChecked()).resolves.toBe(false);
    await app.quizSaved();
  });

  it("asks before submitting, naming the questions without an answer", async () => {
    await page.getByRole("button", { name: "Submit" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Submit this attempt?" });
    await dialog.getByText("1 question has no answer:").waitFor();
    await dialog.getByRole("listitem").filter({ hasText: "Question 3" }).waitFor();
    await checkPage(page, "submit confirmation");
    // The listed question is a way back to it: the dialog closes and focus lands on it.
    await dialog.getByRole("button", { name: "Question 3" }).click();
    await dialog.waitFor({ state: "detached" });
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      "Question 3",
    );

    await page.getByRole("radio", { name: "True" }).check();
    await app.quizSaved();
    await page.getByRole("button", { name: "Submit" }).first().click();
    await dialog.getByText("You have answered every question.").waitFor();
    const submitted = await afterResponse(page, `/api/v1/attempts/${attemptId}/submit`, () =>
      dialog.getByRole("button", { name: "Submit now" }).click(),
    );
    expect(submitted.status()).toBe(200);
    expect((await submitted.json()).data).toMatchObject({ status: "graded", passed: true });
  });

  it("shows the result with the right answers, as the quiz's policy allows", async () => {
    const score = page.getByRole("region", { name: "Your score" });
    await score.getByText("100%").waitFor();
    await score.getByText("Passed").waitFor();
    await score.getByText("10 of 10").waitFor();
    expect(await page.getByText("Correct", { exact: true }).count()).toBe(6);
    await page.getByText("SECRET-EXPLANATION: TLS listens on 443.").waitFor();
    await checkPage(page, "attempt result");
  });

  it("lists the attempt in the quiz's history, linking back to it", async () => {
    await page.getByRole("link", { name: "Back to the quiz" }).click();
    await app.expectHeading(quizTitle);
    const history = page.getByRole("list", { name: "Your attempts" });
    const item = history.getByRole("listitem").filter({ hasText: "Attempt 1" });
    await item.getByText("Passed").waitFor();
    await item.getByText("100%").waitFor();
    await page.getByText("You passed, with a best score of 100%.").waitFor();
    await page.getByRole("button", { name: "Start a new attempt" }).waitFor();
    await checkPage(page, "quiz page with an attempt");
    await item.getByRole("link", { name: "Attempt 1" }).click();
    await page.getByRole("region", { name: "Your score" }).getByText("100%").waitFor();
    expect(app.path()).toBe(`/attempts/${attemptId}`);
  });

  it("submits a timed attempt when the server's clock runs out, and shows what the server decided", async () => {
    await app.open(`/quizzes/${timedQuizId}`);
    await app.expectHeading(timedTitle);
    await page.getByText("The clock starts when you start").waitFor();
    const started = await afterResponse(page, `/api/v1/quizzes/${timedQuizId}/start`, () =>
      page.getByRole("button", { name: "Start quiz" }).click(),
    );
    const timedAttempt = (await started.json()).data.id as string;
    await page.getByRole("timer").waitFor();
    expect(await page.getByRole("timer").textContent()).toMatch(/^(1:00|0:5\d)$/);
    await page.getByRole("radio", { name: "443" }).check();
    await app.quizSaved();
    await checkPage(page, "timed attempt");

    // The server's clock moves on: after a reload the page counts down from what it says.
    server.app.clock.advance(55_000);
    await page.reload();
    await page.getByRole("timer").waitFor();
    expect(await page.getByRole("timer").textContent()).toMatch(/^0:0[1-5]$/);
    // The deadline passes on the server while the page still counts its last seconds.
    server.app.clock.advance(10_000);
    const submitting = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/attempts/${timedAttempt}/submit`,
    );
    // Screen readers hear the last 5% once (not every tick), then that time is up.
    await page.getByText(/^[1-3] seconds? left\.$/).waitFor({ state: "attached" });
    const submitted = await submitting;
    expect((await submitted.json()).data).toMatchObject({ endReason: "time-expired" });
    await page.getByText("Time ran out", { exact: true }).waitFor();
    const score = page.getByRole("region", { name: "Your score" });
    // The answer saved in time counts (2 of 3 points); the other was never given.
    await score.getByText("2 of 3").waitFor();
    await page.getByText("This quiz does not show the right answers.").waitFor();
    await checkPage(page, "timed attempt after the deadline");
    const row = await server.app.system.db
      .selectFrom("quiz_attempts")
      .select(["status", "end_reason"])
      .where("id", "=", timedAttempt)
      .executeTakeFirstOrThrow();
    expect(row.end_reason).toBe("time-expired");
  });

  it("does not count an answer saved after the server's deadline", async () => {
    await page.getByRole("link", { name: "Back to the quiz" }).click();
    await app.expectHeading(timedTitle);
    const started = await afterResponse(page, `/api/v1/quizzes/${timedQuizId}/start`, () =>
      page.getByRole("button", { name: "Start a new attempt" }).click(),
    );
    expect(started.status()).toBe(201);
    const late = (await started.json()).data.id as string;
    await page.getByRole("timer").waitFor();
    // The deadline passes on the server before the page's next save or poll.
    server.app.clock.advance(61_000);
    const refused = await afterResponse(page, `/api/v1/attempts/${late}/answers`, () =>
      page.getByRole("radio", { name: "True" }).check(),
    );
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.code).toBe("TIME_LIMIT_EXCEEDED");
    await page.getByText("Time ran out", { exact: true }).waitFor();
    await page.getByRole("region", { name: "Your score" }).getByText("0 of 3").waitFor();
    const answers = await server.app.system.db
      .selectFrom("quiz_answers")
      .select("id")
      .where("attempt_id", "=", late)
      .where("response", "is not", null)
      .execute();
    expect(answers).toHaveLength(0);
    await checkPage(page, "attempt closed by a late save");
  });

  it("says an essay waits for a grader, and takes a rating and an essay", async () => {
    await app.open(`/quizzes/${essayQuizId}`);
    await app.expectHeading(essayTitle);
    await afterResponse(page, `/api/v1/quizzes/${essayQuizId}/start`, () =>
      page.getByRole("button", { name: "Start quiz" }).click(),
    );
    await page
      .getByLabel("Explain how TLS protects data in transit.")
      .fill("It encrypts the traffic, and certificates prove who the server is.");
    await page.getByText("11 words").waitFor();
    await page.getByRole("button", { name: "Show hint 1 of 1" }).click();
    await page.getByText("Think of your last lab session.").waitFor();
    await page.getByRole("radio", { name: "4" }).check();
    await app.quizSaved();
    await checkPage(page, "essay and rating being answered");
    await page.getByRole("button", { name: "Submit" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Submit this attempt?" });
    await dialog.getByText("You have answered every question.").waitFor();
    await dialog.getByRole("button", { name: "Submit now" }).click();
    const score = page.getByRole("region", { name: "Your score" });
    await score.getByText("Waiting for grading").waitFor();
    await score.getByText("1 answer waits for a grader; your score may still change.").waitFor();
    await checkPage(page, "result waiting for a grader");
  });

  it("refuses another learner the first one's attempt with a clear page", async () => {
    const otherPage = await journey.newPage();
    const otherApp = new Lyceum(otherPage, server.url);
    await otherApp.open(`/attempts/${attemptId}`);
    await otherApp.expectHeading("Sign in");
    expect((await otherApp.signIn(other.email, PASSWORD)).status()).toBe(200);
    await otherApp.expectHeading("This attempt is not available");
    await otherPage.getByText("it belongs to someone else").waitFor();
    expect(otherApp.path()).toBe(`/attempts/${attemptId}`);
    await checkPage(otherPage, "someone else's attempt");
    await otherPage.context().close();
  });

  it("met no Content-Security-Policy refusal or page error", () => {
    expect(journey.problems).toEqual([]);
  });
});
