import { z } from "zod";
import type { DomainEvents } from "../../platform/events.js";
import { AppError } from "../../platform/http/errors.js";
import { ref } from "../../platform/references.js";

/** Who may decide an approval, or who a notification goes to. */
export const approverSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("role"), role: z.string().trim().min(1).max(100) }).strict(),
    z.object({ kind: z.literal("manager") }).strict(),
    z.object({ kind: z.literal("user"), userId: ref("user") }).strict(),
    z
      .object({ kind: z.literal("course-team") })
      .strict()
      .describe(
        "The instructor and staff of the course the execution is about (its context's courseId: enrollment approval, course publication, enrollment and certificate events)",
      ),
  ])
  .meta({ id: "WorkflowApprover" });
export type Approver = z.infer<typeof approverSchema>;

export const recipientSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("subject") }).strict(),
    z.object({ kind: z.literal("role"), role: z.string().trim().min(1).max(100) }).strict(),
    z.object({ kind: z.literal("manager") }).strict(),
    z.object({ kind: z.literal("user"), userId: z.uuid() }).strict(),
  ])
  .meta({ id: "WorkflowRecipient" });
export type Recipient = z.infer<typeof recipientSchema>;

export const CONDITION_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "exists", "missing"] as const;

export const stepSchema = z
  .discriminatedUnion("type", [
    z
      .object({
        type: z.literal("approval"),
        approver: approverSchema,
        timeoutHours: z.number().int().min(1).max(8760).nullable().optional(),
        escalateTo: approverSchema.nullable().optional(),
        onTimeout: z
          .enum(["escalate", "reject"])
          .optional()
          .describe(
            "What a timeout does: escalate (to escalateTo, then reject on the second timeout) or reject. Default: escalate when escalateTo is set, else reject.",
          ),
      })
      .strict(),
    z
      .object({
        type: z.literal("notification"),
        recipient: recipientSchema,
        message: z.string().trim().min(1).max(2000),
      })
      .strict(),
    z
      .object({
        type: z.literal("assignment"),
        courseId: z.uuid(),
        dueDays: z.number().int().min(0).max(3650).nullable().optional(),
      })
      .strict(),
    z.object({ type: z.literal("wait"), hours: z.number().min(0.01).max(8760) }).strict(),
    z
      .object({
        type: z.literal("condition"),
        field: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .regex(/^[A-Za-z0-9_.]+$/),
        op: z.enum(CONDITION_OPS),
        value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
        thenStep: z.number().int().min(0).describe("The step to go on with when the test holds"),
        elseStep: z
          .number()
          .int()
          .min(0)
          .nullable()
          .optional()
          .describe("The step to go on with otherwise; the next one when absent"),
      })
      .strict(),
  ])
  .meta({ id: "WorkflowStep" });
export type Step = z.infer<typeof stepSchema>;
export type StepType = Step["type"];

/** A trigger event and how an execution reads it: its organization and the person it is about. */
interface TriggerEvent {
  description: string;
  fields: string[];
}

/** The domain events a definition may start on (each carries or leads to an organization). */
export const TRIGGER_EVENTS = {
  "enrollment.created": {
    description: "A person was enrolled in a course of the organization",
    fields: ["enrollmentId", "userId", "courseId", "source", "status"],
  },
  "enrollment.completed": {
    description: "A person completed a course of the organization",
    fields: ["enrollmentId", "userId", "courseId"],
  },
  "certificate.issued": {
    description: "A certificate was issued",
    fields: ["certificateId", "certificateNumber", "userId", "courseId", "expiresAt"],
  },
  "certificate.revoked": {
    description: "A certificate was revoked",
    fields: ["certificateId", "userId", "courseId", "reason"],
  },
  "quiz.graded": {
    description: "A quiz attempt was graded",
    fields: ["attemptId", "quizId", "userId", "courseId", "score", "passed", "regrade"],
  },
  "organization.membership-changed": {
    description: "A person joined or left the organization, or their details changed",
    fields: ["userId"],
  },
} as const satisfies Partial<Record<keyof DomainEvents, TriggerEvent>>;
export type TriggerEventName = keyof typeof TRIGGER_EVENTS;
export const TRIGGER_EVENT_NAMES = Object.keys(TRIGGER_EVENTS) as TriggerEventName[];

function stepError(index: number, step: Step, message: string): AppError {
  return new AppError("VALIDATION_ERROR", `Step ${index + 1} (${step.type}): ${message}`, {
    field: `steps.${index}`,
  });
}

/**
 * The checks of a list of steps beyond their shape: conditions jump forward to a step that
 * exists, and a definition with nobody to be about (a schedule) asks nothing of a person.
 * Errors name the step (counted from 1).
 */
export function checkSteps(steps: Step[], hasSubject: boolean): void {
  if (!steps.length)
    throw new AppError("VALIDATION_ERROR", "A workflow needs at least one step", {
      field: "steps",
    });
  steps.forEach((step, index) => {
    const personal =
      (step.type === "approval" &&
        [step.approver.kind, step.escalateTo?.kind].some(
          (kind) => kind === "manager" || kind === "course-team",
        )) ||
      (step.type === "notification" &&
        (step.recipient.kind === "subject" || step.recipient.kind === "manager")) ||
      step.type === "assignment";
    if (personal && !hasSubject)
      throw stepError(
        index,
        step,
        "a scheduled workflow is about no one and no course, so it cannot reach a person's manager or a course's team, notify the person or assign them training",
      );
    if (step.type === "approval" && step.onTimeout === "escalate" && !step.escalateTo)
      throw stepError(index, step, "escalation on timeout needs escalateTo");
    if (step.type === "approval" && (step.escalateTo || step.onTimeout) && !step.timeoutHours)
      throw stepError(index, step, "escalation and a timeout action need timeoutHours");
    if (step.type === "condition") {
      for (const [name, target] of [
        ["thenStep", step.thenStep],
        ["elseStep", step.elseStep],
      ] as const) {
        if (target === null || target === undefined) continue;
        if (target <= index)
          throw stepError(index, step, `${name} must point to a later step (counted from 0)`);
        if (target > steps.length)
          throw stepError(index, step, `${name} points past the last step`);
      }
      if (step.op !== "exists" && step.op !== "missing" && step.value === undefined)
        throw stepError(index, step, `the test "${step.op}" needs a value`);
    }
  });
}

/** A value in an execution's context by its dotted path. */
export function fieldOf(context: Record<string, unknown>, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Whether a condition step's test holds for a context. */
export function conditionHolds(
  step: Extract<Step, { type: "condition" }>,
  context: Record<string, unknown>,
): boolean {
  const actual = fieldOf(context, step.field);
  const expected = step.value ?? null;
  switch (step.op) {
    case "exists":
      return actual !== undefined && actual !== null;
    case "missing":
      return actual === undefined || actual === null;
    case "eq":
      return String(actual) === String(expected);
    case "neq":
      return String(actual) !== String(expected);
    default: {
      const a = Number(actual);
      const b = Number(expected);
      if (actual === null || actual === undefined || Number.isNaN(a) || Number.isNaN(b))
        return false;
      if (step.op === "gt") return a > b;
      if (step.op === "gte") return a >= b;
      if (step.op === "lt") return a < b;
      return a <= b;
    }
  }
}
