/**
 * `npm run bench:web`: what the web app costs a browser, measured in Debian's chromium on
 * loopback against `lyceum serve` (production mode, embedded PGlite, the demo organization):
 *
 * - the JavaScript each page downloads, as sent (Brotli) and as gzip would send it;
 * - the largest contentful paint (Performance API), cold cache, median of BENCH_RUNS;
 * - the API calls each page makes and how many rounds they take (calls started together form
 *   a burst; a burst that starts after a call ended is one round later: callRounds below).
 *
 * Baseline in the same run: a static page with a heading and a paragraph, served from the
 * same origin without any script (the browser's own floor for LCP).
 *
 *   npm run bench:web                        BENCH_RUNS=7 npm run bench:web
 *   BENCH_TRACE=1 npm run bench:web          each API call's round, start and end
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureWebBuild } from "../src/cli/web-build.js";
import { launchChromium } from "../web/e2e/browser.js";
import { machine } from "./machine.js";
import { freePort, waitFor } from "./processes.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PASSWORD = "Bench-Web-Password-1!";
const LEARNER = "learner@northwind.example";
/** The goal of issue 13 §4: JavaScript of a signed-in learner's first page, gzipped. */
const JS_BUDGET_GZIP = 250 * 1024;

interface Measured {
  page: string;
  path: string;
  signedIn: boolean;
  lcpMs: number[];
  scripts: number;
  jsSentBytes: number;
  jsGzipBytes: number;
  jsRawBytes: number;
  apiCalls: string[];
  apiRounds: number;
}

interface Resource {
  name: string;
  initiatorType: string;
  startTime: number;
  responseEnd: number;
  encodedBodySize: number;
  decodedBodySize: number;
}

