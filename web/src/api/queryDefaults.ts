import { ApiError } from "./errors";

/**
 * Data counts as fresh for 30 seconds: moving between pages shows what is cached instead of
 * asking again on every mount. What the person changes is never stale for that long, because
 * each mutation hook awaits the invalidation of what it changes (docs/web.md, "Data");
 * what changes elsewhere (another person, the worker) shows within the half minute, or by
 * polling where a page waits for it. Answers that another try cannot change (4xx) are not
 * retried; others twice.
 */
export const QUERY_DEFAULTS = {
  staleTime: 30_000,
  retry: (count: number, error: Error) =>
    !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
  refetchOnWindowFocus: false,
};
