import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * A saved report template's page — its report in words, a visibility change that writes a new
 * version, the version history, sharing with a team — and the organization overview, whose
 * tiles count the enrollments seeded here and open their reports in the builder.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let adminEmail = "";
let templateId = "";
let teamId = "";
let admin: Awaited<ReturnType<typeof makeOrganization>>["people"]["admin"];

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const t = server.app;
  const w = await makeOrganization(t, {
    name: "Harbour Logistics",
    people: ["Ivy", "Jon", "Kim"].map((key) => ({ key, roles: ["learner"] })),
  });
  orgId = w.org.id;
  adminEmail = w.people.admin.user.email;
  admin = w.people.admin;
  const course = await publishedCourse(t, {
    code: "HARB-1",
    title: "Forklift safety",
    instructorId: admin.user.id,
    organizationId: orgId,
  });
  // Three compliance enrollments: Ivy completes hers, Jon's is past its due date, Kim's is not
  // due yet. The overview must count 3 enrollments, 1 completion and 1 overdue.
  const learners = ["Ivy", "Jon", "Kim"].map((key) => w.people[key]?.user.id as string);
  const assigned = await t.http.post(
    `/api/v1/organizations/${orgId}/enrollments`,
    {
      userIds: learners,
      courseId: course.id,
      isCompliance: true,
      dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
    admin,
  );
  expect(assigned.body.data.map((r: { result: string }) => r.result)).toEqual([
    "enrolled",
    "enrolled",
    "enrolled",
  ]);
  const db = t.system.db;
  await db
    .updateTable("enrollments")
    .set({ status: "completed", completed_at: new Date(), progress_percent: 100 })
    .where("user_id", "=", learners[0] as string)
    .execute();
  await db
    .updateTable("enrollments")
    .set({ due_at: new Date(Date.now() - 2 * 86_400_000) })
    .where("user_id", "=", learners[1] as string)
    .execute();
  const team = await t.http.post(
    `/api/v1/organizations/${orgId}/teams`,
    { name: "Night shift" },
    admin,
  );
  teamId = team.body.data.id;
  const saved = await t.http.post(
    `/api/v1/organizations/${orgId}/report-templates`,
    {
      name: "Completion by course",
      description: "How many finish each course.",
      category: "completion",
      definition: {
        dimensions: [{ entity: "course", fields: ["title"] }],
        measures: [{ id: "rate", type: "completion-rate" }],
        filters: { enrollmentStatus: ["active", "completed"] },
      },
    },
    admin,
  );
  expect(saved.status).toBe(201);
  templateId = saved.body.data.id;
});

afterAll(async () => {
  await journey?.close();
});

const stored = () =>
  server.app.system.db
    .selectFrom("report_templates")
    .select(["version", "is_latest", "visibility", "team_id", "updated_by"])
    .where("family_id", "=", templateId)
    .orderBy("version", "desc")
    .execute();

