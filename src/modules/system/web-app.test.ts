import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { loadWebBuild } from "./web-app.js";

const BIG = `export const words = ${JSON.stringify("lyceum ".repeat(500))};\n`;
const INDEX = `<!doctype html><html><head><script type="module" src="/assets/app-1.js"></script></head><body><div id="root"></div></body></html>`;

describe("the web app at /", () => {
  let dist: string;
  let t: TestApp;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), "lyceum-web-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), INDEX);
    writeFileSync(path.join(dist, "assets", "app-1.js"), "console.log(1);");
    writeFileSync(path.join(dist, "robots.txt"), "User-agent: *\n");
    writeFileSync(path.join(dist, "assets", "big-2.js"), BIG);
    writeFileSync(path.join(dist, "assets", "big-2.js.br"), brotliCompressSync(BIG));
    writeFileSync(path.join(dist, "assets", "big-2.js.gz"), gzipSync(BIG));
    t = await createTestApp({ web: loadWebBuild(dist) });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it("serves the app's page at / with the security headers, revalidated on every visit", async () => {
    const res = await t.http.get("/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toBe(INDEX);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers every other app path with the same page (history fallback)", async () => {
    for (const url of ["/sign-in", "/verify-email?token=abc", "/a/b/c", "/assets/missing.js"]) {
      const res = await t.http.get(url);
      expect(res.status, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
    }
  });

  it("serves built files, hashed assets cached for a year", async () => {
    const asset = await t.http.get("/assets/app-1.js");
    expect(asset.status).toBe(200);
    expect(asset.headers["content-type"]).toContain("javascript");
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const robots = await t.http.get("/robots.txt");
    expect(robots.body).toBe("User-agent: *\n");
    expect(robots.headers["cache-control"]).toBe("no-cache");
  });

  it("sends the build's compressed copy the browser accepts, else the file itself", async () => {
    const br = await t.lyceum.app.inject({
      url: "/assets/big-2.js",
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toContain("accept-encoding");
    expect(br.headers["content-type"]).toContain("javascript");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(BIG);
    const gz = await t.lyceum.app.inject({
      url: "/assets/big-2.js",
      headers: { "accept-encoding": "gzip" },
    });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.rawPayload.length).toBeLessThan(BIG.length / 5);
    const plain = await t.lyceum.app.inject({ url: "/assets/big-2.js" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(BIG);
    // A file without copies goes out as it is, whatever the browser accepts.
    const small = await t.lyceum.app.inject({
      url: "/assets/app-1.js",
      headers: { "accept-encoding": "br" },
    });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.body).toBe("console.log(1);");
  });

  it("keeps the JSON envelope for unknown API paths and for other methods", async () => {
    for (const url of ["/api/v1/nope", "/api/nope", "/api"]) {
      const res = await t.http.get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.error.code, url).toBe("ROUTE_NOT_FOUND");
    }
    const post = await t.http.post("/sign-in", {});
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe("ROUTE_NOT_FOUND");
  });
});

describe("the web app and the API's rate limit", () => {
  let dist: string;
  let t: TestApp;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), "lyceum-web-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), INDEX);
    writeFileSync(path.join(dist, "assets", "app-1.js"), "console.log(1);");
    t = await createTestApp({ web: loadWebBuild(dist), env: { RATE_LIMIT_PER_MINUTE: "5" } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it("never counts the app's page and files, while the API stays limited per address", async () => {
    // Many page loads from one address (an office behind one router): never refused.
    for (let i = 0; i < 20; i++) {
      for (const url of ["/", "/catalog", "/assets/app-1.js"]) {
        expect((await t.http.get(url)).status, `${url} #${i}`).toBe(200);
      }
    }
    const answers: number[] = [];
    for (let i = 0; i < 7; i++) answers.push((await t.http.get("/api/v1/courses")).status);
    expect(answers.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.slice(5)).toEqual([429, 429]);
    const refused = await t.http.get("/api/v1/courses");
    expect(refused.body.error.code).toBe("RATE_LIMITED");
  });
});

describe("/ without a built web app", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ web: null });
  });
  afterAll(() => t.close());

  it("answers a page pointing at the API documentation", async () => {
    const res = await t.http.get("/");
    expect(res.status).toBe(200);
    expect(res.body).toContain('href="/api/docs"');
  });

  it("answers other paths with the JSON 404", async () => {
    const res = await t.http.get("/sign-in");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("ROUTE_NOT_FOUND");
  });
});
