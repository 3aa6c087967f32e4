import { useSearchParams } from "react-router";

/**
 * A list page's parameters in the URL: `get` reads one, `set` writes one (empty removes it)
 * and goes back to the first page unless it is the page itself.
 */
export function usePageParams() {
  const [params, setParams] = useSearchParams();
  return {
    page: Math.max(1, Number(params.get("page")) || 1),
    get: (name: string) => params.get(name),
    set: (name: string, value: string | null) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        if (name !== "page") next.delete("page");
        return next;
      }),
  };
}
