import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ComplianceStatusRow, ComplianceSummary } from "../../api/compliance";
import { type Me, sessionKeys } from "../../api/session";
import { renderPage } from "../../test/render";
import { CompliancePage } from "./CompliancePage";

const ORG = "00000000-0000-4000-8000-00000000b001";
const REQ = "00000000-0000-4000-8000-00000000a001";

const summary: ComplianceSummary[] = [
  {
    id: REQ,
    name: "Fire safety",
    counts: {
      compliant: 3,
      "due-soon": 1,
      overdue: 2,
      expired: 0,
      exempt: 1,
      "in-progress": 0,
      "not-started": 0,
    },
    total: 7,
    score: 50,
    violations: 2,
  },
];

const row: ComplianceStatusRow = {
  requirementId: REQ,
  requirementName: "Fire safety",
  course: { id: "00000000-0000-4000-8000-00000000c001", title: "Fire 101" },
  person: { id: "00000000-0000-4000-8000-00000000e001", name: "Ada Byron", email: "ada@x.test" },
  department: { id: "00000000-0000-4000-8000-00000000d001", name: "Sales" },
  status: "overdue",
  assignmentId: "00000000-0000-4000-8000-00000000f001",
  cycle: 1,
  assignedAt: "2026-02-01T09:00:00.000Z",
  dueAt: "2026-03-01T09:00:00.000Z",
  completedAt: null,
  expiresAt: null,
  certificateId: null,
  enrollmentId: null,
  progressPercent: 0,
  exemption: null,
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

const statusQueries: URLSearchParams[] = [];
let evaluations = 0;

function answer(request: Request): Response {
  const url = new URL(request.url);
  const base = `/api/v1/organizations/${ORG}`;
  if (url.pathname === `${base}/compliance/summary`)
    return json({
      success: true,
      data: url.searchParams.get("by") === "department" ? [] : summary,
    });
  if (url.pathname === `${base}/compliance/status`) {
    statusQueries.push(url.searchParams);
    const items = url.searchParams.get("status") === "compliant" ? [] : [row];
    return json({
      success: true,
      data: items,
      meta: {
        pagination: {
          page: 1,
          limit: 50,
          total: items.length,
          totalPages: 1,
          hasNext: false,
          hasPrev: false,
        },
      },
    });
  }
  if (url.pathname === `${base}/compliance/requirements`)
    return json({ success: true, data: [{ id: REQ, name: "Fire safety" }] });
  if (url.pathname === `${base}/departments`)
    return json({ success: true, data: [{ id: row.department?.id, name: "Sales" }] });
  if (url.pathname === `${base}/compliance/evaluate` && request.method === "POST") {
    evaluations += 1;
    return json({
      success: true,
      data: {
        assigned: 4,
        recertifications: 1,
        outOfScope: 0,
        completedOnAssignment: 0,
        reminders: { dueSoon: 2, overdue: 1, escalatedToManager: 0, escalatedToOfficer: 0 },
      },
    });
  }
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  statusQueries.length = 0;
  evaluations = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function show(permissions: string[], path = `/compliance?org=${ORG}`) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  const me = {
    user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" },
    platformPermissions: [],
    memberships: [{ organization: { id: ORG, name: "Acme" }, permissions }],
  };
  client.setQueryData(sessionKeys.me(), me as unknown as Me);
  return renderPage(<CompliancePage />, { namespaces: ["compliance"], client, path });
}

describe("the compliance dashboard", () => {
  it("summarizes each requirement and lists people with their status in words", async () => {
    await show(["compliance:read:organization"]);
    const summaryRegion = await screen.findByRole("region", { name: "Summary" });
    const table = await within(summaryRegion).findByRole("table");
    const cells = within(table)
      .getAllByRole("cell")
      .map((c) => c.textContent);
    expect(cells).toContain("50%");
    expect(within(table).getByRole("link", { name: "Fire safety" }).getAttribute("href")).toBe(
      `/compliance/requirements/${REQ}?org=${ORG}`,
    );
    const people = screen.getByRole("region", { name: "People" });
    await within(people).findByText("Ada Byron");
    expect(within(people).getByText("Overdue")).toBeTruthy();
    expect(within(people).getByText("1 entry")).toBeTruthy();
    // Readers do not get the button that runs an evaluation.
    expect(screen.queryByRole("button", { name: "Run evaluation now" })).toBeNull();
  });

  it("filters the status list from the URL", async () => {
    await show(
      ["compliance:read:organization"],
      `/compliance?org=${ORG}&status=compliant&requirement=${REQ}`,
    );
    await screen.findByRole("heading", { name: "Nobody matches" });
    const last = statusQueries.at(-1);
    expect(last?.get("status")).toBe("compliant");
    expect(last?.get("requirementId")).toBe(REQ);
    expect(last?.get("departmentId")).toBeNull();
  });

  it("runs an evaluation for those who manage compliance and says what it did", async () => {
    await show(["compliance:read:organization", "compliance:manage:organization"]);
    await screen.findByText("Ada Byron");
    const before = statusQueries.length;
    fireEvent.click(screen.getByRole("button", { name: "Run evaluation now" }));
    await screen.findByText(
      "Evaluation done: 4 assigned, 1 recertifications opened, 0 out of scope, 3 reminders sent.",
    );
    expect(evaluations).toBe(1);
    // The status is read again after the evaluation.
    await vi.waitFor(() => expect(statusQueries.length).toBeGreaterThan(before));
  });

  it("says when there is nothing to summarize by department", async () => {
    await show(["compliance:read:organization"]);
    await screen.findByText("Ada Byron");
    fireEvent.click(screen.getByRole("radio", { name: "Department" }));
    await screen.findByRole("heading", { name: "No required training yet" });
  });
});
