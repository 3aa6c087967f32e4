import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import type { Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator reports on the integrations' sync runs in the report builder:
 * the base chosen, the runs grouped by integration with their success rate, the preview's rows;
 * then the integrations' incidents, open ones among them.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let adminEmail = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const db = server.app.system.db;
  const made = await makeOrganization(server.app, { name: "Quayside Learning" });
  const orgId = made.org.id;
  adminEmail = made.people.admin.user.email;
  const integration = async (name: string, code: string, lmsType: string) =>
    (
      await db
        .insertInto("lms_integrations")
        .values({
          organization_id: orgId,
          name,
          code,
          lms_type: lmsType,
          method: "api",
        } as never)
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id as string;
  const moodle = await integration("Quay Moodle", "quay-moodle", "moodle");
  const canvas = await integration("Quay Canvas", "quay-canvas", "canvas");
  const hour = 3_600_000;
  const runs: Array<[string, string, number]> = [
    [moodle, "succeeded", 30],
    [moodle, "failed", 20],
    [moodle, "succeeded", 10],
    [canvas, "succeeded", 5],
  ];
  for (const [integrationId, status, hoursAgo] of runs) {
    const started = new Date(Date.now() - hoursAgo * hour);
    await db
      .insertInto("integration_sync_runs")
      .values({
        organization_id: orgId,
        integration_id: integrationId,
        trigger: "schedule",
        status,
        created_count: 4,
        remote_calls: 2,
        remote_ms: 300,
        started_at: started,
        finished_at: new Date(started.getTime() + 60_000),
        created_at: started,
      } as never)
      .execute();
  }
  const incidents: Array<[string, number, number | null]> = [
    [moodle, 100, 98],
    [moodle, 20, null],
    [canvas, 50, 40],
  ];
  for (const [integrationId, openedAgo, resolvedAgo] of incidents)
    await db
      .insertInto("integration_incidents")
      .values({
        organization_id: orgId,
        integration_id: integrationId,
        status: resolvedAgo === null ? "open" : "resolved",
        failures: 3,
        opened_at: new Date(Date.now() - openedAgo * hour),
        resolved_at: resolvedAgo === null ? null : new Date(Date.now() - resolvedAgo * hour),
      })
      .execute();
});

afterAll(async () => {
  await journey?.close();
});

describe("Integration runs in the report builder", () => {
  it("counts sync runs per integration with their success rate, then incidents", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("link", { name: "Reports" }).first().click();
    await app.expectHeading("Report templates");
    await page
      .getByRole("navigation", { name: "Report pages" })
      .getByRole("link", { name: "Builder" })
      .click();
    await app.expectHeading("Report builder");

    // The base: the report now counts sync runs, four of them.
    await page.getByRole("radio", { name: "Integration sync runs" }).check();
    const preview = page.getByRole("region", { name: "Preview" });
    const rows = preview.getByRole("table", { name: /rows? of the report/ });
    await rows.getByRole("cell", { name: "4", exact: true }).waitFor();

    // A row per integration, with its success rate.
    await page.getByRole("button", { name: "Integration", exact: true }).click();
    await page.getByRole("button", { name: "Add Integration: Name" }).click();
    await page.getByRole("menuitem", { name: "As a column" }).click();
    await page.getByRole("button", { name: "Add the measure Success rate" }).click();
    const moodleRow = rows.getByRole("row").filter({ hasText: "Quay Moodle" });
    await moodleRow.getByRole("cell", { name: "3", exact: true }).waitFor();
    expect(await moodleRow.innerText()).toMatch(/^Quay Moodle\s+3\s+66\.7\s?%$/);
    const canvasRow = rows.getByRole("row").filter({ hasText: "Quay Canvas" });
    await canvasRow.getByRole("cell", { name: "1", exact: true }).waitFor();
    expect(await canvasRow.innerText()).toMatch(/^Quay Canvas\s+1\s+100\s?%$/);
    await checkPage(page, "report builder on integration sync runs");

    // The incidents instead: the integration column stays, the run measures leave.
    await page.getByRole("radio", { name: "Integration incidents" }).check();
    await page.getByRole("button", { name: "Add the measure Open incidents" }).click();
    const moodleIncidents = rows.getByRole("row").filter({ hasText: "Quay Moodle" });
    await moodleIncidents.getByRole("cell", { name: "2", exact: true }).waitFor();
    expect(await moodleIncidents.innerText()).toMatch(/^Quay Moodle\s+2\s+1$/);
    const canvasIncidents = rows.getByRole("row").filter({ hasText: "Quay Canvas" });
    expect(await canvasIncidents.innerText()).toMatch(/^Quay Canvas\s+1\s+0$/);
    await checkPage(page, "report builder on integration incidents");
  });
});
