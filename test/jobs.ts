import type { TestApp } from "./harness.js";

/**
 * Works the queue until no job of these names is left to do: polls the worker, waits for what
 * it took, and looks again. With `dueOnly`, jobs queued for later (a retry's backoff) do not
 * count. Throws when the jobs have not finished after `rounds` polls.
 */
export async function drainJobs(
  t: TestApp,
  names: string[],
  options: { dueOnly?: boolean; rounds?: number } = {},
): Promise<void> {
  const { worker } = t.lyceum;
  for (let i = 0; i < (options.rounds ?? 30); i++) {
    await worker.poll();
    while (worker.activeJobs) await new Promise((r) => setTimeout(r, 10));
    let left = t.system.db
      .selectFrom("jobs")
      .select("id")
      .where("name", "in", names)
      .where("status", "in", ["queued", "running"]);
    if (options.dueOnly) left = left.where("run_at", "<=", t.clock.now());
    if (!(await left.execute()).length) return;
  }
  throw new Error(`${names.join(", ")} did not finish`);
}
