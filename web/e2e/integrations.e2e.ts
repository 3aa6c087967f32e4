import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPerson } from "../../src/modules/integrations/fakes/common.js";
import {
  type MoodleFake,
  startMoodleFake,
} from "../../src/modules/integrations/fakes/moodle-fake.js";
import { addMember } from "../../src/modules/organizations/service.js";
import { makeOrganization, makeUser, PASSWORD } from "../../test/factories.js";
import { drainJobs } from "../../test/jobs.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator connects a Moodle (a local fake speaking Moodle's web
 * services on 127.0.0.1), tests the connection, runs a dry run and a sync, reads the run's
 * report, finds the external enrollments it brought in, previews the mapping rules and sets
 * the monitoring.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let moodle: MoodleFake;
let orgId = "";
let admin = { email: "", name: "Org Admin" };
let integrationId = "";

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(server.app, ["integrations.sync"]);

beforeAll(async () => {
  moodle = await startMoodleFake({ courses: 2, enrollmentsPerCourse: 4 });
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Harbor Works" });
  orgId = made.org.id;
  admin = { email: made.people.admin.user.email, name: "Org Admin" };
  // The fake's people learner1@example.org … learner6@example.org work here; 7 and 8 do not.
  for (const n of [0, 1, 2, 3, 4, 5]) {
    const person = seedPerson(n);
    const user = await makeUser(server.app, {
      email: person.email,
      firstName: person.firstName,
      lastName: person.lastName,
    });
    await addMember(server.app.system, orgId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
  }
});

afterAll(async () => {
  await journey?.close();
  await moodle?.close();
});

describe("Integrations", () => {
  it("connects a Moodle from the empty list", async () => {
    await app.open("/");
    expect((await app.signIn(admin.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page
      .getByRole("navigation", { name: "Main navigation" })
      .getByRole("link", { name: "Integrations" })
      .first()
      .click();
    await app.expectHeading("Integrations");
    await page.getByRole("heading", { name: "No integrations yet" }).waitFor();
    await checkPage(page, "integrations, empty");

    await page.getByRole("link", { name: "Connect a system" }).click();
    await app.expectHeading("Connect a system");
    await page.getByRole("textbox", { name: /^Name/ }).fill("Campus Moodle");
    await page.getByRole("textbox", { name: /^Code/ }).fill("campus");
    expect(await page.getByRole("combobox", { name: "Type of system" }).inputValue()).toBe(
      "Moodle",
    );
    await page.getByRole("textbox", { name: /^Address/ }).fill(moodle.url);
    await page.getByLabel(/^API token/).fill(moodle.token);
    await checkPage(page, "connect a system");
    const created = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/lms-integrations`,
      () => page.getByRole("button", { name: "Connect", exact: true }).click(),
    );
    expect(created.status()).toBe(201);
    integrationId = ((await created.json()) as { data: { id: string } }).data.id;
    await app.expectHeading("Campus Moodle");
    const stored = await server.app.system.db
      .selectFrom("lms_integrations")
      .select(["code", "lms_type", "base_url", "credentials_sealed"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ code: "campus", lms_type: "moodle", base_url: moodle.url });
    expect(stored.credentials_sealed).not.toContain(moodle.token);
  });

  it("tests the connection and shows each check", async () => {
    const tested = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/test-connection`,
      () => page.getByRole("button", { name: "Test connection" }).click(),
    );
    expect(tested.status()).toBe(200);
    await page.getByText("The connection works.").waitFor();
    const checks = page.getByRole("list", { name: "Test connection" }).getByRole("listitem");
    expect(await checks.count()).toBeGreaterThan(1);
    expect(await checks.first().innerText()).toMatch(/Passed:/);
    await page.getByText("Connected", { exact: true }).first().waitFor();
    await checkPage(page, "integration, connection tested");
  });

  it("runs a dry run and opens its report", async () => {
    const started = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/sync`,
      () => page.getByRole("button", { name: "Dry run" }).click(),
    );
    expect(started.status()).toBe(202);
    await page.getByText("The dry run was queued.").waitFor();
    await work();
    // The runs list polls while the run is queued or running.
    const runs = page.getByRole("region", { name: "Sync runs" });
    await runs.getByRole("cell", { name: /Dry run/ }).waitFor();
    await runs.getByText("Succeeded", { exact: true }).first().waitFor();
    await page
      .getByRole("link", { name: /^Report of the run of/ })
      .first()
      .click();
    await app.expectHeading(/^Dry run of/);
    await page.getByText("A dry run writes nothing", { exact: false }).waitFor();
    await page.getByRole("combobox", { name: "Kind" }).click();
    await page.getByRole("option", { name: "Course" }).click();
    await page.getByText("2 records").waitFor();
    await page
      .getByText(/^title: \(empty\) → /)
      .first()
      .waitFor();
    await checkPage(page, "dry run report");
    const stored = await server.app.system.db
      .selectFrom("enrollments")
      .select("id")
      .where("integration_id", "=", integrationId)
      .execute();
    expect(stored).toEqual([]);
  });

  it("syncs and shows what was skipped in the run's report", async () => {
    await page.getByRole("link", { name: "Back to Campus Moodle" }).click();
    await app.expectHeading("Campus Moodle");
    const started = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/sync`,
      () => page.getByRole("button", { name: "Sync now" }).click(),
    );
    expect(started.status()).toBe(202);
    await page.getByText("The sync was queued.").waitFor();
    await work();
    const rows = page.getByRole("row", { name: /Report of the run of/ });
    await rows.first().getByText("Succeeded").waitFor();
    await rows.first().getByRole("link").click();
    await app.expectHeading(/^Sync run of/);
    await page.getByRole("combobox", { name: "Outcome" }).click();
    await page.getByRole("option", { name: "Skipped" }).click();
    await page
      .getByText(`No member of the organization has the email ${seedPerson(6).email}`)
      .waitFor();
    expect(page.url()).toContain("outcome=skipped");
    await checkPage(page, "sync report, skipped records");
  });

  it("sets the monitoring and shows the health", async () => {
    await page.getByRole("link", { name: "Back to Campus Moodle" }).click();
    await app.expectHeading("Campus Moodle");
    const health = page.getByRole("region", { name: /^Health/ });
    await health.getByText("Healthy").waitFor();
    await health.getByText("100%").first().waitFor();
    await page.getByRole("textbox", { name: /^Expect a successful sync every/ }).fill("24");
    await page.getByRole("textbox", { name: /^Failed runs in a row/ }).fill("2");
    const saved = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/monitoring`,
      () => page.getByRole("button", { name: "Save monitoring" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Monitoring saved.").waitFor();
    await health.getByText("Met: a successful sync within 24 h").waitFor();
    const row = await server.app.system.db
      .selectFrom("lms_integrations")
      .select(["sla_hours", "incident_after_failures"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ sla_hours: 24, incident_after_failures: 2 });
    await checkPage(page, "integration, monitoring set");
  });

  it("lists the external enrollments with their progress", async () => {
    await app.open(`/integrations/learning?org=${orgId}`);
    await app.expectHeading("External learning");
    await page.getByText("Campus Moodle", { exact: true }).first().waitFor();
    await page.getByText("6 enrollments").waitFor();
    await page.getByRole("combobox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Completed" }).click();
    await page.getByText("2 enrollments").waitFor();
    const first = seedPerson(0);
    await page
      .getByRole("button", { name: new RegExp(`^Details of ${first.firstName} ${first.lastName}`) })
      .click();
    const drawer = page.getByRole("dialog", { name: "External enrollment" });
    await drawer.getByText("Learning events").waitFor();
    await drawer.getByText("100%").first().waitFor();
    await checkPage(page, "external enrollment drawer");
    await drawer.getByRole("button", { name: "Close" }).click();
    await page.getByRole("searchbox", { name: "Search people or courses" }).fill(first.lastName);
    await page.waitForURL(/q=/);
    await checkPage(page, "external learning");
  });

  it("shows the stored token only as set and previews the rules on a sample", async () => {
    await app.open(`/integrations/${integrationId}/edit`);
    await app.expectHeading("Edit Campus Moodle");
    await page.getByText("API token: set").waitFor();
    await page
      .getByRole("textbox", { name: "Field mappings" })
      .fill('[{"source":"user.email","target":"person.email"}]');
    await page
      .getByRole("textbox", { name: "Validation rules" })
      .fill(
        '[{"rule":"required","field":"person.email"},{"rule":"range","field":"score","min":0,"max":100}]',
      );
    await page
      .getByRole("textbox", { name: "Sample record (JSON)" })
      .fill('{"user":{"email":"jane@example.org"}}');
    const previewed = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/mapping-preview`,
      () => page.getByRole("button", { name: "Preview", exact: true }).click(),
    );
    expect(previewed.status()).toBe(200);
    await page.getByText('"email": "jane@example.org"', { exact: false }).waitFor();
    await page.getByText("No problems found.").waitFor();
    // A rule the server refuses is shown at its list, naming the rule.
    await page
      .getByRole("textbox", { name: "Validation rules" })
      .fill('[{"rule":"range","field":"score","min":"low"}]');
    const refused = await afterResponse(page, `/api/v1/lms-integrations/${integrationId}`, () =>
      page.getByRole("button", { name: "Save", exact: true }).click(),
    );
    expect(refused.status()).toBe(400);
    const rules = page.getByRole("textbox", { name: "Validation rules" });
    await page.locator('textarea[aria-invalid="true"]').first().waitFor();
    expect(await rules.getAttribute("aria-invalid")).toBe("true");
    await checkPage(page, "edit integration with a refused rule");

    // Fixed, and with a new token: the whole configuration is saved, the rest kept.
    const before = await server.app.system.db
      .selectFrom("lms_integrations")
      .select("credentials_sealed")
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    await rules.fill('[{"rule":"range","field":"score","min":0,"max":100}]');
    await page.getByRole("radio", { name: "Replace credentials" }).check();
    await page.getByLabel(/^API token/).fill(moodle.token);
    const saved = await afterResponse(page, `/api/v1/lms-integrations/${integrationId}`, () =>
      page.getByRole("button", { name: "Save", exact: true }).click(),
    );
    expect(saved.status()).toBe(200);
    await app.expectHeading("Campus Moodle");
    const after = await server.app.system.db
      .selectFrom("lms_integrations")
      .select(["credentials_sealed", "validation_rules", "field_mappings", "sla_hours", "base_url"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(after.credentials_sealed).not.toBe(before.credentials_sealed);
    expect(after).toMatchObject({
      validation_rules: [{ rule: "range", field: "score", min: 0, max: 100 }],
      field_mappings: [{ source: "user.email", target: "person.email" }],
      sla_hours: 24,
      base_url: moodle.url,
    });
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await app.expectHeading("Edit Campus Moodle");
  });

  it("removes the integration after asking", async () => {
    await page.getByRole("button", { name: "Remove integration" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove Campus Moodle?" });
    await dialog.waitFor();
    await checkPage(page, "remove an integration");
    // Escape keeps it.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await app.expectHeading("Edit Campus Moodle");
    await page.getByRole("button", { name: "Remove integration" }).click();
    const removed = await afterResponse(page, `/api/v1/lms-integrations/${integrationId}`, () =>
      page
        .getByRole("dialog", { name: "Remove Campus Moodle?" })
        .getByRole("button", { name: "Remove" })
        .click(),
    );
    expect(removed.status()).toBe(200);
    await app.expectHeading("Integrations");
    await page.getByRole("heading", { name: "No integrations yet" }).waitFor();
    const row = await server.app.system.db
      .selectFrom("lms_integrations")
      .select(["deleted_at", "credentials_sealed"])
      .where("id", "=", integrationId)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    expect(row.credentials_sealed).toBeNull();
    expect(journey.problems).toEqual([]);
  });
});
