import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import { renderPage } from "../../test/render";
import { PrivacyPage } from "./PrivacyPage";

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const list = (data: unknown[]) => ({
  success: true,
  data,
  meta: {
    pagination: {
      page: 1,
      limit: 25,
      total: data.length,
      totalPages: 1,
      hasNext: false,
      hasPrev: false,
    },
  },
});

let settings = { showScores: true, showActivity: true, showCertificates: true };
const puts: unknown[] = [];
const READ = {
  id: "00000000-0000-4000-8000-00000000l001",
  organizationId: "00000000-0000-4000-8000-00000000o001",
  organizationName: "Signal Works",
  viewer: { userId: "00000000-0000-4000-8000-00000000v001", name: "Org Admin", apiKeyId: null },
  subjectUserId: "00000000-0000-4000-8000-0000000000u1",
  what: "member-profile",
  detail: null,
  ipAddress: null,
  userAgent: null,
  createdAt: "2026-03-02T09:00:00.000Z",
};

beforeEach(() => {
  settings = { showScores: true, showActivity: true, showCertificates: true };
  puts.length = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/users/me/privacy") {
        if (request.method === "PUT") {
          const body = (await request.json()) as Partial<typeof settings>;
          puts.push(body);
          settings = { ...settings, ...body };
        }
        return json({ success: true, data: settings });
      }
      if (url.pathname === "/api/v1/users/me/access-logs") return json(list([READ]));
      if (url.pathname === "/api/v1/users/me/privacy-requests") return json(list([]));
      throw new Error(`unexpected request ${request.method} ${url.pathname}`);
    }),
  );
});

async function show(language: "en" | "de" = "en") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const me = { user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" } };
  client.setQueryData(sessionKeys.me(), me as unknown as Me);
  return renderPage(<PrivacyPage />, {
    namespaces: ["privacy", "account"],
    client,
    language,
    path: "/account/privacy",
  });
}

describe("the learner's privacy page", () => {
  it("turns off what managers see and says it is saved", async () => {
    await show();
    const scores = await screen.findByRole("switch", { name: "My quiz scores and grades" });
    expect((scores as HTMLInputElement).checked).toBe(true);
    fireEvent.click(scores);
    await screen.findByText("Privacy settings saved.");
    expect(puts).toEqual([{ showScores: false }]);
    await waitFor(() => expect((scores as HTMLInputElement).checked).toBe(false));
  });

  it("lists who looked at the person's data, in German too", async () => {
    await show("de");
    const table = await screen.findByRole("table", { name: "Wer meine Daten angesehen hat" });
    expect(within(table).getByText("Org Admin")).toBeTruthy();
    expect(within(table).getByText("Signal Works")).toBeTruthy();
    expect(within(table).getByText("Mitgliedsprofil")).toBeTruthy();
    expect(screen.getByText("Sie haben noch keine Kopie angefordert.")).toBeTruthy();
  });
});
