import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator writes the organization's own in-app text of "course
 * completed", sees the server's preview and an unknown variable refused at its field, and
 * submits it; they may not approve it themselves. A second administrator approves it; the
 * next such notification reads the new text under the bell, and the delivery log lists it.
 * Every page is checked with axe, at 360 px and wide.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let author = { email: "", id: "" };
let approver = { email: "", id: "", firstName: "" };

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, {
    name: "Notice Works",
    people: [{ key: "Second", roles: ["org-admin"] }],
  });
  orgId = made.org.id;
  author = { email: made.people.admin.user.email, id: made.people.admin.user.id };
  const second = made.people.Second;
  if (!second) throw new Error("no second administrator");
  approver = { email: second.user.email, id: second.user.id, firstName: second.user.first_name };
});

afterAll(async () => {
  await journey?.close();
});

async function chooseLine() {
  await page.getByLabel("Notification type").selectOption("course-completed");
  await page.getByLabel("Channel").selectOption("in-app");
  await page.getByLabel("Language").selectOption("en");
}

describe("Notification templates", () => {
  it("writes an override with a live preview and submits it; the author cannot approve", async () => {
    await app.open("/");
    expect((await app.signIn(author.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/organization/notifications?org=${orgId}`);
    await app.expectHeading("Notification texts");
    await page.getByRole("switch", { name: /Track opened mails/ }).waitFor();
    await page.getByRole("heading", { name: "Built-in text" }).waitFor();
    await checkPage(page, "notification texts");

    await chooseLine();
    await page.getByText("No versions yet").waitFor();
    const subject = page.getByRole("textbox", { name: /^Subject/ });
    const body = page.getByRole("textbox", { name: /^Text/ });
    await subject.fill("Bravo {{firstName}}: {{courseTitle}} is done");
    await body.fill("You scored {{score}}.");
    await page.getByText(/Unknown variable \{\{score\}\} in body/).waitFor();
    expect(await body.getAttribute("aria-invalid")).toBe("true");
    await body.fill("{{#if courseTitle}}Your certificate follows.{{/if}}");
    const preview = page.getByTestId("template-preview");
    await preview.getByText("Bravo [firstName]: [courseTitle] is done").waitFor();
    await preview.getByText("Your certificate follows.").waitFor();
    expect(await body.getAttribute("aria-invalid")).not.toBe("true");
    await checkPage(page, "notification text with a preview");

    const submitted = page.waitForResponse((r) => r.url().endsWith("/submit"));
    await page.getByRole("button", { name: "Save and submit for approval" }).click();
    expect((await submitted).status()).toBe(200);
    await page.getByText("Version 1 saved and submitted for approval.").waitFor();
    const version = page.getByRole("listitem").filter({ hasText: "Version 1" });
    await version.getByText("Waiting for approval").waitFor();
    await version.getByText(/You wrote this version, so you cannot approve it/).waitFor();
    expect(await version.getByRole("button", { name: "Approve Version 1" }).count()).toBe(0);
    const stored = await server.app.system.db
      .selectFrom("notification_templates")
      .select(["status", "subject", "created_by", "version"])
      .where("organization_id", "=", orgId)
      .execute();
    expect(stored).toEqual([
      {
        status: "pending-approval",
        subject: "Bravo {{firstName}}: {{courseTitle}} is done",
        created_by: author.id,
        version: 1,
      },
    ]);
    await checkPage(page, "notification text waiting for approval");
    await app.signOut("Org Admin");
  });

  it("a second administrator approves it, and the next notification reads the new text", async () => {
    await app.open("/");
    expect((await app.signIn(approver.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/organization/notifications?org=${orgId}`);
    await app.expectHeading("Notification texts");
    await chooseLine();
    const version = page.getByRole("listitem").filter({ hasText: "Version 1" });
    const approved = await afterResponse(
      page,
      `/api/v1/notification-templates/${
        (
          await server.app.system.db
            .selectFrom("notification_templates")
            .select("id")
            .where("organization_id", "=", orgId)
            .executeTakeFirstOrThrow()
        ).id
      }/approve`,
      () => version.getByRole("button", { name: "Approve Version 1" }).click(),
    );
    expect(approved.status()).toBe(200);
    await version.getByText("Live").waitFor();
    await page
      .getByRole("region", { name: "In use now" })
      .getByText("Your organization's")
      .waitFor();
    await checkPage(page, "notification text approved");

    const { notify } = await import("../../src/modules/notifications/notify.js");
    await notify(server.app.system, {
      userId: approver.id,
      organizationId: orgId,
      type: "course-completed",
      variables: { courseTitle: "Safety Basics", firstName: approver.firstName },
      actionPath: "/my-learning",
    });
    await app.open("/notifications");
    await app.expectHeading("Notifications");
    await page.getByText(`Bravo ${approver.firstName}: Safety Basics is done`).first().waitFor();
    await page.getByText("Your certificate follows.").first().waitFor();
  });

  it("lists the message in the delivery log, filtered by channel", async () => {
    await app.open(`/organization/notification-log?org=${orgId}`);
    await app.expectHeading("Notification delivery log");
    const table = page.getByRole("table", { name: "Messages sent" });
    await table.getByText("A course was completed").first().waitFor();
    await page.getByRole("combobox", { name: "Channel" }).click();
    const filtered = page.waitForResponse(
      (r) => r.url().includes("/notification-deliveries") && r.url().includes("channel=in-app"),
    );
    await page.getByRole("option", { name: "In app" }).click();
    expect((await filtered).status()).toBe(200);
    await page.getByText("1 message", { exact: true }).waitFor();
    const row = table.getByRole("row").filter({ hasText: "A course was completed" });
    await row.getByText("In app · en · version 1").waitFor();
    await row.getByText("Sent", { exact: true }).waitFor();
    expect(await table.getByText(/^Email ·/).count()).toBe(0);
    const logged = await server.app.system.db
      .selectFrom("notification_deliveries")
      .select(["channel", "status", "template_version"])
      .where("organization_id", "=", orgId)
      .where("channel", "=", "in-app")
      .execute();
    expect(logged).toEqual([{ channel: "in-app", status: "sent", template_version: 1 }]);
    await checkPage(page, "delivery log");
  });

  it("offers SMS, push and the email timing among a person's preferences", async () => {
    await app.open("/account/notifications");
    await app.expectHeading("Notification preferences");
    await page.getByLabel("Email timing", { exact: true }).first().selectOption("daily");
    await page.getByRole("checkbox", { name: "SMS: You completed a course" }).check();
    const saved = await afterResponse(page, "/api/v1/notifications/preferences", () =>
      page.getByRole("button", { name: "Save preferences" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Your notification preferences are saved.").waitFor();
    const stored = await server.app.system.db
      .selectFrom("notification_preferences")
      .select(["digest", "preferences"])
      .where("user_id", "=", approver.id)
      .executeTakeFirstOrThrow();
    expect(stored.digest).toBe("daily");
    expect(stored.preferences?.["course-completed"]).toMatchObject({ sms: true, digest: "daily" });
    await checkPage(page, "notification preferences");
  });
});
