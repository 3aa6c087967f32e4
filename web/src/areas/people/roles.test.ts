import { describe, expect, it } from "vitest";
import { KEY_PATTERN, keyFromName } from "../../ui/keys";
import { permissionDiff } from "./roles";

describe("role keys", () => {
  it("suggests a key from a name the API accepts", () => {
    expect(keyFromName("Safety lead")).toBe("safety-lead");
    expect(keyFromName("  Prüfer & Auditor (extern) ")).toBe("prufer-auditor-extern");
    expect(keyFromName("---")).toBe("");
    expect(keyFromName("a".repeat(80))).toHaveLength(60);
    for (const name of ["Safety lead", "Prüfer & Auditor", "HR 2"])
      expect(KEY_PATTERN.test(keyFromName(name))).toBe(true);
  });

  it("refuses keys the API refuses", () => {
    for (const key of ["Safety", "safety lead", "safety--lead", "-safety", "safety-"])
      expect(KEY_PATTERN.test(key)).toBe(false);
  });
});

describe("a role's permission changes", () => {
  it("lists what was added and removed, sorted", () => {
    const before = ["users:read:own", "enrollments:read:team", "teams:read:team"];
    const after = new Set(["users:read:own", "teams:read:team", "reports:read:team", "a:b:own"]);
    expect(permissionDiff(before, after)).toEqual({
      added: ["a:b:own", "reports:read:team"],
      removed: ["enrollments:read:team"],
    });
    expect(permissionDiff(before, new Set(before))).toEqual({ added: [], removed: [] });
  });
});
