import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

/** Debian's chromium (apt-get install chromium); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Containers run tests as root, where chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Impacts that fail a test; others are reported. */
const ENFORCED = new Set(["serious", "critical"]);

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the page's
 * Content-Security-Policy stays as served) and fails on serious or critical violations.
 */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  // The scan judges the page at rest: no control left hovered by the last click.
  await page.mouse.move(0, 0);
  // A dialog fading in is half transparent: contrast is judged once transitions are over.
  await settled(page);
  await page.evaluate(AXE);
  const { violations, textLength } = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return { violations: result.violations, textLength: document.body.innerText.trim().length };
  });
  // A scan of an almost empty page proves nothing: the page did not render.
  if (textLength < 20) throw new Error(`${label}: the page is (nearly) empty; axe scanned nothing`);
  const found = violations as AxeViolation[];
  const describe = (v: AxeViolation) =>
    `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`;
  const reported = found.filter((v) => !ENFORCED.has(v.impact ?? ""));
  if (reported.length)
    console.warn(`${label}: axe reports\n  ${reported.map(describe).join("\n  ")}`);
  const failing = found.filter((v) => ENFORCED.has(v.impact ?? ""));
  if (failing.length) {
    throw new Error(`${label}: axe violations\n  ${failing.map(describe).join("\n  ")}`);
  }
}

/**
 * Waits until no transition or animation has run for a few frames, so colours are judged at
 * their final value. A dialog opened by the last click mounts a frame or two later and only
 * then starts fading in: one quiet frame is not enough.
 */
async function settled(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const w = window as unknown as { __quietSince?: number };
        const running = document.getAnimations().some((a) => a.playState === "running");
        if (running || w.__quietSince === undefined) {
          w.__quietSince = running ? undefined : performance.now();
          return false;
        }
        return performance.now() - w.__quietSince >= 120;
      },
      null,
      { polling: "raf", timeout: 3_000 },
    )
    .catch(() => undefined);
  await page.evaluate(() => {
    delete (window as unknown as { __quietSince?: number }).__quietSince;
  });
}

/**
 * Hovers `target` and runs axe's color-contrast rule on it while the pointer stays there
 * (assertAccessible judges pages with the pointer moved away, so hover colours need this).
 * Fails on a violation, and also when axe could not judge the element (an "incomplete"
 * result, or no text checked at all), so a pass always means a measured pass.
 */
export async function assertHoverContrast(
  page: Page,
  target: Locator,
  label: string,
): Promise<void> {
  await target.hover();
  await settled(page);
  await page.evaluate(AXE);
  const result = await target.evaluate(async (element) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Element,
            options: object,
          ): Promise<Record<"violations" | "incomplete" | "passes", AxeViolation[]>>;
        };
      }
    ).axe;
    const hovered = element.matches(":hover");
    const found = await axe.run(element, { runOnly: ["color-contrast"] });
    const style = getComputedStyle(element);
    return {
      hovered,
      violations: found.violations,
      incomplete: found.incomplete,
      passed: found.passes.reduce((n, rule) => n + rule.nodes.length, 0),
      colours: `${style.color} on ${style.backgroundColor}`,
    };
  });
  if (!result.hovered) throw new Error(`${label}: the pointer is not over the element`);
  const problems = [...result.violations, ...result.incomplete];
  if (problems.length || result.passed === 0) {
    const why = problems.map((v) => `${v.id}: ${v.help}`).join("; ") || "no text was checked";
    throw new Error(`${label} (hovered, ${result.colours}): ${why}`);
  }
}

/**
 * Checks the page as a phone (360 px: nothing wider than the screen) and as a desktop
 * (1440 px), each with axe, and that the page has exactly one h1.
 */
export async function checkPage(page: Page, label: string): Promise<void> {
  for (const width of [360, 1440]) {
    await page.setViewportSize({ width, height: 800 });
    // Layout settles over a few frames after a resize (the shell's navigation slides away).
    const overflow = await page
      .waitForFunction(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        null,
        { polling: "raf", timeout: 2_000 },
      )
      .then(() => 0)
      .catch(() =>
        page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      );
    if (width === 360 && overflow > 0) {
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`),
      );
      throw new Error(`${label}: scrolls sideways by ${overflow}px at 360px: ${wide.join(", ")}`);
    }
    const h1s = await page.locator("h1").count();
    if (h1s !== 1) throw new Error(`${label}: ${h1s} h1 elements at ${width}px`);
    await assertAccessible(page, `${label} at ${width}px`);
  }
}
