import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * A person adds a security key (Chromium's virtual authenticator through the DevTools
 * protocol answers the browser's prompt) and keeps the recovery codes that come with it, signs
 * out, signs in with the password and the key, then with a recovery code instead, replaces the
 * codes, and removes the key again (which deletes the codes).
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let cdp: CDPSession;
let authenticatorId = "";
let person = { id: "", email: "" };
let recoveryCodes: string[] = [];

async function storedCodes() {
  return server.app.system.db
    .selectFrom("user_mfa_recovery_codes")
    .select(["code_hash", "used_at"])
    .where("user_id", "=", person.id)
    .orderBy("code_hash")
    .execute();
}

/** The recovery codes the page shows once. */
async function shownCodes(): Promise<string[]> {
  await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
  return (await page.getByTestId("recovery-codes").innerText()).trim().split(/\s+/);
}

beforeAll(async () => {
  journey = await openJourney({ server: { localhost: true } });
  ({ server, page, app } = journey);
  const user = await makeUser(server.app, { firstName: "Kai", lastName: "Keyholder" });
  person = { id: user.id, email: user.email };
  cdp = await journey.context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  ({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "usb",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  }));
});

afterAll(async () => {
  await journey?.close();
});

describe("Security keys", () => {
  it("adds a security key on the two-step sign-in page and shows its recovery codes once", async () => {
    await app.open("/");
    expect((await app.signIn(person.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open("/account/two-step");
    await app.expectHeading("Two-step sign-in");
    await page.getByRole("heading", { name: "No security keys yet" }).waitFor();
    await checkPage(page, "security keys, none");
    await page.getByLabel(/^Name of the key/).fill("Desk key");
    await page
      .getByRole("region", { name: "Security keys" })
      .getByLabel(/^Password/)
      .fill(PASSWORD);
    const answer = page.waitForResponse(
      (r) =>
        r.request().method() === "POST" &&
        new URL(r.url()).pathname === "/api/v1/auth/webauthn/credentials",
    );
    await page.getByRole("button", { name: "Add a security key" }).click();
    const added = await answer;
    expect(added.status()).toBe(201);
    // The first second factor of the account: ten recovery codes, shown this once.
    recoveryCodes = await shownCodes();
    expect(recoveryCodes).toHaveLength(10);
    await page.getByText(/^Security key “Desk key” added\. Two-step sign-in is on/).waitFor();
    expect(await storedCodes()).toHaveLength(10);
    await checkPage(page, "security keys, recovery codes of the first key");
    await page.getByRole("button", { name: "I have saved them" }).click();
    await page.getByRole("button", { name: "Remove Desk key" }).waitFor();
    await page.getByText("10 recovery codes left.").waitFor();
    await checkPage(page, "security keys, one");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    const stored = await server.app.system.db
      .selectFrom("user_webauthn_credentials")
      .select(["credential_id", "name"])
      .where("user_id", "=", person.id)
      .execute();
    expect(stored).toEqual([
      {
        credential_id: Buffer.from(credentials[0]?.credentialId ?? "", "base64").toString(
          "base64url",
        ),
        name: "Desk key",
      },
    ]);
  });

  it("signs in with the password and the key", async () => {
    expect((await app.signOut("Kai Keyholder")).status()).toBe(200);
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    expect((await app.signIn(person.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("Two-step sign-in");
    await page.getByText("Confirm with the security key or passkey").waitFor();
    await page.getByRole("button", { name: "Use a recovery code instead" }).waitFor();
    await checkPage(page, "sign-in security key step");
    const done = await afterResponse(page, "/api/v1/auth/login/mfa", () =>
      page.getByRole("button", { name: "Use a security key" }).click(),
    );
    expect(done.status()).toBe(200);
    await app.expectHeading("My learning");
    const key = await server.app.system.db
      .selectFrom("user_webauthn_credentials")
      .select(["last_used_at"])
      .where("user_id", "=", person.id)
      .executeTakeFirstOrThrow();
    expect(key.last_used_at).not.toBeNull();
  });

  it("signs in with a recovery code instead of the key, once", async () => {
    expect((await app.signOut("Kai Keyholder")).status()).toBe(200);
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    expect((await app.signIn(person.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("Two-step sign-in");
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel(/^Recovery code/).fill(recoveryCodes[0] ?? "");
    await checkPage(page, "sign-in recovery code step without an app");
    const done = await afterResponse(page, "/api/v1/auth/login/mfa", () =>
      page.getByRole("button", { name: "Sign in" }).click(),
    );
    expect(done.status()).toBe(200);
    await app.expectHeading("My learning");
    const used = (await storedCodes()).filter((row) => row.used_at !== null);
    expect(used).toHaveLength(1);
  });

  it("replaces the recovery codes of an account with the key alone", async () => {
    const before = await storedCodes();
    await app.open("/account/two-step");
    const on = page.getByRole("region", { name: "Two-step sign-in is on" });
    await on.getByText("9 recovery codes left.").waitFor();
    await on.getByLabel(/^Password/).fill(PASSWORD);
    const replaced = await afterResponse(page, "/api/v1/auth/mfa/recovery-codes", () =>
      on.getByRole("button", { name: "Replace recovery codes" }).click(),
    );
    expect(replaced.status()).toBe(200);
    const fresh = await shownCodes();
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[1]);
    const after = await storedCodes();
    expect(after).toHaveLength(10);
    expect(after.every((row) => row.used_at === null)).toBe(true);
    expect(after.map((row) => row.code_hash)).not.toContain(before[0]?.code_hash);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await on.getByText("10 recovery codes left.").waitFor();
  });

  it("removes the key with the password", async () => {
    const key = await server.app.system.db
      .selectFrom("user_webauthn_credentials")
      .select("id")
      .where("user_id", "=", person.id)
      .executeTakeFirstOrThrow();
    await app.open("/account/two-step");
    await page.getByRole("button", { name: "Remove Desk key" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove “Desk key”?" });
    await dialog.waitFor();
    await checkPage(page, "remove a security key");
    await dialog.getByLabel(/^Password/).fill(PASSWORD);
    const removed = await afterResponse(
      page,
      `/api/v1/auth/webauthn/credentials/${key.id}/remove`,
      () => dialog.getByRole("button", { name: "Remove" }).click(),
    );
    expect(removed.status()).toBe(200);
    await page.getByText("Security key removed.").waitFor();
    await page.getByRole("heading", { name: "No security keys yet" }).waitFor();
    // The last second factor is gone, and the recovery codes with it.
    await page.getByRole("heading", { name: "Two-step sign-in is off" }).waitFor();
    expect(await storedCodes()).toEqual([]);
    expect(journey.problems).toEqual([]);
  });
});
