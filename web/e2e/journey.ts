import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "./browser.js";
import { Lyceum } from "./pages.js";
import { type E2eServer, type ServerOptions, startServer } from "./server.js";

/** The extension id of Chromium's built-in PDF viewer. */
const PDF_VIEWER = "mhjfbmdgcfjbbpaeojofohoefgiehjai";

export interface JourneyOptions {
  /** The browser's time zone (IANA); Europe/London unless given. */
  timezoneId?: string;
  /** Runs on the first context before its page opens, e.g. to add routes. */
  prepare?(context: BrowserContext, server: E2eServer): Promise<void>;
  /** How the server is started (its settings). */
  server?: ServerOptions;
}

export interface Journey {
  server: E2eServer;
  browser: Browser;
  /** The first context (locale en-GB, the journey's time zone) and its page. */
  context: BrowserContext;
  page: Page;
  app: Lyceum;
  /** Content-Security-Policy refusals and uncaught errors seen in any watched page. */
  problems: string[];
  /** Sets the default timeout on `page` and reports its problems, each after `prefix`. */
  watch(page: Page, prefix?: string): Page;
  /** Another context with the first one's locale and zone. */
  newContext(): Promise<BrowserContext>;
  /** A watched page in a context of its own (from `newContext`). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The set-up every browser journey shares: Lyceum on a fresh database, chromium, one
 * context (British English) with a watched page, and the Lyceum page helpers on it.
 */
export async function openJourney(options: JourneyOptions = {}): Promise<Journey> {
  const contextOptions = { locale: "en-GB", timezoneId: options.timezoneId ?? "Europe/London" };
  const problems: string[] = [];
  const watch = (page: Page, prefix = "") => {
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => {
      // Chromium's own PDF viewer (an extension inside the PDF lesson's frame) sometimes
      // fails its own assertion when keys pass through its thumbnails: not the app's error.
      if (error.stack?.includes(`chrome-extension://${PDF_VIEWER}/`)) return;
      problems.push(`${prefix}page error: ${error.message}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
        problems.push(`${prefix}CSP: ${message.text()}`);
      }
    });
    return page;
  };
  const server = await startServer(options.server);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server.close();
  };
  try {
    browser = await launchChromium();
    const context = await browser.newContext(contextOptions);
    await options.prepare?.(context, server);
    const page = watch(await context.newPage());
    const opened = browser;
    const newContext = () => opened.newContext(contextOptions);
    return {
      server,
      browser,
      context,
      page,
      app: new Lyceum(page, server.url),
      problems,
      watch,
      newContext,
      newPage: async () => watch(await (await newContext()).newPage()),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
