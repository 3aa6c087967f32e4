import { describe, expect, it } from "vitest";
import {
  type ActorAccess,
  authorize,
  can,
  type Grant,
  holds,
  permissionKeys,
  widestScope,
} from "./engine.js";

const ORG = "org-1";
const OTHER = "org-2";

function access(
  grants: Array<Partial<Grant> & Pick<Grant, "resource" | "action" | "scope">>,
  extra: Partial<ActorAccess> = {},
): ActorAccess {
  return {
    userId: "me",
    grants: grants.map((g) => ({ organizationId: ORG, ...g })),
    departments: { [ORG]: ["dept-a"] },
    ledTeams: { [ORG]: ["team-a"] },
    ...extra,
  };
}

describe("policy engine", () => {
  it("lets an organization-scoped grant reach everything in its organization and nothing outside", () => {
    const a = access([{ resource: "members", action: "read", scope: "organization" }]);
    expect(can(a, "members:read", { organizationId: ORG, departmentId: "dept-z" })).toBe(true);
    expect(can(a, "members:read", { organizationId: OTHER })).toBe(false);
    expect(can(a, "members:manage", { organizationId: ORG })).toBe(false);
  });

  it("limits department and team scopes to the actor's departments and led teams", () => {
    const dept = access([{ resource: "members", action: "read", scope: "department" }]);
    expect(can(dept, "members:read", { organizationId: ORG, departmentId: "dept-a" })).toBe(true);
    expect(can(dept, "members:read", { organizationId: ORG, departmentId: "dept-b" })).toBe(false);
    expect(can(dept, "members:read", { organizationId: ORG })).toBe(false);
    const team = access([{ resource: "members", action: "read", scope: "team" }]);
    expect(can(team, "members:read", { organizationId: ORG, teamIds: ["team-x", "team-a"] })).toBe(
      true,
    );
    expect(can(team, "members:read", { organizationId: ORG, teamIds: ["team-x"] })).toBe(false);
  });

  it("limits a role assigned for one department to that department even at organization scope", () => {
    const a = access([
      { resource: "members", action: "read", scope: "organization", departmentId: "dept-b" },
    ]);
    expect(can(a, "members:read", { organizationId: ORG, departmentId: "dept-b" })).toBe(true);
    expect(can(a, "members:read", { organizationId: ORG, departmentId: "dept-a" })).toBe(false);
  });

  it("answers own and assigned scopes by ownership and assignment", () => {
    const a = access([
      { resource: "users", action: "read", scope: "own", organizationId: null },
      { resource: "progress", action: "read", scope: "assigned" },
    ]);
    expect(can(a, "users:read", { organizationId: null, ownerId: "me" })).toBe(true);
    expect(can(a, "users:read", { organizationId: ORG, ownerId: "me" })).toBe(true);
    expect(can(a, "users:read", { organizationId: null, ownerId: "you" })).toBe(false);
    expect(can(a, "progress:read", { organizationId: ORG, assigneeIds: ["me"] })).toBe(true);
    expect(can(a, "progress:read", { organizationId: ORG, assigneeIds: ["you"] })).toBe(false);
  });

  it("never lets a platform-level grant below `all` reach into organizations", () => {
    const a = access([
      { resource: "members", action: "read", scope: "organization", organizationId: null },
    ]);
    expect(can(a, "members:read", { organizationId: ORG })).toBe(false);
  });

  it("lets `all` reach every organization", () => {
    const a = access([
      { resource: "audit-logs", action: "read", scope: "all", organizationId: null },
    ]);
    expect(can(a, "audit-logs:read", { organizationId: OTHER })).toBe(true);
    expect(widestScope(a, "audit-logs:read", OTHER)).toBe("all");
  });

  it("reports the widest scope held in an organization", () => {
    const a = access([
      { resource: "members", action: "read", scope: "team" },
      { resource: "members", action: "read", scope: "department" },
      { resource: "members", action: "read", scope: "organization", organizationId: OTHER },
    ]);
    expect(widestScope(a, "members:read", ORG)).toBe("department");
    expect(widestScope(a, "members:read", OTHER)).toBe("organization");
    expect(widestScope(a, "members:manage", ORG)).toBeNull();
    expect(holds(a, "members:read", ORG)).toBe(true);
    expect(permissionKeys(a, ORG)).toEqual(["members:read:department", "members:read:team"]);
  });

  it("throws FORBIDDEN naming the missing ability", () => {
    const a = access([]);
    expect(() => authorize(a, "roles:manage", { organizationId: ORG })).toThrow(/roles manage/);
  });
});
