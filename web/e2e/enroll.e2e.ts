import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCohort, transitionCohort } from "../../src/modules/cohorts/cohorts.js";
import { createAccessCode } from "../../src/modules/enrollment/access-codes.js";
import { enroll } from "../../src/modules/enrollment/enroll.js";
import { changeEnrollment } from "../../src/modules/enrollment/manage.js";
import { beginCheckout } from "../../src/modules/enrollment/payments.js";
import { reviewRequest } from "../../src/modules/enrollment/requests.js";
import { makeUser, publishedCourse } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * Every way into a course, as a learner in chromium: card checkout through the local
 * processor (cancelled, then paid; and back to the return addresses a checkout names), an access code (wrong, then right), a request an
 * instructor approves, a full cohort's waitlist and the mailed seat offer, leaving a course,
 * and training an organization assigned with a due date.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;

/** The server's public address in links it makes (test/harness.ts: PUBLIC_URL). */
const PUBLIC_URL = "http://lyceum.test";
const PASSWORD = "Enrolment-Journey-2026";
const ZONE = "Asia/Tokyo";
const ids = { learner: "", other: "", paid: "", invite: "", approval: "", cohortCourse: "" };
const ids2 = { cohort: "", otherEnrollment: "", assigned: "", returning: "" };
const learnerEmail = `enroll-${Date.now()}@example.org`;
const titles = {
  paid: "Celestial Navigation",
  invite: "Private Telescope Workshop",
  approval: "Advanced Astrophotography",
  cohortCourse: "Star Party Field Course",
  assigned: "Observatory Safety",
  returning: "Lunar Cartography",
};
const day = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  journey = await openJourney({
    async prepare(context, server) {
      // Links the server makes (checkout URLs, mailed offers) name its public address; this
      // test's server listens on a loopback port instead, so the address leads there.
      await context.route(`${PUBLIC_URL}/**`, (route) => {
        const url = new URL(route.request().url());
        return route.fulfill({
          status: 302,
          headers: { location: `${server.url}${url.pathname}${url.search}` },
        });
      });
    },
  });
  ({ server, page, app } = journey);

  const system = server.app.system;
  const instructor = await makeUser(server.app, { firstName: "Maria", lastName: "Mitchell" });
  const learner = await makeUser(server.app, {
    email: learnerEmail,
    firstName: "Caroline",
    lastName: "Herschel",
    password: PASSWORD,
  });
  ids.learner = learner.id;
  await system.db
    .updateTable("users")
    .set({ timezone: ZONE })
    .where("id", "=", learner.id)
    .execute();
  const other = await makeUser(server.app, { firstName: "Annie", lastName: "Cannon" });
  ids.other = other.id;

  const paid = await publishedCourse(server.app, {
    code: "NAV-200",
    title: titles.paid,
    instructorId: instructor.id,
    enrollmentType: "paid",
    priceAmount: 4_900,
    currency: "EUR",
  });
  ids.paid = paid.id;
  const returning = await publishedCourse(server.app, {
    code: "LUN-120",
    title: titles.returning,
    instructorId: instructor.id,
    enrollmentType: "paid",
    priceAmount: 1_500,
    currency: "EUR",
  });
  ids2.returning = returning.id;
  const invite = await publishedCourse(server.app, {
    code: "TEL-300",
    title: titles.invite,
    instructorId: instructor.id,
    enrollmentType: "invite",
  });
  ids.invite = invite.id;
  await createAccessCode(system, invite.id, { code: "STARLIGHT-42" });
  const approval = await publishedCourse(server.app, {
    code: "AST-400",
    title: titles.approval,
    instructorId: instructor.id,
    enrollmentType: "approval",
  });
  ids.approval = approval.id;

  // A cohort with one seat, taken by someone else: the learner joins its waitlist.
  const cohortCourse = await publishedCourse(server.app, {
    code: "STAR-150",
    title: titles.cohortCourse,
    instructorId: instructor.id,
    delivery: "cohort-based",
  });
  ids.cohortCourse = cohortCourse.id;
  const cohort = await createCohort(system, cohortCourse.id, {
    name: "Evening cohort",
    startsAt: new Date(Date.now() + 30 * day).toISOString(),
    endsAt: new Date(Date.now() + 60 * day).toISOString(),
    capacity: 1,
  });
  ids2.cohort = (await transitionCohort(system, cohort.id, "open")).id;
  const taken = await enroll(system, {
    userId: other.id,
    courseId: cohortCourse.id,
    cohortId: cohort.id,
    source: "admin",
  });
  if (taken.kind !== "enrolled") throw new Error("the only seat should have been free");
  ids2.otherEnrollment = taken.enrollment.id;

  // Training assigned to the learner: mandatory, due in two weeks.
  const assigned = await publishedCourse(server.app, {
    code: "SAFE-100",
    title: titles.assigned,
    instructorId: instructor.id,
  });
  ids2.assigned = assigned.id;
  await enroll(system, {
    userId: learner.id,
    courseId: assigned.id,
    source: "admin",
    dueAt: new Date(Date.now() + 14 * day),
    isMandatory: true,
  });
});

