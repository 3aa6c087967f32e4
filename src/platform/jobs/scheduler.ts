import { Cron } from "croner";
import type { Logger } from "pino";
import type { Db } from "../../db/connection.js";
import { enqueueJob } from "./queue.js";

/** A recurring task: a cron pattern that enqueues a job. */
export interface ScheduledTask {
  name: string;
  /** Cron pattern, seconds optional (croner syntax), in `timezone`. */
  pattern: string;
  timezone?: string;
  job: string;
  payload?: Record<string, unknown>;
}

/**
 * Turns cron ticks into queued jobs. The dedupe key is the task and its tick, so running
 * several schedulers (one per process) still enqueues each tick once.
 */
export class Scheduler {
  private readonly crons: Cron[] = [];

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly tasks: ScheduledTask[],
  ) {}

  start(): void {
    for (const task of this.tasks) {
      const cron = new Cron(
        task.pattern,
        { timezone: task.timezone ?? "UTC", protect: true },
        async () => {
          const tick = cron.currentRun()?.toISOString() ?? new Date().toISOString();
          try {
            await enqueueJob(this.db, task.job, task.payload ?? {}, {
              dedupeKey: `schedule:${task.name}:${tick}`,
            });
          } catch (error) {
            this.log.error({ err: error, task: task.name }, "scheduled task could not be enqueued");
          }
        },
      );
      this.crons.push(cron);
    }
  }

  stop(): void {
    for (const cron of this.crons) cron.stop();
    this.crons.length = 0;
  }
}
