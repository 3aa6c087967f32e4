import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember } from "../../src/modules/organizations/service.js";
import { createDepartment } from "../../src/modules/organizations/structure.js";
import { makeOrganization, makeUser, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator sets up required training: creates a requirement with the
 * course that meets it, adds a rule (the Sales department), runs the evaluation, sees the
 * people's status on the dashboard, then exempts one person and revokes the exemption.
 * Every page is checked with axe at 360 px and on a desktop.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let adminEmail = "";
let requirementId = "";
const COURSE = "Fire safety basics";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Blaze Works" });
  orgId = made.org.id;
  adminEmail = made.people.admin.user.email;
  const sales = await createDepartment(server.app.system, orgId, { name: "Sales" });
  const ops = await createDepartment(server.app.system, orgId, { name: "Operations" });
  for (const [first, departmentId] of [
    ["Ada", sales.id],
    ["Grace", sales.id],
    ["Linus", ops.id],
  ] as const) {
    const user = await makeUser(server.app, { firstName: first, lastName: "Tester" });
    await addMember(server.app.system, orgId, {
      userId: user.id,
      roleKeys: ["learner"],
      departmentId,
    });
  }
  await publishedCourse(server.app, {
    code: "FIRE-1",
    title: COURSE,
    instructorId: made.people.admin.user.id,
    organizationId: orgId,
  });
});

afterAll(async () => {
  await journey?.close();
});

/** Picks `option` in a Mantine select labelled `label`, typing `search` first when given. */
async function choose(
  scope: Locator,
  label: string | RegExp,
  option: string | RegExp,
  search?: string,
) {
  const box = scope.getByRole("combobox", { name: label });
  await box.click();
  if (search) await box.fill(search);
  await page
    .getByRole("option", { name: option, exact: typeof option === "string" })
    .first()
    .click();
}

