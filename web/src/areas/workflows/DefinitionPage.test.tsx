import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Me, sessionKeys } from "../../api/session";
import type { Workflow } from "../../api/workflow-definitions";
import { renderPage } from "../../test/render";
import { DefinitionPage } from "./DefinitionPage";

const ORG = "00000000-0000-4000-8000-00000000b001";
const WF = "00000000-0000-4000-8000-00000000f001";

const builtin: Workflow = {
  id: WF,
  organizationId: ORG,
  name: "Compliance exemption approval",
  description: "Waits for a compliance officer.",
  builtin: "compliance-exemption",
  trigger: { type: "manual", event: null, everyHours: null, cron: null },
  nextRunAt: null,
  steps: [
    {
      type: "approval",
      approver: { kind: "role", role: "compliance-officer" },
      timeoutHours: 72,
      escalateTo: { kind: "role", role: "org-admin" },
    },
  ],
  version: 1,
  enabled: true,
  createdAt: "2026-12-01T09:00:00.000Z",
  updatedAt: "2026-12-01T09:00:00.000Z",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const sent: Array<{ method: string; path: string; body: unknown }> = [];
let current: Workflow = builtin;

async function answer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== "GET")
    sent.push({ method: request.method, path: url.pathname, body: await request.json() });
  if (url.pathname === "/api/v1/workflow-trigger-events")
    return json({
      success: true,
      data: [
        {
          type: "enrollment.created",
          description: "A person was enrolled",
          fields: ["courseId", "source"],
        },
      ],
    });
  if (url.pathname === `/api/v1/organizations/${ORG}/roles`)
    return json({
      success: true,
      data: [{ key: "compliance-officer", name: "Compliance officer" }],
    });
  if (url.pathname === `/api/v1/workflows/${WF}` && request.method === "PATCH") {
    current = {
      ...current,
      version: 2,
      steps: (sent.at(-1)?.body as Workflow | undefined)?.steps ?? [],
    };
    return json({ success: true, data: current });
  }
  if (url.pathname === `/api/v1/workflows/${WF}`) return json({ success: true, data: current });
  if (url.pathname === `/api/v1/workflows/${WF}/versions`)
    return json({
      success: true,
      data: [
        {
          version: current.version,
          name: current.name,
          trigger: current.trigger,
          steps: current.steps,
          createdBy: null,
          createdAt: "2026-12-02T09:00:00.000Z",
        },
      ],
    });
  if (url.pathname === `/api/v1/organizations/${ORG}/workflow-schedule-preview`) {
    if (url.searchParams.get("cron") === "* * * * *")
      return json(
        {
          success: false,
          error: {
            code: "VALIDATION_ERROR",
            message: "A scheduled workflow starts at most once an hour",
            field: "trigger.cron",
          },
        },
        400,
      );
    return json({
      success: true,
      data: {
        timezone: "Europe/Berlin",
        runs: ["2026-12-07T07:00:00.000Z", "2026-12-08T07:00:00.000Z"],
      },
    });
  }
  if (url.pathname === `/api/v1/organizations/${ORG}/workflows` && request.method === "POST")
    return json(
      {
        success: false,
        error: {
          code: "VALIDATION_ERROR",
          message: "Step 1 (wait): hours must be at least 0.01",
          field: "steps.0.hours",
        },
      },
      400,
    );
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  sent.length = 0;
  current = builtin;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function show(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(sessionKeys.me(), {
    user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" },
    platformPermissions: [],
    memberships: [
      { organization: { id: ORG, name: "Acme" }, permissions: ["workflows:manage:organization"] },
    ],
  } as unknown as Me);
  return renderPage(
    <Routes>
      <Route path="/workflows/new" element={<DefinitionPage />} />
      <Route path="/workflows/:workflowId" element={<DefinitionPage />} />
    </Routes>,
    { namespaces: ["workflows", "compliance"], client, path },
  );
}

