import type { ColumnType, Generated, Selectable } from "kysely";
import type { CreatedAt, Timestamp } from "../../db/columns.js";

/** Row types of migrations/20261207000300_compliance.sql. */

export const COMPLIANCE_TYPES = [
  "scorm",
  "aicc",
  "xapi",
  "lti",
  "gdpr",
  "industry-standards",
  "educational-compliance",
  "accessibility-standards",
  "data-privacy",
] as const;
export type ComplianceType = (typeof COMPLIANCE_TYPES)[number];
export const AUDIT_FREQUENCIES = ["daily", "weekly", "monthly", "quarterly", "annually"] as const;
export type AuditFrequency = (typeof AUDIT_FREQUENCIES)[number];
export const RULE_SCOPES = [
  "everyone",
  "department",
  "team",
  "role",
  "location",
  "hire-date",
] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];
export const RULE_TRIGGERS = ["hire-date", "join-date", "fixed-date"] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];
export type AssignmentStatus = "open" | "completed" | "out-of-scope";
export const REMINDER_KINDS = [
  "due-soon",
  "overdue",
  "escalation-manager",
  "escalation-officer",
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

type IntArray = ColumnType<number[], number[] | undefined, number[]>;

export interface ComplianceRequirementsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  code: string | null;
  description: string | null;
  compliance_type: Generated<ComplianceType>;
  jurisdiction: string;
  requirements: string | null;
  certification_requirements: string | null;
  audit_frequency: Generated<AuditFrequency>;
  retention_days: number | null;
  is_active: Generated<boolean>;
  course_id: string;
  due_days: Generated<number>;
  recurrence_months: number | null;
  recertification_window_days: Generated<number>;
  reminder_offsets_days: IntArray;
  overdue_reminder_days: Generated<number>;
  manager_escalation_days: number | null;
  officer_escalation_days: number | null;
  compliance_officer_user_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ComplianceRulesTable {
  id: Generated<string>;
  organization_id: string;
  requirement_id: string;
  scope: RuleScope;
  department_id: string | null;
  team_id: string | null;
  role_key: string | null;
  location: string | null;
  /** A date column, read as YYYY-MM-DD. */
  hired_from: string | null;
  hired_to: string | null;
  trigger: Generated<RuleTrigger>;
  fixed_date: string | null;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ComplianceAssignmentsTable {
  id: Generated<string>;
  organization_id: string;
  requirement_id: string;
  user_id: string;
  rule_id: string | null;
  enrollment_id: string | null;
  cycle: Generated<number>;
  previous_assignment_id: string | null;
  assigned_at: Timestamp;
  due_at: Timestamp;
  completed_at: Timestamp | null;
  certificate_id: string | null;
  expires_at: Timestamp | null;
  status: Generated<AssignmentStatus>;
  out_of_scope_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ComplianceExemptionsTable {
  id: Generated<string>;
  organization_id: string;
  requirement_id: string;
  user_id: string;
  reason: string;
  approved_by: string | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  created_at: CreatedAt;
}

export interface ComplianceRemindersTable {
  id: Generated<string>;
  organization_id: string;
  assignment_id: string;
  kind: ReminderKind;
  reminder_window: string;
  recipient_user_id: string | null;
  sent_at: Timestamp;
}

export interface ComplianceTables {
  compliance_requirements: ComplianceRequirementsTable;
  compliance_rules: ComplianceRulesTable;
  compliance_assignments: ComplianceAssignmentsTable;
  compliance_exemptions: ComplianceExemptionsTable;
  compliance_reminders: ComplianceRemindersTable;
}

export type RequirementRow = Selectable<ComplianceRequirementsTable>;
export type RuleRow = Selectable<ComplianceRulesTable>;
export type ComplianceAssignmentRow = Selectable<ComplianceAssignmentsTable>;
export type ExemptionRow = Selectable<ComplianceExemptionsTable>;
