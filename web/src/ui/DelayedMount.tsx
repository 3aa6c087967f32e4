import { type ReactNode, useEffect, useState } from "react";

/** Shows its children only after `delay` ms, so quick loads never flash a spinner. */
export function DelayedMount({ delay = 250, children }: { delay?: number; children: ReactNode }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), delay);
    return () => clearTimeout(timer);
  }, [delay]);
  return shown ? children : null;
}
