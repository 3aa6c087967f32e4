import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type FakeServer, startFake } from "../fakes/common.js";
import { HttpClient, OAuth2TokenSource, parseRetryAfter, redact } from "./http.js";
import { ConnectorError } from "./types.js";

let server: FakeServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("expected a ConnectorError");
}

describe("the connectors' HTTP layer", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.UTC(2026, 0, 5, 9, 0, 0);
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Mon, 05 Jan 2026 09:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Mon, 05 Jan 2026 08:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("never lets a secret through a message", () => {
    expect(redact("token abc123secret refused", ["abc123secret"])).toBe("token [redacted] refused");
  });

  it("fetches an OAuth 2 token once, reuses it, and fetches a new one after a 401", async () => {
    let issued = 0;
    let valid = "";
    server = await startFake((req) => {
      if (req.path === "/oauth/token") {
        issued++;
        valid = `access-${issued}`;
        return {
          status: 200,
          body: { access_token: valid, token_type: "Bearer", expires_in: 3600 },
        };
      }
      if (req.authorization !== `Bearer ${valid}`) return { status: 401, body: {} };
      return { status: 200, body: { ok: true } };
    });
    const tokens = new OAuth2TokenSource({
      system: "Docebo",
      tokenUrl: `${server.url}/oauth/token`,
      clientId: "client",
      clientSecret: "very-secret-value",
      scope: "api",
      timeoutMs: 1000,
    });
    const client = new HttpClient({
      system: "Docebo",
      baseUrl: server.url,
      timeoutMs: 1000,
      maxRetries: 0,
      auth: { kind: "oauth2", tokens },
    });
    const get = () =>
      client.request({
        method: "GET",
        url: "/api/x",
        schema: z.object({ ok: z.boolean() }),
        what: "x",
      });
    expect((await get()).data).toEqual({ ok: true });
    expect((await get()).data).toEqual({ ok: true });
    expect(issued).toBe(1);
    const tokenRequest = server.requests[0]!;
    expect(tokenRequest.form.get("grant_type")).toBe("client_credentials");
    expect(tokenRequest.form.get("scope")).toBe("api");
    expect(tokenRequest.authorization).toBe(
      `Basic ${Buffer.from("client:very-secret-value").toString("base64")}`,
    );
    valid = "revoked";
    expect((await get()).data).toEqual({ ok: true });
    expect(issued).toBe(2);
  });

  it("says in words when the client secret is refused, without the secret", async () => {
    server = await startFake(() => ({ status: 401, body: { error: "invalid_client" } }));
    const tokens = new OAuth2TokenSource({
      system: "Docebo",
      tokenUrl: `${server.url}/oauth/token`,
      clientId: "client",
      clientSecret: "very-secret-value",
      timeoutMs: 1000,
    });
    const error = await failure(tokens.token());
    expect(error.kind).toBe("auth");
    expect(error.detail.remoteCode).toBe("invalid_client");
    expect(error.message).toContain("refused the client id and secret");
    expect(error.message).not.toContain("very-secret-value");
  });

  it("stops at once when the caller aborts, without retrying", async () => {
    server = await startFake(() => ({ status: 200, body: {} }));
    server.faults.add({ kind: "slow", ms: 400 }, { times: 5 });
    const client = new HttpClient({
      system: "Canvas",
      baseUrl: server.url,
      timeoutMs: 2000,
      maxRetries: 3,
      auth: { kind: "none" },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("sync cancelled")), 50);
    await expect(
      client.request({
        method: "GET",
        url: "/x",
        schema: z.object({}),
        what: "x",
        signal: controller.signal,
      }),
    ).rejects.toThrow("sync cancelled");
    expect(server.requests).toHaveLength(1);
  });

  it("leaves no listener on a sync's long-lived signal after its requests", async () => {
    server = await startFake(() => ({ status: 200, body: {} }));
    const client = new HttpClient({
      system: "Canvas",
      baseUrl: server.url,
      timeoutMs: 1000,
      maxRetries: 0,
      auth: { kind: "none" },
    });
    const sync = new AbortController();
    for (let i = 0; i < 20; i++)
      await client.request({
        method: "GET",
        url: "/x",
        schema: z.object({}),
        what: "x",
        signal: sync.signal,
      });
    expect(getEventListeners(sync.signal, "abort")).toHaveLength(0);
    expect(server.requests).toHaveLength(20);
  });

  it("refuses an address that is not http(s)", () => {
    expect(
      () =>
        new HttpClient({
          system: "Moodle",
          baseUrl: "ftp://moodle.example.org",
          timeoutMs: 1000,
          maxRetries: 0,
          auth: { kind: "none" },
        }),
    ).toThrow("must start with https://");
  });

  it("tolerates extra fields and keeps the documented ones", async () => {
    server = await startFake(() => ({ status: 200, body: { id: 1, extra: "kept out" } }));
    const client = new HttpClient({
      system: "Canvas",
      baseUrl: server.url,
      timeoutMs: 1000,
      maxRetries: 0,
      auth: { kind: "bearer", token: "t0ken-value" },
    });
    const { data } = await client.request({
      method: "GET",
      url: "/x",
      schema: z.object({ id: z.number() }),
      what: "x",
    });
    expect(data).toEqual({ id: 1 });
  });
});
