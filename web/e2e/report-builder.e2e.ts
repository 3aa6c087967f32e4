import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import JSZip from "jszip";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDepartment } from "../../src/modules/organizations/structure.js";
import { processNextReportJob } from "../../src/modules/reports/runner.js";
import { makeOrganization, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import type { Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * A report author's journey: a completion report by department built in the report builder
 * (a field dragged in, a measure added with its button, a problem shown at its field), its
 * chart previewed, saved as a template, scheduled weekly, run now and downloaded as XLSX and
 * PDF files that real readers open.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let adminEmail = "";
let templateId = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const t = server.app;
  const w = await makeOrganization(t, {
    name: "Harbour Freight",
    people: [
      { key: "Ana", roles: ["learner"] },
      { key: "Ben", roles: ["learner"] },
      { key: "Cy", roles: ["learner"] },
    ],
  });
  orgId = w.org.id;
  adminEmail = w.people.admin.user.email;
  const { updateMember } = await import("../../src/modules/organizations/members.js");
  const sales = await createDepartment(t.system, orgId, { name: "Sales" });
  const depot = await createDepartment(t.system, orgId, { name: "Depot" });
  await updateMember(t.system, orgId, w.people.Ana!.user.id, { departmentId: sales.id });
  await updateMember(t.system, orgId, w.people.Ben!.user.id, { departmentId: sales.id });
  await updateMember(t.system, orgId, w.people.Cy!.user.id, { departmentId: depot.id });
  const course = await publishedCourse(t, {
    code: "FORK-1",
    title: "Forklift basics",
    instructorId: w.people.admin.user.id,
    organizationId: orgId,
  });
  const res = await t.http.post(
    `/api/v1/organizations/${orgId}/enrollments`,
    {
      userIds: ["Ana", "Ben", "Cy"].map((k) => w.people[k]!.user.id),
      courseId: course.id,
    },
    w.people.admin,
  );
  expect(res.body.data.map((r: { result: string }) => r.result)).toEqual([
    "enrolled",
    "enrolled",
    "enrolled",
  ]);
  // Ana finished: Sales completes half its enrollments, the depot none.
  await t.system.db
    .updateTable("enrollments")
    .set({ status: "completed", completed_at: new Date() })
    .where("user_id", "=", w.people.Ana!.user.id)
    .execute();
});

afterAll(async () => {
  await journey?.close();
});

/** Drags with small mouse steps, as the builder's pointer sensor needs to see a drag. */
async function drag(from: string, to: string) {
  // Both ends on the screen at once.
  await page.setViewportSize({ width: 1440, height: 1600 });
  await page.locator(to).scrollIntoViewIfNeeded();
  const source = await page.locator(from).boundingBox();
  const target = await page.locator(to).boundingBox();
  if (!source || !target) throw new Error(`nothing to drag from ${from} to ${to}`);
  await page.mouse.move(source.x + 20, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(source.x + 40, source.y + source.height / 2, { steps: 5 });
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 15 });
  await page.mouse.up();
}

async function download(format: "XLSX" | "PDF"): Promise<Buffer> {
  const jobId = new URL(page.url()).pathname.split("/").pop() as string;
  const done = await processNextReportJob(server.app.lyceum.services, "e2e-worker");
  expect(done).toMatchObject({ id: jobId, status: "ready" });
  await page.getByText("Ready", { exact: true }).waitFor();
  const file = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download" }).click();
  const saved = await file;
  expect(saved.suggestedFilename().toLowerCase()).toMatch(format === "XLSX" ? /\.xlsx$/ : /\.pdf$/);
  return readFile(await saved.path());
}

