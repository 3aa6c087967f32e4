import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notify } from "../../src/modules/notifications/notify.js";
import { makeOrganization, makeUser, PASSWORD, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

let journey: Journey;
let server: E2eServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let app: Lyceum;

const password = "Analytical-Engine-1843";
const learner = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: `ada-account-${Date.now()}@example.org`,
};
let learnerId = "";
let organization = { id: "", name: "" };
let adminCredentials: { token?: string } = {};
let courseId = "";
let grace = { id: "", email: "" };

beforeAll(async () => {
  journey = await openJourney();
  ({ server, browser, context, page, app } = journey);

  const user = await makeUser(server.app, { ...learner, password });
  learnerId = user.id;
  const { org, people } = await makeOrganization(server.app, { name: "Analytical Society" });
  organization = { id: org.id, name: org.name };
  adminCredentials = people.admin;
  const instructor = await makeUser(server.app, { firstName: "Grace", lastName: "Hopper" });
  grace = { id: instructor.id, email: instructor.email };
  const course = await publishedCourse(server.app, {
    code: "NOTE-101",
    title: "Notes on the Engine",
    instructorId: instructor.id,
  });
  courseId = course.id;
});

afterAll(async () => {
  await journey?.close();
});

/** The path of the newest invitation link mailed to `to` (from the mail outbox). */
async function mailedInvitePath(to: string): Promise<string> {
  const mail = await server.app.system.db
    .selectFrom("mail_outbox")
    .select("text_body")
    .where("to_address", "=", to)
    .where("template", "=", "organization-invite")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  const path = /\/invites\/accept\?token=[\w%.-]+/.exec(mail.text_body)?.[0];
  if (!path) throw new Error(`no invitation link in the mail to ${to}`);
  return path;
}

/** The bell's accessible name says how many notifications are unread. */
function bell(p: Page, name: string | RegExp) {
  return p.getByRole("banner").getByRole("button", { name, exact: true });
}

