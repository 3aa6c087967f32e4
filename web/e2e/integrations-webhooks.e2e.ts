import { createHmac } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember } from "../../src/modules/organizations/service.js";
import { makeOrganization, makeUser, PASSWORD } from "../../test/factories.js";
import { drainJobs } from "../../test/jobs.js";
import { checkPage } from "./browser.js";
import { type Journey, openJourney } from "./journey.js";
import { afterResponse, type Lyceum } from "./pages.js";
import type { E2eServer } from "./server.js";

/**
 * An organization administrator opens an inbound-webhook integration, generates its signing
 * secret (shown once), the other system sends a signed delivery, and the delivery shows in
 * the list once its sync run has read it.
 */
let journey: Journey;
let server: E2eServer;
let page: Page;
let app: Lyceum;
let admin = { email: "" };
let integrationId = "";
let secret = "";
const MEMBER = "webhook.learner@example.org";

/** Works the queue until the runs it started are done. */
const work = () => drainJobs(server.app, ["integrations.webhook-deliveries", "integrations.sync"]);

beforeAll(async () => {
  journey = await openJourney();
  ({ server, page, app } = journey);
  const made = await makeOrganization(server.app, { name: "Dockside Training" });
  admin = { email: made.people.admin.user.email };
  const learner = await makeUser(server.app, { email: MEMBER });
  await addMember(server.app.system, made.org.id, {
    userId: learner.id,
    roleKeys: ["learner"],
    departmentId: null,
  });
  const created = await server.app.http.post(
    `/api/v1/organizations/${made.org.id}/lms-integrations`,
    { name: "Partner academy push", code: "push", lmsType: "inbound-webhook", method: "webhook" },
    made.people.admin,
  );
  expect(created.status).toBe(201);
  integrationId = created.body.data.id;
});

afterAll(async () => {
  await journey?.close();
});

describe("Inbound webhooks", () => {
  it("shows the address to give the other system, and no secret yet", async () => {
    await app.open("/");
    expect((await app.signIn(admin.email, PASSWORD)).status()).toBe(200);
    await app.expectHeading("My learning");
    await app.open(`/integrations/${integrationId}`);
    await app.expectHeading("Partner academy push");
    await page.getByRole("heading", { name: "Inbound webhook" }).waitFor();
    expect(await page.getByTestId("webhook-endpoint").textContent()).toBe(
      `${server.url}/api/v1/integration-webhooks/${integrationId}`,
    );
    await page.getByText("No signing secret yet").waitFor();
    await page.getByRole("heading", { name: "No deliveries yet" }).waitFor();
    await checkPage(page, "inbound webhook, no secret");
  });

  it("generates the secret and shows it once, with a copy button and a warning", async () => {
    const answer = await afterResponse(
      page,
      `/api/v1/lms-integrations/${integrationId}/webhook-secret`,
      () => page.getByRole("button", { name: "Generate secret" }).click(),
    );
    expect(answer.status()).toBe(201);
    secret = (await page.getByTestId("webhook-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByText("will not show it again").waitFor();
    await page.getByRole("button", { name: "Copy secret" }).waitFor();
    await checkPage(page, "inbound webhook, secret shown once");
    await page.getByRole("button", { name: "I have stored it" }).click();
    expect(await page.getByTestId("webhook-secret").count()).toBe(0);
    await page.getByText("A signing secret is set").waitFor();
    await page.getByRole("button", { name: "Rotate secret" }).waitFor();
  });

  it("lists a signed delivery the other system sent, processed by its run", async () => {
    const body = JSON.stringify({
      id: "evt_journey_1",
      type: "learning-records",
      occurredAt: server.app.clock.now().toISOString(),
      data: {
        courses: [{ externalId: "c-9", title: "Harbour crane basics" }],
        enrollments: [
          {
            externalId: "c-9:p-1",
            courseExternalId: "c-9",
            person: { externalId: "p-1", email: MEMBER },
            status: "completed",
            completedAt: server.app.clock.now().toISOString(),
            progressPercent: 100,
          },
        ],
      },
    });
    const t = Math.floor(server.app.clock.now().getTime() / 1000);
    const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    const sent = await fetch(`${server.url}/api/v1/integration-webhooks/${integrationId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "lyceum-signature": `t=${t},v1=${v1}` },
      body,
    });
    expect(sent.status).toBe(202);
    await work();
    await page.reload();
    await app.expectHeading("Partner academy push");
    const table = page.getByTestId("webhook-deliveries");
    await table.getByText("evt_journey_1").waitFor();
    await table.getByText("Processed").waitFor();
    await table.getByRole("link", { name: "Open run" }).waitFor();
    await checkPage(page, "inbound webhook, delivery processed");
  });
});
