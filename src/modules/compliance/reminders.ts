import { sql } from "kysely";
import { auditMany } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { restrictedPeople } from "../access/learner-privacy.js";
import { type NotificationType, notifyEach } from "../notifications/notify.js";
import type { ReminderKind } from "./schema.js";

/**
 * Reminders and escalation for open compliance assignments. Before the due date the person
 * is reminded at each of the requirement's offsets (14, 7 and 1 days before by default); once
 * overdue, every `overdue_reminder_days`; after `manager_escalation_days` overdue their
 * manager is told, after `officer_escalation_days` the requirement's compliance officer. Each
 * step is a row of compliance_reminders, unique per assignment, kind and window: running the
 * job twice (or on two workers at once) sends nothing twice.
 */

const DAY_MS = 86_400_000;

export interface ReminderResult {
  dueSoon: number;
  overdue: number;
  escalatedToManager: number;
  escalatedToOfficer: number;
}

interface Step {
  kind: ReminderKind;
  window: string;
  recipient: string;
  type: NotificationType;
  variables: Record<string, string | boolean>;
  actionPath: string;
}

interface OpenRow {
  id: string;
  organization_id: string;
  user_id: string;
  due_at: Date;
  course_id: string;
  course_title: string;
  requirement_name: string;
  reminder_offsets_days: number[];
  overdue_reminder_days: number;
  manager_escalation_days: number | null;
  officer_escalation_days: number | null;
  compliance_officer_user_id: string | null;
  manager_user_id: string | null;
  first_name: string;
  last_name: string;
}

/** The key of a reminder step already recorded for an assignment. */
const sentKey = (kind: string, window: string) => `${kind}/${window}`;

/** The steps an open assignment has reached at `now` (whether sent or not). */
export function stepsDue(a: OpenRow, now: Date): Step[] {
  const steps: Step[] = [];
  const untilDue = a.due_at.getTime() - now.getTime();
  const person = `${a.first_name} ${a.last_name}`;
  const texts = {
    courseTitle: a.course_title,
    requirementName: a.requirement_name,
    dueAt: a.due_at.toUTCString(),
  };
  if (untilDue > 0) {
    // The nearest offset reached; earlier ones that were missed are not sent late.
    const reached = a.reminder_offsets_days
      .filter((days) => untilDue <= days * DAY_MS)
      .sort((x, y) => x - y)[0];
    if (reached !== undefined)
      steps.push({
        kind: "due-soon",
        window: `before-${reached}d`,
        recipient: a.user_id,
        type: "compliance-due-soon",
        variables: texts,
        actionPath: `/courses/${a.course_id}`,
      });
    return steps;
  }
  const overdueDays = Math.floor(-untilDue / DAY_MS);
  steps.push({
    kind: "overdue",
    window: `overdue-${Math.floor(overdueDays / a.overdue_reminder_days)}`,
    recipient: a.user_id,
    type: "compliance-overdue",
    variables: texts,
    actionPath: `/courses/${a.course_id}`,
  });
  if (
    a.manager_escalation_days !== null &&
    a.manager_user_id &&
    overdueDays >= a.manager_escalation_days
  )
    steps.push({
      kind: "escalation-manager",
      window: "once",
      recipient: a.manager_user_id,
      type: "compliance-escalation",
      variables: { ...texts, personName: person, managerTold: false },
      actionPath: `/people/${a.user_id}`,
    });
  if (
    a.officer_escalation_days !== null &&
    a.compliance_officer_user_id &&
    overdueDays >= a.officer_escalation_days
  )
    steps.push({
      kind: "escalation-officer",
      window: "once",
      recipient: a.compliance_officer_user_id,
      type: "compliance-escalation",
      variables: {
        ...texts,
        personName: person,
        managerTold: a.manager_escalation_days !== null && a.manager_user_id !== null,
      },
      actionPath: `/people/${a.user_id}`,
    });
  return steps;
}

const RESULT_KEY: Record<ReminderKind, keyof ReminderResult> = {
  "due-soon": "dueSoon",
  overdue: "overdue",
  "escalation-manager": "escalatedToManager",
  "escalation-officer": "escalatedToOfficer",
};

