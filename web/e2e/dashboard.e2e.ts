import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { addMember } from "../../src/modules/organizations/service.js";
import {
  makeOrganization,
  makeUser,
  PASSWORD,
  publishedCourse,
  signIn,
} from "../../test/factories.js";
import type { Credentials } from "../../test/harness.js";
import { assertHoverContrast, checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * My learning, certificates, ratings and announcements, for one learner seeded through the
 * services and the API: a course in progress, two assigned by an organization (a compliance
 * course overdue, another due later), a completed one with its certificate (which notifies),
 * and an announcement in the course in progress.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;

const courses = {
  progress: "Typography Basics",
  compliance: "Data Protection Essentials",
  dueLater: "Fire Safety Refresher",
  done: "Spreadsheet Modelling",
};
const ids: Record<keyof typeof courses, string> = {
  progress: "",
  compliance: "",
  dueLater: "",
  done: "",
};
let learner: { id: string; email: string; creds: Credentials };
let announcementId = "";
const DAY = 24 * 60 * 60 * 1000;

async function firstLesson(courseId: string): Promise<string> {
  const row = await server.app.system.db
    .selectFrom("lessons as l")
    .innerJoin("modules as m", "m.id", "l.module_id")
    .select("l.id")
    .where("m.course_id", "=", courseId)
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  journey = await openJourney({ timezoneId: "Europe/Berlin" });
  ({ server, page, app } = journey);

  const t = server.app;
  const instructor = await makeUser(t, { firstName: "Rosa", lastName: "Teacher" });
  const instructorCreds = await signIn(t, instructor.email);
  const person = await makeUser(t, { firstName: "Lin", lastName: "Learner" });
  learner = { id: person.id, email: person.email, creds: await signIn(t, person.email) };
  const { org, people } = await makeOrganization(t, { name: "Acme Works" });
  await addMember(t.system, org.id, { userId: person.id, roleKeys: ["learner"] });

  const codes = {
    progress: "TYP-101",
    compliance: "DPR-200",
    dueLater: "FIR-110",
    done: "XLS-300",
  };
  for (const key of Object.keys(courses) as Array<keyof typeof courses>) {
    const course = await publishedCourse(t, {
      code: codes[key],
      title: courses[key],
      instructorId: instructor.id,
    });
    ids[key] = course.id;
  }
  const now = t.clock.now().getTime();
  await enroll(t.system, { userId: person.id, courseId: ids.progress, source: "self" });
  await enroll(t.system, {
    userId: person.id,
    courseId: ids.compliance,
    organizationId: org.id,
    source: "compliance",
    assignedBy: people.admin.user.id,
    dueAt: new Date(now - 3 * DAY),
    isMandatory: true,
    isCompliance: true,
  });
  await enroll(t.system, {
    userId: person.id,
    courseId: ids.dueLater,
    organizationId: org.id,
    source: "manager",
    assignedBy: people.admin.user.id,
    dueAt: new Date(now + 10 * DAY),
  });
  await enroll(t.system, { userId: person.id, courseId: ids.done, source: "self" });

  // The learner opens the first course and finishes the last one (which issues a certificate).
  const started = await t.http.post(
    `/api/v1/lessons/${await firstLesson(ids.progress)}/start`,
    {},
    learner.creds,
  );
  expect(started.status).toBe(200);
  const doneLesson = await firstLesson(ids.done);
  await t.http.post(`/api/v1/lessons/${doneLesson}/start`, {}, learner.creds);
  const completed = await t.http.post(`/api/v1/lessons/${doneLesson}/complete`, {}, learner.creds);
  expect(completed.body.data.courseCompleted).toBe(true);

  const announced = await t.http.post(
    `/api/v1/courses/${ids.progress}/announcements`,
    { title: "Guest lecture on Friday", content: "<p>Bring your <strong>questions</strong>.</p>" },
    instructorCreds,
  );
  expect(announced.status).toBe(201);
  announcementId = announced.body.data.id;
});

