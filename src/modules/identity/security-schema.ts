import type { Generated, Selectable } from "kysely";
import type { CreatedAt, JsonDefault, TextArray, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261207000200_organization_security.sql. */

export interface UserMfaTable {
  user_id: string;
  secret_sealed: string;
  confirmed_at: Timestamp | null;
  last_step: Generated<string | number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface UserMfaRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface MfaChallengesTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  transport: "bearer" | "cookie";
  failed_attempts: Generated<number>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PasswordHistoryTable {
  id: Generated<string>;
  user_id: string;
  password_hash: string;
  created_at: CreatedAt;
}

/** An organization's password rules beyond the platform's (all optional). */
export interface OrganizationPasswordPolicy {
  minLength?: number;
  /** Character classes required; the platform already asks for all four. */
  minDigits?: number;
  minSpecial?: number;
  /** The last N passwords may not be chosen again. */
  historyCount?: number;
  /** A password older than this many days must be changed before signing in. */
  maxAgeDays?: number;
}

export interface OrganizationSecuritySettingsTable {
  organization_id: string;
  mfa_required: Generated<boolean>;
  session_timeout_minutes: number | null;
  ip_allow_list: TextArray;
  password_policy: JsonDefault<OrganizationPasswordPolicy>;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface SessionOrganizationActivityTable {
  session_id: string;
  organization_id: string;
  last_seen_at: Timestamp;
}

/** Row types of migrations/20261208000100_webauthn.sql. */
export interface UserWebauthnCredentialsTable {
  id: Generated<string>;
  user_id: string;
  /** base64url */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  counter: Generated<string | number>;
  transports: TextArray;
  name: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
}

export interface WebauthnChallengesTable {
  id: Generated<string>;
  user_id: string;
  purpose: "register" | "authenticate";
  challenge: string;
  mfa_challenge_id: string | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SecurityTables {
  user_webauthn_credentials: UserWebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  user_mfa: UserMfaTable;
  user_mfa_recovery_codes: UserMfaRecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
  password_history: PasswordHistoryTable;
  organization_security_settings: OrganizationSecuritySettingsTable;
  session_organization_activity: SessionOrganizationActivityTable;
}

export type OrganizationSecuritySettingsRow = Selectable<OrganizationSecuritySettingsTable>;
