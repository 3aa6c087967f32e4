// Notification texts (organization overrides and system templates), the delivery log.

export { DeliveryLogPage } from "./DeliveryLogPage";
export { OrganizationTemplatesPage } from "./OrganizationTemplatesPage";
export { SystemTemplatesPage } from "./SystemTemplatesPage";
