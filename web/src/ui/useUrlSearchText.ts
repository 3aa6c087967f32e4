import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";

/**
 * A search box's text kept in the URL (`param`): the box updates at once, the URL once typing
 * pauses (replacing the history entry and going back to the first page), so the URL stays the
 * source of truth for what the list shows, and the box follows the URL when it changes from
 * elsewhere (back and forward). `setText("")` also clears it.
 */
export function useUrlSearchText(param = "q", delayMs = 300) {
  const [search, setSearch] = useSearchParams();
  const [text, setText] = useState(search.get(param) ?? "");
  const [debounced] = useDebouncedValue(text, delayMs);
  // setSearch changes with every URL change; only a new debounced text may write the URL,
  // or clearing the filters would be undone by the text still waiting to settle.
  const setSearchRef = useRef(setSearch);
  setSearchRef.current = setSearch;
  useEffect(() => {
    setSearchRef.current(
      (current) => {
        if ((current.get(param) ?? "") === debounced.trim()) return current;
        const next = new URLSearchParams(current);
        if (debounced.trim()) next.set(param, debounced.trim());
        else next.delete(param);
        next.delete("page");
        return next;
      },
      { replace: true },
    );
  }, [debounced, param]);
  // The URL changed from elsewhere (back, forward, a link to the list): the box follows it.
  const fromUrl = search.get(param) ?? "";
  const debouncedRef = useRef(debounced);
  debouncedRef.current = debounced;
  useEffect(() => {
    if (fromUrl !== debouncedRef.current.trim()) setText(fromUrl);
  }, [fromUrl]);
  return [text, setText] as const;
}
