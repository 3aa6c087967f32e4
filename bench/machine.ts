import os from "node:os";

/** The machine a benchmark ran on, as results record it, and its one-line description. */
export function machine(engine: string) {
  const info = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    engine,
    date: new Date().toISOString(),
  };
  return {
    ...info,
    describe: () =>
      `${info.cpus} × ${info.cpuModel}, ${info.memoryGiB} GiB, Node ${info.node}, engine ${engine}`,
  };
}