afterAll(async () => {
  await journey?.close();
});

/** The learner's enrollment in a course as the server stored it. */
function storedEnrollment(courseId: string) {
  return server.app.system.db
    .selectFrom("enrollments")
    .select(["id", "status", "source", "payment_status", "cohort_id"])
    .where("user_id", "=", ids.learner)
    .where("course_id", "=", courseId)
    .executeTakeFirst();
}

function storedPayments(courseId: string) {
  return server.app.system.db
    .selectFrom("payments")
    .select(["id", "status", "amount", "currency", "provider", "checkout_url"])
    .where("user_id", "=", ids.learner)
    .where("course_id", "=", courseId)
    .execute();
}

/** A date and time as the app shows it to the learner: English, in their profile's zone. */
function shown(iso: string | Date): string {
  return new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: ZONE,
  }).format(new Date(iso));
}

async function openCourse(courseId: string, title: string, query = "") {
  await app.open(`/courses/${courseId}${query}`);
  await app.expectHeading(title);
}

describe("enrolling in chromium", () => {
  it("signs the learner in", async () => {
    await app.open("/sign-in");
    const answer = await app.signIn(learnerEmail, PASSWORD);
    expect(answer.status()).toBe(200);
    await app.expectHeading("My learning");
  });

  it("pays for a course: a cancelled checkout charges nothing, a paid one enrolls", async () => {
    await openCourse(ids.paid, titles.paid);
    const pay = page.getByRole("button", { name: "Pay €49.00 and enroll" });
    await pay.waitFor();
    await page.getByText("By Maria Mitchell").waitFor();
    await checkPage(page, "paid course");

    // The page leaves for the checkout URL at once, so what the server stored is read instead.
    const started = await afterResponse(page, "/api/v1/enrollments/checkout", () => pay.click());
    expect(started.status()).toBe(201);
    const [payment] = await storedPayments(ids.paid);
    if (!payment) throw new Error("no payment was stored");
    expect(payment.checkout_url).toBe(`${PUBLIC_URL}/payments/${payment.id}/checkout`);
    await page.waitForURL(`${server.url}/payments/${payment.id}/checkout`);
    await app.expectHeading("Test payment");
    await page.getByText("€49.00", { exact: true }).waitFor();
    await page.getByText(titles.paid).waitFor();
    await checkPage(page, "local checkout");

    await page.getByRole("button", { name: "Cancel payment" }).click();
    await app.expectHeading(titles.paid);
    expect(app.path()).toBe(`/courses/${ids.paid}?payment=cancelled`);
    await page.getByText("Payment cancelled, nothing was charged.").waitFor();
    await checkPage(page, "payment cancelled");
    expect(await storedPayments(ids.paid)).toMatchObject([{ status: "pending" }]);
    expect((await storedEnrollment(ids.paid))?.status).toBe("pending-payment");

    // Trying again resumes the same checkout rather than holding a second seat.
    const again = await afterResponse(page, "/api/v1/enrollments/checkout", () =>
      page.getByRole("button", { name: "Try the payment again" }).click(),
    );
    expect(again.status()).toBe(201);
    await page.waitForURL(`${server.url}/payments/${payment.id}/checkout`);
    await app.expectHeading("Test payment");
    expect(await storedPayments(ids.paid)).toHaveLength(1);
    const settled = await afterResponse(page, `/api/v1/payments/${payment.id}/simulate`, () =>
      page.getByRole("button", { name: "Pay €49.00" }).click(),
    );
    expect(settled.status()).toBe(200);
    await page.getByText("Payment received, you are enrolled.").waitFor();
    expect(app.path()).toBe(`/courses/${ids.paid}?payment=success`);
    await page.getByText("You are enrolled in this course.").waitFor();
    await checkPage(page, "payment received");
    expect(await storedPayments(ids.paid)).toMatchObject([
      { id: payment.id, status: "completed", amount: 4_900, currency: "EUR", provider: "local" },
    ]);
    expect(await storedEnrollment(ids.paid)).toMatchObject({
      status: "active",
      source: "paid",
      payment_status: "completed",
    });
  });

  it("returns from the test payment page to the addresses the checkout was opened with", async () => {
    // An API client opened this checkout with return addresses of its own (of the site: the
    // server refuses others, src/modules/enrollment/payments.test.ts).
    const opened = await beginCheckout(server.app.system, ids.learner, {
      courseId: ids2.returning,
      method: "card",
      successUrl: `${PUBLIC_URL}/?paid={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${PUBLIC_URL}/catalog`,
    });
    const { payment } = opened;
    const checkout = `/payments/${payment.id}/checkout`;
    await app.open(checkout);
    await app.expectHeading("Test payment");
    await page.getByText("€15.00", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Cancel payment" }).click();
    await page.waitForURL(`${server.url}/catalog`);
    await app.expectHeading("Catalog");
    expect((await storedPayments(ids2.returning))[0]?.status).toBe("pending");

    await app.open(checkout);
    await app.expectHeading("Test payment");
    const settled = await afterResponse(page, `/api/v1/payments/${payment.id}/simulate`, () =>
      page.getByRole("button", { name: "Pay €15.00" }).click(),
    );
    expect(settled.status()).toBe(200);
    await page.waitForURL(`${server.url}/?paid=${payment.checkout_id}`);
    await app.expectHeading("My learning");
    await page.getByText(titles.returning).first().waitFor();
    await checkPage(page, "back from paying to the chosen address");
    expect(await storedEnrollment(ids2.returning)).toMatchObject({
      status: "active",
      payment_status: "completed",
    });
  });

  it("joins with an access code: a wrong one is refused at the field, the right one enrolls", async () => {
    await openCourse(ids.invite, titles.invite);
    const code = page.getByLabel("Access code");
    await code.fill("NOT-A-CODE");
    const wrong = await afterResponse(page, "/api/v1/enrollments/redeem", () =>
      page.getByRole("button", { name: "Join with this code" }).click(),
    );
    expect(wrong.status()).toBe(422);
    expect((await wrong.json()).error).toMatchObject({
      code: "ACCESS_CODE_INVALID",
      field: "code",
    });
    await page.getByText("This access code is not valid").waitFor();
    expect(await code.getAttribute("aria-invalid")).toBe("true");
    await checkPage(page, "access code refused");
    expect(await storedEnrollment(ids.invite)).toBeUndefined();

    await code.fill("starlight-42");
    const right = await afterResponse(page, "/api/v1/enrollments/redeem", () =>
      page.getByRole("button", { name: "Join with this code" }).click(),
    );
    expect(right.status()).toBe(201);
    await page.getByText("You are enrolled in this course.").waitFor();
    await checkPage(page, "access code accepted");
    expect(await storedEnrollment(ids.invite)).toMatchObject({
      status: "active",
      source: "access-code",
    });
  });

  it("asks to join, waits for review, and is enrolled once an instructor approves", async () => {
    await openCourse(ids.approval, titles.approval);
    const sent = await afterResponse(page, "/api/v1/enrollment-requests", () =>
      page.getByRole("button", { name: "Ask to join" }).click(),
    );
    expect(sent.status()).toBe(201);
    const request = (await sent.json()).data;
    await page.getByText("Your request to join is waiting for review.").waitFor();
    await page.getByRole("button", { name: "Withdraw my request" }).waitFor();
    await checkPage(page, "request pending");

    await reviewRequest(server.app.system, request.id, "approve");
    await page.reload();
    await app.expectHeading(titles.approval);
    await page.getByText("You are enrolled in this course.").waitFor();
    await checkPage(page, "request approved");
    expect(await storedEnrollment(ids.approval)).toMatchObject({ status: "active" });
  });

  it("joins a full cohort's waitlist, then takes the seat offered by mail", async () => {
    await openCourse(ids.cohortCourse, titles.cohortCourse);
    await page.getByRole("radio", { name: /Evening cohort/ }).check();
    const joined = await app.enroll();
    expect(joined.status()).toBe(201);
    expect((await joined.json()).data.result).toBe("waitlisted");
    await page.getByText("You are number 1 on the waitlist for Evening cohort.").waitFor();
    await checkPage(page, "waitlisted");

    // The seat frees up: the learner is offered it, by mail and in the app.
    await changeEnrollment(server.app.system, ids2.otherEnrollment, "drop");
    const entry = await server.app.system.db
      .selectFrom("waitlist_entries")
      .select(["id", "status", "offer_expires_at"])
      .where("user_id", "=", ids.learner)
      .executeTakeFirstOrThrow();
    expect(entry.status).toBe("offered");
    const mail = await server.app.system.db
      .selectFrom("mail_outbox")
      .select("text_body")
      .where("to_address", "=", learnerEmail)
      .where("text_body", "like", "%/waitlist/%")
      .executeTakeFirstOrThrow();
    const link = mail.text_body.match(/https?:\/\/\S+\/waitlist\/[\w-]+/)?.[0];
    expect(link).toBe(`${PUBLIC_URL}/waitlist/${entry.id}`);

    await page.goto(link ?? "");
    await app.expectHeading("A seat is waiting for you");
    const until = shown(entry.offer_expires_at ?? "");
    await page.getByText(`It is held for you until ${until}`, { exact: false }).waitFor();
    await page.getByText("About 48 hours left.").waitFor();
    await checkPage(page, "waitlist offer");

    const accepted = await afterResponse(page, `/api/v1/waitlist/${entry.id}/accept`, () =>
      page.getByRole("button", { name: "Accept the seat" }).click(),
    );
    expect(accepted.status()).toBe(200);
    await app.expectHeading("You are enrolled");
    await checkPage(page, "waitlist offer accepted");
    expect(await storedEnrollment(ids.cohortCourse)).toMatchObject({
      status: "active",
      source: "waitlist",
      cohort_id: ids2.cohort,
    });
    const after = await server.app.system.db
      .selectFrom("waitlist_entries")
      .select("status")
      .where("id", "=", entry.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe("enrolled");
  });

  it("leaves a course after confirming", async () => {
    await page.getByRole("link", { name: "Go to the course" }).click();
    await app.expectHeading(titles.cohortCourse);
    await page.getByRole("button", { name: "Leave this course" }).click();
    const dialog = page.getByRole("dialog", { name: `Leave ${titles.cohortCourse}?` });
    await dialog.waitFor();
    await checkPage(page, "leave the course");
    const held = await storedEnrollment(ids.cohortCourse);
    const dropped = await afterResponse(page, `/api/v1/enrollments/${held?.id}/drop`, () =>
      dialog.getByRole("button", { name: "Leave the course" }).click(),
    );
    expect(dropped.status()).toBe(200);
    await page.getByRole("button", { name: "Enroll", exact: true }).waitFor();
    await dialog.waitFor({ state: "detached" });
    expect((await storedEnrollment(ids.cohortCourse))?.status).toBe("dropped");
  });

  it("shows assigned mandatory training with its due date, and no way to leave it", async () => {
    await openCourse(ids2.assigned, titles.assigned);
    const stored = await server.app.system.db
      .selectFrom("enrollments")
      .select("due_at")
      .where("user_id", "=", ids.learner)
      .where("course_id", "=", ids2.assigned)
      .executeTakeFirstOrThrow();
    await page.getByText(`Due by ${shown(stored.due_at ?? "")}`).waitFor();
    await page.getByText("Mandatory", { exact: true }).waitFor();
    await page.getByText("This training was assigned to you as mandatory").waitFor();
    expect(await page.getByRole("button", { name: "Leave this course" }).count()).toBe(0);
    await checkPage(page, "assigned training");
  });

  it("met no CSP refusal or page error", () => {
    expect(journey.problems).toEqual([]);
  });
});
