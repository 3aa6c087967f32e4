import { createHmac, timingSafeEqual } from "node:crypto";
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

/** How far a signed timestamp may be from now (Stripe's default tolerance). */
export const SIGNATURE_TOLERANCE_S = 300;

/** Signs a webhook body the way Stripe does: `t=<unix>,v1=<hex hmac of "t.body">`. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

/** Verifies a Stripe-style signature header against the raw body; throws when it does not hold. */
export function verifySignature(secret: string, rawBody: Buffer, header: unknown, now: Date): void {
  const invalid = (why: string) =>
    new AppError("WEBHOOK_SIGNATURE_INVALID", `Webhook signature rejected: ${why}`);
  if (typeof header !== "string" || !header) throw invalid("no signature header");
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const signatures = parts.filter(([k]) => k === "v1").map(([, v]) => v ?? "");
  if (!Number.isFinite(t) || !signatures.length) throw invalid("malformed header");
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_S)
    throw invalid("timestamp outside the tolerance");
  const expected = createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest();
  const match = signatures.some((s) => {
    const given = Buffer.from(s, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!match) throw invalid("no matching signature");
}

interface StripeLikeEvent {
  id?: unknown;
  type?: unknown;
  data?: { object?: Record<string, unknown> };
}

/** Reads a Stripe event (also the local provider's, which uses the same shapes). */
export function readStripeEvent(rawBody: Buffer): PaymentEvent {
  let event: StripeLikeEvent;
  try {
    event = JSON.parse(rawBody.toString("utf8")) as StripeLikeEvent;
  } catch {
    throw new AppError("VALIDATION_ERROR", "Webhook body is not JSON");
  }
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
