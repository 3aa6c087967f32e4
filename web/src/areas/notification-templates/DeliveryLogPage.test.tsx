import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { NotificationDelivery } from "../../api/notificationTemplates";
import { listResponse, stubApi } from "../../test/api";
import { jsonResponse, renderPage, signedInClient } from "../../test/render";
import { DeliveryLogPage } from "./DeliveryLogPage";

const ORG = "00000000-0000-4000-8000-00000000b001";
/** A recipient far beyond the first page of members: only the row names her. */
const ZWART = "00000000-0000-4000-8000-0000000000f9";

const delivery: NotificationDelivery = {
  id: "00000000-0000-4000-8000-00000000d001",
  notificationId: null,
  userId: ZWART,
  userName: "Yolanda Zwart",
  type: "reminder",
  channel: "email",
  language: "en",
  status: "sent",
  reason: null,
  retries: 0,
  templateId: null,
  templateVersion: 0,
  mailOutboxId: null,
  queuedAt: "2026-03-01T09:00:00.000Z",
  sentAt: "2026-03-01T09:00:01.000Z",
  failedAt: null,
  bouncedAt: null,
  openedAt: null,
  clickedAt: null,
};

let asked: URL[] = [];

beforeEach(() => {
  asked = stubApi((url) => {
    const base = `/api/v1/organizations/${ORG}`;
    if (url.pathname === `${base}/notification-deliveries`) return listResponse([delivery]);
    if (url.pathname === "/api/v1/notification-types")
      return jsonResponse({ success: true, data: [] });
    // the picker's first page holds nobody the log names
    if (url.pathname === `${base}/members`) return listResponse([]);
    return undefined;
  });
});

describe("the delivery log", () => {
  it("names each recipient from the row, and the person filter from the rows", async () => {
    const client = signedInClient(ORG, ["organizations:update"]);
    await renderPage(<DeliveryLogPage />, {
      namespaces: ["notificationTemplates"],
      client,
      path: `/organization/notification-log?org=${ORG}&person=${ZWART}`,
    });
    const table = await screen.findByRole("table");
    expect(within(table).getAllByText("Yolanda Zwart").length).toBeGreaterThan(0);
    const filter = screen.getByRole("combobox", { name: "Person" }) as HTMLInputElement;
    await waitFor(() => expect(filter.value).toBe("Yolanda Zwart"));
    const log = asked.find((u) => u.pathname.endsWith("/notification-deliveries"));
    expect(log?.searchParams.get("userId")).toBe(ZWART);
    // no member's page was opened to name the filter (that read would be logged)
    expect(asked.some((u) => /\/members\/[^/]+$/.test(u.pathname))).toBe(false);
  });
});
