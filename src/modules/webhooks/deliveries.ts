import type { Ctx } from "../../platform/context.js";
import { type PageRequest, paginate, sortOf } from "../../platform/http/pagination.js";
import type { OutboundDeliveryStatus } from "./schema.js";

export interface DeliveryListQuery extends PageRequest {
  status?: OutboundDeliveryStatus;
  eventType?: string;
}

/** An endpoint's deliveries (the caller has checked the endpoint is visible). */
export async function listDeliveries(ctx: Ctx, endpointId: string, query: DeliveryListQuery) {
  let q = ctx.db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpointId);
  if (query.status) q = q.where("status", "=", query.status);
  if (query.eventType) q = q.where("event_type", "=", query.eventType);
  return paginate(q, query, sortOf(query.sort, { createdAt: "created_at" }), "id");
}
