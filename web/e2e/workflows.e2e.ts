import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember } from "../../src/modules/organizations/service.js";
import { startExecution } from "../../src/modules/workflows/engine.js";
import { makeOrganization, makeUser, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator manages workflows: opens them from the navigation and finds
 * the built-in approvals, creates a workflow started by an enrollment with a notification and
 * a wait (a condition pointing backwards is refused first, on its step), saves a second
 * version, turns on the course publication approval, and filters the executions by status.
 * Every page is checked with axe at 360 px and on a desktop.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let adminEmail = "";
let learnerId = "";
let workflowId = "";
const NAME = "Enrollment welcome";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Flow Works" });
  orgId = made.org.id;
  adminEmail = made.people.admin.user.email;
  const learner = await makeUser(server.app, { firstName: "Ada", lastName: "Tester" });
  learnerId = learner.id;
  await addMember(server.app.system, orgId, { userId: learner.id, roleKeys: ["learner"] });
});

afterAll(async () => {
  await journey?.close();
});

/** Picks `option` in a Mantine select labelled `label` within `scope`. */
async function choose(scope: Locator | Page, label: string | RegExp, option: string | RegExp) {
  await scope.getByRole("combobox", { name: label }).click();
  await page
    .getByRole("option", { name: option, exact: typeof option === "string" })
    .first()
    .click();
}

function step(number: number, type: string) {
  return page.getByRole("listitem", { name: `Step ${number}: ${type}` });
}

async function stored() {
  return server.app.system.db
    .selectFrom("workflow_definitions")
    .select(["name", "builtin", "trigger_type", "trigger_event", "steps", "version", "is_enabled"])
    .where("organization_id", "=", orgId)
    .orderBy("name")
    .execute();
}

