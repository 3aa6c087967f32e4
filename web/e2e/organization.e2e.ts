import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAllocation } from "../../src/modules/enrollment/allocations.js";
import { sealAllAuditChains } from "../../src/platform/audit/chain.js";
import { makeOrganization, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * The organization administrator's own pages: settings changed, an API key created (its
 * secret shown once and working), its use counted, paused and revoked, and each change found
 * in the audit log with its values before and after.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let admin = { email: "", name: "" };
let secret = "";
let paymentId = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const w = await makeOrganization(server.app, {
    name: "Riverside Clinic",
    people: [{ key: "Paula", roles: ["learner"] }],
  });
  orgId = w.org.id;
  admin = {
    email: w.people.admin.user.email,
    name: `${w.people.admin.user.first_name} ${w.people.admin.user.last_name}`,
  };
  const t = server.app;
  // Seats bought in a platform course, and a paid course of its own that a learner is invoiced for.
  const firstAid = await publishedCourse(t, {
    code: "AID-1",
    title: "First aid at work",
    instructorId: w.people.admin.user.id,
  });
  await createAllocation(t.system, orgId, {
    courseId: firstAid.id,
    seats: 20,
    unitPrice: 4_900,
    currency: "EUR",
    invoiceReference: "PO-77",
  });
  const paid = await publishedCourse(t, {
    code: "MED-1",
    title: "Medication safety",
    instructorId: w.people.admin.user.id,
    organizationId: orgId,
    enrollmentType: "paid",
    priceAmount: 12_000,
    currency: "EUR",
  });
  const invoice = await t.http.post(
    "/api/v1/enrollments/checkout",
    { courseId: paid.id, method: "invoice" },
    w.people.Paula,
  );
  expect(invoice.status).toBe(201);
  paymentId = invoice.body.data.payment.id;
});

afterAll(async () => {
  await journey?.close();
});

/** Calls the API as a connecting system would, with the key. */
function callWithKey() {
  return fetch(`${server.url}/api/v1/organizations/${orgId}/members`, {
    headers: { "x-api-key": secret },
  });
}

