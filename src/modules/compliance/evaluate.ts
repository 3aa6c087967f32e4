import { type Expression, sql } from "kysely";
import { audit, auditMany } from "../../platform/audit/audit.js";
import { type AppEvents, type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { enqueueJob } from "../../platform/jobs/queue.js";
import { restrictedPeople } from "../access/learner-privacy.js";
import { enroll } from "../enrollment/enroll.js";
import { enrollMany } from "../enrollment/enroll-many.js";
import { takeAllocationSeat } from "../enrollment/seats.js";
import { notifyEach } from "../notifications/notify.js";
import type { ComplianceAssignmentRow, RequirementRow, RuleRow } from "./schema.js";

/**
 * Evaluation: who must meet each active requirement of an organization (its active rules),
 * and what follows. Everyone in a rule's scope without an open assignment gets one — an
 * enrollment in the requirement's course flagged as compliance training, due a set number of
 * days after the rule's trigger (hire date, join date or a fixed date). People who joined
 * since the last evaluation are assigned on this one; people who left every rule's scope keep
 * their assignment, marked out of scope, and their enrollment. A completed assignment whose
 * certification runs out within the recertification window opens the next cycle, chained to
 * the one before. Running it again changes nothing.
 */

const DAY_MS = 86_400_000;

export interface EvaluationResult {
  assigned: number;
  recertifications: number;
  outOfScope: number;
  completedOnAssignment: number;
}

interface InScope {
  ruleId: string;
  trigger: Date;
}

function dateOf(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function addMonths(date: Date, months: number): Date {
  const out = new Date(date.getTime());
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

/** The active members a rule reaches, with the date its due date counts from. */
async function scopeOf(ctx: Ctx, rule: RuleRow): Promise<Map<string, Date>> {
  let q = ctx.db
    .selectFrom("organization_members as m")
    .select(["m.user_id", "m.hire_date", "m.joined_at"])
    .where("m.organization_id", "=", rule.organization_id)
    .where("m.status", "=", "active");
  if (rule.scope === "department") q = q.where("m.department_id", "=", rule.department_id);
  if (rule.scope === "team")
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("team_members as tm")
          .select("tm.user_id")
          .where("tm.team_id", "=", rule.team_id as string)
          .whereRef("tm.user_id", "=", "m.user_id"),
      ),
    );
  if (rule.scope === "role")
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("user_roles as ur")
          .innerJoin("roles as r", "r.id", "ur.role_id")
          .select("ur.user_id")
          .where("r.key", "=", rule.role_key as string)
          .where("ur.organization_id", "=", rule.organization_id)
          .whereRef("ur.user_id", "=", "m.user_id"),
      ),
    );
  if (rule.scope === "location")
    q = q.where(sql<boolean>`lower(m.location) = lower(${rule.location})`);
  if (rule.scope === "hire-date") {
    if (rule.hired_from) q = q.where("m.hire_date", ">=", rule.hired_from);
    if (rule.hired_to) q = q.where("m.hire_date", "<=", rule.hired_to);
  }
  const rows = await q.execute();
  const out = new Map<string, Date>();
  for (const row of rows) {
    const trigger =
      rule.trigger === "fixed-date" && rule.fixed_date
        ? dateOf(rule.fixed_date)
        : rule.trigger === "hire-date" && row.hire_date
          ? dateOf(row.hire_date)
          : row.joined_at;
    out.set(row.user_id, trigger);
  }
  return out;
}

/** Everyone a requirement's active rules reach; a person reached twice counts from the earliest trigger. */
export async function requirementScope(
  ctx: Ctx,
  requirement: RequirementRow,
): Promise<Map<string, InScope>> {
  const rules = await ctx.db
    .selectFrom("compliance_rules")
    .selectAll()
    .where("requirement_id", "=", requirement.id)
    .where("is_active", "=", true)
    .orderBy("created_at")
    .execute();
  const scope = new Map<string, InScope>();
  for (const rule of rules) {
    for (const [userId, trigger] of await scopeOf(ctx, rule)) {
      const seen = scope.get(userId);
      if (!seen || trigger < seen.trigger) scope.set(userId, { ruleId: rule.id, trigger });
    }
  }
  return scope;
}

