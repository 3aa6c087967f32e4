import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { type StripeFake, startStripeFake } from "../../../test/stripe-fake.js";
import { STRIPE_API_VERSION } from "../../platform/payments/stripe.js";
import { createLesson } from "../catalog/content.js";
import { createCourse, publishCourse } from "../catalog/courses.js";
import { createCohort, transitionCohort } from "../cohorts/cohorts.js";
import { expirePayments } from "./payments.js";

/** Stripe's library talks to a local stand-in for Stripe's API (test/stripe-fake.ts). */
let stripe: StripeFake;
const SECRET_KEY = "sk_test_123";
const WEBHOOK_SECRET = "whsec_test_secret";
let t: TestApp;
let seq = 0;

beforeAll(async () => {
  stripe = await startStripeFake(SECRET_KEY);
  t = await createTestApp({
    env: {
      PAYMENT_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
    },
  });
});
afterAll(async () => {
  await t.close();
  await stripe.close();
});

/** Signs a body as Stripe signs webhook deliveries, with Stripe's library. */
function signed(body: string, secret: string, at: Date): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: Math.floor(at.getTime() / 1000),
  });
}

async function paidCourse(options: { cohortCapacity?: number; price?: number } = {}) {
  seq += 1;
  const admin = await signedInUser(t);
  const course = await createCourse(t.system, {
    code: `PAID-${seq}`,
    title: `Paid course ${seq}`,
    description: "A paid course used to test checkout, webhooks and refunds.",
    category: "testing",
    instructorId: admin.user.id,
    enrollmentType: "paid",
    priceAmount: options.price ?? 19_900,
    currency: "USD",
    delivery: options.cohortCapacity ? "cohort-based" : "self-paced",
  });
  const intro = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  await createLesson(t.system, intro.id, {
    title: "Welcome",
    contentType: "text",
    content: { html: "<p>Hi</p>" },
  });
  await publishCourse(t.system, course.id);
  let cohortId: string | undefined;
  if (options.cohortCapacity) {
    const cohort = await createCohort(t.system, course.id, {
      name: `Cohort ${seq}`,
      startsAt: "2026-06-01T09:00:00Z",
      endsAt: "2026-06-30T17:00:00Z",
      capacity: options.cohortCapacity,
    });
    cohortId = (await transitionCohort(t.system, cohort.id, "open")).id;
  }
  return { course, cohortId };
}

async function webhook(event: object, secret = WEBHOOK_SECRET, at = t.clock.now()) {
  const body = JSON.stringify(event);
  return t.http.request("POST", "/api/v1/payments/webhooks/stripe", {
    payload: body,
    headers: {
      "content-type": "application/json",
      "stripe-signature": signed(body, secret, at),
    },
  });
}

function completed(eventId: string, checkoutId: string, intent: string, amount: number) {
  return {
    id: eventId,
    type: "checkout.session.completed",
    data: {
      object: {
        id: checkoutId,
        object: "checkout.session",
        payment_status: "paid",
        payment_intent: intent,
        amount_total: amount,
      },
    },
  };
}

