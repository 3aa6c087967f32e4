import { QueryClientProvider } from "@tanstack/react-query";
import { renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { sessionKeys } from "../api/session";
import { loadTexts, testQueryClient } from "../test/render";
import { useFormat } from "./format";

async function formatFor(language: "en" | "de", timezone?: string) {
  await loadTexts(language);
  const client = testQueryClient();
  if (timezone) client.setQueryData(sessionKeys.me(), { user: { timezone } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return renderHook(() => useFormat(), { wrapper }).result.current;
}

describe("dates, numbers and money in the page's language and the person's zone", () => {
  it("formats minor units of a currency", async () => {
    expect((await formatFor("en")).money(4900, "EUR")).toBe("€49.00");
    expect((await formatFor("de")).money(4900, "EUR")).toMatch(/^49,00\s€$/);
    // Yen has no minor unit: 4900 is ¥4,900.
    expect((await formatFor("en")).money(4900, "JPY")).toBe("¥4,900");
  });

  it("writes a date in the signed-in person's time zone", async () => {
    // 23:30 UTC on 31 December is already 1 January in Berlin.
    const iso = "2026-12-31T23:30:00Z";
    expect((await formatFor("en", "Europe/Berlin")).date(iso)).toBe("Jan 1, 2027");
    expect((await formatFor("en", "America/New_York")).date(iso)).toBe("Dec 31, 2026");
  });

  it("writes a length of time as hours and minutes", async () => {
    const f = await formatFor("en");
    expect(f.duration(45)).toBe("45 min");
    expect(f.duration(120)).toBe("2 hr");
    expect(f.duration(150)).toBe("2 hr 30 min");
  });
});