async function activeExemptions(ctx: Ctx, requirementId: string): Promise<Set<string>> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .selectFrom("compliance_exemptions")
    .select("user_id")
    .where("requirement_id", "=", requirementId)
    .where("revoked_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Each person's latest assignment of a requirement (the end of their chain). */
async function latestAssignments(
  ctx: Ctx,
  requirementId: string,
): Promise<Map<string, ComplianceAssignmentRow>> {
  const rows = await ctx.db
    .selectFrom("compliance_assignments as a")
    .selectAll("a")
    .where("a.requirement_id", "=", requirementId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("compliance_assignments as n")
            .select("n.id")
            .whereRef("n.previous_assignment_id", "=", "a.id"),
        ),
      ),
    )
    .orderBy("a.cycle")
    .execute();
  const out = new Map<string, ComplianceAssignmentRow>();
  for (const row of rows) {
    const seen = out.get(row.user_id);
    if (!seen || row.cycle > seen.cycle) out.set(row.user_id, row);
  }
  return out;
}

interface Opened {
  enrollmentId: string | null;
  /** The course was already completed (first cycle only): the assignment is met at once. */
  completedAt: Date | null;
  certificateId: string | null;
  /** A new enrollment was opened: the person is told of the assignment. */
  notify: boolean;
}

/** A person's enrollment in the requirement's course, with its live certificate. */
interface KnownEnrollment {
  id: string;
  user_id: string;
  status: string;
  due_at: Date | null;
  is_compliance: boolean;
  completed_at: Date | null;
  certificate_id: string | null;
}

/** What evaluation reads of the requirement's course, once per requirement. */
interface CourseFacts {
  id: string;
  organization_id: string | null;
  title: string;
  enrollment_type: string;
  price_amount: number;
  status: string;
  delivery: string;
  deleted_at: Date | null;
  prerequisite_course_ids: string[];
}

/** How many people one lookup names (well under the drivers' limit on parameters). */
const LOOKUP_CHUNK = 5_000;

/** The enrollments the given people hold in a course, read in a few queries rather than one per person. */
async function enrollmentsIn(
  ctx: Ctx,
  courseId: string,
  userIds: string[],
): Promise<Map<string, KnownEnrollment>> {
  const out = new Map<string, KnownEnrollment>();
  for (let i = 0; i < userIds.length; i += LOOKUP_CHUNK) {
    const rows = await ctx.db
      .selectFrom("enrollments as e")
      .select([
        "e.id",
        "e.user_id",
        "e.status",
        "e.due_at",
        "e.is_compliance",
        "e.completed_at",
        liveCertificateOf(sql.ref("e.id")).as("certificate_id"),
      ])
      .where("e.course_id", "=", courseId)
      .where("e.user_id", "in", userIds.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const row of rows) out.set(row.user_id, row);
  }
  return out;
}

/**
 * The enrollment an assignment follows: an open one in the course is reused (flagged as
 * compliance training with the assignment's due date); a completed one counts for a first
 * cycle and is reopened for a recertification; otherwise the person is enrolled through the
 * same path staff assignments use, taking a seat of the organization for a paid course.
 */
