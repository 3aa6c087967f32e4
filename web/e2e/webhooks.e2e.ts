import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../src/platform/net/signature.js";
import { makeOrganization, PASSWORD } from "../../test/factories.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator adds a webhook pointing at a receiver on 127.0.0.1 (a real
 * HTTP server in this test, which checks every signature), copies the secret shown once,
 * sends a test event, reads the delivery, sees a failure and sends it again, disables and
 * enables the webhook, and deletes it; also at 360 px.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let receiverServer: Server;
let receiverUrl = "";
let answer = 200;
const received: Array<{ raw: string; signature: string; type: string }> = [];
let orgId = "";
let adminEmail = "";
let secret = "";
let webhookId = "";

beforeAll(async () => {
  receiverServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({
        raw,
        signature: String(req.headers["lyceum-signature"]),
        type: String(req.headers["lyceum-event"]),
      });
      res.writeHead(answer, { "content-type": "text/plain" });
      res.end(answer === 200 ? "received" : "not now");
    });
  });
  await new Promise<void>((r) => receiverServer.listen(0, "127.0.0.1", () => r()));
  receiverUrl = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}/lyceum`;
  journey = await openJourney({ server: { env: { WEBHOOK_ALLOW_PRIVATE_NETWORK: "true" } } });
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Signal Works" });
  orgId = made.org.id;
  adminEmail = made.people.admin.user.email;
});

afterAll(async () => {
  await journey?.close();
  await new Promise<void>((r) => receiverServer?.close(() => r()));
});

describe("Webhooks", () => {
  it("adds a webhook from the empty list and shows its secret once", async () => {
    await app.open("/");
    expect((await app.signIn(adminEmail, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/organization/webhooks?org=${orgId}`);
    await app.expectHeading("Webhooks");
    await page.getByRole("heading", { name: "No webhooks yet" }).waitFor();
    await checkPage(page, "webhooks, empty");

    await page.getByRole("button", { name: "Add webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a webhook" });
    await dialog.getByRole("textbox", { name: /^Address/ }).fill(receiverUrl);
    await dialog.getByRole("textbox", { name: "Description" }).fill("Our HR system");
    await dialog.getByRole("checkbox", { name: /^certificate\.issued/ }).check();
    await dialog.getByRole("checkbox", { name: /^enrollment\.completed/ }).check();
    await checkPage(page, "add a webhook");
    const created = await afterResponse(page, `/api/v1/organizations/${orgId}/webhooks`, () =>
      dialog.getByRole("button", { name: "Add webhook" }).click(),
    );
    expect(created.status()).toBe(201);
    const body = (await created.json()) as { data: { webhook: { id: string }; secret: string } };
    webhookId = body.data.webhook.id;
    secret = body.data.secret;
    await page.getByText(secret).waitFor();
    await page.getByText(`Webhook for ${receiverUrl} added.`).waitFor();
    const stored = await server.app.system.db
      .selectFrom("webhook_endpoints")
      .select(["event_types", "description"])
      .where("id", "=", webhookId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      event_types: ["certificate.issued", "enrollment.completed"],
      description: "Our HR system",
    });
    await checkPage(page, "webhooks, secret shown");
    await page.getByRole("button", { name: "I have stored it" }).click();
    expect(await page.getByText(secret).count()).toBe(0);
  });

  it("sends a test event the receiver can verify, and lists the delivery", async () => {
    await page.getByRole("link", { name: receiverUrl }).click();
    await app.expectHeading("Webhook");
    const tested = await afterResponse(page, `/api/v1/webhooks/${webhookId}/test`, () =>
      page.getByRole("button", { name: "Send test event" }).click(),
    );
    expect(tested.status()).toBe(200);
    await page.getByText("Test event delivered (answer 200).").waitFor();
    const ping = received.at(-1);
    expect(ping?.type).toBe("webhook.ping");
    expect(
      verifySignature([secret], Buffer.from(ping?.raw ?? ""), ping?.signature, new Date()),
    ).toBe(true);
    const deliveries = page.getByRole("region", { name: "Deliveries" });
    await deliveries.getByText("delivered", { exact: true }).waitFor();
    await checkPage(page, "webhook with a delivery");
  });

  it("shows a failed delivery and sends it again", async () => {
    answer = 503;
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByText(/The test event was not delivered \(answer 503\)/).waitFor();
    const deliveries = page.getByRole("region", { name: "Deliveries" });
    await deliveries.getByText("retrying", { exact: true }).waitFor();
    answer = 200;
    const count = received.length;
    const answered = page.waitForResponse((r) => r.url().endsWith("/redeliver"));
    await deliveries.getByRole("button", { name: "Send again: webhook.ping" }).first().click();
    const again = await answered;
    expect(again.status()).toBe(201);
    await page.getByText("The event will be sent again in a moment.").waitFor();
    const { deliverDue } = await import("../../src/modules/webhooks/delivery.js");
    await deliverDue(server.app.system);
    expect(received.length).toBeGreaterThan(count);
  });

  it("disables and enables the webhook, works at 360 px, and deletes it", async () => {
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByText("Webhook disabled.").waitFor();
    await page.getByText("Disabled: Disabled by hand").waitFor();
    await page.getByRole("button", { name: "Enable" }).click();
    await page.getByText("Webhook enabled.").waitFor();
    await page.setViewportSize({ width: 360, height: 800 });
    await checkPage(page, "webhook at 360 px");
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole("button", { name: "Delete" }).click();
    await page
      .getByRole("dialog", { name: "Delete this webhook?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await app.expectHeading("Webhooks");
    await page.getByRole("heading", { name: "No webhooks yet" }).waitFor();
    const left = await server.app.system.db
      .selectFrom("webhook_endpoints")
      .select("id")
      .where("id", "=", webhookId)
      .execute();
    expect(left).toEqual([]);
  });
});