async function enrollmentOf(id: string) {
  return t.system.db
    .selectFrom("enrollments")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function cohortCounts(id: string) {
  return t.system.db
    .selectFrom("cohorts")
    .select(["enrolled_count", "reserved_count", "waitlist_count"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

describe("paid enrollment through Stripe", () => {
  it("holds a seat, opens a Stripe checkout, and enrolls once the signed webhook says paid — once", async () => {
    const { course, cohortId } = await paidCourse({ cohortCapacity: 2 });
    const learner = await signedInUser(t);
    const before = stripe.requests.length;
    let res = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, cohortId },
      learner,
    );
    expect(res.status).toBe(201);
    const { payment, enrollment } = res.body.data;
    expect(payment).toMatchObject({
      provider: "stripe",
      status: "pending",
      amount: 19_900,
      currency: "USD",
    });
    expect(payment.checkoutUrl).toBe(`${stripe.url}/c/pay/${payment.checkoutId}`);
    expect(payment.checkoutId).toMatch(/^cs_test_/);
    expect(enrollment).toMatchObject({ status: "pending-payment", paymentStatus: "pending" });
    expect(await cohortCounts(cohortId as string)).toMatchObject({ enrolled_count: 1 });

    // What Stripe was asked for.
    const call = stripe.requests[before];
    expect(call?.path).toBe("/v1/checkout/sessions");
    expect(call?.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(call?.idempotencyKey).toBe(`checkout-${payment.id}`);
    expect(call?.stripeVersion).toBe(STRIPE_API_VERSION);
    expect(call?.form.get("mode")).toBe("payment");
    expect(call?.form.get("client_reference_id")).toBe(payment.id);
    expect(call?.form.get("customer_email")).toBe(learner.user.email);
    expect(call?.form.get("line_items[0][price_data][unit_amount]")).toBe("19900");
    expect(call?.form.get("line_items[0][price_data][currency]")).toBe("usd");
    expect(call?.form.get("line_items[0][price_data][product_data][name]")).toBe(course.title);

    // Asking again resumes the same checkout instead of taking a second seat.
    res = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, cohortId },
      learner,
    );
    expect(res.body.data.payment.id).toBe(payment.id);
    expect(stripe.requests.length).toBe(before + 1);

    res = await webhook(completed("evt_1", payment.checkoutId, "pi_1", 19_900));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ received: true, outcome: "completed" });
    const stored = await enrollmentOf(enrollment.id);
    expect(stored).toMatchObject({
      status: "active",
      payment_status: "completed",
      payment_reference: "pi_1",
    });
    const row = await t.system.db
      .selectFrom("payments")
      .selectAll()
      .where("id", "=", payment.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "completed", payment_reference: "pi_1" });

    // The same event again, and another event for the same checkout: nothing changes twice.
    res = await webhook(completed("evt_1", payment.checkoutId, "pi_1", 19_900));
    expect(res.body.data.outcome).toBe("duplicate");
    res = await webhook(completed("evt_1b", payment.checkoutId, "pi_1", 19_900));
    expect(res.body.data.outcome).toBe("duplicate");
    expect(await cohortCounts(cohortId as string)).toMatchObject({ enrolled_count: 1 });
    const notes = await t.system.db
      .selectFrom("notifications")
      .select("type")
      .where("user_id", "=", learner.user.id)
      .where("type", "=", "payment-received")
      .execute();
    expect(notes).toHaveLength(1);
    const events = await t.system.db
      .selectFrom("payment_events")
      .select(["event_id", "outcome"])
      .where("event_id", "in", ["evt_1", "evt_1b"])
      .orderBy("event_id")
      .execute();
    expect(events).toEqual([
      { event_id: "evt_1", outcome: "completed" },
      { event_id: "evt_1b", outcome: "duplicate" },
    ]);
  });

  it("sends the payer back only to the site's own addresses, as chosen at checkout", async () => {
    const { course } = await paidCourse();
    const learner = await signedInUser(t);
    const before = stripe.requests.length;
    // Addresses elsewhere would turn the checkout into an open redirect: refused by field.
    for (const [field, url] of [
      ["successUrl", "https://evil.example/courses?payment=success"],
      ["successUrl", "http://lyceum.test@evil.example/courses"],
      ["successUrl", "http://lyceum.test.evil.example/courses"],
      ["cancelUrl", "https://lyceum.test/catalog"],
      ["cancelUrl", "javascript:alert(document.cookie)"],
    ] as const) {
      const res = await t.http.post(
        "/api/v1/enrollments/checkout",
        { courseId: course.id, [field]: url },
        learner,
      );
      expect(res.status, url).toBe(400);
      expect(res.body).toMatchObject({
        success: false,
        error: { code: "VALIDATION_ERROR", field },
      });
    }
    expect(stripe.requests.length).toBe(before);
    const held = await t.system.db
      .selectFrom("payments")
      .select("id")
      .where("course_id", "=", course.id)
      .execute();
    expect(held).toEqual([]);

    const successUrl = `http://lyceum.test/courses/${course.id}?payment=success&session={CHECKOUT_SESSION_ID}`;
    const cancelUrl = "http://lyceum.test/catalog?q=Paid";
    let res = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, successUrl, cancelUrl },
      learner,
    );
    expect(res.status).toBe(201);
    const { payment } = res.body.data;
    expect(payment).toMatchObject({ successUrl, cancelUrl });
    expect(stripe.requests[before]?.form.get("success_url")).toBe(successUrl);
    expect(stripe.requests[before]?.form.get("cancel_url")).toBe(cancelUrl);
    res = await t.http.get(`/api/v1/payments/${payment.id}`, learner);
    expect(res.body.data).toMatchObject({ successUrl, cancelUrl });
  });

  it("is paid on the stand-in's hosted checkout: a signed event, then back to the success address", async () => {
    const { course } = await paidCourse({ price: 4_900 });
    const learner = await signedInUser(t);
    // Stripe delivers webhooks over the network: Lyceum listens on a loopback port for them.
    await t.lyceum.app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = t.lyceum.app.server.address() as import("node:net").AddressInfo;
    stripe.sendWebhooksTo({
      url: `http://127.0.0.1:${port}/api/v1/payments/webhooks/stripe`,
      secret: WEBHOOK_SECRET,
      now: () => t.clock.now(),
    });
    const successUrl = "http://lyceum.test/my-learning?session={CHECKOUT_SESSION_ID}";
    const res = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, successUrl },
      learner,
    );
    const { payment, enrollment } = res.body.data;
    expect(payment.checkoutUrl).toBe(`${stripe.url}/c/pay/${payment.checkoutId}`);

    const shown = await fetch(payment.checkoutUrl);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain(course.title);
    expect(html).toContain("$49.00");
    expect(html).toContain(learner.user.email);

    // Cancelling returns to the course page and changes nothing: Stripe sends no event.
    const cancelled = await fetch(`${payment.checkoutUrl}/cancel`, {
      method: "POST",
      redirect: "manual",
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toBe(
      `http://lyceum.test/courses/${course.id}?payment=cancelled`,
    );
    expect(stripe.events).toHaveLength(0);
    expect((await enrollmentOf(enrollment.id)).status).toBe("pending-payment");

    const paid = await fetch(`${payment.checkoutUrl}/pay`, { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(
      `http://lyceum.test/my-learning?session=${payment.checkoutId}`,
    );
    const [delivery] = stripe.deliveries.slice(-1);
    expect(delivery?.event).toMatchObject({
      type: "checkout.session.completed",
      api_version: STRIPE_API_VERSION,
      data: {
        object: {
          id: payment.checkoutId,
          status: "complete",
          payment_status: "paid",
          amount_total: 4_900,
          client_reference_id: payment.id,
          metadata: { payment_id: payment.id },
        },
      },
    });
    expect(delivery?.status).toBe(200);
    expect(JSON.parse(delivery?.body ?? "{}").data).toEqual({
      received: true,
      outcome: "completed",
    });
    const intent = stripe.sessions.get(payment.checkoutId)?.session.payment_intent;
    expect(intent).toMatch(/^pi_test_/);
    const row = await t.system.db
      .selectFrom("payments")
      .select(["status", "payment_reference"])
      .where("id", "=", payment.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "completed", payment_reference: intent });
    expect((await enrollmentOf(enrollment.id)).status).toBe("active");

    // A completed session cannot be paid again.
    const again = await fetch(`${payment.checkoutUrl}/pay`, { method: "POST", redirect: "manual" });
    expect(again.status).toBe(409);
    expect(stripe.deliveries).toHaveLength(1);
  });

  it("refuses webhooks with a wrong, missing or stale signature, changing nothing", async () => {
    const { course } = await paidCourse();
    const learner = await signedInUser(t);
    const res = await t.http.post("/api/v1/enrollments/checkout", { courseId: course.id }, learner);
    const { payment, enrollment } = res.body.data;
    const event = completed("evt_forged", payment.checkoutId, "pi_forged", 19_900);
    for (const attempt of [
      await webhook(event, "whsec_wrong"),
      await webhook(event, WEBHOOK_SECRET, new Date(t.clock.now().getTime() - 10 * 60_000)),
      await t.http.request("POST", "/api/v1/payments/webhooks/stripe", {
        payload: JSON.stringify(event),
        headers: { "content-type": "application/json" },
      }),
    ]) {
      expect(attempt.status).toBe(400);
      expect(attempt.body.error.code).toBe("WEBHOOK_SIGNATURE_INVALID");
    }
    // A body changed after signing fails too.
    const body = JSON.stringify(event);
    const tampered = await t.http.request("POST", "/api/v1/payments/webhooks/stripe", {
      payload: body.replace("19900", "1"),
      headers: {
        "content-type": "application/json",
        "stripe-signature": signed(body, WEBHOOK_SECRET, t.clock.now()),
      },
    });
    expect(tampered.status).toBe(400);
    expect((await enrollmentOf(enrollment.id)).status).toBe("pending-payment");
    const claimed = await t.system.db
      .selectFrom("payment_events")
      .select("id")
      .where("event_id", "=", "evt_forged")
      .execute();
    expect(claimed).toEqual([]);
  });

  it("gives the seat back when the checkout expires, and offers it to the waitlist", async () => {
    const { course, cohortId } = await paidCourse({ cohortCapacity: 1 });
    const payer = await signedInUser(t);
    const waiting = await signedInUser(t);
    const res = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, cohortId },
      payer,
    );
    const { payment, enrollment } = res.body.data;
    // The cohort is full while the seat is held; the other person joins the waitlist.
    const full = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, cohortId },
      waiting,
    );
    expect(full.status).toBe(422);
    expect(full.body.error).toMatchObject({
      code: "COHORT_FULL",
      field: "cohortId",
      details: { cohortId },
    });
    await t.system.db
      .insertInto("waitlist_entries")
      .values({
        user_id: waiting.user.id,
        course_id: course.id,
        cohort_id: cohortId as string,
        position: 1,
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .execute();
    await t.system.db
      .updateTable("cohorts")
      .set({ waitlist_count: 1 })
      .where("id", "=", cohortId as string)
      .execute();

    const expired = await webhook({
      id: "evt_expired",
      type: "checkout.session.expired",
      data: { object: { id: payment.checkoutId, object: "checkout.session" } },
    });
    expect(expired.body.data.outcome).toBe("expired");
    expect(await enrollmentOf(enrollment.id)).toMatchObject({
      status: "dropped",
      payment_status: "failed",
    });
    expect(await cohortCounts(cohortId as string)).toEqual({
      enrolled_count: 0,
      reserved_count: 1,
      waitlist_count: 0,
    });
    const offer = await t.system.db
      .selectFrom("waitlist_entries")
      .select("status")
      .where("user_id", "=", waiting.user.id)
      .executeTakeFirstOrThrow();
    expect(offer.status).toBe("offered");
  });

  it("refunds through Stripe: a partial refund keeps the seat, the rest ends the enrollment", async () => {
    const { course } = await paidCourse({ price: 10_000 });
    const learner = await signedInUser(t);
    const res = await t.http.post("/api/v1/enrollments/checkout", { courseId: course.id }, learner);
    const { payment, enrollment } = res.body.data;
    await webhook(completed("evt_r1", payment.checkoutId, "pi_r1", 10_000));
    const admin = await signedInUser(t, { platformAdmin: true });

    // The learner may see their payment but not refund it.
    let r = await t.http.get(`/api/v1/payments/${payment.id}`, learner);
    expect(r.status).toBe(200);
    r = await t.http.post(`/api/v1/payments/${payment.id}/refund`, {}, learner);
    expect(r.status).toBe(403);

    r = await t.http.post(`/api/v1/payments/${payment.id}/refund`, { amount: 20_000 }, admin);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe("amount");

    const before = stripe.requests.length;
    r = await t.http.post(`/api/v1/payments/${payment.id}/refund`, { amount: 4_000 }, admin);
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ status: "partially-refunded", refundedAmount: 4_000 });
    const refund = stripe.requests[before];
    expect(refund?.path).toBe("/v1/refunds");
    expect(refund?.form.get("payment_intent")).toBe("pi_r1");
    expect(refund?.form.get("amount")).toBe("4000");
    expect(refund?.idempotencyKey).toBe(`refund-${payment.id}-4000`);
    expect((await enrollmentOf(enrollment.id)).status).toBe("active");

    // Stripe's own charge.refunded for that refund changes nothing more.
    let w = await webhook({
      id: "evt_r2",
      type: "charge.refunded",
      data: { object: { id: "ch_1", payment_intent: "pi_r1", amount_refunded: 4_000 } },
    });
    expect(w.body.data.outcome).toBe("duplicate");

    // The rest refunded from Stripe's dashboard arrives by webhook.
    w = await webhook({
      id: "evt_r3",
      type: "charge.refunded",
      data: { object: { id: "ch_1", payment_intent: "pi_r1", amount_refunded: 10_000 } },
    });
    expect(w.body.data.outcome).toBe("refunded");
    expect(await enrollmentOf(enrollment.id)).toMatchObject({
      status: "dropped",
      payment_status: "refunded",
      dropped_reason: "payment refunded",
    });
    r = await t.http.post(`/api/v1/payments/${payment.id}/refund`, {}, admin);
    expect(r.status).toBe(422);
  });

  it("gives the seat back when Stripe refuses the checkout", async () => {
    const { course } = await paidCourse();
    const learner = await signedInUser(t);
    stripe.failNext({
      status: 400,
      type: "invalid_request_error",
      message: "Invalid currency: usd",
      param: "line_items[0][price_data][currency]",
    });
    const res = await t.http.post("/api/v1/enrollments/checkout", { courseId: course.id }, learner);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({
      code: "PAYMENT_PROVIDER_ERROR",
      message: "The payment provider refused the request: Invalid currency: usd",
      details: { status: 400, type: "StripeInvalidRequestError" },
    });
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select(["status", "payment_status"])
      .where("user_id", "=", learner.user.id)
      .executeTakeFirstOrThrow();
    expect(enrollment).toEqual({ status: "dropped", payment_status: "failed" });
    const seats = await t.system.db
      .selectFrom("courses")
      .select("enrolled_count")
      .where("id", "=", course.id)
      .executeTakeFirstOrThrow();
    expect(seats.enrolled_count).toBe(0);
  });

  it("refuses checkout of courses that are not paid, and plain enrollment of paid ones", async () => {
    const { course } = await paidCourse();
    const learner = await signedInUser(t);
    let res = await t.http.post("/api/v1/enrollments", { courseId: course.id }, learner);
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe("PAYMENT_REQUIRED");
    const free = await createCourse(t.system, {
      code: `FREE-${++seq}`,
      title: "Free course",
      description: "An open course that is not sold through checkout at all.",
      category: "testing",
      instructorId: learner.user.id,
    });
    res = await t.http.post("/api/v1/enrollments/checkout", { courseId: free.id }, learner);
    expect([404, 422]).toContain(res.status);
    res = await t.http.post("/api/v1/enrollments/checkout", { courseId: "nope" }, learner);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
  });
});

