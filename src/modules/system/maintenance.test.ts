import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE } from "../../../test/database.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { drainJobs } from "../../../test/jobs.js";
import { enqueueJob } from "../../platform/jobs/queue.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the embedded engine's vacuum job", () => {
  it("vacuums the tables autovacuum would on PGlite, and leaves a server to its autovacuum", async () => {
    // The statistics were just handed over, so the insert's counts are still the backend's own
    // for up to a second: the job must see them all the same.
    await sql`select pg_stat_force_next_flush()`.execute(t.system.db);
    await sql`
      insert into system_logs (level, event, created_at)
      select 'info', 'test.row', now() from generate_series(1, 3000)`.execute(t.system.db);
    const job = await enqueueJob(t.system.db, "maintenance.vacuum", {}, { runAt: t.clock.now() });
    await drainJobs(t, ["maintenance.vacuum"]);
    const done = await t.system.db
      .selectFrom("jobs")
      .select(["status", "result"])
      .where("id", "=", job as string)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe("completed");
    const result = done.result as { vacuumed: string[]; analyzed: string[] };
    if (ENGINE === "pglite") {
      expect(result.vacuumed).toContain("system_logs");
      const { rows } = await sql<{ reltuples: number }>`
        select reltuples::integer as reltuples from pg_class where relname = 'system_logs'`.execute(
        t.system.db,
      );
      expect(rows[0]?.reltuples).toBeGreaterThanOrEqual(3000);
    } else {
      expect(result).toEqual({ vacuumed: [], analyzed: [] });
    }
  });
});
