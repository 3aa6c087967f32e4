import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPage, launchChromium } from "./browser.js";
import { Lyceum } from "./pages.js";
import { type E2eServer, startServer } from "./server.js";

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let app: Lyceum;
/** Content-Security-Policy refusals and uncaught errors seen in any page. */
const pageProblems: string[] = [];

const learner = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: `ada-${Date.now()}@example.org`,
  password: "Analytical-Engine-1843",
};
const newPassword = "Difference-Engine-1822";

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  context = await browser.newContext({ locale: "en-GB", timezoneId: "Europe/London" });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageProblems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      pageProblems.push(`CSP: ${message.text()}`);
    }
  });
  app = new Lyceum(page, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the web app in chromium", () => {
  it("keeps unknown API paths in the JSON envelope and shows unknown app paths a 404 page", async () => {
    const api = await page.request.get(`${server.url}/api/v1/nope`);
    expect(api.status()).toBe(404);
    const body = await api.json();
    expect(body).toMatchObject({ success: false, error: { code: "ROUTE_NOT_FOUND" } });
    expect(body.requestId).toBeTruthy();

    const response = await page.goto(`${server.url}/no/such/page`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await app.expectHeading("Page not found");
    await checkPage(page, "404");
  });

  it("sends a visitor without a session to sign in, and back afterwards", async () => {
    await app.open("/");
    await app.expectHeading("Sign in");
    expect(app.path()).toBe("/sign-in?returnTo=%2F");
    await checkPage(page, "sign in");
  });

  it("registers a learner, showing the password policy as it is met", async () => {
    await page.getByRole("link", { name: "Create an account" }).click();
    await app.expectHeading("Create your account");
    const rules = page.getByTestId("password-rules");
    await page.getByLabel(/^Password/).fill("short");
    expect(await rules.locator("[data-met=false]").count()).toBeGreaterThan(0);
    await checkPage(page, "sign up");
    await page.getByLabel(/^Password/).fill(learner.password);
    expect(await rules.locator("[data-met=false]").count()).toBe(0);
    const answer = await app.signUp(learner);
    expect(answer.status()).toBe(201);
    await app.expectHeading("Check your mail");
    expect(await page.getByText(learner.email).count()).toBe(1);
    await checkPage(page, "check your mail");
  });

  it("refuses to sign in before the address is confirmed, with the API's message", async () => {
    await app.open("/sign-in");
    const answer = await app.signIn(learner.email, learner.password);
    expect(answer.status()).toBe(403);
    await app.alert().getByText("Confirm your email address before signing in").waitFor();
  });

  it("confirms the address through the mailed link", async () => {
    const link = await server.mailedLink(learner.email, "/verify-email");
    await app.open(link);
    await app.expectHeading("Confirm your email address");
    await page.getByText(`Your email address ${learner.email} is confirmed.`).waitFor();
    await checkPage(page, "verify email");
    await page.getByRole("link", { name: "Sign in" }).click();
    await app.expectHeading("Sign in");
  });

  it("shows the API's message for a wrong password", async () => {
    const answer = await app.signIn(learner.email, "not-the-password");
    expect(answer.status()).toBe(401);
    const { error } = await answer.json();
    await app.alert().getByText(error.message).waitFor();
    expect(error.message).toBe("The email or password is incorrect");
    await checkPage(page, "sign in with an error");
  });

  it("signs in to My learning, with its empty state", async () => {
    const answer = await app.signIn(learner.email, learner.password);
    expect(answer.status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("heading", { name: "No courses yet" }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "My learning" }).count();
    await checkPage(page, "my learning");
  });

  it("refreshes an expired access token without leaving the page", async () => {
    const cookies = await context.cookies();
    await context.clearCookies({ name: "lyceum_access" });
    expect(cookies.some((c) => c.name === "lyceum_refresh")).toBe(true);
    const refreshed = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh"));
    await page.reload();
    expect((await refreshed).status()).toBe(200);
    await app.expectHeading("My learning");
  });

  it("switches to German and back", async () => {
    await page.getByRole("button", { name: /^Language/ }).click();
    const saved = page.waitForResponse(
      (r) => r.url().endsWith("/api/v1/users/me") && r.request().method() === "PATCH",
    );
    await page.getByRole("menuitem", { name: "Deutsch" }).click();
    await app.expectHeading("Mein Lernen");
    expect((await saved).status()).toBe(200);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    await checkPage(page, "my learning (de)");
    await page.getByRole("button", { name: /^Sprache/ }).click();
    await page.getByRole("menuitem", { name: "English" }).click();
    await app.expectHeading("My learning");
  });

  it("signs out", async () => {
    const answer = await app.signOut(`${learner.firstName} ${learner.lastName}`);
    expect(answer.status()).toBe(200);
    await app.expectHeading("Sign in");
    await app.open("/");
    await app.expectHeading("Sign in");
  });

  it("resets a forgotten password through the mailed link", async () => {
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await app.expectHeading("Reset your password");
    await checkPage(page, "forgot password");
    expect((await app.requestReset(learner.email)).status()).toBe(202);
    await page.getByRole("status").getByText(learner.email).waitFor();
    const link = await server.mailedLink(learner.email, "/reset-password");
    await app.open(link);
    await app.expectHeading("Choose a new password");
    await checkPage(page, "reset password");
    expect((await app.resetPassword(newPassword)).status()).toBe(200);
    await page.getByRole("link", { name: "Sign in" }).click();
    expect((await app.signIn(learner.email, learner.password)).status()).toBe(401);
    expect((await app.signIn(learner.email, newPassword)).status()).toBe(200);
    await app.expectHeading("My learning");
  });

  it("sends a session that cannot be refreshed to sign in, then back where it was", async () => {
    await context.clearCookies({ name: "lyceum_access" });
    await context.clearCookies({ name: "lyceum_refresh" });
    const refused = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh"));
    await app.open("/?view=all");
    expect((await refused).status()).toBe(401);
    await app.expectHeading("Sign in");
    expect(app.path()).toBe(`/sign-in?returnTo=${encodeURIComponent("/?view=all")}`);
    expect((await app.signIn(learner.email, newPassword)).status()).toBe(200);
    await app.expectHeading("My learning");
    expect(app.path()).toBe("/?view=all");
  });

  it("met no Content-Security-Policy refusal and no uncaught error", () => {
    expect(pageProblems).toEqual([]);
  });
});
