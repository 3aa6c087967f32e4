import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Timestamp } from "../../db/columns.js";

/** Row types of the organizations module's own tables (20261124000700_organization_domains.sql). */

export type DomainStatus = "pending" | "verified";

export interface OrganizationDomainsTable {
  id: Generated<string>;
  organization_id: string;
  domain: string;
  verification_token: string;
  status: Generated<DomainStatus>;
  verification_method: "dns" | "platform" | null;
  verified_at: Timestamp | null;
  verified_by: string | null;
  last_checked_at: Timestamp | null;
  record_missing_since: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export type OrganizationDomainRow = Selectable<OrganizationDomainsTable>;

export interface OrganizationTables {
  organization_domains: OrganizationDomainsTable;
}
