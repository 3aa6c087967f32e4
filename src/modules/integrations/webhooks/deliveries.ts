import { z } from "zod";
import { audit } from "../../../platform/audit/audit.js";
import { type AppServices, type Ctx, inTransaction } from "../../../platform/context.js";
import { isoDateTime } from "../../../platform/http/envelope.js";
import { AppError } from "../../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../../platform/http/pagination.js";
import { enqueueJob } from "../../../platform/jobs/queue.js";
import { clientAddress, consumeLimit, type Limit, limitError } from "../../../platform/limits.js";
import { verifySignature } from "../../../platform/net/signature.js";
import { mirroredCourseIds } from "../../catalog/external.js";
import type { WebhookDelivery } from "./payload.js";
import { DELIVERY_STATUSES, type DeliveryStatus, type WebhookDeliveryRow } from "./schema.js";
import { signingSecrets, storedSecret } from "./secrets.js";

/** The job that turns an integration's received deliveries into a sync run (jobs.ts). */
export const WEBHOOK_JOB = "integrations.webhook-deliveries";

/** Requests per integration and sending address; more answer 429 with Retry-After. */
export const WEBHOOK_LIMIT: Limit = { kind: "integration-webhook", max: 600, windowMs: 60_000 };

/**
 * One answer for every delivery that cannot be proven to come from an integration's sender:
 * unknown, removed or inactive integration, another type, no secret set, a missing, malformed,
 * wrong or stale signature. The endpoint says nothing about which integrations exist.
 */
export const signatureRejected = () =>
  new AppError(
    "WEBHOOK_UNAUTHENTICATED",
    "The delivery is not signed with this integration's secret within the last 5 minutes",
  );

/** The integration a delivery is for, when its signature holds; throws WEBHOOK_UNAUTHENTICATED. */
export async function authenticateDelivery(
  services: Pick<AppServices, "db" | "clock" | "secrets">,
  input: { integrationId: string; rawBody: Buffer; signature: unknown; ip: string },
): Promise<{ id: string; organizationId: string }> {
  const now = services.clock.now();
  const uuid = z.uuid().safeParse(input.integrationId);
  const integration = uuid.success
    ? await services.db
        .selectFrom("lms_integrations")
        .select(["id", "organization_id", "lms_type", "is_active", "direction"])
        .where("id", "=", input.integrationId)
        .where("deleted_at", "is", null)
        .executeTakeFirst()
    : undefined;
  const secret = integration ? await storedSecret(services.db, integration.id) : undefined;
  const secrets = secret ? signingSecrets(services, secret, now) : [];
  // A fixed secret keeps the work the same when there is nothing to check against.
  const verified = verifySignature(
    secrets.length ? secrets : ["whsec_none"],
    input.rawBody,
    input.signature,
    now,
  );
  if (
    !verified ||
    !secrets.length ||
    !integration ||
    !integration.is_active ||
    integration.lms_type !== "inbound-webhook" ||
    integration.direction === "export"
  )
    throw signatureRejected();
  // Counted once the sender is proven: unsigned floods meet the per-address limit every API
  // request meets (server.ts), and a refused delivery leaves nothing behind.
  const limit = await consumeLimit(
    services,
    WEBHOOK_LIMIT,
    `${input.integrationId}|${clientAddress(input.ip)}`,
  );
  if (!limit.allowed)
    throw limitError("Too many deliveries from this address; slow down", WEBHOOK_LIMIT, limit);
  return { id: integration.id, organizationId: integration.organization_id };
}

export const deliverySchema = z
  .object({
    id: z.uuid().describe("Lyceum's id of the delivery"),
    integrationId: z.uuid(),
    deliveryId: z.string().describe("The sender's id of the delivery"),
    eventType: z.string(),
    occurredAt: isoDateTime().nullable(),
    receivedAt: isoDateTime(),
    status: z
      .enum(DELIVERY_STATUSES)
      .describe(
        "received: stored, waiting for its sync run; processed: read by the run (its report says what became of each record); failed: the run failed (error says why)",
      ),
    sizeBytes: z.number().int(),
    courseCount: z.number().int(),
    enrollmentCount: z.number().int(),
    runId: z.uuid().nullable().describe("The sync run that read the delivery"),
    error: z.string().nullable(),
    processedAt: isoDateTime().nullable(),
  })
  .meta({ id: "LmsWebhookDeliveryRecord" });

