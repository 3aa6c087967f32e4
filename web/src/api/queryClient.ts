import { QueryClient } from "@tanstack/react-query";
import { QUERY_DEFAULTS } from "./queryDefaults";

/**
 * The app's one query cache, shared by the components (through QueryClientProvider) and the
 * routes' loaders, which start a page's queries before its code has loaded (app/pageData.ts).
 * Its defaults (queryDefaults.ts) keep data fresh for 30 s, so a page a loader or a hover has
 * just fetched is not fetched again when it mounts.
 */
export const queryClient = new QueryClient({ defaultOptions: { queries: QUERY_DEFAULTS } });
