import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuestionDefinition } from "../../src/modules/assessments/questions.js";
import { addQuizQuestion, createQuiz, updateQuiz } from "../../src/modules/assessments/quizzes.js";
import { addMember } from "../../src/modules/organizations/service.js";
import { enrolledLearner, quizCourse } from "../../test/assessments.js";
import { makeOrganization, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The course team reads a course's results: learning gain between a pre- and a post-course
 * test (overall, by cohort and skill as charts, by learner as a table) and the item analysis
 * of each quiz, of every attempt or first attempts only. What the page shows is compared with
 * what the API computed for the attempts made here.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let instructorEmail = "";
let instructorId = "";
let orgId = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const { org, people } = await makeOrganization(server.app, {
    name: "Harbour Results",
    people: [{ key: "Ines", roles: ["instructor"] }],
  });
  orgId = org.id;
  instructorEmail = people.Ines?.user.email ?? "";
  instructorId = people.Ines?.user.id ?? "";
});

afterAll(async () => {
  await journey?.close();
});

const tf = (n: number, skill: string): QuestionDefinition =>
  ({
    type: "true-false",
    text: `Statement ${n} (${skill})`,
    points: 1,
    correct: true,
    skillIds: [skill],
  }) as QuestionDefinition;

// The page's number formats (CourseResultsPage.tsx, useNumbers), in English.
const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });
const score = (n: number | null) => (n === null ? "–" : percent.format(n / 100));
const ratio = (n: number | null) =>
  n === null
    ? "–"
    : new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
const change = (n: number) =>
  new Intl.NumberFormat("en", { maximumFractionDigits: 2, signDisplay: "exceptZero" }).format(n);
const BANDS = { high: "High", medium: "Medium", low: "Low" } as const;

/** A table's rows as the text of their cells, header row first. */
async function rowsOf(page: Page, name: string): Promise<string[][]> {
  return page
    .getByRole("table", { name, exact: true })
    .evaluate((table) =>
      [...table.querySelectorAll("tr")].map((row) =>
        [...row.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim() ?? ""),
      ),
    );
}

/** The value shown under a figure's label (the page's description lists). */
async function figure(page: Page, label: string): Promise<string> {
  const term = page.locator("dt", { hasText: new RegExp(`^${label}$`) });
  return (await term.locator("xpath=following-sibling::dd[1]").textContent()) ?? "";
}

