import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  issueCertificate,
  revokeCertificate,
} from "../../src/modules/certificates/certificates.js";
import { createCohort, transitionCohort } from "../../src/modules/cohorts/cohorts.js";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { makeUser, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import type { Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

let journey: Journey;
let server: E2eServer;
let context: BrowserContext;
let page: Page;
let app: Lyceum;

const learner = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: `ada-${Date.now()}@example.org`,
  password: "Analytical-Engine-1843",
};
const newPassword = "Difference-Engine-1822";
/** The catalog the learner browses, published through the services before the journey. */
const courses = {
  orbits: "Orbital Mechanics for Beginners",
  bridges: "Bridge Design in Practice",
  looms: "Programming the Jacquard Loom",
  engines: "Steam Engines Workshop",
};
let orbitsId = "";
let enginesId = "";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, context, page, app } = journey);

  const instructor = await makeUser(server.app, { firstName: "Grace", lastName: "Hopper" });
  const orbits = await publishedCourse(server.app, {
    code: "ORB-101",
    title: courses.orbits,
    subtitle: "How satellites stay up, from Kepler to transfer orbits.",
    instructorId: instructor.id,
    level: "beginner",
    learningOutcomes: ["Explain Kepler's laws", "Plan a Hohmann transfer"],
  });
  orbitsId = orbits.id;
  await publishedCourse(server.app, {
    code: "BRG-201",
    title: courses.bridges,
    instructorId: instructor.id,
    level: "intermediate",
  });
  await publishedCourse(server.app, {
    code: "LOOM-301",
    title: courses.looms,
    instructorId: instructor.id,
    level: "advanced",
    language: "de",
  });
  const engines = await publishedCourse(server.app, {
    code: "STM-110",
    title: courses.engines,
    instructorId: instructor.id,
    delivery: "cohort-based",
    category: "mechanical-engineering",
  });
  enginesId = engines.id;
  const day = 24 * 60 * 60 * 1000;
  const cohort = await createCohort(server.app.system, engines.id, {
    name: "Spring cohort",
    startsAt: new Date(Date.now() + 30 * day).toISOString(),
    endsAt: new Date(Date.now() + 60 * day).toISOString(),
    capacity: 12,
  });
  await transitionCohort(server.app.system, cohort.id, "open");
});

afterAll(async () => {
  await journey?.close();
});

