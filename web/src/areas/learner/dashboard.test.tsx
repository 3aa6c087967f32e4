import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { EnrollmentView } from "../../api/learner";
import { enrollmentView } from "../../test/enrollments";
import { renderPage } from "../../test/render";
import { dashboardSections } from "./dashboard";
import { EnrollmentCard } from "./EnrollmentCard";

const NOW = new Date("2026-12-04T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

const enrollment = (overrides: Partial<EnrollmentView> = {}) =>
  enrollmentView({ enrolledAt: at(-30), ...overrides });

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
