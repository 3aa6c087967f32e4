import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WEB_DIST, WEB_ROOT } from "../modules/system/web-app.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Written into the build: the hash of the sources it was built from. */
const HASH_FILE = ".source-hash";
/** Folders of web/ that are not part of the app's build. */
const NOT_SOURCES = new Set(["dist", "e2e", "node_modules"]);
/** Files outside web/ the build depends on: the lock file (dependency versions) and the
 * password policy the sign-up form shares with the server. */
const SHARED = ["package-lock.json", "src/modules/identity/password-policy.ts"];

function filesUnder(dir: string, top = true): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (top && NOT_SOURCES.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, false));
    // Tests and their helpers are not part of the build.
    else if (entry.isFile() && !/\.test\.tsx?$|vitest\.config\.ts$/.test(entry.name))
      out.push(full);
  }
  return out;
}

/** A hash over every file the web app is built from (names and contents). */
export function webSourceHash(): string {
  const hash = createHash("sha256");
  const files = [
    ...filesUnder(WEB_ROOT),
    ...SHARED.map((f) => path.join(REPO_ROOT, f)).filter((f) => existsSync(f)),
  ].sort();
  for (const file of files) {
    hash.update(path.relative(REPO_ROOT, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Whether web/dist is missing or was built from other sources than the ones checked out. */
export function webBuildIsStale(): boolean {
  const stored = path.join(WEB_DIST, HASH_FILE);
  if (!existsSync(path.join(WEB_DIST, "index.html")) || !existsSync(stored)) return true;
  return readFileSync(stored, "utf8").trim() !== webSourceHash();
}

/** Builds the web app into web/dist with Vite and records the sources' hash beside it. */
export async function buildWeb(): Promise<void> {
  const hash = webSourceHash();
  const { build } = await import("vite");
  // Always React's production build: Vite and its React plugin take development mode from
  // NODE_ENV, which the test suites set to "test" while they build the app that the browser
  // tests use and that \`npm start\` then serves as it is.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: path.join(WEB_ROOT, "vite.config.ts"),
      root: WEB_ROOT,
      mode: "production",
      logLevel: "warn",
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(path.join(WEB_DIST, HASH_FILE), `${hash}\n`);
}

/** Builds the web app when its build is missing or stale; returns whether it built. */
export async function ensureWebBuild(log: (line: string) => void = console.log): Promise<boolean> {
  if (!webBuildIsStale()) return false;
  log("Building the web app (web/ → web/dist) …");
  const started = Date.now();
  await buildWeb();
  log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}
