import { QueryClient } from "@tanstack/react-query";
import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { WebhookDelivery } from "../../api/integration-webhooks";
import type { Integration } from "../../api/integrations";
import { type Me, sessionKeys } from "../../api/session";
import { renderPage } from "../../test/render";
import { WebhookSection } from "./WebhookSection";

const ID = "00000000-0000-4000-8000-00000000a001";
const SECRET = "whsec_only-shown-once";

const integration = {
  id: ID,
  organizationId: "00000000-0000-4000-8000-00000000o001",
  name: "Partner push",
  lmsType: "inbound-webhook",
  webhookSecret: { set: false, rotatedAt: null, previousValidUntil: null },
} as unknown as Integration;

const delivery: WebhookDelivery = {
  id: "00000000-0000-4000-8000-00000000d001",
  integrationId: ID,
  deliveryId: "evt_42",
  eventType: "learning-records",
  occurredAt: "2026-03-02T09:00:00.000Z",
  receivedAt: "2026-03-02T09:00:01.000Z",
  status: "failed",
  sizeBytes: 512,
  courseCount: 1,
  enrollmentCount: 3,
  runId: "00000000-0000-4000-8000-00000000r001",
  error: "The integration is inactive",
  processedAt: "2026-03-02T09:00:05.000Z",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

let deliveries: WebhookDelivery[] | "error" = [];
const posted: string[] = [];

function answer(request: Request): Response {
  const url = new URL(request.url);
  if (url.pathname === `/api/v1/lms-integrations/${ID}/webhook-deliveries`) {
    if (deliveries === "error")
      return json(
        { success: false, error: { code: "INTERNAL_ERROR", message: "Broken" }, requestId: "r" },
        500,
      );
    const total = deliveries.length;
    return json({
      success: true,
      data: deliveries,
      meta: {
        pagination: { page: 1, limit: 10, total, totalPages: 1, hasNext: false, hasPrev: false },
      },
    });
  }
  if (url.pathname === `/api/v1/lms-integrations/${ID}/webhook-secret`) {
    posted.push(request.method);
    return json(
      {
        success: true,
        data: {
          secret: SECRET,
          endpointUrl: `http://localhost/api/v1/integration-webhooks/${ID}`,
          rotatedAt: "2026-03-02T09:00:00.000Z",
          previousValidUntil: null,
        },
      },
      201,
    );
  }
  if (url.pathname === `/api/v1/lms-integrations/${ID}`)
    return json({ success: true, data: integration });
  throw new Error(`unexpected request ${request.method} ${url.pathname}`);
}

beforeEach(() => {
  deliveries = [];
  posted.length = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => answer(input)),
  );
});

async function show(language: "en" | "de" = "en") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const me = { user: { id: "00000000-0000-4000-8000-0000000000u1", timezone: "UTC" } };
  client.setQueryData(sessionKeys.me(), me as unknown as Me);
  return renderPage(<WebhookSection integration={integration} />, {
    namespaces: ["integrations"],
    client,
    language,
  });
}

describe("an inbound webhook's section", () => {
  it("gives the address, generates the secret and shows it once until dismissed", async () => {
    await show();
    expect(screen.getByTestId("webhook-endpoint").textContent).toBe(
      `${window.location.origin}/api/v1/integration-webhooks/${ID}`,
    );
    expect(screen.getByText(/No signing secret yet/)).toBeTruthy();
    await screen.findByRole("heading", { name: "No deliveries yet" });
    fireEvent.click(screen.getByRole("button", { name: "Generate secret" }));
    expect((await screen.findByTestId("webhook-secret")).textContent).toBe(SECRET);
    expect(posted).toEqual(["POST"]);
    expect(screen.getByText(/will not show it again/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy secret" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "I have stored it" }));
    expect(screen.queryByTestId("webhook-secret")).toBeNull();
    expect(screen.queryByText(SECRET)).toBeNull();
  });

  it("lists deliveries with their status, error and run, in German too", async () => {
    deliveries = [delivery];
    await show("de");
    const table = await screen.findByTestId("webhook-deliveries");
    expect(within(table).getByText("evt_42")).toBeTruthy();
    expect(within(table).getByText("Fehlgeschlagen")).toBeTruthy();
    expect(within(table).getByText("The integration is inactive")).toBeTruthy();
    expect(within(table).getByRole("link", { name: "Lauf öffnen" }).getAttribute("href")).toBe(
      `/integrations/runs/${delivery.runId}`,
    );
    expect(screen.getByRole("button", { name: "Geheimnis erzeugen" })).toBeTruthy();
  });

  it("says when the deliveries cannot be loaded", async () => {
    deliveries = "error";
    await show();
    expect(await screen.findByRole("alert")).toBeTruthy();
  });
});
