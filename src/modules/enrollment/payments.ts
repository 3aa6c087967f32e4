import { randomInt } from "node:crypto";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { mailPage } from "../../platform/mail/layout.js";
import { LocalCardProvider } from "../../platform/payments/local.js";
import type { PaymentEvent, ProviderName } from "../../platform/payments/provider.js";
import { authorize, can } from "../../platform/policy/engine.js";
import { visibleCourse } from "../catalog/policy.js";
import { recordEvents, requestContext } from "../events/record.js";
import { notify } from "../notifications/notify.js";
import { enroll } from "./enroll.js";
import type { EnrollmentRow, PaymentRow } from "./schema.js";
import { releaseEnrollmentSeats } from "./seats.js";
import { offerSeats } from "./waitlist.js";

/**
 * Paid enrollment (seed 001 createEnrollment / updatePaymentStatus). A checkout takes a seat
 * at once (`pending-payment`), so a paid seat cannot be sold twice, and gives it back when the
 * payment fails or runs out. Provider notifications are applied once per event id, and each
 * change is keyed on the provider's checkout id, so a redelivered or reordered webhook changes
 * nothing twice.
 */

export interface CheckoutInput {
  courseId: string;
  cohortId?: string | null;
  method: "card" | "invoice";
  /** Where the payer returns after paying: an address of the site's public URL. */
  successUrl?: string;
  /** Where the payer returns after cancelling: an address of the site's public URL. */
  cancelUrl?: string;
}

export interface CheckoutResult {
  payment: PaymentRow;
  enrollment: EnrollmentRow;
}

function invoiceNumber(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  return `INV-${day}-${String(randomInt(1_000_000)).padStart(6, "0")}`;
}

/**
 * A return address the caller chose, refused unless it is an address of the site itself (the
 * origin of PUBLIC_URL, under its path): the provider and the test payment page send the payer
 * there, so anything else would make Lyceum an open redirect to wherever a caller pointed it.
 */
export function siteAddress(
  publicUrl: string,
  field: "successUrl" | "cancelUrl",
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  const site = new URL(publicUrl);
  const sitePath = site.pathname.replace(/\/$/, "");
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const inside =
    url !== undefined &&
    url.origin === site.origin &&
    !url.username &&
    !url.password &&
    (sitePath === "" || url.pathname === sitePath || url.pathname.startsWith(`${sitePath}/`));
  if (!inside)
    throw new AppError(
      "VALIDATION_ERROR",
      `${field} must be an address of this site (${site.origin}${sitePath})`,
      { field },
    );
  return value;
}

