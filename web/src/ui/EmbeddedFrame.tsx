import { type IframeHTMLAttributes, useEffect, useRef, useState } from "react";

/**
 * An embedded frame (a PDF, an exercise, a hosted video) that shows when focus is inside it.
 * The browser makes such a frame the page's active element but does not match it with
 * :focus, so CSS alone cannot show that Tab has entered it: the page's window loses focus to
 * the frame, then gets it back when Tab (or a click) leaves. The frame carries
 * `data-focused` meanwhile (app.css draws the ring). Every frame needs its `title`.
 */
export function EmbeddedFrame(props: IframeHTMLAttributes<HTMLIFrameElement> & { title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [inside, setInside] = useState(false);
  useEffect(() => {
    // The active element changes right after the window's blur event.
    const check = () => setTimeout(() => setInside(document.activeElement === frame.current), 0);
    const leave = () => setInside(false);
    window.addEventListener("blur", check);
    window.addEventListener("focus", leave);
    return () => {
      window.removeEventListener("blur", check);
      window.removeEventListener("focus", leave);
    };
  }, []);
  return <iframe ref={frame} {...props} data-focused={inside || undefined} />;
}
