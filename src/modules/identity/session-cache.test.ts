import { describe, expect, it } from "vitest";
import { SessionCache } from "./session-cache.js";

const now = new Date("2026-12-01T12:00:00Z");
const open = { expiresAt: new Date("2026-12-08T12:00:00Z"), lastAccessedAt: now };

describe("the session cache's bounds", () => {
  it("keeps at most 20 sessions of one person, forgetting the oldest first", () => {
    const cache = new SessionCache();
    for (let n = 1; n <= 21; n++) cache.storeSession(cache.generation, "u1", `s${n}`, open);
    expect(cache.session("u1", "s1", now)).toBeUndefined();
    expect(cache.session("u1", "s2", now)).toMatchObject({ expiresAt: open.expiresAt.getTime() });
    expect(cache.session("u1", "s21", now)).toBeDefined();
  });

  it("forgets the person stored first once it holds as many people as it may", () => {
    const cache = new SessionCache(2);
    for (const user of ["a", "b", "c"]) cache.storeSession(cache.generation, user, "s", open);
    expect(cache.session("a", "s", now)).toBeUndefined();
    expect(cache.session("c", "s", now)).toBeDefined();
  });

  it("does not keep a read that a change overtook", () => {
    const cache = new SessionCache();
    const before = cache.generation;
    cache.drop("u:u1");
    cache.storeSession(before, "u1", "s1", open);
    expect(cache.session("u1", "s1", now)).toBeUndefined();
  });
});
