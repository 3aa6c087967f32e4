import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      RATE_LIMIT_PER_MINUTE: "5",
      AUTH_RATE_LIMIT_PER_MINUTE: "3",
      CORS_ORIGINS: "https://app.example.com",
    },
  });
});
afterAll(() => t.close());

const from = (ip: string, url = "/api/v1/users/me") =>
  t.lyceum.app.inject({ method: "GET", url, remoteAddress: ip });

describe("rate limits", () => {
  it("limits each address separately and answers 429 in the envelope with Retry-After", async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await from("10.0.0.1")).statusCode);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    const limited = await from("10.0.0.1");
    expect(limited.statusCode).toBe(429);
    const body = limited.json();
    expect(body.success).toBe(false);
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.headers["x-ratelimit-limit"]).toBe("5");
    expect((await from("10.0.0.2")).statusCode).toBe(401);
  });

  it("limits API keys per key, wherever they call from", async () => {
    const call = (ip: string, key: string) =>
      t.lyceum.app.inject({
        method: "GET",
        url: "/api/v1/users/me",
        remoteAddress: ip,
        headers: { "x-api-key": key },
      });
    for (let i = 0; i < 5; i++) await call(`10.1.0.${i}`, "lyk_same-key-0000000000");
    expect((await call("10.1.0.99", "lyk_same-key-0000000000")).statusCode).toBe(429);
    expect((await call("10.1.0.99", "lyk_other-key-111111111")).statusCode).not.toBe(429);
  });

  it("applies the stricter limit to sign-in", async () => {
    const login = () =>
      t.lyceum.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        remoteAddress: "10.2.0.1",
        payload: { email: "nobody@example.com", password: "Whatever-1!" },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login()).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe("CORS", () => {
  it("allows configured origins with credentials and no others", async () => {
    const allowed = await t.lyceum.app.inject({
      method: "OPTIONS",
      url: "/api/v1/auth/login",
      remoteAddress: "10.3.0.1",
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
    });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(allowed.headers["access-control-allow-credentials"]).toBe("true");
    const other = await t.lyceum.app.inject({
      method: "OPTIONS",
      url: "/api/v1/auth/login",
      remoteAddress: "10.3.0.2",
      headers: { origin: "https://evil.example.com", "access-control-request-method": "POST" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
