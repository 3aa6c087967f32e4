import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { listResponse, stubApi } from "../../test/api";
import { renderPage, signedInClient } from "../../test/render";
import { AccessLogsPage } from "./AccessLogsPage";
import { PrivacyRequestsPage } from "./PrivacyRequestsPage";

const ORG = "00000000-0000-4000-8000-00000000b001";
/** A member far beyond the first page of members: only the rows name her. */
const ZWART = "00000000-0000-4000-8000-0000000000f9";
const VIEWER = "00000000-0000-4000-8000-0000000000f8";

const request = {
  id: "00000000-0000-4000-8000-00000000c001",
  organizationId: ORG,
  type: "restriction",
  status: "completed",
  scope: "organization",
  subjectUserId: ZWART,
  subjectName: "Yolanda Zwart",
  requestedBy: null,
  reason: null,
  decidedBy: null,
  decisionNote: null,
  file: null,
  summary: {},
  error: null,
  completedAt: "2026-03-01T09:00:00.000Z",
  createdAt: "2026-03-01T09:00:00.000Z",
};

const entry = {
  id: "00000000-0000-4000-8000-00000000d001",
  organizationId: ORG,
  organizationName: "Acme",
  viewer: { userId: VIEWER, name: "Victor Viewer", apiKeyId: null },
  subjectUserId: ZWART,
  subjectName: "Yolanda Zwart",
  what: "member-profile",
  detail: null,
  ipAddress: "192.0.2.1",
  userAgent: null,
  createdAt: "2026-03-01T09:00:00.000Z",
};

let asked: URL[] = [];

beforeEach(() => {
  asked = stubApi((url) => {
    const base = `/api/v1/organizations/${ORG}`;
    if (url.pathname === `${base}/privacy-requests`) return listResponse([request]);
    if (url.pathname === `${base}/access-logs`) return listResponse([entry]);
    // the pickers' first page holds nobody these rows are about
    if (url.pathname === `${base}/members`) return listResponse([]);
    return undefined;
  });
});

async function show(ui: React.ReactNode, path: string) {
  const client = signedInClient(ORG, ["privacy:manage"]);
  return renderPage(ui, { namespaces: ["privacy"], client, path });
}

/** No member's page was opened: filters name people from the rows, which is not logged. */
const openedMemberPage = () => asked.some((u) => /\/members\/[^/]+$/.test(u.pathname));

describe("the data requests screen", () => {
  it("names each request's person from the request, and the person filter from the rows", async () => {
    await show(
      <PrivacyRequestsPage />,
      `/organization/privacy-requests?org=${ORG}&person=${ZWART}`,
    );
    const table = await screen.findByRole("table", { name: "Data subject requests" });
    expect(within(table).getByText("Yolanda Zwart")).toBeTruthy();
    const filter = screen.getByRole("combobox", { name: "Person" }) as HTMLInputElement;
    await waitFor(() => expect(filter.value).toBe("Yolanda Zwart"));
    expect(
      asked.find((u) => u.pathname.endsWith("/privacy-requests"))?.searchParams.get("userId"),
    ).toBe(ZWART);
    expect(openedMemberPage()).toBe(false);
  });
});

describe("the access log screen", () => {
  it("names the person read about from the entry, and both filters from the rows", async () => {
    await show(
      <AccessLogsPage />,
      `/organization/access-logs?org=${ORG}&subject=${ZWART}&viewer=${VIEWER}`,
    );
    const table = await screen.findByRole("table", { name: "Access logs" });
    expect(within(table).getByText("Yolanda Zwart")).toBeTruthy();
    const subject = screen.getByRole("combobox", { name: "Whose data" }) as HTMLInputElement;
    const viewer = screen.getByRole("combobox", { name: "Read by" }) as HTMLInputElement;
    await waitFor(() => expect(subject.value).toBe("Yolanda Zwart"));
    expect(viewer.value).toBe("Victor Viewer");
    expect(openedMemberPage()).toBe(false);
  });
});
