import { describe, expect, it } from "vitest";
import { auditChanges } from "./diff";

describe("an audit entry's changes", () => {
  it("puts before and after side by side, field by field", () => {
    expect(
      auditChanges(
        { name: "Ops", code: "OPS", parent_id: null },
        { name: "Operations", code: "OPS", head_user_id: "u1" },
      ),
    ).toEqual([
      { field: "name", before: "Ops", after: "Operations", changed: true },
      { field: "code", before: "OPS", after: "OPS", changed: false },
      { field: "parent_id", before: null, after: null, changed: false },
      { field: "head_user_id", before: null, after: "u1", changed: true },
    ]);
  });

  it("shows a creation (no before) and a deletion (no after)", () => {
    expect(auditChanges(null, { status: "active" })).toEqual([
      { field: "status", before: null, after: "active", changed: true },
    ]);
    expect(auditChanges({ status: "active" }, null)).toEqual([
      { field: "status", before: "active", after: null, changed: true },
    ]);
    expect(auditChanges(null, null)).toEqual([]);
  });

  it("writes nested values and lists as JSON, and plain values as one field", () => {
    expect(auditChanges({ scopes: ["a"] }, { scopes: ["a", "b"] })).toEqual([
      { field: "scopes", before: '["a"]', after: '["a","b"]', changed: true },
    ]);
    expect(auditChanges("draft", "published")).toEqual([
      { field: "value", before: "draft", after: "published", changed: true },
    ]);
    expect(auditChanges({ n: 1 }, { n: 1 })[0]?.changed).toBe(false);
  });
});