describe("account, notifications and invitations in chromium", () => {
  it("signs the learner in and opens the profile from the user menu", async () => {
    await app.open("/sign-in");
    expect((await app.signIn(learner.email, password)).status()).toBe(200);
    await app.expectHeading("My learning");
    await page.getByRole("button", { name: "Account menu for Ada Lovelace" }).click();
    await page.getByRole("menuitem", { name: "Profile" }).click();
    await app.expectHeading("Your profile");
    expect(app.path()).toBe("/account/profile");
    await checkPage(page, "profile");
  });

  it("saves the profile, which a reload shows", async () => {
    await page.getByLabel("Display name").fill("Countess Ada");
    await page.getByLabel("About you").fill("Wrote the first published program.");
    await page.getByRole("combobox", { name: "Time zone" }).click();
    await page.getByRole("combobox", { name: "Time zone" }).fill("Europe/Paris");
    await page.getByRole("option", { name: "Europe/Paris" }).click();
    const answer = await afterResponse(page, "/api/v1/users/me", () =>
      page.getByRole("button", { name: "Save profile" }).click(),
    );
    expect(answer.status()).toBe(200);
    expect(answer.request().method()).toBe("PATCH");
    expect((await answer.json()).data.user).toMatchObject({
      displayName: "Countess Ada",
      bio: "Wrote the first published program.",
      timezone: "Europe/Paris",
    });
    await page.getByRole("status").getByText("Your profile is saved.").waitFor();
    // The header follows the cached profile at once.
    await page.getByRole("button", { name: "Account menu for Countess Ada" }).waitFor();

    await page.reload();
    await app.expectHeading("Your profile");
    expect(await page.getByLabel("Display name").inputValue()).toBe("Countess Ada");
    expect(await page.getByLabel("About you").inputValue()).toBe(
      "Wrote the first published program.",
    );
    expect(await page.getByRole("combobox", { name: "Time zone" }).inputValue()).toBe(
      "Europe/Paris",
    );
    const stored = await server.app.system.db
      .selectFrom("users")
      .select(["display_name", "bio", "timezone"])
      .where("id", "=", learnerId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      display_name: "Countess Ada",
      bio: "Wrote the first published program.",
      timezone: "Europe/Paris",
    });
  });

  it("uploads a photo and shows it", async () => {
    const png = await sharp({
      create: { width: 64, height: 48, channels: 3, background: "#3b5bdb" },
    })
      .png()
      .toBuffer();
    const answer = await afterResponse(page, "/api/v1/users/me/avatar", () =>
      page
        .locator('input[type="file"]')
        .setInputFiles({ name: "ada.png", mimeType: "image/png", buffer: png }),
    );
    expect(answer.status()).toBe(200);
    const { data } = await answer.json();
    expect(data.user.avatarUrl).toMatch(/^\/api\/v1\/files\/avatars\//);
    await page.getByRole("status").getByText("Your new photo is saved.").waitFor();
    const photo = page.getByRole("img", { name: "Photo of Countess Ada" });
    await photo.waitFor();
    expect(await photo.getAttribute("src")).toBe(data.user.avatarUrl);
    // The image the server made from the PNG really loaded (a 200×200 WebP).
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="profile-avatar"] img') as HTMLImageElement | null)
          ?.naturalWidth === 200,
    );
    await page.getByRole("button", { name: "Remove photo" }).waitFor();
    await checkPage(page, "profile with a photo");

    // With the access cookie gone, the upload refreshes the session and is sent again.
    await context.clearCookies({ name: "lyceum_access" });
    const second = await sharp({
      create: { width: 32, height: 32, channels: 3, background: "#e8590c" },
    })
      .png()
      .toBuffer();
    const refreshed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === "/api/v1/auth/refresh",
    );
    const replaced = page.waitForResponse(
      (r) => new URL(r.url()).pathname === "/api/v1/users/me/avatar" && r.status() === 200,
    );
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: "ada-2.png", mimeType: "image/png", buffer: second });
    expect((await refreshed).status()).toBe(200);
    const newUrl = (await (await replaced).json()).data.user.avatarUrl;
    expect(newUrl).not.toBe(data.user.avatarUrl);
    await page.waitForFunction(
      (src) =>
        document.querySelector('[data-testid="profile-avatar"] img')?.getAttribute("src") === src,
      newUrl,
    );

    const removed = await afterResponse(page, "/api/v1/users/me/avatar", () =>
      page.getByRole("button", { name: "Remove photo" }).click(),
    );
    expect(removed.request().method()).toBe("DELETE");
    await page.getByRole("status").getByText("Your photo is removed.").waitFor();
    await page.getByText("No photo yet").waitFor();
    const stored = await server.app.system.db
      .selectFrom("users")
      .select("avatar_file_id")
      .where("id", "=", learnerId)
      .executeTakeFirstOrThrow();
    expect(stored.avatar_file_id).toBeNull();
  });

  it("lists two sessions and signs the other one out", async () => {
    const other = await browser.newContext({ locale: "en-GB" });
    const login = await other.request.post(`${server.url}/api/v1/auth/login`, {
      data: { email: learner.email, password, mode: "cookie" },
    });
    expect(login.status()).toBe(200);
    const otherPage = await other.newPage();
    journey.watch(otherPage);
    await otherPage.goto(`${server.url}/`);
    await otherPage.getByRole("heading", { level: 1, name: "My learning" }).waitFor();

    await page
      .getByRole("navigation", { name: "Account pages" })
      .getByRole("link", { name: "Sessions" })
      .click();
    await app.expectHeading("Sessions");
    const list = page.getByRole("list", { name: "Your sessions" });
    await list.getByRole("listitem").nth(1).waitFor();
    expect(await list.getByRole("listitem").count()).toBe(2);
    await list.getByText("This device").waitFor();
    expect(await list.getByText(/^Last active/).count()).toBe(2);
    expect(await list.getByText(/^IP address: /).count()).toBe(2);
    await checkPage(page, "sessions");

    const revoke = list.locator("[data-current=false]").getByRole("button", { name: /^Sign out / });
    const otherSession: string = (await login.json()).data.sessionId;
    const answer = await afterResponse(page, `/api/v1/auth/sessions/${otherSession}`, () =>
      revoke.click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByRole("status").getByText("That session is signed out.").waitFor();
    await list.getByRole("listitem").nth(1).waitFor({ state: "detached" });
    await page.getByText("This is your only session.").waitFor();

    // The other browser is signed out: its next page asks it to sign in.
    await otherPage.goto(`${server.url}/account/profile`);
    await otherPage.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    expect(new URL(otherPage.url()).searchParams.get("returnTo")).toBe("/account/profile");
    await other.close();

    // Two more sign-ins elsewhere (an app with a bearer token among them), then all signed out.
    await server.app.http.post("/api/v1/auth/login", { email: learner.email, password });
    await server.app.http.post("/api/v1/auth/login", { email: learner.email, password });
    await page.reload();
    await app.expectHeading("Sessions");
    await list.getByRole("listitem").nth(2).waitFor();
    await list.getByText("App or API access").first().waitFor();
    const all = await afterResponse(page, "/api/v1/auth/sessions", () =>
      page.getByRole("button", { name: "Sign out everywhere else" }).click(),
    );
    expect(all.request().method()).toBe("DELETE");
    await page.getByRole("status").getByText("2 other sessions are signed out.").waitFor();
    await page.getByText("This is your only session.").waitFor();
    const open = await server.app.system.db
      .selectFrom("user_sessions")
      .select("id")
      .where("user_id", "=", learnerId)
      .where("revoked_at", "is", null)
      .execute();
    expect(open).toHaveLength(1);
  });

  it("changes notification preferences, which the API stores", async () => {
    await page
      .getByRole("navigation", { name: "Account pages" })
      .getByRole("link", { name: "Notification preferences" })
      .click();
    await app.expectHeading("Notification preferences");
    const quizMail = page.getByRole("checkbox", {
      name: "Email: A quiz attempt of yours was graded",
    });
    await quizMail.waitFor();
    expect(await quizMail.isChecked()).toBe(true);
    await checkPage(page, "notification preferences");
    await quizMail.uncheck();
    await page.getByRole("checkbox", { name: "In app: A lesson became available" }).uncheck();
    const answer = await afterResponse(page, "/api/v1/notifications/preferences", () =>
      page.getByRole("button", { name: "Save preferences" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page.getByRole("status").getByText("Your notification preferences are saved.").waitFor();

    const stored = await page.request.get(`${server.url}/api/v1/notifications/preferences`);
    const { data } = await stored.json();
    expect(data.types["quiz-graded"]).toMatchObject({ email: false, inApp: true });
    expect(data.types["lesson-unlocked"]).toMatchObject({ inApp: false });
    expect(data.types["certificate-issued"]).toMatchObject({ email: true, inApp: true });
    await page.reload();
    await app.expectHeading("Notification preferences");
    expect(
      await page
        .getByRole("checkbox", { name: "Email: A quiz attempt of yours was graded" })
        .isChecked(),
    ).toBe(false);
  });

  it("shows new notifications under the bell and on their page, and marks them read", async () => {
    await notify(server.app.system, {
      userId: learnerId,
      type: "certificate-issued",
      variables: { courseTitle: "Notes on the Engine", certificateNumber: "LYC-2026-000001" },
      actionPath: "/certificates/00000000-0000-4000-8000-000000000001",
    });
    await notify(server.app.system, {
      userId: learnerId,
      type: "announcement",
      variables: { courseTitle: "Notes on the Engine", announcementTitle: "New notes" },
      actionPath: `/courses/${courseId}`,
    });
    await app.open("/");
    await app.expectHeading("My learning");
    // The welcome notification of a registered account does not exist for a factory user.
    await bell(page, "Notifications, 2 unread").waitFor();
    await bell(page, "Notifications, 2 unread").click();
    const latest = page.getByRole("list", { name: "Latest notifications", exact: true });
    await latest.getByRole("link", { name: "Notes on the Engine: New notes" }).waitFor();
    await latest.getByRole("link", { name: "Your certificate for Notes on the Engine" }).waitFor();
    await checkPage(page, "bell popover");
    await page.getByRole("link", { name: "See all notifications" }).click();

    await app.expectHeading("Notifications");
    const list = page.getByRole("list", { name: "Your notifications" });
    await list.getByText("Certificate LYC-2026-000001 is ready to download and share.").waitFor();
    expect(await list.locator("[data-unread=true]").count()).toBe(2);
    await checkPage(page, "notifications");

    const marked = await afterResponse(
      page,
      await notificationPath("Your certificate for Notes on the Engine"),
      () =>
        page
          .getByRole("button", { name: "Mark read: Your certificate for Notes on the Engine" })
          .click(),
    );
    expect(marked.status()).toBe(200);
    await bell(page, "Notifications, 1 unread").waitFor();
    await list.locator("[data-unread=true]").nth(1).waitFor({ state: "detached" });

    // Opening one follows its link and marks it read (and clicked).
    const opened = await afterResponse(
      page,
      await notificationPath("Notes on the Engine: New notes"),
      () => list.getByRole("link", { name: "Notes on the Engine: New notes" }).click(),
    );
    expect(opened.status()).toBe(200);
    await app.expectHeading("Notes on the Engine");
    expect(app.path()).toBe(`/courses/${courseId}`);
    await bell(page, "Notifications").waitFor();
    const rows = await server.app.system.db
      .selectFrom("notifications")
      .select(["title", "read_at", "clicked_at"])
      .where("user_id", "=", learnerId)
      .orderBy("title")
      .execute();
    expect(rows.map((r) => [r.title, !!r.read_at, !!r.clicked_at])).toEqual([
      ["Notes on the Engine: New notes", true, true],
      ["Your certificate for Notes on the Engine", true, false],
    ]);

    await notify(server.app.system, {
      userId: learnerId,
      type: "course-completed",
      variables: { courseTitle: "Notes on the Engine" },
    });
    await app.open("/notifications");
    await bell(page, "Notifications, 1 unread").waitFor();
    const all = await afterResponse(page, "/api/v1/notifications/read-all", () =>
      page.getByRole("button", { name: "Mark all read" }).click(),
    );
    expect(all.status()).toBe(200);
    await page.getByRole("status").getByText("1 notification marked read.").waitFor();
    await bell(page, "Notifications").waitFor();
    expect(await list.locator("[data-unread=true]").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Mark all read" }).isDisabled()).toBe(true);
  });

  it("accepts an invitation mailed to the signed-in learner", async () => {
    const sent = await server.app.http.post(
      `/api/v1/organizations/${organization.id}/invites`,
      { email: learner.email, message: "Join our reading group." },
      adminCredentials,
    );
    expect(sent.status).toBe(201);
    await app.open(await mailedInvitePath(learner.email));
    await app.expectHeading(`Join ${organization.name}`);
    await page
      .getByText(`Org Admin invited ${learner.email} to join ${organization.name} on Lyceum.`)
      .waitFor();
    await page.getByText("Join our reading group.").waitFor();
    await checkPage(page, "invitation for the signed-in learner");
    const answer = await afterResponse(page, "/api/v1/invites/accept", () =>
      page.getByRole("button", { name: "Accept and join" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page
      .getByRole("status")
      .getByText(`You are now a member of ${organization.name}.`)
      .waitFor();
    const membership = await server.app.system.db
      .selectFrom("organization_members")
      .select(["status"])
      .where("organization_id", "=", organization.id)
      .where("user_id", "=", learnerId)
      .executeTakeFirst();
    expect(membership?.status).toBe("active");
  });

  it("creates an account for a new address from its invitation", async () => {
    const newcomer = `charles-${Date.now()}@example.org`;
    const sent = await server.app.http.post(
      `/api/v1/organizations/${organization.id}/invites`,
      { email: newcomer },
      adminCredentials,
    );
    expect(sent.status).toBe(201);
    const visitor = await browser.newContext({ locale: "en-GB" });
    const visitorPage = await visitor.newPage();
    journey.watch(visitorPage);
    const guest = new Lyceum(visitorPage, server.url);
    await guest.open(await mailedInvitePath(newcomer));
    await guest.expectHeading(`Join ${organization.name}`);
    await visitorPage.getByRole("heading", { name: "Create your account" }).waitFor();
    expect(await visitorPage.getByLabel("Email").inputValue()).toBe(newcomer);
    await visitorPage.getByLabel("First name").fill("Charles");
    await visitorPage.getByLabel("Last name").fill("Babbage");
    await visitorPage.getByLabel(/^Password/).fill("short");
    expect(
      await visitorPage.getByTestId("password-rules").locator("[data-met=false]").count(),
    ).toBeGreaterThan(0);
    await checkPage(visitorPage, "invitation for a new address");
    await visitorPage.getByLabel(/^Password/).fill("Difference-Engine-1822");
    expect(
      await visitorPage.getByTestId("password-rules").locator("[data-met=false]").count(),
    ).toBe(0);
    const answer = await afterResponse(visitorPage, "/api/v1/invites/accept-new", () =>
      visitorPage.getByRole("button", { name: "Create account and join" }).click(),
    );
    expect(answer.status()).toBe(201);
    await visitorPage
      .getByRole("status")
      .getByText(`Your account is ready and you joined ${organization.name}.`, { exact: false })
      .waitFor();
    const account = await server.app.system.db
      .selectFrom("users as u")
      .innerJoin("organization_members as m", "m.user_id", "u.id")
      .select(["u.first_name", "u.email_verified", "m.organization_id"])
      .where("u.email", "=", newcomer)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({
      first_name: "Charles",
      email_verified: true,
      organization_id: organization.id,
    });
    // The link has done its work: opening it again says so.
    await visitorPage.reload();
    await visitorPage
      .getByRole("alert")
      .getByText("This invitation was already accepted.")
      .waitFor();
    await visitor.close();
  });

  it("tells another signed-in person the invitation is not theirs, and brings its owner back after signing in", async () => {
    const sent = await server.app.http.post(
      `/api/v1/organizations/${organization.id}/invites`,
      { email: grace.email, roleKey: "instructor" },
      adminCredentials,
    );
    expect(sent.status).toBe(201);
    const link = await mailedInvitePath(grace.email);
    await app.open(link);
    await app.expectHeading(`Join ${organization.name}`);
    await app
      .alert()
      .getByText(`This invitation is for ${grace.email}, but you are signed in as`, {
        exact: false,
      })
      .waitFor();
    expect(await page.getByRole("button", { name: "Accept and join" }).count()).toBe(0);
    await checkPage(page, "invitation for someone else");

    const visitor = await browser.newContext({ locale: "en-GB" });
    const visitorPage = await visitor.newPage();
    journey.watch(visitorPage);
    const owner = new Lyceum(visitorPage, server.url);
    await owner.open(link);
    await owner.expectHeading(`Join ${organization.name}`);
    await visitorPage.getByText("Your role there: Instructor").waitFor();
    await visitorPage
      .getByText(`${grace.email} already has a Lyceum account.`, { exact: false })
      .waitFor();
    await checkPage(visitorPage, "invitation for an existing account, signed out");
    await visitorPage.getByRole("link", { name: "Sign in to accept" }).click();
    await owner.expectHeading("Sign in");
    expect((await owner.signIn(grace.email, PASSWORD)).status()).toBe(200);
    await owner.expectHeading(`Join ${organization.name}`);
    expect(owner.path()).toBe(link);
    const answer = await afterResponse(visitorPage, "/api/v1/invites/accept", () =>
      visitorPage.getByRole("button", { name: "Accept and join" }).click(),
    );
    expect(answer.status()).toBe(200);
    await visitorPage
      .getByRole("status")
      .getByText(`You are now a member of ${organization.name}.`)
      .waitFor();
    const roles = await server.app.system.db
      .selectFrom("user_roles as ur")
      .innerJoin("roles as r", "r.id", "ur.role_id")
      .select("r.key")
      .where("ur.user_id", "=", grace.id)
      .where("ur.organization_id", "=", organization.id)
      .orderBy("r.key")
      .execute();
    expect(roles.map((r) => r.key)).toEqual(["instructor", "learner"]);
    await visitor.close();
  });

  it("declines an invitation after confirming, which the organization then sees", async () => {
    const invitee = `ida-${Date.now()}@example.org`;
    const sent = await server.app.http.post(
      `/api/v1/organizations/${organization.id}/invites`,
      { email: invitee },
      adminCredentials,
    );
    expect(sent.status).toBe(201);
    const inviteId: string = sent.body.data.invite.id;
    const storedInvite = () =>
      server.app.system.db
        .selectFrom("organization_invites")
        .select(["status", "declined_at"])
        .where("id", "=", inviteId)
        .executeTakeFirstOrThrow();
    const visitor = await browser.newContext({ locale: "en-GB" });
    const visitorPage = await visitor.newPage();
    journey.watch(visitorPage);
    const guest = new Lyceum(visitorPage, server.url);
    const link = await mailedInvitePath(invitee);
    await guest.open(link);
    await guest.expectHeading(`Join ${organization.name}`);
    const dialog = visitorPage.getByRole("dialog", {
      name: `Decline the invitation to ${organization.name}?`,
    });

    // Keeping the invitation records nothing.
    await visitorPage.getByRole("button", { name: "Decline", exact: true }).click();
    await dialog.getByText("this link will stop working", { exact: false }).waitFor();
    await checkPage(visitorPage, "decline confirmation");
    await dialog.getByRole("button", { name: "Keep the invitation" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await storedInvite()).toEqual({ status: "pending", declined_at: null });

    await visitorPage.getByRole("button", { name: "Decline", exact: true }).click();
    const answer = await afterResponse(visitorPage, "/api/v1/invites/decline", () =>
      dialog.getByRole("button", { name: "Decline invitation" }).click(),
    );
    expect(answer.status()).toBe(200);
    const result = visitorPage
      .getByRole("status")
      .getByText(`You declined the invitation to join ${organization.name}.`, { exact: false });
    await result.waitFor();
    await checkPage(visitorPage, "invitation declined");
    const stored = await storedInvite();
    expect(stored.status).toBe("declined");
    expect(stored.declined_at).toBeInstanceOf(Date);
    // The organization's list shows the answer.
    const listed = await server.app.http.get(
      `/api/v1/organizations/${organization.id}/invites?email=${encodeURIComponent(invitee)}`,
      adminCredentials,
    );
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: inviteId, status: "declined" }),
    ]);
    // Opened again, the link says it was declined and offers nothing to accept.
    await visitorPage.reload();
    await result.waitFor();
    expect(await visitorPage.getByRole("button", { name: "Create account and join" }).count()).toBe(
      0,
    );
    await visitor.close();
  });

  it("says clearly when an invitation link is not valid", async () => {
    await app.open(`/invites/accept?token=${"x".repeat(43)}`);
    await app.expectHeading("Invitation");
    await app.alert().getByText("This invitation link is not valid.", { exact: false }).waitFor();
    await checkPage(page, "invalid invitation");
    await app.open("/invites/accept");
    await app.alert().getByText("This link has no invitation token.", { exact: false }).waitFor();
  });

  it("changes the email address through the link mailed to the new one", async () => {
    const newEmail = `ada-new-${Date.now()}@example.org`;
    await app.open("/account/profile");
    await app.expectHeading("Your profile");
    await page.getByLabel("New email address").fill(newEmail);
    const answer = await afterResponse(page, "/api/v1/users/me", () =>
      page.getByRole("button", { name: "Change email address" }).click(),
    );
    expect(answer.status()).toBe(200);
    await page
      .getByRole("status")
      .getByText(`We sent a confirmation link to ${newEmail}.`, { exact: false })
      .waitFor();
    await page.getByText(`Waiting for confirmation: ${newEmail}.`, { exact: false }).waitFor();

    await app.open(await server.mailedLink(newEmail, "/verify-email"));
    await app.expectHeading("Confirm your email address");
    await page.getByText(`Your email address is now ${newEmail}.`, { exact: false }).waitFor();
    await checkPage(page, "email change confirmed");
    await page.getByRole("link", { name: "Continue" }).click();
    await app.expectHeading("Your profile");
    await page.getByText(`Your address: ${newEmail}`).waitFor();
  });

  it("changes the password, refusing a wrong current one", async () => {
    const next = "Difference-Engine-1822";
    await page.getByLabel(/^Current password/).fill("not-my-password");
    await page.getByLabel(/^New password/).fill(next);
    await page.getByLabel(/^Repeat the new password/).fill(next);
    const refused = await afterResponse(page, "/api/v1/auth/change-password", () =>
      page.getByRole("button", { name: "Change password" }).click(),
    );
    expect(refused.status()).toBe(401);
    // The API names the field: its message shows on that input.
    await page.getByText("The current password is incorrect").waitFor();
    await page.getByLabel(/^Current password/).fill(password);
    const changed = await afterResponse(page, "/api/v1/auth/change-password", () =>
      page.getByRole("button", { name: "Change password" }).click(),
    );
    expect(changed.status()).toBe(200);
    await page
      .getByRole("status")
      .getByText("Your password is changed.", { exact: false })
      .waitFor();
    await checkPage(page, "password changed");
    const email = await server.app.system.db
      .selectFrom("users")
      .select("email")
      .where("id", "=", learnerId)
      .executeTakeFirstOrThrow();
    const login = await server.app.http.post("/api/v1/auth/login", { ...email, password: next });
    expect(login.status).toBe(200);
    expect(journey.problems).toEqual([]);
  });
});

/** The mark-read path of the learner's notification with this title. */
async function notificationPath(title: string): Promise<string> {
  const row = await server.app.system.db
    .selectFrom("notifications")
    .select("id")
    .where("user_id", "=", learnerId)
    .where("title", "=", title)
    .executeTakeFirstOrThrow();
  return `/api/v1/notifications/${row.id}/read`;
}
