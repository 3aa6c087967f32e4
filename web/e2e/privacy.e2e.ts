import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleIdByKey } from "../../src/modules/access/provision.js";
import { makeOrganization, PASSWORD } from "../../test/factories.js";
import { drainJobs } from "../../test/jobs.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * Privacy in the browser: an administrator sets a retention policy, marks an overdue review
 * and sees a dry run; reads a member's profile and finds the read in the access logs; files
 * an export request for the member, processes it and downloads the ZIP; sees a restricted member
 * without a name among the learners and marked on their page. The member then turns
 * off what managers see, finds who looked at their data, and downloads their own export.
 * Every page is checked with axe at 360 and 1440 px.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let adminEmail = "";
let learnerEmail = "";
let learnerId = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, {
    name: "Quiet Harbour",
    people: [{ key: "Lea", roles: ["learner"] }],
  });
  orgId = made.org.id;
  adminEmail = made.people.admin.user.email;
  const lea = made.people.Lea;
  if (!lea) throw new Error("the learner was not made");
  learnerEmail = lea.user.email;
  learnerId = lea.user.id;
  // The administrator also runs the platform: they may carry a request out at once.
  const roleId = await roleIdByKey(server.app.system.db, null, "platform-admin");
  await server.app.system.db
    .insertInto("user_roles")
    .values({ user_id: made.people.admin.user.id, role_id: roleId as string })
    .execute();
});

afterAll(async () => {
  await journey?.close();
});

/** Clicks and returns the file the browser downloads. */
async function download(act: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const file = page.waitForEvent("download");
  await act();
  const done = await file;
  const { readFile } = await import("node:fs/promises");
  return { name: done.suggestedFilename(), bytes: await readFile(await done.path()) };
}