/** Starts paying for a course: holds a seat, records the payment, opens the provider's checkout. */
export async function beginCheckout(
  ctx: Ctx,
  userId: string,
  input: CheckoutInput,
): Promise<CheckoutResult> {
  const successUrl = siteAddress(ctx.config.publicUrl, "successUrl", input.successUrl);
  const cancelUrl = siteAddress(ctx.config.publicUrl, "cancelUrl", input.cancelUrl);
  const course = await visibleCourse(ctx, input.courseId);
  if (course.enrollment_type !== "paid" || course.price_amount <= 0)
    throw new AppError("ENROLLMENT_CLOSED", "This course is not sold through checkout", {
      details: { enrollmentType: course.enrollment_type },
    });
  const resumable = await ctx.db
    .selectFrom("payments as p")
    .innerJoin("enrollments as e", "e.id", "p.enrollment_id")
    .selectAll("p")
    .where("p.user_id", "=", userId)
    .where("p.course_id", "=", course.id)
    .where("p.status", "=", "pending")
    .where("e.status", "=", "pending-payment")
    .executeTakeFirst();
  if (resumable) {
    // A second click on "pay" resumes the open checkout instead of taking a second seat (with
    // the return addresses it was opened with: a provider's session cannot change them).
    const enrollment = await ctx.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", resumable.enrollment_id as string)
      .executeTakeFirstOrThrow();
    return { payment: resumable, enrollment };
  }
  const provider = input.method === "invoice" ? ctx.payments.invoice : ctx.payments.card;
  const user = await ctx.db
    .selectFrom("users")
    .select(["email", "first_name"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const now = ctx.clock.now();
  const expiresAt = new Date(
    now.getTime() +
      (provider.name === "invoice"
        ? ctx.config.payments.invoiceDueDays * 24 * 3_600_000
        : ctx.config.payments.checkoutExpiryMinutes * 60_000),
  );
  const base = `${ctx.config.publicUrl}/courses/${course.id}`;
  const returnTo = {
    success: successUrl ?? `${base}?payment=success`,
    cancel: cancelUrl ?? `${base}?payment=cancelled`,
  };
  // Invoices are paid by bank transfer: nobody returns from anywhere.
  const invoiced = provider.name === "invoice";
  const held = await inTransaction(ctx, async (tx) => {
    const result = await enroll(tx, {
      userId,
      courseId: course.id,
      cohortId: input.cohortId,
      source: "paid",
      waitlist: false,
      payment: { provider: provider.name, amount: course.price_amount, currency: course.currency },
    });
    if (result.kind !== "enrolled") throw new Error("checkout never waitlists");
    const payment = await tx.db
      .insertInto("payments")
      .values({
        user_id: userId,
        course_id: course.id,
        cohort_id: result.enrollment.cohort_id,
        organization_id: result.enrollment.organization_id,
        enrollment_id: result.enrollment.id,
        provider: provider.name,
        invoice_number: provider.name === "invoice" ? invoiceNumber(now) : null,
        amount: course.price_amount,
        currency: course.currency,
        expires_at: expiresAt,
        success_url: invoiced ? null : returnTo.success,
        cancel_url: invoiced ? null : returnTo.cancel,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.db
      .updateTable("enrollments")
      .set({ payment_id: payment.id })
      .where("id", "=", result.enrollment.id)
      .execute();
    await audit(tx, {
      organizationId: payment.organization_id,
      action: "payment.create",
      entityType: "payment",
      entityId: payment.id,
      after: { provider: provider.name, amount: payment.amount, currency: payment.currency },
    });
    return payment;
  });

  // The provider is called outside the transaction: no row lock waits on the network.
  let checkout: { checkoutId: string; url: string | null };
  try {
    checkout = await provider.createCheckout({
      paymentId: held.id,
      amount: held.amount,
      currency: held.currency,
      description: course.title,
      customerEmail: user.email,
      successUrl: returnTo.success,
      cancelUrl: returnTo.cancel,
      expiresAt,
    });
  } catch (error) {
    await settleFailure(ctx, held.id, "failed", "the payment provider refused the checkout");
    throw error;
  }
  return inTransaction(ctx, async (tx) => {
    const payment = await tx.db
      .updateTable("payments")
      .set({ checkout_id: checkout.checkoutId, checkout_url: checkout.url })
      .where("id", "=", held.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const enrollment = await tx.db
      .updateTable("enrollments")
      .set({ checkout_id: checkout.checkoutId })
      .where("id", "=", held.enrollment_id as string)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (provider.name === "invoice") {
      const amount = formatMoney(payment.amount, payment.currency);
      const lines = [
        `Hello ${user.first_name},`,
        `Invoice ${payment.invoice_number} for ${course.title}: ${amount}.`,
        `Your seat is held until ${expiresAt.toUTCString()}. Quote the invoice number with your payment.`,
      ];
      await tx.mailer.enqueue(tx.db, {
        to: user.email,
        subject: `Invoice ${payment.invoice_number}: ${course.title}`,
        text: `${lines.join("\n\n")}\n`,
        html: mailPage(`Invoice ${payment.invoice_number}`, lines),
        template: "invoice",
        userId,
        organizationId: payment.organization_id,
      });
    }
    return { payment, enrollment };
  });
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount / 100);
}

async function lockPayment(ctx: Ctx, paymentId: string): Promise<PaymentRow> {
  return ctx.db
    .selectFrom("payments")
    .selectAll()
    .where("id", "=", paymentId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Marks a pending payment paid and opens its enrollment. Paying twice changes nothing. */
async function settleSuccess(
  ctx: Ctx,
  paymentId: string,
  paymentReference: string | null,
): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const payment = await lockPayment(tx, paymentId);
    if (payment.status === "completed" || payment.status.includes("refunded")) return "duplicate";
    const now = tx.clock.now();
    const enrollment = payment.enrollment_id
      ? await tx.db
          .selectFrom("enrollments")
          .selectAll()
          .where("id", "=", payment.enrollment_id)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    const late = payment.status !== "pending" || enrollment?.status !== "pending-payment";
    await tx.db
      .updateTable("payments")
      .set({
        status: "completed",
        completed_at: now,
        payment_reference: paymentReference ?? payment.payment_reference,
        failure_reason: late
          ? "paid after the checkout had expired and its seat was released: refund or enroll by hand"
          : null,
      })
      .where("id", "=", paymentId)
      .execute();
    if (!late && enrollment) {
      await tx.db
        .updateTable("enrollments")
        .set({ status: "active", payment_status: "completed", payment_reference: paymentReference })
        .where("id", "=", enrollment.id)
        .execute();
      const course = await tx.db
        .selectFrom("courses")
        .select(["title"])
        .where("id", "=", payment.course_id)
        .executeTakeFirstOrThrow();
      await notify(tx, {
        userId: payment.user_id,
        organizationId: payment.organization_id,
        type: "payment-received",
        variables: {
          courseTitle: course.title,
          amount: formatMoney(payment.amount, payment.currency),
        },
        data: { paymentId, courseId: payment.course_id },
        actionPath: `/courses/${payment.course_id}`,
      });
    }
    await audit(tx, {
      organizationId: payment.organization_id,
      action: "payment.complete",
      entityType: "payment",
      entityId: paymentId,
      before: { status: payment.status },
      after: { status: "completed", payment_reference: paymentReference, late },
    });
    return late ? "completed-late" : "completed";
  });
}

/** Ends a pending payment that failed or ran out, and gives its seat back. */
async function settleFailure(
  ctx: Ctx,
  paymentId: string,
  status: "failed" | "expired",
  reason: string,
): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const payment = await lockPayment(tx, paymentId);
    if (payment.status !== "pending") return "duplicate";
    await tx.db
      .updateTable("payments")
      .set({ status, failure_reason: reason })
      .where("id", "=", paymentId)
      .execute();
    if (payment.enrollment_id) {
      const enrollment = await tx.db
        .selectFrom("enrollments")
        .selectAll()
        .where("id", "=", payment.enrollment_id)
        .forUpdate()
        .executeTakeFirst();
      if (enrollment?.status === "pending-payment") {
        await tx.db
          .updateTable("enrollments")
          .set({
            status: "dropped",
            dropped_at: tx.clock.now(),
            dropped_reason: `payment ${status}: ${reason}`,
            payment_status: "failed",
          })
          .where("id", "=", enrollment.id)
          .execute();
        await releaseEnrollmentSeats(tx, enrollment);
        if (enrollment.cohort_id) await offerSeats(tx, enrollment.cohort_id);
      }
    }
    await audit(tx, {
      organizationId: payment.organization_id,
      action: `payment.${status === "failed" ? "fail" : "expire"}`,
      entityType: "payment",
      entityId: paymentId,
      before: { status: "pending" },
      after: { status, failure_reason: reason },
    });
    return status;
  });
}

