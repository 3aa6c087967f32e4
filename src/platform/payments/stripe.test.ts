import { createServer } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeFake, startStripeFake } from "../../../test/stripe-fake.js";
import { AppError } from "../http/errors.js";
import { LocalCardProvider } from "./local.js";
import { STRIPE_API_VERSION, StripeProvider } from "./stripe.js";

const SECRET_KEY = "sk_test_provider";
const WEBHOOK_SECRET = "whsec_provider_test";
let fake: StripeFake;

beforeAll(async () => {
  fake = await startStripeFake(SECRET_KEY);
});
afterAll(() => fake.close());

const provider = (options: { maxNetworkRetries?: number; apiUrl?: string } = {}) =>
  new StripeProvider({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    apiUrl: options.apiUrl ?? fake.url,
    maxNetworkRetries: options.maxNetworkRetries,
  });

const checkout = (paymentId: string) => ({
  paymentId,
  amount: 4_900,
  currency: "EUR",
  description: "Workplace Safety Essentials",
  customerEmail: "learner@example.com",
  successUrl: "https://lyceum.example/courses/1?payment=success",
  cancelUrl: "https://lyceum.example/courses/1?payment=cancelled",
  expiresAt: new Date("2026-03-02T10:00:00Z"),
});

/** Runs `fn` and returns the AppError it throws. */
async function appError(fn: () => Promise<unknown> | unknown): Promise<AppError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an error");
}

