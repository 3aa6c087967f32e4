import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import type { Approval } from "../../api/workflow-approvals";
import { renderPage } from "../../test/render";
import { ApprovalsPage } from "./ApprovalsPage";

const ORG = "00000000-0000-4000-8000-00000000b001";
const EXECUTION = "00000000-0000-4000-8000-00000000e001";

const approval: Approval = {
  id: EXECUTION,
  organizationId: ORG,
  workflowId: "00000000-0000-4000-8000-00000000a001",
  workflowName: "Compliance exemption approval",
  builtin: "compliance-exemption",
  version: 1,
  status: "awaiting-approval",
  currentStep: 0,
  subjectUserId: "00000000-0000-4000-8000-00000000c001",
  subjectType: "compliance-requirement",
  subjectId: "00000000-0000-4000-8000-00000000d001",
  trigger: "exemption-request",
  context: {},
  dueAt: "2026-03-05T09:00:00.000Z",
  escalationLevel: 1,
  startedBy: "00000000-0000-4000-8000-00000000c001",
  startedAt: "2026-03-02T09:00:00.000Z",
  finishedAt: null,
  summary: "Exemption of Ada Byron from Fire safety",
  subjectName: "Ada Byron",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

let waiting: Approval[] = [];
const decisions: { path: string; body: unknown }[] = [];

async function answer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/api/v1/workflow-approvals/mine")
    return json({ success: true, data: waiting });
  const decided = /^\/api\/v1\/workflow-executions\/([^/]+)\/(approve|reject)$/.exec(url.pathname);
  if (decided && request.method === "POST") {
    decisions.push({ path: url.pathname, body: await request.json() });
    waiting = waiting.filter((a) => a.id !== decided[1]);
    return json({
      success: true,
      data: { ...approval, status: decided[2] === "approve" ? "completed" : "rejected" },
    });
  }
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  waiting = [approval];
  decisions.length = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const me = {
    user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" },
    platformPermissions: [],
    memberships: [{ organization: { id: ORG, name: "Acme" }, permissions: [] }],
  };
  client.setQueryData(sessionKeys.me(), me as unknown as Me);
  return renderPage(<ApprovalsPage />, { namespaces: ["approvals"], client, path: "/approvals" });
}

describe("the approvals inbox", () => {
  it("says when nothing waits for a decision", async () => {
    waiting = [];
    await show();
    await screen.findByRole("heading", { name: "Nothing waits for your decision" });
    expect(screen.queryByRole("list", { name: "Requests waiting for your decision" })).toBeNull();
  });

  it("lists what waits, with whom it is about, escalation and a link to the execution", async () => {
    await show();
    const list = await screen.findByRole("list", { name: "Requests waiting for your decision" });
    const row = within(list).getByRole("listitem");
    expect(
      within(row)
        .getByRole("link", { name: "Exemption of Ada Byron from Fire safety" })
        .getAttribute("href"),
    ).toBe(`/workflows/executions/${EXECUTION}`);
    expect(row.textContent).toContain("Compliance exemption approval · About: Ada Byron");
    expect(within(row).getByText("Escalated")).toBeTruthy();
    expect(row.textContent).toContain("Decide by");
  });

  it("asks for a note before rejecting, sends it, and takes the request off the list", async () => {
    await show();
    fireEvent.click(
      await screen.findByRole("button", {
        name: "Reject Exemption of Ada Byron from Fire safety",
      }),
    );
    const dialog = await screen.findByRole("dialog", { name: "Reject this request?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Reject" }));
    await within(dialog).findByText("Give a reason for the rejection");
    expect(decisions).toEqual([]);
    fireEvent.change(within(dialog).getByRole("textbox", { name: /Note/ }), {
      target: { value: "Not a warden here" },
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Reject" }));
    await screen.findByText("Rejected: Exemption of Ada Byron from Fire safety");
    expect(decisions).toEqual([
      {
        path: `/api/v1/workflow-executions/${EXECUTION}/reject`,
        body: { note: "Not a warden here" },
      },
    ]);
    await screen.findByRole("heading", { name: "Nothing waits for your decision" });
  });

  it("approves without a note and explains a refusal for someone no longer an approver", async () => {
    await show();
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) =>
        new URL(request.url).pathname.endsWith("/approve")
          ? json(
              {
                success: false,
                error: { code: "NOT_AN_APPROVER", message: "You are not an approver of this step" },
              },
              403,
            )
          : answer(request),
      ),
    );
    fireEvent.click(
      await screen.findByRole("button", {
        name: "Approve Exemption of Ada Byron from Fire safety",
      }),
    );
    const dialog = await screen.findByRole("dialog", { name: "Approve this request?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Approve" }));
    await within(dialog).findByText(/You are not an approver of this step \(any longer\)/);
  });
});
