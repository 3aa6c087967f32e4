import { useCallback, useEffect, useRef } from "react";

/**
 * Keeps keyboard focus through a save that disables the control that started it (a fieldset
 * disabled while saving, a button showing its loader): a browser moves the focus of a
 * disabled element to the page's body, and a keyboard user would start again from the top.
 * Call the returned `hold` as the save starts; once `busy` is over, focus goes back to the
 * element held or, when that is gone (a button only shown before the save), to `fallback`,
 * unless the person has moved focus elsewhere meanwhile.
 */
export function useFocusKeeper(
  busy: boolean,
  fallback?: React.RefObject<HTMLElement | null>,
): () => void {
  const held = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (busy || !held.current) return;
    const element = held.current;
    held.current = null;
    const now = document.activeElement;
    if (now && now !== document.body && now !== element) return;
    const usable = element.isConnected && !element.matches(":disabled");
    (usable ? element : fallback?.current)?.focus();
  }, [busy, fallback]);
  return useCallback(() => {
    const active = document.activeElement;
    held.current = active instanceof HTMLElement && active !== document.body ? active : null;
  }, []);
}