describe("Organization", () => {
  it("changes the organization's settings", async () => {
    await app.open("/");
    expect((await app.signIn(admin.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("link", { name: "Organization" }).first().click();
    await app.expectHeading("Organization settings");
    await page.getByLabel("Contact person").fill("Rita Riverside");
    await page.getByRole("combobox", { name: /^Time zone/ }).click();
    await page.getByRole("combobox", { name: /^Time zone/ }).fill("Europe/Ber");
    await page.getByRole("option", { name: "Europe/Berlin" }).click();
    await checkPage(page, "organization settings");
    const saved = await afterResponse(page, `/api/v1/organizations/${orgId}`, () =>
      page.getByRole("button", { name: "Save changes" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Saved.").waitFor();
    const stored = await server.app.system.db
      .selectFrom("organizations")
      .select(["contact_name", "timezone"])
      .where("id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ contact_name: "Rita Riverside", timezone: "Europe/Berlin" });
  });

  it("creates an API key whose secret is shown once and works within its limits", async () => {
    const tabs = page.getByRole("navigation", { name: "Organization pages" });
    await tabs.getByRole("link", { name: "API keys" }).click();
    await app.expectHeading("API keys");
    await page.getByRole("heading", { name: "No API keys" }).waitFor();
    await page.getByRole("button", { name: "Create a key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    await dialog.getByRole("textbox", { name: /^Name/ }).fill("HR sync");
    await dialog.getByRole("combobox", { name: /^Permissions/ }).fill("members:read:org");
    await page.getByRole("option", { name: /^members:read:organization/ }).click();
    await dialog.getByRole("textbox", { name: /^Calls per hour/ }).fill("500");
    await dialog.getByLabel("Allowed addresses").fill("127.0.0.1\n10.0.0.0/8");
    await checkPage(page, "new API key");
    const created = await afterResponse(page, `/api/v1/organizations/${orgId}/api-keys`, () =>
      dialog.getByRole("button", { name: "Create the key" }).click(),
    );
    expect(created.status()).toBe(201);
    const notice = page.getByRole("alert").filter({ hasText: "copy it now" });
    secret = (await notice.locator("pre").innerText()).trim();
    expect(secret).toMatch(/^lyk_/);
    await checkPage(page, "API key secret");
    const stored = await server.app.system.db
      .selectFrom("api_keys")
      .select(["name", "scopes", "rate_limit_per_hour", "allowed_ips"])
      .where("organization_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      name: "HR sync",
      scopes: ["members:read:organization"],
      rate_limit_per_hour: 500,
      allowed_ips: ["127.0.0.1", "10.0.0.0/8"],
    });
    await notice.getByRole("button", { name: "I have stored it" }).click();

    expect((await callWithKey()).status).toBe(200);
    await page.reload();
    const row = page.getByRole("row", { name: /HR sync/ });
    await row.getByText("1 of 500 this hour").waitFor();
    await row.getByText("127.0.0.1", { exact: true }).waitFor();
  });

  it("pauses and revokes the key, which then stops working", async () => {
    const actions = page.getByRole("group", { name: "Key HR sync" });
    await actions.getByRole("button", { name: "Pause" }).click();
    await page
      .getByText("The key HR sync is paused; calls with it are refused until it is resumed.")
      .waitFor();
    await page
      .getByRole("row", { name: /HR sync/ })
      .getByText("Paused")
      .waitFor();
    expect((await callWithKey()).status).toBe(401);

    await actions.getByRole("button", { name: "Revoke" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke HR sync?" });
    await checkPage(page, "revoke an API key");
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("The key HR sync was revoked.").waitFor();
    await page
      .getByRole("row", { name: /HR sync/ })
      .getByText("Revoked")
      .waitFor();
    expect(await page.getByRole("group", { name: "Key HR sync" }).count()).toBe(0);
  });

  it("shows the seats bought, records an invoice as paid and refunds part of it", async () => {
    const tabs = page.getByRole("navigation", { name: "Organization pages" });
    await tabs.getByRole("link", { name: "Seats and payments" }).click();
    await app.expectHeading("Seats and payments");
    const seats = page.getByRole("region", { name: "Seats bought in courses" });
    const aid = seats.getByRole("row", { name: /First aid at work/ });
    await aid.getByText("0 of 20 used, 20 free").waitFor();
    await aid.getByRole("cell", { name: "PO-77" }).waitFor();
    const payments = page.getByRole("region", { name: "Payments for the organization's courses" });
    const row = payments.getByRole("row", { name: /Paula Person/ });
    await row.getByText("Awaiting payment").waitFor();
    await checkPage(page, "seats and payments");

    await row.getByRole("button", { name: "Mark paid: Paula Person" }).click();
    const paidDialog = page.getByRole("dialog", { name: "Invoice of Paula Person paid" });
    await paidDialog.getByLabel(/^Payment reference/).fill("BANK-2026-118");
    await checkPage(page, "mark an invoice paid");
    await afterResponse(page, `/api/v1/payments/${paymentId}/mark-paid`, () =>
      paidDialog.getByRole("button", { name: "Record as paid" }).click(),
    );
    await payments
      .getByText("The invoice of Paula Person is recorded as paid; their enrollment is active.")
      .waitFor();
    await row.getByText("Paid", { exact: true }).waitFor();

    await row.getByRole("button", { name: "Refund Paula Person" }).click();
    const refund = page.getByRole("dialog", { name: "Refund Paula Person" });
    const amount = refund.getByRole("textbox", { name: /^Amount to refund/ });
    expect(await amount.inputValue()).toBe("120");
    await amount.fill("500");
    await refund.getByText("That is more than can still be refunded").waitFor();
    await amount.fill("30.50");
    await refund.getByLabel("Reason").fill("Missed the first session");
    await checkPage(page, "refund a payment");
    const refunded = await afterResponse(page, `/api/v1/payments/${paymentId}/refund`, () =>
      refund.getByRole("button", { name: "Refund", exact: true }).click(),
    );
    expect(refunded.status()).toBe(200);
    await payments.getByText(/was refunded to Paula Person/).waitFor();
    await row.getByText("Partly refunded").waitFor();
    const stored = await server.app.system.db
      .selectFrom("payments")
      .select(["status", "refunded_amount", "payment_reference"])
      .where("id", "=", paymentId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      status: "partially-refunded",
      refunded_amount: 3_050,
      payment_reference: "BANK-2026-118",
    });
  });

  it("finds each change in the audit log with its values before and after", async () => {
    const tabs = page.getByRole("navigation", { name: "Organization pages" });
    await tabs.getByRole("link", { name: "Audit log" }).click();
    await app.expectHeading("Audit log");
    await page.getByRole("combobox", { name: "Kind of thing" }).click();
    await page.getByRole("option", { name: "api-key", exact: true }).click();
    await page.getByText("3 changes").waitFor();
    expect(new URL(page.url()).searchParams.get("entity")).toBe("api-key");
    const update = page.getByRole("row", { name: /api-key\.update/ });
    await update.getByText(admin.name).waitFor();
    await update.getByRole("button", { name: /^Show api-key\.update/ }).click();
    const changed = page.getByRole("row", { name: /^is_active/ });
    await changed.getByRole("cell", { name: "true" }).waitFor();
    await changed.getByRole("cell", { name: "false" }).waitFor();
    await checkPage(page, "audit log with a change open");

    await page.getByRole("combobox", { name: "Kind of thing" }).click();
    await page.getByRole("option", { name: "Anything" }).click();
    // A prefix ending in a dot finds the organization's creation and the settings change.
    await page.getByLabel("Action").fill("organization.");
    await page.getByText("2 changes").waitFor();
    await page.getByLabel("Action").fill("organization.update");
    await page.getByText("1 change").waitFor();
    await page.getByRole("button", { name: /^Show organization\.update/ }).click();
    await page
      .getByRole("row", { name: /^contact_name/ })
      .getByRole("cell", { name: "Rita Riverside" })
      .waitFor();
    expect(journey.problems).toEqual([]);
  });

  it("filters the trail by risk and checks that it is intact, naming a record changed behind its back", async () => {
    await page.getByLabel("Action").fill("");
    await page.getByRole("combobox", { name: "Risk" }).click();
    await page.getByRole("option", { name: "High and above" }).click();
    expect(new URL(page.url()).searchParams.get("risk")).toBe("high");
    const keyChange = page.getByRole("row", { name: /api-key\.update/ });
    await keyChange.getByText("High", { exact: true }).waitFor();
    await expect(page.getByRole("row", { name: /organization\.update/ }).count()).resolves.toBe(0);

    const t = server.app;
    await sealAllAuditChains(t.system);
    await page.getByRole("button", { name: "Check the trail" }).click();
    await page.getByText("The trail is intact").waitFor();
    await checkPage(page, "audit log, trail intact");

    const victim = await t.system.db
      .selectFrom("audit_logs")
      .select(["id", "chain_seq", "after"])
      .where("organization_id", "=", orgId)
      .where("action", "=", "api-key.update")
      .orderBy("chain_seq")
      .executeTakeFirstOrThrow();
    await t.system.db
      .updateTable("audit_logs")
      .set({ after: JSON.stringify({ is_active: true }) })
      .where("id", "=", victim.id)
      .execute();
    await page.getByRole("button", { name: "Check the trail" }).click();
    await page.getByText("The trail was tampered with").waitFor();
    await page.getByText(`Record ${victim.chain_seq} does not hold`).waitFor();
    await checkPage(page, "audit log, trail broken");
    await t.system.db
      .updateTable("audit_logs")
      .set({ after: JSON.stringify(victim.after) })
      .where("id", "=", victim.id)
      .execute();
    expect(journey.problems).toEqual([]);
  });
});
