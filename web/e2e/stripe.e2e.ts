import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRIPE_API_VERSION } from "../../src/platform/payments/stripe.js";
import { makeUser, publishedCourse } from "../../test/factories.js";
import { type StripeFake, startStripeFake } from "../../test/stripe-fake.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * Paid enrollment through Stripe's hosted checkout, as a learner in chromium: Lyceum runs with
 * `PAYMENT_PROVIDER=stripe` against the local stand-in for Stripe (test/stripe-fake.ts), whose
 * Checkout Sessions lead to its own hosted page. Paying there sends the signed
 * `checkout.session.completed` event to Lyceum's webhook route and returns to the course;
 * cancelling returns without charging. Nothing leaves the machine.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let stripe: StripeFake;

/** The server's public address in links it makes (test/harness.ts: PUBLIC_URL). */
const PUBLIC_URL = "http://lyceum.test";
const SECRET_KEY = "sk_test_browser_journey";
const WEBHOOK_SECRET = "whsec_browser_journey";
const PASSWORD = "Stripe-Journey-2026";
const learnerEmail = `stripe-${Date.now()}@example.org`;
const ids = { learner: "", paid: "", cancelled: "" };
const titles = { paid: "Orbital Mechanics", cancelled: "Radio Astronomy Basics" };

beforeAll(async () => {
  stripe = await startStripeFake(SECRET_KEY);
  journey = await openJourney({
    server: {
      env: {
        PAYMENT_PROVIDER: "stripe",
        STRIPE_SECRET_KEY: SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: stripe.url,
      },
    },
    async prepare(context, server) {
      // Return addresses name the server's public address; this test's server listens on a
      // loopback port instead, so the address leads there.
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
  // Stripe's notices go to Lyceum's webhook route, signed at Lyceum's (standing) clock.
  stripe.sendWebhooksTo({
    url: `${server.url}/api/v1/payments/webhooks/stripe`,
    secret: WEBHOOK_SECRET,
    now: () => server.app.clock.now(),
  });

  const instructor = await makeUser(server.app, { firstName: "Johannes", lastName: "Kepler" });
  const learner = await makeUser(server.app, {
    email: learnerEmail,
    firstName: "Vera",
    lastName: "Rubin",
    password: PASSWORD,
  });
  ids.learner = learner.id;
  const paid = await publishedCourse(server.app, {
    code: "ORB-210",
    title: titles.paid,
    instructorId: instructor.id,
    enrollmentType: "paid",
    priceAmount: 12_900,
    currency: "EUR",
  });
  ids.paid = paid.id;
  const cancelled = await publishedCourse(server.app, {
    code: "RAD-110",
    title: titles.cancelled,
    instructorId: instructor.id,
    enrollmentType: "paid",
    priceAmount: 2_500,
    currency: "GBP",
  });
  ids.cancelled = cancelled.id;
});

afterAll(async () => {
  await journey?.close();
  await stripe?.close();
});

function storedPayment(courseId: string) {
  return server.app.system.db
    .selectFrom("payments")
    .select(["id", "status", "provider", "amount", "currency", "checkout_id", "payment_reference"])
    .where("user_id", "=", ids.learner)
    .where("course_id", "=", courseId)
    .execute();
}

function storedEnrollment(courseId: string) {
  return server.app.system.db
    .selectFrom("enrollments")
    .select(["status", "source", "payment_status", "checkout_id"])
    .where("user_id", "=", ids.learner)
    .where("course_id", "=", courseId)
    .executeTakeFirst();
}

/** The requests Lyceum made to create a Checkout Session for a payment. */
function sessionRequests(paymentId: string) {
  return stripe.requests.filter(
    (r) => r.path === "/v1/checkout/sessions" && r.form.get("client_reference_id") === paymentId,
  );
}

/**
 * Clicks the course page's pay button and follows the browser to Stripe's hosted checkout.
 * The page leaves for the checkout URL at once, so what the server stored is read instead.
 */
async function startPaying(courseId: string, button: string) {
  const started = await afterResponse(page, "/api/v1/enrollments/checkout", () =>
    page.getByRole("button", { name: button }).click(),
  );
  expect(started.status()).toBe(201);
  const payment = await server.app.system.db
    .selectFrom("payments")
    .select(["id", "checkout_id", "checkout_url"])
    .where("user_id", "=", ids.learner)
    .where("course_id", "=", courseId)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  const checkoutId = payment.checkout_id ?? "";
  await page.waitForURL(`${stripe.url}/c/pay/${checkoutId}`);
  await page.getByRole("heading", { level: 1, name: "Stripe test checkout" }).waitFor();
  return { id: payment.id, checkoutId, checkoutUrl: payment.checkout_url };
}

/** What the hosted page shows of the session: description, amount, currency, email. */
async function shownFacts(): Promise<Record<string, string>> {
  const terms = await page.locator("dt").allTextContents();
  const values = await page.locator("dd").allTextContents();
  return Object.fromEntries(terms.map((term, i) => [term, values[i] ?? ""]));
}

describe("paying through Stripe's hosted checkout in chromium", () => {
  it("signs the learner in", async () => {
    await app.open("/sign-in");
    const answer = await app.signIn(learnerEmail, PASSWORD);
    expect(answer.status()).toBe(200);
    await app.expectHeading("My learning");
  });

  it("pays on Stripe's page, waits for Stripe's notice, and is enrolled once it arrives", async () => {
    await app.open(`/courses/${ids.paid}`);
    await app.expectHeading(titles.paid);
    await page.getByText("By Johannes Kepler").waitFor();
    await checkPage(page, "paid course with Stripe");

    const payment = await startPaying(ids.paid, "Pay €129.00 and enroll");
    // The session Lyceum created, once, keyed by the payment so a retry cannot make another.
    const requests = sessionRequests(payment.id);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: "POST",
      authorization: `Bearer ${SECRET_KEY}`,
      idempotencyKey: `checkout-${payment.id}`,
      stripeVersion: STRIPE_API_VERSION,
      replayed: false,
    });
    const form = requests[0]?.form;
    expect(form?.get("success_url")).toBe(`${PUBLIC_URL}/courses/${ids.paid}?payment=success`);
    expect(form?.get("cancel_url")).toBe(`${PUBLIC_URL}/courses/${ids.paid}?payment=cancelled`);
    expect(form?.get("customer_email")).toBe(learnerEmail);
    const session = stripe.sessions.get(payment.checkoutId)?.session;
    expect(session).toMatchObject({ amount_total: 12_900, currency: "eur", status: "open" });
    expect(payment.checkoutUrl).toBe(session?.url);
    // The page shows that session: the course as the description, its amount and currency.
    expect(await shownFacts()).toEqual({
      Description: titles.paid,
      Amount: "€129.00",
      Currency: "EUR",
      Email: learnerEmail,
    });

    // Stripe's notice may reach Lyceum after the payer is back: it is held until released.
    stripe.holdWebhooks();
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await page.waitForURL(`${server.url}/courses/${ids.paid}?payment=success`);
    await app.expectHeading(titles.paid);
    await page.getByText("Confirming your payment…").waitFor();
    await checkPage(page, "Stripe payment confirming");
    expect(await storedPayment(ids.paid)).toMatchObject([{ status: "pending" }]);
    expect((await storedEnrollment(ids.paid))?.status).toBe("pending-payment");

    const [delivery] = await stripe.releaseWebhooks();
    expect(delivery?.event).toMatchObject({
      type: "checkout.session.completed",
      data: { object: { id: payment.checkoutId, payment_status: "paid" } },
    });
    expect(delivery?.status).toBe(200);
    expect(JSON.parse(delivery?.body ?? "{}").data).toEqual({
      received: true,
      outcome: "completed",
    });
    // The page was polling: it says so and shows the enrolled state.
    await page.getByText("Payment received, you are enrolled.").waitFor();
    await page.getByText("You are enrolled in this course.").waitFor();
    expect(app.path()).toBe(`/courses/${ids.paid}?payment=success`);
    await checkPage(page, "Stripe payment received");

    const intent = stripe.sessions.get(payment.checkoutId)?.session.payment_intent;
    expect(intent).toMatch(/^pi_test_/);
    expect(await storedPayment(ids.paid)).toEqual([
      {
        id: payment.id,
        status: "completed",
        provider: "stripe",
        amount: 12_900,
        currency: "EUR",
        checkout_id: payment.checkoutId,
        payment_reference: intent,
      },
    ]);
    expect(await storedEnrollment(ids.paid)).toEqual({
      status: "active",
      source: "paid",
      payment_status: "completed",
      checkout_id: payment.checkoutId,
    });
  });

  it("cancels on Stripe's page: nothing charged, the seat held; trying again pays the same session", async () => {
    await app.open(`/courses/${ids.cancelled}`);
    await app.expectHeading(titles.cancelled);
    const payment = await startPaying(ids.cancelled, "Pay £25.00 and enroll");
    expect((await shownFacts()).Amount).toBe("£25.00");
    const before = stripe.events.length;

    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await page.waitForURL(`${server.url}/courses/${ids.cancelled}?payment=cancelled`);
    await app.expectHeading(titles.cancelled);
    await page.getByText("Payment cancelled, nothing was charged.").waitFor();
    await checkPage(page, "Stripe payment cancelled");
    // Stripe sends nothing for a cancel: the session stays open and the seat held until the
    // checkout expires (CHECKOUT_EXPIRY_MINUTES), and the learner is not enrolled.
    expect(stripe.events.length).toBe(before);
    expect(stripe.sessions.get(payment.checkoutId)?.session.status).toBe("open");
    expect(await storedPayment(ids.cancelled)).toMatchObject([
      {
        id: payment.id,
        status: "pending",
        checkout_id: payment.checkoutId,
        payment_reference: null,
      },
    ]);
    expect(await storedEnrollment(ids.cancelled)).toMatchObject({
      status: "pending-payment",
      payment_status: "pending",
    });

    // Trying again resumes the same session (no second one at Stripe); paid now, Stripe's
    // notice arrives before the payer is back, who finds the course open at once.
    const again = await startPaying(ids.cancelled, "Try the payment again");
    expect(again).toMatchObject({ id: payment.id, checkoutId: payment.checkoutId });
    expect(sessionRequests(payment.id)).toHaveLength(1);
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await page.waitForURL(`${server.url}/courses/${ids.cancelled}?payment=success`);
    await page.getByText("Payment received, you are enrolled.").waitFor();
    await page.getByText("You are enrolled in this course.").waitFor();
    await checkPage(page, "Stripe payment received at once");
    expect(stripe.deliveries.at(-1)?.status).toBe(200);
    expect(await storedPayment(ids.cancelled)).toMatchObject([{ status: "completed" }]);
    expect((await storedEnrollment(ids.cancelled))?.status).toBe("active");
  });

  it("met no CSP refusal or page error", () => {
    expect(journey.problems).toEqual([]);
  });
});
