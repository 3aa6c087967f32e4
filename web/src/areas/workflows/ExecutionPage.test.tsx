import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import type { ExecutionView } from "../../api/workflow-approvals";
import { loadTexts } from "../../test/render";
import { ExecutionPage } from "./ExecutionPage";

const ORG = "00000000-0000-4000-8000-00000000b001";
const EXECUTION = "00000000-0000-4000-8000-00000000e001";

const execution: ExecutionView = {
  id: EXECUTION,
  organizationId: ORG,
  workflowId: "00000000-0000-4000-8000-00000000a001",
  workflowName: "New joiner follow-up",
  builtin: null,
  version: 3,
  status: "waiting",
  currentStep: 1,
  subjectUserId: "00000000-0000-4000-8000-00000000c001",
  subjectType: null,
  subjectId: null,
  trigger: "enrollment.created",
  context: {},
  dueAt: "2026-03-04T09:00:00.000Z",
  escalationLevel: 0,
  startedBy: null,
  startedAt: "2026-03-02T09:00:00.000Z",
  finishedAt: null,
  summary: "New joiner follow-up for Ada Byron",
  subjectName: "Ada Byron",
  abilities: { decide: false, cancel: true },
  history: [
    {
      step: null,
      stepType: null,
      action: "started",
      actorId: null,
      actorName: null,
      note: null,
      at: "2026-03-02T09:00:00.000Z",
    },
    {
      step: 0,
      stepType: "approval",
      action: "approved",
      actorId: "00000000-0000-4000-8000-00000000c002",
      actorName: "Max Manager",
      note: "Welcome",
      at: "2026-03-02T10:00:00.000Z",
    },
    {
      step: 1,
      stepType: "wait",
      action: "waiting",
      actorId: null,
      actorName: null,
      note: null,
      at: "2026-03-02T10:00:00.000Z",
    },
  ],
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

let current: ExecutionView | null = execution;
const cancels: unknown[] = [];

beforeEach(() => {
  current = execution;
  cancels.length = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === `/api/v1/workflow-executions/${EXECUTION}` && current)
        return json({ success: true, data: current });
      if (url.pathname === `/api/v1/workflow-executions/${EXECUTION}/cancel`) {
        cancels.push(await request.json());
        current = { ...execution, status: "cancelled", finishedAt: "2026-03-02T11:00:00.000Z" };
        current.abilities = { decide: false, cancel: false };
        return json({ success: true, data: current });
      }
      if (url.pathname.startsWith("/api/v1/workflow-executions/"))
        return json(
          { success: false, error: { code: "NOT_FOUND", message: "Workflow execution not found" } },
          404,
        );
      throw new Error(`unexpected request ${request.method} ${url.pathname}`);
    }),
  );
});

async function show(id: string) {
  await loadTexts("en", ["approvals"]);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(sessionKeys.me(), {
    user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" },
    platformPermissions: [],
    memberships: [{ organization: { id: ORG, name: "Acme" }, permissions: [] }],
  } as unknown as Me);
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/workflows/executions/${id}`]}>
          <Routes>
            <Route path="/workflows/executions/:executionId" element={<ExecutionPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe("a workflow execution's page", () => {
  it("shows the execution and its history in words, and cancels it after a confirmation", async () => {
    await show(EXECUTION);
    await screen.findByRole("heading", { level: 1, name: "New joiner follow-up for Ada Byron" });
    expect(screen.getByText("New joiner follow-up, version 3")).toBeTruthy();
    expect(screen.getByText("Step 2 (Wait)")).toBeTruthy();
    const history = screen.getByRole("list", { name: "What happened, oldest first" });
    const entries = within(history).getAllByRole("listitem");
    expect(entries.map((e) => e.querySelector("p")?.textContent)).toEqual([
      "Started",
      "Approved",
      "Waiting",
    ]);
    expect(entries[1]?.textContent).toContain("Step 1 (Approval) · Who: Max Manager");
    expect(entries[1]?.textContent).toContain("Note: Welcome");
    expect(screen.queryByRole("button", { name: "Approve" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Cancel execution" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel this execution?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel execution" }));
    await screen.findByText("The execution was cancelled.");
    expect(cancels).toEqual([{ note: null }]);
    await screen.findAllByText("Cancelled");
    expect(screen.queryByRole("button", { name: "Cancel execution" })).toBeNull();
  });

  it("says when the execution is not found", async () => {
    await show("00000000-0000-4000-8000-00000000ffff");
    await screen.findByRole("heading", { level: 1, name: "Execution not found" });
    expect(screen.getByRole("link", { name: "Back to approvals" }).getAttribute("href")).toBe(
      "/approvals",
    );
  });
});
