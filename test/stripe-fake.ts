import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CheckoutSession,
  checkoutPage,
  completedEvent,
  deliver,
  stripeId as id,
  returnUrl,
  type StoredSession,
  type StripeEvent,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "./stripe-checkout.js";

/**
 * A local stand-in for Stripe's API, so the real `stripe` library runs in tests without the
 * internet. It speaks Stripe's protocol: form-encoded POSTs under /v1 with a Bearer secret key,
 * answers with Stripe's JSON objects and `Request-Id`, keeps idempotency keys as Stripe does
 * (the same key and parameters replay the first answer; other parameters are an
 * `idempotency_error`), and reports errors in Stripe's shape `{ error: { type, message, … } }`.
 *
 * Outside /v1 it is Stripe's hosted Checkout (test/stripe-checkout.ts): a session's `url` is
 * `<checkout origin>/c/pay/<session id>` on this server unless `checkoutOrigin` says otherwise,
 * a page with Pay and Cancel. Pay sends the signed `checkout.session.completed` event to the
 * endpoint given to `sendWebhooksTo` (Lyceum's webhook route), then redirects to the
 * session's `success_url`; Cancel redirects to its `cancel_url`.
 */

export type { CheckoutSession, StripeEvent, WebhookDelivery, WebhookEndpoint };

export interface StripeFakeOptions {
  /** The origin of the hosted pages sessions' `url` names: this server's own unless given. */
  checkoutOrigin?: string;
}

export interface StripeRequest {
  method: string;
  path: string;
  form: URLSearchParams;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  stripeVersion: string | undefined;
  /** Whether the answer was a replay of an earlier request with the same idempotency key. */
  replayed: boolean;
}

export interface StripeFailure {
  status: number;
  type: string;
  message: string;
  code?: string;
  param?: string;
  /** Sent as `Stripe-Should-Retry`: whether the library may try again. */
  shouldRetry?: boolean;
}

