import { describe, expect, it } from "vitest";
import { minorDigits, toMajor, toMinor } from "./money";

describe("amounts typed in major units", () => {
  it("knows each currency's minor units", () => {
    expect(minorDigits("EUR")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("BHD")).toBe(3);
  });

  it("turns typed amounts into minor units, without float drift", () => {
    expect(toMinor(12.5, "EUR")).toBe(1250);
    expect(toMinor("19,99", "EUR")).toBe(1999);
    expect(toMinor("0.29", "USD")).toBe(29);
    expect(toMinor(500, "JPY")).toBe(500);
    expect(toMajor(1250, "EUR")).toBe(12.5);
  });

  it("refuses nothing, zero, negatives and text", () => {
    for (const bad of ["", "0", "-3", "abc", Number.NaN]) expect(toMinor(bad, "EUR")).toBeNull();
  });
});
