// The platform administrator: organizations, accounts, lookup values, jobs, mail and health.

export { HealthPage } from "./HealthPage";
export { JobsPage } from "./JobsPage";
export { LookupsPage } from "./LookupsPage";
export { MailPage } from "./MailPage";
export { OrganizationsPage } from "./OrganizationsPage";
export { UsersPage } from "./UsersPage";
