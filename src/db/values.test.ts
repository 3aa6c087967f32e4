import { describe, expect, it } from "vitest";
import { likePattern, numberOrNull } from "./values.js";

describe("value helpers", () => {
  it("makes LIKE patterns that match the text literally, where asked", () => {
    expect(likePattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
    expect(likePattern("a_b", "startsWith")).toBe("a\\_b%");
    expect(likePattern("a%b", "endsWith")).toBe("%a\\%b");
  });

  it("reads NUMERIC text as numbers and keeps null", () => {
    expect(numberOrNull("12.50")).toBe(12.5);
    expect(numberOrNull(3)).toBe(3);
    expect(numberOrNull(null)).toBeNull();
    expect(numberOrNull(undefined)).toBeNull();
  });
});
