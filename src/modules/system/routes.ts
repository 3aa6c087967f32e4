import { sql } from "kysely";
import { z } from "zod";
import type { AppServices } from "../../platform/context.js";
import { envelope, ok } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import type { App } from "../../platform/http/server.js";

export interface SystemInfo {
  version: string;
  engine: "pglite" | "postgres";
  startedAt: Date;
  isReady: () => boolean;
  activeJobs: () => number;
}

/** Liveness and readiness probes for load balancers and orchestrators. */
export function systemRoutes(services: AppServices, info: SystemInfo) {
  return async (app: App) => {
    const tags = ["System"];
    app.get(
      "/api/v1/health",
      {
        config: { access: { public: true }, rateLimit: false },
        schema: {
          tags,
          summary: "Liveness: the process is up",
          response: {
            200: envelope(
              z.object({
                status: z.literal("ok"),
                version: z.string(),
                uptimeSeconds: z.number(),
                time: z.iso.datetime(),
              }),
            ),
          },
        },
      },
      async () =>
        ok({
          status: "ok" as const,
          version: info.version,
          uptimeSeconds: Math.round((Date.now() - info.startedAt.getTime()) / 1000),
          time: new Date().toISOString(),
        }),
    );

    app.get(
      "/api/v1/ready",
      {
        config: { access: { public: true }, rateLimit: false },
        schema: {
          tags,
          summary: "Readiness: the database answers and the server is not shutting down",
          response: {
            200: envelope(
              z.object({
                status: z.literal("ready"),
                database: z.object({
                  engine: z.enum(["pglite", "postgres"]),
                  latencyMs: z.number(),
                }),
                activeJobs: z.number().int(),
              }),
            ),
          },
        },
      },
      async () => {
        if (!info.isReady())
          throw new AppError("SERVICE_UNAVAILABLE", "Starting up or shutting down");
        const started = performance.now();
        try {
          await sql`select 1`.execute(services.db);
        } catch {
          throw new AppError("SERVICE_UNAVAILABLE", "The database does not answer");
        }
        return ok({
          status: "ready" as const,
          database: {
            engine: info.engine,
            latencyMs: Math.round((performance.now() - started) * 100) / 100,
          },
          activeJobs: info.activeJobs(),
        });
      },
    );
  };
}
