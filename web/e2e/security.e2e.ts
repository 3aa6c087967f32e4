import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../src/modules/identity/totp.js";
import { addMember } from "../../src/modules/organizations/service.js";
import { makeOrganization, makeUser, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator turns on two-step sign-in (the authenticator code is computed
 * here from the secret the page shows), keeps the recovery codes, requires two-step sign-in
 * for the organization and signs in again with a code; a member without it is led to enroll.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let orgId = "";
let admin = { email: "" };
let member = { email: "" };
let secret = "";

/** The code the authenticator shows now; the clock then moves to the next step (a code works once). */
function nextCode(): string {
  const code = totpCode(secret, server.app.clock.now());
  server.app.clock.advance(30_000);
  return code;
}

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Keystone Labs" });
  orgId = made.org.id;
  admin = { email: made.people.admin.user.email };
  const person = await makeUser(server.app, { firstName: "Mira", lastName: "Member" });
  await addMember(server.app.system, orgId, {
    userId: person.id,
    roleKeys: ["content-admin"],
    departmentId: null,
  });
  member = { email: person.email };
});

afterAll(async () => {
  await journey?.close();
});

describe("Two-step sign-in and organization security", () => {
  it("turns on two-step sign-in and shows the recovery codes once", async () => {
    await app.open("/");
    expect((await app.signIn(admin.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open("/account/profile");
    await page
      .getByRole("navigation", { name: "Account pages" })
      .getByRole("link", { name: "Two-step sign-in" })
      .click();
    await app.expectHeading("Two-step sign-in");
    await checkPage(page, "two-step sign-in, off");
    // the app's section (adding a security key asks for the password too)
    await page
      .getByRole("region", { name: "Two-step sign-in is off" })
      .getByLabel(/^Password/)
      .fill(PASSWORD);
    const started = await afterResponse(page, "/api/v1/auth/mfa/enroll", () =>
      page.getByRole("button", { name: "Set up an authenticator app" }).click(),
    );
    expect(started.status()).toBe(200);
    secret = (await page.getByTestId("mfa-secret").innerText()).replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await checkPage(page, "two-step sign-in, enrolling");
    await page.getByLabel(/^Code from the app/).fill(nextCode());
    const confirmed = await afterResponse(page, "/api/v1/auth/mfa/confirm", () =>
      page.getByRole("button", { name: "Turn on two-step sign-in" }).click(),
    );
    expect(confirmed.status()).toBe(200);
    await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
    const codes = (await page.getByTestId("recovery-codes").innerText()).trim().split(/\s+/);
    expect(codes).toHaveLength(10);
    await checkPage(page, "recovery codes");
    await page.getByRole("button", { name: "I have saved them" }).click();
    await page.getByTestId("mfa-on").waitFor();
    await page.getByText("10 recovery codes left.").waitFor();
    await checkPage(page, "two-step sign-in, on");
  });

  it("requires two-step sign-in for the organization", async () => {
    await app.open(`/organization/settings?org=${orgId}`);
    await app.expectHeading("Organization settings");
    await page
      .getByRole("navigation", { name: "Organization pages" })
      .getByRole("link", { name: "Security" })
      .click();
    await app.expectHeading("Security");
    await checkPage(page, "organization security");
    await page.getByRole("checkbox", { name: "Require two-step sign-in" }).check();
    await page.getByLabel(/^Idle timeout/).fill("45");
    await page.getByLabel(/^Passwords that may not be reused/).fill("3");
    const saved = await afterResponse(
      page,
      `/api/v1/organizations/${orgId}/security-settings`,
      () => page.getByRole("button", { name: "Save security settings" }).click(),
    );
    expect(saved.status()).toBe(200);
    await page.getByText("Security settings saved.").waitFor();
    const stored = await server.app.system.db
      .selectFrom("organization_security_settings")
      .select(["mfa_required", "session_timeout_minutes", "password_policy"])
      .where("organization_id", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ mfa_required: true, session_timeout_minutes: 45 });
    expect(stored.password_policy.historyCount).toBe(3);
  });

  it("leads a member without two-step sign-in to turn it on", async () => {
    const other = await journey.newPage();
    const memberApp = new (app.constructor as typeof Lyceum)(other, server.url);
    await memberApp.open("/");
    expect((await memberApp.signIn(member.email, PASSWORD)).status()).toBe(200);
    await memberApp.expectHeading("My learning");
    await memberApp.open(`/organization/settings?org=${orgId}`);
    await memberApp.expectHeading("Two-step sign-in");
    await other.getByTestId("mfa-required").waitFor();
    await checkPage(other, "two-step sign-in, required by the organization");
    await other.context().close();
  });

  it("signs in with a code after the password", async () => {
    await app.open("/");
    expect((await app.signOut("Org Admin")).status()).toBe(200);
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    const step = await app.signIn(admin.email, PASSWORD);
    expect(step.status()).toBe(200);
    await app.expectHeading("Two-step sign-in");
    await page.getByLabel(/^Code/).waitFor();
    await checkPage(page, "sign-in code step");
    await page.getByLabel(/^Code/).fill("000000");
    const wrong = await afterResponse(page, "/api/v1/auth/login/mfa", () =>
      page.getByRole("button", { name: "Sign in" }).click(),
    );
    expect(wrong.status()).toBe(401);
    await app.alert().waitFor();
    await page.getByLabel(/^Code/).fill(nextCode());
    const done = await afterResponse(page, "/api/v1/auth/login/mfa", () =>
      page.getByRole("button", { name: "Sign in" }).click(),
    );
    expect(done.status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/organization/security?org=${orgId}`);
    await app.expectHeading("Security");
    expect(journey.problems).toEqual([]);
  });
});
