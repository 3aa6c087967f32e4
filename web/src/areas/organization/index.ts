// The organization's administration: its settings, API keys, seats and payments, and audit trail.

export { AccessLogsPage } from "./AccessLogsPage";
export { ApiKeysPage } from "./ApiKeysPage";
export { AuditPage } from "./AuditPage";
export { PrivacyRequestsPage } from "./PrivacyRequestsPage";
export { PurchasesPage } from "./PurchasesPage";
export { RetentionPage } from "./RetentionPage";
export { SecurityPage } from "./SecurityPage";
export { SettingsPage } from "./SettingsPage";
export { WebhookPage } from "./WebhookPage";
export { WebhooksPage } from "./WebhooksPage";
