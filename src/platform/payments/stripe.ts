import { AppError } from "../http/errors.js";
import {
  type Checkout,
  type CheckoutRequest,
  type PaymentEvent,
  type PaymentProvider,
  readStripeEvent,
  verifySignature,
} from "./provider.js";

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com, or a stand-in in tests. */
  apiUrl: string;
  fetch?: typeof fetch;
}

/** Flattens nested parameters into Stripe's form encoding (`a[b][0][c]=v`). */
export function stripeForm(params: Record<string, unknown>, prefix = ""): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    if (typeof value === "object") {
      const entries = Array.isArray(value)
        ? Object.fromEntries(value.map((v, i) => [String(i), v]))
        : (value as Record<string, unknown>);
      out.push(...stripeForm(entries, name));
    } else {
      out.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
  }
  return out;
}

/** Stripe Checkout over its REST API (no SDK): sessions, signed webhooks, refunds. */
export class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: StripeOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private async call(
    path: string,
    params: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await this.fetch(`${this.options.apiUrl}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.options.secretKey}`,
          "content-type": "application/x-www-form-urlencoded",
          "idempotency-key": idempotencyKey,
        },
        body: stripeForm(params).join("&"),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw new AppError("PAYMENT_PROVIDER_ERROR", "The payment provider could not be reached", {
        details: { reason: (error as Error).message },
      });
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const message = (body.error as { message?: string } | undefined)?.message;
      throw new AppError(
        "PAYMENT_PROVIDER_ERROR",
        `The payment provider refused the request${message ? `: ${message}` : ""}`,
        { details: { status: response.status } },
      );
    }
    return body;
  }

  async createCheckout(request: CheckoutRequest): Promise<Checkout> {
    const session = await this.call(
      "/v1/checkout/sessions",
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
      `checkout-${request.paymentId}`,
    );
    if (typeof session.id !== "string")
      throw new AppError("PAYMENT_PROVIDER_ERROR", "The payment provider returned no session");
    return { checkoutId: session.id, url: typeof session.url === "string" ? session.url : null };
  }

  verifyWebhook(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
    now: Date,
  ): PaymentEvent {
    verifySignature(this.options.webhookSecret, rawBody, headers["stripe-signature"], now);
    return readStripeEvent(rawBody);
  }

  async refund(input: {
    paymentReference: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<{ refundReference: string }> {
    const refund = await this.call(
      "/v1/refunds",
      { payment_intent: input.paymentReference, amount: input.amount },
      input.idempotencyKey,
    );
    return { refundReference: String(refund.id) };
  }
}
