import { vi } from "vitest";
import { jsonResponse } from "./render";

/** A list answer holding `items` on one page. */
export function listResponse(items: unknown[]): Response {
  const pagination = {
    page: 1,
    limit: 25,
    total: items.length,
    totalPages: 1,
    hasNext: false,
    hasPrev: false,
  };
  return jsonResponse({ success: true, data: items, meta: { pagination } });
}

/**
 * Stubs `fetch` with `answer`, which returns the response for a request or undefined for one
 * the test does not expect (the request then fails, and so does the test). Answers the list of
 * URLs asked, in order, for assertions on what the page requested.
 */
export function stubApi(
  answer: (url: URL, request: Request) => Response | undefined | Promise<Response | undefined>,
): URL[] {
  const asked: URL[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      const url = new URL(input.url);
      asked.push(url);
      const response = await answer(url, input);
      if (!response) throw new Error(`unexpected request ${input.method} ${url.pathname}`);
      return response;
    }),
  );
  return asked;
}