afterAll(async () => {
  await journey?.close();
});

/** The h2 headings of the page's main content, in document order. */
function sectionHeadings(): Promise<string[]> {
  return page.locator("main h2").allTextContents();
}

/** Clicks and returns the file the browser downloads. */
async function download(act: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const file = page.waitForEvent("download");
  await act();
  const done = await file;
  const path = await done.path();
  return { name: done.suggestedFilename(), bytes: await readFile(path) };
}

describe("My learning, certificates, ratings and announcements", () => {
  it("shows My learning with assigned and due first, the overdue compliance course on top", async () => {
    await app.open("/");
    await app.expectHeading("Sign in");
    expect((await app.signIn(learner.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    const assigned = page.getByRole("list", { name: "Courses assigned to you or with a due date" });
    await assigned.waitFor();

    const headings = await sectionHeadings();
    const order = [
      "Assigned and due",
      "In progress",
      "Completed",
      "Certificates",
      "Recent notifications",
    ].map((h) => headings.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const cards = assigned.getByRole("listitem");
    expect(await cards.count()).toBe(2);
    // textContent: badges are upper-cased by CSS only.
    const first = (await cards.nth(0).textContent()) ?? "";
    expect(first).toContain(courses.compliance);
    expect(first).toContain("Overdue");
    expect(first).toContain("Compliance");
    expect(first).toContain("Mandatory");
    expect(first).toMatch(/was due 3 days ago/);
    const second = (await cards.nth(1).textContent()) ?? "";
    expect(second).toContain(courses.dueLater);
    expect(second).toMatch(/Due in 10 days/);

    const inProgress = page.getByRole("list", { name: "Your courses in progress" });
    expect(await inProgress.getByRole("listitem").count()).toBe(1);
    const progress = await inProgress.innerText();
    expect(progress).toContain(courses.progress);
    expect(progress).toMatch(/Last activity/);
    await inProgress
      .getByRole("link", { name: new RegExp(`^Continue.*${courses.progress}`) })
      .waitFor();

    const completed = page.getByRole("list", { name: "Completed courses" });
    await completed.getByRole("link", { name: courses.done, exact: true }).waitFor();
    await completed
      .getByRole("link", { name: new RegExp(`^View certificate.*${courses.done}`) })
      .waitFor();

    const notes = page.getByRole("list", { name: "Your latest notifications" });
    const note = notes.getByRole("link", { name: `Your certificate for ${courses.done}` });
    expect(await note.getAttribute("href")).toMatch(/^\/certificates\/[0-9a-f-]{36}$/);
    await checkPage(page, "my learning");
  });

  it("lists the certificates and opens one: a real PDF, LinkedIn with the verification URL", async () => {
    const entry = page.getByRole("navigation").getByRole("link", { name: "Certificates" });
    await entry.click();
    await app.expectHeading("Certificates");
    // The entry is now the current page's, and still under the pointer: its hover colours
    // must keep AA contrast too (checkPage judges the page with the pointer moved away).
    expect(await entry.getAttribute("aria-current")).toBe("page");
    await assertHoverContrast(page, entry, "the active navigation entry");
    await page.mouse.move(0, 0);
    const list = page.getByRole("list", { name: "Your certificates" });
    await list.getByText(courses.done).waitFor();
    expect(await list.getByRole("listitem").count()).toBe(1);
    await list.getByText("Valid", { exact: true }).waitFor();
    await checkPage(page, "certificates");

    const mine = await server.app.http.get("/api/v1/certificates/mine", learner.creds);
    const certificate = mine.body.data[0];
    await list.getByRole("link", { name: courses.done }).click();
    await app.expectHeading(`Certificate: ${courses.done}`);
    expect(app.path()).toBe(`/certificates/${certificate.id}`);
    await page.getByText(certificate.number).first().waitFor();

    const pdf = await download(() => page.getByRole("button", { name: "Download PDF" }).click());
    expect(pdf.name).toBe(`${certificate.number}.pdf`);
    expect(pdf.bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");

    const linkedIn = page.getByRole("link", { name: "Add to LinkedIn profile" });
    const add = new URL((await linkedIn.getAttribute("href")) ?? "");
    expect(add.origin).toBe("https://www.linkedin.com");
    expect(add.searchParams.get("certUrl")).toBe(certificate.verificationUrl);
    expect(add.searchParams.get("certId")).toBe(certificate.number);
    expect(add.searchParams.get("name")).toBe(courses.done);
    expect(await page.getByLabel("Verification link").inputValue()).toBe(
      certificate.verificationUrl,
    );
    await checkPage(page, "certificate");

    await page.getByRole("link", { name: "Open the public verification page" }).click();
    await app.expectHeading("Certificate verification");
    await page.getByText("This certificate is genuine and valid.").waitFor();
  });

  it("downloads the transcript as a CSV file of every course", async () => {
    await app.open("/certificates");
    await app.expectHeading("Certificates");
    const csv = await download(() =>
      page.getByRole("button", { name: "Download transcript (CSV)" }).click(),
    );
    expect(csv.name).toBe("transcript.csv");
    const text = csv.bytes.toString("utf8");
    expect(text.split("\n")[0]).toContain("course_code");
    for (const title of Object.values(courses)) expect(text).toContain(title);
  });

  it("rates the completed course 4 stars with a review, stored and shown in the reviews", async () => {
    await app.open(`/courses/${ids.done}`);
    await app.expectHeading(courses.done);
    await page.getByRole("heading", { name: "Your rating" }).waitFor();
    // Keyboard: focus the fourth star and choose it with the space bar.
    await page.getByRole("radio", { name: "4 stars" }).focus();
    await page.keyboard.press("Space");
    await page.getByLabel("Review title (optional)").fill("Clear and practical");
    await page.getByLabel("Your review (optional)").fill("The pivot table lesson was the best.");
    const answer = await afterResponse(page, `/api/v1/courses/${ids.done}/ratings/mine`, () =>
      page.getByRole("button", { name: "Save rating" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByText("Your rating is saved.").waitFor();

    const stored = await server.app.http.get(
      `/api/v1/courses/${ids.done}/ratings/mine`,
      learner.creds,
    );
    expect(stored.body.data).toMatchObject({
      rating: 4,
      title: "Clear and practical",
      content: "The pivot table lesson was the best.",
    });
    const reviews = page.getByRole("list", { name: "Reviews" });
    await reviews.getByText("The pivot table lesson was the best.").waitFor();
    await reviews.getByText("Lin L.", { exact: false }).waitFor();
    await page
      .getByRole("region", { name: "Ratings and reviews" })
      .getByText("4 out of 5 (1 rating)", { exact: true })
      .waitFor();
    await page.getByRole("button", { name: "Update rating" }).waitFor();
    await checkPage(page, "course page with ratings");
  });

  it("lists the course's announcement, marks it new and sends its read receipt", async () => {
    await app.open(`/courses/${ids.progress}`);
    await app.expectHeading(courses.progress);
    const receipt = await afterResponse(page, `/api/v1/announcements/${announcementId}/read`, () =>
      page.getByRole("link", { name: "Course announcements" }).click(),
    );
    expect(receipt.status()).toBe(200);
    await app.expectHeading("Announcements");
    const list = page.getByRole("list", { name: "Announcements, newest first" });
    const item = list.getByRole("listitem").first();
    await item.getByRole("heading", { name: "Guest lecture on Friday" }).waitFor();
    await item.getByText("New", { exact: true }).waitFor();
    await item.getByText("questions").waitFor();
    const reads = await server.app.system.db
      .selectFrom("announcement_reads")
      .select(["user_id"])
      .where("announcement_id", "=", announcementId)
      .execute();
    expect(reads).toEqual([{ user_id: learner.id }]);
    await checkPage(page, "announcements");
  });

  it("met no Content-Security-Policy refusal and no uncaught error", () => {
    expect(journey.problems).toEqual([]);
  });
});
