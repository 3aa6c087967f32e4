import { describe, expect, it } from "vitest";
import type { ComplianceRule, Requirement } from "../../api/compliance";
import { endOfDay } from "../../ui/days";
import {
  changedFields,
  dayList,
  emptyRequirementForm,
  emptyRuleForm,
  exemptionState,
  requirementErrors,
  requirementForm,
  requirementInput,
  ruleErrors,
  ruleForm,
  ruleInput,
  wholeNumber,
} from "./forms";

const COURSE = "00000000-0000-4000-8000-00000000c001";

const stored: Requirement = {
  id: "00000000-0000-4000-8000-00000000a001",
  organizationId: "00000000-0000-4000-8000-00000000b001",
  name: "Fire safety",
  code: "FS-1",
  description: null,
  complianceType: "industry-standards",
  jurisdiction: "EU",
  requirements: "Evacuation drill",
  certificationRequirements: null,
  auditFrequency: "annually",
  retentionDays: 3650,
  isActive: true,
  courseId: COURSE,
  dueDays: 30,
  recurrenceMonths: 12,
  recertificationWindowDays: 30,
  reminderOffsetsDays: [14, 7, 1],
  overdueReminderDays: 7,
  managerEscalationDays: 3,
  officerEscalationDays: null,
  complianceOfficerUserId: null,
  createdAt: "2026-03-02T09:00:00.000Z",
  updatedAt: "2026-03-02T09:00:00.000Z",
};

describe("numbers typed in the requirement form", () => {
  it("reads whole numbers, empty as null and anything else as not a number", () => {
    expect(wholeNumber(" 30 ")).toBe(30);
    expect(wholeNumber("")).toBeNull();
    expect(wholeNumber("3.5")).toBeNaN();
    expect(wholeNumber("-1")).toBeNaN();
  });

  it("reads reminder offsets separated by commas or spaces", () => {
    expect(dayList("14, 7,1")).toEqual([14, 7, 1]);
    expect(dayList("30 14")).toEqual([30, 14]);
    expect(dayList("")).toEqual([]);
    expect(dayList("14, soon")).toBeNull();
  });
});

describe("the requirement form", () => {
  it("asks for a name, jurisdiction and course, and checks ranges and offsets", () => {
    expect(requirementErrors(emptyRequirementForm())).toEqual({
      name: "form.required",
      jurisdiction: "form.required",
      courseId: "form.required",
    });
    const form = {
      ...emptyRequirementForm(),
      name: "Fire safety",
      jurisdiction: "EU",
      courseId: COURSE,
      dueDays: "",
      recurrenceMonths: "0",
      managerEscalationDays: "400",
      reminderOffsetsDays: "14, 0",
    };
    expect(requirementErrors(form)).toEqual({
      dueDays: "form.required",
      recurrenceMonths: "form.range",
      managerEscalationDays: "form.range",
      reminderOffsetsDays: "form.offsets",
    });
  });

  it("sends every field to create, empty texts and numbers as null", () => {
    const form = {
      ...emptyRequirementForm(),
      name: "  Fire safety ",
      jurisdiction: "EU",
      courseId: COURSE,
      officerEscalationDays: "10",
    };
    expect(requirementInput(form)).toEqual({
      name: "Fire safety",
      code: null,
      description: null,
      complianceType: "industry-standards",
      jurisdiction: "EU",
      requirements: null,
      certificationRequirements: null,
      auditFrequency: "annually",
      retentionDays: null,
      isActive: true,
      courseId: COURSE,
      dueDays: 30,
      recurrenceMonths: null,
      recertificationWindowDays: 30,
      reminderOffsetsDays: [14, 7, 1],
      overdueReminderDays: 7,
      managerEscalationDays: null,
      officerEscalationDays: 10,
      complianceOfficerUserId: null,
    });
  });

  it("round-trips a stored requirement and sends only what changed", () => {
    const before = requirementInput(requirementForm(stored));
    expect(changedFields(before, before)).toEqual({});
    const edited = {
      ...requirementForm(stored),
      reminderOffsetsDays: "30, 7",
      managerEscalationDays: "",
      code: "",
    };
    expect(changedFields(before, requirementInput(edited))).toEqual({
      code: null,
      reminderOffsetsDays: [30, 7],
      managerEscalationDays: null,
    });
  });
});

describe("the rule form", () => {
  it("asks for what the scope and trigger need", () => {
    expect(ruleErrors(emptyRuleForm())).toEqual({});
    expect(ruleErrors({ ...emptyRuleForm(), scope: "department" })).toEqual({
      departmentId: "form.required",
    });
    expect(ruleErrors({ ...emptyRuleForm(), scope: "hire-date" })).toEqual({
      hiredFrom: "form.hiredRange",
    });
    expect(
      ruleErrors({
        ...emptyRuleForm(),
        scope: "hire-date",
        hiredFrom: "2026-05-01",
        hiredTo: "2026-01-01",
        trigger: "fixed-date",
      }),
    ).toEqual({ hiredTo: "form.hiredOrder", fixedDate: "form.required" });
  });

  it("sends only the scope's own field and clears the others", () => {
    const form = {
      ...emptyRuleForm(),
      scope: "team" as const,
      teamId: "00000000-0000-4000-8000-00000000d001",
      departmentId: "00000000-0000-4000-8000-00000000d002",
      location: "Berlin",
      fixedDate: "2026-06-01",
    };
    expect(ruleInput(form)).toEqual({
      scope: "team",
      departmentId: null,
      teamId: "00000000-0000-4000-8000-00000000d001",
      roleKey: null,
      location: null,
      hiredFrom: null,
      hiredTo: null,
      trigger: "hire-date",
      fixedDate: null,
    });
  });

  it("changes a stored rule by its differences only", () => {
    const rule: ComplianceRule = {
      id: "00000000-0000-4000-8000-00000000e001",
      requirementId: stored.id,
      scope: "location",
      departmentId: null,
      teamId: null,
      roleKey: null,
      location: "Berlin",
      hiredFrom: null,
      hiredTo: null,
      trigger: "join-date",
      fixedDate: null,
      isActive: true,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
    };
    const before = ruleInput(ruleForm(rule));
    const after = ruleInput({ ...ruleForm(rule), trigger: "fixed-date", fixedDate: "2026-09-01" });
    expect(changedFields(before, after)).toEqual({
      trigger: "fixed-date",
      fixedDate: "2026-09-01",
    });
  });
});

describe("exemptions", () => {
  it("hold until revoked or past their date", () => {
    const now = new Date("2026-03-02T09:00:00.000Z");
    expect(exemptionState({ revokedAt: null, expiresAt: null }, now)).toBe("active");
    expect(exemptionState({ revokedAt: null, expiresAt: "2026-03-03T00:00:00.000Z" }, now)).toBe(
      "active",
    );
    expect(exemptionState({ revokedAt: null, expiresAt: "2026-03-01T00:00:00.000Z" }, now)).toBe(
      "ended",
    );
    expect(exemptionState({ revokedAt: "2026-03-01T00:00:00.000Z", expiresAt: null }, now)).toBe(
      "revoked",
    );
  });

  it("end on the last moment of the chosen day", () => {
    const end = new Date(endOfDay("2026-12-31") ?? "");
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours()]).toEqual([
      2026, 11, 31, 23,
    ]);
    expect(end.getMinutes()).toBe(59);
  });
});
