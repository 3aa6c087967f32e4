import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiGradeAttempt } from "../../src/modules/assessments/grade.js";
import { addMember } from "../../src/modules/organizations/service.js";
import { enrolledLearner } from "../../test/assessments.js";
import { makeOrganization, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An instructor writes a course in the browser: starts a draft from the Teaching page, reads
 * the publication checklist and follows its links to the fixes, writes a text lesson in the
 * rich-text editor, uploads a video with a progress bar, adds a lesson of every other type,
 * reorders modules with the keyboard, sets an unlock rule, builds a quiz with an essay,
 * publishes, and previews the course as a learner sees it. Then a learner takes the quiz
 * through the API, the instructor grades the essay in the grading queue, regrades it on the
 * attempt's page and finds the new score in the gradebook (issue 14 §6, the instructor's
 * journey as one flow).
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let instructorEmail = "";
let orgId = "";
let courseId = "";

/** The smallest MP4 header the server recognises as a video (an `ftyp` box). */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from("ftypisom"),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from("isomiso2"),
  Buffer.alloc(2048, 7),
]);

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const { org, people } = await makeOrganization(server.app, {
    name: "Harbour Logistics",
    people: [{ key: "Ines", roles: ["instructor"] }],
  });
  orgId = org.id;
  instructorEmail = people.Ines?.user.email ?? "";
});

afterAll(async () => {
  await journey?.close();
});

async function lessonsOf(title: string) {
  return server.app.system.db
    .selectFrom("lessons as l")
    .innerJoin("modules as m", "m.id", "l.module_id")
    .select(["l.title", "l.content_type", "l.content", "l.is_published", "m.title as module"])
    .where("l.course_id", "=", courseId)
    .where("m.title", "=", title)
    .orderBy("l.position")
    .execute();
}

