import type { Page } from "playwright-core";
import { afterResponse } from "./pages.js";

/**
 * Using the web app with the keyboard alone: Tab from stop to stop, checking at each one that
 * focus is visible (the element's outline, shadow or border, or that of a close wrapper,
 * differs from the same element without focus), and reading where focus is after a key.
 */

export interface Focused {
  tag: string;
  name: string;
  /** Whether the element looks different with focus than without. */
  indicated: boolean;
}

/** The focused element, its accessible-ish name, and whether focus is visible on it. */
export function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(async () => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // The element or a close wrapper (a password field's frame) shows the focus.
    const frames = [el, el.parentElement, el.parentElement?.parentElement].filter(
      (e): e is HTMLElement => e instanceof HTMLElement,
    );
    const lookOf = (e: HTMLElement) => {
      const s = getComputedStyle(e);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor].join();
    };
    const look = () => frames.map(lookOf).join("|");
    // Inputs fade their border in and out: read each look once the frames' transitions are
    // over (asking for the animations brings the styles up to date, starting any transition).
    const settle = () =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => {
            const target = (a.effect as KeyframeEffect | null)?.target;
            return (
              a instanceof CSSTransition && target instanceof HTMLElement && frames.includes(target)
            );
          })
          .map((a) => a.finished.catch(() => undefined)),
      );
    await settle();
    let indicated: boolean;
    if (el instanceof HTMLIFrameElement) {
      // Focus is inside an embedded frame, which the browser does not match with :focus: the
      // page marks the frame itself (a moment after focus went in) and it must draw a ring.
      const ringed = () => {
        const s = getComputedStyle(el);
        return s.outlineStyle !== "none" && Number.parseFloat(s.outlineWidth) > 0;
      };
      const until = performance.now() + 1000;
      while (!ringed() && performance.now() < until) {
        await new Promise((next) => requestAnimationFrame(next));
      }
      indicated = ringed();
    } else if (el instanceof HTMLMediaElement && !el.matches(":focus-visible")) {
      // Focus is on one of the browser's own controls inside the player, where blurring it
      // could not be undone: the player must look different from a copy of it without focus.
      const copy = el.cloneNode(false) as HTMLElement;
      copy.removeAttribute("src");
      el.after(copy);
      indicated = lookOf(el) !== lookOf(copy);
      copy.remove();
    } else {
      const withFocus = look();
      el.blur();
      await settle();
      indicated = withFocus !== look();
      el.focus();
      await settle();
    }
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    // A frame is named by its title.
    const title = el instanceof HTMLIFrameElement ? el.title : null;
    const name = (el.getAttribute("aria-label") ?? label ?? title ?? el.textContent ?? "").trim();
    return { tag: el.tagName.toLowerCase(), name, indicated };
  });
}

/** A person at the keyboard of `page`. */
export class KeyboardUser {
  constructor(readonly page: Page) {}

  focused(): Promise<Focused | null> {
    return focused(this.page);
  }

  press(key: string): Promise<void> {
    return this.page.keyboard.press(key);
  }

  type(text: string): Promise<void> {
    return this.page.keyboard.type(text);
  }

  /**
   * Presses Tab (Shift+Tab with `back`) until an element whose name matches has focus; every
   * stop on the way must show its focus.
   */
  async tabTo(name: RegExp, options: { back?: boolean; limit?: number } = {}): Promise<Focused> {
    const passed: string[] = [];
    const key = options.back ? "Shift+Tab" : "Tab";
    for (let i = 0; i < (options.limit ?? 40); i++) {
      await this.page.keyboard.press(key);
      const now = await this.focused();
      if (!now) continue;
      if (!now.indicated) throw new Error(`no visible focus on <${now.tag}> "${now.name}"`);
      if (name.test(now.name)) return now;
      passed.push(`${now.tag}:${now.name.slice(0, 30)}`);
    }
    throw new Error(`${key} never reached ${name} (passed ${passed.join(", ")})`);
  }

  /**
   * Waits until focus is on an element whose name matches (focus may move a few frames after
   * a key, e.g. to a new page's heading), then asserts that it shows its focus.
   */
  async expectFocus(name: RegExp): Promise<Focused> {
    await this.page.waitForFunction(
      ({ source, flags }) => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return false;
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        const name = (el.getAttribute("aria-label") ?? label ?? el.textContent ?? "").trim();
        return new RegExp(source, flags).test(name);
      },
      { source: name.source, flags: name.flags },
      { polling: "raf" },
    );
    const now = await this.focused();
    if (!now || !name.test(now.name)) throw new Error(`focus left ${name} (now on ${now?.name})`);
    if (!now.indicated) throw new Error(`no visible focus on <${now.tag}> "${now.name}"`);
    return now;
  }

  /** Waits until focus is inside the element `selector` finds; it must show there. */
  async expectFocusIn(selector: string): Promise<Focused> {
    await this.page.waitForFunction((css) => !!document.activeElement?.closest(css), selector, {
      polling: "raf",
    });
    const now = await this.focused();
    if (!now?.indicated) throw new Error(`no visible focus on <${now?.tag}> "${now?.name}"`);
    return now;
  }

  /**
   * Presses Tab `times` times (a dialog's focus trap): every stop must stay inside the element
   * `selector` finds and show its focus. Answers the stops' names.
   */
  async tabWithin(selector: string, times: number): Promise<string[]> {
    const names: string[] = [];
    for (let i = 0; i < times; i++) {
      await this.page.keyboard.press("Tab");
      const inside = await this.page.evaluate(
        (css) => !!document.activeElement?.closest(css),
        selector,
      );
      const now = await this.focused();
      if (!inside) throw new Error(`Tab left ${selector} for <${now?.tag}> "${now?.name}"`);
      if (!now?.indicated) throw new Error(`no visible focus on <${now?.tag}> "${now?.name}"`);
      names.push(now.name);
    }
    return names;
  }

  /** Signs in on the sign-in page: Tab to each field, type, Enter. */
  async signIn(email: string, password: string) {
    await this.tabTo(/^Email/);
    await this.type(email);
    await this.tabTo(/^Password/);
    await this.type(password);
    return afterResponse(this.page, "/api/v1/auth/login", () => this.press("Enter"));
  }

  /** Presses ArrowDown (or `key`) on the focused element until `done` says it is there. */
  async arrowUntil(done: () => Promise<boolean>, key = "ArrowDown", limit = 10): Promise<void> {
    for (let i = 0; i < limit; i++) {
      if (await done()) return;
      await this.page.keyboard.press(key);
    }
    if (!(await done())) throw new Error(`${key} pressed ${limit} times without getting there`);
  }
}