/** Sends the reminders and escalations due now, for one organization or all. */
export async function sendComplianceReminders(
  ctx: Ctx,
  organizationId?: string,
): Promise<ReminderResult> {
  const now = ctx.clock.now();
  const result: ReminderResult = {
    dueSoon: 0,
    overdue: 0,
    escalatedToManager: 0,
    escalatedToOfficer: 0,
  };
  let q = ctx.db
    .selectFrom("compliance_assignments as a")
    .innerJoin("compliance_requirements as r", "r.id", "a.requirement_id")
    .innerJoin("courses as c", "c.id", "r.course_id")
    .innerJoin("users as u", "u.id", "a.user_id")
    .leftJoin("organization_members as m", (join) =>
      join
        .onRef("m.user_id", "=", "a.user_id")
        .onRef("m.organization_id", "=", "a.organization_id"),
    )
    .select([
      "a.id",
      "a.organization_id",
      "a.user_id",
      "a.due_at",
      "r.course_id",
      "c.title as course_title",
      "r.name as requirement_name",
      "r.reminder_offsets_days",
      "r.overdue_reminder_days",
      "r.manager_escalation_days",
      "r.officer_escalation_days",
      "r.compliance_officer_user_id",
      "m.manager_user_id",
      "u.first_name",
      "u.last_name",
      // The steps already recorded, read with the row, so that an hourly round over many
      // open assignments spends a round trip only on what is new.
      sql<
        string[]
      >`array(select r2.kind || '/' || r2.reminder_window from compliance_reminders r2 where r2.assignment_id = a.id)`.as(
        "sent",
      ),
    ])
    .where("a.status", "=", "open")
    .where("r.is_active", "=", true)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("compliance_exemptions as x")
            .select("x.id")
            .whereRef("x.requirement_id", "=", "a.requirement_id")
            .whereRef("x.user_id", "=", "a.user_id")
            .where("x.revoked_at", "is", null)
            .where((x) => x.or([x("x.expires_at", "is", null), x("x.expires_at", ">", now)])),
        ),
      ),
    )
    // Nothing is reminded more than a year ahead; offsets are days, not years.
    .where("a.due_at", "<=", new Date(now.getTime() + 366 * DAY_MS));
  if (organizationId) q = q.where("a.organization_id", "=", organizationId);
  const rows = (await q.orderBy("a.id").execute()) as Array<OpenRow & { sent: string[] }>;
  // People whose processing is restricted are neither reminded nor escalated about
  // (docs/privacy.md): one lookup per organization in the round.
  const restricted = new Set<string>();
  for (const org of new Set(rows.map((r) => r.organization_id)))
    for (const userId of await restrictedPeople(
      ctx,
      rows.filter((r) => r.organization_id === org).map((r) => r.user_id),
      org,
    ))
      restricted.add(`${org}/${userId}`);
  const pending: Array<{ row: OpenRow; step: Step }> = [];
  for (const row of rows) {
    if (restricted.has(`${row.organization_id}/${row.user_id}`)) continue;
    const recorded = new Set(row.sent);
    // Recorded before: the insert would find it and send nothing.
    for (const step of stepsDue(row, now))
      if (!recorded.has(sentKey(step.kind, step.window))) pending.push({ row, step });
  }
  for (let start = 0; start < pending.length; start += REMINDER_BATCH) {
    const sent = await inTransaction(ctx, (tx) =>
      sendBatch(tx, pending.slice(start, start + REMINDER_BATCH), now),
    );
    for (const { step } of sent) result[RESULT_KEY[step.kind]] += 1;
  }
  return result;
}

/** Reminder steps written per transaction. */
const REMINDER_BATCH = 500;

/**
 * Records a slice of due steps in one statement; the steps another round recorded first (the
 * unique key of assignment, kind and window) come back from it as not inserted and are not
 * sent. The inserted ones are told, grouped by organization and kind of notification (the
 * reads shared), announced to the access log when they tell someone about another person, and
 * audited in one statement. Answers the steps sent.
 */
async function sendBatch(
  tx: Ctx,
  batch: Array<{ row: OpenRow; step: Step }>,
  now: Date,
): Promise<Array<{ row: OpenRow; step: Step }>> {
  const inserted = await tx.db
    .insertInto("compliance_reminders")
    .values(
      batch.map(({ row, step }) => ({
        organization_id: row.organization_id,
        assignment_id: row.id,
        kind: step.kind,
        reminder_window: step.window,
        recipient_user_id: step.recipient,
        sent_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["assignment_id", "kind", "reminder_window"]).doNothing())
    .returning(["assignment_id", "kind", "reminder_window"])
    .execute();
  const isNew = new Set(inserted.map((r) => `${r.assignment_id}/${r.kind}/${r.reminder_window}`));
  const sent = batch.filter(({ row, step }) => isNew.has(`${row.id}/${step.kind}/${step.window}`));
  const groups = new Map<string, Array<{ row: OpenRow; step: Step }>>();
  for (const item of sent) {
    const key = `${item.row.organization_id}/${item.step.type}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  for (const group of groups.values()) {
    const first = group[0] as { row: OpenRow; step: Step };
    await notifyEach(tx, {
      organizationId: first.row.organization_id,
      type: first.step.type,
      recipients: group.map(({ row, step }) => ({
        userId: step.recipient,
        variables: step.variables,
        data: { complianceAssignmentId: row.id, userId: row.user_id, kind: step.kind },
        priority: step.kind === "due-soon" ? "normal" : "high",
        actionPath: step.actionPath,
      })),
    });
  }
  // An escalation tells a manager or the officer about the person: the access log, one
  // announcement per organization, viewer and what they were told.
  const reads = new Map<
    string,
    { organizationId: string; viewer: string; detail: string; subjects: string[] }
  >();
  for (const { row, step } of sent) {
    if (step.recipient === row.user_id) continue;
    const detail = `${step.kind}: ${row.requirement_name}`;
    const key = JSON.stringify([row.organization_id, step.recipient, detail]);
    const read = reads.get(key) ?? {
      organizationId: row.organization_id,
      viewer: step.recipient,
      detail,
      subjects: [],
    };
    read.subjects.push(row.user_id);
    reads.set(key, read);
  }
  for (const read of reads.values())
    await tx.events.emit(tx, "personal-data.read", {
      organizationId: read.organizationId,
      subjectUserIds: read.subjects,
      viewerUserId: read.viewer,
      what: "reminder",
      detail: read.detail,
    });
  await auditMany(
    tx,
    sent.map(({ row, step }) => ({
      organizationId: row.organization_id,
      action: `compliance-assignment.${step.kind}`,
      entityType: "compliance-assignment",
      entityId: row.id,
      after: { kind: step.kind, window: step.window, recipient_user_id: step.recipient },
    })),
  );
  return sent;
}
