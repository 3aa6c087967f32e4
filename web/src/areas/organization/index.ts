// The organization's administration: its settings, API keys, seats and payments, and audit trail.

export { ApiKeysPage } from "./ApiKeysPage";
export { AuditPage } from "./AuditPage";
export { PurchasesPage } from "./PurchasesPage";
export { SecurityPage } from "./SecurityPage";
export { SettingsPage } from "./SettingsPage";
export { WebhookPage } from "./WebhookPage";
export { WebhooksPage } from "./WebhooksPage";
