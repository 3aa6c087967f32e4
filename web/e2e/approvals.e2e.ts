import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * Two learners ask to be exempted from required training (the organization's built-in
 * exemption approval). Their compliance officer opens Approvals from the navigation, looks at
 * one request's execution page and its history, goes back, rejects one with a note and
 * approves the other; the database keeps the outcome. Every page is checked with axe at
 * 360 px and on a desktop.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let made: Awaited<ReturnType<typeof makeOrganization>>;
const executions: Record<"Ada" | "Grace" | "Linus", string> = { Ada: "", Grace: "", Linus: "" };
const ADA = "Exemption of Ada Person from Fire safety";
const GRACE = "Exemption of Grace Person from Fire safety";
const LINUS = "Exemption of Linus Person from Fire safety";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  made = await makeOrganization(server.app, {
    name: "Approving Works",
    people: [
      { key: "officer", roles: ["learner", "compliance-officer"] },
      { key: "Ada", roles: ["learner"] },
      { key: "Grace", roles: ["learner"] },
      { key: "Linus", roles: ["learner"] },
    ],
  });
  const orgId = made.org.id;
  const course = await publishedCourse(server.app, {
    code: "FIRE-1",
    title: "Fire safety basics",
    instructorId: made.people.admin.user.id,
    organizationId: orgId,
  });
  const requirement = await server.app.http.post(
    `/api/v1/organizations/${orgId}/compliance/requirements`,
    { name: "Fire safety", jurisdiction: "EU", courseId: course.id, dueDays: 30 },
    made.people.officer,
  );
  expect(requirement.status).toBe(201);
  for (const key of ["Ada", "Grace", "Linus"] as const) {
    const person = made.people[key];
    if (!person) throw new Error(`no ${key}`);
    const asked = await server.app.http.post(
      `/api/v1/organizations/${orgId}/compliance/exemption-requests`,
      {
        requirementId: requirement.body.data.id,
        userId: person.user.id,
        reason: `${key} is a certified fire warden`,
      },
      person,
    );
    expect(asked.status).toBe(201);
    expect(asked.body.data.status).toBe("pending");
    executions[key] = asked.body.data.execution.id;
  }
});

afterAll(async () => {
  await journey?.close();
});

