import { describe, expect, it } from "vitest";
import type { Course } from "../../api/authoring";
import { patchOf, valuesOf } from "./CourseSettingsForm";
import { emptyContent } from "./LessonContentFields";
import { codeFromTitle } from "./NewCourseDialog";
import { problemLink } from "./PublicationPanel";

const course = {
  id: "c1",
  title: "Forklift Safety",
  subtitle: null,
  description: "Drive safely.",
  category: null,
  level: "beginner",
  language: "en",
  price: { amount: 4900, currency: "EUR" },
  enrollmentType: "open",
  capacity: null,
  delivery: "self-paced",
  prerequisiteCourseIds: [],
  tags: ["machinery"],
  learningOutcomes: ["Drive", "Park"],
  requirements: [],
  targetAudience: null,
  completionCertificate: true,
  allowDiscussion: false,
} as unknown as Course;

describe("course authoring helpers", () => {
  it("suggests a course code from the title", () => {
    expect(codeFromTitle("Forklift safety")).toBe("FORKLIFT-SAFETY");
    expect(codeFromTitle("  Über Öl & Gas: 101 ")).toBe("UBER-OL-GAS-101");
    expect(codeFromTitle("")).toBe("");
  });

  it("sends only the settings that changed, in the API's units", () => {
    const before = valuesOf(course);
    expect(patchOf(before, before)).toEqual({});
    const after = {
      ...before,
      price: 12.5,
      category: " Safety ",
      learningOutcomes: "Drive\n\n Park \nLoad",
      capacity: "" as const,
    };
    expect(patchOf(before, after)).toEqual({
      priceAmount: 1250,
      category: "Safety",
      learningOutcomes: ["Drive", "Park", "Load"],
    });
    expect(patchOf(before, { ...before, capacity: 30, subtitle: "  " })).toEqual({ capacity: 30 });
  });

  it("leads each publication problem to where it is fixed", () => {
    const base = { code: "MODULE_EMPTY" as const, message: "m" };
    expect(problemLink("c1", { ...base, code: "CATEGORY_MISSING", field: "category" })).toBe(
      "/teaching/courses/c1?tab=settings&field=category",
    );
    expect(problemLink("c1", { ...base, moduleId: "m1" })).toBe(
      "/teaching/courses/c1?tab=content&module=m1",
    );
    expect(problemLink("c1", base)).toBe("/teaching/courses/c1?tab=content");
  });

  it("starts each lesson type with the content its form needs", () => {
    expect(emptyContent("text")).toEqual({ html: "" });
    expect(emptyContent("video")).toEqual({ url: "", provider: "upload" });
    expect(emptyContent("live-session")).toMatchObject({ durationMinutes: 60 });
  });
});
