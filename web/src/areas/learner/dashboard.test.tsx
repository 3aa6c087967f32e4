import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { EnrollmentView } from "../../api/learner";
import { renderPage } from "../../test/render";
import { dashboardSections } from "./dashboard";
import { EnrollmentCard } from "./EnrollmentCard";

const NOW = new Date("2026-12-04T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

let seq = 0;
function enrollment(overrides: Partial<EnrollmentView> = {}): EnrollmentView {
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
    enrolledAt: at(-30),
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

describe("My learning's sections", () => {
  it("puts overdue first, then compliance, then the soonest due, and each enrollment in one section", () => {
    const later = enrollment({ dueAt: at(10), assignedBy: "admin" });
    const compliance = enrollment({ dueAt: at(20), isCompliance: true });
    const overdue = enrollment({ dueAt: at(-2) });
    const overdueCompliance = enrollment({ dueAt: at(-1), isCompliance: true });
    const mandatory = enrollment({ isMandatory: true });
    const old = enrollment({ lastAccessedAt: at(-9) });
    const recent = enrollment({ lastAccessedAt: at(-1) });
    const done = enrollment({ status: "completed", completedAt: at(-3), dueAt: at(-5) });
    const dropped = enrollment({ status: "dropped" });
    const sections = dashboardSections(
      [later, compliance, overdue, overdueCompliance, mandatory, old, recent, done, dropped],
      NOW,
    );
    expect(sections.assigned.map((e) => e.id)).toEqual(
      [overdueCompliance, overdue, compliance, later, mandatory].map((e) => e.id),
    );
    expect(sections.inProgress.map((e) => e.id)).toEqual([recent, old].map((e) => e.id));
    expect(sections.completed.map((e) => e.id)).toEqual([done.id]);
  });

  it("tells how far off a due date is, relative and absolute, in the page's language", async () => {
    const overdue = enrollment({ dueAt: new Date(Date.now() - 3 * DAY).toISOString() });
    await renderPage(
      <ul>
        <EnrollmentCard enrollment={{ ...overdue, isCompliance: true }} now={new Date()} />
      </ul>,
      { language: "de", namespaces: ["learner"] },
    );
    expect(screen.getByText(/^Überfällig: war fällig vor 3 Tagen \(/)).toBeTruthy();
    expect(screen.getByText("Compliance")).toBeTruthy();
    expect(
      screen.getByRole("progressbar", { name: `Fortschritt in ${overdue.course.title}` }),
    ).toBeTruthy();
  });
});
