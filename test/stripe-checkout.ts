import { createHmac, randomBytes } from "node:crypto";

/**
 * The hosted side of the Stripe stand-in (test/stripe-fake.ts): the Checkout page a session's
 * `url` leads to, and the signed webhook events paying it produces. Stripe's hosted page is
 * where the payer enters a card; this one has a Pay and a Cancel button. Pay completes the
 * session as Stripe does: it sends a signed `checkout.session.completed` event to the webhook
 * endpoint, then redirects the browser to the session's `success_url`; Cancel redirects to its
 * `cancel_url` and leaves the session open (Stripe sends no event for it).
 */

/** A Checkout Session as Stripe answers it (the fields Lyceum and these tests read). */
export interface CheckoutSession {
  id: string;
  object: "checkout.session";
  mode: string | null;
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid";
  amount_subtotal: number;
  amount_total: number;
  currency: string | null;
  client_reference_id: string | null;
  customer_email: string | null;
  created: number;
  expires_at: number;
  metadata: Record<string, string>;
  payment_intent: string | null;
  success_url: string | null;
  cancel_url: string | null;
  /** The hosted page while the session is open; null once it is complete (as Stripe does). */
  url: string | null;
  livemode: false;
}

/** A session with what the fake keeps beside it: its line item and the API version it was made with. */
export interface StoredSession {
  session: CheckoutSession;
  lineItem: { name: string; unitAmount: number; quantity: number };
  apiVersion: string | undefined;
}

/** Where paying a session reports it: Lyceum's Stripe webhook route and its signing secret. */
export interface WebhookEndpoint {
  /** e.g. http://127.0.0.1:<port>/api/v1/payments/webhooks/stripe */
  url: string;
  /** The endpoint's signing secret (STRIPE_WEBHOOK_SECRET). */
  secret: string;
  /** The signing time: the clock of the Lyceum under test (it checks a 5-minute tolerance). */
  now?: () => Date;
}

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string | null;
  created: number;
  data: { object: CheckoutSession };
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  type: string;
}

/** One webhook delivery and the endpoint's answer. */
export interface WebhookDelivery {
  event: StripeEvent;
  status: number;
  body: string;
}

export const stripeId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

/**
 * Stripe's signature scheme, written out rather than taken from Stripe's library so the
 * library's verification in Lyceum is checked against an independent signer:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint secret>`.
 */
export function stripeSignature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

/** The event Stripe sends when a session is paid. */
export function completedEvent(stored: StoredSession, at: Date): StripeEvent {
  return {
    id: stripeId("evt"),
    object: "event",
    api_version: stored.apiVersion ?? null,
    created: Math.floor(at.getTime() / 1000),
    data: { object: { ...stored.session } },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
  };
}

/** POSTs one event to the endpoint, signed as Stripe signs it. */
export async function deliver(
  endpoint: WebhookEndpoint,
  event: StripeEvent,
): Promise<WebhookDelivery> {
  const body = JSON.stringify(event, null, 2);
  const at = endpoint.now?.() ?? new Date();
  const response = await fetch(endpoint.url, {
    method: "POST",
    headers: {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      "stripe-signature": stripeSignature(endpoint.secret, body, at),
    },
    body,
  });
  return { event, status: response.status, body: await response.text() };
}

/** Where the payer goes after paying: `{CHECKOUT_SESSION_ID}` becomes the session's id. */
export function returnUrl(template: string | null, sessionId: string): string | null {
  return template?.replaceAll("{CHECKOUT_SESSION_ID}", sessionId) ?? null;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** The amount as Stripe's page shows it: in the session's currency, from minor units. */
export function shownAmount(session: CheckoutSession): string {
  const currency = (session.currency ?? "usd").toUpperCase();
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(
    session.amount_total / 100,
  );
}

/** The hosted checkout page of one session. */
export function checkoutPage(stored: StoredSession): string {
  const { session, lineItem } = stored;
  const open = session.status === "open";
  const action = `/c/pay/${encodeURIComponent(session.id)}`;
  const body = open
    ? `<dl>
  <dt>Description</dt><dd>${escapeHtml(lineItem.name)}</dd>
  <dt>Amount</dt><dd>${escapeHtml(shownAmount(session))}</dd>
  <dt>Currency</dt><dd>${escapeHtml((session.currency ?? "").toUpperCase())}</dd>
  <dt>Email</dt><dd>${escapeHtml(session.customer_email ?? "")}</dd>
</dl>
<form method="post" action="${action}/pay"><button type="submit">Pay</button></form>
<form method="post" action="${action}/cancel"><button type="submit">Cancel</button></form>`
    : `<p role="status">This Checkout Session is no longer available (${escapeHtml(session.status)}).</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout: ${escapeHtml(lineItem.name)}</title>
</head>
<body>
<main>
<h1>Stripe test checkout</h1>
<p>A local stand-in for Stripe Checkout: no card is charged.</p>
${body}
</main>
</body>
</html>
`;
}