const stored = (id: string) =>
  server.app.system.db
    .selectFrom("workflow_executions")
    .select(["status", "finished_at"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

const exemptionOf = (key: "Ada" | "Grace" | "Linus") =>
  server.app.system.db
    .selectFrom("compliance_exemptions")
    .select(["reason", "approved_by"])
    .where("user_id", "=", made.people[key]?.user.id as string)
    .execute();

describe("Approvals", () => {
  it("shows the officer what waits for a decision, from the navigation", async () => {
    await app.open("/");
    expect((await app.signIn(made.people.officer?.user.email as string, PASSWORD)).status()).toBe(
      200,
    );
    await app.expectHeading("My learning");
    await page
      .getByRole("navigation", { name: "Main navigation" })
      .getByRole("link", { name: "Approvals" })
      .click();
    await app.expectHeading("Approvals");
    const list = page.getByRole("list", { name: "Requests waiting for your decision" });
    await list.getByRole("link", { name: ADA }).waitFor();
    await list.getByRole("link", { name: GRACE }).waitFor();
    await list.getByRole("link", { name: LINUS }).waitFor();
    expect(await list.getByRole("listitem").count()).toBe(3);
    await list.getByText("Compliance exemption approval · About: Ada Person").waitFor();
    await checkPage(page, "approvals, three waiting");
  });

  it("opens a request's execution page with its history, and goes back", async () => {
    await page.getByRole("link", { name: ADA }).click();
    await app.expectHeading(ADA);
    const history = page.getByRole("list", { name: "What happened, oldest first" });
    await history.getByText("Approval requested", { exact: true }).waitFor();
    await history.getByText("Started", { exact: true }).waitFor();
    await page.getByText("Compliance exemption approval, version 1").waitFor();
    await page.getByRole("button", { name: "Approve" }).waitFor();
    // a compliance officer decides, but does not manage workflows
    expect(await page.getByRole("button", { name: "Cancel execution" }).count()).toBe(0);
    await checkPage(page, "execution awaiting approval");
    await page.getByRole("link", { name: "Back to approvals" }).click();
    await app.expectHeading("Approvals");
  });

  it("rejects one request with a note, which the database keeps", async () => {
    await page.getByRole("button", { name: `Reject ${ADA}` }).click();
    const dialog = page.getByRole("dialog", { name: "Reject this request?" });
    await dialog.getByRole("button", { name: "Reject" }).click();
    await dialog.getByText("Give a reason for the rejection").waitFor();
    await dialog.getByRole("textbox", { name: /^Note/ }).fill("No warden certificate on file");
    await checkPage(page, "reject dialog");
    const rejected = await afterResponse(
      page,
      `/api/v1/workflow-executions/${executions.Ada}/reject`,
      () => dialog.getByRole("button", { name: "Reject" }).click(),
    );
    expect(rejected.status()).toBe(200);
    await page.getByText(`Rejected: ${ADA}`).waitFor();
    expect(await page.getByRole("link", { name: ADA }).count()).toBe(0);
    expect(await stored(executions.Ada)).toMatchObject({ status: "rejected" });
    expect(await exemptionOf("Ada")).toEqual([]);
    const note = await server.app.system.db
      .selectFrom("workflow_execution_events")
      .select(["note", "actor_id"])
      .where("execution_id", "=", executions.Ada)
      .where("action", "=", "rejected")
      .where("step", "is not", null)
      .executeTakeFirstOrThrow();
    expect(note).toEqual({
      note: "No warden certificate on file",
      actor_id: made.people.officer?.user.id,
    });
  });

  it("approves one on its execution page and comes back to the inbox", async () => {
    await page.getByRole("link", { name: LINUS }).click();
    await app.expectHeading(LINUS);
    await page.getByRole("button", { name: "Approve" }).click();
    const dialog = page.getByRole("dialog", { name: "Approve this request?" });
    await checkPage(page, "approve dialog");
    const approved = await afterResponse(
      page,
      `/api/v1/workflow-executions/${executions.Linus}/approve`,
      () => dialog.getByRole("button", { name: "Approve" }).click(),
    );
    expect(approved.status()).toBe(200);
    await app.expectHeading("Approvals");
    await page.getByText(`Approved: ${LINUS}`).waitFor();
    expect(await page.getByRole("link", { name: LINUS }).count()).toBe(0);
    expect(await stored(executions.Linus)).toMatchObject({ status: "completed" });
    expect(await exemptionOf("Linus")).toEqual([
      { reason: "Linus is a certified fire warden", approved_by: made.people.officer?.user.id },
    ]);
  });

  it("approves the last with a note, which records the exemption, and the inbox is empty", async () => {
    await page.getByRole("button", { name: `Approve ${GRACE}` }).click();
    const dialog = page.getByRole("dialog", { name: "Approve this request?" });
    await dialog.getByRole("textbox", { name: /^Note/ }).fill("Certificate seen");
    const approved = await afterResponse(
      page,
      `/api/v1/workflow-executions/${executions.Grace}/approve`,
      () => dialog.getByRole("button", { name: "Approve" }).click(),
    );
    expect(approved.status()).toBe(200);
    await page.getByText(`Approved: ${GRACE}`).waitFor();
    await page.getByRole("heading", { name: "Nothing waits for your decision" }).waitFor();
    expect(await stored(executions.Grace)).toMatchObject({
      status: "completed",
      finished_at: expect.any(Date),
    });
    expect(await exemptionOf("Grace")).toEqual([
      { reason: "Grace is a certified fire warden", approved_by: made.people.officer?.user.id },
    ]);
    await checkPage(page, "approvals, empty");
  });

  it("no longer shows the officer a decided execution: it is not found", async () => {
    await app.open(`/workflows/executions/${executions.Grace}`);
    await app.expectHeading("Execution not found");
    await page.getByRole("link", { name: "Back to approvals" }).waitFor();
    await checkPage(page, "execution not found");
  });

  it("shows the person it is about the decided execution and its history, without decisions", async () => {
    const grace = await journey.newPage();
    const theirs = new Lyceum(grace, server.url);
    await theirs.open("/");
    expect((await theirs.signIn(made.people.Grace?.user.email as string, PASSWORD)).status()).toBe(
      200,
    );
    await theirs.expectHeading("My learning");
    await theirs.open(`/workflows/executions/${executions.Grace}`);
    await theirs.expectHeading(GRACE);
    const history = grace.getByRole("list", { name: "What happened, oldest first" });
    await history.getByText("Note: Certificate seen").waitFor();
    await history.getByText("Who: officer Person").waitFor();
    expect(await grace.getByRole("button", { name: "Approve" }).count()).toBe(0);
    expect(await grace.getByRole("button", { name: "Cancel execution" }).count()).toBe(0);
    await checkPage(grace, "execution completed, as its subject");
  });
});
