import type {
  ComplianceRule,
  Requirement,
  RequirementInput,
  RuleInput,
} from "../../api/compliance";

/**
 * The requirement and rule forms as typed (numbers and lists as text, as their inputs hold
 * them), and what each sends: the whole body to create, only the changed fields to change
 * (an empty change is refused by the server, and the form says so first).
 */

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
] as const satisfies readonly NonNullable<RequirementInput["complianceType"]>[];
export const AUDIT_FREQUENCIES = [
  "daily",
  "weekly",
  "monthly",
  "quarterly",
  "annually",
] as const satisfies readonly NonNullable<RequirementInput["auditFrequency"]>[];
export const RULE_SCOPES = [
  "everyone",
  "department",
  "team",
  "role",
  "location",
  "hire-date",
] as const satisfies readonly RuleInput["scope"][];
export const RULE_TRIGGERS = [
  "hire-date",
  "join-date",
  "fixed-date",
] as const satisfies readonly NonNullable<RuleInput["trigger"]>[];

export interface RequirementForm {
  name: string;
  code: string;
  description: string;
  complianceType: (typeof COMPLIANCE_TYPES)[number];
  jurisdiction: string;
  requirements: string;
  certificationRequirements: string;
  auditFrequency: (typeof AUDIT_FREQUENCIES)[number];
  retentionDays: string;
  isActive: boolean;
  courseId: string | null;
  dueDays: string;
  recurrenceMonths: string;
  recertificationWindowDays: string;
  reminderOffsetsDays: string;
  overdueReminderDays: string;
  managerEscalationDays: string;
  officerEscalationDays: string;
  complianceOfficerUserId: string | null;
}

/** The server's defaults (docs/compliance.md), so a new requirement shows what it will get. */
export function emptyRequirementForm(): RequirementForm {
  return {
    name: "",
    code: "",
    description: "",
    complianceType: "industry-standards",
    jurisdiction: "",
    requirements: "",
    certificationRequirements: "",
    auditFrequency: "annually",
    retentionDays: "",
    isActive: true,
    courseId: null,
    dueDays: "30",
    recurrenceMonths: "",
    recertificationWindowDays: "30",
    reminderOffsetsDays: "14, 7, 1",
    overdueReminderDays: "7",
    managerEscalationDays: "",
    officerEscalationDays: "",
    complianceOfficerUserId: null,
  };
}

const text = (n: number | null) => (n === null ? "" : String(n));

export function requirementForm(r: Requirement): RequirementForm {
  return {
    name: r.name,
    code: r.code ?? "",
    description: r.description ?? "",
    complianceType: r.complianceType,
    jurisdiction: r.jurisdiction,
    requirements: r.requirements ?? "",
    certificationRequirements: r.certificationRequirements ?? "",
    auditFrequency: r.auditFrequency,
    retentionDays: text(r.retentionDays),
    isActive: r.isActive,
    courseId: r.courseId,
    dueDays: String(r.dueDays),
    recurrenceMonths: text(r.recurrenceMonths),
    recertificationWindowDays: String(r.recertificationWindowDays),
    reminderOffsetsDays: r.reminderOffsetsDays.join(", "),
    overdueReminderDays: String(r.overdueReminderDays),
    managerEscalationDays: text(r.managerEscalationDays),
    officerEscalationDays: text(r.officerEscalationDays),
    complianceOfficerUserId: r.complianceOfficerUserId,
  };
}

/** A whole number typed in a box: null when empty, NaN when not a whole number. */
export function wholeNumber(value: string): number | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** "14, 7, 1" (commas or spaces) as [14, 7, 1]; null when something is not a whole number. */
export function dayList(value: string): number[] | null {
  const parts = value.split(/[\s,;]+/).filter(Boolean);
  const days = parts.map(wholeNumber);
  return days.every((d) => d !== null && Number.isInteger(d)) ? (days as number[]) : null;
}

/** A field the form refuses before sending, with the key of the reason in the namespace. */
export type FormErrors = Partial<Record<keyof RequirementForm, string>>;

const LIMITS: Partial<Record<keyof RequirementForm, [number, number]>> = {
  retentionDays: [1, 36500],
  dueDays: [0, 3650],
  recurrenceMonths: [1, 120],
  recertificationWindowDays: [0, 365],
  overdueReminderDays: [1, 365],
  managerEscalationDays: [0, 365],
  officerEscalationDays: [0, 365],
};

/** What is wrong with the form before the server sees it (empty: nothing). */
export function requirementErrors(form: RequirementForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) errors.name = "form.required";
  if (!form.jurisdiction.trim()) errors.jurisdiction = "form.required";
  if (!form.courseId) errors.courseId = "form.required";
  for (const [field, [min, max]] of Object.entries(LIMITS) as Array<
    [keyof RequirementForm, [number, number]]
  >) {
    const n = wholeNumber(form[field] as string);
    if (n !== null && (Number.isNaN(n) || n < min || n > max)) errors[field] = "form.range";
  }
  for (const field of ["dueDays", "recertificationWindowDays", "overdueReminderDays"] as const)
    if (form[field].trim() === "") errors[field] = "form.required";
  const offsets = dayList(form.reminderOffsetsDays);
  if (!offsets || offsets.length > 10 || offsets.some((d) => d < 1 || d > 365))
    errors.reminderOffsetsDays = "form.offsets";
  return errors;
}

