import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./errors";

/**
 * The app's one query cache, shared by the components (through QueryClientProvider) and the
 * routes' loaders, which start a page's queries before its code has loaded (app/pageData.ts).
 *
 * - Answers that another try cannot change (4xx) are not retried.
 * - Data counts as fresh for 20 s: a page a loader (or a hover) has just fetched is not fetched
 *   again when it mounts. What a person changes is refreshed by the mutation that changes it.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 20_000,
    },
  },
});