describe("the Stripe provider, through Stripe's library", () => {
  it("creates a Checkout Session with the pinned API version and the payment as idempotency key", async () => {
    const before = fake.requests.length;
    const result = await provider().createCheckout(checkout("pay-1"));
    expect(result.checkoutId).toMatch(/^cs_test_/);
    expect(result.url).toBe(`${fake.url}/c/pay/${result.checkoutId}`);
    const [request] = fake.requests.slice(before);
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/checkout/sessions",
      authorization: `Bearer ${SECRET_KEY}`,
      idempotencyKey: "checkout-pay-1",
      stripeVersion: STRIPE_API_VERSION,
    });
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      mode: "payment",
      client_reference_id: "pay-1",
      customer_email: "learner@example.com",
      success_url: "https://lyceum.example/courses/1?payment=success",
      cancel_url: "https://lyceum.example/courses/1?payment=cancelled",
      expires_at: String(Date.parse("2026-03-02T10:00:00Z") / 1000),
      "metadata[payment_id]": "pay-1",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": "4900",
      "line_items[0][price_data][product_data][name]": "Workplace Safety Essentials",
    });
  });

  it("retries a failed request with the same idempotency key, so Stripe acts once", async () => {
    fake.failNext({
      status: 500,
      type: "api_error",
      message: "Something went wrong",
      shouldRetry: true,
    });
    const before = fake.requests.length;
    const result = await provider({ maxNetworkRetries: 1 }).createCheckout(checkout("pay-2"));
    const requests = fake.requests.slice(before);
    expect(requests.map((r) => [r.path, r.idempotencyKey])).toEqual([
      ["/v1/checkout/sessions", "checkout-pay-2"],
      ["/v1/checkout/sessions", "checkout-pay-2"],
    ]);
    expect(result.checkoutId).toMatch(/^cs_test_/);
    // Asked again with the same key, Stripe answers the first session, not a new one.
    const again = await provider().createCheckout(checkout("pay-2"));
    expect(again.checkoutId).toBe(result.checkoutId);
    expect(fake.requests.at(-1)?.replayed).toBe(true);
  });

  it("answers PAYMENT_PROVIDER_ERROR with Stripe's reason when Stripe refuses", async () => {
    fake.failNext({
      status: 400,
      type: "invalid_request_error",
      message: "Invalid currency: xyz",
      code: "parameter_invalid",
      param: "line_items[0][price_data][currency]",
    });
    const refused = await appError(() => provider().createCheckout(checkout("pay-3")));
    expect(refused.code).toBe("PAYMENT_PROVIDER_ERROR");
    expect(refused.message).toBe("The payment provider refused the request: Invalid currency: xyz");
    expect(refused.details).toMatchObject({
      status: 400,
      type: "StripeInvalidRequestError",
      code: "parameter_invalid",
    });
    expect(String(refused.details?.requestId)).toMatch(/^req_test_/);
    // The same key with other parameters is Stripe's idempotency error, not a second session.
    await provider().createCheckout(checkout("pay-4"));
    const reused = await appError(() =>
      provider().createCheckout({ ...checkout("pay-4"), amount: 1 }),
    );
    expect(reused.details).toMatchObject({ status: 400, type: "StripeIdempotencyError" });
  });

  it("says the provider could not be reached when nothing answers", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await appError(() =>
      provider({ apiUrl: `http://127.0.0.1:${port}`, maxNetworkRetries: 0 }).createCheckout(
        checkout("pay-5"),
      ),
    );
    expect(unreachable.code).toBe("PAYMENT_PROVIDER_ERROR");
    expect(unreachable.message).toBe("The payment provider could not be reached");
  });

  it("refunds by payment intent with the caller's idempotency key", async () => {
    const before = fake.requests.length;
    const refund = await provider().refund({
      paymentReference: "pi_123",
      amount: 1_500,
      idempotencyKey: "refund-pay-1-1500",
    });
    expect(refund.refundReference).toMatch(/^re_test_/);
    const [request] = fake.requests.slice(before);
    expect(request?.path).toBe("/v1/refunds");
    expect(request?.idempotencyKey).toBe("refund-pay-1-1500");
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      payment_intent: "pi_123",
      amount: "1500",
    });
  });

  it("verifies webhook signatures with webhooks.constructEvent against the injected clock", () => {
    const now = new Date("2026-03-02T09:00:00Z");
    const body = JSON.stringify({
      id: "evt_1",
      object: "event",
      type: "checkout.session.completed",
      data: {
        object: {
          id: "cs_test_1",
          object: "checkout.session",
          payment_status: "paid",
          payment_intent: "pi_1",
          amount_total: 4_900,
        },
      },
    });
    const sign = (secret: string, at: Date) =>
      Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret,
        timestamp: Math.floor(at.getTime() / 1000),
      });
    const stripe = provider();
    expect(
      stripe.verifyWebhook(
        Buffer.from(body),
        { "stripe-signature": sign(WEBHOOK_SECRET, now) },
        now,
      ),
    ).toEqual({
      id: "evt_1",
      type: "checkout.session.completed",
      kind: "completed",
      checkoutId: "cs_test_1",
      paymentReference: "pi_1",
      amount: 4_900,
    });
    const refusals = [
      { "stripe-signature": sign("whsec_other", now) },
      { "stripe-signature": sign(WEBHOOK_SECRET, new Date(now.getTime() - 301_000)) },
      {},
    ].map((headers) => {
      try {
        stripe.verifyWebhook(Buffer.from(body), headers, now);
        return "accepted";
      } catch (error) {
        return (error as AppError).code;
      }
    });
    expect(refusals).toEqual([
      "WEBHOOK_SIGNATURE_INVALID",
      "WEBHOOK_SIGNATURE_INVALID",
      "WEBHOOK_SIGNATURE_INVALID",
    ]);
    // Five minutes of clock difference are tolerated.
    const late = new Date(now.getTime() + 299_000);
    expect(
      stripe.verifyWebhook(
        Buffer.from(body),
        { "stripe-signature": sign(WEBHOOK_SECRET, now) },
        late,
      ).kind,
    ).toBe("completed");
  });

  it("lets the local processor sign and verify the same events without any network", () => {
    const local = new LocalCardProvider("x".repeat(40), "http://lyceum.test");
    const now = new Date("2026-03-02T09:00:00Z");
    const signed = local.event(
      "checkout.session.expired",
      { id: "cs_local_1", object: "checkout.session" },
      now,
    );
    expect(
      local.verifyWebhook(Buffer.from(signed.body), { "lyceum-signature": signed.signature }, now),
    ).toMatchObject({ kind: "failed", checkoutId: "cs_local_1", reason: "checkout expired" });
    expect(() =>
      local.verifyWebhook(Buffer.from(signed.body), { "stripe-signature": signed.signature }, now),
    ).toThrow(/no signature header/);
  });
});
