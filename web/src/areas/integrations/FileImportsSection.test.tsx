import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import { renderPage } from "../../test/render";
import { FileImportsSection } from "./FileImportsSection";

const ID = "00000000-0000-4000-8000-00000000a002";

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const polls: string[] = [];
let queued = true;

function answer(request: Request): Response {
  const url = new URL(request.url);
  if (url.pathname === `/api/v1/lms-integrations/${ID}/file-imports`)
    return json({
      success: true,
      data: [],
      meta: {
        pagination: { page: 1, limit: 10, total: 0, totalPages: 0, hasNext: false, hasPrev: false },
      },
    });
  if (url.pathname === `/api/v1/lms-integrations/${ID}/sftp-poll`) {
    polls.push(request.method);
    return json({ success: true, data: { integrationId: ID, queued } }, 202);
  }
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  polls.length = 0;
  queued = true;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function show(sftp: boolean, language: "en" | "de" = "en") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const me = { user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" } };
  client.setQueryData(sessionKeys.me(), me as unknown as Me);
  return renderPage(<FileImportsSection integrationId={ID} sftp={sftp} />, {
    namespaces: ["integrations"],
    client,
    language,
  });
}

describe("the file imports section of an integration with an SFTP server", () => {
  it("checks the server on request and says so", async () => {
    await show(true);
    await screen.findByRole("heading", { name: "No files yet" });
    fireEvent.click(screen.getByRole("button", { name: "Check the SFTP server now" }));
    expect(
      await screen.findByText("Lyceum is checking the SFTP server; a new file appears below."),
    ).toBeTruthy();
    expect(polls).toEqual(["POST"]);
  });

  it("says when a check is already under way, in German too", async () => {
    queued = false;
    await show(true, "de");
    fireEvent.click(await screen.findByRole("button", { name: "SFTP-Server jetzt prüfen" }));
    expect(await screen.findByText("Der SFTP-Server wird bereits geprüft.")).toBeTruthy();
  });

  it("has no such button without an SFTP server", async () => {
    await show(false);
    await screen.findByRole("heading", { name: "No files yet" });
    expect(screen.queryByRole("button", { name: "Check the SFTP server now" })).toBeNull();
  });
});
