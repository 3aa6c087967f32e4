import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Stripe's API, so the real `stripe` library runs in tests without the
 * internet. It speaks Stripe's protocol: form-encoded POSTs under /v1 with a Bearer secret key,
 * answers with Stripe's JSON objects and `Request-Id`, keeps idempotency keys as Stripe does
 * (the same key and parameters replay the first answer; other parameters are an
 * `idempotency_error`), and reports errors in Stripe's shape `{ error: { type, message, … } }`.
 */

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
  /** `http://127.0.0.1:<port>`: the STRIPE_API_URL to give Lyceum. */
  url: string;
  /** Every request received, in order. */
  requests: StripeRequest[];
  /** Answers the next request (only) with this error. */
  failNext(failure: StripeFailure): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
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

/** What Stripe answers for a request it accepts: the object it created. */
function answer(path: string, form: URLSearchParams): { status: number; body: unknown } {
  if (path === "/v1/checkout/sessions") {
    const session = id("cs");
    const amount = Number(form.get("line_items[0][price_data][unit_amount]"));
    const quantity = Number(form.get("line_items[0][quantity]") ?? 1);
    return {
      status: 200,
      body: {
        id: session,
        object: "checkout.session",
        mode: form.get("mode"),
        status: "open",
        payment_status: "unpaid",
        amount_total: amount * quantity,
        currency: form.get("line_items[0][price_data][currency]"),
        client_reference_id: form.get("client_reference_id"),
        customer_email: form.get("customer_email"),
        expires_at: Number(form.get("expires_at")),
        metadata: { payment_id: form.get("metadata[payment_id]") },
        payment_intent: null,
        success_url: form.get("success_url"),
        cancel_url: form.get("cancel_url"),
        url: `https://checkout.stripe.test/c/pay/${session}`,
        livemode: false,
      },
    };
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

/** Starts the stand-in on a free loopback port. */
export async function startStripeFake(secretKey: string): Promise<StripeFake> {
  const requests: StripeRequest[] = [];
  const failures: StripeFailure[] = [];
  const keys = new Map<string, { body: string; status: number; answer: unknown }>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? "").split("?")[0] ?? "";
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
      send(res, 401, error("invalid_request_error", "Invalid API Key provided"));
      return;
    }
    const failure = failures.shift();
    if (failure) {
      const { status, type, message, code, param, shouldRetry } = failure;
      send(
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
        send(
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
      send(res, earlier.status, earlier.answer, { "idempotent-replayed": "true" });
      return;
    }
    const result = req.method === "POST" ? answer(path, request.form) : { status: 404, body: {} };
    if (key) keys.set(key, { body, status: result.status, answer: result.body });
    send(res, result.status, result.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (failure) => {
      failures.push(failure);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
