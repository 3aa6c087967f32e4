import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "../../src/modules/certificates/certificates.js";
import { createCohort, transitionCohort } from "../../src/modules/cohorts/cohorts.js";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { requestSync, runSync } from "../../src/modules/integrations/sync/engine.js";
import { loadSyncTarget } from "../../src/modules/integrations/sync/target.js";
import { createInvite } from "../../src/modules/organizations/invites.js";
import { processNextReportJob } from "../../src/modules/reports/runner.js";
import { DISABLE_AFTER_FAILURES } from "../../src/modules/webhooks/delivery.js";
import { quizCourse } from "../../test/assessments.js";
import { makeOrganization, makeUser, PASSWORD, publishedCourse } from "../../test/factories.js";
import { multipart } from "../../test/multipart.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { collectMailedTemplates } from "./mailed-links.js";
import { afterResponse, Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The links the server mails and notifies open real pages (issue "Web app part 1", §2), and
 * the pages behind the report and enrollment-request links work: a report followed to its
 * file, a schedule paused and resumed, requests approved and declined.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let journey: Journey;
let server: E2eServer;

type Org = Awaited<ReturnType<typeof makeOrganization>>;
let world: Org;
/** People by key; each signs in in a browser context of their own. */
const emails: Record<string, string> = {};
/** What the seeding made, for the tests to find. */
const seed = {
  approvalCourseId: "",
  openCourseId: "",
  finishedJobId: "",
  runningJobId: "",
  scheduleId: "",
  templateId: "",
  certificateId: "",
  waitlistEntryId: "",
  attemptId: "",
  inviteUrl: "",
  requestIds: {} as Record<string, string>,
};

const definition = {
  dimensions: [{ entity: "course", fields: ["title"] }],
  measures: [{ id: "enrollments", type: "count" }],
};

beforeAll(async () => {
  journey = await openJourney();
  server = journey.server;
  const t = server.app;
  world = await makeOrganization(t, {
    name: "Mailed Links Ltd",
    people: [
      { key: "Ines", roles: ["learner", "instructor"] },
      { key: "Ana", roles: ["learner"] },
      { key: "Ben", roles: ["learner"] },
      { key: "Mia", roles: ["learner"] },
    ],
  });
  for (const [key, person] of Object.entries(world.people)) emails[key] = person.user.email;
  const person = (key: string) => world.people[key] as Org["people"]["admin"];

  // An approval course taught by Ines, which Ana and Ben ask to join.
  const approval = await publishedCourse(t, {
    code: "APR-100",
    title: "Bookbinding by Approval",
    instructorId: person("Ines").user.id,
    organizationId: world.org.id,
    enrollmentType: "approval",
  });
  seed.approvalCourseId = approval.id;
  for (const [key, reason] of [
    ["Ana", "I restore old atlases at the library."],
    ["Ben", "Curious about it."],
  ] as const) {
    const res = await t.http.post(
      "/api/v1/enrollment-requests",
      { courseId: approval.id, reason },
      person(key),
    );
    if (res.status !== 201) throw new Error(`request: ${res.status} ${JSON.stringify(res.body)}`);
    seed.requestIds[key] = res.body.data.id;
  }

  // Mia: a completed course with a certificate, a place on a full cohort's waitlist, a quiz
  // attempt; and an invitation mailed to someone new.
  const mia = person("Mia");
  const open = await publishedCourse(t, {
    code: "OPN-200",
    title: "Paper Marbling",
    instructorId: person("Ines").user.id,
    organizationId: world.org.id,
  });
  seed.openCourseId = open.id;
  const enrolled = await enroll(t.system, {
    userId: mia.user.id,
    courseId: open.id,
    source: "self",
  });
  if (enrolled.kind !== "enrolled") throw new Error("Mia was not enrolled");
  await t.system.db
    .updateTable("enrollments")
    .set({ status: "completed", completed_at: new Date(), progress_percent: 100 })
    .where("id", "=", enrolled.enrollment.id)
    .execute();
  const certificate = await issueCertificate(t.system, enrolled.enrollment.id, {
    automatic: false,
  });
  if (!certificate) throw new Error("no certificate");
  seed.certificateId = certificate.id;

  const cohortCourse = await publishedCourse(t, {
    code: "COH-300",
    title: "Letterpress Cohort",
    instructorId: person("Ines").user.id,
    delivery: "cohort-based",
  });
  const day = 86_400_000;
  const cohort = await createCohort(t.system, cohortCourse.id, {
    name: "Autumn",
    startsAt: new Date(Date.now() + 20 * day).toISOString(),
    endsAt: new Date(Date.now() + 50 * day).toISOString(),
    capacity: 1,
  });
  await transitionCohort(t.system, cohort.id, "open");
  const first = await makeUser(t, { firstName: "Otto" });
  await enroll(t.system, {
    userId: first.id,
    courseId: cohortCourse.id,
    cohortId: cohort.id,
    source: "self",
  });
  const waiting = await enroll(t.system, {
    userId: mia.user.id,
    courseId: cohortCourse.id,
    cohortId: cohort.id,
    source: "self",
    waitlist: true,
  });
  if (waiting.kind !== "waitlisted") throw new Error("Mia was not waitlisted");
  seed.waitlistEntryId = waiting.entry.id;

  const quiz = await quizCourse(t, { instructorId: person("Ines").user.id });
  await enroll(t.system, { userId: mia.user.id, courseId: quiz.course.id, source: "self" });
  let res = await t.http.post(`/api/v1/quizzes/${quiz.quiz.id}/start`, {}, mia);
  if (res.status !== 201) throw new Error(`attempt: ${res.status} ${JSON.stringify(res.body)}`);
  seed.attemptId = res.body.data.id;

  const invited = await createInvite(t.system, world.org.id, {
    email: `newcomer-${Date.now()}@example.org`,
  });
  seed.inviteUrl = invited.url ?? "";

  // Reports of the organization (Mia's enrollment is its one row): a finished report (its
  // "ready" notice links to its page), then one left waiting; a weekly schedule.
  const queue = async (name: string) => {
    const res = await t.http.post(
      `/api/v1/organizations/${world.org.id}/report-jobs`,
      { name, definition, outputFormat: "csv" },
      person("admin"),
    );
    if (res.status !== 201) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data.id as string;
  };
  seed.finishedJobId = await queue("Enrollments last term");
  await processNextReportJob(t.lyceum.services, "e2e-worker");
  seed.runningJobId = await queue("Enrollments by course");

  res = await t.http.post(
    `/api/v1/organizations/${world.org.id}/report-templates`,
    { name: "Course enrollments", definition },
    person("admin"),
  );
  seed.templateId = res.body.data.id;
  res = await t.http.post(
    `/api/v1/organizations/${world.org.id}/report-schedules`,
    {
      name: "Monday enrollments",
      templateId: seed.templateId,
      frequency: "weekly",
      dayOfWeek: 1,
      time: "08:00",
      timezone: "Europe/Berlin",
      outputFormat: "csv",
      notifyOnFailure: true,
    },
    person("admin"),
  );
  if (res.status !== 201) throw new Error(`schedule: ${res.status} ${JSON.stringify(res.body)}`);
  seed.scheduleId = res.body.data.id;
}, 240_000);

afterAll(async () => {
  await journey?.close();
});

/** One browser context per person, signed in through the API (cookie session). */
const sessions = new Map<string, { context: BrowserContext; page: Page; app: Lyceum }>();
async function as(key: string | null) {
  const name = key ?? "(signed out)";
  const known = sessions.get(name);
  if (known) return known;
  const context = await journey.newContext();
  if (key) {
    const res = await context.request.post(`${server.url}/api/v1/auth/login`, {
      data: { email: emails[key], password: PASSWORD, mode: "cookie" },
    });
    if (!res.ok()) throw new Error(`sign-in of ${key}: ${res.status()}`);
  }
  const page = journey.watch(await context.newPage(), `${name}: `);
  const session = { context, page, app: new Lyceum(page, server.url) };
  sessions.set(name, session);
  return session;
}

/** A link as the server wrote it (its public URL), as a path on the test server. */
const pathOf = (url: string) => {
  const u = new URL(url, "http://lyceum.test");
  return u.pathname + u.search;
};

/** The link of the newest notification of a type to a person, as the server stored it. */
async function notifiedLink(key: string, type: string): Promise<string> {
  const row = await server.app.system.db
    .selectFrom("notifications")
    .select("action_url")
    .where("user_id", "=", (world.people[key] as Org["people"]["admin"]).user.id)
    .where("type", "=", type)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (!row?.action_url) throw new Error(`no ${type} notification with a link to ${key}`);
  return row.action_url;
}

describe("the report job page", () => {
  it("follows a waiting report to done and downloads its file", async () => {
    const { page, app } = await as("admin");
    await app.open(`/reports/jobs/${seed.runningJobId}`);
    await app.expectHeading("Enrollments by course");
    const progress = page.getByRole("progressbar", { name: "Progress of the report" });
    // At 0% the bar's filled part has no width: it is there, not visible.
    await progress.waitFor({ state: "attached" });
    expect(await progress.getAttribute("aria-valuenow")).toBe("0");
    await page.getByText("Queued", { exact: true }).waitFor();
    await checkPage(page, "report job, queued");

    // The runner takes it; the page's status poll sees it finish.
    const ready = page.waitForResponse(
      async (r) =>
        new URL(r.url()).pathname === `/api/v1/report-jobs/${seed.runningJobId}/status` &&
        (await r.json()).data.status === "ready",
    );
    const done = await processNextReportJob(server.app.lyceum.services, "e2e-worker");
    expect(done).toMatchObject({ id: seed.runningJobId, status: "ready" });
    await ready;
    const download = page.getByRole("button", { name: "Download" });
    await download.waitFor();
    await page.getByText("Ready", { exact: true }).waitFor();
    expect(await progress.count()).toBe(0);
    await page
      .getByRole("cell", { name: String(done?.row_count) })
      .first()
      .waitFor();
    await checkPage(page, "report job, ready");

    const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
    const bytes = readFileSync((await file.path()) as string, "utf8");
    expect(file.suggestedFilename()).toBe("Enrollments-by-course.csv");
    expect(bytes.split("\r\n")[0]).toBe(",Title,Count");
    expect(bytes.split("\r\n")[1]).toBe(",Paper Marbling,1");
    const stored = await server.app.system.db
      .selectFrom("report_jobs")
      .select(["download_count", "file_size"])
      .where("id", "=", seed.runningJobId)
      .executeTakeFirstOrThrow();
    expect(stored.download_count).toBe(1);
    expect(Number(stored.file_size)).toBe(Buffer.byteLength(bytes));
  });

  it("duplicates a report, cancels the copy and queues it again", async () => {
    const { page, app } = await as("admin");
    await app.open(`/reports/jobs/${seed.runningJobId}`);
    await app.expectHeading("Enrollments by course");
    const copied = await afterResponse(
      page,
      `/api/v1/report-jobs/${seed.runningJobId}/duplicate`,
      () => page.getByRole("button", { name: "Run again as a copy" }).click(),
    );
    expect(copied.status()).toBe(201);
    const copyId = (await copied.json()).data.id as string;
    await app.expectHeading("Enrollments by course (copy)");
    expect(app.path()).toBe(`/reports/jobs/${copyId}`);
    await page.getByRole("link", { name: "Copy of an earlier report" }).waitFor();
    await checkPage(page, "report job, a queued copy");
    const stored = async () =>
      (
        await server.app.system.db
          .selectFrom("report_jobs")
          .select(["status", "duplicated_from"])
          .where("id", "=", copyId)
          .executeTakeFirstOrThrow()
      ).status;

    let answer = await afterResponse(page, `/api/v1/report-jobs/${copyId}/cancel`, () =>
      page.getByRole("button", { name: "Cancel the report" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByText("The report was cancelled.").waitFor();
    await page.getByText("Cancelled", { exact: true }).waitFor();
    expect(await stored()).toBe("cancelled");
    expect(await page.getByRole("button", { name: "Cancel the report" }).count()).toBe(0);

    answer = await afterResponse(page, `/api/v1/report-jobs/${copyId}/retry`, () =>
      page.getByRole("button", { name: "Try again" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByText("The report is queued again.").waitFor();
    await page
      .getByRole("progressbar", { name: "Progress of the report" })
      .waitFor({ state: "attached" });
    expect(await stored()).toBe("queued");
    await checkPage(page, "report job, queued again");
  });

  it("lists the organization's reports under Reports in the navigation, past the templates", async () => {
    const { page, app } = await as("admin");
    await page.setViewportSize({ width: 1440, height: 800 });
    await app.open("/");
    await page.getByRole("navigation").getByRole("link", { name: "Reports" }).click();
    await app.expectHeading("Report templates");
    await page
      .getByRole("navigation", { name: "Report pages" })
      .getByRole("link", { name: "Jobs" })
      .click();
    await app.expectHeading("Reports");
    // The pointer leaves the navigation (its hover colour is no part of this page's check).
    await page.mouse.move(900, 700);
    await page.getByRole("link", { name: "Enrollments last term" }).waitFor();
    await checkPage(page, "report jobs");
    await page.getByRole("link", { name: "Enrollments last term" }).click();
    await app.expectHeading("Enrollments last term");
  });

  it("refuses an unknown report and one of another person", async () => {
    const { page, app } = await as("Ana");
    await app.open(`/reports/jobs/${seed.finishedJobId}`);
    await app.expectHeading("Report not available");
    await checkPage(page, "report job, refused");
    await app.open("/reports/jobs/not-a-job");
    await app.expectHeading("Report not available");
  });
});

describe("the report schedule page", () => {
  it("shows the calendar in words, pauses, resumes and runs now", async () => {
    const { page, app } = await as("admin");
    const url = `/reports/schedules/${seed.scheduleId}`;
    const api = `/api/v1/report-schedules/${seed.scheduleId}`;
    await app.open(url);
    await app.expectHeading("Monday enrollments");
    await page.getByText("Template: Course enrollments").waitFor();
    await page.getByRole("cell", { name: "Every Monday at 08:00" }).waitFor();
    await page.getByRole("cell", { name: "Europe/Berlin" }).waitFor();
    await page.getByText("This schedule has not run yet.").waitFor();
    await checkPage(page, "report schedule");
    const stored = () =>
      server.app.system.db
        .selectFrom("report_schedules")
        .select(["is_active", "next_run_at", "run_count"])
        .where("id", "=", seed.scheduleId)
        .executeTakeFirstOrThrow();

    let answer = await afterResponse(page, `${api}/pause`, () =>
      page.getByRole("button", { name: "Pause" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByText("The schedule is paused.").waitFor();
    expect(await stored()).toMatchObject({ is_active: false, next_run_at: null });
    await page.getByRole("cell", { name: "No run planned" }).waitFor();

    answer = await afterResponse(page, `${api}/resume`, () =>
      page.getByRole("button", { name: "Resume" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByText("The schedule runs again.").waitFor();
    const resumed = await stored();
    expect(resumed.is_active).toBe(true);
    expect(resumed.next_run_at?.getUTCDay()).toBe(1);

    answer = await afterResponse(page, `${api}/run-now`, () =>
      page.getByRole("button", { name: "Run now" }).click(),
    );
    expect(answer.status()).toBe(201);
    const run = (await answer.json()).data.id as string;
    expect((await stored()).run_count).toBe(1);
    const runs = page.getByRole("list", { name: "Last runs" });
    await runs.getByRole("link").first().waitFor();
    await checkPage(page, "report schedule, after a run");
    await runs.getByRole("link").first().click();
    // The job carries the schedule's name: wait for the address, not only the heading.
    await page.waitForURL(`${server.url}/reports/jobs/${run}`);
    await app.expectHeading("Monday enrollments");
    expect(app.path()).toBe(`/reports/jobs/${run}`);
  });
});

describe("a course's enrollment requests", () => {
  it("lets the instructor approve one and decline another, with a reason", async () => {
    const { page, app } = await as("Ines");
    // The link the instructor was notified (and mailed) with.
    const link = await notifiedLink("Ines", "enrollment-requested");
    expect(link).toBe(`/courses/${seed.approvalCourseId}/requests`);
    await app.open(link);
    await app.expectHeading("Enrollment requests");
    await page.getByRole("link", { name: "For Bookbinding by Approval" }).waitFor();
    await page.getByText("I restore old atlases at the library.").waitFor();
    await page.getByText("Curious about it.").waitFor();
    await checkPage(page, "enrollment requests");

    const ana = page.getByRole("group", { name: "Decide the request of Ana Person" });
    let answer = await afterResponse(
      page,
      `/api/v1/enrollment-requests/${seed.requestIds.Ana}/approve`,
      () => ana.getByRole("button", { name: "Approve" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByText("Ana Person was approved.").waitFor();

    const ben = page.getByRole("group", { name: "Decide the request of Ben Person" });
    await ben.getByRole("button", { name: "Decline" }).click();
    const dialog = page.getByRole("dialog", { name: "Decline the request of Ben Person" });
    await dialog
      .getByLabel("Reason (sent to the learner)")
      .fill("The spring course suits you better.");
    await checkPage(page, "enrollment requests, decline dialog");
    answer = await afterResponse(
      page,
      `/api/v1/enrollment-requests/${seed.requestIds.Ben}/reject`,
      () => dialog.getByRole("button", { name: "Decline the request" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByText("The request of Ben Person was declined.").waitFor();
    await page.getByText("No requests are waiting").waitFor();
    await page.getByText("Note to the learner: The spring course suits you better.").waitFor();
    await checkPage(page, "enrollment requests, decided");

    const rows = await server.app.system.db
      .selectFrom("enrollment_requests")
      .select(["id", "status", "review_notes", "enrollment_id", "reviewed_by"])
      .where("course_id", "=", seed.approvalCourseId)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(seed.requestIds.Ana as string)).toMatchObject({
      status: "approved",
      reviewed_by: world.people.Ines?.user.id,
    });
    expect(byId.get(seed.requestIds.Ana as string)?.enrollment_id).toBeTruthy();
    expect(byId.get(seed.requestIds.Ben as string)).toMatchObject({
      status: "rejected",
      review_notes: "The spring course suits you better.",
      enrollment_id: null,
    });
  });

  it("refuses a learner", async () => {
    const { page, app } = await as("Ana");
    await app.open(`/courses/${seed.approvalCourseId}/requests`);
    await app.expectHeading("You cannot review these requests");
    await checkPage(page, "enrollment requests, refused");
  });
});

/**
 * How to get a real URL of each template the server mails or notifies, and who opens it.
 * `page` links open in the browser and must show a page (not the 404 page) with its h1;
 * `api` links are fetched and checked. A template the sources produce that is missing here
 * (or one here the sources no longer produce) fails the first test below.
 */
type Opener = string | null;
type LinkCheck =
  | { kind: "page"; as: Opener; url: () => Promise<string> }
  | {
      kind: "api";
      /** Whose session fetches it (none: without one). */
      as?: string;
      url: () => Promise<string>;
      check: (r: ApiAnswer) => void | Promise<void>;
    }
  | { kind: "covered"; why: string };
interface ApiAnswer {
  status: number;
  type: string;
  body: Buffer;
}

/** The certificate as the API presents it to its holder (its links included). */
const certificateLinks = async () => {
  const res = await server.app.http.get(
    `/api/v1/certificates/${seed.certificateId}`,
    world.people.Mia as Org["people"]["admin"],
  );
  return res.body.data as { verificationUrl: string; assertionUrl: string; pdfUrl: string };
};
/** The badge the certificate's Open Badges assertion embeds (its links included). */
const assertionBadge = async () => {
  const res = await fetch(server.url + pathOf((await certificateLinks()).assertionUrl));
  const assertion = (await res.json()) as {
    badge: { id: string; image: string; issuer: { id: string } };
  };
  return assertion.badge;
};
const ok = (type: RegExp) => (r: ApiAnswer) => {
  expect(r.status).toBe(200);
  expect(r.type).toMatch(type);
};

const LINKS: Record<string, LinkCheck> = {
  // Printed by `lyceum serve` when it starts: the app, the API documentation, the OpenAPI file.
  "/": { kind: "api", url: async () => "/", check: ok(/text\/html/) },
  "/api/docs": { kind: "api", url: async () => "/api/docs", check: ok(/text\/html/) },
  "/api/v1/openapi.json": {
    kind: "api",
    url: async () => "/api/v1/openapi.json",
    check: ok(/json/),
  },
  // notify(): publicUrl + the notice's actionPath; every actionPath is a template below.
  ":param": { kind: "covered", why: "the actionPath values" },
  // A tracked link of a mail leads to publicUrl + the path the link named: one of the
  // actionPath values, each a template here.
  ":param:param:param": { kind: "covered", why: "the actionPath values behind tracked links" },
  // The daily or weekly digest mail links to the person's notifications.
  "/notifications": { kind: "page", as: "Mia", url: async () => "/notifications" },

  // Identity: the mailed confirmation and reset links (public pages).
  "/verify-email?token=:param": {
    kind: "page",
    as: null,
    url: async () => {
      const email = `joiner-${Date.now()}@example.org`;
      await server.app.http.post("/api/v1/auth/register", {
        email,
        password: PASSWORD,
        firstName: "Jo",
        lastName: "Iner",
      });
      return server.mailedLink(email, "/verify-email");
    },
  },
  "/reset-password?token=:param": {
    kind: "page",
    as: null,
    url: async () => {
      await server.app.http.post("/api/v1/auth/forgot-password", { email: emails.Ben });
      return server.mailedLink(emails.Ben as string, "/reset-password");
    },
  },
  // The welcome notice's "find your first course": the catalog.
  "/courses": { kind: "page", as: "Mia", url: async () => "/courses" },

  // Courses: the course page (enrollment notices), its requests, and a checkout's way back.
  "/courses/:param": {
    kind: "page",
    as: "Ana",
    url: () => notifiedLink("Ana", "enrollment-accepted"),
  },
  // Compliance escalations tell a manager or the compliance officer who is overdue: that
  // person's page (src/modules/compliance/reminders.ts; the escalation itself is tested there).
  "/people/:param": {
    kind: "page",
    as: "admin",
    url: async () => `/people/${(world.people.Ana as Org["people"]["admin"]).user.id}`,
  },
  "/courses/:param/requests": {
    kind: "page",
    as: "Ines",
    url: () => notifiedLink("Ines", "enrollment-requested"),
  },
  "/courses/:param?payment=success": {
    kind: "page",
    as: "Mia",
    url: async () => `/courses/${seed.openCourseId}?payment=success`,
  },
  "/courses/:param?payment=cancelled": {
    kind: "page",
    as: "Mia",
    url: async () => `/courses/${seed.openCourseId}?payment=cancelled`,
  },
  "/courses/:param/announcements": {
    kind: "page",
    as: "Mia",
    url: async () => `/courses/${seed.openCourseId}/announcements`,
  },
  "/waitlist/:param": {
    kind: "page",
    as: "Mia",
    url: async () => `/waitlist/${seed.waitlistEntryId}`,
  },
  "/attempts/:param": {
    kind: "page",
    as: "Mia",
    url: async () => `/attempts/${seed.attemptId}`,
  },
  "/certificates/:param": {
    kind: "page",
    as: "Mia",
    url: () => notifiedLink("Mia", "certificate-issued"),
  },
  "/invites/accept?token=:param": {
    kind: "page",
    as: null,
    url: async () => seed.inviteUrl,
  },

  // Certificates: the public verification page and the Open Badges documents.
  "/verify/:param": {
    kind: "page",
    as: null,
    url: async () => (await certificateLinks()).verificationUrl,
  },
  "/api/v1/certificates/:param/pdf": {
    kind: "api",
    as: "Mia",
    url: async () => (await certificateLinks()).pdfUrl,
    check: (r) => {
      ok(/application\/pdf/)(r);
      expect(r.body.subarray(0, 5).toString()).toBe("%PDF-");
    },
  },
  "/api/v1/certificates/:param/assertion": {
    kind: "api",
    url: async () => (await certificateLinks()).assertionUrl,
    check: ok(/json/),
  },
  "/api/v1/badges/courses/:param": {
    kind: "api",
    url: async () => (await assertionBadge()).id,
    check: ok(/json/),
  },
  "/api/v1/badges/courses/:param/image.png": {
    kind: "api",
    url: async () => (await assertionBadge()).image,
    check: ok(/image\/png/),
  },
  "/api/v1/badges/issuers/:param": {
    kind: "api",
    url: async () => (await assertionBadge()).issuer.id,
    check: ok(/json/),
  },

  // Reports: a job's page ("your report is ready"), a schedule's page (a failed run), the file.
  "/reports/jobs/:param": {
    kind: "page",
    as: "admin",
    url: () => notifiedLink("admin", "report-ready"),
  },
  // Not mailed: the SCIM base URL an organization's HR system is given with its token.
  "/scim/v2": {
    kind: "covered",
    why: "the SCIM service's base URL for an HR system, not a page; its endpoints are tested in src/modules/scim/scim.test.ts",
  },
  // An integration's owners are told when its syncs keep failing: its page.
  "/integrations/:param": {
    kind: "page",
    as: "admin",
    url: async () => {
      const ctx = server.app.system;
      const created = await server.app.http.post(
        `/api/v1/organizations/${world.org.id}/lms-integrations`,
        {
          name: "Mailed Moodle",
          code: "mailed-moodle",
          lmsType: "moodle",
          method: "api",
          authType: "api-token",
          credentials: { token: "mailed-token" },
          // Nothing listens there: every sync fails as unreachable.
          baseUrl: "http://127.0.0.1:9",
        },
        world.people.admin,
      );
      const integration = created.body.data as { id: string };
      await ctx.db
        .updateTable("lms_integrations")
        .set({ incident_after_failures: 1, max_retries: 0 })
        .where("id", "=", integration.id)
        .execute();
      const run = await requestSync(ctx, { id: integration.id, organizationId: world.org.id });
      await runSync(ctx, run.id, loadSyncTarget);
      return notifiedLink("admin", "integration-incident");
    },
  },
  "/integrations/file-imports/:param": {
    // Mailed when a file found on an SFTP server waits for its columns to be mapped: the
    // import's page, here of a file uploaded to a file integration.
    kind: "page",
    as: "admin",
    url: async () => {
      const t = server.app;
      const created = await t.http.post(
        `/api/v1/organizations/${world.org.id}/lms-integrations`,
        {
          name: "Mailed HR files",
          code: "mailed-hr-files",
          lmsType: "file",
          method: "file-upload",
          authType: "none",
          dataFormat: "csv",
        },
        world.people.admin,
      );
      if (created.status !== 201) throw new Error(`integration: ${created.status}`);
      const res = await t.http.request(
        "POST",
        `/api/v1/lms-integrations/${created.body.data.id}/file-imports`,
        {
          ...multipart(
            "completions.csv",
            "text/csv",
            Buffer.from("email,course_id,course_title\nann@example.org,SAFE-1,Safety\n"),
          ),
          as: world.people.admin,
        },
      );
      if (res.status !== 201)
        throw new Error(`file import: ${res.status} ${JSON.stringify(res.body)}`);
      return `/integrations/file-imports/${res.body.data.id}`;
    },
  },
  "/reports/schedules/:param": {
    kind: "page",
    as: "admin",
    url: async () => `/reports/schedules/${seed.scheduleId}`,
  },
  "/api/v1/report-files/:param": {
    kind: "api",
    url: async () => {
      const res = await server.app.http.post(
        `/api/v1/report-jobs/${seed.finishedJobId}/download-url`,
        {},
        world.people.admin,
      );
      return res.body.data.url as string;
    },
    check: (r) => {
      ok(/text\/csv/)(r);
      expect(r.body.toString("utf8").split("\r\n")[0]).toBe(",Title,Count");
    },
  },
  // A course file's address, as an upload answers it for a lesson's content: its author opens it.
  "/api/v1/course-files/:param": {
    kind: "api",
    as: "Ines",
    url: async () => {
      const res = await server.app.http.request(
        "POST",
        `/api/v1/courses/${seed.approvalCourseId}/files`,
        {
          ...multipart("binding.pdf", "application/pdf", Buffer.from("%PDF-1.4\n%%EOF\n")),
          as: world.people.Ines as Org["people"]["admin"],
        },
      );
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.url as string;
    },
    check: (r) => {
      ok(/application\/pdf/)(r);
      expect(r.body.subarray(0, 5).toString()).toBe("%PDF-");
    },
  },
  // The local card processor's checkout URL: the app's test payment page (a provider's
  // hosted page stands in its place with Stripe).
  "/payments/:param/checkout": {
    kind: "page",
    as: "Mia",
    url: async () => {
      const paid = await publishedCourse(server.app, {
        code: `PAY-${Date.now()}`,
        title: "Gilding for Bookbinders",
        instructorId: (world.people.Ines as Org["people"]["admin"]).user.id,
        enrollmentType: "paid",
        priceAmount: 2_500,
      });
      const res = await server.app.http.post(
        "/api/v1/enrollments/checkout",
        { courseId: paid.id },
        world.people.Mia as Org["people"]["admin"],
      );
      if (res.status !== 201)
        throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.payment.checkoutUrl as string;
    },
  },
  "/organization/webhooks/:param": {
    // Notified to the organization's administrators when a webhook is disabled after
    // repeated failures: the webhook's page. Nothing listens at its address.
    kind: "page",
    as: "admin",
    url: async () => {
      const t = server.app;
      const created = await t.http.post(
        `/api/v1/organizations/${world.org.id}/webhooks`,
        { url: "http://127.0.0.1:9/hooks", eventTypes: ["integration.sync-failed"] },
        world.people.admin,
      );
      const id = created.body.data.webhook.id as string;
      await t.system.db
        .updateTable("webhook_endpoints")
        .set({ consecutive_failures: DISABLE_AFTER_FAILURES - 1 })
        .where("id", "=", id)
        .execute();
      await t.http.post(`/api/v1/webhooks/${id}/test`, {}, world.people.admin);
      return notifiedLink("admin", "webhook-disabled");
    },
  },
  // Workflows: an approval request links to the approver's inbox.
  "/approvals": { kind: "page", as: "admin", url: async () => "/approvals" },
  // A decision notice and a notification step link to the execution's page.
  "/workflows/executions/:param": {
    kind: "page",
    as: "admin",
    url: async () => {
      const t = server.app;
      const admin = world.people.admin;
      const created = await t.http.post(
        `/api/v1/organizations/${world.org.id}/workflows`,
        {
          name: "Mailed link check",
          trigger: { type: "manual" },
          steps: [
            {
              type: "notification",
              recipient: { kind: "user", userId: admin.user.id },
              message: "Hello",
            },
          ],
        },
        admin,
      );
      await t.http.post(`/api/v1/workflows/${created.body.data.id}/executions`, {}, admin);
      return notifiedLink("admin", "workflow-notification");
    },
  },
};

describe("every link the server mails or notifies", () => {
  it("is a template this test knows how to open", () => {
    const found = collectMailedTemplates(ROOT);
    const unknown = [...found.keys()].filter((template) => !(template in LINKS));
    const gone = Object.keys(LINKS).filter((template) => !found.has(template));
    expect(
      unknown.map((template) => `${template} (${found.get(template)?.join(", ")})`),
      "templates without an entry in LINKS",
    ).toEqual([]);
    expect(gone, "entries of LINKS the sources no longer produce").toEqual([]);
  });

  for (const [template, link] of Object.entries(LINKS)) {
    if (link.kind === "covered") continue;
    it(`opens ${template}`, async () => {
      const url = pathOf(await link.url());
      const pattern = new RegExp(
        `^${template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:param/g, "[^/?&]+")}$`,
      );
      expect(url).toMatch(pattern);
      if (link.kind === "api") {
        const { context } = await as(link.as ?? null);
        const res = await context.request.fetch(server.url + url, {
          method: "GET",
        });
        await link.check({
          status: res.status(),
          type: res.headers()["content-type"] ?? "",
          body: await res.body(),
        });
        return;
      }
      const { page, app } = await as(link.as);
      await app.open(url);
      const heading = page.getByRole("heading", { level: 1 });
      await heading.waitFor();
      expect(await heading.textContent()).not.toBe("Page not found");
      await checkPage(page, `mailed link ${template}`);
    });
  }

  it("raised no page errors or Content-Security-Policy refusals", () => {
    expect(journey.problems).toEqual([]);
  });
});