async function openEnrollment(
  ctx: Ctx,
  requirement: RequirementRow,
  userId: string,
  dueAt: Date,
  recertification: boolean,
  existing: KnownEnrollment | undefined,
  course: CourseFacts,
): Promise<Opened> {
  if (existing && ["active", "suspended", "pending-payment"].includes(existing.status)) {
    await inTransaction(ctx, async (tx) => {
      await tx.db
        .updateTable("enrollments")
        .set({ is_compliance: true, due_at: dueAt })
        .where("id", "=", existing.id)
        .execute();
      await audit(tx, {
        organizationId: requirement.organization_id,
        action: "enrollment.update",
        entityType: "enrollment",
        entityId: existing.id,
        before: { due_at: existing.due_at, is_compliance: existing.is_compliance },
        after: { due_at: dueAt, is_compliance: true },
      });
    });
    return { enrollmentId: existing.id, completedAt: null, certificateId: null, notify: false };
  }
  if (existing && existing.status === "completed") {
    if (!recertification) {
      return {
        enrollmentId: existing.id,
        completedAt: existing.completed_at ?? ctx.clock.now(),
        certificateId: existing.certificate_id,
        notify: false,
      };
    }
    await inTransaction(ctx, async (tx) => {
      await tx.db
        .updateTable("enrollments")
        .set({
          status: "active",
          completed_at: null,
          progress_percent: 0,
          is_compliance: true,
          due_at: dueAt,
          source: "compliance",
        })
        .where("id", "=", existing.id)
        .execute();
      await audit(tx, {
        organizationId: requirement.organization_id,
        action: "enrollment.reopen",
        entityType: "enrollment",
        entityId: existing.id,
        before: { status: existing.status, completed_at: existing.completed_at },
        after: { status: "active", due_at: dueAt, reason: "recertification" },
      });
    });
    return {
      enrollmentId: existing.id,
      completedAt: null,
      certificateId: null,
      notify: true,
    };
  }
  try {
    const paid = course.enrollment_type === "paid" && course.price_amount > 0;
    const result = await inTransaction(ctx, async (tx) =>
      enroll(tx, {
        seatAllocationId: paid
          ? await takeAllocationSeat(tx, requirement.organization_id, requirement.course_id)
          : null,
        userId,
        courseId: requirement.course_id,
        organizationId: requirement.organization_id,
        source: "compliance",
        assignedBy: null,
        dueAt,
        isCompliance: true,
        isMandatory: true,
        waitlist: false,
      }),
    );
    if (result.kind !== "enrolled")
      return { enrollmentId: null, completedAt: null, certificateId: null, notify: false };
    return {
      enrollmentId: result.enrollment.id,
      completedAt: null,
      certificateId: null,
      notify: true,
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // The course cannot take the person now (unpublished, cohort-based, no seat left): the
    // assignment is kept without an enrollment and shows as not started.
    ctx.log.warn(
      { requirementId: requirement.id, userId, code: error.code },
      "compliance assignment without an enrollment",
    );
    return { enrollmentId: null, completedAt: null, certificateId: null, notify: false };
  }
}

/** The certificate of an enrollment that is not revoked (what an assignment records). */
function liveCertificateOf(enrollmentId: Expression<unknown>) {
  return sql<string | null>`(
    select c.id from certificates c
    where c.enrollment_id = ${enrollmentId} and c.revoked_at is null limit 1)`;
}

async function liveCertificate(ctx: Ctx, enrollmentId: string): Promise<string | null> {
  const row = await ctx.db
    .selectNoFrom(liveCertificateOf(sql`${enrollmentId}::uuid`).as("id"))
    .executeTakeFirst();
  return row?.id ?? null;
}

/** People assigned per transaction: their enrollments, assignments, audit records and notices. */
const ASSIGN_BATCH = 500;

interface Due {
  userId: string;
  ruleId: string;
  dueAt: Date;
  previous: ComplianceAssignmentRow | null;
  recertification: boolean;
}

/**
 * Opens the assignments of a slice of people. Those who need a plain enrollment (none in
 * the course yet, a free self-paced course open for enrollment) are enrolled together with
 * their assignments in one transaction (`enrollMany`); anyone else (an enrollment to reuse
 * or reopen, a paid course taking an organization's seat, a course that cannot take them)
 * through `openEnrollment` first. The assignments, their audit records and the notices are
 * then written a statement each for the slice; an assignment another evaluation opened
 * meanwhile is skipped (the unique keys), and nobody is told twice.
 */
async function openAssignments(
  ctx: Ctx,
  requirement: RequirementRow,
  slice: Due[],
  enrollments: Map<string, KnownEnrollment>,
  course: CourseFacts,
): Promise<Array<{ due: Due; row: ComplianceAssignmentRow }>> {
  const paid = course.enrollment_type === "paid" && course.price_amount > 0;
  const plain =
    course.status === "published" &&
    course.deleted_at === null &&
    course.delivery !== "cohort-based" &&
    !paid;
  const opened = new Map<string, Opened>();
  const bulk: Due[] = [];
  for (const due of slice) {
    const existing = enrollments.get(due.userId);
    if (plain && !existing) bulk.push(due);
    else
      opened.set(
        due.userId,
        await openEnrollment(
          ctx,
          requirement,
          due.userId,
          due.dueAt,
          due.recertification,
          existing,
          course,
        ),
      );
  }
  const now = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    if (bulk.length) {
      const dueOf = new Map(bulk.map((d) => [d.userId, d.dueAt]));
      const enrolled = await enrollMany(tx, course, {
        userIds: bulk.map((d) => d.userId),
        organizationId: requirement.organization_id,
        source: "compliance",
        dueAt: (userId) => dueOf.get(userId) ?? null,
        isMandatory: true,
        isCompliance: true,
      });
      for (const { userId } of bulk) {
        const result = enrolled.get(userId);
        if (result && typeof result === "object") {
          opened.set(userId, {
            enrollmentId: result.id,
            completedAt: null,
            certificateId: null,
            notify: true,
          });
          continue;
        }
        // The course cannot take the person now: the assignment is kept without an
        // enrollment and shows as not started.
        tx.log.warn(
          { requirementId: requirement.id, userId, code: result },
          "compliance assignment without an enrollment",
        );
        opened.set(userId, {
          enrollmentId: null,
          completedAt: null,
          certificateId: null,
          notify: false,
        });
      }
    }
    const rows = await tx.db
      .insertInto("compliance_assignments")
      .values(
        slice.map((due) => {
          const o = opened.get(due.userId) as Opened;
          const completed = o.completedAt !== null;
          return {
            organization_id: requirement.organization_id,
            requirement_id: requirement.id,
            user_id: due.userId,
            rule_id: due.ruleId,
            enrollment_id: o.enrollmentId,
            cycle: (due.previous?.cycle ?? 0) + 1,
            previous_assignment_id: due.previous?.id ?? null,
            assigned_at: now,
            due_at: due.dueAt,
            status: completed ? ("completed" as const) : ("open" as const),
            completed_at: o.completedAt,
            certificate_id: o.certificateId,
            expires_at:
              completed && requirement.recurrence_months && o.completedAt
                ? addMonths(o.completedAt, requirement.recurrence_months)
                : null,
            created_at: now,
            updated_at: now,
          };
        }),
      )
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .execute();
    const byUser = new Map(rows.map((row) => [row.user_id, row]));
    const made = slice.flatMap((due) => {
      const row = byUser.get(due.userId);
      return row ? [{ due, row }] : [];
    });
    await auditMany(
      tx,
      made.map(({ row }) => ({
        organizationId: requirement.organization_id,
        action: "compliance-assignment.create",
        entityType: "compliance-assignment",
        entityId: row.id,
        after: {
          requirement_id: row.requirement_id,
          user_id: row.user_id,
          cycle: row.cycle,
          due_at: row.due_at,
          status: row.status,
          enrollment_id: row.enrollment_id,
          previous_assignment_id: row.previous_assignment_id,
        },
      })),
    );
    await notifyEach(tx, {
      organizationId: requirement.organization_id,
      type: "enrollment-assigned",
      recipients: made
        .filter(({ due }) => opened.get(due.userId)?.notify)
        .map(({ due, row }) => ({
          userId: due.userId,
          variables: {
            courseTitle: course.title,
            compliance: true,
            dueAt: due.dueAt.toUTCString(),
          },
          data: {
            enrollmentId: opened.get(due.userId)?.enrollmentId ?? null,
            courseId: requirement.course_id,
            complianceAssignmentId: row.id,
          },
          priority: "high" as const,
          actionPath: `/courses/${requirement.course_id}`,
        })),
    });
    return made;
  });
}

