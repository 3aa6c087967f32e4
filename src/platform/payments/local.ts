import { createHmac } from "node:crypto";
import { AppError } from "../http/errors.js";
import { newId } from "../ids.js";
import {
  type Checkout,
  type CheckoutRequest,
  type PaymentEvent,
  type PaymentProvider,
  signWebhook,
  verifiedEvent,
} from "./provider.js";

/**
 * A card processor that runs inside Lyceum, for development, the demo and tests: checkouts
 * are settled through `POST /api/v1/payments/{id}/simulate`, which produces the same signed
 * events as Stripe and feeds them through the same webhook handling. Its checkout URL is the
 * web app's test payment page (`/payments/{id}/checkout`), where the payer pays or cancels
 * and is sent back to the course as from Stripe's hosted checkout.
 */
export class LocalCardProvider implements PaymentProvider {
  readonly name = "local" as const;
  readonly webhookSecret: string;

  constructor(
    secret: string,
    private readonly publicUrl: string,
  ) {
    this.webhookSecret = createHmac("sha256", secret).update("local-payments").digest("hex");
  }

  async createCheckout(request: CheckoutRequest): Promise<Checkout> {
    return {
      checkoutId: `cs_local_${newId().replaceAll("-", "")}`,
      url: `${this.publicUrl}/payments/${request.paymentId}/checkout`,
    };
  }

  verifyWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
    now: Date,
  ): PaymentEvent {
    return verifiedEvent(this.webhookSecret, rawBody, headers["lyceum-signature"], now);
  }

  /** A signed event body as Stripe would send it, for the simulator and tests. */
  event(
    type: string,
    object: Record<string, unknown>,
    at: Date,
  ): { body: string; signature: string } {
    const body = JSON.stringify({
      id: `evt_local_${newId().replaceAll("-", "")}`,
      type,
      created: Math.floor(at.getTime() / 1000),
      data: { object },
    });
    return { body, signature: signWebhook(this.webhookSecret, body, at) };
  }

  async refund(input: { paymentReference: string }): Promise<{ refundReference: string }> {
    if (!input.paymentReference.startsWith("pi_local_"))
      throw new AppError("PAYMENT_PROVIDER_ERROR", "Unknown payment reference");
    return { refundReference: `re_local_${newId().replaceAll("-", "")}` };
  }
}

/** Manual invoicing: an invoice number now, payment recorded by an administrator later. */
export class InvoiceProvider implements PaymentProvider {
  readonly name = "invoice" as const;

  async createCheckout(request: CheckoutRequest): Promise<Checkout> {
    return { checkoutId: `inv_${request.paymentId}`, url: null };
  }

  verifyWebhook(): PaymentEvent {
    throw new AppError("NOT_FOUND", "Invoices have no webhooks");
  }

  async refund(input: { idempotencyKey: string }): Promise<{ refundReference: string }> {
    // Money goes back by bank transfer; the reference records that it was arranged.
    return { refundReference: `manual-${input.idempotencyKey}` };
  }
}