describe("Workflows", () => {
  it("opens the workflows from the navigation with the built-in approvals", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page
      .getByRole("navigation", { name: "Main navigation" })
      .getByRole("link", { name: "Workflows" })
      .click();
    await app.expectHeading("Workflows");
    await page.getByRole("link", { name: "Compliance exemption approval" }).waitFor();
    await page.getByRole("link", { name: "Enrollment approval" }).waitFor();
    const publication = page.getByRole("row", { name: /Course publication approval/ });
    await publication.getByText("Built-in").waitFor();
    expect(
      await publication
        .getByRole("switch", { name: "Turn on Course publication approval" })
        .isChecked(),
    ).toBe(false);
    await checkPage(page, "workflows");
  });

  it("refuses a condition pointing backwards on its step, then creates the workflow", async () => {
    await page.getByRole("link", { name: "New workflow" }).click();
    await app.expectHeading("New workflow");
    await page.getByRole("textbox", { name: /^Name/ }).fill(NAME);
    await page.getByRole("textbox", { name: "Description" }).fill("Greets and waits");
    await choose(page, /^Event/, "A person is enrolled in a course");
    await page.getByRole("button", { name: "Add notification" }).click();
    await step(1, "Notification")
      .getByRole("textbox", { name: /^Message/ })
      .fill("Welcome aboard");
    await page.getByRole("button", { name: "Add wait" }).click();
    await step(2, "Wait")
      .getByRole("textbox", { name: /^Wait \(hours\)/ })
      .fill("48");
    await page.getByRole("button", { name: "Add condition" }).click();
    const condition = step(3, "Condition");
    await condition.getByRole("combobox", { name: /^Field/ }).fill("source");
    await condition.getByRole("textbox", { name: "Value" }).fill("self");
    await choose(condition, /^When it holds, go on with/, "Step 1 (Notification)");
    await checkPage(page, "new workflow form");
    const refused = await afterResponse(page, `/api/v1/organizations/${orgId}/workflows`, () =>
      page.getByRole("button", { name: "Create workflow" }).click(),
    );
    expect(refused.status()).toBe(400);
    await condition
      .getByRole("alert")
      .getByText("Step 3 (condition): thenStep must point to a later step (counted from 0)")
      .waitFor();
    await page.getByText("Not saved: step 3 needs a change (see the step).").waitFor();
    // nothing but the three built-in approvals
    expect((await stored()).every((r) => r.builtin)).toBe(true);
    await checkPage(page, "new workflow refused");

    await page.getByRole("button", { name: "Remove step 3" }).click();
    const created = await afterResponse(page, `/api/v1/organizations/${orgId}/workflows`, () =>
      page.getByRole("button", { name: "Create workflow" }).click(),
    );
    expect(created.status()).toBe(201);
    workflowId = ((await created.json()) as { data: { id: string } }).data.id;
    await app.expectHeading(NAME);
    await page.getByText("Workflow created.").waitFor();
    const rows = await stored();
    expect(rows.find((r) => r.name === NAME)).toEqual({
      name: NAME,
      builtin: null,
      trigger_type: "event",
      trigger_event: "enrollment.created",
      steps: [
        { type: "notification", recipient: { kind: "subject" }, message: "Welcome aboard" },
        { type: "wait", hours: 48 },
      ],
      version: 1,
      is_enabled: true,
    });
  });

  it("saves an edit as version 2, listed under Versions", async () => {
    await step(2, "Wait")
      .getByRole("textbox", { name: /^Wait \(hours\)/ })
      .fill("24");
    const saved = await afterResponse(page, `/api/v1/workflows/${workflowId}`, () =>
      page.getByRole("button", { name: "Save as a new version" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Saved as version 2.").waitFor();
    const versions = page.getByRole("region", { name: "Versions" });
    await versions.getByRole("cell", { name: "Version 2", exact: true }).waitFor();
    await versions.getByRole("cell", { name: "Version 1", exact: true }).waitFor();
    const row = (await stored()).find((r) => r.name === NAME);
    expect(row?.version).toBe(2);
    expect(row?.steps[1]).toEqual({ type: "wait", hours: 24 });
    const history = await server.app.system.db
      .selectFrom("workflow_definition_versions")
      .select(["version", "trigger_event"])
      .where("definition_id", "=", workflowId)
      .orderBy("version")
      .execute();
    expect(history).toEqual([
      { version: 1, trigger_event: "enrollment.created" },
      { version: 2, trigger_event: "enrollment.created" },
    ]);
    await checkPage(page, "workflow with two versions");
  });

  it("turns on the course publication approval", async () => {
    await page.getByRole("link", { name: "All workflows" }).click();
    await app.expectHeading("Workflows");
    const toggle = page.getByRole("switch", { name: "Turn on Course publication approval" });
    const id = await publicationId();
    const turned = await afterResponse(page, `/api/v1/workflows/${id}`, () =>
      toggle.click({ force: true }),
    );
    expect(turned.status()).toBe(200);
    await expect.poll(() => toggle.isChecked()).toBe(true);
    const builtin = (await stored()).find((r) => r.builtin === "course-publication");
    expect(builtin?.is_enabled).toBe(true);
  });

  it("keeps a workflow that ran: deleting it is refused", async () => {
    const definition = await server.app.system.db
      .selectFrom("workflow_definitions")
      .selectAll()
      .where("id", "=", workflowId)
      .executeTakeFirstOrThrow();
    const execution = await startExecution(
      server.app.system,
      definition,
      { trigger: "manual", subjectUserId: learnerId },
      { advance: true },
    );
    expect(execution.status).toBe("waiting");
    await page.getByRole("link", { name: NAME }).click();
    await app.expectHeading(NAME);
    await page.getByRole("button", { name: "Delete workflow" }).click();
    const dialog = page.getByRole("dialog", { name: `Delete ${NAME}?` });
    const refused = await afterResponse(page, `/api/v1/workflows/${workflowId}`, () =>
      dialog.getByRole("button", { name: "Delete workflow" }).click(),
    );
    expect(refused.status()).toBe(409);
    await page
      .getByText("The workflow has executions whose history must stay; turn it off instead")
      .waitFor();
    expect((await stored()).some((r) => r.name === NAME)).toBe(true);
  });

  it("lists the executions filtered by status", async () => {
    await page.getByRole("link", { name: "All workflows" }).click();
    await page
      .getByRole("navigation", { name: "Workflow pages" })
      .getByRole("link", { name: "Executions" })
      .click();
    await app.expectHeading("Workflow executions");
    await page.getByRole("link", { name: NAME }).waitFor();
    const filtered = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/workflow-executions`,
      () => choose(page, "Status", "Completed"),
    );
    expect(new URL(filtered.url()).searchParams.get("status")).toBe("completed");
    expect(new URL(page.url()).searchParams.get("status")).toBe("completed");
    await page.getByRole("heading", { name: "No executions" }).waitFor();
    await checkPage(page, "executions, none completed");
    await choose(page, "Status", "Waiting");
    expect(new URL(page.url()).searchParams.get("status")).toBe("waiting");
    const row = page.getByRole("row", { name: new RegExp(NAME) });
    await row.getByText("Waiting").waitFor();
    await row.getByText("At step 2").waitFor();
    await row.getByText(/^Ada Tester/).waitFor();
    await page.getByText("1 execution").waitFor();
    expect(await row.getByRole("link", { name: NAME }).getAttribute("href")).toMatch(
      /^\/workflows\/executions\/[0-9a-f-]{36}$/,
    );
    await checkPage(page, "executions, waiting");
  });
});

async function publicationId(): Promise<string> {
  const row = await server.app.system.db
    .selectFrom("workflow_definitions")
    .select("id")
    .where("organization_id", "=", orgId)
    .where("builtin", "=", "course-publication")
    .executeTakeFirstOrThrow();
  return row.id;
}
