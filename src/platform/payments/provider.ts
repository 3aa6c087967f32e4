import Stripe from "stripe";
import { AppError } from "../http/errors.js";

/**
 * Taking money, behind one small interface: a real card processor (Stripe) and a local one
 * that needs no network (development, demo, tests), plus manual invoicing. The enrollment
 * module never knows which one it talks to.
 */
export type ProviderName = "stripe" | "local" | "invoice";

export interface CheckoutRequest {
  /** Lyceum's payment id: the provider's idempotency key and client reference. */
  paymentId: string;
  amount: number;
  currency: string;
  description: string;
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
}

export interface Checkout {
  checkoutId: string;
  /** Where the payer goes to pay; null for invoices. */
  url: string | null;
}

/** A verified provider notification, in Lyceum's terms. */
export type PaymentEvent =
  | {
      id: string;
      type: string;
      kind: "completed";
      checkoutId: string;
      paymentReference: string | null;
      amount: number | null;
    }
  | { id: string; type: string; kind: "failed"; checkoutId: string; reason: string }
  | {
      id: string;
      type: string;
      kind: "refunded";
      paymentReference: string;
      amountRefunded: number;
      refundReference: string | null;
    }
  | { id: string; type: string; kind: "ignored" };

export interface PaymentProvider {
  readonly name: ProviderName;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /** Checks the signature of a webhook delivery and reads it; throws WEBHOOK_SIGNATURE_INVALID. */
  verifyWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
    now: Date,
  ): PaymentEvent;
  refund(input: {
    paymentReference: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<{ refundReference: string }>;
}

export interface PaymentProviders {
  /** The card processor learners pay through (Stripe, or the local one). */
  card: PaymentProvider;
  invoice: PaymentProvider;
  get(name: ProviderName): PaymentProvider;
}

/** How old a signed timestamp may be (Stripe's default tolerance), in seconds. */
export const SIGNATURE_TOLERANCE_S = 300;

const rejected = (why: string) =>
  new AppError("WEBHOOK_SIGNATURE_INVALID", `Webhook signature rejected: ${why}`);

/**
 * Verifies a `t=<unix>,v1=<hmac>` signature header over the raw body with Stripe's library
 * (`webhooks.constructEvent`, against the injected clock) and reads the event it signs.
 * Throws WEBHOOK_SIGNATURE_INVALID when the signature does not hold or is too old.
 */
export function verifiedEvent(
  secret: string,
  rawBody: Buffer,
  header: unknown,
  now: Date,
): PaymentEvent {
  if (typeof header !== "string" || !header) throw rejected("no signature header");
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(
      rawBody,
      header,
      secret,
      SIGNATURE_TOLERANCE_S,
      undefined,
      now.getTime(),
    );
  } catch (error) {
    // The library's first line says why (its further lines are advice for developers).
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      throw rejected(error.message.split("\n")[0] ?? "no matching signature");
    if (error instanceof SyntaxError)
      throw new AppError("VALIDATION_ERROR", "Webhook body is not JSON");
    throw error;
  }
  return readEvent(event);
}

/**
 * Signs a webhook body the way Stripe does, with Stripe's library: the local processor's
 * events, and tests standing in for Stripe.
 */
export function signWebhook(secret: string, body: string, at: Date): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: Math.floor(at.getTime() / 1000),
  });
}

interface StripeLikeEvent {
  id?: unknown;
  type?: unknown;
  data?: { object?: Record<string, unknown> };
}

/** Reads a Stripe event (also the local provider's, which uses the same shapes). */
function readEvent(parsed: unknown): PaymentEvent {
  const event = (parsed ?? {}) as StripeLikeEvent;
  const id = typeof event.id === "string" ? event.id : null;
  const type = typeof event.type === "string" ? event.type : null;
  const object = event.data?.object;
  if (!id || !type || !object || typeof object !== "object")
    throw new AppError("VALIDATION_ERROR", "Webhook body is not an event");
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  switch (type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      // A completed session whose payment is still processing (bank debits) is settled later.
      if (object.payment_status !== "paid" && object.payment_status !== "no_payment_required")
        return { id, type, kind: "ignored" };
      return {
        id,
        type,
        kind: "completed",
        checkoutId: str(object.id) ?? "",
        paymentReference: str(object.payment_intent),
        amount: num(object.amount_total),
      };
    }
    case "checkout.session.expired":
    case "checkout.session.async_payment_failed":
      return {
        id,
        type,
        kind: "failed",
        checkoutId: str(object.id) ?? "",
        reason: type === "checkout.session.expired" ? "checkout expired" : "payment failed",
      };
    case "charge.refunded":
      return {
        id,
        type,
        kind: "refunded",
        paymentReference: str(object.payment_intent) ?? "",
        amountRefunded: num(object.amount_refunded) ?? 0,
        refundReference: str(object.id),
      };
    default:
      return { id, type, kind: "ignored" };
  }
}
