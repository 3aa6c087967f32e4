import { audit } from "../../platform/audit/audit.js";
import { actorUserId } from "../../platform/auth/actor.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { enroll } from "../enrollment/enroll.js";
import { notifyAll } from "../notifications/notify.js";
import { nextScheduledRun } from "./schedule.js";
import type { Builtin, DefinitionRow, ExecutionRow, ExecutionStatus, StepState } from "./schema.js";
import { OPEN_STATUSES } from "./schema.js";
import { type Approver, conditionHolds, type Recipient, type Step } from "./steps.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Steps one advance may run before it stops (conditions only jump forward, so a guard only). */
const MAX_STEPS_PER_ADVANCE = 200;

/** What a built-in workflow does when its execution ends approved or rejected. */
export interface BuiltinOutcome {
  /** A line saying what is asked, for notices ("Exemption of Ann from AML training"). */
  summary(ctx: Ctx, execution: ExecutionRow): Promise<string>;
  approved(ctx: Ctx, execution: ExecutionRow): Promise<string | null>;
  rejected(ctx: Ctx, execution: ExecutionRow, note: string | null): Promise<void>;
  /**
   * The approval could not be carried out (`approved` refused with an error, e.g. the course
   * was archived meanwhile): the outcome closes what it asked about and tells its person.
   */
  failed?(ctx: Ctx, execution: ExecutionRow, reason: string): Promise<void>;
  /**
   * Asks approvers in the built-in's own words (a notice leading to its own screen); answers
   * the people it told. Everyone else asked gets the general approval notice.
   */
  ask?(ctx: Ctx, execution: ExecutionRow, approverIds: string[], who: Approver): Promise<string[]>;
  /** The outcome tells the person what was decided itself, so no general decision notice. */
  tellsRequester?: boolean;
}
const OUTCOMES = new Map<Builtin, BuiltinOutcome>();

export function registerOutcome(builtin: Builtin, outcome: BuiltinOutcome): void {
  OUTCOMES.set(builtin, outcome);
}

export interface StartInput {
  subjectUserId?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  trigger: string;
  context?: Record<string, unknown>;
}

async function record(
  ctx: Ctx,
  execution: Pick<ExecutionRow, "id" | "organization_id">,
  entry: {
    step?: number | null;
    stepType?: string | null;
    action: string;
    actorId?: string | null;
    note?: string | null;
  },
): Promise<void> {
  await ctx.db
    .insertInto("workflow_execution_events")
    .values({
      organization_id: execution.organization_id,
      execution_id: execution.id,
      step: entry.step ?? null,
      step_type: entry.stepType ?? null,
      action: entry.action,
      actor_id: entry.actorId ?? null,
      note: entry.note ?? null,
      at: ctx.clock.now(),
    })
    .execute();
}

/**
 * Starts an execution of a definition's current version. With `advance`, its first steps run
 * at once (in the caller's transaction); otherwise the workflow job runs them.
 */
