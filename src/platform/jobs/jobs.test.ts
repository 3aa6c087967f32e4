import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { transaction } from "../../db/connection.js";
import { claimJob, completeJob, enqueueJob, failJob, requeueExpiredLeases } from "./queue.js";
import { Worker } from "./worker.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.system.db.deleteFrom("jobs").execute();
});

describe("job queue", () => {
  it("claims the most urgent due job first, oldest first within a priority", async () => {
    const db = t.system.db;
    const now = t.clock.now();
    const low = await enqueueJob(
      db,
      "test.a",
      { n: 1 },
      { priority: 0, runAt: new Date(now.getTime() - 3000) },
    );
    const high = await enqueueJob(
      db,
      "test.a",
      { n: 2 },
      { priority: 10, runAt: new Date(now.getTime() - 1000) },
    );
    const highOlder = await enqueueJob(
      db,
      "test.a",
      { n: 3 },
      { priority: 10, runAt: new Date(now.getTime() - 2000) },
    );
    await enqueueJob(
      db,
      "test.a",
      { n: 4 },
      { priority: 99, runAt: new Date(now.getTime() + 60_000) },
    );
    const order = [];
    for (let i = 0; i < 4; i++)
      order.push((await claimJob(db, "w1", ["test.a"], 60_000, now))?.id ?? null);
    expect(order).toEqual([highOlder, high, low, null]);
  });

  it("never hands the same job to two concurrent claimers", async () => {
    const db = t.system.db;
    for (let i = 0; i < 20; i++)
      await enqueueJob(db, "test.b", { i }, { runAt: new Date(t.clock.now().getTime() - 1000) });
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        claimJob(db, `w${i}`, ["test.b"], 60_000, t.clock.now()),
      ),
    );
    const ids = claims.filter(Boolean).map((j) => j!.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    const running = await db
      .selectFrom("jobs")
      .select("status")
      .where("name", "=", "test.b")
      .execute();
    expect(running.every((r) => r.status === "running")).toBe(true);
  });

  it("returns a job whose lease expired to the queue, and ignores the vanished worker's late completion", async () => {
    const db = t.system.db;
    const id = await enqueueJob(
      db,
      "test.c",
      {},
      { runAt: new Date(t.clock.now().getTime() - 1000) },
    );
    const first = await claimJob(db, "dead-worker", ["test.c"], 30_000, t.clock.now());
    expect(first?.id).toBe(id);
    expect(await requeueExpiredLeases(db, t.clock.now())).toBe(0);
    const later = new Date(t.clock.now().getTime() + 31_000);
    expect(await requeueExpiredLeases(db, later)).toBe(1);
    const second = await claimJob(db, "live-worker", ["test.c"], 30_000, later);
    expect(second?.id).toBe(id);
    expect(second?.attempts).toBe(2);
    await completeJob(db, id as string, "dead-worker", { late: true }, later);
    const row = await db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", id as string)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("running");
    expect(row.locked_by).toBe("live-worker");
  });

  it("retries a failing job with backoff, then marks it failed after its last attempt", async () => {
    const db = t.system.db;
    const id = await enqueueJob(
      db,
      "test.d",
      {},
      { maxAttempts: 2, runAt: new Date(t.clock.now().getTime() - 1000) },
    );
    const now = t.clock.now();
    const first = await claimJob(db, "w", ["test.d"], 30_000, now);
    await failJob(db, first!, "w", new Error("boom"), now);
    let row = await db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", id as string)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("queued");
    expect(row.last_error).toContain("boom");
    expect(row.run_at.getTime()).toBeGreaterThan(now.getTime());
    expect(await claimJob(db, "w", ["test.d"], 30_000, now)).toBeUndefined();
    const later = new Date(row.run_at.getTime() + 1);
    const second = await claimJob(db, "w", ["test.d"], 30_000, later);
    await failJob(db, second!, "w", new Error("boom again"), later);
    row = await db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", id as string)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(2);
    expect(row.finished_at).not.toBeNull();
  });

  it("enqueues a deduplicated job once while it is pending", async () => {
    const db = t.system.db;
    const a = await enqueueJob(db, "test.e", {}, { dedupeKey: "tick-1" });
    const b = await enqueueJob(db, "test.e", {}, { dedupeKey: "tick-1" });
    expect(a).toBeTruthy();
    expect(b).toBeNull();
    const rows = await db
      .selectFrom("jobs")
      .select("id")
      .where("dedupe_key", "=", "tick-1")
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe("worker", () => {
  it("runs registered jobs and, on stop, finishes the running job before returning", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    t.lyceum.worker.register({
      name: "test.slow",
      payload: z.object({ value: z.number() }),
      run: async (payload) => {
        started = true;
        await gate;
        return { doubled: payload.value * 2 };
      },
    });
    const id = await enqueueJob(
      t.system.db,
      "test.slow",
      { value: 21 },
      { runAt: new Date(t.clock.now().getTime() - 1000) },
    );
    await t.lyceum.worker.poll();
    expect(started).toBe(true);
    expect(t.lyceum.worker.activeJobs).toBe(1);
    let stopped = false;
    const stopping = t.lyceum.worker.stop(10_000).then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    const row = await t.system.db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", id as string)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("completed");
    expect(row.result).toEqual({ doubled: 42 });
  });

  it("polls in its own context: woken from inside a transaction, it logs no error and runs its jobs", async () => {
    const lines: { level: number; msg: string }[] = [];
    const log = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );
    const worker = new Worker(t.system.db, t.clock, log, { pollMs: 20, concurrency: 2 });
    worker.register({
      name: "test.queries",
      payload: z.object({ n: z.number() }),
      run: async (payload) => {
        let sum = 0;
        for (let i = 0; i < 5; i++) {
          const row = await t.system.db
            .selectFrom("jobs")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow();
          sum += Number(row.n) >= 0 ? payload.n : 0;
          await new Promise((r) => setTimeout(r, 5));
        }
        return { sum };
      },
    });
    const due = new Date(t.clock.now().getTime() - 1000);
    const ids = await Promise.all(
      [1, 2, 3].map((n) => enqueueJob(t.system.db, "test.queries", { n }, { runAt: due })),
    );
    worker.start();
    try {
      // New work announced while a transaction holds the (embedded) connection, as a mail
      // enqueued inside a transaction does.
      await transaction(t.system.db, async (trx) => {
        worker.nudge();
        await new Promise((r) => setTimeout(r, 30));
        await trx.selectFrom("jobs").select("id").execute();
      });
      for (let i = 0; i < 200; i++) {
        const open = await t.system.db
          .selectFrom("jobs")
          .select("id")
          .where("id", "in", ids as string[])
          .where("status", "!=", "completed")
          .execute();
        if (open.length === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await worker.stop(5000);
    }
    const rows = await t.system.db
      .selectFrom("jobs")
      .select(["status", "result"])
      .where("id", "in", ids as string[])
      .orderBy("result")
      .execute();
    expect(rows.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
    expect(
      rows.map((r) => r.result).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([{ sum: 10 }, { sum: 15 }, { sum: 5 }]);
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([]);
  });
});
