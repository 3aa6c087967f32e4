import type { Ctx } from "../../../platform/context.js";
import type {
  Connector,
  ExternalCourse,
  ExternalEnrollment,
  ListOptions,
  Page,
} from "../connectors/types.js";
import type { SyncRunRow } from "../sync/schema.js";
import { registerSource, unavailable } from "../sync/target.js";
import { toExternalCourse, toExternalEnrollment, type WebhookDelivery } from "./payload.js";

/**
 * The reader of runs whose source is `{ kind: "webhook", deliveryIds }`: the deliveries'
 * courses and enrollments served as a connector, in the order they arrived (a later delivery's
 * version of a record wins), so the engine applies the integration's rules, finds people among
 * the members by email, upserts, reports and dead-letters as for any run.
 */

const PAGE = 200;

function page<T>(items: T[], options: ListOptions = {}): Page<T> {
  const start = Number(options.cursor ?? 0) || 0;
  const end = start + PAGE;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : null };
}

/** A connector over the records of some deliveries (already checked when they arrived). */
export function deliveriesConnector(deliveries: WebhookDelivery[]): Connector {
  const courses = new Map<string, ExternalCourse>();
  const enrollments = new Map<string, Map<string, ExternalEnrollment>>();
  for (const delivery of deliveries) {
    for (const c of delivery.data.courses ?? []) courses.set(c.externalId, toExternalCourse(c));
    for (const e of delivery.data.enrollments) {
      const of = enrollments.get(e.courseExternalId) ?? new Map<string, ExternalEnrollment>();
      of.set(e.externalId, toExternalEnrollment(e));
      enrollments.set(e.courseExternalId, of);
    }
  }
  const courseList = [...courses.values()];
  const refuse = unavailable("A webhook integration receives its records; Lyceum does not call it");
  return {
    type: "inbound-webhook",
    testConnection: refuse.testConnection,
    enrol: refuse.enrol,
    listCourses: async (options) => page(courseList, options),
    listEnrollments: async (courseExternalId, options) =>
      page([...(enrollments.get(courseExternalId)?.values() ?? [])], options),
  };
}

/** Loads a run's deliveries (of its own integration only) in the order they arrived. */
async function readDeliveries(ctx: Ctx, run: SyncRunRow): Promise<Connector> {
  const ids = Array.isArray(run.source?.deliveryIds)
    ? (run.source.deliveryIds as unknown[]).filter((id): id is string => typeof id === "string")
    : [];
  const rows = ids.length
    ? await ctx.db
        .selectFrom("integration_webhook_deliveries")
        .select(["payload"])
        .where("integration_id", "=", run.integration_id)
        .where("organization_id", "=", run.organization_id)
        .where("id", "in", ids)
        .orderBy("received_at")
        .orderBy("id")
        .execute()
    : [];
  return deliveriesConnector(rows.map((r) => r.payload as WebhookDelivery));
}

registerSource("webhook", readDeliveries);