describe("Privacy", () => {
  it("sets a retention policy, marks an overdue review and shows a dry run", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/organization/settings?org=${orgId}`);
    await page
      .getByRole("navigation", { name: "Organization pages" })
      .getByRole("link", { name: "Data retention" })
      .click();
    await app.expectHeading("Data retention");
    const card = page.getByRole("region", { name: "Learning activity" });
    await card.getByText("No policy: kept.").waitFor();
    await page.getByRole("heading", { name: "No runs yet" }).waitFor();
    await checkPage(page, "retention, no policies");

    await card.getByRole("textbox", { name: /^Keep for \(days\)/ }).fill("10");
    await card.getByRole("button", { name: "Save policy: Learning activity" }).click();
    await card.getByText("At least 30 days for this category.").waitFor();
    await card.getByRole("textbox", { name: /^Keep for \(days\)/ }).fill("90");
    await card.getByRole("textbox", { name: /^Review every \(days\)/ }).fill("180");
    const saved = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/retention-policies`,
      () => card.getByRole("button", { name: "Save policy: Learning activity" }).click(),
    );
    expect(saved.status()).toBe(200);
    await card.getByText("Policy for Learning activity saved.").waitFor();
    await card.getByText("Delete after 90 days").waitFor();
    const stored = await server.app.system.db
      .selectFrom("retention_policies")
      .select(["category", "action", "retain_days", "review_every_days", "enabled"])
      .where("organization_id", "=", orgId)
      .execute();
    expect(stored).toEqual([
      {
        category: "learning-events",
        action: "delete",
        retain_days: 90,
        review_every_days: 180,
        enabled: true,
      },
    ]);

    // A review falls due: the policy is flagged until it is marked reviewed.
    await server.app.system.db
      .updateTable("retention_policies")
      .set({ next_review_at: new Date(Date.now() - 86_400_000) })
      .where("organization_id", "=", orgId)
      .execute();
    await page.reload();
    await app.expectHeading("Data retention");
    await page.getByText("1 policy is due for review.").waitFor();
    await card.getByText("Review overdue").waitFor();
    await checkPage(page, "retention, review overdue");
    await card.getByRole("button", { name: "Mark reviewed: Learning activity" }).click();
    await card.getByText("Policy for Learning activity marked reviewed.").waitFor();
    expect(await card.getByText("Review overdue").count()).toBe(0);

    const dry = await afterResponse(page, `/api/v1/organizations/${orgId}/retention/dry-run`, () =>
      page.getByRole("button", { name: "Show a dry run" }).click(),
    );
    const planned = (await dry.json()) as {
      data: Array<{ category: string; action: string | null; affected: number }>;
    };
    const table = page.getByRole("table", { name: "What a run would do now" });
    const row = table.getByRole("row", { name: /Learning activity/ });
    await row.getByRole("cell", { name: "Delete" }).waitFor();
    const learning = planned.data.find((r) => r.category === "learning-events");
    expect(learning).toMatchObject({ action: "delete" });
    await row.getByRole("cell", { name: String(learning?.affected), exact: true }).waitFor();
    await table
      .getByRole("row", { name: /Audit log/ })
      .getByRole("cell", { name: "None" })
      .waitFor();
    await checkPage(page, "retention, dry run");
  });

  it("finds a read of a member's profile in the access logs", async () => {
    await app.open(`/people/${learnerId}?org=${orgId}`);
    await app.expectHeading("Lea Person");
    await app.open(`/organization/access-logs?org=${orgId}`);
    await app.expectHeading("Access logs");
    // the picker searches the organization's members on the server
    await page.getByRole("combobox", { name: "Whose data" }).fill("Lea");
    await page.getByRole("option", { name: `Lea Person (${learnerEmail})` }).click();
    const table = page.getByRole("table", { name: "Access logs" });
    const row = table.getByRole("row", { name: /Member profile/ });
    await row.getByText("Org Admin").waitFor();
    await row.getByRole("cell", { name: "Lea Person" }).waitFor();
    expect(page.url()).toContain(`subject=${learnerId}`);
    await checkPage(page, "access logs, filtered");
  });

  it("files and processes an export request and downloads the ZIP", async () => {
    await app.open(`/organization/privacy-requests?org=${orgId}`);
    await app.expectHeading("Data subject requests");
    await page.getByRole("heading", { name: "No requests" }).waitFor();
    await checkPage(page, "data requests, empty");

    await page.getByRole("button", { name: "New request" }).click();
    const dialog = page.getByRole("dialog", { name: "New data subject request" });
    await dialog.getByRole("combobox", { name: /^Person/ }).fill("Person");
    await page.getByRole("option", { name: `Lea Person (${learnerEmail})` }).click();
    await dialog.getByRole("radio", { name: /^Erasure/ }).check();
    await dialog.getByRole("textbox", { name: /Type Lea Person to confirm/ }).waitFor();
    expect(await dialog.getByRole("button", { name: "File request" }).isDisabled()).toBe(true);
    await checkPage(page, "new request, erasure asks for the name");
    await dialog.getByRole("radio", { name: /^Export/ }).check();
    await dialog.getByRole("textbox", { name: /^Reason/ }).fill("Asked by mail");
    const created = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/privacy-requests`,
      () => dialog.getByRole("button", { name: "File request" }).click(),
    );
    expect(created.status()).toBe(201);
    const requestId = ((await created.json()) as { data: { id: string } }).data.id;
    await page.getByText("Request filed.").waitFor();
    const table = page.getByRole("table", { name: "Data subject requests" });
    await table.getByText("Requested", { exact: true }).waitFor();

    const processed = await afterResponse(
      page,
      `/api/v1/privacy-requests/${requestId}/process`,
      () => table.getByRole("button", { name: "Process now: Export about Lea Person" }).click(),
    );
    expect(processed.status()).toBe(200);
    await page.getByText("Request processed.").waitFor();
    await table.getByText("Completed", { exact: true }).waitFor();
    await checkPage(page, "data requests, export ready");
    const zip = await download(() =>
      table.getByRole("button", { name: "Download ZIP: export about Lea Person" }).click(),
    );
    expect(zip.name).toBe(`lyceum-data-${requestId}.zip`);
    expect([...zip.bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(zip.bytes.includes(Buffer.from("manifest.json"))).toBe(true);

    // An erasure cannot be undone: processing it asks first. Cancelled here, then rejected.
    await page.getByRole("button", { name: "New request" }).click();
    await dialog.getByRole("combobox", { name: /^Person/ }).click();
    await page.getByRole("option", { name: `Lea Person (${learnerEmail})` }).click();
    await dialog.getByRole("radio", { name: /^Erasure/ }).check();
    await dialog.getByRole("textbox", { name: /Type Lea Person to confirm/ }).fill("Lea Person");
    await dialog.getByRole("textbox", { name: /^Reason/ }).fill("Asked to be forgotten");
    const erasure = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/privacy-requests`,
      () => dialog.getByRole("button", { name: "File request" }).click(),
    );
    expect(erasure.status()).toBe(201);
    const erasureId = ((await erasure.json()) as { data: { id: string } }).data.id;
    await table.getByRole("button", { name: "Process now: Erasure about Lea Person" }).click();
    const confirm = page.getByRole("dialog", { name: "Erase this person's data?" });
    await confirm.getByText("This cannot be undone.", { exact: false }).waitFor();
    await checkPage(page, "data requests, erasure asks first");
    // The close icon is labelled Cancel too; this is the button with the word on it.
    await confirm.getByRole("button", { name: "Cancel" }).filter({ hasText: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    const rejected = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/privacy-requests/${erasureId}/reject`,
      async () => {
        await table.getByRole("button", { name: "Reject: Erasure about Lea Person" }).click();
        const note = page.getByRole("dialog", { name: "Reject this request" });
        await note.getByRole("textbox", { name: /Why it is rejected/ }).fill("Filed by mistake");
        await note.getByRole("button", { name: "Reject" }).click();
      },
    );
    expect(rejected.status()).toBe(200);
    const stored = await server.app.system.db
      .selectFrom("privacy_requests")
      .select(["status", "completed_at"])
      .where("id", "=", erasureId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: "rejected", completed_at: null });
  });

  it("lets the learner choose what managers see, see who looked, and download their data", async () => {
    await app.signOut("Org Admin");
    await app.open("/");
    expect((await app.signIn(learnerEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("button", { name: "Account menu for Lea Person" }).click();
    await page.getByRole("menuitem", { name: "Privacy" }).click();
    await app.expectHeading("Privacy");
    const scores = page.getByRole("switch", { name: "My quiz scores and grades" });
    expect(await scores.isChecked()).toBe(true);
    const put = await afterResponse(page, "/api/v1/users/me/privacy", () => scores.click());
    expect(put.status()).toBe(200);
    await page.getByText("Privacy settings saved.").waitFor();
    expect(await scores.isChecked()).toBe(false);
    const settings = await server.app.system.db
      .selectFrom("privacy_settings")
      .selectAll()
      .where("user_id", "=", learnerId)
      .executeTakeFirstOrThrow();
    expect(settings).toMatchObject({ show_scores: false, show_activity: true });

    const looked = page.getByRole("table", { name: "Who looked at my data" });
    const row = looked.getByRole("row", { name: /Org Admin/ });
    await row.getByText("Quiet Harbour").waitFor();
    await row.getByRole("cell", { name: "Member profile" }).waitFor();
    await checkPage(page, "my privacy");

    await page.getByText("You have not asked for a copy yet.").waitFor();
    const asked = await afterResponse(page, "/api/v1/users/me/privacy-requests", () =>
      page.getByRole("button", { name: "Request my data" }).click(),
    );
    expect(asked.status()).toBe(201);
    await page.getByText("Your export is being prepared.").waitFor();
    await drainJobs(server.app, ["privacy.process-request"]);
    const button = page.getByRole("button", { name: /^Download ZIP: requested/ });
    await button.waitFor();
    const zip = await download(() => button.click());
    expect([...zip.bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    await page.setViewportSize({ width: 360, height: 800 });
    await checkPage(page, "my privacy with an export");
  });

  it("leaves a restricted member's name out of the learners list and marks their member page", async () => {
    await app.signOut("Lea Person");
    await app.signIn(adminEmail, PASSWORD);
    // A restriction in force (as processing one leaves it; its screens are tested above).
    const restriction = await server.app.system.db
      .insertInto("privacy_requests")
      .values({
        organization_id: orgId,
        type: "restriction",
        status: "completed",
        subject_user_id: learnerId,
        reason: "Contests the accuracy of the records",
        completed_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await app.open(`/learners?org=${orgId}`);
    await app.expectHeading("Learners");
    const row = page.getByRole("row", { name: /Restricted person/ });
    await row.getByText("Details withheld while a data request restricts processing").waitFor();
    expect(await row.getByRole("link").count()).toBe(0);
    expect(await page.getByText("Lea Person").count()).toBe(0);
    await checkPage(page, "learners, one restricted");
    await app.open(`/people/${learnerId}?org=${orgId}`);
    await app.expectHeading("Lea Person");
    await page.getByText("Processing restricted", { exact: true }).waitFor();
    await checkPage(page, "member page, restricted");
    await server.app.system.db
      .updateTable("privacy_requests")
      .set({ status: "lifted" })
      .where("id", "=", restriction.id)
      .execute();
  });
});
