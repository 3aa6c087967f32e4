// The README's screenshots (docs/screenshots/*.png): the web app in chromium, served by an
// in-process Lyceum on PGlite, as a desktop (1440 px) and a phone (360 px).
//
//   npm run docs:screenshots
import { fileURLToPath } from "node:url";
import { startMoodleFake } from "../../src/modules/integrations/fakes/moodle-fake.js";
import { seedDemo } from "../../src/seed/demo.js";
import { launchChromium } from "./browser.js";
import { Lyceum } from "./pages.js";
import { startServer } from "./server.js";

const out = (name: string) =>
  fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url));

const server = await startServer();
const browser = await launchChromium();
// A local Moodle for the integration pages (its people do not work at the demo organization,
// so the run's report lists them as skipped).
const moodle = await startMoodleFake({ courses: 2, enrollmentsPerCourse: 3 });
let integrationId: string | null = null;
try {
  // The demo organization's learner, with the demo's enrollments.
  const person = { email: "learner@northwind.example", password: "Screenshot-Demo-1!" };
  await seedDemo(server.app.system, { password: person.password });
  const admin = { email: "org-admin@northwind.example", password: person.password };
  const shots: Array<[string, number, number]> = [
    ["desktop", 1440, 900],
    ["phone", 360, 780],
  ];
  for (const [device, width, height] of shots) {
    const context = await browser.newContext({
      viewport: { width, height },
      locale: "en-GB",
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const app = new Lyceum(page, server.url);
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    await page.screenshot({ path: out(`sign-in-${device}`) });
    await app.signIn(person.email, person.password);
    await app.expectHeading("My learning");
    // The demo learner has completed the safety course: its section and certificate show.
    await page.getByRole("heading", { level: 2, name: "Completed" }).waitFor();
    await page.screenshot({ path: out(`my-learning-${device}`) });
    await app.open("/catalog");
    await app.expectHeading("Catalog");
    await app.courseCards().first().waitFor();
    await page.screenshot({ path: out(`catalog-${device}`) });
    await app.courseCards().first().getByRole("link").first().click();
    await page.getByRole("heading", { name: "Course outline" }).waitFor();
    await page.screenshot({ path: out(`course-${device}`) });
    await app.open("/certificates");
    await app.expectHeading("Certificates");
    await page.getByRole("table").or(page.getByRole("list")).first().waitFor();
    await page.screenshot({ path: out(`certificates-${device}`) });
    // The lesson player, on the demo's safety course (the learner's completed course).
    const mine = await page.request.get(`${server.url}/api/v1/enrollments/mine`);
    const safety = (
      (await mine.json()).data as Array<{
        courseId: string;
        course: { code?: string; title: string };
      }>
    ).find((e) => e.course.title === "Workplace Safety Essentials");
    if (safety) {
      await app.open(`/courses/${safety.courseId}/learn`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: out(`lesson-${device}`) });
    }
    // The demo organization's administrator: its people, a member's page, a role's permissions, who is overdue.
    await context.clearCookies();
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    await app.signIn(admin.email, admin.password);
    await app.expectHeading("My learning");
    await app.open("/people");
    await app.expectHeading("People");
    await page.getByRole("region", { name: "Members" }).getByRole("table").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`people-${device}`) });
    await page.getByRole("region", { name: "Members" }).getByRole("link").first().click();
    await page.getByRole("region", { name: "Roles" }).getByRole("table").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`member-${device}`) });
    await app.open("/people/roles");
    await page
      .getByRole("region", { name: "Roles" })
      .getByRole("link", { name: "Manager" })
      .click();
    await page.getByRole("region", { name: "Permissions" }).getByRole("table").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`role-${device}`) });
    await app.open("/assignments?due=overdue");
    await app.expectHeading("Assignments");
    await page.getByRole("region", { name: "Enrollments" }).getByRole("table").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`assignments-${device}`) });
    // The report builder on completion by department, and its preview.
    const report = {
      dimensions: [{ entity: "department", fields: ["name"] }],
      measures: [{ id: "completionRate", type: "completion-rate", format: "percent" }],
      display: { showTotals: true },
      visualization: { type: "bar" },
    };
    await app.open(`/reports/builder?definition=${encodeURIComponent(JSON.stringify(report))}`);
    await app.expectHeading("Report builder");
    const preview = page.getByRole("region", { name: "Preview" });
    await preview.getByRole("img").first().waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`report-builder-${device}`) });
    await preview.scrollIntoViewIfNeeded();
    await preview.screenshot({ path: out(`report-preview-${device}`) });
    // The organization overview's tiles, and a template's page with its report in words.
    await app.open("/reports/dashboard");
    await app.expectHeading("Organization overview");
    await page.getByRole("region", { name: "Learning events" }).getByRole("img").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`report-dashboard-${device}`) });
    await app.open("/reports/templates");
    await page.getByRole("link", { name: "Completion rates" }).click();
    await page.getByRole("region", { name: "Version history" }).getByRole("listitem").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`report-template-${device}`) });
    // The demo instructor: the courses they author and one course's editor.
    await context.clearCookies();
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    await app.signIn("instructor@northwind.example", person.password);
    await app.expectHeading("My learning");
    await app.open("/teaching");
    await app.expectHeading("Teaching");
    await page.getByRole("table").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`teaching-${device}`) });
    await app.open("/teaching?status=published");
    await page.getByRole("table").getByRole("link").first().click();
    await page.getByRole("tab", { name: "Content" }).waitFor();
    await page.getByRole("heading", { level: 3 }).first().waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`course-editor-${device}`) });
    // The safety course's grading: the queue, the gradebook, and an attempt to regrade.
    const safety101 = await server.app.system.db
      .selectFrom("courses")
      .select("id")
      .where("code", "=", "NW-SAFE-101")
      .executeTakeFirstOrThrow();
    await app.open(`/teaching/courses/${safety101.id}/grading`);
    await page.getByRole("article").first().waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`grading-${device}`) });
    await app.open(`/teaching/courses/${safety101.id}/gradebook`);
    await page.getByRole("table").waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`gradebook-${device}`) });
    await page
      .getByRole("table")
      .getByRole("link", { name: /best attempt/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "Answers" }).waitFor();
    // The essay the AI grader graded, with its regrade form open.
    const essay = page
      .getByRole("listitem")
      .filter({ hasText: /Graded by the AI grader/ })
      .first();
    await essay.getByRole("button", { name: /^Regrade question/ }).click();
    await essay.getByRole("button", { name: "Save grade" }).waitFor();
    await essay.evaluate((el) => el.scrollIntoView({ block: "start" }));
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: out(`attempt-grading-${device}`) });
    // The demo's cohort course (platform-wide, so run by the platform administrator): its
    // cohorts, and the full cohort's page with its roster.
    await context.clearCookies();
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    await app.signIn("admin@lyceum.local", person.password);
    await app.expectHeading("My learning");
    const editable = await page.request.get(
      `${server.url}/api/v1/courses?editable=true&search=${encodeURIComponent("AI Enablement")}`,
    );
    const ai = ((await editable.json()).data as Array<{ id: string }>)[0];
    if (ai) {
      await app.open(`/teaching/courses/${ai.id}/cohorts`);
      await app.expectHeading(/^Cohorts: /);
      await page.getByRole("link", { name: "March 2027" }).waitFor();
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: out(`cohorts-${device}`) });
      await page.getByRole("link", { name: "March 2027" }).click();
      await app.expectHeading("March 2027");
      await page.getByRole("table", { name: "Roster" }).waitFor();
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: out(`cohort-${device}`) });
    }
    // The demo organization's administrator connects the Moodle (once) and syncs it.
    await context.clearCookies();
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    await app.signIn(admin.email, admin.password);
    await app.expectHeading("My learning");
    const me = (await (await page.request.get(`${server.url}/api/v1/users/me`)).json()).data as {
      memberships: Array<{ organization: { id: string } }>;
    };
    const orgId = me.memberships[0]?.organization.id;
    if (orgId) {
      if (!integrationId) {
        const csrf = (await context.cookies()).find((c) => c.name === "lyceum_csrf")?.value ?? "";
        const created = await page.request.post(
          `${server.url}/api/v1/organizations/${orgId}/lms-integrations`,
          {
            headers: { "x-csrf-token": csrf },
            data: {
              name: "Campus Moodle",
              code: "campus",
              lmsType: "moodle",
              method: "api",
              authType: "api-token",
              credentials: { token: moodle.token },
              baseUrl: moodle.url,
            },
          },
        );
        integrationId = ((await created.json()) as { data: { id: string } }).data.id;
        await page.request.post(`${server.url}/api/v1/lms-integrations/${integrationId}/sync`, {
          headers: { "x-csrf-token": csrf },
          data: {},
        });
        const { worker } = server.app.lyceum;
        for (let i = 0; i < 20; i++) {
          await worker.poll();
          while (worker.activeJobs) await new Promise((r) => setTimeout(r, 10));
        }
      }
      await app.open(`/integrations?org=${orgId}`);
      await app.expectHeading("Integrations");
      await page.getByRole("link", { name: "Campus Moodle" }).waitFor();
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: out(`integrations-${device}`) });
      await page.getByRole("link", { name: "Campus Moodle" }).click();
      await app.expectHeading("Campus Moodle");
      await page.getByRole("button", { name: "Test connection" }).click();
      await page.getByText("The connection works.").waitFor();
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: out(`integration-${device}`) });
      await page
        .getByRole("link", { name: /^Report of the run of/ })
        .first()
        .click();
      await app.expectHeading(/^Sync run of/);
      await page.getByRole("region", { name: "Records" }).getByRole("table").waitFor();
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: out(`integration-run-${device}`) });
    }
    await context.close();
  }
  console.log("wrote docs/screenshots/*.png");
} finally {
  await moodle.close();
  await browser.close();
  await server.close();
}
