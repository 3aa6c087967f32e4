import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, publishedCourse } from "../../test/factories.js";
import { type Journey, openJourney } from "./journey.js";
import { KeyboardUser } from "./keyboard.js";
import { afterResponse } from "./pages.js";
import type { E2eServer } from "./server.js";

// The learner's core path with the keyboard alone: no click, no fill. Every stop Tab reaches
// on the way must show that it has focus (keyboard.ts). The lesson player and quiz taking
// follow in keyboard-learning.e2e.ts.

let journey: Journey;
let server: E2eServer;
let page: Page;
const password = "Keyboard-Only-2026!";
const email = `keys-${Date.now()}@example.org`;
const title = "Navigating by Keyboard";

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page } = journey);
  await makeUser(server.app, { email, password, firstName: "Kim", lastName: "Keys" });
  const instructor = await makeUser(server.app, { firstName: "Tab", lastName: "Stop" });
  await publishedCourse(server.app, { code: "KEY-101", title, instructorId: instructor.id });
});

afterAll(async () => {
  await journey?.close();
});

/** The person at the keyboard, and where focus is. */
const keys = () => new KeyboardUser(page);
const focused = () => keys().focused();
const tabTo = (name: RegExp) => keys().tabTo(name);

describe("the learner's path with the keyboard alone", () => {
  it("skips to the content, signs in, opens the catalog and a course, enrolls, signs out", async () => {
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();

    const signIn = await keys().signIn(email, password);
    expect(signIn.status()).toBe(200);
    await page.getByRole("heading", { level: 1, name: "My learning" }).waitFor();

    // On a page loaded afresh, the first Tab stop is the skip link, shown while it has
    // focus; Enter moves focus into the main content, past the header and navigation.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "My learning" }).waitFor();
    await page.keyboard.press("Tab");
    expect((await focused())?.name).toBe("Skip to content");
    const skip = await page.getByRole("link", { name: "Skip to content" }).boundingBox();
    expect(skip && skip.width > 0 && skip.y >= 0).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    await tabTo(/^Catalog$/);
    await page.keyboard.press("Enter");
    const catalog = page.getByRole("heading", { level: 1, name: "Catalog" });
    await catalog.waitFor();
    // Focus went to the new page's heading: the next Tab continues from the top of the page.
    await expect.poll(() => focused().then((f) => f?.name)).toBe("Catalog");

    await tabTo(new RegExp(`^${title}`));
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: title }).waitFor();

    await tabTo(/^Enroll$/);
    const enrolled = await afterResponse(page, "/api/v1/enrollments", () =>
      page.keyboard.press("Enter"),
    );
    expect(enrolled.status()).toBe(201);
    const mine = await page.request.get(`${server.url}/api/v1/enrollments/mine`);
    const rows = (await mine.json()).data as Array<{ course?: { title: string } }>;
    expect(rows.some((r) => r.course?.title === title)).toBe(true);

    // The account menu opens with Enter and its items are reached with the arrow keys.
    await tabTo(/Account menu for Kim Keys$/);
    await page.keyboard.press("Enter");
    await page.getByRole("menuitem", { name: "Sign out" }).waitFor();
    // The menu loops, so arrows reach "Sign out" from wherever focus lands while it opens.
    await keys().arrowUntil(async () => (await focused())?.name === "Sign out", "ArrowDown", 12);
    const signOut = await afterResponse(page, "/api/v1/auth/logout", () =>
      page.keyboard.press("Enter"),
    );
    expect(signOut.status()).toBe(200);
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
  });
});