/** Evaluates one requirement; see the module comment. */
export async function evaluateRequirement(
  ctx: Ctx,
  requirement: RequirementRow,
): Promise<EvaluationResult> {
  const result: EvaluationResult = {
    assigned: 0,
    recertifications: 0,
    outOfScope: 0,
    completedOnAssignment: 0,
  };
  const now = ctx.clock.now();
  const [scope, exempt, latest] = await Promise.all([
    requirementScope(ctx, requirement),
    activeExemptions(ctx, requirement.id),
    latestAssignments(ctx, requirement.id),
  ]);
  // Out of scope: open assignments of people no rule reaches any more.
  const leaving = [...latest.values()]
    .filter((a) => a.status === "open" && !scope.has(a.user_id))
    .map((a) => a.id);
  if (leaving.length) {
    result.outOfScope = await inTransaction(ctx, async (tx) => {
      let moved = 0;
      for (let i = 0; i < leaving.length; i += LOOKUP_CHUNK) {
        const rows = await tx.db
          .updateTable("compliance_assignments")
          .set({ status: "out-of-scope", out_of_scope_at: now })
          .where("id", "in", leaving.slice(i, i + LOOKUP_CHUNK))
          .where("status", "=", "open")
          .returning("id")
          .execute();
        for (const row of rows)
          await audit(tx, {
            organizationId: requirement.organization_id,
            action: "compliance-assignment.out-of-scope",
            entityType: "compliance-assignment",
            entityId: row.id,
            before: { status: "open" },
            after: { status: "out-of-scope" },
          });
        moved += rows.length;
      }
      return moved;
    });
  }
  // Who needs a new assignment: decided from what was read above, without a query per person.
  const due: Due[] = [];
  for (const [userId, reach] of scope) {
    if (exempt.has(userId)) continue;
    const last = latest.get(userId) ?? null;
    if (last?.status === "open") continue;
    if (last?.status === "completed") {
      // Met; a certification that runs out opens the next cycle inside the window.
      if (!last.expires_at) continue;
      const opensAt = last.expires_at.getTime() - requirement.recertification_window_days * DAY_MS;
      if (now.getTime() < opensAt) continue;
      due.push({
        userId,
        ruleId: reach.ruleId,
        dueAt: last.expires_at > now ? last.expires_at : now,
        previous: last,
        recertification: true,
      });
      continue;
    }
    // First assignment, or back in scope after leaving it.
    const dueAt = new Date(reach.trigger.getTime() + requirement.due_days * DAY_MS);
    due.push({
      userId,
      ruleId: reach.ruleId,
      dueAt: last && dueAt < now ? new Date(now.getTime() + requirement.due_days * DAY_MS) : dueAt,
      previous: last,
      recertification: false,
    });
  }
  // A person whose processing is restricted gets no new assignment (docs/privacy.md).
  const restricted = await restrictedPeople(
    ctx,
    due.map((d) => d.userId),
    requirement.organization_id,
  );
  if (restricted.size) due.splice(0, due.length, ...due.filter((d) => !restricted.has(d.userId)));
  if (!due.length) return result;
  const [enrollments, course] = await Promise.all([
    enrollmentsIn(
      ctx,
      requirement.course_id,
      due.map((d) => d.userId),
    ),
    ctx.db
      .selectFrom("courses")
      .select([
        "id",
        "organization_id",
        "title",
        "enrollment_type",
        "price_amount",
        "status",
        "delivery",
        "deleted_at",
        "prerequisite_course_ids",
      ])
      .where("id", "=", requirement.course_id)
      .executeTakeFirstOrThrow(),
  ]);
  for (let start = 0; start < due.length; start += ASSIGN_BATCH)
    for (const { due: made, row } of await openAssignments(
      ctx,
      requirement,
      due.slice(start, start + ASSIGN_BATCH),
      enrollments,
      course,
    )) {
      if (made.recertification) {
        result.recertifications += 1;
        continue;
      }
      result.assigned += 1;
      if (row.status === "completed") result.completedOnAssignment += 1;
    }
  return result;
}

