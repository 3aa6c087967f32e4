/** Helpers for the benchmarks that start Lyceum (or a baseline) in a child process. */

import { createServer } from "node:net";

/** A loopback port nothing listens on (free when this resolves; the caller binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` every `intervalMs` until it answers with a 2xx status, for up to `timeoutMs`. */
export async function waitFor(url: string, timeoutMs: number, intervalMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} did not become ready`);
}