const orNull = (value: string) => value.trim() || null;

/** The body creating a requirement from a form without errors. */
export function requirementInput(form: RequirementForm): RequirementInput {
  return {
    name: form.name.trim(),
    code: orNull(form.code),
    description: orNull(form.description),
    complianceType: form.complianceType,
    jurisdiction: form.jurisdiction.trim(),
    requirements: orNull(form.requirements),
    certificationRequirements: orNull(form.certificationRequirements),
    auditFrequency: form.auditFrequency,
    retentionDays: wholeNumber(form.retentionDays),
    isActive: form.isActive,
    courseId: form.courseId as string,
    dueDays: wholeNumber(form.dueDays) as number,
    recurrenceMonths: wholeNumber(form.recurrenceMonths),
    recertificationWindowDays: wholeNumber(form.recertificationWindowDays) as number,
    reminderOffsetsDays: dayList(form.reminderOffsetsDays) ?? [],
    overdueReminderDays: wholeNumber(form.overdueReminderDays) as number,
    managerEscalationDays: wholeNumber(form.managerEscalationDays),
    officerEscalationDays: wholeNumber(form.officerEscalationDays),
    complianceOfficerUserId: form.complianceOfficerUserId,
  };
}

/** Only the fields whose value differs from `before`: what a change sends. */
export function changedFields<T extends object>(before: T, after: T): Partial<T> {
  const changed: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
      changed[key] = after[key];
  }
  return changed;
}

export interface RuleForm {
  scope: (typeof RULE_SCOPES)[number];
  departmentId: string | null;
  teamId: string | null;
  roleKey: string | null;
  location: string;
  hiredFrom: string;
  hiredTo: string;
  trigger: (typeof RULE_TRIGGERS)[number];
  fixedDate: string;
}

export function emptyRuleForm(): RuleForm {
  return {
    scope: "everyone",
    departmentId: null,
    teamId: null,
    roleKey: null,
    location: "",
    hiredFrom: "",
    hiredTo: "",
    trigger: "hire-date",
    fixedDate: "",
  };
}

export function ruleForm(r: ComplianceRule): RuleForm {
  return {
    scope: r.scope,
    departmentId: r.departmentId,
    teamId: r.teamId,
    roleKey: r.roleKey,
    location: r.location ?? "",
    hiredFrom: r.hiredFrom ?? "",
    hiredTo: r.hiredTo ?? "",
    trigger: r.trigger,
    fixedDate: r.fixedDate ?? "",
  };
}

export type RuleErrors = Partial<Record<keyof RuleForm, string>>;

/** What the rule's scope and trigger need before the server sees it. */
export function ruleErrors(form: RuleForm): RuleErrors {
  const errors: RuleErrors = {};
  if (form.scope === "department" && !form.departmentId) errors.departmentId = "form.required";
  if (form.scope === "team" && !form.teamId) errors.teamId = "form.required";
  if (form.scope === "role" && !form.roleKey) errors.roleKey = "form.required";
  if (form.scope === "location" && !form.location.trim()) errors.location = "form.required";
  if (form.scope === "hire-date") {
    if (!form.hiredFrom && !form.hiredTo) errors.hiredFrom = "form.hiredRange";
    else if (form.hiredFrom && form.hiredTo && form.hiredFrom > form.hiredTo)
      errors.hiredTo = "form.hiredOrder";
  }
  if (form.trigger === "fixed-date" && !form.fixedDate) errors.fixedDate = "form.required";
  return errors;
}

/**
 * The rule's body: only what its scope uses (the rest cleared, so a rule moved from a
 * department to a team forgets the department), and the fixed date only with that trigger.
 */
export function ruleInput(form: RuleForm): Required<Omit<RuleInput, "isActive">> {
  const is = (scope: RuleForm["scope"]) => form.scope === scope;
  return {
    scope: form.scope,
    departmentId: is("department") ? form.departmentId : null,
    teamId: is("team") ? form.teamId : null,
    roleKey: is("role") ? form.roleKey : null,
    location: is("location") ? form.location.trim() : null,
    hiredFrom: is("hire-date") ? form.hiredFrom || null : null,
    hiredTo: is("hire-date") ? form.hiredTo || null : null,
    trigger: form.trigger,
    fixedDate: form.trigger === "fixed-date" ? form.fixedDate : null,
  };
}

/** Whether an exemption holds: revoked, ended (past its date), or in force. */
export function exemptionState(
  x: { revokedAt: string | null; expiresAt: string | null },
  now: Date = new Date(),
): "revoked" | "ended" | "active" {
  if (x.revokedAt) return "revoked";
  if (x.expiresAt && new Date(x.expiresAt) <= now) return "ended";
  return "active";
}
