import { buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { systemCtx } from "../platform/context.js";
import { seedDemo } from "../seed/demo.js";
import { printLogins } from "./runtime.js";
import { ensureWebBuild } from "./web-build.js";

/** Runs Lyceum until SIGINT/SIGTERM, then shuts down gracefully. */
export async function serveCommand(options: {
  services?: string[];
  seed: boolean;
  webBuild?: boolean;
}): Promise<void> {
  const config = loadConfig({
    ...process.env,
    ...(options.services ? { LYCEUM_SERVICES: options.services.join(",") } : {}),
  });
  // The web app is built from the checked-out sources on first start, and again whenever
  // they changed (a hash of them is stored with the build), before anything listens.
  if (config.services.includes("web") && options.webBuild !== false) await ensureWebBuild();
  console.log(
    `Starting Lyceum on ${config.database.url ? "PostgreSQL" : `embedded PostgreSQL (PGlite) in ${config.dataDir}`} …`,
  );
  const lyceum = await buildApp({ config });
  const { services } = lyceum;

  if (options.seed && config.seedDemo) {
    const users = await services.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(users.n) === 0) {
      const result = await seedDemo(systemCtx(services, "first-start"), {
        password: config.demoPassword,
      });
      if (result.created) {
        console.log("First start: created the demo organization Northwind Learning.");
        printLogins(result.logins, result.password as string);
      }
    }
  }

  await lyceum.start();
  const runs = config.services.join(", ");
  if (config.services.includes("web")) {
    console.log(`\n  Lyceum ${runs} running`);
    console.log(`  App:      ${config.publicUrl}`);
    console.log(`  API docs: ${config.publicUrl}/api/docs`);
    console.log(`  OpenAPI:  ${config.publicUrl}/api/v1/openapi.json\n`);
  } else {
    console.log(`Lyceum ${runs} running.`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing in-flight requests and jobs …`);
    const timer = setTimeout(() => {
      console.error("Shutdown took too long; exiting.");
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    timer.unref();
    try {
      await lyceum.stop();
      console.log("Stopped cleanly.");
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