describe("Results", () => {
  it("shows learning gain and item analysis as the API computed them", async () => {
    const t = server.app;
    const {
      course,
      module,
      quiz: pre,
    } = await quizCourse(t, {
      instructorId,
      organizationId: orgId,
      settings: { title: "Before", kind: "pre-course", requiredForCompletion: false },
      questions: [tf(1, "net"), tf(2, "net"), tf(3, "net"), tf(4, "sec"), tf(5, "sec")],
    });
    const post = await createQuiz(t.system, module.id, {
      title: "After",
      kind: "post-course",
      requiredForCompletion: false,
      attemptLimit: null,
      passingScore: 70,
    });
    for (let n = 1; n <= 5; n++)
      await addQuizQuestion(t.system, post.id, { question: tf(n, n <= 3 ? "net" : "sec") });
    await updateQuiz(t.system, post.id, { isPublished: true });
    const unused = await createQuiz(t.system, module.id, { title: "Unused check" });
    await addQuizQuestion(t.system, unused.id, { question: tf(1, "net") });
    await updateQuiz(t.system, unused.id, { isPublished: true });

    const learners = [];
    for (const name of ["Ada", "Ben", "Cy"]) {
      const learner = await enrolledLearner(t, course.id, name);
      await addMember(t.system, orgId, { userId: learner.user.id, roleKeys: ["learner"] });
      learners.push(learner);
    }
    const [ada, ben, cy] = learners as [
      (typeof learners)[number],
      (typeof learners)[number],
      (typeof learners)[number],
    ];
    /** Takes a quiz, answering the first `right` statements (served in written order) true. */
    const take = async (who: typeof ada, quizId: string, right: number) => {
      const attempt = (await t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, who)).body.data;
      const answers = attempt.questions.map((q: { id: string }, i: number) => ({
        questionId: q.id,
        response: { value: i < right },
      }));
      const res = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`, { answers }, who);
      expect(res.status).toBe(200);
    };

    // Nothing taken yet: both parts say so.
    await app.open("/");
    expect((await app.signIn(instructorEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/teaching/courses/${course.id}`);
    await page.getByRole("link", { name: "Results" }).click();
    await app.expectHeading(`Results: ${course.title}`);
    await page.getByRole("heading", { name: "No pre- and post-test pairs yet" }).waitFor();
    await page.getByRole("heading", { name: "No attempts yet" }).waitFor();
    // The course's quizzes in the API's order (created, then by title): the post-test first.
    expect(await page.getByRole("combobox", { name: "Quiz" }).inputValue()).toBe("After");
    await checkPage(page, "course results, nothing taken");

    await take(ada, pre.id, 2); // 40 %: net 2/3, sec 0/2
    await take(ada, post.id, 5); // 100 %
    await take(ben, pre.id, 5); // 100 %: at the ceiling
    await take(ben, post.id, 5);
    await take(cy, pre.id, 1); // 20 %
    await take(cy, post.id, 3); // 60 %
    await take(cy, post.id, 4); // 80 %: the latest post-test counts

    await page.reload();
    await app.expectHeading(`Results: ${course.title}`);
    const report = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/courses/${id}/learning-gain`);
      return (await res.json()).data;
    }, course.id);
    // Gains 1.0 (Ada) and 0.75 (Cy); Ben started at 100.
    expect(report.course).toMatchObject({ learners: 3, atCeiling: 1, averageGain: 0.875 });

    await page.getByRole("table", { name: "By learner" }).waitFor();
    const learnerRows = await rowsOf(page, "By learner");
    expect(learnerRows[0]).toEqual([
      "Learner",
      "Pre-test",
      "Post-test",
      "Improvement",
      "Gain",
      "Band",
    ]);
    expect(learnerRows.slice(1)).toEqual(
      report.learners.map(
        (l: {
          name: string;
          preScore: number;
          postScore: number;
          scoreImprovement: number;
          normalizedGain: number | null;
          band: keyof typeof BANDS | null;
        }) => [
          l.name,
          score(l.preScore),
          score(l.postScore),
          change(l.scoreImprovement),
          ratio(l.normalizedGain),
          l.band ? BANDS[l.band] : "At the ceiling",
        ],
      ),
    );
    const ada1 = learnerRows.find((row) => row[0]?.startsWith("Ada"));
    expect(ada1?.slice(1)).toEqual(["40%", "100%", "+60", "1.00", "High"]);
    expect(await figure(page, "Learners with both tests")).toBe("3");
    expect(await figure(page, "Average pre-test")).toBe(score((40 + 100 + 20) / 3));
    expect(await figure(page, "Average post-test")).toBe(score((100 + 100 + 80) / 3));
    expect(await figure(page, "Average gain")).toBe(ratio(report.course.averageGain));
    expect(await figure(page, "Class gain")).toBe(ratio(report.course.classGain));
    await page.getByText("1 learner started at 100 % and is left out of both gains.").waitFor();

    // The charts: drawn as SVG, named with their numbers, which the table beside them repeats.
    const skills = page.getByRole("img", { name: /^Average pre- and post-test scores by skill/ });
    await skills.locator("svg").first().waitFor();
    // net: Ada 66.67 → 100, Ben 100 → 100, Cy 33.33 → 100; sec: Ada 0 → 100, Ben 100 → 100,
    // Cy 0 → 50 (statement 4 right, 5 not, in Cy's latest post-test).
    expect(await rowsOf(page, "Average pre- and post-test scores by skill")).toEqual([
      ["Skill", "Pre-test", "Post-test"],
      ["net", score((66.67 + 100 + 33.33) / 3), "100%"],
      ["sec", score(100 / 3), score(250 / 3)],
    ]);
    expect(await rowsOf(page, "Average pre- and post-test scores by cohort")).toEqual([
      ["Cohort", "Pre-test", "Post-test"],
      ["No cohort", score(160 / 3), score(280 / 3)],
    ]);
    await page.getByRole("button", { name: "Show as table" }).first().click();
    await page.getByRole("button", { name: "Hide table" }).waitFor();
    await checkPage(page, "course results, learning gain");

    // Item analysis of the post-test: four attempts, then the first three only.
    const analysisOf = (quizId: string, firstOnly: boolean) =>
      page.evaluate(
        async ([id, first]) =>
          (await (await fetch(`/api/v1/quizzes/${id}/item-analysis?firstOnly=${first}`)).json())
            .data,
        [quizId, String(firstOnly)] as const,
      );
    const expectItems = async (quizId: string, firstOnly: boolean) => {
      const analysis = await analysisOf(quizId, firstOnly);
      expect(await figure(page, "Attempts")).toBe(String(analysis.attempts));
      expect(await figure(page, "Mean score")).toBe(score(analysis.scoreDistribution.mean));
      expect(await figure(page, "Median score")).toBe(score(analysis.scoreDistribution.median));
      expect(await figure(page, "Pass rate")).toBe(score(analysis.scoreDistribution.passRate));
      expect((await rowsOf(page, "Questions")).slice(1)).toEqual(
        analysis.items.map(
          (item: {
            position: number;
            text: string;
            responses: number;
            difficulty: number | null;
            discrimination: number | null;
            pointBiserial: number | null;
          }) => [
            `Q${item.position}. ${item.text}`,
            "True or false",
            String(item.responses),
            ratio(item.difficulty),
            ratio(item.discrimination),
            ratio(item.pointBiserial),
          ],
        ),
      );
      return analysis;
    };
    await page.getByRole("table", { name: "Questions" }).waitFor();
    const every = await expectItems(post.id, false);
    expect(every.attempts).toBe(4);
    expect(every.scoreDistribution.mean).toBe(85);
    await page.getByRole("img", { name: /^Attempts by score\. 0–10: 0;/ }).waitFor();
    await page.getByText(/^Difficulty: the share of a question's points/).waitFor();
    await page.getByText(/^Discrimination: how much better the top 27 %/).waitFor();
    await checkPage(page, "course results, item analysis");

    const toggled = await afterResponse(page, `/api/v1/quizzes/${post.id}/item-analysis`, () =>
      page.getByRole("switch", { name: "First attempts only" }).click(),
    );
    expect(new URL(toggled.url()).searchParams.get("firstOnly")).toBe("true");
    expect(await page.getByRole("switch", { name: "First attempts only" }).isChecked()).toBe(true);
    await page
      .locator("dt", { hasText: /^Attempts$/ })
      .locator("xpath=following-sibling::dd[1]", {
        hasText: /^3$/,
      })
      .waitFor();
    const first = await expectItems(post.id, true);
    expect(first.attempts).toBe(3);
    await checkPage(page, "course results, first attempts");

    // The pre-test, still first attempts only (each learner took it once).
    const chosen = await afterResponse(
      page,
      `/api/v1/quizzes/${pre.id}/item-analysis`,
      async () => {
        await page.getByRole("combobox", { name: "Quiz" }).click();
        await page.getByRole("option", { name: "Before" }).click();
      },
    );
    expect(chosen.status()).toBe(200);
    await page
      .locator("dt", { hasText: /^Mean score$/ })
      .locator("xpath=following-sibling::dd[1]", { hasText: /^53.3%$/ })
      .waitFor();
    expect((await expectItems(pre.id, true)).attempts).toBe(3);

    // A quiz nobody took yet.
    await page.getByRole("combobox", { name: "Quiz" }).click();
    await page.getByRole("option", { name: "Unused check" }).click();
    await page.getByRole("heading", { name: "No attempts yet" }).waitFor();
    expect(new URL(page.url()).searchParams.get("quiz")).toBe(unused.id);
  });
});
