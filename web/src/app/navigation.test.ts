import { describe, expect, it } from "vitest";
import { NAVIGATION, visibleEntries } from "./navigation";

describe("the shell's navigation", () => {
  it("shows entries without a permission to everyone", () => {
    const open = NAVIGATION.filter((e) => !e.permission);
    expect(open.length).toBeGreaterThan(0);
    expect(visibleEntries(new Set())).toEqual(open);
  });

  it("shows an entry with a permission only to people holding that key", () => {
    const guarded = NAVIGATION.filter((e) => e.permission);
    for (const entry of guarded) {
      expect(visibleEntries(new Set())).not.toContain(entry);
      const key = entry.scopes ? `${entry.permission}:${entry.scopes[0]}` : entry.permission;
      expect(visibleEntries(new Set([key as string]))).toContain(entry);
    }
  });

  it("matches a key held at some scope, as /users/me names them", () => {
    const reports = NAVIGATION.find((e) => e.to === "/reports");
    expect(visibleEntries(new Set(["reports:export:organization"]))).toContain(reports);
    // Every learner reads their own reports; that alone does not open the report jobs.
    expect(visibleEntries(new Set(["reports:read:own"]))).not.toContain(reports);
    // A longer key is not the same key.
    expect(visibleEntries(new Set(["reports:exports:organization"]))).not.toContain(reports);
  });

  it("shows staff entries only to people whose permission reaches beyond themselves", () => {
    const assignments = NAVIGATION.find((e) => e.to === "/assignments");
    expect(visibleEntries(new Set(["enrollments:read:own"]))).not.toContain(assignments);
    expect(visibleEntries(new Set(["enrollments:read:assigned"]))).not.toContain(assignments);
    expect(visibleEntries(new Set(["enrollments:read:team"]))).toContain(assignments);
    expect(visibleEntries(new Set(["enrollments:read:all"]))).toContain(assignments);
  });

  it("shows the authoring entry to whoever may edit some course, not to readers", () => {
    const teaching = NAVIGATION.find((e) => e.to === "/teaching");
    expect(visibleEntries(new Set(["courses:manage:own"]))).toContain(teaching);
    expect(visibleEntries(new Set(["courses:manage:organization"]))).toContain(teaching);
    expect(visibleEntries(new Set(["courses:read:organization"]))).not.toContain(teaching);
  });

  it("names every entry by a key and points at an app path", () => {
    for (const entry of NAVIGATION) {
      expect(entry.to.startsWith("/")).toBe(true);
      expect(entry.label).toMatch(/^nav\./);
    }
  });
});
