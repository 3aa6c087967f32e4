import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The platform administrator: an organization created with its first administrator, an
 * account suspended and reactivated, a lookup value added and deactivated, and the jobs, mail
 * and health pages; a person without the role sees none of it.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let operator = { email: "", name: "" };
let founder = { id: "", email: "" };

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const admin = await makeUser(server.app, {
    firstName: "Pat",
    lastName: "Operator",
    platformAdmin: true,
  });
  operator = { email: admin.email, name: "Pat Operator" };
  const user = await makeUser(server.app, { firstName: "Frida", lastName: "Founder" });
  founder = { id: user.id, email: user.email };
});

afterAll(async () => {
  await journey?.close();
});

describe("Platform", () => {
  it("creates an organization with its first administrator", async () => {
    await app.open("/");
    expect((await app.signIn(operator.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("link", { name: "Platform" }).first().click();
    await app.expectHeading("Organizations");
    await page.getByRole("button", { name: "Create an organization" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an organization" });
    await dialog.getByRole("textbox", { name: /^Name/ }).fill("Harbor Academy");
    await dialog.getByLabel("First administrator's email").fill(founder.email);
    await dialog.getByRole("textbox", { name: /^Seats/ }).fill("50");
    await checkPage(page, "create an organization");
    const created = await afterResponse(page, "/api/v1/organizations", () =>
      dialog.getByRole("button", { name: "Create an organization" }).click(),
    );
    expect(created.status()).toBe(201);
    await page.getByText("Harbor Academy was created.").waitFor();
    await page
      .getByRole("row", { name: /Harbor Academy/ })
      .getByText(/ of 50 used$/)
      .waitFor();
    const member = await server.app.system.db
      .selectFrom("organization_members as m")
      .innerJoin("organizations as o", "o.id", "m.organization_id")
      .select("o.seats_purchased")
      .where("o.name", "=", "Harbor Academy")
      .where("m.user_id", "=", founder.id)
      .executeTakeFirst();
    expect(member?.seats_purchased).toBe(50);
    await checkPage(page, "organizations");
  });

  it("suspends an account and reactivates it", async () => {
    const tabs = page.getByRole("navigation", { name: "Platform pages" });
    await tabs.getByRole("link", { name: "Accounts" }).click();
    await app.expectHeading("Accounts");
    await page.getByLabel("Search").fill("Frida");
    const row = page.getByRole("row", { name: /Frida Founder/ });
    await row.getByText("Harbor Academy").waitFor();
    await row.getByRole("button", { name: "Suspend Frida Founder" }).click();
    const confirm = page.getByRole("dialog", { name: "Suspend Frida Founder?" });
    await confirm.waitFor();
    await checkPage(page, "suspend an account");
    await confirm.getByRole("button", { name: "Suspend" }).click();
    await page.getByText("Frida Founder is suspended and signed out everywhere.").waitFor();
    await row.getByText("Suspended").waitFor();
    const status = () =>
      server.app.system.db
        .selectFrom("users")
        .select("status")
        .where("id", "=", founder.id)
        .executeTakeFirstOrThrow();
    expect((await status()).status).toBe("suspended");
    await row.getByRole("button", { name: "Reactivate Frida Founder" }).click();
    await page.getByText("Frida Founder can sign in again.").waitFor();
    expect((await status()).status).toBe("active");
  });

  it("adds a lookup value and deactivates it", async () => {
    const tabs = page.getByRole("navigation", { name: "Platform pages" });
    await tabs.getByRole("link", { name: "Lookup values" }).click();
    await app.expectHeading("Lookup values");
    await page.getByRole("heading", { name: "Values of activity-event" }).waitFor();
    await page.getByRole("textbox", { name: /^Shown as/ }).fill("Webinar attended");
    expect(await page.getByRole("textbox", { name: /^Key/ }).inputValue()).toBe("webinar-attended");
    await page.getByRole("button", { name: "Add the value" }).click();
    await page.getByText("Webinar attended was added.").waitFor();
    const row = page.getByRole("row", { name: /Webinar attended/ });
    await row.getByRole("button", { name: "Deactivate Webinar attended" }).click();
    await row.getByText("Inactive").waitFor();
    const stored = await server.app.system.db
      .selectFrom("lookup_values")
      .select(["is_active", "organization_id"])
      .where("category", "=", "activity-event")
      .where("key", "=", "webinar-attended")
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ is_active: false, organization_id: null });
    await checkPage(page, "lookup values");
  });

  it("shows the jobs, the mail outbox and the server's health", async () => {
    const tabs = page.getByRole("navigation", { name: "Platform pages" });
    await tabs.getByRole("link", { name: "Jobs" }).click();
    await app.expectHeading("Jobs");
    await page.getByRole("combobox", { name: "Status" }).waitFor();
    await checkPage(page, "jobs");
    await tabs.getByRole("link", { name: "Mail" }).click();
    await app.expectHeading("Mail");
    await page.getByLabel("Recipient").fill("nobody-here@");
    await page.getByRole("heading", { name: "Nothing here" }).waitFor();
    await checkPage(page, "mail outbox");
    await tabs.getByRole("link", { name: "Health" }).click();
    await app.expectHeading("Health");
    // The test server answers requests without having been started as a whole (no worker,
    // no scheduler), so it reports itself not ready, and the page says why.
    await page.getByText("Not ready: Starting up or shutting down").waitFor();
    await page.getByText("Running for").waitFor();
    await checkPage(page, "health");
  });

  it("shows no Platform entry to someone without the role", async () => {
    await app.signOut(operator.name);
    expect((await app.signIn(founder.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await nav.getByRole("link", { name: "Catalog" }).first().waitFor({ state: "attached" });
    expect(await nav.getByRole("link", { name: "Platform" }).count()).toBe(0);
    await app.open("/platform/users");
    await page.getByText("Only platform administrators can open this page.").waitFor();
    expect(journey.problems).toEqual([]);
  });
});