describe("invoices", () => {
  it("mails an invoice, holds the seat until paid by hand, or gives it back when due", async () => {
    const { course } = await paidCourse({ price: 50_000 });
    const learner = await signedInUser(t);
    let res = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, method: "invoice" },
      learner,
    );
    expect(res.status).toBe(201);
    const { payment, enrollment } = res.body.data;
    expect(payment).toMatchObject({ provider: "invoice", checkoutUrl: null, status: "pending" });
    expect(payment.invoiceNumber).toMatch(/^INV-\d{8}-\d{6}$/);
    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .select(["subject", "text_body"])
      .where("to_address", "=", learner.user.email)
      .where("template", "=", "invoice")
      .executeTakeFirstOrThrow();
    expect(mail.subject).toContain(payment.invoiceNumber);
    expect(mail.text_body).toContain("$500.00");

    const admin = await signedInUser(t, { platformAdmin: true });
    res = await t.http.post(
      `/api/v1/payments/${payment.id}/mark-paid`,
      { reference: "BANK-2026-0042" },
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      status: "completed",
      paymentReference: "BANK-2026-0042",
    });
    expect((await enrollmentOf(enrollment.id)).status).toBe("active");

    // A second invoice that is never paid runs out and gives its seat back.
    const late = await signedInUser(t);
    res = await t.http.post(
      "/api/v1/enrollments/checkout",
      { courseId: course.id, method: "invoice" },
      late,
    );
    const unpaid = res.body.data;
    t.clock.advance(15 * 24 * 3_600_000);
    expect(await expirePayments(t.system)).toBeGreaterThanOrEqual(1);
    expect(await enrollmentOf(unpaid.enrollment.id)).toMatchObject({ status: "dropped" });
    const row = await t.system.db
      .selectFrom("payments")
      .select(["status", "failure_reason"])
      .where("id", "=", unpaid.payment.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "expired", failure_reason: "not paid in time" });
  });
});

