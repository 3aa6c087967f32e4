import { AsyncResource } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Db } from "../../db/connection.js";
import type { Clock } from "../clock.js";
import {
  claimJob,
  completeJob,
  extendLease,
  failJob,
  type JobRow,
  requeueExpiredLeases,
} from "./queue.js";

/** A kind of job: its name, the shape of its payload and what runs it. */
export interface JobDefinition<P = Record<string, unknown>> {
  name: string;
  payload: z.ZodType<P>;
  run: (payload: P, job: JobRow) => Promise<unknown>;
}

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  /** Work besides the job table that runs on every poll (mail delivery). */
  onPoll?: () => Promise<void>;
}

/**
 * Polls the jobs table, runs claimed jobs with a heartbeat on their lease, and on stop
 * finishes what it is running before returning.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private readonly running = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private started = false;
  private stopping = false;
  private polling = false;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  /**
   * A poll always runs in the async context the worker was created in. A timer inherits the
   * context it was set in, and a nudge can come from inside a request or a transaction (a mail
   * enqueued there): on the embedded engine the poll would then count as a query of that
   * transaction and be refused, and every job it started would share that mark.
   */
  private readonly tick = AsyncResource.bind(() => void this.poll());

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 2;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  register<P>(definition: JobDefinition<P>): void {
    this.definitions.set(definition.name, definition as unknown as JobDefinition<never>);
  }

  start(): void {
    this.started = true;
    this.stopping = false;
    this.schedule(0);
  }

  /** Asks a running worker for an immediate poll (new work arrived in this process). */
  nudge(): void {
    if (this.started && !this.stopping) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, delay);
    this.timer.unref?.();
  }

  /** One round: reap expired leases, run side work, claim jobs up to the concurrency. */
  async poll(): Promise<void> {
    if (this.polling || this.stopping) return;
    this.polling = true;
    try {
      await requeueExpiredLeases(this.db, this.clock.now());
      await this.options.onPoll?.();
      while (!this.stopping && this.running.size < this.concurrency) {
        const job = await claimJob(
          this.db,
          this.id,
          [...this.definitions.keys()],
          this.leaseMs,
          this.clock.now(),
        );
        if (!job) break;
        const task = this.execute(job).finally(() => {
          this.running.delete(task);
          if (this.started) this.schedule(0);
        });
        this.running.add(task);
      }
    } catch (error) {
      this.log.error({ err: error }, "worker poll failed");
    } finally {
      this.polling = false;
      if (this.started) this.schedule(this.pollMs);
    }
  }

  private async execute(job: JobRow): Promise<void> {
    const definition = this.definitions.get(job.name);
    const heartbeat = setInterval(
      () =>
        void extendLease(this.db, job.id, this.id, this.leaseMs, this.clock.now()).catch((err) =>
          this.log.warn({ err, jobId: job.id }, "lease heartbeat failed"),
        ),
      Math.max(1000, this.leaseMs / 3),
    );
    heartbeat.unref?.();
    const started = Date.now();
    try {
      if (!definition) throw new Error(`no handler for job ${job.name}`);
      const payload = definition.payload.parse(job.payload) as never;
      const result = await definition.run(payload, job);
      await completeJob(this.db, job.id, this.id, result, this.clock.now());
      this.log.info({ jobId: job.id, job: job.name, ms: Date.now() - started }, "job completed");
    } catch (error) {
      this.log.warn({ err: error, jobId: job.id, job: job.name }, "job failed");
      await failJob(this.db, job, this.id, error, this.clock.now()).catch((err) =>
        this.log.error({ err, jobId: job.id }, "could not record job failure"),
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  get activeJobs(): number {
    return this.running.size;
  }

  /** Stops claiming and waits (up to `timeoutMs`) for running jobs to finish. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    const all = Promise.allSettled([...this.running]);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise((resolve) => {
        timeout = setTimeout(resolve, timeoutMs);
      }),
    ]);
    if (timeout) clearTimeout(timeout);
    while (this.polling) await new Promise((r) => setTimeout(r, 10));
  }
}