/**
 * Records money going back: `refundedTotal` is the cumulative amount refunded (as providers
 * report it), so applying the same refund twice changes nothing. A full refund ends the
 * enrollment and frees its seat.
 */
async function settleRefund(
  ctx: Ctx,
  paymentId: string,
  refundedTotal: number,
  refundReference: string | null,
): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const payment = await lockPayment(tx, paymentId);
    if (payment.status !== "completed" && payment.status !== "partially-refunded") return "ignored";
    const total = Math.min(refundedTotal, payment.amount);
    if (total <= payment.refunded_amount) return "duplicate";
    const full = total >= payment.amount;
    const now = tx.clock.now();
    await tx.db
      .updateTable("payments")
      .set({
        status: full ? "refunded" : "partially-refunded",
        refunded_amount: total,
        refund_reference: refundReference ?? payment.refund_reference,
        refunded_at: now,
      })
      .where("id", "=", paymentId)
      .execute();
    if (full && payment.enrollment_id) {
      const enrollment = await tx.db
        .selectFrom("enrollments")
        .selectAll()
        .where("id", "=", payment.enrollment_id)
        .forUpdate()
        .executeTakeFirst();
      if (enrollment) {
        const holding = ["active", "suspended", "pending-payment"].includes(enrollment.status);
        await tx.db
          .updateTable("enrollments")
          .set({
            payment_status: "refunded",
            ...(holding
              ? { status: "dropped", dropped_at: now, dropped_reason: "payment refunded" }
              : {}),
          })
          .where("id", "=", enrollment.id)
          .execute();
        if (holding) {
          await releaseEnrollmentSeats(tx, enrollment);
          if (enrollment.cohort_id) await offerSeats(tx, enrollment.cohort_id);
          await recordEvents(tx, [
            {
              type: "enrollment-withdrawn",
              learnerId: enrollment.user_id,
              organizationId: enrollment.organization_id,
              courseId: enrollment.course_id,
              cohortId: enrollment.cohort_id,
              enrollmentId: enrollment.id,
              data: { reason: "payment refunded" },
              context: requestContext(tx),
            },
          ]);
        }
      }
    }
    const course = await tx.db
      .selectFrom("courses")
      .select("title")
      .where("id", "=", payment.course_id)
      .executeTakeFirstOrThrow();
    await notify(tx, {
      userId: payment.user_id,
      organizationId: payment.organization_id,
      type: "payment-refunded",
      variables: {
        courseTitle: course.title,
        amount: formatMoney(total - payment.refunded_amount, payment.currency),
      },
      data: { paymentId, courseId: payment.course_id },
    });
    await audit(tx, {
      organizationId: payment.organization_id,
      action: "payment.refund",
      entityType: "payment",
      entityId: paymentId,
      before: { status: payment.status, refunded_amount: payment.refunded_amount },
      after: { status: full ? "refunded" : "partially-refunded", refunded_amount: total },
    });
    return full ? "refunded" : "partially-refunded";
  });
}