/** Evaluates every active requirement of an organization (or of all organizations). */
export async function evaluateCompliance(
  ctx: Ctx,
  organizationId?: string,
): Promise<EvaluationResult> {
  let q = ctx.db.selectFrom("compliance_requirements").selectAll().where("is_active", "=", true);
  if (organizationId) q = q.where("organization_id", "=", organizationId);
  const total: EvaluationResult = {
    assigned: 0,
    recertifications: 0,
    outOfScope: 0,
    completedOnAssignment: 0,
  };
  for (const requirement of await q.orderBy("id").execute()) {
    const r = await evaluateRequirement(ctx, requirement);
    total.assigned += r.assigned;
    total.recertifications += r.recertifications;
    total.outOfScope += r.outOfScope;
    total.completedOnAssignment += r.completedOnAssignment;
  }
  return total;
}

/**
 * A completed enrollment meets the open assignments it follows: completed now, with the
 * certificate when one was issued, valid for the requirement's recurrence. Runs after the
 * certificates module's handler (registered later in app.ts), so an automatic certificate
 * is already there.
 */
export function subscribeCompliance(events: AppEvents): void {
  // A membership change queues one evaluation of its organization (bursts coalesce on the
  // dedupe key while the job waits), when the organization has anything to evaluate.
  events.on("organization.membership-changed", async (ctx, { organizationId }) => {
    const any = await ctx.db
      .selectFrom("compliance_requirements")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("is_active", "=", true)
      .limit(1)
      .executeTakeFirst();
    if (!any) return;
    await enqueueJob(
      ctx.db,
      "compliance.evaluate",
      { organizationId },
      { dedupeKey: `compliance-evaluate:${organizationId}` },
    );
  });
  events.on("enrollment.completed", async (ctx, { enrollmentId }) => {
    const open = await ctx.db
      .selectFrom("compliance_assignments as a")
      .innerJoin("compliance_requirements as r", "r.id", "a.requirement_id")
      .select(["a.id", "a.organization_id", "r.recurrence_months"])
      .where("a.enrollment_id", "=", enrollmentId)
      .where("a.status", "=", "open")
      .execute();
    if (!open.length) return;
    const now = ctx.clock.now();
    const certificateId = await liveCertificate(ctx, enrollmentId);
    for (const a of open) {
      const expiresAt = a.recurrence_months ? addMonths(now, a.recurrence_months) : null;
      await ctx.db
        .updateTable("compliance_assignments")
        .set({
          status: "completed",
          completed_at: now,
          certificate_id: certificateId,
          expires_at: expiresAt,
        })
        .where("id", "=", a.id)
        .execute();
      await audit(ctx, {
        organizationId: a.organization_id,
        action: "compliance-assignment.complete",
        entityType: "compliance-assignment",
        entityId: a.id,
        before: { status: "open" },
        after: { status: "completed", certificate_id: certificateId, expires_at: expiresAt },
      });
    }
  });
}
