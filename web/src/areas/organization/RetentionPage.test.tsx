import { QueryClient } from "@tanstack/react-query";
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import { renderPage } from "../../test/render";
import { RetentionPage } from "./RetentionPage";

const ORG = "00000000-0000-4000-8000-00000000c001";
const ARCHIVED = "00000000-0000-4000-8000-00000000a001";
const DELETED = "00000000-0000-4000-8000-00000000a002";

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

let archives: unknown[] = [];

async function answer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === `/api/v1/organizations/${ORG}/retention-policies`)
    return json({
      success: true,
      data: {
        policies: [],
        categories: [{ category: "learning-events", actions: ["archive"], minimumDays: 30 }],
        legalHoldUntil: null,
      },
    });
  if (url.pathname === `/api/v1/organizations/${ORG}/retention/archives`)
    return json({ success: true, data: archives });
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  archives = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(sessionKeys.me(), {
    user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" },
    platformPermissions: [],
    memberships: [
      { organization: { id: ORG, name: "Acme" }, permissions: ["privacy:manage:organization"] },
    ],
  } as unknown as Me);
  return renderPage(<RetentionPage />, {
    namespaces: ["privacy", "organization"],
    client,
    path: `/organization/retention?org=${ORG}`,
  });
}

describe("the retention page's archival log", () => {
  it("links each archive file to its download, and a line without a file to none", async () => {
    archives = [
      {
        id: ARCHIVED,
        category: "learning-events",
        action: "archive",
        rangeFrom: "2026-03-01T08:00:00.000Z",
        rangeTo: "2026-05-01T00:00:00.000Z",
        rows: 2,
        file: { size: 2048, checksum: "ab".repeat(32) },
        createdAt: "2026-06-30T02:00:00.000Z",
      },
      {
        id: DELETED,
        category: "learning-events",
        action: "delete",
        rangeFrom: null,
        rangeTo: "2026-05-01T00:00:00.000Z",
        rows: 3,
        file: null,
        createdAt: "2026-06-29T02:00:00.000Z",
      },
    ];
    await show();
    const log = await screen.findByRole("table", { name: "Archival log" });
    const links = within(log).getAllByRole("link");
    expect(links).toHaveLength(1);
    const link = links[0] as HTMLAnchorElement;
    expect(link.textContent).toBe("Download");
    expect(link.getAttribute("aria-label")).toMatch(/^Download the .+ archive of /);
    expect(link.getAttribute("href")).toBe(
      `/api/v1/organizations/${ORG}/retention/archives/${ARCHIVED}/file`,
    );
    expect(link.hasAttribute("download")).toBe(true);
    const rows = within(log).getAllByRole("row");
    expect(within(rows[2] as HTMLElement).queryByRole("link")).toBeNull();
  });

  it("says so when nothing ran yet", async () => {
    await show();
    expect(await screen.findByText("No runs yet")).toBeTruthy();
  });
});
