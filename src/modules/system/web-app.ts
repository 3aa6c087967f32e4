import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { App } from "../../platform/http/server.js";
import { HOME_PAGE } from "./home.js";

/** The web app's folder (web/) and its build (web/dist/), beside src/. */
export const WEB_ROOT = fileURLToPath(new URL("../../../web/", import.meta.url));
export const WEB_DIST = path.join(WEB_ROOT, "dist");

/** The built web app, when there is one: its folder and the page every app path answers. */
export interface WebBuild {
  dist: string;
  indexHtml: string;
}

/** Reads the build in `dist`, or null when it has not been built (tests, a bare checkout). */
export function loadWebBuild(dist: string = WEB_DIST): WebBuild | null {
  const index = path.join(dist, "index.html");
  if (!existsSync(index)) return null;
  return { dist, indexHtml: readFileSync(index, "utf8") };
}

/**
 * Answers a GET outside /api that no route and no file matched with the app's page, so the
 * browser's router shows the path (history fallback). Without a build there is no app and
 * the path is simply unknown.
 */
export function webFallback(build: WebBuild | null) {
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (!build) return false;
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const pathname = request.url.split("?")[0] ?? "/";
    if (pathname === "/api" || pathname.startsWith("/api/")) return false;
    void reply
      .code(200)
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(build.indexHtml);
    return true;
  };
}

/**
 * `/` and the web app's files. Hashed assets (web/dist/assets) are cached for a year; the
 * page itself is revalidated on every visit so a new build shows at once. Assets go out as
 * the build's Brotli or gzip copy when the browser accepts one. Without a build,
 * `/` is a short page pointing at the API documentation.
 */
export function webAppRoutes(build: WebBuild | null) {
  return async (app: App): Promise<void> => {
    if (!build) {
      app.get("/", { schema: { hide: true } }, async (_request, reply) =>
        reply.type("text/html; charset=utf-8").send(HOME_PAGE),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root: build.dist,
      prefix: "/",
      wildcard: false,
      index: false,
      serveDotFiles: false,
      // The build writes .br and .gz copies of its text assets (web/vite.config.ts).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        const immutable = filePath.startsWith(path.join(build.dist, "assets") + path.sep);
        res.setHeader(
          "cache-control",
          immutable ? "public, max-age=31536000, immutable" : "no-cache",
        );
        // Caches between keep the copies apart (@fastify/static does not say so itself).
        res.setHeader("vary", "accept-encoding");
      },
    });
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-cache")
        .send(build.indexHtml),
    );
  };
}