describe("Compliance", () => {
  it("opens the empty dashboard from the navigation", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page
      .getByRole("navigation", { name: "Main navigation" })
      .getByRole("link", { name: "Compliance" })
      .click();
    await app.expectHeading("Compliance");
    await page.getByRole("heading", { name: "No required training yet" }).waitFor();
    await page.getByRole("heading", { name: "Nobody is assigned yet" }).waitFor();
    await checkPage(page, "compliance dashboard, empty");
  });

  it("creates a requirement with all its settings", async () => {
    await page
      .getByRole("navigation", { name: "Compliance pages" })
      .getByRole("link", { name: "Requirements" })
      .click();
    await app.expectHeading("Compliance requirements");
    await page.getByRole("heading", { name: "No requirements yet" }).waitFor();
    await checkPage(page, "requirements, empty");
    await page.getByRole("button", { name: "New requirement" }).click();
    const dialog = page.getByRole("dialog", { name: "New compliance requirement" });
    await dialog.getByRole("textbox", { name: /^Name/ }).fill("Fire safety");
    await dialog.getByRole("textbox", { name: /^Code/ }).fill("FS-1");
    await dialog.getByRole("textbox", { name: /^Jurisdiction/ }).fill("EU");
    await choose(dialog, /^Compliance type/, "Industry standards");
    await choose(dialog, /^Audit frequency/, "Quarterly");
    await dialog.getByRole("textbox", { name: /^Retention \(days\)/ }).fill("3650");
    await dialog.getByRole("textbox", { name: /^Requirements/ }).fill("Everyone knows the exits.");
    await choose(dialog, /^Course/, COURSE, "Fire");
    await dialog.getByRole("textbox", { name: /^Due after \(days\)/ }).fill("20");
    await dialog.getByRole("textbox", { name: /^Recurrence \(months\)/ }).fill("12");
    await dialog.getByRole("textbox", { name: /^Reminders \(days before due\)/ }).fill("10, 2");
    await dialog.getByRole("textbox", { name: /^Tell the manager after/ }).fill("3");
    await choose(dialog, /^Compliance officer/, /Org Admin/, "Org");
    await checkPage(page, "new requirement form");
    const created = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/compliance/requirements`,
      () => dialog.getByRole("button", { name: "New requirement" }).click(),
    );
    expect(created.status()).toBe(201);
    requirementId = ((await created.json()) as { data: { id: string } }).data.id;
    await app.expectHeading("Fire safety");
    const stored = await server.app.system.db
      .selectFrom("compliance_requirements")
      .select([
        "code",
        "jurisdiction",
        "audit_frequency",
        "retention_days",
        "due_days",
        "recurrence_months",
        "reminder_offsets_days",
        "manager_escalation_days",
        "officer_escalation_days",
        "compliance_officer_user_id",
      ])
      .where("id", "=", requirementId)
      .executeTakeFirstOrThrow();
    expect({ ...stored, reminder_offsets_days: stored.reminder_offsets_days.map(Number) }).toEqual({
      code: "FS-1",
      jurisdiction: "EU",
      audit_frequency: "quarterly",
      retention_days: 3650,
      due_days: 20,
      recurrence_months: 12,
      reminder_offsets_days: [10, 2],
      manager_escalation_days: 3,
      officer_escalation_days: null,
      compliance_officer_user_id: expect.any(String),
    });
    await page.getByRole("heading", { name: "No rules yet" }).waitFor();
    await page.getByRole("link", { name: COURSE }).waitFor();
  });

  it("adds a rule for the Sales department", async () => {
    await page.getByRole("button", { name: "Add rule" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a rule" });
    await choose(dialog, /^Who must meet it/, "A department");
    await dialog.getByRole("button", { name: "Add rule" }).click();
    await dialog.getByText("Required").waitFor();
    await choose(dialog, /^Department/, "Sales");
    await choose(dialog, /^Due date counts from/, "Join date");
    await checkPage(page, "add a rule");
    const added = await afterResponse(
      page,
      `/api/v1/compliance-requirements/${requirementId}/rules`,
      () => dialog.getByRole("button", { name: "Add rule" }).click(),
    );
    expect(added.status()).toBe(201);
    const rule = await server.app.system.db
      .selectFrom("compliance_rules")
      .select(["scope", "trigger", "department_id", "team_id"])
      .where("requirement_id", "=", requirementId)
      .executeTakeFirstOrThrow();
    expect(rule).toEqual({
      scope: "department",
      trigger: "join-date",
      department_id: expect.any(String),
      team_id: null,
    });
    await page
      .getByText("Rule added. People it reaches are assigned on the next evaluation.")
      .waitFor();
    const rules = page.getByRole("region", { name: "Rules" });
    await rules.getByText("Department: Sales").waitFor();
    await rules.getByRole("cell", { name: "20 days after joining", exact: true }).waitFor();
    await checkPage(page, "requirement with a rule");
  });

  it("runs the evaluation and shows each person's status", async () => {
    await page
      .getByRole("navigation", { name: "Main navigation" })
      .getByRole("link", { name: "Compliance" })
      .click();
    await app.expectHeading("Compliance");
    const ran = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/compliance/evaluate`,
      () => page.getByRole("button", { name: "Run evaluation now" }).click(),
    );
    expect(ran.status()).toBe(200);
    await page.getByText(/^Evaluation done: 2 assigned/).waitFor();
    const people = page.getByRole("region", { name: "People" });
    await people.getByText("Ada Tester").waitFor();
    await people.getByText("Grace Tester").waitFor();
    expect(await people.getByText("Linus Tester").count()).toBe(0);
    expect(await people.getByText("Not started").count()).toBe(2);
    const summary = page.getByRole("region", { name: "Summary" });
    await summary.getByRole("link", { name: "Fire safety" }).waitFor();
    await checkPage(page, "compliance dashboard with people");
  });

  it("grants an exemption that shows on the dashboard, then revokes it", async () => {
    await page
      .getByRole("navigation", { name: "Compliance pages" })
      .getByRole("link", { name: "Exemptions" })
      .click();
    await app.expectHeading("Compliance exemptions");
    await page.getByRole("heading", { name: "No exemptions" }).waitFor();
    await checkPage(page, "exemptions, empty");
    await page.getByRole("button", { name: "Grant exemption" }).click();
    const dialog = page.getByRole("dialog", { name: "Exempt a person from a requirement" });
    await choose(dialog, /^Person/, /Ada Tester/, "Ada");
    await choose(dialog, /^Requirement/, "Fire safety");
    await dialog.getByRole("textbox", { name: /^Reason/ }).fill("Certified by the fire brigade");
    await checkPage(page, "grant an exemption");
    const granted = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/compliance/exemptions`,
      () => dialog.getByRole("button", { name: "Grant exemption" }).click(),
    );
    expect(granted.status()).toBe(201);
    await page.getByText("Exemption granted.").waitFor();
    await page
      .getByRole("cell", { name: /Certified by the fire brigade/ })
      .first()
      .waitFor();
    await checkPage(page, "exemptions with one");

    await page
      .getByRole("navigation", { name: "Compliance pages" })
      .getByRole("link", { name: "Overview" })
      .click();
    const people = page.getByRole("region", { name: "People" });
    await people.getByText("Exempt: Certified by the fire brigade").waitFor();
    await page.getByRole("combobox", { name: "Status", exact: true }).click();
    await page.getByRole("option", { name: "Exempt" }).click();
    await people.getByText("1 entry").waitFor();
    await people.getByText("Ada Tester").waitFor();
    await checkPage(page, "dashboard filtered to exempt");

    await page
      .getByRole("navigation", { name: "Compliance pages" })
      .getByRole("link", { name: "Exemptions" })
      .click();
    await page
      .getByRole("button", { name: "Revoke exemption of Ada Tester from Fire safety" })
      .click();
    const confirm = page.getByRole("dialog", { name: "Revoke this exemption?" });
    const answered = page.waitForResponse((r) => r.url().endsWith("/revoke"));
    await confirm.getByRole("button", { name: "Revoke" }).click();
    expect((await answered).status()).toBe(200);
    await page.getByText("Exemption revoked.").waitFor();
    await page.getByRole("heading", { name: "No exemptions" }).waitFor();
    const stored = await server.app.system.db
      .selectFrom("compliance_exemptions")
      .select(["revoked_at", "reason"])
      .executeTakeFirstOrThrow();
    expect(stored.reason).toBe("Certified by the fire brigade");
    expect(stored.revoked_at).toBeInstanceOf(Date);
    expect(journey.problems).toEqual([]);
  });
});
