import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { QUERY_DEFAULTS } from "./queryDefaults";

const failure = (status: number) => new ApiError(status, "X", "x", null, null);

describe("the query defaults", () => {
  it("keep data fresh for half a minute, so a page mounted again shows the cache", () => {
    expect(QUERY_DEFAULTS.staleTime).toBe(30_000);
  });

  it("never retry an answer another try cannot change (4xx), and others twice", () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429])
      expect(QUERY_DEFAULTS.retry(0, failure(status))).toBe(false);
    for (const error of [failure(500), failure(503), failure(0), new Error("network")]) {
      expect(QUERY_DEFAULTS.retry(0, error)).toBe(true);
      expect(QUERY_DEFAULTS.retry(1, error)).toBe(true);
      expect(QUERY_DEFAULTS.retry(2, error)).toBe(false);
    }
  });
});