describe("Course authoring", () => {
  it("starts a draft from the Teaching page", async () => {
    await app.open("/");
    expect((await app.signIn(instructorEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("link", { name: "Teaching" }).first().click();
    await app.expectHeading("Teaching");
    await page.getByRole("heading", { name: "No courses yet" }).waitFor();
    await checkPage(page, "teaching, no courses");

    await page.getByRole("button", { name: "New course" }).click();
    const dialog = page.getByRole("dialog", { name: "New course" });
    await dialog.getByLabel(/^Title/).fill("Forklift Safety");
    expect(await dialog.getByLabel(/^Code/).inputValue()).toBe("FORKLIFT-SAFETY");
    await checkPage(page, "new course dialog");
    const created = await afterResponse(page, "/api/v1/courses", () =>
      dialog.getByRole("button", { name: "Create draft" }).click(),
    );
    expect(created.status()).toBe(201);
    courseId = ((await created.json()) as { data: { id: string } }).data.id;
    await app.expectHeading("Forklift Safety");
    await page.getByText("Draft", { exact: true }).waitFor();
    await page.getByRole("heading", { name: "Introduction" }).waitFor();
    await checkPage(page, "course editor, content");
  });

  it("lists what stops publication, each problem leading to its fix", async () => {
    await page.getByRole("tab", { name: "Publication" }).click();
    const checklist = page.getByRole("list", { name: "What still needs doing" });
    await checklist.getByRole("link", { name: "Choose a category" }).waitFor();
    await checklist
      .getByRole("link", { name: "Write a description of at least 20 characters" })
      .waitFor();
    await checklist
      .getByRole("link", { name: "Add a published lesson or quiz to “Introduction”" })
      .waitFor();
    expect(await page.getByRole("button", { name: "Publish" }).isDisabled()).toBe(true);
    await checkPage(page, "course editor, publication checklist");

    await checklist.getByRole("link", { name: "Choose a category" }).click();
    const category = page.getByRole("combobox", { name: "Category" });
    await expect.poll(() => category.evaluate((el) => el === document.activeElement)).toBe(true);
    await category.fill("Safety");
    await page
      .getByLabel("Description")
      .fill("Drive, load and park a forklift safely in a busy warehouse.");
    const tags = page.getByRole("combobox", { name: "Tags" });
    await tags.fill("machinery");
    await tags.press("Enter");
    await page.getByLabel("Price").fill("49");
    await checkPage(page, "course editor, settings");
    const saved = await afterResponse(page, `/api/v1/courses/${courseId}`, () =>
      page.getByRole("button", { name: "Save settings" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Settings saved.").waitFor();
    const course = await server.app.system.db
      .selectFrom("courses")
      .select(["category", "tags", "price_amount", "currency"])
      .where("id", "=", courseId)
      .executeTakeFirstOrThrow();
    expect(course).toEqual({
      category: "Safety",
      tags: ["machinery"],
      price_amount: 4900,
      currency: "USD",
    });
  });

  it("writes a text lesson in the rich-text editor", async () => {
    await page.getByRole("tab", { name: "Content" }).click();
    await page.getByRole("link", { name: "Add lesson to Introduction" }).click();
    await app.expectHeading("New lesson");
    await page.getByLabel(/^Title/).fill("Before you drive");
    const body = page.getByRole("textbox", { name: "Text" });
    await body.click();
    await page.keyboard.type("Walk around the truck first. ");
    await page.getByRole("button", { name: "Bold" }).click();
    await page.keyboard.type("Check the forks.");
    await checkPage(page, "lesson editor, text");
    const created = await afterResponse(
      page,
      `/api/v1/modules/${await lessonsModuleId("Introduction")}/lessons`,
      () => page.getByRole("button", { name: "Create lesson" }).click(),
    );
    expect(created.status()).toBe(201);
    await app.expectHeading("Before you drive");
    await page.getByRole("button", { name: "Save lesson" }).waitFor();
    const [lesson] = await lessonsOf("Introduction");
    expect(lesson?.content_type).toBe("text");
    expect(lesson?.is_published).toBe(true);
    expect((lesson?.content as { html?: string } | undefined)?.html).toBe(
      "<p>Walk around the truck first. <strong>Check the forks.</strong></p>",
    );
  });

  it("uploads a video with a progress bar and serves it to the course's editors", async () => {
    await page.getByRole("link", { name: "Back to the outline" }).click();
    await page.getByRole("link", { name: "Add lesson to Introduction" }).click();
    await app.expectHeading("New lesson");
    await page.getByRole("combobox", { name: "Type" }).click();
    await page.getByRole("option", { name: "Video" }).click();
    await page.getByLabel(/^Title/).fill("Safe lifting");
    const upload = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/courses/${courseId}/files`,
    );
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: "lifting.mp4", mimeType: "video/mp4", buffer: MP4 });
    expect((await upload).status()).toBe(201);
    const address = page.getByLabel(/^Video address/);
    await expect.poll(() => address.inputValue()).toMatch(/\/api\/v1\/course-files\/[0-9a-f-]+$/);
    const url = await address.inputValue();
    await page.getByLabel("Length in seconds").fill("95");
    await checkPage(page, "lesson editor, video");
    await page.getByRole("button", { name: "Create lesson" }).click();
    await app.expectHeading("Safe lifting");
    // The stored address is absolute, on the configured public URL; the test server listens
    // elsewhere, so the file is read at the same path here.
    const stored = await page.request.get(server.url + new URL(url).pathname);
    expect(stored.status()).toBe(200);
    expect(Buffer.from(await stored.body()).equals(MP4)).toBe(true);

    // A file that only claims to be a video is refused, and the refusal shows.
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: "notes.mp4", mimeType: "video/mp4", buffer: Buffer.from("hello") });
    await page.getByRole("alert").filter({ hasText: "The upload failed" }).waitFor();
  });

  it("adds a lesson of every other type", async () => {
    const others: Array<[string, string, (p: Page) => Promise<void>]> = [
      [
        "Audio",
        "Radio calls",
        (p) => p.getByLabel(/^Audio address/).fill("https://media.example.com/radio.mp3"),
      ],
      [
        "PDF",
        "Checklist",
        (p) => p.getByLabel(/^PDF address/).fill("https://media.example.com/checklist.pdf"),
      ],
      [
        "Interactive",
        "Load simulator",
        (p) => p.getByLabel(/^Page to embed/).fill("https://sim.example.com/load"),
      ],
      ["Live session", "Yard walk", (p) => p.getByLabel(/^Starts at/).fill("2027-03-01T09:30")],
      [
        "Link",
        "Regulations",
        (p) => p.getByLabel(/^Address/).fill("https://www.example.gov/forklifts"),
      ],
    ];
    for (const [type, title, fill] of others) {
      await page.getByRole("link", { name: "Back to the outline" }).click();
      await page.getByRole("link", { name: "Add lesson to Introduction" }).click();
      await app.expectHeading("New lesson");
      await page.getByRole("combobox", { name: "Type" }).click();
      await page.getByRole("option", { name: type, exact: true }).click();
      await page.getByLabel(/^Title/).fill(title);
      await fill(page);
      const created = await afterResponse(
        page,
        `/api/v1/modules/${(await lessonsModuleId("Introduction")) ?? ""}/lessons`,
        () => page.getByRole("button", { name: "Create lesson" }).click(),
      );
      expect(created.status(), `${type} lesson`).toBe(201);
      await app.expectHeading(title);
    }
    const types = (await lessonsOf("Introduction")).map((l) => l.content_type);
    expect(types).toEqual([
      "text",
      "video",
      "audio",
      "pdf",
      "interactive",
      "live-session",
      "external-link",
    ]);
  });

  it("reorders modules with the keyboard and sets an unlock rule", async () => {
    await page.getByRole("link", { name: "Back to the outline" }).click();
    await page.getByLabel(/^New module/).fill("Practice");
    await afterResponse(page, `/api/v1/courses/${courseId}/modules`, () =>
      page.getByRole("button", { name: "Add module" }).click(),
    );
    await page.getByRole("heading", { name: "Practice" }).waitFor();
    await checkPage(page, "course editor, outline with every lesson type");

    await page.getByRole("button", { name: "Move Practice" }).focus();
    const ordered = afterResponse(page, `/api/v1/courses/${courseId}/modules/order`, async () => {
      await page.keyboard.press("Space");
      await page.getByText("Picked up Practice, position 2 of 2.").waitFor();
      await page.keyboard.press("ArrowUp");
      await page.getByText("Practice is now at position 1 of 2.").waitFor();
      await page.keyboard.press("Space");
    });
    expect((await ordered).status()).toBe(200);
    const modules = await server.app.system.db
      .selectFrom("modules")
      .select("title")
      .where("course_id", "=", courseId)
      .orderBy("position")
      .execute();
    expect(modules.map((m) => m.title)).toEqual(["Practice", "Introduction"]);

    await page.getByRole("button", { name: "Settings of Introduction" }).click();
    const dialog = page.getByRole("dialog", { name: /Module settings/ });
    await dialog.getByRole("combobox", { name: "Opens to learners" }).click();
    await page.getByRole("option", { name: "After chosen modules" }).click();
    await dialog.getByRole("button", { name: "Save module" }).click();
    // Without a module chosen the rule is not sent.
    await dialog.getByText("Choose at least one module.").waitFor();
    await dialog.getByRole("combobox", { name: /Modules to finish first/ }).click();
    await page.getByRole("option", { name: "Practice" }).click();
    // Leaving the field closes its list of choices.
    await page.keyboard.press("Tab");
    await checkPage(page, "module settings");
    const changed = await afterResponse(
      page,
      `/api/v1/modules/${await lessonsModuleId("Introduction")}`,
      () => dialog.getByRole("button", { name: "Save module" }).click(),
    );
    expect(changed.status()).toBe(200);
    await page.getByText("Opens after: Practice").waitFor();
  });

  it("builds a quiz with a question of every type, its settings, and publishes it", async () => {
    await page.getByRole("tab", { name: "Content" }).click();
    await page.getByRole("button", { name: "Add quiz to Introduction" }).click();
    await app.expectHeading("Quiz: Introduction");
    await page.getByRole("heading", { name: "No questions yet" }).waitFor();
    await checkPage(page, "quiz builder, empty");
    const dialog = page.getByRole("dialog");
    const add = async (type: string, fill: () => Promise<void>) => {
      await page.getByRole("button", { name: "Add question" }).click();
      await dialog.getByRole("combobox", { name: "Type" }).click();
      await page.getByRole("option", { name: type, exact: true }).click();
      await fill();
      const added = await afterResponse(page, `/api/v1/quizzes/${quizId}/questions`, () =>
        dialog.getByRole("button", { name: "Add question" }).click(),
      );
      expect(added.status(), type).toBe(201);
      await dialog.waitFor({ state: "hidden" });
    };
    const quizId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await add("Multiple choice", async () => {
      await dialog.getByLabel(/^Question/).fill("Where do the forks rest when driving?");
      await dialog.getByRole("textbox", { name: /^Option 1/ }).fill("Raised high");
      await dialog.getByRole("textbox", { name: /^Option 2/ }).fill("Just above the floor");
      await dialog.getByRole("radio", { name: "Option 2 is right" }).check();
      await checkPage(page, "question editor, multiple choice");
    });
    await add("Multiple select", async () => {
      await dialog.getByLabel(/^Question/).fill("Which belong in the daily check?");
      await dialog.getByRole("textbox", { name: /^Option 1/ }).fill("Brakes");
      await dialog.getByRole("textbox", { name: /^Option 2/ }).fill("Horn");
      await dialog.getByRole("button", { name: "Add option" }).click();
      await dialog.getByRole("textbox", { name: /^Option 3/ }).fill("Radio station");
      await dialog.getByRole("checkbox", { name: "Option 2 is right" }).check();
    });
    await add("True or false", async () => {
      await dialog.getByLabel(/^Question/).fill("Passengers may ride on the forks.");
      await dialog.getByRole("radio", { name: "False" }).check();
    });
    await add("Short answer", async () => {
      await dialog.getByLabel(/^Question/).fill("What do you sound at blind corners?");
      const accepted = dialog.getByRole("combobox", { name: /^Accepted answers/ });
      await accepted.fill("horn");
      await accepted.press("Enter");
    });
    await add("Fill in the blanks", async () => {
      await dialog.getByLabel(/^Question/).fill("Keep {{1}} hands inside the {{2}}.");
      const first = dialog.getByRole("combobox", { name: /^Answers for blank 1/ });
      await first.fill("both");
      await first.press("Enter");
      await dialog.getByRole("button", { name: "Add blank" }).click();
      const second = dialog.getByRole("combobox", { name: /^Answers for blank 2/ });
      await second.fill("cab");
      await second.press("Enter");
    });
    await add("Matching", async () => {
      await dialog.getByLabel(/^Question/).fill("Match the sign to its meaning.");
      await dialog.getByLabel(/^Item 1/).fill("Red");
      await dialog.getByLabel(/^Its match 1/).fill("Stop");
      await dialog.getByLabel(/^Item 2/).fill("Green");
      await dialog.getByLabel(/^Its match 2/).fill("Go");
    });
    await add("Essay", async () => {
      await dialog.getByLabel(/^Question/).fill("Describe how you would load a pallet.");
      await dialog.getByRole("button", { name: "Add criterion" }).click();
      await dialog.getByLabel(/^Criterion 1/).fill("Checks the weight");
      await dialog.getByLabel(/^Points for criterion 1/).fill("3");
      const keywords = dialog.getByRole("combobox", { name: /^Keywords for criterion 1/ });
      await keywords.fill("weight");
      await keywords.press("Enter");
      await checkPage(page, "question editor, essay");
    });
    await add("Rating scale", async () => {
      await dialog.getByLabel(/^Question/).fill("How confident do you feel?");
    });
    await page.getByText("8 questions, 9 points").waitFor();

    await page.getByLabel("Time limit (minutes)").fill("20");
    await page.getByLabel("Attempts allowed").fill("3");
    // A pool as large as the quiz will be (a question comes from the bank below): every
    // question is served, so the learner's essay is too.
    await page.getByLabel("Questions per attempt").fill("9");
    await page.getByRole("switch", { name: "Shuffle the questions" }).check();
    const saved = await afterResponse(page, `/api/v1/quizzes/${quizId}`, () =>
      page.getByRole("button", { name: "Save settings" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Settings saved.").waitFor();
    await checkPage(page, "quiz builder, questions and settings");
    const published = await afterResponse(page, `/api/v1/quizzes/${quizId}`, () =>
      page.getByRole("button", { name: "Publish quiz" }).click(),
    );
    expect(published.status()).toBe(200);
    await page.getByRole("button", { name: "Unpublish quiz" }).waitFor();
    const quiz = await server.app.system.db
      .selectFrom("quizzes")
      .select([
        "is_published",
        "time_limit_minutes",
        "attempt_limit",
        "questions_per_attempt",
        "randomize_questions",
      ])
      .where("id", "=", quizId)
      .executeTakeFirstOrThrow();
    expect(quiz).toEqual({
      is_published: true,
      time_limit_minutes: 20,
      attempt_limit: 3,
      questions_per_attempt: 9,
      randomize_questions: true,
    });
    const stored = await server.app.system.db
      .selectFrom("quiz_questions")
      .select(["question_type", "definition"])
      .where("quiz_id", "=", quizId)
      .orderBy("position")
      .execute();
    expect(stored.map((q) => q.question_type)).toEqual([
      "multiple-choice",
      "multiple-select",
      "true-false",
      "short-answer",
      "fill-blank",
      "matching",
      "essay",
      "rating-scale",
    ]);
    expect(stored[0]?.definition).toMatchObject({
      options: [
        { id: "a", text: "Raised high", correct: false },
        { id: "b", text: "Just above the floor", correct: true },
      ],
    });
    expect(stored[4]?.definition).toMatchObject({
      blanks: [{ accepted: ["both"] }, { accepted: ["cab"] }],
    });
    expect(stored[6]?.definition).toMatchObject({
      points: 3,
      rubric: [{ description: "Checks the weight", points: 3, keywords: ["weight"] }],
    });
    await page.getByRole("link", { name: "Back to the outline" }).click();
    await page.getByRole("link", { name: "Quiz: Introduction" }).waitFor();
  });

  it("imports questions into the bank, each with its result, and copies one into the quiz", async () => {
    await page.getByRole("link", { name: "All my courses" }).click();
    await page.getByRole("link", { name: "Question bank" }).click();
    await app.expectHeading("Question bank");
    await page.getByRole("heading", { name: "No questions" }).waitFor();
    const exported = {
      format: "lyceum-question-bank",
      version: 1,
      questions: [
        {
          title: "Load centre",
          difficulty: "medium",
          question: {
            type: "true-false",
            text: "A load's centre of gravity shifts when the mast tilts.",
            correct: true,
          },
        },
        {
          title: "Broken item",
          question: {
            type: "multiple-choice",
            text: "Nothing is right here",
            options: [
              { id: "a", text: "One" },
              { id: "b", text: "Two" },
            ],
          },
        },
      ],
    };
    await page.locator('input[type="file"]').setInputFiles({
      name: "bank.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    const imported = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/question-bank/import`,
      () => page.getByRole("button", { name: "Import", exact: true }).click(),
    );
    expect(imported.status()).toBe(200);
    await page.getByText("Stored: 1. Refused: 1.").waitFor();
    const results = page.getByRole("table", { name: "Import results" });
    await results.getByRole("row", { name: /Question 1 Stored/ }).waitFor();
    await results
      .getByRole("row", { name: /Question 2 Refused: .*exactly one right option/ })
      .waitFor();
    await page.getByText("1 question", { exact: true }).waitFor();
    await checkPage(page, "question bank after an import");

    await page.getByRole("link", { name: "All my courses" }).click();
    await page.getByRole("link", { name: "Forklift Safety" }).click();
    await page.getByRole("link", { name: "Quiz: Introduction" }).click();
    await page.getByRole("button", { name: "Copy from the bank" }).click();
    const picker = page.getByRole("dialog", { name: "Copy questions from the bank" });
    await checkPage(page, "bank picker");
    const copied = await afterResponse(
      page,
      /* the quiz's questions */ `/api/v1/quizzes/${await quizIdOf("Quiz: Introduction")}/questions`,
      () => picker.getByRole("button", { name: "Copy into the quiz: Load centre" }).click(),
    );
    expect(copied.status()).toBe(201);
    await picker.getByText("Copied").waitFor();
    await picker.getByRole("button", { name: "Done" }).last().click();
    await page.getByText("9 questions, 10 points").waitFor();
    await page.getByText("A load's centre of gravity shifts when the mast tilts.").waitFor();
    await page.getByRole("link", { name: "Back to the outline" }).click();
  });

  it("publishes once the checklist is clear, and previews as a learner", async () => {
    await page.getByRole("tab", { name: "Publication" }).click();
    const empty = page.getByRole("link", { name: "Add a published lesson or quiz to “Practice”" });
    await empty.click();
    // The link leads to the module to fix, on the content tab.
    expect(new URL(page.url()).searchParams.get("module")).toBe(await lessonsModuleId("Practice"));
    await page.getByRole("button", { name: "Delete Practice" }).click();
    await page
      .getByRole("dialog", { name: "Delete Practice?" })
      .getByRole("button", { name: "Delete module" })
      .click();
    await page
      .getByRole("heading", { name: "Practice", exact: true })
      .waitFor({ state: "detached" });
    // Introduction waited for Practice: it no longer waits for a module that is gone.
    expect(
      await server.app.system.db
        .selectFrom("modules")
        .select(["title", "unlock_type", "prerequisite_module_ids"])
        .where("course_id", "=", courseId)
        .execute(),
    ).toEqual([{ title: "Introduction", unlock_type: "immediate", prerequisite_module_ids: [] }]);

    await page.getByRole("tab", { name: "Publication" }).click();
    await page.getByText("Nothing stops this course from being published.").waitFor();
    const published = await afterResponse(page, `/api/v1/courses/${courseId}/publish`, () =>
      page.getByRole("button", { name: "Publish" }).click(),
    );
    expect(published.status()).toBe(200);
    await page.getByText("This course is published: learners can find and join it.").waitFor();
    await page.getByText("Published", { exact: true }).first().waitFor();
    await checkPage(page, "course editor, published");

    await page.getByRole("link", { name: "Preview as a learner" }).click();
    await app.expectHeading("Forklift Safety");
    await page.getByText(/^This is the course as learners see it/).waitFor();
    await page.getByText("Before you drive").first().waitFor();
    await checkPage(page, "course preview as a learner");
    await page.getByRole("link", { name: "Back to the editor" }).click();
    await page.getByRole("tab", { name: "Content" }).waitFor();
  });
});

async function lessonsModuleId(title: string): Promise<string | undefined> {
  const row = await server.app.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", courseId)
    .where("title", "=", title)
    .executeTakeFirst();
  return row?.id;
}

/** The learner's essay in the built course's quiz (the local AI grader's keyword is met). */
const ESSAY = "I read the weight on the label and compare it with the capacity plate.";

/** The essay graded in the queue, regraded afterwards. */
let regradable: {
  attemptId: string;
  learner: Awaited<ReturnType<typeof enrolledLearner>>;
};

describe("Grading", () => {
  it("grades the essay a learner submitted in the built course, starting from the AI's suggestion", async () => {
    const t = server.app;
    const quizId = await quizIdOf("Quiz: Introduction");
    const learner = await enrolledLearner(t, courseId, "Olek");
    await addMember(t.system, orgId, { userId: learner.user.id, roleKeys: ["learner"] });
    const started = await t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, learner);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const attempt = started.body.data;
    // Every question is served (the pool is the whole quiz), in a shuffled order.
    expect(attempt.questions).toHaveLength(9);
    const asked = (text: string) =>
      attempt.questions.find((q: { question: { text: string } }) => q.question.text === text)?.id;
    const submitted = await t.http.post(
      `/api/v1/attempts/${attempt.id}/submit`,
      {
        answers: [
          {
            questionId: asked("Where do the forks rest when driving?"),
            response: { selected: ["b"] },
          },
          { questionId: asked("Passengers may ride on the forks."), response: { value: false } },
          {
            questionId: asked("Describe how you would load a pallet."),
            response: { text: ESSAY },
          },
        ],
      },
      learner,
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body.data).toMatchObject({ status: "submitted", pendingManual: 1 });
    // The worker's AI grading job, run here: a suggestion it is unsure of, left to a person.
    await aiGradeAttempt(t.system, attempt.id);

    // The instructor is still in the course's editor, where the journey left them.
    await page.getByRole("link", { name: "Grading queue" }).click();
    await app.expectHeading("Grading: Forklift Safety");
    const card = page.getByRole("article", { name: /^Answer by Olek/ });
    await card.getByText(ESSAY).waitFor();
    await card.getByText("AI suggestion: 3 of 3 points").waitFor();
    await card.getByText("Met: Checks the weight (3 points)").waitFor();
    await checkPage(page, "grading queue");

    await card.getByRole("button", { name: "Use the suggestion" }).click();
    const criterion = card.getByLabel(/^Checks the weight/);
    expect(await criterion.inputValue()).toBe("3");
    // The instructor gives two: the answer names the check but not what to do about it.
    await criterion.fill("2");
    await card
      .getByLabel("Feedback for the learner")
      .fill("Say what you do when the load is over the capacity.");
    const graded = await afterResponse(page, `/api/v1/attempts/${attempt.id}/grade`, () =>
      card.getByRole("button", { name: "Save grade" }).click(),
    );
    expect(graded.status()).toBe(200);
    await page.getByRole("heading", { name: "Nothing to grade" }).waitFor();
    const answer = await t.system.db
      .selectFrom("quiz_answers")
      .select(["points", "outcome", "feedback", "manual_override"])
      .where("attempt_id", "=", attempt.id)
      .where("quiz_question_id", "=", asked("Describe how you would load a pallet."))
      .executeTakeFirstOrThrow();
    expect({ ...answer, points: Number(answer.points) }).toEqual({
      points: 2,
      outcome: "partial",
      feedback: "Say what you do when the load is over the capacity.",
      manual_override: true,
    });
    // Two objective points and two of the essay's three, of ten.
    const mine = await t.http.get(`/api/v1/attempts/${attempt.id}`, learner);
    expect(mine.body.data).toMatchObject({ status: "graded", pointsEarned: 4, score: 40 });
    await checkPage(page, "grading queue, empty");
    regradable = { attemptId: attempt.id, learner };
  });

  it("regrades the graded essay on its attempt's page, and the learner's result follows", async () => {
    const { attemptId, learner } = regradable;
    // The graded answer is listed apart, with how it was graded, and leads to its attempt.
    await page.getByRole("combobox", { name: "Show" }).click();
    await page.getByRole("option", { name: "Graded answers" }).click();
    const card = page.getByRole("article", { name: /^Answer by Olek/ });
    await card.getByText("2 of 3 points").waitFor();
    await card.getByText(/^Manual override by Ines/).waitFor();
    await checkPage(page, "grading queue, graded answers");
    await card.getByRole("link", { name: /^Open the attempt by Olek .* to regrade$/ }).click();
    await app.expectHeading(/^Olek .*: Quiz: Introduction$/);
    const essay = page
      .getByRole("listitem")
      .filter({ hasText: "Describe how you would load a pallet." });
    await essay.getByText(ESSAY).waitFor();
    await essay.getByText(/^Manual override by Ines/).waitFor();
    await page.getByRole("status").filter({ hasText: "40%" }).waitFor();
    await checkPage(page, "attempt for grading");

    await essay.getByRole("button", { name: /^Regrade question \d+$/ }).click();
    // The form starts from the grade as it stands.
    const criterion = essay.getByLabel(/^Checks the weight/);
    expect(await criterion.inputValue()).toBe("2");
    expect(await essay.getByLabel("Feedback for the learner").inputValue()).toBe(
      "Say what you do when the load is over the capacity.",
    );
    await criterion.fill("3");
    await checkPage(page, "attempt for grading, regrade form");
    const regraded = await afterResponse(page, `/api/v1/attempts/${attemptId}/grade`, () =>
      essay.getByRole("button", { name: "Save grade" }).click(),
    );
    expect(regraded.status()).toBe(200);
    await essay.getByText("The new grade is saved.").waitFor();
    await page.getByRole("status").filter({ hasText: "50%" }).waitFor();
    const answer = await server.app.system.db
      .selectFrom("quiz_answers as a")
      .innerJoin("quiz_questions as q", "q.id", "a.quiz_question_id")
      .select(["a.points", "a.outcome", "a.rubric_scores"])
      .where("a.attempt_id", "=", attemptId)
      .where("q.question_type", "=", "essay")
      .executeTakeFirstOrThrow();
    expect({ ...answer, points: Number(answer.points) }).toEqual({
      points: 3,
      outcome: "correct",
      rubric_scores: [3],
    });
    // The learner's own view of the attempt and their standing changed with it.
    const mine = await server.app.http.get(`/api/v1/attempts/${attemptId}`, learner);
    expect(mine.body.data).toMatchObject({ score: 50, pointsEarned: 5 });
    const audit = await server.app.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", attemptId)
      .where("action", "=", "quiz-attempt.regrade")
      .execute();
    expect(audit).toHaveLength(1);

    // The gradebook, from the course editor, shows the new best score and leads back.
    await app.open(`/teaching/courses/${courseId}`);
    await page.getByRole("link", { name: "Gradebook" }).click();
    await app.expectHeading(/^Gradebook: /);
    const row = page.getByRole("row", { name: /Olek/ });
    await row.getByRole("link", { name: /^50%, best attempt of Olek/ }).waitFor();
    await checkPage(page, "gradebook");
    await row.getByRole("link", { name: /^50%, best attempt of Olek/ }).click();
    await app.expectHeading(/^Olek .*: Quiz: Introduction$/);
    expect(journey.problems).toEqual([]);
  });
});

async function quizIdOf(title: string): Promise<string> {
  const row = await server.app.system.db
    .selectFrom("quizzes")
    .select("id")
    .where("course_id", "=", courseId)
    .where("title", "=", title)
    .executeTakeFirstOrThrow();
  return row.id;
}
