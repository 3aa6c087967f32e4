import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/** How long to wait for the new page's heading (its area and data may still be loading). */
const WAIT_MS = 3000;

/**
 * After moving to another page inside the app, puts keyboard and screen-reader focus on the
 * new page's heading (the h1), as a full page load would start at the top: the reader hears
 * where they are, and Tab continues from there. Only path changes count (a filter written to
 * the query string keeps focus where it is), and never the first page shown. Until the page's
 * h1 appears, focus stays put; without one within a few seconds, `#main` takes it; and when
 * the person has focused something themselves in the meantime, nothing moves. Redirects
 * before the person has done anything on the page (a short path leading to a lesson) leave
 * focus alone too.
 */
/** Whether the person has pressed a key or a pointer on this page load yet. */
let interacted = false;
if (typeof window !== "undefined") {
  const mark = () => {
    interacted = true;
  };
  window.addEventListener("pointerdown", mark, { capture: true, once: true });
  window.addEventListener("keydown", mark, { capture: true, once: true });
}

export function useRouteFocus(): void {
  const { pathname } = useLocation();
  // The path focus was last settled for: the first page, and an effect run again for the
  // same path (React's strict mode does that), move nothing.
  const settled = useRef<string | null>(null);
  useEffect(() => {
    const previous = settled.current;
    settled.current = pathname;
    if (previous === null || previous === pathname) return;
    // A redirect while the page loads (before any key or click) is not a move by the person.
    if (!interacted) return;
    const started = performance.now();
    const before = document.activeElement;
    let frame = 0;
    const settle = () => {
      // The person already moved on (typed into a field of the new page, say): leave them be.
      const now = document.activeElement;
      if (now && now !== before && now !== document.body && document.contains(now)) return;
      const heading = document.querySelector<HTMLElement>("#main h1");
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus();
        return;
      }
      if (performance.now() - started > WAIT_MS) {
        document.getElementById("main")?.focus();
        return;
      }
      frame = requestAnimationFrame(settle);
    };
    frame = requestAnimationFrame(settle);
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
}