/**
 * Applies one verified provider event, once per event id: the event is claimed and applied in
 * one transaction, so a crash midway lets the provider's redelivery try again, and a
 * concurrent redelivery waits on the claim and then finds it taken.
 */
export async function applyPaymentEvent(
  ctx: Ctx,
  provider: ProviderName,
  event: PaymentEvent,
): Promise<{ outcome: string; paymentId: string | null }> {
  return inTransaction(ctx, async (tx) => {
    const claimed = await tx.db
      .insertInto("payment_events")
      .values({
        provider,
        event_id: event.id,
        type: event.type,
        outcome: "processing",
        received_at: tx.clock.now(),
      })
      .onConflict((oc) => oc.columns(["provider", "event_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!claimed) return { outcome: "duplicate", paymentId: null };
    let payment: PaymentRow | undefined;
    let outcome = "ignored";
    if (event.kind === "completed" || event.kind === "failed") {
      payment = await tx.db
        .selectFrom("payments")
        .selectAll()
        .where("provider", "=", provider)
        .where("checkout_id", "=", event.checkoutId)
        .executeTakeFirst();
      if (!payment) outcome = "unknown-checkout";
      else if (event.kind === "completed")
        outcome = await settleSuccess(tx, payment.id, event.paymentReference);
      else
        outcome = await settleFailure(
          tx,
          payment.id,
          event.reason.includes("expired") ? "expired" : "failed",
          event.reason,
        );
    } else if (event.kind === "refunded") {
      payment = await tx.db
        .selectFrom("payments")
        .selectAll()
        .where("provider", "=", provider)
        .where("payment_reference", "=", event.paymentReference)
        .executeTakeFirst();
      outcome = payment
        ? await settleRefund(tx, payment.id, event.amountRefunded, event.refundReference)
        : "unknown-payment";
    }
    await tx.db
      .updateTable("payment_events")
      .set({ outcome, payment_id: payment?.id ?? null })
      .where("id", "=", claimed.id)
      .execute();
    return { outcome, paymentId: payment?.id ?? null };
  });
}

/** A payment the actor may see: their own, or with `payments:read` over its organization. */
export async function visiblePayment(
  ctx: Ctx,
  paymentId: string,
  ability: "payments:read" | "payments:manage" = "payments:read",
): Promise<PaymentRow> {
  const payment = await ctx.db
    .selectFrom("payments")
    .selectAll()
    .where("id", "=", paymentId)
    .executeTakeFirst();
  if (!payment) throw new AppError("NOT_FOUND", "Payment not found");
  const access = await ctx.actor.access();
  const target = { organizationId: payment.organization_id, ownerId: payment.user_id };
  const own = ctx.actor.kind === "user" && ctx.actor.userId === payment.user_id;
  if (!own && !can(access, "payments:read", target))
    throw new AppError("NOT_FOUND", "Payment not found");
  if (ability === "payments:manage") authorize(access, "payments:manage", target);
  return payment;
}

/** Refunds a completed payment (all of it unless `amount` says less) through its provider. */
export async function refundPayment(
  ctx: Ctx,
  paymentId: string,
  input: { amount?: number; reason?: string | null },
): Promise<PaymentRow> {
  const payment = await visiblePayment(ctx, paymentId, "payments:manage");
  if (payment.status !== "completed" && payment.status !== "partially-refunded")
    throw new AppError("UNPROCESSABLE", `A ${payment.status} payment cannot be refunded`);
  const left = payment.amount - payment.refunded_amount;
  const amount = input.amount ?? left;
  if (amount < 1 || amount > left)
    throw new AppError("VALIDATION_ERROR", `Refund between 1 and ${left} (minor units)`, {
      field: "amount",
    });
  if (payment.provider !== "invoice" && !payment.payment_reference)
    throw new AppError("UNPROCESSABLE", "The provider has not reported this payment's reference");
  const provider = ctx.payments.get(payment.provider);
  const { refundReference } = await provider.refund({
    paymentReference: payment.payment_reference ?? payment.invoice_number ?? payment.id,
    amount,
    idempotencyKey: `refund-${payment.id}-${payment.refunded_amount + amount}`,
  });
  await settleRefund(ctx, payment.id, payment.refunded_amount + amount, refundReference);
  if (input.reason)
    await audit(ctx, {
      organizationId: payment.organization_id,
      action: "payment.refund-reason",
      entityType: "payment",
      entityId: payment.id,
      after: { reason: input.reason },
    });
  return ctx.db
    .selectFrom("payments")
    .selectAll()
    .where("id", "=", payment.id)
    .executeTakeFirstOrThrow();
}

/** Records that an invoice was paid (bank transfer, purchase order). */
export async function markInvoicePaid(
  ctx: Ctx,
  paymentId: string,
  reference: string,
): Promise<PaymentRow> {
  const payment = await visiblePayment(ctx, paymentId, "payments:manage");
  if (payment.provider !== "invoice")
    throw new AppError("UNPROCESSABLE", "Only invoices are marked paid by hand");
  if (payment.status !== "pending")
    throw new AppError("UNPROCESSABLE", `This invoice is ${payment.status}`);
  await settleSuccess(ctx, payment.id, reference);
  return ctx.db
    .selectFrom("payments")
    .selectAll()
    .where("id", "=", payment.id)
    .executeTakeFirstOrThrow();
}

/**
 * Settles a checkout of the local card processor, as its payer: produces the signed event
 * Stripe would send and passes it through the webhook path.
 */
export async function simulateCheckout(
  ctx: Ctx,
  paymentId: string,
  userId: string,
  outcome: "paid" | "failed",
): Promise<{ outcome: string; payment: PaymentRow }> {
  const payment = await ctx.db
    .selectFrom("payments")
    .selectAll()
    .where("id", "=", paymentId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!payment) throw new AppError("NOT_FOUND", "Payment not found");
  const local = ctx.payments.get("local");
  if (payment.provider !== "local" || !(local instanceof LocalCardProvider) || !payment.checkout_id)
    throw new AppError("UNPROCESSABLE", "Only checkouts of the local card processor are simulated");
  const now = ctx.clock.now();
  const object =
    outcome === "paid"
      ? {
          id: payment.checkout_id,
          object: "checkout.session",
          payment_status: "paid",
          amount_total: payment.amount,
          payment_intent: `pi_local_${payment.id.replaceAll("-", "")}`,
        }
      : { id: payment.checkout_id, object: "checkout.session", payment_status: "unpaid" };
  const signed = local.event(
    outcome === "paid" ? "checkout.session.completed" : "checkout.session.async_payment_failed",
    object,
    now,
  );
  const event = local.verifyWebhook(
    Buffer.from(signed.body),
    { "lyceum-signature": signed.signature },
    now,
  );
  const result = await applyPaymentEvent(ctx, "local", event);
  return {
    outcome: result.outcome,
    payment: await ctx.db
      .selectFrom("payments")
      .selectAll()
      .where("id", "=", paymentId)
      .executeTakeFirstOrThrow(),
  };
}

/** Ends checkouts and invoices that ran out (five minutes' grace for in-flight webhooks). */
export async function expirePayments(ctx: Ctx): Promise<number> {
  const due = await ctx.db
    .selectFrom("payments")
    .select("id")
    .where("status", "=", "pending")
    .where("expires_at", "<=", new Date(ctx.clock.now().getTime() - 5 * 60_000))
    .orderBy("expires_at")
    .limit(500)
    .execute();
  let expired = 0;
  for (const { id } of due) {
    if ((await settleFailure(ctx, id, "expired", "not paid in time")) === "expired") expired++;
  }
  return expired;
}
