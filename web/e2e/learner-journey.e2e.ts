import { readFile } from "node:fs/promises";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuestionDefinition } from "../../src/modules/assessments/questions.js";
import { addQuizQuestion, createQuiz, updateQuiz } from "../../src/modules/assessments/quizzes.js";
import { createCourse, publishCourse } from "../../src/modules/catalog/courses.js";
import { updateSettings } from "../../src/modules/certificates/certificates.js";
import { SAMPLE } from "../../test/assessments.js";
import { makeUser, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import { addEveryLessonType, EVERY_LESSON_TYPE, routeLessonMaterial } from "./seed.js";
import type { E2eServer } from "./server.js";

/**
 * The whole way of one new learner, in order: sign up, confirm the address through the mailed
 * link, sign in, find the course in the catalog, enroll, complete a lesson of each of the seven
 * types, pass the course's certification quiz, find the certificate that issued itself,
 * download its PDF, sign out and check it on the public verification page. Only the course
 * (and one other in the catalog) is seeded through the services; the learner does the rest.
 */

let server: E2eServer;
let journey: Journey;
let context: BrowserContext;
let page: Page;
let app: Lyceum;
/** Content-Security-Policy refusals and uncaught errors seen in the page. */
let pageProblems: string[] = [];

const learner = {
  firstName: "Nancy",
  lastName: "Roman",
  email: `nancy-${Date.now()}@example.org`,
  password: "Hubble-Space-Telescope-1990",
};
const fullName = `${learner.firstName} ${learner.lastName}`;
const COURSE = "Stargazing for Navigators";
const QUIZ = "Navigator's certification";
let courseId = "";
let quizId = "";
let lessons: Record<string, string> = {};
let certificateNumber = "";

beforeAll(async () => {
  journey = await openJourney({
    timezoneId: "Europe/Berlin",
    prepare: (context, server) => routeLessonMaterial(context, server.url),
  });
  ({ server, context, page, app } = journey);
  pageProblems = journey.problems;

  const system = server.app.system;
  const instructor = await makeUser(server.app, { firstName: "Henrietta", lastName: "Leavitt" });
  // Another course in the catalog, so the search has something to leave out.
  await publishedCourse(server.app, {
    code: "BRG-201",
    title: "Bridge Design in Practice",
    instructorId: instructor.id,
  });
  const course = await createCourse(system, {
    code: "STAR-101",
    title: COURSE,
    description: "Reading the night sky to find your way, and proving it in a final quiz.",
    category: "science",
    instructorId: instructor.id,
  });
  courseId = course.id;
  const module = await system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  lessons = await addEveryLessonType(system, module.id, server.url, Date.now());
  // A certification quiz the course needs for completion: the certificate issues itself once
  // every lesson is complete and the quiz is passed.
  const quiz = await createQuiz(system, module.id, {
    title: QUIZ,
    kind: "certification",
    passingScore: 70,
    requiredForCompletion: true,
    isPublished: false,
  });
  for (const q of [SAMPLE.mc, SAMPLE.ms, SAMPLE.tf, SAMPLE.short])
    await addQuizQuestion(system, quiz.id, { question: q as unknown as QuestionDefinition });
  await updateQuiz(system, quiz.id, { isPublished: true });
  quizId = quiz.id;
  await updateSettings(system, course.id, {
    enabled: true,
    signatoryName: "Henrietta Leavitt",
    signatoryTitle: "Course instructor",
  });
  await publishCourse(system, course.id);
});

afterAll(() => journey?.close());

/** The learner's row, once the account exists. */
async function learnerRow() {
  return server.app.system.db
    .selectFrom("users")
    .select("id")
    .where("email", "=", learner.email)
    .executeTakeFirstOrThrow();
}

describe("a new learner's whole way, from sign up to a verified certificate", () => {
  it("signs up through the form", async () => {
    await app.open("/sign-up");
    await app.expectHeading("Create your account");
    await checkPage(page, "sign up");
    const answer = await app.signUp(learner);
    expect(answer.status()).toBe(201);
    await app.expectHeading("Check your mail");
    await page.getByText(learner.email).waitFor();
    await checkPage(page, "check your mail");
  });

  it("confirms the address through the link mailed to it, then signs in", async () => {
    const link = await server.mailedLink(learner.email, "/verify-email");
    await app.open(link);
    await app.expectHeading("Confirm your email address");
    await page.getByText(`Your email address ${learner.email} is confirmed.`).waitFor();
    await checkPage(page, "verify email");
    await page.getByRole("link", { name: "Sign in" }).click();
    await app.expectHeading("Sign in");
    await checkPage(page, "sign in");
    expect((await app.signIn(learner.email, learner.password)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("heading", { name: "No courses yet" }).waitFor();
    await checkPage(page, "my learning, empty");
  });

  it("finds the course by searching the catalog", async () => {
    await page.getByRole("link", { name: "Browse the catalog" }).click();
    await app.expectHeading("Catalog");
    await app.courseCards().first().waitFor();
    expect(await app.courseCards().count()).toBe(2);
    await checkPage(page, "catalog");
    expect((await app.searchCatalog("stargazing")).status()).toBe(200);
    await page.getByRole("link", { name: "Bridge Design in Practice" }).waitFor({
      state: "detached",
    });
    expect(await app.courseCards().count()).toBe(1);
    expect(app.path()).toBe("/catalog?q=stargazing");
    await checkPage(page, "catalog search");
  });

  it("opens the course page and enrolls", async () => {
    await page.getByRole("link", { name: COURSE }).click();
    await app.expectHeading(COURSE);
    expect(app.path()).toBe(`/courses/${courseId}`);
    await checkPage(page, "course page");
    expect((await app.enroll()).status()).toBe(201);
    await page.getByRole("status").getByText("You are enrolled in this course.").waitFor();
    await checkPage(page, "course page, enrolled");
  });

  it("starts learning with the video, which completes once played to its end", async () => {
    const video = lessons[EVERY_LESSON_TYPE.video] as string;
    await afterResponse(page, `/api/v1/lessons/${video}/start`, () =>
      page.getByRole("link", { name: "Start learning" }).click(),
    );
    await app.expectHeading(EVERY_LESSON_TYPE.video);
    expect(app.path()).toBe(`/courses/${courseId}/lessons/${video}`);
    await page
      .getByRole("navigation", { name: "Course outline" })
      .getByTestId("course-progress")
      .getByText("0 of 7 lessons")
      .waitFor();
    await page.getByText("This lesson counts as complete after 1 sec of study").waitFor();
    await checkPage(page, "video lesson");
    // The server's clock stands still; let the minute the learner watched pass there too.
    server.app.clock.advance(60_000);
    const media = page.getByTestId("lesson-media");
    await media.evaluate(
      (el: HTMLMediaElement) =>
        new Promise((ok) => {
          if (el.readyState >= 1) ok(null);
          else el.addEventListener("loadedmetadata", () => ok(null), { once: true });
        }),
    );
    const completed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/lessons/${video}/complete`,
    );
    await media.evaluate((el: HTMLMediaElement) => el.play());
    expect((await completed).status()).toBe(200);
    await page.getByTestId("completion-state").getByText("Completed").waitFor();
  });

  it("reads the text lesson, moving on with Next, and the PDF", async () => {
    const text = lessons[EVERY_LESSON_TYPE.text] as string;
    await afterResponse(page, `/api/v1/lessons/${text}/start`, () =>
      page.getByRole("link", { name: "Next lesson" }).click(),
    );
    await app.expectHeading(EVERY_LESSON_TYPE.text);
    await page.getByRole("heading", { name: "The pole star" }).waitFor();
    await checkPage(page, "text lesson");
    expect((await app.markLessonComplete(text)).status()).toBe(200);

    const pdf = lessons[EVERY_LESSON_TYPE.pdf] as string;
    await app.openLesson(EVERY_LESSON_TYPE.pdf, pdf);
    await page.getByRole("link", { name: "Download the PDF" }).waitFor();
    await page.locator(`iframe[title="PDF: ${EVERY_LESSON_TYPE.pdf}"]`).waitFor();
    await checkPage(page, "pdf lesson");
    expect((await app.markLessonComplete(pdf)).status()).toBe(200);
  });

  it("listens to the audio lesson to its end", async () => {
    const audio = lessons[EVERY_LESSON_TYPE.audio] as string;
    await app.openLesson(EVERY_LESSON_TYPE.audio, audio);
    await checkPage(page, "audio lesson");
    const completed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/lessons/${audio}/complete`,
    );
    await page.getByTestId("lesson-media").evaluate((el: HTMLMediaElement) => el.play());
    expect((await completed).status()).toBe(200);
    await page.getByTestId("completion-state").getByText("Completed").waitFor();
  });

  it("does the interactive exercise and joins the live session", async () => {
    const interactive = lessons[EVERY_LESSON_TYPE.interactive] as string;
    await app.openLesson(EVERY_LESSON_TYPE.interactive, interactive);
    const frame = `iframe[title="Interactive exercise: ${EVERY_LESSON_TYPE.interactive}"]`;
    await page.frameLocator(frame).getByText("Drag the planets.").waitFor();
    await checkPage(page, "interactive lesson");
    expect((await app.markLessonComplete(interactive)).status()).toBe(200);

    const live = lessons[EVERY_LESSON_TYPE.live] as string;
    await app.openLesson(EVERY_LESSON_TYPE.live, live);
    await page.getByText("This session is running now.").waitFor();
    await page.getByRole("link", { name: /Join the session/ }).waitFor();
    await checkPage(page, "live session lesson");
    expect((await app.markLessonComplete(live)).status()).toBe(200);
  });

  it("opens the external link before marking the last lesson complete", async () => {
    const link = lessons[EVERY_LESSON_TYPE.link] as string;
    await app.openLesson(EVERY_LESSON_TYPE.link, link);
    expect(await page.getByRole("button", { name: "Mark complete" }).isDisabled()).toBe(true);
    await checkPage(page, "external link lesson");
    const popup = context.waitForEvent("page");
    await page.getByRole("link", { name: /Open the star atlas/ }).click();
    await (await popup).close();
    expect((await app.markLessonComplete(link)).status()).toBe(200);
    await page
      .getByRole("navigation", { name: "Course outline" })
      .getByTestId("course-progress")
      .getByText("7 of 7 lessons")
      .waitFor();

    const { id: userId } = await learnerRow();
    const rows = await server.app.system.db
      .selectFrom("lesson_progress as p")
      .innerJoin("enrollments as e", "e.id", "p.enrollment_id")
      .select(["p.lesson_id", "p.status"])
      .where("e.user_id", "=", userId)
      .execute();
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.status === "completed")).toBe(true);
    // The quiz is still to pass: no certificate yet.
    const certificates = await server.app.system.db
      .selectFrom("certificates")
      .select("id")
      .where("user_id", "=", userId)
      .execute();
    expect(certificates).toEqual([]);
  });

  it("goes back to the course page and passes the certification quiz", async () => {
    await page.getByRole("link", { name: "Back to the course" }).click();
    await app.expectHeading(COURSE);
    await page.getByRole("heading", { name: "Quizzes" }).waitFor();
    await page.getByRole("link", { name: QUIZ }).click();
    await app.expectHeading(QUIZ);
    await page.getByText("You have not taken this quiz yet.").waitFor();
    await checkPage(page, "quiz page");

    const started = await afterResponse(page, `/api/v1/quizzes/${quizId}/start`, () =>
      page.getByRole("button", { name: "Start quiz" }).click(),
    );
    expect(started.status()).toBe(201);
    const attemptId = (await started.json()).data.id as string;
    await page.waitForURL(`${server.url}/attempts/${attemptId}`);
    await page.getByRole("radio", { name: "443" }).check();
    await page.getByRole("checkbox", { name: "TCP" }).check();
    await page.getByRole("checkbox", { name: "UDP" }).check();
    await page.getByRole("radio", { name: "True" }).check();
    await page.getByLabel("Name the protocol of the web.").fill("HTTP");
    await app.quizSaved();
    await checkPage(page, "attempt being taken");

    await page.getByRole("button", { name: "Submit" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Submit this attempt?" });
    await dialog.getByText("You have answered every question.").waitFor();
    const submitted = await afterResponse(page, `/api/v1/attempts/${attemptId}/submit`, () =>
      dialog.getByRole("button", { name: "Submit now" }).click(),
    );
    expect(submitted.status()).toBe(200);
    expect((await submitted.json()).data).toMatchObject({ status: "graded", passed: true });
    const score = page.getByRole("region", { name: "Your score" });
    await score.getByText("100%").waitFor();
    await score.getByText("Passed").waitFor();
    await checkPage(page, "attempt result");
  });

  it("finds the certificate on My learning and on the certificates page", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "My learning" }).click();
    await app.expectHeading("My learning");
    // Off the navigation: the hovered active entry is the shell's to check, not this page's.
    await page.mouse.move(0, 0);
    const completed = page.getByRole("list", { name: "Completed courses" });
    await completed.getByRole("link", { name: COURSE, exact: true }).waitFor();
    await completed
      .getByRole("link", { name: new RegExp(`^View certificate.*${COURSE}`) })
      .waitFor();
    await page.getByRole("list", { name: "Your latest certificates" }).getByText(COURSE).waitFor();
    await checkPage(page, "my learning, completed");

    await page.getByRole("navigation").getByRole("link", { name: "Certificates" }).click();
    await app.expectHeading("Certificates");
    await page.mouse.move(0, 0);
    const list = page.getByRole("list", { name: "Your certificates" });
    await list.getByText("Valid", { exact: true }).waitFor();
    expect(await list.getByRole("listitem").count()).toBe(1);
    await checkPage(page, "certificates");
  });

  it("opens the certificate and downloads its PDF, stored for this learner", async () => {
    await page
      .getByRole("list", { name: "Your certificates" })
      .getByRole("link", { name: COURSE })
      .click();
    await app.expectHeading(`Certificate: ${COURSE}`);
    const { id: userId } = await learnerRow();
    const row = await server.app.system.db
      .selectFrom("certificates")
      .select(["id", "certificate_number", "course_id", "recipient_name", "revoked_at"])
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ course_id: courseId, recipient_name: fullName, revoked_at: null });
    certificateNumber = row.certificate_number;
    expect(app.path()).toBe(`/certificates/${row.id}`);
    await page.getByText(certificateNumber).first().waitFor();
    await checkPage(page, "certificate");

    const file = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download PDF" }).click();
    const download = await file;
    expect(download.suggestedFilename()).toBe(`${certificateNumber}.pdf`);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
    expect(new URL(await page.getByLabel("Verification link").inputValue()).pathname).toBe(
      `/verify/${certificateNumber}`,
    );
  });

  it("signs out and finds the certificate valid on its public verification page", async () => {
    expect((await app.signOut(fullName)).status()).toBe(200);
    await app.expectHeading("Sign in");
    await app.open(`/verify/${certificateNumber}`);
    await app.expectHeading("Certificate verification");
    await page.getByText("This certificate is genuine and valid.").waitFor();
    await page.getByText(fullName).first().waitFor();
    await page.getByText(COURSE).first().waitFor();
    await page.getByRole("button", { name: `Account menu for ${fullName}` }).waitFor({
      state: "detached",
    });
    await checkPage(page, "certificate verification, signed out");
  });

  it("met no Content-Security-Policy refusal and no page error", () => {
    expect(pageProblems).toEqual([]);
  });
});
