import { describe, expect, it } from "vitest";
import { safeReturnTo, signInPath } from "./returnTo";

describe("the return path after signing in", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeReturnTo("/courses/1?tab=outline")).toBe("/courses/1?tab=outline");
  });

  it("refuses other origins, protocol-relative and backslash tricks, and the sign-in page", () => {
    for (const bad of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "",
      null,
      undefined,
      "/sign-in?returnTo=/x",
    ]) {
      expect(safeReturnTo(bad), String(bad)).toBe("/");
    }
  });

  it("builds the sign-in address that comes back, never back to sign-in itself", () => {
    expect(signInPath("/catalog?q=orbit")).toBe("/sign-in?returnTo=%2Fcatalog%3Fq%3Dorbit");
    expect(signInPath("/sign-in?returnTo=/x")).toBe("/sign-in?returnTo=%2F");
    expect(signInPath("/")).toBe("/sign-in?returnTo=%2F");
  });
});
