import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { WorkflowExecutionListItem } from "../../api/workflow-definitions";
import { listResponse, stubApi } from "../../test/api";
import { renderPage, signedInClient } from "../../test/render";
import { ExecutionsPage } from "./ExecutionsPage";

const ORG = "00000000-0000-4000-8000-00000000b001";
/** A person far beyond the first page of members: only the row names her. */
const ZWART = "00000000-0000-4000-8000-0000000000f9";

const execution: WorkflowExecutionListItem = {
  id: "00000000-0000-4000-8000-00000000e001",
  organizationId: ORG,
  workflowId: "00000000-0000-4000-8000-00000000d001",
  workflowName: "New joiner follow-up",
  builtin: null,
  version: 1,
  status: "awaiting-approval",
  currentStep: 1,
  trigger: "enrollment.created",
  subjectUserId: ZWART,
  subjectName: "Yolanda Zwart",
  subjectType: null,
  subjectId: null,
  context: {},
  escalationLevel: 0,
  dueAt: null,
  startedBy: null,
  startedAt: "2026-03-01T09:00:00.000Z",
  finishedAt: null,
};

let asked: URL[] = [];

beforeEach(() => {
  asked = stubApi((url) => {
    const base = `/api/v1/organizations/${ORG}`;
    if (url.pathname === `${base}/workflow-executions`) return listResponse([execution]);
    if (url.pathname === `${base}/workflows` || url.pathname === `${base}/members`)
      return listResponse([]);
    return undefined;
  });
});

describe("the executions list", () => {
  it("names the person of each row from the row, and the person filter from the rows", async () => {
    const client = signedInClient(ORG, ["workflows:manage"]);
    await renderPage(<ExecutionsPage />, {
      namespaces: ["workflows"],
      client,
      path: `/workflows/executions?org=${ORG}&subject=${ZWART}`,
    });
    const table = await screen.findByRole("table");
    expect(within(table).getByText("Yolanda Zwart")).toBeTruthy();
    const filter = screen.getByRole("combobox", {
      name: "About",
    }) as HTMLInputElement;
    await waitFor(() => expect(filter.value).toBe("Yolanda Zwart"));
    const list = asked.find((u) => u.pathname.endsWith("/workflow-executions"));
    expect(list?.searchParams.get("subjectId")).toBe(ZWART);
    // no member's page was opened (that read would be logged)
    expect(asked.some((u) => /\/members\/[^/]+$/.test(u.pathname))).toBe(false);
  });
});
