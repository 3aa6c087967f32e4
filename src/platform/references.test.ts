import { describe, expect, it } from "vitest";
import type { Actor } from "./auth/actor.js";
import type { ActorAccess } from "./policy/engine.js";
import { actorScope } from "./references.js";

const ORG = "0190b0c0-0000-7000-8000-000000000001";
const USER = "0190b0c0-0000-7000-8000-0000000000aa";
const person = { kind: "user", userId: USER } as Actor;

/** Someone who records events in one organization and reads the mail outbox everywhere. */
const staff: ActorAccess = {
  userId: USER,
  grants: [
    { resource: "learning-events", action: "create", scope: "organization", organizationId: ORG },
    { resource: "mail-outbox", action: "read", scope: "all", organizationId: null },
  ],
  departments: {},
  ledTeams: {},
};

describe("the reference scope of a caller outside one organization", () => {
  it("reaches every organization only with the route's own permission held platform-wide", () => {
    expect(actorScope(person, staff, { permission: "learning-events:create" })).toEqual({
      all: false,
      organizations: [ORG],
      anyUser: false,
      userId: USER,
    });
    expect(actorScope(person, staff, { permission: "mail-outbox:read" }).all).toBe(true);
  });

  it("on routes without a permission, any platform-wide grant reaches everywhere", () => {
    expect(actorScope(person, staff).all).toBe(true);
    const member = { ...staff, grants: staff.grants.slice(0, 1) };
    expect(actorScope(person, member)).toMatchObject({ all: false, organizations: [ORG] });
  });
});
