import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import type { Ctx } from "../../platform/context.js";
import { envelope, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import type { ProviderName } from "../../platform/payments/provider.js";
import { ref } from "../../platform/references.js";
import {
  applyPaymentEvent,
  beginCheckout,
  markInvoicePaid,
  refundPayment,
  simulateCheckout,
  visiblePayment,
} from "./payments.js";
import {
  enrollmentSchema,
  paymentSchema,
  paymentViewSchema,
  presentEnrollment,
  presentPayment,
  presentPaymentView,
} from "./present.js";
import type { PaymentRecordStatus } from "./schema.js";

const PAYMENT_STATUSES = [
  "pending",
  "completed",
  "failed",
  "expired",
  "refunded",
  "partially-refunded",
] as const;

const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  status: z.enum(PAYMENT_STATUSES).optional(),
});

/**
 * Payments newest first: one payer's, one organization's, or (no scope) all of them, with the
 * payer's name and email and the course's title.
 */
function listPayments(
  ctx: Ctx,
  scope: { userId?: string; organizationId?: string },
  query: { page: number; limit: number; status?: PaymentRecordStatus; provider?: ProviderName },
) {
  let q = ctx.db
    .selectFrom("payments as p")
    .innerJoin("users as u", "u.id", "p.user_id")
    .innerJoin("courses as c", "c.id", "p.course_id")
    .selectAll("p")
    .select(["u.first_name", "u.last_name", "u.email", "c.title as course_title"]);
  if (scope.userId) q = q.where("p.user_id", "=", scope.userId);
  if (scope.organizationId) q = q.where("p.organization_id", "=", scope.organizationId);
  if (query.status) q = q.where("p.status", "=", query.status);
  if (query.provider) q = q.where("p.provider", "=", query.provider);
  return paginate(q, query, { column: "p.created_at", direction: "desc" }, "p.id");
}

