import { organizationOwnedKind, type RefKind } from "../../platform/references.js";

/** An organization's notification templates, as path objects (the platform's have none). */
export const notificationRefKinds: Record<string, RefKind> = {
  "notification-template": organizationOwnedKind("Notification template", "notification_templates"),
};
