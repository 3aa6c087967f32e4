import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntegration } from "../../src/modules/integrations/integrations.js";
import { addMember } from "../../src/modules/organizations/service.js";
import { makeOrganization, makeUser, PASSWORD } from "../../test/factories.js";
import { drainJobs } from "../../test/jobs.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator imports a CSV of completions into an integration of type
 * file: uploads it, sees its first rows and the suggested mapping, tries a dry run, imports
 * it, and reads the run's outcome and report.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let adminEmail = "";
let integrationId = "";
let fileImportId = "";

const CSV = [
  "Email,Course ID,Course Title,Status,Completed At,Score",
  "mara@files-e2e.example,FIRE-1,Fire safety,completed,2026-03-02,92",
  "jon@files-e2e.example,FIRE-1,Fire safety,in progress,,",
  "visitor@elsewhere.example,FIRE-1,Fire safety,completed,2026-03-03,70",
].join("\n");

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(server.app, ["integrations.sync"]);

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Files Harbor" });
  orgId = made.org.id;
  adminEmail = made.people.admin.user.email;
  for (const email of ["mara@files-e2e.example", "jon@files-e2e.example"]) {
    const user = await makeUser(server.app, { email });
    await addMember(server.app.system, orgId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId: null,
    });
  }
  const integration = await createIntegration(server.app.system, orgId, {
    name: "HR completions",
    code: "hr-files",
    lmsType: "file",
    method: "file-upload",
    authType: "none",
    dataFormat: "csv",
    ownerIds: [made.people.admin.user.id],
  });
  integrationId = integration.id;
});

afterAll(async () => {
  await journey?.close();
});

describe("File imports", () => {
  it("uploads a CSV and shows its first rows and the suggested mapping", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/integrations/${integrationId}`);
    await app.expectHeading("HR completions");
    await page.getByRole("heading", { name: "Import a file" }).waitFor();
    await page.getByRole("heading", { name: "No files yet" }).waitFor();
    await checkPage(page, "file integration, no files");

    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: "completions.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
    const uploaded = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/file-imports`,
      () => page.getByRole("button", { name: "Upload", exact: true }).click(),
    );
    expect(uploaded.status()).toBe(201);
    fileImportId = ((await uploaded.json()) as { data: { id: string } }).data.id;
    await app.expectHeading("completions.csv");
    await page.getByRole("cell", { name: "jon@files-e2e.example" }).waitFor();
    expect(await page.getByRole("combobox", { name: /^Email/ }).inputValue()).toBe("Email");
    expect(await page.getByRole("combobox", { name: /^Course title/ }).inputValue()).toBe(
      "Course Title",
    );
    expect(await page.getByRole("combobox", { name: /^Completed on/ }).inputValue()).toBe(
      "Completed At",
    );
    await checkPage(page, "file import, mapping");
  });

  it("tries a dry run, then imports the file and shows the run's outcome", async () => {
    const dry = await afterResponse(
      page,
      `/api/v1/integration-file-imports/${fileImportId}/mapping`,
      () => page.getByRole("button", { name: "Dry run" }).click(),
    );
    expect(dry.status()).toBe(202);
    await work();
    await page
      .getByTestId("file-outcome")
      .getByText("3 created, 0 updated, 0 unchanged, 1 skipped, 0 failed")
      .waitFor();
    await page.getByText("A dry run writes nothing.", { exact: false }).waitFor();
    expect(
      await server.app.system.db
        .selectFrom("enrollments")
        .select("id")
        .where("integration_id", "=", integrationId)
        .execute(),
    ).toEqual([]);

    const real = await afterResponse(
      page,
      `/api/v1/integration-file-imports/${fileImportId}/mapping`,
      () => page.getByRole("button", { name: "Import", exact: true }).click(),
    );
    expect(real.status()).toBe(202);
    await work();
    await page
      .getByTestId("file-outcome")
      .getByText("3 created, 0 updated, 0 unchanged, 1 skipped, 0 failed")
      .waitFor();
    await page.getByRole("button", { name: "Download the result file" }).waitFor();
    expect(await page.getByRole("button", { name: "Import", exact: true }).count()).toBe(0);
    const stored = await server.app.system.db
      .selectFrom("enrollments")
      .select(["external_id", "external_status"])
      .where("integration_id", "=", integrationId)
      .orderBy("external_id")
      .execute();
    expect(stored).toEqual([
      { external_id: "FIRE-1:jon@files-e2e.example", external_status: "in-progress" },
      { external_id: "FIRE-1:mara@files-e2e.example", external_status: "completed" },
    ]);
    await checkPage(page, "file import, imported");

    await page.getByRole("link", { name: "Open the run's report" }).click();
    await app.expectHeading(/^Sync run of/);
    await page
      .getByText("No member of the organization has the email visitor@elsewhere.example")
      .waitFor();
  });

  it("lists the imported file on the integration's page", async () => {
    await app.open(`/integrations/${integrationId}`);
    const table = page.getByRole("table", { name: "Imported files" });
    await table.getByRole("link", { name: "completions.csv" }).waitFor();
    await table.getByText("Done").waitFor();
    await checkPage(page, "file integration, imported files");
  });
});