export interface StripeFake {
  /** `http://127.0.0.1:<port>`: the STRIPE_API_URL to give Lyceum, and the hosted pages' origin. */
  url: string;
  /** Every API request received (under /v1), in order. */
  requests: StripeRequest[];
  /** The Checkout Sessions created, by id. */
  sessions: Map<string, StoredSession>;
  /** Answers the next API request (only) with this error. */
  failNext(failure: StripeFailure): void;
  /** Where paid sessions' events go from now on (none are sent before). */
  sendWebhooksTo(endpoint: WebhookEndpoint): void;
  /**
   * Keeps the events of sessions paid from now on until `releaseWebhooks`, as when Stripe's
   * notice arrives after the payer is back on the success page.
   */
  holdWebhooks(): void;
  /** Sends the held events (and sends later ones at once again); answers their deliveries. */
  releaseWebhooks(): Promise<WebhookDelivery[]>;
  /** Every event produced, sent or not, in order. */
  events: StripeEvent[];
  /** Every delivery made, with the endpoint's answer. */
  deliveries: WebhookDelivery[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

function reply(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, {
    "content-type": "application/json",
    "request-id": id("req"),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

const error = (type: string, message: string, extra: Record<string, string> = {}) => ({
  error: { type, message, ...extra },
});

/** The metadata a form names (`metadata[key]=value`). */
function metadataOf(form: URLSearchParams): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of form) {
    const name = key.match(/^metadata\[(.+)\]$/)?.[1];
    if (name) metadata[name] = value;
  }
  return metadata;
}

/** Creates a Checkout Session from the form Stripe's library sends. */
function createSession(
  form: URLSearchParams,
  checkoutOrigin: string,
  apiVersion: string | undefined,
): StoredSession {
  const sessionId = id("cs");
  const unitAmount = Number(form.get("line_items[0][price_data][unit_amount]"));
  const quantity = Number(form.get("line_items[0][quantity]") ?? 1);
  const session: CheckoutSession = {
    id: sessionId,
    object: "checkout.session",
    mode: form.get("mode"),
    status: "open",
    payment_status: "unpaid",
    amount_subtotal: unitAmount * quantity,
    amount_total: unitAmount * quantity,
    currency: form.get("line_items[0][price_data][currency]"),
    client_reference_id: form.get("client_reference_id"),
    customer_email: form.get("customer_email"),
    created: Math.floor(Date.now() / 1000),
    expires_at: Number(form.get("expires_at")),
    metadata: metadataOf(form),
    payment_intent: null,
    success_url: form.get("success_url"),
    cancel_url: form.get("cancel_url"),
    url: `${checkoutOrigin}/c/pay/${sessionId}`,
    livemode: false,
  };
  const name = form.get("line_items[0][price_data][product_data][name]") ?? "";
  return { session, lineItem: { name, unitAmount, quantity }, apiVersion };
}

/** What Stripe answers for a request it accepts: the object it created or was asked for. */
function answer(
  request: StripeRequest,
  sessions: Map<string, StoredSession>,
  checkoutOrigin: string,
): { status: number; body: unknown } {
  const { method, path, form } = request;
  const read = path.match(/^\/v1\/checkout\/sessions\/([\w-]+)$/);
  if (method === "GET" && read) {
    const stored = sessions.get(read[1] ?? "");
    if (stored) return { status: 200, body: stored.session };
    return {
      status: 404,
      body: error("invalid_request_error", `No such checkout.session: '${read[1]}'`, {
        code: "resource_missing",
        param: "session",
      }),
    };
  }
  if (method !== "POST")
    return {
      status: 404,
      body: error("invalid_request_error", `Unrecognized request URL (${method}: ${path}).`),
    };
  if (path === "/v1/checkout/sessions") {
    const stored = createSession(form, checkoutOrigin, request.stripeVersion);
    sessions.set(stored.session.id, stored);
    return { status: 200, body: stored.session };
  }
  if (path === "/v1/refunds") {
    const intent = form.get("payment_intent");
    if (!intent)
      return {
        status: 400,
        body: error("invalid_request_error", "One of charge or payment_intent is required.", {
          param: "payment_intent",
        }),
      };
    return {
      status: 200,
      body: {
        id: id("re"),
        object: "refund",
        amount: Number(form.get("amount")),
        payment_intent: intent,
        status: "succeeded",
        currency: "usd",
      },
    };
  }
  return {
    status: 404,
    body: error("invalid_request_error", `Unrecognized request URL (POST: ${path}).`),
  };
}

function page(res: ServerResponse, status: number, html: string, headers = {}): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
  res.end(html);
}

/** Starts the stand-in on a free loopback port. */
export async function startStripeFake(
  secretKey: string,
  options: StripeFakeOptions = {},
): Promise<StripeFake> {
  const requests: StripeRequest[] = [];
  const failures: StripeFailure[] = [];
  const keys = new Map<string, { body: string; status: number; answer: unknown }>();
  const sessions = new Map<string, StoredSession>();
  const events: StripeEvent[] = [];
  const deliveries: WebhookDelivery[] = [];
  const held: StripeEvent[] = [];
  let endpoint: WebhookEndpoint | undefined;
  let holding = false;
  let origin = "";

  const send = async (event: StripeEvent) => {
    if (!endpoint) throw new Error("the Stripe stand-in has no webhook endpoint");
    let delivery: WebhookDelivery;
    try {
      delivery = await deliver(endpoint, event);
    } catch (failure) {
      // Stripe records an unreachable endpoint as a failed delivery (and tries again later).
      delivery = { event, status: 0, body: String(failure) };
    }
    deliveries.push(delivery);
    return delivery;
  };

  /** The hosted Checkout: the page, and its Pay and Cancel buttons. */
  const hosted = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const match = path.match(/^\/c\/pay\/([\w-]+)(?:\/(pay|cancel))?$/);
    const stored = match ? sessions.get(match[1] ?? "") : undefined;
    if (!match || !stored) {
      page(res, 404, "<!doctype html><title>Not found</title><h1>Not found</h1>\n");
      return;
    }
    const action = match[2];
    if (req.method !== (action ? "POST" : "GET")) {
      page(res, 405, checkoutPage(stored), { allow: action ? "POST" : "GET" });
      return;
    }
    if (!action) {
      page(res, 200, checkoutPage(stored));
      return;
    }
    if (stored.session.status !== "open") {
      page(res, 409, checkoutPage(stored));
      return;
    }
    let location: string | null;
    if (action === "cancel") {
      // Leaving Checkout changes nothing: the session stays open until it expires.
      location = returnUrl(stored.session.cancel_url, stored.session.id);
    } else {
      stored.session = {
        ...stored.session,
        status: "complete",
        payment_status: "paid",
        payment_intent: id("pi"),
        url: null,
      };
      const event = completedEvent(stored, endpoint?.now?.() ?? new Date());
      events.push(event);
      if (endpoint && !holding) await send(event);
      else held.push(event);
      location = returnUrl(stored.session.success_url, stored.session.id);
    }
    if (location) {
      res.writeHead(303, { location });
      res.end();
    } else page(res, 200, checkoutPage(stored));
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!path.startsWith("/v1/")) {
      await hosted(req, res, path);
      return;
    }
    const key = req.headers["idempotency-key"] as string | undefined;
    const request: StripeRequest = {
      method: req.method ?? "",
      path,
      form: new URLSearchParams(body),
      authorization: req.headers.authorization,
      idempotencyKey: key,
      stripeVersion: req.headers["stripe-version"] as string | undefined,
      replayed: false,
    };
    requests.push(request);
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      reply(res, 401, error("invalid_request_error", "Invalid API Key provided"));
      return;
    }
    const failure = failures.shift();
    if (failure) {
      const { status, type, message, code, param, shouldRetry } = failure;
      reply(
        res,
        status,
        error(type, message, { ...(code ? { code } : {}), ...(param ? { param } : {}) }),
        shouldRetry === undefined ? {} : { "stripe-should-retry": String(shouldRetry) },
      );
      return;
    }
    const earlier = key ? keys.get(key) : undefined;
    if (earlier) {
      if (earlier.body !== body) {
        reply(
          res,
          400,
          error(
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
        );
        return;
      }
      request.replayed = true;
      reply(res, earlier.status, earlier.answer, { "idempotent-replayed": "true" });
      return;
    }
    const result = answer(request, sessions, options.checkoutOrigin ?? origin);
    if (key) keys.set(key, { body, status: result.status, answer: result.body });
    reply(res, result.status, result.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    requests,
    sessions,
    events,
    deliveries,
    failNext: (failure) => {
      failures.push(failure);
    },
    sendWebhooksTo: (target) => {
      endpoint = target;
    },
    holdWebhooks: () => {
      holding = true;
    },
    releaseWebhooks: async () => {
      holding = false;
      const sent: WebhookDelivery[] = [];
      for (const event of held.splice(0)) sent.push(await send(event));
      return sent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
