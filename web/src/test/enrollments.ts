import type { EnrollmentView } from "../api/learner";

let seq = 0;

/** An enrollment as lists show it (EnrollmentView), with a fresh id; `overrides` set the rest. */
export function enrollmentView(overrides: Partial<EnrollmentView> = {}): EnrollmentView {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    userId: "u",
    courseId: `c${seq}`,
    cohortId: null,
    organizationId: null,
    status: "active",
    source: "self",
    assignedBy: null,
    dueAt: null,
    isMandatory: false,
    isCompliance: false,
    enrolledAt: "2026-11-01T12:00:00.000Z",
    startedAt: null,
    completedAt: null,
    droppedAt: null,
    accessExpiresAt: null,
    officeHoursUntil: null,
    chatbotAccessUntil: null,
    progressPercent: 0,
    lessonsCompleted: 0,
    lessonsTotal: 4,
    timeSpentSeconds: 0,
    lastAccessedAt: null,
    paymentStatus: "not-required",
    paymentId: null,
    learner: { name: "Lin Learner", email: "lin@example.org" },
    restricted: false,
    activityHidden: false,
    course: { title: `Course ${seq}`, code: `C-${seq}`, slug: `course-${seq}` },
    cohortName: null,
    ...overrides,
  };
}