async function signInFrom(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/api/v1/health`);
  const status = await page.evaluate(
    async ({ email, password }) =>
      (
        await fetch("/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password, mode: "cookie" }),
        })
      ).status,
    { email: LEARNER, password: PASSWORD },
  );
  if (status !== 200) throw new Error(`sign in answered ${status}`);
}

/** Opens `path` in a fresh context (cold cache), waits for the network to settle, reads timings. */
async function measureOnce(
  browser: Browser,
  base: string,
  path: string,
  signIn: boolean,
  setup?: (context: BrowserContext) => Promise<void>,
): Promise<{ lcp: number; resources: Resource[] }> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "Europe/London" });
  try {
    await setup?.(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("requestfailed", (r) => problems.push(`${r.url()} ${r.failure()?.errorText}`));
    // Signing in from a page of the origin keeps the cookies in the browser's own jar (they
    // are Secure; chromium trusts loopback). The JSON page loads no asset: the cache stays cold.
    if (signIn) await signInFrom(page, base);
    await page.goto(base + path, { waitUntil: "networkidle" });
    await page
      .locator("h1")
      .first()
      .waitFor()
      .catch(async (error: unknown) => {
        const text = await page.evaluate(() => document.body.innerText.slice(0, 400));
        throw new Error(
          `${path}: no heading after loading; the page shows: ${text} ${problems.join("; ")}`,
          {
            cause: error,
          },
        );
      });
    return await page.evaluate(async () => {
      const lcp = await new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]?.startTime ?? Number.NaN);
        }).observe({ type: "largest-contentful-paint", buffered: true });
        setTimeout(() => resolve(Number.NaN), 3000);
      });
      const resources = performance.getEntriesByType("resource").map((e) => {
        const r = e as PerformanceResourceTiming;
        return {
          name: r.name,
          initiatorType: r.initiatorType,
          startTime: r.startTime,
          responseEnd: r.responseEnd,
          encodedBodySize: r.encodedBodySize,
          decodedBodySize: r.decodedBodySize,
        };
      });
      return { lcp, resources };
    });
  } finally {
    await context.close();
  }
}

/**
 * Calls the page started one right after another (each within this many ms of the one before)
 * form one burst: the same script task starting its queries in turn. On this machine each
 * start costs 1–3 ms of script, so a fast answer (the unread count, 15 ms) can end before the
 * last call of its own burst starts, which is no dependency.
 */
const BURST_GAP_MS = 5;

/**
 * Each API call's round. Calls are grouped into bursts; a burst is one round after the latest
 * burst with a call that ended before the burst's first call began (a waterfall: the page had
 * to wait for that answer). Without bursts a call's round would count every call that ended
 * before it started, an upper bound that the order of starts within a burst decides.
 */
function callRounds(calls: Resource[]): number[] {
  const burstOf: number[] = [];
  const burstStart: number[] = [];
  calls.forEach((call, i) => {
    const previous = calls[i - 1];
    if (previous && call.startTime - previous.startTime <= BURST_GAP_MS) {
      burstOf.push(burstOf[i - 1] as number);
    } else {
      burstOf.push(burstStart.length);
      burstStart.push(call.startTime);
    }
  });
  const burstRound: number[] = burstStart.map(() => 1);
  burstStart.forEach((start, b) => {
    calls.forEach((call, j) => {
      const earlier = burstOf[j] as number;
      if (earlier < b && call.responseEnd <= start) {
        burstRound[b] = Math.max(burstRound[b] as number, (burstRound[earlier] as number) + 1);
      }
    });
  });
  return burstOf.map((b) => burstRound[b] as number);
}

async function measure(
  browser: Browser,
  base: string,
  name: string,
  path: string,
  signIn: boolean,
  setup?: (context: BrowserContext) => Promise<void>,
): Promise<Measured> {
  const lcps: number[] = [];
  let last: Resource[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await measureOnce(browser, base, path, signIn, setup);
    lcps.push(run.lcp);
    last = run.resources;
  }
  const scripts = last.filter((r) => new URL(r.name).pathname.endsWith(".js"));
  let jsGzipBytes = 0;
  for (const script of scripts) {
    const body = Buffer.from(await (await fetch(script.name)).arrayBuffer());
    jsGzipBytes += gzipSync(body, { level: 9 }).length;
  }
  const calls = last
    .filter((r) => new URL(r.name).pathname.startsWith("/api/"))
    .sort((a, b) => a.startTime - b.startTime);
  const rounds = callRounds(calls);
  return {
    page: name,
    path,
    signedIn: signIn,
    lcpMs: lcps,
    scripts: scripts.length,
    jsSentBytes: scripts.reduce((n, r) => n + r.encodedBodySize, 0),
    jsGzipBytes,
    jsRawBytes: scripts.reduce((n, r) => n + r.decodedBodySize, 0),
    apiCalls: calls.map((c, i) => {
      const url = new URL(c.name);
      // With BENCH_TRACE=1, each call's round and its start and end (ms after navigation).
      const trace = process.env.BENCH_TRACE
        ? ` (round ${rounds[i]}, ${c.startTime.toFixed(0)}–${c.responseEnd.toFixed(0)} ms)`
        : "";
      return url.pathname + url.search + trace;
    }),
    apiRounds: Math.max(0, ...rounds),
  };
}

const median = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : Number.NaN;
};
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function main(): Promise<void> {
  console.log("Building the web app when stale …");
  await ensureWebBuild();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-web-"));
  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    server = spawn(process.execPath, ["bin/lyceum.js", "serve", "--no-web-build"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        LYCEUM_SECRET: "bench-secret-bench-secret-bench-secret-42",
        LOG_LEVEL: "warn",
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: base,
        LYCEUM_DATA_DIR: dataDir,
        LYCEUM_DEMO_PASSWORD: PASSWORD,
        DATABASE_URL: "",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitFor(`${base}/api/v1/health`, 120_000, 250);
    browser = await launchChromium();

    // The demo learner (a completed compliance course and its certificate) and catalog.
    const setupContext = await browser.newContext();
    const setupPage = await setupContext.newPage();
    await signInFrom(setupPage, base);
    const courseIds = await setupPage.evaluate(async () => {
      const list = (await (await fetch("/api/v1/courses?limit=50")).json()) as {
        data: Array<{ id: string; code: string }>;
      };
      return list.data.map((c) => c.id);
    });
    await setupContext.close();
    if (!courseIds.length) throw new Error("the demo learner sees no course");
    const coursePath = `/courses/${courseIds[0]}`;

    const baselinePage = `<!doctype html><html lang="en"><head><title>Baseline</title></head>
      <body><main><h1>My learning</h1><p>${"A static page with no script. ".repeat(12)}</p></main></body></html>`;
    const results: Measured[] = [
      await measure(
        browser,
        base,
        "baseline: static page",
        "/__bench-baseline",
        false,
        async (c) => {
          await c.route("**/__bench-baseline", (route) =>
            route.fulfill({ status: 200, contentType: "text/html", body: baselinePage }),
          );
        },
      ),
      await measure(browser, base, "sign in (signed out)", "/sign-in", false),
      await measure(browser, base, "My learning", "/", true),
      await measure(browser, base, "catalog", "/catalog", true),
      await measure(browser, base, "course page", coursePath, true),
    ];

    console.log(
      "| page | LCP median (min–max) | JS files | JS sent (br) | JS gzip | JS raw | API calls | rounds |",
    );
    console.log("|---|---|---|---|---|---|---|---|");
    for (const r of results) {
      const lcp = r.lcpMs.filter(Number.isFinite);
      console.log(
        `| ${r.page} | ${median(lcp).toFixed(0)} ms (${Math.min(...lcp).toFixed(0)}–${Math.max(...lcp).toFixed(0)}) | ${r.scripts} | ${kB(r.jsSentBytes)} | ${kB(r.jsGzipBytes)} | ${kB(r.jsRawBytes)} | ${r.apiCalls.length} | ${r.apiRounds} |`,
      );
    }
    console.log("");
    for (const r of results) {
      if (r.apiCalls.length) console.log(`${r.page}: ${r.apiCalls.join(", ")}`);
    }
    const first = results.find((r) => r.page === "My learning") as Measured;
    console.log(machine("pglite").describe());
    const verdict = first.jsGzipBytes <= JS_BUDGET_GZIP ? "within" : "OVER";
    console.log(
      `\nFirst page of a signed-in learner: ${kB(first.jsGzipBytes)} of JavaScript gzipped, ${verdict} the ${kB(JS_BUDGET_GZIP)} budget.`,
    );

    mkdirSync("bench/results", { recursive: true });
    writeFileSync(
      "bench/results/web.json",
      `${JSON.stringify({ machine: machine("pglite"), runs: RUNS, at: new Date().toISOString(), results }, null, 2)}\n`,
    );
    if (first.jsGzipBytes > JS_BUDGET_GZIP) process.exitCode = 1;
  } finally {
    await browser?.close();
    server?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