/** The session's CSRF token, as the app sends it on unsafe requests. */
async function csrf(): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === "lyceum_csrf");
  return decodeURIComponent(cookie?.value ?? "");
}

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

  it("says when an account is locked after too many failed sign-ins", async () => {
    const locked = await makeUser(server.app, { firstName: "Lock", lastName: "Smith" });
    for (let i = 1; i < 5; i++) {
      expect((await app.signIn(locked.email, "not-the-password")).status()).toBe(401);
    }
    // The fifth wrong password locks the account, and says so.
    let answer = await app.signIn(locked.email, "not-the-password");
    expect(answer.status()).toBe(423);
    const { error } = await answer.json();
    expect(error.code).toBe("ACCOUNT_LOCKED");
    await app.alert().getByText(error.message).waitFor();
    await checkPage(page, "sign in, account locked");
    // Now the right password does not help either, until the lock ends.
    answer = await app.signIn(locked.email, PASSWORD);
    expect(answer.status()).toBe(423);
    await app.alert().getByText(error.message).waitFor();
    const row = await server.app.system.db
      .selectFrom("users")
      .select("locked_until")
      .where("id", "=", locked.id)
      .executeTakeFirstOrThrow();
    expect(row.locked_until?.getTime()).toBeGreaterThan(server.app.clock.now().getTime());
  });

  it("signs in to My learning, with its empty state", async () => {
    const answer = await app.signIn(learner.email, learner.password);
    expect(answer.status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("heading", { name: "No courses yet" }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "My learning" }).count();
    await checkPage(page, "my learning");
  });

  it("finds a course by search in the catalog", async () => {
    await page.getByRole("link", { name: "Browse the catalog" }).click();
    await app.expectHeading("Catalog");
    await page.getByRole("navigation").getByRole("link", { name: "Catalog" }).waitFor();
    await app.courseCards().first().waitFor();
    expect(await app.courseCards().count()).toBe(4);
    await checkPage(page, "catalog");

    // The category filter offers the categories the catalog holds, with their counts.
    await page.getByRole("combobox", { name: "Category" }).click();
    await page.getByRole("option", { name: "Testing (3)" }).waitFor();
    const filtered = page.waitForResponse(
      (r) => new URL(r.url()).searchParams.get("category") === "mechanical-engineering",
    );
    await page.getByRole("option", { name: "Mechanical engineering (1)" }).click();
    expect((await filtered).status()).toBe(200);
    await page.getByRole("link", { name: courses.looms }).waitFor({ state: "detached" });
    expect(await app.courseCards().count()).toBe(1);
    await page.getByRole("link", { name: courses.engines }).waitFor();
    expect(app.path()).toBe("/catalog?category=mechanical-engineering");
    await page.getByRole("button", { name: "Clear filters" }).last().click();
    await page.getByRole("link", { name: courses.looms }).waitFor();

    expect((await app.searchCatalog("no such subject")).status()).toBe(200);
    await page.getByRole("heading", { name: "No courses match" }).waitFor();
    expect(app.path()).toBe("/catalog?q=no+such+subject");
    await checkPage(page, "catalog without matches");
    await page.getByRole("button", { name: "Clear filters" }).last().click();
    await page.getByRole("link", { name: courses.looms }).waitFor();
    expect(app.path()).toBe("/catalog");

    expect((await app.searchCatalog("orbital")).status()).toBe(200);
    await page.getByRole("link", { name: courses.orbits }).waitFor();
    await page.getByRole("link", { name: courses.bridges }).waitFor({ state: "detached" });
    expect(await app.courseCards().count()).toBe(1);
    expect(app.path()).toBe("/catalog?q=orbital");
    await expect(app.courseCards().first().textContent()).resolves.toContain("Beginner");
    await expect(app.courseCards().first().textContent()).resolves.toContain("Free");
  });

  it("opens the course page and enrolls, and My learning shows the course", async () => {
    // Pointing at the course starts loading its page (code and data): the click then finds
    // the course in the cache rather than asking again.
    const detail = `${server.url}/api/v1/courses/${orbitsId}`;
    const asked: string[] = [];
    const record = (request: { url(): string }) => {
      if (request.url() === detail) asked.push(request.url());
    };
    page.on("request", record);
    const preloaded = page.waitForRequest(detail);
    await page.getByRole("link", { name: courses.orbits }).hover();
    await preloaded;
    await page.getByRole("link", { name: courses.orbits }).click();
    await app.expectHeading(courses.orbits);
    expect(app.path()).toBe(`/courses/${orbitsId}`);
    page.off("request", record);
    expect(asked).toEqual([detail]);
    await page.getByRole("heading", { name: "Course outline" }).waitFor();
    await page.getByText("Welcome", { exact: true }).waitFor();
    await page.getByText("Plan a Hohmann transfer").waitFor();
    await checkPage(page, "course page");

    const answer = await app.enroll();
    expect(answer.status()).toBe(201);
    await page.getByRole("status").getByText("You are enrolled in this course.").waitFor();
    await checkPage(page, "course page, enrolled");

    await page.getByRole("link", { name: "Go to My learning" }).click();
    await app.expectHeading("My learning");
    await page.getByRole("list", { name: "Your courses" }).getByText(courses.orbits).waitFor();
    await checkPage(page, "my learning with a course");

    // Enrolling again is refused by the API; the page says so rather than offering it.
    const again = await page.request.post(`${server.url}/api/v1/enrollments`, {
      data: { courseId: orbitsId },
      headers: { "x-csrf-token": await csrf() },
    });
    expect(again.status()).toBe(409);
    expect((await again.json()).error.code).toBe("ALREADY_ENROLLED");
  });

  it("enrolls in a cohort of a cohort-based course, seeing its seats left", async () => {
    await app.open(`/courses/${enginesId}`);
    await app.expectHeading(courses.engines);
    await page.getByRole("heading", { name: "Cohorts" }).waitFor();
    await page.getByRole("region", { name: "Cohorts" }).getByText("12 seats left").waitFor();
    await checkPage(page, "cohort course page");
    await page.getByRole("radio", { name: "Spring cohort" }).check();
    expect((await app.enroll()).status()).toBe(201);
    await page.getByRole("status").getByText("You are enrolled in this course.").waitFor();
    await page.getByRole("region", { name: "Cohorts" }).getByText("11 seats left").waitFor();
    await app.open("/");
    await page.getByRole("list", { name: "Your courses" }).getByText(courses.engines).waitFor();
  });

  it("shows a clear page for an unknown course", async () => {
    await app.open("/courses/00000000-0000-4000-8000-000000000000");
    await app.expectHeading("Course not found");
    await page.getByRole("link", { name: "Back to the catalog" }).waitFor();
    await checkPage(page, "unknown course");
    await app.open("/courses/not-a-course");
    await app.expectHeading("Course not found");
    await app.open("/");
    await app.expectHeading("My learning");
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

  it("verifies certificates publicly: valid, revoked with its reason, expired, unknown", async () => {
    /** A certificate of the orbits course for a new person, issued as completion would. */
    const certificate = async (firstName: string) => {
      const person = await makeUser(server.app, { firstName, lastName: "Graduate" });
      const result = await enroll(server.app.system, {
        userId: person.id,
        courseId: orbitsId,
        source: "self",
      });
      if (result.kind !== "enrolled") throw new Error("not enrolled");
      await server.app.system.db
        .updateTable("enrollments")
        .set({ status: "completed", completed_at: new Date(), progress_percent: 100 })
        .where("id", "=", result.enrollment.id)
        .execute();
      const cert = await issueCertificate(server.app.system, result.enrollment.id, {
        automatic: false,
      });
      if (!cert) throw new Error("no certificate");
      return cert;
    };
    const valid = await certificate("Mary");
    await app.open(`/verify/${valid.certificate_number}`);
    await app.expectHeading("Certificate verification");
    const status = page.getByRole("status");
    await status.getByText("Valid", { exact: true }).waitFor();
    await page.getByRole("cell", { name: "Mary Graduate" }).waitFor();
    await page.getByRole("cell", { name: courses.orbits }).waitFor();
    await checkPage(page, "certificate verification (valid)");

    const revoked = await certificate("Emmy");
    await revokeCertificate(server.app.system, revoked.id, "Issued in error");
    await app.open(`/verify/${revoked.certificate_number.toLowerCase()}`);
    await status.getByText("Revoked", { exact: true }).waitFor();
    await page.getByText("Issued in error").waitFor();
    await page.getByRole("cell", { name: "Emmy Graduate" }).waitFor();
    await checkPage(page, "certificate verification (revoked)");

    // Genuine, but past its expiry date (by the server's clock).
    const expired = await certificate("Ada");
    await server.app.system.db
      .updateTable("certificates")
      .set({ expires_at: new Date(server.app.clock.now().getTime() - 86_400_000) })
      .where("id", "=", expired.id)
      .execute();
    await app.open(`/verify/${expired.certificate_number}`);
    await status.getByText("Expired", { exact: true }).waitFor();
    await page.getByText("This certificate is genuine but has expired.").waitFor();
    await page.getByRole("cell", { name: "Ada Graduate" }).waitFor();
    await checkPage(page, "certificate verification (expired)");

    await app.open("/verify/LYC-2026-NOSUCHCERT");
    await page.getByRole("alert").getByText("No such certificate").waitFor();
    await checkPage(page, "certificate verification (unknown)");
  });

  it("met no Content-Security-Policy refusal and no uncaught error", () => {
    expect(journey.problems).toEqual([]);
  });
});
