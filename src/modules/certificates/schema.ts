import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261123000900_certificates.sql. */

export interface CertificateSettingsTable {
  course_id: string;
  enabled: Generated<boolean>;
  validity_days: number | null;
  title: string | null;
  signatory_name: string | null;
  signatory_title: string | null;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CertificatesTable {
  id: Generated<string>;
  certificate_number: string;
  enrollment_id: string;
  user_id: string;
  course_id: string;
  cohort_id: string | null;
  organization_id: string | null;
  recipient_name: string;
  course_title: string;
  issuer_name: string;
  issued_at: Timestamp;
  expires_at: Timestamp | null;
  badge_data: Json;
  pdf_key: string;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  revoked_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CertificateTables {
  certificate_settings: CertificateSettingsTable;
  certificates: CertificatesTable;
}

export type CertificateRow = Selectable<CertificatesTable>;
export type CertificateSettingsRow = Selectable<CertificateSettingsTable>;