describe("Saved report templates", () => {
  it("open on their own page, the report said in words", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/reports/templates?org=${orgId}`);
    await app.expectHeading("Report templates");
    await page.getByRole("combobox", { name: "Kind" }).click();
    await page.getByRole("option", { name: "Saved by me" }).click();
    const templates = page.getByRole("region", { name: "Templates" });
    await templates.getByRole("heading", { name: "Transcript" }).waitFor({ state: "detached" });
    expect(await templates.getByRole("article").count()).toBe(1);
    await templates.getByRole("link", { name: "Completion by course" }).click();
    await app.expectHeading("Completion by course");
    const details = page.getByRole("region", { name: "Details" });
    await details.getByRole("row", { name: /Saved by\s+Org Admin/ }).waitFor();
    await details
      .getByRole("row", { name: /Who sees it\s+Only its author and the people/ })
      .waitFor();
    const report = page.getByRole("region", { name: "The report" });
    await report.getByRole("row", { name: /Counts\s+Enrollments/ }).waitFor();
    await report.getByRole("row", { name: /A row per\s+Course: Title/ }).waitFor();
    await report.getByRole("row", { name: /Measures\s+Completion rate/ }).waitFor();
    await report
      .getByRole("row", { name: /Filters\s+Enrollment status: active, completed/ })
      .waitFor();
    const history = page.getByRole("region", { name: "Version history" });
    await history.getByText("First version.").waitFor();
    expect(
      await page.getByRole("link", { name: "Edit in the report builder" }).getAttribute("href"),
    ).toBe(`/reports/builder?org=${orgId}&template=${templateId}`);
    await checkPage(page, "template page");
  });

  it("change their visibility as a new version, listed in the history", async () => {
    await page.getByRole("button", { name: "Edit details" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Completion by course" });
    await dialog.getByRole("combobox", { name: "Who sees it" }).click();
    await page
      .getByRole("option", { name: "Everyone in the organization who reads reports" })
      .click();
    await checkPage(page, "edit template");
    await dialog.getByRole("button", { name: "Save as a new version" }).click();
    await page.getByRole("status").getByText("Saved as version 2.").waitFor();
    const versions = await stored();
    expect(versions.map((v) => [v.version, v.is_latest, v.visibility])).toEqual([
      [2, true, "organization"],
      [1, false, "private"],
    ]);
    const history = page.getByRole("region", { name: "Version history" });
    const newest = history.getByRole("listitem").filter({ hasText: "Version 2" });
    await newest.getByText(/^Org Admin, /).waitFor();
    await newest
      .getByText(
        "Who sees it changed from Only its author and the people it is shared with to Everyone in the organization who reads reports",
      )
      .waitFor();
    await history.getByRole("listitem").filter({ hasText: "Version 1" }).first().waitFor();
  });

  it("share with a team", async () => {
    await page.getByRole("button", { name: "Share" }).click();
    const dialog = page.getByRole("dialog", { name: "Share Completion by course" });
    await dialog.getByRole("radio", { name: "A team" }).check();
    await dialog.getByRole("combobox", { name: /^Team/ }).click();
    await page.getByRole("option", { name: "Night shift" }).click();
    await checkPage(page, "share template");
    await afterResponse(page, `/api/v1/report-templates/${templateId}/share`, () =>
      dialog.getByRole("button", { name: "Share" }).click(),
    );
    await page.getByRole("status").getByText("The team now sees it.").waitFor();
    const [latest] = await stored();
    expect(latest).toMatchObject({ version: 2, visibility: "team", team_id: teamId });
    await page
      .getByRole("region", { name: "Details" })
      .getByRole("row", { name: /Who sees it\s+The team Night shift/ })
      .waitFor();
  });
});

describe("The organization overview", () => {
  it("counts the seeded enrollments and opens each tile's report in the builder", async () => {
    await page.getByRole("link", { name: "All templates" }).click();
    await app.expectHeading("Report templates");
    await page
      .getByRole("navigation", { name: "Report pages" })
      .getByRole("link", { name: "Overview" })
      .click();
    await app.expectHeading("Organization overview");
    const tile = (name: string) => page.getByRole("region", { name, exact: true });
    await tile("Enrollments").getByText("3 enrollments, in any status").waitFor();
    await tile("Completions").getByText("1 completed enrollment").waitFor();
    await tile("Overdue compliance training")
      .getByText("1 compliance enrollment past its due date and not completed")
      .waitFor();
    await tile("Learning gain")
      .getByText("No course has graded pre-course and post-course results yet.")
      .waitFor();
    // The chart's numbers are there as a table for screen readers.
    await tile("Enrollments")
      .getByRole("table", { name: "Enrollments by status" })
      .getByRole("row", { name: /active\s+2/ })
      .waitFor({ state: "attached" });
    await tile("Learning events").getByRole("link").waitFor();
    await checkPage(page, "organization overview");

    const link = tile("Overdue compliance training").getByRole("link", {
      name: "Open the report: Overdue compliance training",
    });
    const href = new URL((await link.getAttribute("href")) as string, server.url);
    expect(href.pathname).toBe("/reports/builder");
    expect(href.searchParams.get("org")).toBe(orgId);
    // The builder's link contract (reports/builderLink.ts): the definition as JSON.
    const definition = JSON.parse(href.searchParams.get("definition") as string) as {
      measures: unknown[];
      filters: { customFilters: Array<{ field: string }> };
    };
    expect(definition.measures).toEqual([
      { id: "overdue", type: "count", label: "Overdue compliance enrollments", format: "number" },
    ]);
    expect(definition.filters.customFilters.map((f) => f.field)).toEqual([
      "enrollment.isCompliance",
      "enrollment.dueAt",
    ]);
    // The same definition run by the server gives the tile's figure.
    const run = await server.app.http.post(
      `/api/v1/organizations/${orgId}/report-metadata/preview`,
      definition,
      admin,
    );
    const rows = run.body.data.rows as Array<{ kind: string; values: { overdue: number } }>;
    expect(rows.find((r) => r.kind === "total")?.values.overdue).toBe(1);
    // The tile's report opens in the builder, which reads it back and previews the same figure.
    await link.click();
    await app.expectHeading("Report builder");
    const measures = page.getByRole("region", { name: "Measures" });
    expect(await measures.getByRole("textbox", { name: "Column title" }).inputValue()).toBe(
      "Overdue compliance enrollments",
    );
    await page
      .getByRole("region", { name: "Preview" })
      .getByRole("table", { name: /rows? of the report/ })
      .getByRole("cell", { name: "1", exact: true })
      .first()
      .waitFor();
    expect(journey.problems).toEqual([]);
  });
});