export async function startExecution(
  ctx: Ctx,
  definition: DefinitionRow,
  input: StartInput,
  options: { advance: boolean },
): Promise<ExecutionRow> {
  return inTransaction(ctx, async (tx) => {
    const version = await tx.db
      .selectFrom("workflow_definition_versions")
      .select(["id", "version"])
      .where("definition_id", "=", definition.id)
      .where("version", "=", definition.version)
      .executeTakeFirstOrThrow();
    const now = tx.clock.now();
    const execution = await tx.db
      .insertInto("workflow_executions")
      .values({
        organization_id: definition.organization_id,
        definition_id: definition.id,
        version_id: version.id,
        version: version.version,
        subject_user_id: input.subjectUserId ?? null,
        subject_type: input.subjectType ?? null,
        subject_id: input.subjectId ?? null,
        trigger: input.trigger,
        context: JSON.stringify(input.context ?? {}),
        step_state: JSON.stringify({}),
        due_at: now,
        started_by: actorUserId(tx.actor),
        started_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(tx, execution, {
      action: "started",
      actorId: actorUserId(tx.actor),
      note: `Started by ${input.trigger} (version ${version.version})`,
    });
    await audit(tx, {
      organizationId: definition.organization_id,
      action: "workflow-execution.start",
      entityType: "workflow-execution",
      entityId: execution.id,
      after: {
        definition_id: definition.id,
        version: version.version,
        trigger: input.trigger,
        subject_user_id: execution.subject_user_id,
        subject_type: execution.subject_type,
        subject_id: execution.subject_id,
      },
    });
    if (!options.advance) return execution;
    return advance(tx, execution.id);
  });
}

/**
 * Lookups shared by the approver checks of one request over many executions (the approvals
 * waiting for someone): a version's steps and the people an approver stands for are read once.
 */
export interface ApproverMemo {
  steps: Map<string, Promise<Step[]>>;
  people: Map<string, Promise<string[]>>;
}

export function approverMemo(): ApproverMemo {
  return { steps: new Map(), people: new Map() };
}

function remembered<T>(
  map: Map<string, Promise<T>> | undefined,
  key: string,
  load: () => Promise<T>,
) {
  if (!map) return load();
  let value = map.get(key);
  if (!value) {
    value = load();
    map.set(key, value);
  }
  return value;
}

async function stepsOf(ctx: Ctx, execution: ExecutionRow): Promise<Step[]> {
  const version = await ctx.db
    .selectFrom("workflow_definition_versions")
    .select("steps")
    .where("id", "=", execution.version_id)
    .executeTakeFirstOrThrow();
  return version.steps;
}

async function definitionOf(ctx: Ctx, execution: ExecutionRow): Promise<DefinitionRow> {
  return ctx.db
    .selectFrom("workflow_definitions")
    .selectAll()
    .where("id", "=", execution.definition_id)
    .executeTakeFirstOrThrow();
}

async function lockExecution(ctx: Ctx, id: string): Promise<ExecutionRow> {
  return ctx.db
    .selectFrom("workflow_executions")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

async function setExecution(
  ctx: Ctx,
  id: string,
  values: {
    status?: ExecutionStatus;
    current_step?: number;
    step_state?: StepState;
    due_at?: Date | null;
    escalation_level?: number;
    finished_at?: Date | null;
  },
): Promise<ExecutionRow> {
  const { step_state, ...rest } = values;
  return ctx.db
    .updateTable("workflow_executions")
    .set({ ...rest, ...(step_state ? { step_state: JSON.stringify(step_state) } : {}) })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The active members holding `role` in the organization now (expired grants left out); with
 * `userId`, only whether that person is one of them.
 */
export async function roleHolders(
  ctx: Ctx,
  organizationId: string,
  role: string,
  userId?: string,
): Promise<string[]> {
  let q = ctx.db
    .selectFrom("user_roles as ur")
    .innerJoin("roles as r", "r.id", "ur.role_id")
    .innerJoin("organization_members as m", (join) =>
      join.onRef("m.user_id", "=", "ur.user_id").on("m.organization_id", "=", organizationId),
    )
    .select("ur.user_id")
    .distinct()
    .where("ur.organization_id", "=", organizationId)
    .where("r.key", "=", role)
    .where("m.status", "=", "active")
    .where((eb) =>
      eb.or([eb("ur.expires_at", "is", null), eb("ur.expires_at", ">", ctx.clock.now())]),
    );
  if (userId) q = q.where("ur.user_id", "=", userId);
  const rows = await q.execute();
  return rows.map((r) => r.user_id);
}

async function managerOf(
  ctx: Ctx,
  organizationId: string,
  userId: string | null,
): Promise<string | null> {
  if (!userId) return null;
  const row = await ctx.db
    .selectFrom("organization_members")
    .select("manager_user_id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.manager_user_id ?? null;
}

async function isMember(ctx: Ctx, organizationId: string, userId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("organization_members")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .where("status", "=", "active")
    .executeTakeFirst();
  return !!row;
}

/** The people an approver (or recipient) stands for, today; never the subject themselves. */
async function peopleOf(
  ctx: Ctx,
  execution: ExecutionRow,
  who: Approver | Recipient,
): Promise<string[]> {
  const org = execution.organization_id;
  switch (who.kind) {
    case "subject":
      return execution.subject_user_id ? [execution.subject_user_id] : [];
    case "manager": {
      const manager = await managerOf(ctx, org, execution.subject_user_id);
      return manager ? [manager] : [];
    }
    case "role":
      return roleHolders(ctx, org, who.role);
    case "user":
      return (await isMember(ctx, org, who.userId)) ? [who.userId] : [];
    case "course-team":
      return courseTeamOf(ctx, execution.context.courseId);
  }
}

/** The instructor and staff of the course an execution's context names (none without one). */
async function courseTeamOf(ctx: Ctx, courseId: unknown): Promise<string[]> {
  if (typeof courseId !== "string") return [];
  const rows = await ctx.db
    .selectFrom("courses as c")
    .leftJoin("course_staff as s", "s.course_id", "c.id")
    .select(["c.instructor_id", "s.user_id"])
    .where("c.id", "=", courseId)
    .where("c.deleted_at", "is", null)
    .execute();
  const people = new Set<string>();
  for (const row of rows) {
    if (row.instructor_id) people.add(row.instructor_id);
    if (row.user_id) people.add(row.user_id);
  }
  return [...people];
}

async function approversOf(
  ctx: Ctx,
  execution: ExecutionRow,
  step: Extract<Step, { type: "approval" }>,
  escalated: boolean,
  memo?: ApproverMemo,
): Promise<string[]> {
  const who = escalated && step.escalateTo ? step.escalateTo : step.approver;
  const key =
    who.kind === "role"
      ? `role:${who.role}`
      : who.kind === "user"
        ? `user:${who.userId}`
        : who.kind === "course-team"
          ? `course-team:${String(execution.context.courseId)}`
          : `${who.kind}:${execution.subject_user_id}`;
  const people = await remembered(memo?.people, `${execution.organization_id}:${key}`, () =>
    peopleOf(ctx, execution, who),
  );
  return people.filter((id) => id !== execution.subject_user_id);
}

/** A person's full name, or null when there is none. */
export async function nameOf(ctx: Ctx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const row = await ctx.db
    .selectFrom("users")
    .select(["first_name", "last_name"])
    .where("id", "=", userId)
    .executeTakeFirst();
  return row ? `${row.first_name} ${row.last_name}`.trim() : null;
}

/**
 * A line saying what an execution is about ("Exemption of Ann from AML training"); the
 * subject's name is read unless the caller already has it.
 */
export async function summaryOf(
  ctx: Ctx,
  execution: ExecutionRow,
  definition: Pick<DefinitionRow, "builtin" | "name">,
  subjectName?: string | null,
): Promise<string> {
  const outcome = definition.builtin ? OUTCOMES.get(definition.builtin) : undefined;
  if (outcome) return outcome.summary(ctx, execution);
  const subject =
    subjectName !== undefined ? subjectName : await nameOf(ctx, execution.subject_user_id);
  return subject ? `${definition.name} for ${subject}` : definition.name;
}

async function askApprovers(
  ctx: Ctx,
  execution: ExecutionRow,
  step: Extract<Step, { type: "approval" }>,
  escalated: boolean,
  known?: DefinitionRow,
): Promise<string[]> {
  const approvers = await approversOf(ctx, execution, step, escalated);
  const definition = approvers.length ? (known ?? (await definitionOf(ctx, execution))) : null;
  const outcome = definition?.builtin ? OUTCOMES.get(definition.builtin) : undefined;
  const who = escalated && step.escalateTo ? step.escalateTo : step.approver;
  const told = new Set(outcome?.ask ? await outcome.ask(ctx, execution, approvers, who) : []);
  const rest = approvers.filter((id) => !told.has(id));
  if (definition && rest.length) {
    await notifyAll(ctx, {
      userIds: rest,
      organizationId: execution.organization_id,
      type: "workflow-approval-requested",
      variables: {
        workflowName: definition.name,
        subjectName: (await nameOf(ctx, execution.subject_user_id)) ?? "",
        summary: await summaryOf(ctx, execution, definition),
        escalated: escalated ? "yes" : "",
      },
      data: { executionId: execution.id, workflowId: definition.id },
      actionPath: "/approvals",
    });
  }
  return approvers;
}

/** Ends an execution: the built-in's outcome, the history, the audit trail and the requester told. */
async function finish(
  ctx: Ctx,
  execution: ExecutionRow,
  status: "completed" | "rejected" | "failed" | "cancelled",
  entry: {
    actorId?: string | null;
    note?: string | null;
    action?: string;
    /** The step that ended it (a rejecting decision), named on the history's last entry. */
    at?: { step: number; stepType: string };
  },
  known: { definition?: DefinitionRow; steps?: Step[] } = {},
): Promise<ExecutionRow> {
  const definition = known.definition ?? (await definitionOf(ctx, execution));
  const outcome = definition.builtin ? OUTCOMES.get(definition.builtin) : undefined;
  let final = status;
  let note = entry.note ?? null;
  if (outcome && status === "completed") {
    try {
      note = (await outcome.approved(ctx, execution)) ?? note;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      final = "failed";
      note = error.message;
      await outcome.failed?.(ctx, execution, error.message);
    }
  } else if (outcome && status === "rejected") await outcome.rejected(ctx, execution, note);
  const now = ctx.clock.now();
  const after = await setExecution(ctx, execution.id, {
    status: final,
    due_at: null,
    finished_at: now,
  });
  await record(ctx, execution, {
    ...entry.at,
    action: entry.action && final === status ? entry.action : final,
    actorId: entry.actorId ?? null,
    note,
  });
  await audit(ctx, {
    organizationId: execution.organization_id,
    action: `workflow-execution.${final === "completed" ? "complete" : final === "rejected" ? "reject" : final === "cancelled" ? "cancel" : "fail"}`,
    entityType: "workflow-execution",
    entityId: execution.id,
    before: { status: execution.status, current_step: execution.current_step },
    after: { status: final, note },
  });
  const requester = execution.subject_user_id ?? execution.started_by;
  if (requester && !outcome?.tellsRequester && (final === "completed" || final === "rejected")) {
    const steps = known.steps ?? (await stepsOf(ctx, execution));
    if (steps.some((s) => s.type === "approval"))
      await notifyAll(ctx, {
        userIds: [requester],
        organizationId: execution.organization_id,
        type: "workflow-decided",
        variables: {
          workflowName: definition.name,
          summary: await summaryOf(ctx, execution, definition),
          approved: final === "completed" ? "yes" : "",
          notes: entry.note ?? "",
        },
        data: { executionId: execution.id, workflowId: definition.id },
        actionPath: `/workflows/executions/${execution.id}`,
      });
  }
  return after;
}

/**
 * Runs an execution's steps from its current one until one has to wait (an approval, a wait)
 * or the last is done. Runs in the caller's transaction.
 */
export async function advance(ctx: Ctx, executionId: string): Promise<ExecutionRow> {
  return inTransaction(ctx, async (tx) => {
    let execution = await lockExecution(tx, executionId);
    if (execution.status !== "running") return execution;
    const steps = await stepsOf(tx, execution);
    // read once, when a step or the end first needs it
    let definition: DefinitionRow | undefined;
    const definitionNow = async () => {
      definition ??= await definitionOf(tx, execution);
      return definition;
    };
    for (let guard = 0; guard < MAX_STEPS_PER_ADVANCE; guard++) {
      const index = execution.current_step;
      const step = steps[index];
      if (!step) return finish(tx, execution, "completed", {}, { definition, steps });
      const now = tx.clock.now();
      const at = { step: index, stepType: step.type };
      switch (step.type) {
        case "notification": {
          const people = await peopleOf(tx, execution, step.recipient);
          if (people.length) {
            const workflow = await definitionNow();
            await notifyAll(tx, {
              userIds: people,
              organizationId: execution.organization_id,
              type: "workflow-notification",
              variables: {
                workflowName: workflow.name,
                message: step.message,
                subjectName: (await nameOf(tx, execution.subject_user_id)) ?? "",
              },
              data: { executionId: execution.id, workflowId: workflow.id },
              actionPath: `/workflows/executions/${execution.id}`,
            });
          }
          await record(tx, execution, {
            ...at,
            action: "notified",
            note: people.length
              ? `${people.length} ${people.length === 1 ? "person" : "people"} notified`
              : "Nobody to notify",
          });
          execution = await setExecution(tx, execution.id, { current_step: index + 1 });
          break;
        }
        case "assignment": {
          const subject = execution.subject_user_id;
          let note: string;
          if (!subject) note = "Nobody to assign";
          else {
            const dueAt =
              step.dueDays !== null && step.dueDays !== undefined
                ? new Date(now.getTime() + step.dueDays * DAY_MS)
                : null;
            try {
              const result = await enroll(tx, {
                userId: subject,
                courseId: step.courseId,
                organizationId: execution.organization_id,
                source: "admin",
                assignedBy: null,
                dueAt,
                isMandatory: true,
                waitlist: true,
              });
              note =
                result.kind === "enrolled"
                  ? `Enrolled (enrollment ${result.enrollment.id})${dueAt ? `, due ${dueAt.toISOString()}` : ""}`
                  : "Placed on the waitlist";
            } catch (error) {
              if (!(error instanceof AppError)) throw error;
              note = `Not assigned: ${error.message}`;
            }
          }
          await record(tx, execution, { ...at, action: "assigned", note });
          execution = await setExecution(tx, execution.id, { current_step: index + 1 });
          break;
        }
        case "wait": {
          const until = new Date(now.getTime() + step.hours * HOUR_MS);
          await record(tx, execution, {
            ...at,
            action: "waiting",
            note: `Until ${until.toISOString()}`,
          });
          return setExecution(tx, execution.id, { status: "waiting", due_at: until });
        }
        case "condition": {
          const holds = conditionHolds(step, execution.context);
          const next = holds ? step.thenStep : (step.elseStep ?? index + 1);
          await record(tx, execution, {
            ...at,
            action: "condition",
            note: `${step.field} ${step.op}${step.value !== undefined ? ` ${JSON.stringify(step.value)}` : ""}: ${holds ? "yes" : "no"}, on to step ${next + 1}`,
          });
          execution = await setExecution(tx, execution.id, { current_step: next });
          break;
        }
        case "approval": {
          let escalated = false;
          let approvers = await askApprovers(tx, execution, step, false, await definitionNow());
          if (!approvers.length && step.escalateTo) {
            escalated = true;
            approvers = await askApprovers(tx, execution, step, true, await definitionNow());
          }
          if (!approvers.length) {
            await record(tx, execution, { ...at, action: "no-approver" });
            return finish(
              tx,
              execution,
              "failed",
              { note: "Nobody can approve this step" },
              { definition, steps },
            );
          }
          const due = step.timeoutHours
            ? new Date(now.getTime() + step.timeoutHours * HOUR_MS)
            : null;
          await record(tx, execution, {
            ...at,
            action: escalated ? "escalated" : "approval-requested",
            note: `Asked ${approvers.length} ${approvers.length === 1 ? "person" : "people"}${due ? ` until ${due.toISOString()}` : ""}${escalated ? " (nobody to ask first)" : ""}`,
          });
          return setExecution(tx, execution.id, {
            status: "awaiting-approval",
            step_state: { escalated, approverIds: approvers },
            due_at: due,
            escalation_level: execution.escalation_level + (escalated ? 1 : 0),
          });
        }
      }
    }
    return finish(
      tx,
      execution,
      "failed",
      { note: "Too many steps in one go" },
      { definition, steps },
    );
  });
}

/**
 * Whether a person may decide the approval an execution waits for. Checks over many
 * executions pass one `memo` so that shared steps and approvers are read once.
 */
export async function mayDecide(
  ctx: Ctx,
  execution: ExecutionRow,
  userId: string,
  memo?: ApproverMemo,
): Promise<boolean> {
  if (execution.status !== "awaiting-approval" || userId === execution.subject_user_id)
    return false;
  const steps = await remembered(memo?.steps, execution.version_id, () => stepsOf(ctx, execution));
  const step = steps[execution.current_step];
  if (step?.type !== "approval") return false;
  const escalated = !!execution.step_state.escalated;
  const allowed = new Set(await approversOf(ctx, execution, step, false, memo));
  if (escalated)
    for (const id of await approversOf(ctx, execution, step, true, memo)) allowed.add(id);
  return allowed.has(userId);
}

/** An approver's decision on the approval an execution waits for. */
export async function decide(
  ctx: Ctx,
  executionId: string,
  decision: "approve" | "reject",
  note: string | null,
): Promise<ExecutionRow> {
  const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  if (!userId) throw new AppError("FORBIDDEN", "Approvals are decided by people");
  return inTransaction(ctx, async (tx) => {
    const execution = await lockExecution(tx, executionId);
    if (execution.status !== "awaiting-approval")
      throw new AppError("EXECUTION_NOT_AWAITING_APPROVAL", "This execution waits for no approval");
    if (!(await mayDecide(tx, execution, userId)))
      throw new AppError("NOT_AN_APPROVER", "You are not an approver of this step");
    return applyDecision(tx, execution, userId, decision, note);
  });
}

async function applyDecision(
  ctx: Ctx,
  execution: ExecutionRow,
  userId: string | null,
  decision: "approve" | "reject",
  note: string | null,
): Promise<ExecutionRow> {
  const at = { step: execution.current_step, stepType: "approval" };
  if (decision === "reject")
    return finish(ctx, execution, "rejected", { actorId: userId, note, action: "rejected", at });
  await record(ctx, execution, { ...at, action: "approved", actorId: userId, note });
  await audit(ctx, {
    organizationId: execution.organization_id,
    action: "workflow-execution.approve-step",
    entityType: "workflow-execution",
    entityId: execution.id,
    after: { step: execution.current_step, note },
  });
  await setExecution(ctx, execution.id, {
    status: "running",
    current_step: execution.current_step + 1,
    step_state: {},
    due_at: null,
  });
  return advance(ctx, execution.id);
}

/**
 * A decision taken on a built-in's own screen (a course's enrollment requests), whose caller
 * has checked who may take it: recorded on the open execution as its approval, which then goes
 * on as if decided here. Nothing happens when the execution no longer waits for a decision.
 */
export async function recordDecision(
  ctx: Ctx,
  executionId: string,
  decision: "approve" | "reject",
  note: string | null,
): Promise<ExecutionRow | null> {
  return inTransaction(ctx, async (tx) => {
    const execution = await lockExecution(tx, executionId);
    if (execution.status !== "awaiting-approval") return null;
    return applyDecision(tx, execution, actorUserId(tx.actor), decision, note);
  });
}

/** Cancels an open execution (its definition's managers; the built-ins when what it asked went away). */
export async function cancelExecution(
  ctx: Ctx,
  executionId: string,
  note: string | null,
): Promise<ExecutionRow> {
  return inTransaction(ctx, async (tx) => {
    const execution = await lockExecution(tx, executionId);
    if (!OPEN_STATUSES.includes(execution.status))
      throw new AppError("CONFLICT", "The execution has already ended");
    return finish(tx, execution, "cancelled", { actorId: actorUserId(tx.actor), note });
  });
}

/** One due execution moved on: a wait ends, an approval escalates or times out. */
async function tick(ctx: Ctx, executionId: string): Promise<string | null> {
  return inTransaction(ctx, async (tx) => {
    const execution = await lockExecution(tx, executionId);
    const now = tx.clock.now();
    if (!execution.due_at || execution.due_at > now) return null;
    const at = { step: execution.current_step };
    if (execution.status === "running") {
      await advance(tx, execution.id);
      return "started";
    }
    if (execution.status === "waiting") {
      await record(tx, execution, { ...at, stepType: "wait", action: "resumed" });
      await setExecution(tx, execution.id, {
        status: "running",
        current_step: execution.current_step + 1,
        due_at: null,
      });
      await advance(tx, execution.id);
      return "resumed";
    }
    if (execution.status !== "awaiting-approval") return null;
    const step = (await stepsOf(tx, execution))[execution.current_step];
    if (step?.type !== "approval") return null;
    const onTimeout = step.onTimeout ?? (step.escalateTo ? "escalate" : "reject");
    if (onTimeout === "escalate" && step.escalateTo && !execution.step_state.escalated) {
      const approvers = await askApprovers(tx, execution, step, true);
      if (approvers.length) {
        const due = new Date(now.getTime() + (step.timeoutHours ?? 24) * HOUR_MS);
        await record(tx, execution, {
          ...at,
          stepType: "approval",
          action: "escalated",
          note: `Not decided in time; asked ${approvers.length} ${approvers.length === 1 ? "person" : "people"} until ${due.toISOString()}`,
        });
        await audit(tx, {
          organizationId: execution.organization_id,
          action: "workflow-execution.escalate",
          entityType: "workflow-execution",
          entityId: execution.id,
          after: { step: execution.current_step, approvers },
        });
        await setExecution(tx, execution.id, {
          step_state: { escalated: true, approverIds: approvers },
          due_at: due,
          escalation_level: execution.escalation_level + 1,
        });
        return "escalated";
      }
    }
    await record(tx, execution, { ...at, stepType: "approval", action: "timed-out" });
    await finish(tx, execution, "rejected", {
      note: "Not decided in time",
      action: "rejected",
    });
    return "timed-out";
  });
}

/**
 * Starts the executions of schedules that are due, moving each schedule on (a cron expression
 * in the organization's time zone; a schedule that never runs again stops).
 */
async function startScheduled(ctx: Ctx, organizationId?: string): Promise<number> {
  const now = ctx.clock.now();
  let q = ctx.db
    .selectFrom("workflow_definitions as d")
    .innerJoin("organizations as o", "o.id", "d.organization_id")
    .selectAll("d")
    .select("o.timezone")
    .where("d.trigger_type", "=", "schedule")
    .where("d.is_enabled", "=", true)
    .where("d.next_run_at", "<=", now);
  if (organizationId) q = q.where("d.organization_id", "=", organizationId);
  let started = 0;
  for (const { timezone, ...definition } of await q.execute()) {
    const next = nextScheduledRun(definition, timezone, now, definition.next_run_at);
    await inTransaction(ctx, async (tx) => {
      await tx.db
        .updateTable("workflow_definitions")
        .set({ next_run_at: next })
        .where("id", "=", definition.id)
        .execute();
      await startExecution(tx, definition, { trigger: "schedule" }, { advance: true });
    });
    started++;
  }
  return started;
}

/**
 * The workflow job's round: due schedules start, executions started by events run, waits
 * end, approvals that were not decided in time escalate or are rejected.
 */
export async function advanceDue(
  ctx: Ctx,
  organizationId?: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = { scheduled: await startScheduled(ctx, organizationId) };
  let q = ctx.db
    .selectFrom("workflow_executions")
    .select("id")
    .where("status", "in", OPEN_STATUSES)
    .where("due_at", "<=", ctx.clock.now())
    .orderBy("due_at")
    .limit(1000);
  if (organizationId) q = q.where("organization_id", "=", organizationId);
  for (const { id } of await q.execute()) {
    const what = await tick(ctx, id);
    if (what) counts[what] = (counts[what] ?? 0) + 1;
  }
  return counts;
}
