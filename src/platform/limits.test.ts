import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../test/harness.js";
import { cleanup } from "../modules/system/maintenance.js";
import { HOUR, MINUTE } from "./clock.js";
import { sha256 } from "./crypto.js";
import {
  clientAddress,
  consumeLimit,
  type Limit,
  mailbox,
  peekLimit,
  recordLimit,
  slidingState,
} from "./limits.js";

describe("the sliding-window estimate", () => {
  const limit = { max: 5, windowMs: HOUR };

  it("allows while the weighted count leaves room for one more", () => {
    expect(slidingState(limit, 0, 4, 0)).toEqual({ allowed: true, count: 4, retryAfterMs: 0 });
    // Half of the previous window still overlaps: 4 × 0.5 + 2 = 4.
    expect(slidingState(limit, 4, 2, 30 * MINUTE)).toMatchObject({ allowed: true, count: 4 });
  });

  it("refuses at the limit and says when the next event fits", () => {
    // Full in this window: wait for the next one, and then until 1 of 5 has slid out (12 min).
    expect(slidingState(limit, 0, 5, 10 * MINUTE)).toEqual({
      allowed: false,
      count: 5,
      retryAfterMs: 50 * MINUTE + 12 * MINUTE,
    });
    // 5 last window, 2 in this one, 15 minutes in: 5 × 0.75 + 2 = 5.75. Room for one more
    // once 5 × (1 − t/60) ≤ 2, at t = 36 minutes: 21 minutes from now.
    const state = slidingState(limit, 5, 2, 15 * MINUTE);
    expect(state.allowed).toBe(false);
    expect(state.retryAfterMs).toBe(21 * MINUTE);
    expect(slidingState(limit, 5, 2, 36 * MINUTE).allowed).toBe(true);
  });

  it("never lets a window boundary double the limit", () => {
    // Five at the very end of one window still count fully at the start of the next.
    expect(slidingState(limit, 5, 0, 1).allowed).toBe(false);
  });
});

describe("addresses and mailboxes", () => {
  it("counts an IPv6 client by its /64 and a mapped IPv4 address as IPv4", () => {
    expect(clientAddress("2001:db8:1:2:aaaa::1")).toBe(clientAddress("2001:db8:1:2:bbbb::9"));
    expect(clientAddress("2001:db8:1:2::1")).not.toBe(clientAddress("2001:db8:1:3::1"));
    expect(clientAddress("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1")).not.toBe(clientAddress("10.0.0.2"));
  });

  it("counts sub-addresses and letter case as one mailbox", () => {
    expect(mailbox("Ann+promo@Example.org")).toBe("ann@example.org");
    expect(mailbox(" ann@example.org ")).toBe("ann@example.org");
    expect(mailbox("+x@example.org")).toBe("+x@example.org");
  });
});

describe("counters in the database", () => {
  let t: TestApp;
  const limit: Limit = { kind: "test-limit", max: 3, windowMs: HOUR };
  beforeAll(async () => {
    t = await createTestApp({ clockStart: "2026-03-02T09:00:00Z" });
  });
  afterAll(() => t.close());

  it("consumes up to the limit, refuses after, and frees room as the window slides", async () => {
    const ctx = t.system;
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await consumeLimit(ctx, limit, "a")).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect((await consumeLimit(ctx, limit, "b")).allowed).toBe(true);
    // A refusal is not counted.
    const row = await ctx.db
      .selectFrom("rate_limit_counters")
      .selectAll()
      .where("kind", "=", "test-limit")
      .where("subject", "=", sha256("a"))
      .executeTakeFirstOrThrow();
    expect(row.count).toBe(3);
    expect(row.expires_at.toISOString()).toBe("2026-03-02T11:00:00.000Z");
    t.clock.advance(HOUR);
    expect((await peekLimit(ctx, limit, "a")).allowed).toBe(false);
    t.clock.advance(20 * MINUTE + 1);
    expect((await consumeLimit(ctx, limit, "a")).allowed).toBe(true);
    expect((await consumeLimit(ctx, limit, "a")).allowed).toBe(false);
    t.clock.advance(2 * HOUR);
    expect((await peekLimit(ctx, limit, "a")).allowed).toBe(true);
  });

  it("records failures past the limit and keys subjects by hash only", async () => {
    const ctx = t.system;
    const subject = "ip:192.0.2.7";
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await recordLimit(ctx, limit, subject));
    expect(states.map((s) => s.allowed)).toEqual([true, true, false, false]);
    expect(states[3]?.count).toBe(4);
    const rows = await ctx.db
      .selectFrom("rate_limit_counters")
      .select("subject")
      .where("kind", "=", "test-limit")
      .execute();
    expect(rows.map((r) => r.subject)).toContain(sha256(subject));
    expect(JSON.stringify(rows)).not.toContain("192.0.2.7");
  });

  it("never lets concurrent callers overshoot", async () => {
    const ctx = t.system;
    const wide: Limit = { kind: "test-race", max: 5, windowMs: HOUR };
    const results = await Promise.all(
      Array.from({ length: 12 }, () => consumeLimit(ctx, wide, "race")),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    const row = await ctx.db
      .selectFrom("rate_limit_counters")
      .select("count")
      .where("kind", "=", "test-race")
      .executeTakeFirstOrThrow();
    expect(row.count).toBe(5);
  });

  it("are shared by every process on the database and outlive a restart", async () => {
    const shared: Limit = { kind: "test-shared", max: 2, windowMs: HOUR };
    await consumeLimit(t.system, shared, "s");
    const other = await t.sibling();
    const ctx = { db: other.services.db, clock: other.services.clock };
    expect((await consumeLimit(ctx, shared, "s")).allowed).toBe(true);
    expect((await consumeLimit(t.system, shared, "s")).allowed).toBe(false);
  });

  it("are deleted by the hourly cleanup once their window can no longer count", async () => {
    const ctx = t.system;
    await consumeLimit(ctx, limit, "old");
    t.clock.advance(2 * HOUR + 1);
    const result = await cleanup(t.lyceum.services);
    expect(result.limitWindowsDeleted).toBeGreaterThan(0);
    const left = await ctx.db
      .selectFrom("rate_limit_counters")
      .select("subject")
      .where("expires_at", "<", ctx.clock.now())
      .execute();
    expect(left).toEqual([]);
  });
});
