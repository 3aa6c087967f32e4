import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../../test/harness.js";
import { reportWorld } from "../../../test/report-data.js";
import { processNextReportJob } from "../../modules/reports/runner.js";
import { S3Storage, signV4 } from "./s3.js";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

describe("S3 request signing", () => {
  it("matches AWS's published Signature Version 4 example (GET Object with a range)", () => {
    const authorization = signV4({
      method: "GET",
      url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
      headers: {
        host: "examplebucket.s3.amazonaws.com",
        range: "bytes=0-9",
        "x-amz-content-sha256": sha(""),
        "x-amz-date": "20130524T000000Z",
      },
      payloadHash: sha(""),
      region: "us-east-1",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      amzDate: "20130524T000000Z",
    });
    expect(authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });
});

/** A local stand-in of an S3 bucket: objects in memory, requests checked for a signature. */
async function bucketStandIn() {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const seen: IncomingMessage["headers"][] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push(req.headers);
      const auth = String(req.headers.authorization ?? "");
      if (
        !auth.startsWith("AWS4-HMAC-SHA256 Credential=test-key/") ||
        req.headers["x-amz-content-sha256"] !== sha(body)
      ) {
        res.writeHead(403).end("<Error><Code>SignatureDoesNotMatch</Code></Error>");
        return;
      }
      const key = decodeURIComponent(req.url ?? "");
      if (req.method === "PUT") {
        objects.set(key, { body, type: String(req.headers["content-type"]) });
        res.writeHead(200).end();
      } else if (req.method === "GET") {
        const found = objects.get(key);
        const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ""));
        if (!found) res.writeHead(404).end("<Error><Code>NoSuchKey</Code></Error>");
        else if (range)
          res
            .writeHead(206, { "content-type": found.type })
            .end(found.body.subarray(Number(range[1]), Number(range[2]) + 1));
        else res.writeHead(200, { "content-type": found.type }).end(found.body);
      } else if (req.method === "DELETE") {
        objects.delete(key);
        res.writeHead(204).end();
      } else res.writeHead(405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, objects, seen, close: () => new Promise((r) => server.close(r)) };
}

describe("S3 storage", () => {
  let bucket: Awaited<ReturnType<typeof bucketStandIn>>;
  beforeAll(async () => {
    bucket = await bucketStandIn();
  });
  afterAll(() => bucket.close());

  const options = () => ({
    endpoint: bucket.endpoint,
    region: "eu-west-1",
    bucket: "lyceum-files",
    accessKeyId: "test-key",
    secretAccessKey: "test-secret",
    prefix: "prod/",
  });
  const storage = () => new S3Storage(options());

  it("puts, gets and deletes objects in the bucket under the prefix", async () => {
    const s3 = storage();
    await s3.put("reports/a/b.csv", Buffer.from("x,y\r\n1,2\r\n"), "text/csv");
    expect(bucket.objects.get("/lyceum-files/prod/reports/a/b.csv")).toEqual({
      body: Buffer.from("x,y\r\n1,2\r\n"),
      type: "text/csv",
    });
    expect(String(await s3.get("reports/a/b.csv"))).toBe("x,y\r\n1,2\r\n");
    expect(await s3.get("reports/missing.csv")).toBeNull();
    await s3.delete("reports/a/b.csv");
    expect(bucket.objects.size).toBe(0);
    const last = bucket.seen.at(-1);
    expect(last?.authorization).toMatch(
      /\/eu-west-1\/s3\/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=[0-9a-f]{64}$/,
    );
    const wrong = new S3Storage({ ...options(), accessKeyId: "other" });
    await expect(wrong.put("k", Buffer.from("v"), "text/plain")).rejects.toThrow(/403/);
  });

  it("streams a file from disk up with its length and checksum, and streams objects down", async () => {
    const s3 = storage();
    const dir = mkdtempSync(path.join(os.tmpdir(), "lyceum-s3-test-"));
    const body = Buffer.alloc(3 * 1024 * 1024 + 17, "report,row\r\n");
    const file = path.join(dir, "big.csv");
    writeFileSync(file, body);
    await s3.putFile(
      "reports/big.csv",
      { path: file, size: body.length, sha256: sha(body) },
      "text/csv",
    );
    expect(bucket.objects.get("/lyceum-files/prod/reports/big.csv")?.body.equals(body)).toBe(true);
    const put = bucket.seen.at(-1);
    expect(put?.["content-length"]).toBe(String(body.length));
    expect(put?.["transfer-encoding"]).toBeUndefined();
    const down = await s3.open("reports/big.csv");
    const chunks: Buffer[] = [];
    for await (const chunk of down ?? []) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    expect(await s3.open("reports/none.csv")).toBeNull();
    // A slice, with the range among the signed headers.
    const slice = await s3.open("reports/big.csv", { start: 5, end: 14 });
    const sliced: Buffer[] = [];
    for await (const chunk of slice ?? []) sliced.push(chunk as Buffer);
    expect(Buffer.concat(sliced).equals(body.subarray(5, 15))).toBe(true);
    expect(bucket.seen.at(-1)?.range).toBe("bytes=5-14");
    expect(bucket.seen.at(-1)?.authorization).toContain(
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,",
    );
    // A checksum that is not the file's is refused by the bucket.
    await expect(
      s3.putFile(
        "reports/bad.csv",
        { path: file, size: body.length, sha256: sha("other") },
        "text/csv",
      ),
    ).rejects.toThrow(/403/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds report files, with the size and checksum recorded on the job", async () => {
    const t = await createTestApp({ storage: storage() });
    try {
      const world = await reportWorld(t);
      const res = await t.http.post(
        `/api/v1/organizations/${world.orgId}/report-jobs`,
        {
          name: "In the bucket",
          definition: { measures: [{ id: "n", type: "count" }] },
          outputFormat: "csv",
        },
        world.who.viewer,
      );
      const job = await processNextReportJob(t.lyceum.services, "s3-worker");
      expect(job).toMatchObject({ id: res.body.data.id, status: "ready" });
      const stored = bucket.objects.get(`/lyceum-files/prod/${job?.file_key}`);
      expect(stored?.body.length).toBe(Number(job?.file_size));
      expect(sha(stored?.body as Buffer)).toBe(job?.file_checksum);
      const link = await t.http.post(
        `/api/v1/report-jobs/${job?.id}/download-url`,
        {},
        world.who.viewer,
      );
      const file = await t.http.get(new URL(link.body.data.url).pathname, {});
      expect(String(file.body)).toBe(String(stored?.body));
    } finally {
      await t.close();
    }
  });
});