describe("the local card processor", () => {
  it("settles checkouts through the simulate endpoint and the same signed-event path", async () => {
    const local = await createTestApp();
    try {
      const { org, people } = await makeOrganization(local, {
        people: [{ key: "learner", roles: ["learner"] }],
      });
      const course = await createCourse(local.system, {
        organizationId: org.id,
        code: "LOCAL-PAID",
        title: "Locally paid",
        description: "A paid course of one organization, paid through the local processor.",
        category: "testing",
        instructorId: people.admin.user.id,
        enrollmentType: "paid",
        priceAmount: 2_500,
        currency: "EUR",
      });
      const intro = await local.system.db
        .selectFrom("modules")
        .select("id")
        .where("course_id", "=", course.id)
        .executeTakeFirstOrThrow();
      await createLesson(local.system, intro.id, {
        title: "Welcome",
        contentType: "text",
        content: { html: "<p>Hi</p>" },
      });
      await publishCourse(local.system, course.id);
      const learner = people.learner!;
      // Return addresses must be the site's own, for this processor too.
      let res = await local.http.post(
        "/api/v1/enrollments/checkout",
        { courseId: course.id, cancelUrl: "https://evil.example/" },
        learner,
      );
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "VALIDATION_ERROR", field: "cancelUrl" });
      const successUrl = "http://lyceum.test/my-learning?paid={CHECKOUT_SESSION_ID}";
      res = await local.http.post(
        "/api/v1/enrollments/checkout",
        { courseId: course.id, successUrl },
        learner,
      );
      expect(res.status).toBe(201);
      const { payment } = res.body.data;
      expect(payment.provider).toBe("local");
      // The web app's test payment page, which pays through the simulate endpoint below and
      // then sends the payer to the return addresses the payment carries.
      expect(payment.checkoutUrl).toBe(`http://lyceum.test/payments/${payment.id}/checkout`);
      expect(payment.organizationId).toBe(org.id);
      res = await local.http.get(`/api/v1/payments/${payment.id}`, learner);
      expect(res.body.data).toMatchObject({
        successUrl,
        cancelUrl: `http://lyceum.test/courses/${course.id}?payment=cancelled`,
      });

      // Someone else cannot pay (or see) the learner's checkout.
      res = await local.http.post(`/api/v1/payments/${payment.id}/simulate`, {}, people.admin);
      expect(res.status).toBe(404);

      res = await local.http.post(`/api/v1/payments/${payment.id}/simulate`, {}, learner);
      expect(res.status).toBe(200);
      expect(res.body.data.outcome).toBe("completed");
      expect(res.body.data.payment.paymentReference).toMatch(/^pi_local_/);
      res = await local.http.get("/api/v1/enrollments/mine", learner);
      expect(res.body.data[0]).toMatchObject({ status: "active", paymentStatus: "completed" });

      // The organization's administrator sees and refunds payments of its own courses.
      res = await local.http.get(`/api/v1/organizations/${org.id}/payments`, people.admin);
      expect(res.body.data.map((p: { id: string }) => p.id)).toEqual([payment.id]);
      // With who paid and for what, for the organization's payments page.
      expect(res.body.data[0]).toMatchObject({
        payer: { email: expect.stringContaining("@") },
        course: { title: course.title },
      });
      res = await local.http.post(`/api/v1/payments/${payment.id}/refund`, {}, people.admin);
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe("refunded");
      res = await local.http.get("/api/v1/payments/mine", learner);
      expect(res.body.data[0]).toMatchObject({ status: "refunded", refundedAmount: 2_500 });
    } finally {
      await local.close();
    }
  });
});
