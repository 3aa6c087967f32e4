import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { processNextReportJob } from "./runner.js";
import { deliverReportWebhook, WEBHOOK_JOB } from "./webhooks.js";

let t: TestApp;
let world: Awaited<ReturnType<typeof reportWorld>>;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let answer = 200;
let receiver: ReturnType<typeof createServer>;
let hook = "";
const SECRET = "whsec-test-0123456789abcdef";

beforeAll(async () => {
  t = await createTestApp();
  world = await reportWorld(t);
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/reports`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await t.close();
});

describe("report webhooks", () => {
  it("tell the job's URL it is ready, signed with its secret, and retry while the receiver fails", async () => {
    let res = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-jobs`,
      {
        name: "Hooked",
        definition: { measures: [{ id: "n", type: "count" }] },
        outputFormat: "csv",
        webhook: { url: hook, secret: "short" },
      },
      world.who.viewer,
    );
    expect(res.status).toBe(400);
    res = await t.http.post(
      `/api/v1/organizations/${world.orgId}/report-jobs`,
      {
        name: "Hooked",
        definition: { measures: [{ id: "n", type: "count" }] },
        outputFormat: "csv",
        webhook: { url: hook, secret: SECRET },
      },
      world.who.viewer,
    );
    expect(res.body.data.webhookUrl).toBe(hook);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const job = await processNextReportJob(t.lyceum.services, "hook-worker");
    const queued = await t.system.db
      .selectFrom("jobs")
      .select("payload")
      .where("name", "=", WEBHOOK_JOB)
      .execute();
    expect(queued.map((q) => q.payload)).toEqual([{ jobId: job?.id }]);

    answer = 503;
    await expect(deliverReportWebhook(t.lyceum.services, job?.id as string)).rejects.toThrow(/503/);
    answer = 200;
    expect(await deliverReportWebhook(t.lyceum.services, job?.id as string)).toEqual({
      delivered: true,
      status: 200,
    });
    const last = received.at(-1);
    expect(last?.headers["x-lyceum-event"]).toBe("report-job.ready");
    const [, ts, v1] =
      /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(last?.headers["x-lyceum-signature"])) ?? [];
    expect(v1).toBe(createHmac("sha256", SECRET).update(`${ts}.${last?.body}`).digest("hex"));
    const body = JSON.parse(last?.body ?? "{}");
    expect(body).toMatchObject({
      event: "report-job.ready",
      jobId: job?.id,
      status: "ready",
      rows: 1,
      file: { name: "Hooked.csv", checksum: job?.file_checksum },
    });
    // The link in the webhook downloads the file.
    const file = await t.http.get(new URL(body.file.download.url).pathname, {});
    expect(String(file.body)).toContain("Count");
  });
});
