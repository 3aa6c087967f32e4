// The organization's administration: its settings, API keys and audit trail.

export { ApiKeysPage } from "./ApiKeysPage";
export { AuditPage } from "./AuditPage";
export { SettingsPage } from "./SettingsPage";
