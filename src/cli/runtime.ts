import { createLogger, createServices, openDatabase, syncReferenceData } from "../app.js";
import { loadConfig } from "../config.js";
import type { DatabaseHandle } from "../db/connection.js";
import { migrate } from "../db/migrate.js";
import { type Ctx, systemCtx } from "../platform/context.js";

/**
 * Opens the configured database for a one-off command (migrated, catalog synced) with a
 * context that acts as the system. Mail queued here is delivered by the next worker.
 */
export async function openForCli(): Promise<{
  ctx: Ctx;
  handle: DatabaseHandle;
  close: () => Promise<void>;
}> {
  const config = loadConfig();
  const log = createLogger({ ...config, log: { level: "warn", pretty: false } });
  const handle = await openDatabase(config, 2);
  await migrate(handle);
  await syncReferenceData(handle);
  const ctx: Ctx = systemCtx(createServices(config, handle, {}, log), "cli");
  return { ctx, handle, close: () => handle.close() };
}

/** Prints a table of demo logins. */
export function printLogins(
  logins: Array<{ email: string; role: string }>,
  password: string,
): void {
  const width = Math.max(...logins.map((l) => l.email.length));
  console.log(`\n  Demo logins (password for all: ${password})`);
  console.log("  This password is shown once; set LYCEUM_DEMO_PASSWORD to choose it.\n");
  for (const login of logins) console.log(`    ${login.email.padEnd(width)}  ${login.role}`);
  console.log("");
}
