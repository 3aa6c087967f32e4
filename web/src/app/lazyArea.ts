const RELOADED = "lyceum.chunk-reloaded";

/**
 * Loads an area's code split chunk, trying once more on failure. A chunk that is gone
 * after a deploy (the page still names the old build's files) reloads the page once, which
 * fetches the new build; a second failure shows the error page.
 */
export function lazyArea<M>(load: () => Promise<M>): () => Promise<M> {
  return async () => {
    try {
      const module = await load().catch(() => load());
      sessionStorage.removeItem(RELOADED);
      return module;
    } catch (error) {
      if (!sessionStorage.getItem(RELOADED)) {
        sessionStorage.setItem(RELOADED, "1");
        window.location.reload();
        return new Promise<M>(() => {});
      }
      throw error;
    }
  };
}
