/**
 * Where the CPU went during a benchmark run: the server process, the load generator (this
 * process) and the database server's processes, read from /proc (Linux) before and after.
 * Divided by the requests served, it shows which side a target's cost sits on.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface CpuSnapshot {
  server: number;
  generator: number;
  database: number;
}

interface Reading extends Omit<CpuSnapshot, "database"> {
  /** Per database process: backends come and go between readings. */
  database: Map<string, number>;
}

/** Clock ticks per second of /proc's figures (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function ticksOf(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function databaseTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres")
        ticks.set(entry, ticksOf(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks;
}

/** CPU seconds used so far by the server, this process and PostgreSQL's processes. */
export function cpuSnapshot(serverPid: number | undefined): Reading | null {
  if (process.platform !== "linux" || !serverPid) return null;
  return {
    server: ticksOf(serverPid) / TICKS_PER_SECOND,
    generator: ticksOf(process.pid) / TICKS_PER_SECOND,
    database: databaseTicks(),
  };
}

/** CPU microseconds per request on each side between two snapshots. */
export function cpuPerRequest(
  before: Reading | null,
  after: Reading | null,
  requests: number,
): CpuSnapshot | null {
  if (!before || !after || !requests) return null;
  let database = 0;
  // A process that ended meanwhile is left out; one that started counts from zero.
  for (const [pid, ticks] of after.database) database += ticks - (before.database.get(pid) ?? 0);
  const micros = (seconds: number) => Math.round((seconds * 1e6) / requests);
  return {
    server: micros(after.server - before.server),
    generator: micros(after.generator - before.generator),
    database: micros(database / TICKS_PER_SECOND),
  };
}
