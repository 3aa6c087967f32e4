import type { EnrollmentView } from "../../api/learner";

/** My learning's enrollment sections: each enrollment shows in one of them only. */
export interface DashboardSections {
  /** Assigned, mandatory or with a due date, not completed: overdue first, then compliance, then soonest due. */
  assigned: EnrollmentView[];
  /** Chosen by the person and under way (or awaiting payment, or suspended): latest activity first. */
  inProgress: EnrollmentView[];
  /** Completed, latest first. */
  completed: EnrollmentView[];
}

const OPEN = new Set<EnrollmentView["status"]>(["active", "pending-payment", "suspended"]);

/** Whether someone else put the person in the course, or it carries an obligation or deadline. */
export function isAssigned(e: EnrollmentView): boolean {
  return e.assignedBy !== null || e.dueAt !== null || e.isMandatory || e.isCompliance;
}

export function isOverdue(e: EnrollmentView, now: Date): boolean {
  return e.dueAt !== null && new Date(e.dueAt).getTime() < now.getTime();
}

const time = (iso: string | null) => (iso ? new Date(iso).getTime() : 0);

/**
 * Sorts the person's enrollments into My learning's sections. Dropped and expired enrollments
 * show in none (the transcript keeps them).
 */
export function dashboardSections(enrollments: EnrollmentView[], now: Date): DashboardSections {
  const open = enrollments.filter((e) => OPEN.has(e.status));
  const assigned = open
    .filter(isAssigned)
    .sort(
      (a, b) =>
        Number(isOverdue(b, now)) - Number(isOverdue(a, now)) ||
        Number(b.isCompliance) - Number(a.isCompliance) ||
        (time(a.dueAt) || Number.MAX_SAFE_INTEGER) - (time(b.dueAt) || Number.MAX_SAFE_INTEGER),
    );
  const inProgress = open
    .filter((e) => !isAssigned(e))
    .sort(
      (a, b) =>
        (time(b.lastAccessedAt) || time(b.enrolledAt)) -
        (time(a.lastAccessedAt) || time(a.enrolledAt)),
    );
  const completed = enrollments
    .filter((e) => e.status === "completed")
    .sort((a, b) => time(b.completedAt) - time(a.completedAt));
  return { assigned, inProgress, completed };
}