/** Paid enrollment: checkout, payments, invoices and refunds. */
export async function paymentRoutes(app: App): Promise<void> {
  const tags = ["Payments"];

  app.post(
    "/api/v1/enrollments/checkout",
    {
      config: { access: { permission: "enrollments:create", apiKeys: false } },
      schema: {
        tags,
        summary: "Pay for a course: hold a seat and open a checkout",
        description:
          "`method: card` answers with the provider's `checkoutUrl` (Stripe Checkout, or the web app's test payment page of the local processor, which pays through `POST /payments/{id}/simulate`); `invoice` mails an invoice and holds the seat until it is due. The seat is held in a `pending-payment` enrollment and given back if the payment fails or runs out. Calling again while a checkout is open returns the same one (with the return addresses it was opened with). `successUrl` and `cancelUrl` must be addresses of the site itself (its public URL); anything else is refused with `VALIDATION_ERROR` naming the field.",
        body: z.object({
          courseId: ref("course"),
          cohortId: ref("cohort").optional(),
          method: z.enum(["card", "invoice"]).default("card"),
          successUrl: z
            .url()
            .max(2000)
            .optional()
            .describe(
              "Where the payer returns after paying (default: the course page with `?payment=success`); an address of this site. `{CHECKOUT_SESSION_ID}` is replaced by the checkout's id.",
            ),
          cancelUrl: z
            .url()
            .max(2000)
            .optional()
            .describe(
              "Where the payer returns after cancelling (default: the course page with `?payment=cancelled`); an address of this site.",
            ),
        }),
        response: {
          201: envelope(z.object({ payment: paymentSchema, enrollment: enrollmentSchema })),
        },
      },
    },
    async (request, reply) => {
      const result = await beginCheckout(request.ctx, signedInUserId(request.actor), request.body);
      reply.code(201);
      return ok({
        payment: presentPayment(result.payment),
        enrollment: presentEnrollment(result.enrollment),
      });
    },
  );

  app.get(
    "/api/v1/payments/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My payments and invoices",
        querystring: listQuery,
        response: { 200: listEnvelope(paymentViewSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listPayments(
        request.ctx,
        { userId: signedInUserId(request.actor) },
        request.query,
      );
      return okList(rows.map(presentPaymentView), pagination);
    },
  );

  app.get(
    "/api/v1/payments",
    {
      config: { access: { permission: "payments:read", platform: true } },
      schema: {
        tags,
        summary: "Every payment on the platform (platform administrators)",
        querystring: listQuery.extend({
          provider: z.enum(["stripe", "local", "invoice"]).optional(),
        }),
        response: { 200: listEnvelope(paymentViewSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listPayments(request.ctx, {}, request.query);
      return okList(rows.map(presentPaymentView), pagination);
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/payments",
    {
      config: { access: { permission: "payments:read" } },
      schema: {
        tags,
        summary: "Payments for the organization's courses and cohorts",
        params: idParam("organizationId"),
        querystring: listQuery,
        response: { 200: listEnvelope(paymentViewSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listPayments(
        request.ctx,
        { organizationId: request.params.organizationId },
        request.query,
      );
      return okList(rows.map(presentPaymentView), pagination);
    },
  );

  app.get(
    "/api/v1/payments/:paymentId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "One payment (the payer's own, or with payments:read)",
        params: idParam("paymentId"),
        response: { 200: envelope(paymentSchema) },
      },
    },
    async (request) =>
      ok(presentPayment(await visiblePayment(request.ctx, request.params.paymentId))),
  );

  app.post(
    "/api/v1/payments/:paymentId/refund",
    {
      config: { access: { permission: "payments:manage" } },
      schema: {
        tags,
        summary: "Refund a payment (all of it unless `amount` says less)",
        description:
          "Goes back through the payment's provider. A full refund drops the enrollment and frees its seat; a partial one keeps it.",
        params: idParam("paymentId"),
        body: z
          .object({
            amount: z.number().int().min(1).optional().describe("Minor units"),
            reason: z.string().trim().max(1000).optional(),
          })
          .default({}),
        response: { 200: envelope(paymentSchema) },
      },
    },
    async (request) =>
      ok(presentPayment(await refundPayment(request.ctx, request.params.paymentId, request.body))),
  );

  app.post(
    "/api/v1/payments/:paymentId/mark-paid",
    {
      config: { access: { permission: "payments:manage" } },
      schema: {
        tags,
        summary: "Record that an invoice was paid",
        params: idParam("paymentId"),
        body: z.object({
          reference: z.string().trim().min(1).max(200).describe("Bank transfer or PO reference"),
        }),
        response: { 200: envelope(paymentSchema) },
      },
    },
    async (request) =>
      ok(
        presentPayment(
          await markInvoicePaid(request.ctx, request.params.paymentId, request.body.reference),
        ),
      ),
  );

  app.post(
    "/api/v1/payments/:paymentId/simulate",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Pay (or fail) a checkout of the local card processor",
        description:
          "Only with `PAYMENT_PROVIDER=local` (development and demo): produces the signed event a card processor would send and applies it like a webhook.",
        params: idParam("paymentId"),
        body: z.object({ outcome: z.enum(["paid", "failed"]).default("paid") }).default({
          outcome: "paid",
        }),
        response: {
          200: envelope(z.object({ outcome: z.string(), payment: paymentSchema })),
        },
      },
    },
    async (request) => {
      const result = await simulateCheckout(
        request.ctx,
        request.params.paymentId,
        signedInUserId(request.actor),
        request.body.outcome,
      );
      return ok({ outcome: result.outcome, payment: presentPayment(result.payment) });
    },
  );
}

/**
 * Provider webhooks. The signature covers the exact bytes sent, so this scope reads JSON
 * bodies as raw buffers and parses them only after verification.
 */
export async function paymentWebhookRoutes(app: App): Promise<void> {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    "/api/v1/payments/webhooks/:provider",
    {
      config: { access: { public: true } },
      schema: {
        tags: ["Payments"],
        summary: "Payment provider notifications (Stripe: point its webhook endpoint here)",
        description:
          "Verifies the signature (`Stripe-Signature`, or `Lyceum-Signature` for the local processor) over the raw body with a 5-minute tolerance, then applies the event once per event id: `checkout.session.completed` / `async_payment_succeeded` open the enrollment, `checkout.session.expired` / `async_payment_failed` give the seat back, `charge.refunded` records the refund. Other events are acknowledged and ignored.",
        params: z.object({ provider: z.enum(["stripe", "local"]) }),
        response: {
          200: envelope(z.object({ received: z.literal(true), outcome: z.string() })),
        },
      },
    },
    async (request) => {
      const name = request.params.provider as ProviderName;
      const ctx = request.ctx;
      let provider: ReturnType<typeof ctx.payments.get>;
      try {
        provider = ctx.payments.get(name);
      } catch {
        throw new AppError("NOT_FOUND", `The ${name} provider is not configured`);
      }
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const event = provider.verifyWebhook(raw, request.headers, ctx.clock.now());
      const result = await applyPaymentEvent(ctx, name, event);
      request.log.info(
        { event: event.id, type: event.type, outcome: result.outcome },
        "payment webhook",
      );
      return ok({ received: true as const, outcome: result.outcome });
    },
  );
}