describe("a workflow's page", () => {
  it("offers a built-in approval only its approval and saves only its steps", async () => {
    await show(`/workflows/${WF}?org=${ORG}`);
    await screen.findByRole("heading", { level: 1, name: "Compliance exemption approval" });
    expect(screen.queryByRole("textbox", { name: /^Name/ })).toBeNull();
    expect(screen.queryByRole("combobox", { name: "Starts" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Delete workflow" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Start now" })).toBeNull();
    const approval = screen.getByRole("listitem", { name: "Step 1: Approval" });
    fireEvent.change(within(approval).getByLabelText(/^Decide within/), {
      target: { value: "24" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save as a new version" }));
    await screen.findByText("Saved as version 2.");
    expect(sent).toEqual([
      {
        method: "PATCH",
        path: `/api/v1/workflows/${WF}`,
        body: {
          steps: [
            {
              type: "approval",
              approver: { kind: "role", role: "compliance-officer" },
              timeoutHours: 24,
              escalateTo: { kind: "role", role: "org-admin" },
            },
          ],
        },
      },
    ]);
    const versions = screen.getByRole("region", { name: "Versions" });
    await within(versions).findByRole("cell", { name: "Version 2" });
  });

  it("shows a refusal naming a step on that step, and says so at the top", async () => {
    await show(`/workflows/new?org=${ORG}`);
    await screen.findByRole("heading", { level: 1, name: "New workflow" });
    fireEvent.change(screen.getByRole("textbox", { name: /^Name/ }), {
      target: { value: "Quick" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Add wait" }));
    fireEvent.click(screen.getByRole("button", { name: "Create workflow" }));
    const step = screen.getByRole("listitem", { name: "Step 1: Wait" });
    expect((await within(step).findByRole("alert")).textContent).toBe(
      "Step 1 (wait): hours must be at least 0.01",
    );
    expect(screen.getByText("Not saved: step 1 needs a change (see the step).")).toBeTruthy();
    expect(sent[0]?.body).toEqual({
      name: "Quick",
      description: null,
      trigger: { type: "event", event: null },
      steps: [{ type: "wait", hours: 0 }],
      enabled: true,
    });
  });

  it("offers every N hours or a cron expression, previewing the expression's next starts", async () => {
    await show(`/workflows/new?org=${ORG}`);
    await screen.findByRole("heading", { level: 1, name: "New workflow" });
    fireEvent.change(screen.getByRole("textbox", { name: /^Name/ }), {
      target: { value: "Mornings" },
    });
    fireEvent.click(screen.getByRole("combobox", { name: "Starts" }));
    fireEvent.click(screen.getByRole("option", { name: "On a schedule", hidden: true }));
    expect(screen.getByRole("radio", { name: "Every N hours" })).toHaveProperty("checked", true);
    expect(screen.getByRole("textbox", { name: /^Every \(hours\)/ })).toBeTruthy();

    fireEvent.click(screen.getByRole("radio", { name: "Cron expression" }));
    expect(screen.queryByRole("textbox", { name: /^Every \(hours\)/ })).toBeNull();
    const expression = screen.getByRole("textbox", { name: /^Schedule \(cron\)/ });
    expect(
      screen.getByText(/read in the organization's time zone; at most once an hour/),
    ).toBeTruthy();

    fireEvent.change(expression, { target: { value: "* * * * *" } });
    expect(
      await screen.findByText("A scheduled workflow starts at most once an hour", undefined, {
        timeout: 2000,
      }),
    ).toBeTruthy();

    fireEvent.change(expression, { target: { value: "0 8 * * 1-5" } });
    await screen.findByText("Next starts (Europe/Berlin)", undefined, { timeout: 2000 });
    // Shown in the organization's time zone: 07:00 UTC is 08:00 in Berlin
    const runs = screen.getAllByRole("listitem").map((item) => item.textContent);
    expect(runs).toEqual([
      expect.stringMatching(/December 7, 2026.* 8:00/),
      expect.stringMatching(/December 8, 2026.* 8:00/),
    ]);

    fireEvent.click(screen.getByRole("button", { name: "Add wait" }));
    fireEvent.click(screen.getByRole("button", { name: "Create workflow" }));
    await screen.findByText("Not saved: step 1 needs a change (see the step).");
    expect(sent[0]?.body).toMatchObject({
      name: "Mornings",
      trigger: { type: "schedule", cron: "0 8 * * 1-5" },
    });
  });
});
