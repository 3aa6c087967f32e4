import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processNextReportJob } from "../../src/modules/reports/runner.js";
import { makeOrganization, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import type { Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The report templates: the predefined reports found by category and words, one run for a
 * period as CSV, followed on its job page to a real file, and one copied to change.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let adminEmail = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const t = server.app;
  const w = await makeOrganization(t, {
    name: "Lakeside Works",
    people: [{ key: "Ivy", roles: ["learner"] }],
  });
  orgId = w.org.id;
  adminEmail = w.people.admin.user.email;
  const course = await publishedCourse(t, {
    code: "LAKE-1",
    title: "Lifting safely",
    instructorId: w.people.admin.user.id,
    organizationId: orgId,
  });
  const res = await t.http.post(
    `/api/v1/organizations/${orgId}/enrollments`,
    { userIds: [w.people.Ivy!.user.id], courseId: course.id },
    w.people.admin,
  );
  expect(res.body.data[0].result).toBe("enrolled");
});

afterAll(async () => {
  await journey?.close();
});

describe("Report templates", () => {
  it("lists the predefined reports, found by words", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("link", { name: "Reports" }).first().click();
    await app.expectHeading("Report templates");
    const templates = page.getByRole("region", { name: "Templates" });
    await templates.getByRole("heading", { name: "Enrollment summary" }).waitFor();
    expect(await templates.getByRole("article").count()).toBeGreaterThanOrEqual(12);
    await checkPage(page, "report templates");
    await page.getByLabel("Search").fill("completion");
    await templates.getByRole("heading", { name: "Completion rates" }).waitFor();
    await templates
      .getByRole("heading", { name: "Enrollment summary" })
      .waitFor({ state: "detached" });
  });

  it("runs a template for a period and downloads the file from the job's page", async () => {
    await page.getByRole("button", { name: "Run Completion rates" }).click();
    const dialog = page.getByRole("dialog", { name: "Run Completion rates" });
    await dialog.getByRole("combobox", { name: "Format" }).click();
    await page.getByRole("option", { name: "CSV" }).click();
    await dialog.getByRole("checkbox", { name: "Only a period" }).check();
    await dialog.getByLabel("From").fill("2020-01-01");
    await checkPage(page, "run a template");
    await dialog.getByRole("button", { name: "Run the report" }).click();
    await app.expectHeading("Completion rates");
    const jobId = new URL(page.url()).pathname.split("/").pop() as string;
    const stored = await server.app.system.db
      .selectFrom("report_jobs")
      .select(["output_format", "organization_id"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ output_format: "csv", organization_id: orgId });
    const done = await processNextReportJob(server.app.lyceum.services, "e2e-worker");
    expect(done).toMatchObject({ id: jobId, status: "ready" });
    await page.getByText("Ready", { exact: true }).waitFor();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download" }).click();
    const file = await readFile(await (await download).path(), "utf8");
    expect(file.split("\n")[0]).toContain("Completion rate");
    expect(file).toContain("Lifting safely");
  });

  it("sets up a schedule, seeing its next five runs in its time zone first", async () => {
    await page.getByRole("link", { name: "Reports" }).first().click();
    await page
      .getByRole("navigation", { name: "Report pages" })
      .getByRole("link", { name: "Schedules" })
      .click();
    await app.expectHeading("Report schedules");
    await page.getByRole("heading", { name: "No schedules" }).waitFor();
    await page.getByRole("button", { name: "Set up a schedule" }).click();
    const dialog = page.getByRole("dialog", { name: "Set up a schedule" });
    await dialog.getByRole("combobox", { name: /^Template/ }).fill("Completion");
    await page.getByRole("option", { name: "Completion rates" }).click();
    await dialog.getByLabel("At", { exact: true }).fill("07:30");
    const zone = dialog.getByRole("combobox", { name: "Time zone" });
    await zone.click();
    await zone.fill("Europe/Berl");
    await page.getByRole("option", { name: "Europe/Berlin" }).click();
    const runs = dialog.getByRole("region", { name: "Next runs (Europe/Berlin)" });
    await runs
      .getByRole("listitem")
      .filter({ hasText: /Monday.* 7:30/ })
      .nth(4)
      .waitFor();
    expect(await runs.getByRole("listitem").count()).toBe(5);
    await checkPage(page, "new schedule");

    // A calendar the server refuses says why before anything is saved.
    await dialog.getByRole("combobox", { name: "How often" }).click();
    await page.getByRole("option", { name: "Cron expression" }).click();
    await dialog.getByRole("textbox", { name: /^Cron expression/ }).fill("61 * * * *");
    await runs.getByRole("alert").waitFor();
    expect(await dialog.getByRole("button", { name: "Save the schedule" }).isDisabled()).toBe(true);
    await dialog.getByRole("textbox", { name: /^Cron expression/ }).fill("30 7 * * 1");
    await runs.getByRole("listitem").nth(4).waitFor();
    await dialog.getByRole("button", { name: "Save the schedule" }).click();
    await app.expectHeading("Completion rates");
    const stored = await server.app.system.db
      .selectFrom("report_schedules")
      .select(["frequency", "cron_expression", "timezone", "next_run_at"])
      .where("organization_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      frequency: "cron",
      cron_expression: "30 7 * * 1",
      timezone: "Europe/Berlin",
    });
    expect(stored.next_run_at?.getUTCDay()).toBe(1);
  });

  it("copies a template to change it", async () => {
    await page.getByRole("link", { name: "Reports" }).first().click();
    await app.expectHeading("Report templates");
    await page.getByLabel("Search").fill("");
    const templates = page.getByRole("region", { name: "Templates" });
    await templates.getByRole("button", { name: "Copy to change: Transcript" }).click();
    await templates.getByText(/was copied; the copy is yours to change/).waitFor();
    const copies = await server.app.system.db
      .selectFrom("report_templates")
      .select(["name", "is_system"])
      .where("organization_id", "=", orgId)
      .execute();
    expect(copies).toHaveLength(1);
    expect(copies[0]?.is_system).toBe(false);
    await templates.getByText("Saved").first().waitFor();
    expect(journey.problems).toEqual([]);
  });
});