export function presentDelivery(row: WebhookDeliveryRow): z.infer<typeof deliverySchema> {
  return {
    id: row.id,
    integrationId: row.integration_id,
    deliveryId: row.delivery_id,
    eventType: row.event_type,
    occurredAt: row.occurred_at?.toISOString() ?? null,
    receivedAt: row.received_at.toISOString(),
    status: row.status,
    sizeBytes: row.size_bytes,
    courseCount: row.course_count,
    enrollmentCount: row.enrollment_count,
    runId: row.run_id,
    error: row.error,
    processedAt: row.processed_at?.toISOString() ?? null,
  };
}

/**
 * Stores a verified delivery (status `received`) and queues its processing; answers it with
 * `duplicate: false`. A delivery id the integration already received answers the stored
 * delivery with `duplicate: true`, and nothing is stored or processed again. Enrollments must
 * name a course of the delivery or one the integration already mirrors (400 at the path).
 */
export async function storeDelivery(
  ctx: Ctx,
  integration: { id: string; organizationId: string },
  delivery: WebhookDelivery,
  meta: { deliveryHeader: unknown; sizeBytes: number },
): Promise<{ delivery: WebhookDeliveryRow; duplicate: boolean }> {
  if (meta.deliveryHeader !== undefined && meta.deliveryHeader !== delivery.id)
    throw new AppError(
      "VALIDATION_ERROR",
      "The Lyceum-Delivery header and the body's id name different deliveries",
      { field: "id" },
    );
  const earlier = await findDelivery(ctx, integration.id, delivery.id);
  if (earlier) return { delivery: earlier, duplicate: true };
  await checkCourses(ctx, integration.id, delivery);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("integration_webhook_deliveries")
      .values({
        organization_id: integration.organizationId,
        integration_id: integration.id,
        delivery_id: delivery.id,
        event_type: delivery.type,
        occurred_at: delivery.occurredAt,
        received_at: now,
        payload: JSON.stringify(delivery),
        size_bytes: meta.sizeBytes,
        course_count: delivery.data.courses.length,
        enrollment_count: delivery.data.enrollments.length,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(["integration_id", "delivery_id"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      // The same delivery arrived twice at once: the other request stored it.
      const stored = await findDelivery(tx, integration.id, delivery.id);
      if (!stored) throw new Error("delivery vanished after a conflicting insert");
      return { delivery: stored, duplicate: true };
    }
    await enqueueJob(
      tx.db,
      WEBHOOK_JOB,
      { integrationId: integration.id },
      { runAt: now, maxAttempts: 10, dedupeKey: `${WEBHOOK_JOB}:${integration.id}` },
    );
    await audit(tx, {
      organizationId: integration.organizationId,
      action: "lms-integration.webhook-received",
      entityType: "lms-integration",
      entityId: integration.id,
      after: {
        deliveryId: delivery.id,
        id: row.id,
        courses: row.course_count,
        enrollments: row.enrollment_count,
        sizeBytes: row.size_bytes,
      },
    });
    return { delivery: row, duplicate: false };
  });
}

function findDelivery(ctx: Pick<Ctx, "db">, integrationId: string, deliveryId: string) {
  return ctx.db
    .selectFrom("integration_webhook_deliveries")
    .selectAll()
    .where("integration_id", "=", integrationId)
    .where("delivery_id", "=", deliveryId)
    .executeTakeFirst();
}

/** Every enrollment names a course of the delivery or one the integration already mirrors. */
async function checkCourses(ctx: Ctx, integrationId: string, delivery: WebhookDelivery) {
  const given = new Set(delivery.data.courses.map((c) => c.externalId));
  const others = [
    ...new Set(
      delivery.data.enrollments.map((e) => e.courseExternalId).filter((id) => !given.has(id)),
    ),
  ];
  if (!others.length) return;
  const known = await mirroredCourseIds(ctx, integrationId, others);
  const index = delivery.data.enrollments.findIndex(
    (e) => !given.has(e.courseExternalId) && !known.has(e.courseExternalId),
  );
  if (index < 0) return;
  const path = `data.enrollments.${index}.courseExternalId`;
  const message = `The course ${delivery.data.enrollments[index]?.courseExternalId} is neither in this delivery's courses nor sent before: send it in data.courses`;
  throw new AppError("VALIDATION_ERROR", message, {
    field: path,
    details: { issues: [{ path, message }] },
  });
}

export interface DeliveryQuery extends PageRequest {
  status?: DeliveryStatus;
}

/** An integration's deliveries, newest first. */
export function listDeliveries(ctx: Ctx, integrationId: string, query: DeliveryQuery) {
  let q = ctx.db
    .selectFrom("integration_webhook_deliveries")
    .selectAll()
    .where("integration_id", "=", integrationId);
  if (query.status) q = q.where("status", "=", query.status);
  return paginate(q, query, sortOf(query.sort, { receivedAt: "received_at" }), "id");
}