describe("The report builder", () => {
  it("builds a completion report by department, a problem shown at its field", async () => {
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
    // A new report counts enrollments: one row, its count.
    const preview = page.getByRole("region", { name: "Preview" });
    const rows = preview.getByRole("table", { name: /rows? of the report/ });
    await rows.getByRole("cell", { name: "3", exact: true }).waitFor();
    await checkPage(page, "report builder");

    // The department's name is dragged in as a column.
    await page.getByRole("button", { name: "Department", exact: true }).click();
    await drag('[data-palette="field:department.name"]', '[data-zone="columns"]');
    const columns = page.getByRole("region", { name: "Columns" });
    await columns.getByText("Department: Name").waitFor();
    await page.getByRole("status").filter({ hasText: "added to Columns" }).waitFor();

    // The completion rate is added with its button; a sum without its field is refused there.
    await page.getByRole("button", { name: "Add the measure Completion rate" }).click();
    await page.getByRole("button", { name: "Add the measure Sum" }).click();
    const measures = page.getByRole("region", { name: "Measures" });
    await measures.getByText("sum needs a field").waitFor();
    await preview.getByText("The report cannot run yet").waitFor();
    await page.getByRole("button", { name: "Remove Sum" }).click();
    await page.getByRole("button", { name: "Remove Count" }).click();
    await measures.getByText("sum needs a field").waitFor({ state: "detached" });

    // The preview: Sales completes half, the depot nothing; the estimate comes first.
    const row = (name: string) => rows.getByRole("row").filter({ hasText: name });
    await rows.getByRole("columnheader", { name: "Count" }).waitFor({ state: "detached" });
    await row("Sales").getByRole("cell", { name: "50%" }).waitFor();
    expect(await row("Depot").getByRole("cell").allInnerTexts()).toEqual(["Depot", "0%"]);
    await preview.getByText(/^About \d+ rows? from \d+ rows read; cost/).waitFor();
    await preview.getByRole("img", { name: /Preview chart\..*Depot: 0%; Sales: 50%/ }).waitFor();
    await page.getByRole("checkbox", { name: "Total row" }).check();
    await row("Total").getByRole("cell", { name: "33.3%" }).waitFor();
    await checkPage(page, "report builder with a report");
  });

  it("saves it as a template for the organization", async () => {
    await page.getByRole("button", { name: "Save as template…" }).click();
    const dialog = page.getByRole("dialog", { name: "Save the report" });
    await dialog.getByRole("textbox", { name: /^Name/ }).fill("Completion by department");
    await dialog.getByRole("combobox", { name: "Who sees it" }).click();
    await page.getByRole("option", { name: "The whole organization" }).click();
    await checkPage(page, "save a report");
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved as “Completion by department”.").waitFor();
    await page.getByText("Editing “Completion by department”, version 1.").waitFor();
    templateId = new URL(page.url()).searchParams.get("template") as string;
    const stored = await server.app.system.db
      .selectFrom("report_templates")
      .select(["name", "visibility", "definition", "organization_id"])
      .where("id", "=", templateId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      name: "Completion by department",
      visibility: "organization",
      organization_id: orgId,
      definition: {
        dimensions: [{ entity: "department", fields: ["name"] }],
        measures: [{ id: "completionRate", type: "completion-rate" }],
        display: { showTotals: true },
        visualization: { type: "bar" },
      },
    });
  });

  it("schedules it weekly", async () => {
    await page.getByRole("button", { name: "Schedule…" }).click();
    const dialog = page.getByRole("dialog", { name: "Set up a schedule" });
    // The template is chosen already (its name shows once the list has loaded).
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLInputElement>('[role="dialog"] input')].some(
        (input) => input.value === "Completion by department",
      ),
    );
    await dialog.getByRole("listitem").nth(4).waitFor();
    await dialog.getByRole("button", { name: "Save the schedule" }).click();
    await app.expectHeading("Completion by department");
    const stored = await server.app.system.db
      .selectFrom("report_schedules")
      .select(["frequency", "template_id"])
      .where("organization_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ frequency: "weekly", template_id: templateId });
  });

  it("runs it now and downloads the XLSX and the PDF", async () => {
    await page.goBack();
    await app.expectHeading("Report builder");
    await page.getByRole("button", { name: "Run now…" }).click();
    let dialog = page.getByRole("dialog", { name: "Run Completion by department" });
    await dialog.getByRole("combobox", { name: "Format" }).click();
    await page.getByRole("option", { name: "Excel" }).click();
    await dialog.getByRole("button", { name: "Run the report" }).click();
    await app.expectHeading("Completion by department");
    const zip = await JSZip.loadAsync(await download("XLSX"));
    const sheet = new DOMParser().parseFromString(
      (await zip.file("xl/worksheets/sheet1.xml")?.async("string")) ?? "<x/>",
      "text/xml",
    );
    const table = [...sheet.getElementsByTagName("row")].map((row) =>
      [...row.getElementsByTagName("c")].map((c) => {
        const v = c.getElementsByTagName("v")[0]?.textContent ?? "";
        return c.getAttribute("t") === "str" ? v : Number(v);
      }),
    );
    expect(table).toEqual([
      ["Department", "Completion rate"],
      ["Depot", 0],
      ["Sales", 50],
      ["Total", 33.33],
    ]);

    await page.goBack();
    await app.expectHeading("Report builder");
    await page.getByRole("button", { name: "Run now…" }).click();
    dialog = page.getByRole("dialog", { name: "Run Completion by department" });
    await dialog.getByRole("combobox", { name: "Format" }).click();
    await page.getByRole("option", { name: "PDF" }).click();
    await dialog.getByRole("button", { name: "Run the report" }).click();
    await app.expectHeading("Completion by department");
    const pdf = await download("PDF");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const fonts = `${path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"))}/standard_fonts/`;
    const document = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: fonts })
      .promise;
    const text = (
      await Promise.all(
        Array.from({ length: document.numPages }, async (_, i) =>
          (
            await (await document.getPage(i + 1)).getTextContent()
          ).items
            .map((item) => ("str" in item ? item.str : ""))
            .join(" "),
        ),
      )
    ).join(" ");
    expect(text).toContain("Completion by department");
    expect(text).toContain("Sales");
    expect(journey.problems).toEqual([]);
  });
});
