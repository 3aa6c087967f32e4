import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261205000100_scim.sql. */

export interface ScimTokensTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  token_prefix: string;
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export type ScimTokenRow = Selectable<ScimTokensTable>;

export interface ScimTables {
  scim_tokens: ScimTokensTable;
}
