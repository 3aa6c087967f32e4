import { request as httpRequest } from "node:http";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { signedInUser } from "../test/factories.js";
import { createTestApp, type TestApp } from "../test/harness.js";

let t: TestApp | undefined;
afterAll(() => t?.close());

async function png(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 64, channels: 3, background: "#3366aa" } })
    .png()
    .toBuffer();
}

describe("graceful shutdown", () => {
  it("finishes a request that is in flight when the server is asked to stop, and refuses new ones", async () => {
    t = await createTestApp({ env: { HOST: "127.0.0.1", PORT: "0" } });
    const { token } = await signedInUser(t);
    const address = (await t.lyceum.start()) as string;
    const { port } = new URL(address);
    const image = await png();
    const boundary = "----lyceum-test";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="me.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = Buffer.concat([head, image, tail]);

    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/v1/users/me/avatar",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": `multipart/form-data; boundary=${boundary}`,
            "content-length": body.length,
          },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk) => {
            text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      // Send half the body, let the server start handling it, then stop the server.
      req.write(body.subarray(0, head.length + 10));
      setImmediate(async () => {
        await new Promise((r) => setTimeout(r, 50));
        const stopping = t!.lyceum.stop();
        req.end(body.subarray(head.length + 10));
        await stopping;
      });
    });
    const result = await response;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body).data.user.avatarUrl).toMatch(/^\/api\/v1\/files\/avatars\//);

    const refused = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      () => "answered",
      () => "refused",
    );
    expect(refused).toBe("refused");
  });
});
