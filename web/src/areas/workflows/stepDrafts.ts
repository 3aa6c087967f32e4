import type {
  WorkflowApprover,
  WorkflowRecipient,
  WorkflowStep,
} from "../../api/workflow-definitions";

/**
 * A workflow step as its form holds it: every field of every step type, as typed (numbers
 * may be empty), so switching the type keeps what was entered. `toStep` makes the API's
 * step of it; `fromStep` the form of a stored step.
 */
export type StepType = WorkflowStep["type"];
export const STEP_TYPES: readonly StepType[] = [
  "approval",
  "notification",
  "assignment",
  "wait",
  "condition",
];
export type PersonKind = "role" | "manager" | "user";
export type RecipientKind = PersonKind | "subject";
/** Approvers also: the course's team (the instructor and staff of the course in the context). */
export type ApproverKind = PersonKind | "course-team";
export const APPROVER_KINDS: readonly ApproverKind[] = ["role", "manager", "user", "course-team"];
export const RECIPIENT_KINDS: readonly RecipientKind[] = ["subject", "role", "manager", "user"];
export const CONDITION_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "exists", "missing"] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

type Num = number | "";

export interface StepDraft {
  /** Stable identity of the row while steps move (not sent). */
  key: string;
  type: StepType;
  approverKind: ApproverKind;
  approverRole: string;
  approverUserId: string | null;
  timeoutHours: Num;
  escalateKind: ApproverKind | "none";
  escalateRole: string;
  escalateUserId: string | null;
  onTimeout: "default" | "escalate" | "reject";
  recipientKind: RecipientKind;
  recipientRole: string;
  recipientUserId: string | null;
  message: string;
  courseId: string | null;
  dueDays: Num;
  hours: Num;
  field: string;
  op: ConditionOp;
  value: string;
  thenStep: number | null;
  /** null: the next step. */
  elseStep: number | null;
}

let counter = 0;
function nextKey(): string {
  counter += 1;
  return `step-${counter}`;
}

export function emptyStep(type: StepType): StepDraft {
  return {
    key: nextKey(),
    type,
    approverKind: "role",
    approverRole: "",
    approverUserId: null,
    timeoutHours: "",
    escalateKind: "none",
    escalateRole: "",
    escalateUserId: null,
    onTimeout: "default",
    recipientKind: "subject",
    recipientRole: "",
    recipientUserId: null,
    message: "",
    courseId: null,
    dueDays: "",
    hours: "",
    field: "",
    op: "eq",
    value: "",
    thenStep: null,
    elseStep: null,
  };
}

function person(kind: ApproverKind, role: string, userId: string | null): WorkflowApprover {
  if (kind === "role") return { kind, role: role.trim() };
  if (kind === "user") return { kind, userId: userId ?? "" };
  return { kind };
}

function recipient(kind: RecipientKind, role: string, userId: string | null): WorkflowRecipient {
  if (kind === "role") return { kind, role: role.trim() };
  if (kind === "user") return { kind, userId: userId ?? "" };
  return { kind };
}

/** The API's step of a draft: only the fields of its type; empty numbers left out. */
export function toStep(draft: StepDraft): WorkflowStep {
  switch (draft.type) {
    case "approval": {
      const step: Extract<WorkflowStep, { type: "approval" }> = {
        type: "approval",
        approver: person(draft.approverKind, draft.approverRole, draft.approverUserId),
      };
      if (draft.timeoutHours !== "") step.timeoutHours = draft.timeoutHours;
      if (draft.escalateKind !== "none")
        step.escalateTo = person(draft.escalateKind, draft.escalateRole, draft.escalateUserId);
      if (draft.onTimeout !== "default") step.onTimeout = draft.onTimeout;
      return step;
    }
    case "notification":
      return {
        type: "notification",
        recipient: recipient(draft.recipientKind, draft.recipientRole, draft.recipientUserId),
        message: draft.message.trim(),
      };
    case "assignment":
      return {
        type: "assignment",
        courseId: draft.courseId ?? "",
        ...(draft.dueDays !== "" ? { dueDays: draft.dueDays } : {}),
      };
    case "wait":
      return { type: "wait", hours: draft.hours === "" ? 0 : draft.hours };
    case "condition": {
      const valueless = draft.op === "exists" || draft.op === "missing";
      return {
        type: "condition",
        field: draft.field.trim(),
        op: draft.op,
        ...(valueless ? {} : { value: draft.value }),
        thenStep: draft.thenStep ?? 0,
        ...(draft.elseStep !== null ? { elseStep: draft.elseStep } : {}),
      };
    }
  }
}

function personFields<P extends WorkflowApprover | WorkflowRecipient>(p: P) {
  return {
    kind: p.kind as P["kind"],
    role: p.kind === "role" ? p.role : "",
    userId: p.kind === "user" ? p.userId : null,
  };
}

/** The form of a stored step. */
export function fromStep(step: WorkflowStep): StepDraft {
  const draft = emptyStep(step.type);
  switch (step.type) {
    case "approval": {
      const approver = personFields(step.approver);
      const escalate = step.escalateTo ? personFields(step.escalateTo) : null;
      return {
        ...draft,
        approverKind: approver.kind,
        approverRole: approver.role,
        approverUserId: approver.userId,
        timeoutHours: step.timeoutHours ?? "",
        escalateKind: escalate?.kind ?? "none",
        escalateRole: escalate?.role ?? "",
        escalateUserId: escalate?.userId ?? null,
        onTimeout: step.onTimeout ?? "default",
      };
    }
    case "notification": {
      const r = personFields(step.recipient);
      return {
        ...draft,
        recipientKind: r.kind,
        recipientRole: r.role,
        recipientUserId: r.userId,
        message: step.message,
      };
    }
    case "assignment":
      return { ...draft, courseId: step.courseId, dueDays: step.dueDays ?? "" };
    case "wait":
      return { ...draft, hours: step.hours };
    case "condition":
      return {
        ...draft,
        field: step.field,
        op: step.op,
        value: step.value === undefined || step.value === null ? "" : String(step.value),
        thenStep: step.thenStep,
        elseStep: step.elseStep ?? null,
      };
  }
}

/**
 * The step an API error names (`field` "steps.2" or "steps.2.courseId"), counted from 0,
 * or null when it names none.
 */
export function stepOfError(field: string | null | undefined): number | null {
  const match = /^steps\.(\d+)/.exec(field ?? "");
  return match ? Number(match[1]) : null;
}

/**
 * The steps after moving one from `from` to `to` (neighbours), with conditions still pointing
 * at the same steps: a step's number changes with its place, so their targets follow.
 */
export function moveStep(steps: StepDraft[], from: number, to: number): StepDraft[] {
  const next = [...steps];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved as StepDraft);
  const follow = (target: number | null) => (target === from ? to : target === to ? from : target);
  return next.map((s) =>
    s.type === "condition"
      ? { ...s, thenStep: follow(s.thenStep), elseStep: follow(s.elseStep) }
      : s,
  );
}

/**
 * The steps without the one at `index`; conditions pointing past it follow their step, and
 * one pointing at it goes on with the step that took its place.
 */
export function removeStep(steps: StepDraft[], index: number): StepDraft[] {
  const shift = (target: number | null) =>
    target !== null && target > index ? target - 1 : target;
  return steps
    .filter((_, i) => i !== index)
    .map((s) =>
      s.type === "condition"
        ? { ...s, thenStep: shift(s.thenStep), elseStep: shift(s.elseStep) }
        : s,
    );
}
