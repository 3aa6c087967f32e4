import Stripe from "stripe";
import { AppError } from "../http/errors.js";
import {
  type Checkout,
  type CheckoutRequest,
  type PaymentEvent,
  type PaymentProvider,
  verifiedEvent,
} from "./provider.js";

/**
 * The Stripe API version Lyceum is written against. Requests name it, so the account's default
 * version and library upgrades do not change what the API answers; the type check fails when
 * an upgraded library is written for another version, which is when to review Stripe's changes.
 */
export const STRIPE_API_VERSION = "2026-11-18.endive" satisfies Stripe.LatestApiVersion;

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com, or a stand-in in tests (an origin: scheme, host and port). */
  apiUrl: string;
  /** Retries of a failed request (connection errors, 409, 5xx), with backoff; default 2. */
  maxNetworkRetries?: number;
}

/** What a Stripe failure becomes: the standard PAYMENT_PROVIDER_ERROR, saying why. */
function providerError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  if (error instanceof Stripe.errors.StripeConnectionError)
    return new AppError("PAYMENT_PROVIDER_ERROR", "The payment provider could not be reached", {
      details: { reason: error.message },
    });
  // Stripe's own wording (the library's message also carries the request id, kept apart).
  const raw = error.raw as { message?: unknown } | undefined;
  const reason = typeof raw?.message === "string" ? raw.message : error.message;
  return new AppError(
    "PAYMENT_PROVIDER_ERROR",
    `The payment provider refused the request: ${reason}`,
    {
      details: {
        status: error.statusCode ?? null,
        type: error.type,
        code: error.code ?? null,
        requestId: error.requestId ?? null,
      },
    },
  );
}

/**
 * Stripe Checkout through Stripe's official Node library: sessions and refunds with
 * idempotency keys (a retried request never charges or refunds twice), automatic retries with
 * backoff, a pinned API version, and webhook verification by `webhooks.constructEvent`.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeOptions) {
    const url = new URL(options.apiUrl);
    const protocol = url.protocol === "http:" ? "http" : "https";
    this.stripe = new Stripe(options.secretKey, {
      apiVersion: STRIPE_API_VERSION,
      host: url.hostname,
      port: url.port || (protocol === "http" ? 80 : 443),
      protocol,
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: "Lyceum" },
    });
  }

  async createCheckout(request: CheckoutRequest): Promise<Checkout> {
    try {
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: "payment",
          client_reference_id: request.paymentId,
          customer_email: request.customerEmail,
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          expires_at: Math.floor(request.expiresAt.getTime() / 1000),
          metadata: { payment_id: request.paymentId },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency.toLowerCase(),
                unit_amount: request.amount,
                product_data: { name: request.description },
              },
            },
          ],
        },
        { idempotencyKey: `checkout-${request.paymentId}` },
      );
      return { checkoutId: session.id, url: session.url ?? null };
    } catch (error) {
      throw providerError(error);
    }
  }

  verifyWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
    now: Date,
  ): PaymentEvent {
    return verifiedEvent(this.options.webhookSecret, rawBody, headers["stripe-signature"], now);
  }

  async refund(input: {
    paymentReference: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<{ refundReference: string }> {
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: input.paymentReference, amount: input.amount },
        { idempotencyKey: input.idempotencyKey },
      );
      return { refundReference: refund.id };
    } catch (error) {
      throw providerError(error);
    }
  }
}
