import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, PASSWORD } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createApiKey } from "../../modules/access/api-keys.js";
import { createOrganization } from "../../modules/organizations/service.js";

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

  it("limits a verified API key per key, wherever it calls from", async () => {
    const org = await createOrganization(t.system, { name: "Limits Org" });
    const scopes = ["members:read:organization"];
    const one = await createApiKey(t.system, org.id, { name: "One", scopes });
    const two = await createApiKey(t.system, org.id, { name: "Two", scopes });
    const call = (ip: string, key: string) =>
      t.lyceum.app.inject({
        method: "GET",
        url: `/api/v1/organizations/${org.id}/members`,
        remoteAddress: ip,
        headers: { "x-api-key": key },
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(`10.1.0.${i}`, one.secret)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await call("10.1.0.99", one.secret);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await call("10.1.0.98", two.secret)).statusCode).toBe(200);
  });

  it("limits a signed-in person per person, wherever they call from", async () => {
    const user = await makeUser(t);
    const login = await t.lyceum.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      remoteAddress: "10.4.0.1",
      payload: { email: user.email, password: PASSWORD },
    });
    const token = login.json().data.tokens.accessToken;
    const me = (ip: string) =>
      t.lyceum.app.inject({
        method: "GET",
        url: "/api/v1/users/me",
        remoteAddress: ip,
        headers: { authorization: `Bearer ${token}` },
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await me(`10.4.1.${i}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("counts made-up keys and tokens against the address they come from", async () => {
    const victim = await makeUser(t, { email: "victim@limits.example" });
    const forgot = (headers: Record<string, string>) =>
      t.lyceum.app.inject({
        method: "POST",
        url: "/api/v1/auth/forgot-password",
        remoteAddress: "10.5.0.1",
        headers,
        payload: { email: victim.email },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const made = `lyk_${randomBytes(16).toString("hex")}`;
      const headers = [
        { "x-api-key": made },
        { authorization: `Bearer ${made}` },
        { authorization: `Bearer eyJ${randomBytes(24).toString("base64url")}` },
        { "x-api-key": `${made}-again` },
      ][i] as Record<string, string>;
      statuses.push((await forgot(headers)).statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select("id")
      .where("to_address", "=", victim.email)
      .execute();
    expect(mails).toHaveLength(3);

    const other = (i: number) =>
      t.lyceum.app.inject({
        method: "GET",
        url: "/api/v1/users/me",
        remoteAddress: "10.5.0.2",
        headers: { "x-api-key": `lyk_${i}-${randomBytes(16).toString("hex")}` },
      });
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await other(i)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("does not trust X-Forwarded-For unless told there is a proxy", async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.lyceum.app.inject({
        method: "GET",
        url: "/api/v1/users/me",
        remoteAddress: "10.6.0.1",
        headers: { "x-forwarded-for": `203.0.113.${i}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("counts an IPv6 client by its /64 network", async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await from(`2001:db8:7:7::${i + 1}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await from("2001:db8:7:8::1")).statusCode).toBe(401);
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

  it("applies it to declining an invitation, where the token is the credential", async () => {
    const decline = () =>
      t.lyceum.app.inject({
        method: "POST",
        url: "/api/v1/invites/decline",
        remoteAddress: "10.2.0.2",
        payload: { token: randomBytes(32).toString("base64url") },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await decline()).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429]);
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
