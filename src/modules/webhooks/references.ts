import { organizationOwnedKind, type RefKind } from "../../platform/references.js";

/** An organization's webhook endpoints and their deliveries, as path objects. */
export const webhookRefKinds: Record<string, RefKind> = {
  webhook: organizationOwnedKind("Webhook", "webhook_endpoints"),
  "webhook-delivery": organizationOwnedKind("Webhook delivery", "webhook_deliveries"),
};
