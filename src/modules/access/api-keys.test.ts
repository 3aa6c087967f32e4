import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, signIn } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { sha256 } from "../../platform/crypto.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ clockStart: "2026-03-02T09:10:00Z" });
  w = await makeOrganization(t, { people: [{ key: "hr", roles: ["hr-admin"] }] });
  base = `/api/v1/organizations/${w.org.id}`;
});
afterAll(() => t.close());

async function createKey(body: Record<string, unknown>) {
  const res = await t.http.post(
    `${base}/api-keys`,
    { name: "Integration", scopes: ["members:read:organization"], ...body },
    w.people.admin,
  );
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return {
    id: res.body.data.key.id as string,
    secret: res.body.data.secret as string,
    body: res.body,
  };
}

const asKey = (
  secret: string,
  method: "GET" | "POST" = "GET",
  url = `${base}/members`,
  ip = "127.0.0.1",
) =>
  t.lyceum.app.inject({
    method,
    url,
    remoteAddress: ip,
    headers: { "x-api-key": secret },
    ...(method === "POST" ? { payload: { name: "Dept" } } : {}),
  });

describe("API keys", () => {
  it("show the secret once and store only its hash and prefix", async () => {
    const { id, secret, body } = await createKey({});
    expect(secret).toMatch(/^lyk_[\w-]{40,}$/);
    expect(body.data.key).toMatchObject({
      prefix: secret.slice(0, 12),
      status: "active",
      accessLevel: "read-only",
      usageCount: 0,
    });
    const row = await t.system.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const read = await t.http.get(`${base}/api-keys/${id}`, w.people.admin);
    expect(JSON.stringify(read.body)).not.toContain(secret);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .selectAll()
      .where("entity_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.after)).not.toContain(secret);
    expect(JSON.stringify(audit.after)).toContain("[redacted]");
  });

  it("work inside their organization, for their scopes only, and count their use", async () => {
    const { id, secret } = await createKey({});
    const ok = await asKey(secret);
    expect(ok.statusCode).toBe(200);
    const bearer = await t.lyceum.app.inject({
      method: "GET",
      url: `${base}/members`,
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(bearer.statusCode).toBe(200);
    expect((await asKey(secret, "GET", `${base}/roles`)).statusCode).toBe(403);
    const other = await makeOrganization(t);
    expect(
      (await asKey(secret, "GET", `/api/v1/organizations/${other.org.id}/members`)).statusCode,
    ).toBe(403);
    expect((await asKey(secret, "GET", "/api/v1/users/me")).statusCode).toBe(403);
    const read = await t.http.get(`${base}/api-keys/${id}`, w.people.admin);
    expect(read.body.data).toMatchObject({
      usageCount: 5,
      lastUsedIp: "127.0.0.1",
      usage: { currentHour: 5, currentDay: 5 },
    });
    expect(read.body.data.lastUsedAt).toBe(t.clock.now().toISOString());
  });

  it("respect their access level, allowed methods and allowed addresses", async () => {
    const readOnly = await createKey({
      scopes: ["departments:manage:organization", "departments:read:organization"],
    });
    expect((await asKey(readOnly.secret, "POST", `${base}/departments`)).statusCode).toBe(403);
    const writer = await createKey({
      scopes: ["departments:manage:organization"],
      accessLevel: "read-write",
      allowedMethods: ["POST"],
    });
    expect((await asKey(writer.secret, "POST", `${base}/departments`)).statusCode).toBe(201);
    expect((await asKey(writer.secret, "GET", `${base}/departments`)).statusCode).toBe(403);
    const fenced = await createKey({ allowedIps: ["10.20.0.0/16", "2001:db8::1"] });
    expect((await asKey(fenced.secret, "GET", `${base}/members`, "10.20.30.40")).statusCode).toBe(
      200,
    );
    const outside = await asKey(fenced.secret, "GET", `${base}/members`, "10.21.0.1");
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe("IP_NOT_ALLOWED");
    const badRule = await t.http.post(
      `${base}/api-keys`,
      { name: "x", scopes: [], allowedIps: ["not-an-ip"] },
      w.people.admin,
    );
    expect(badRule.body.error.field).toBe("allowedIps");
  });

  it("stop at their hourly and daily limits with 429 and Retry-After", async () => {
    const { secret } = await createKey({ rateLimitPerHour: 3, rateLimitPerDay: 5 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await asKey(secret)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await asKey(secret);
    expect(limited.json().error).toMatchObject({
      code: "RATE_LIMITED",
      details: { window: "hour", limit: 3 },
    });
    expect(Number(limited.headers["retry-after"])).toBe(50 * 60);
    t.clock.advance(50 * 60_000);
    expect((await asKey(secret)).statusCode).toBe(429); // the daily quota (5) is already used by the refused calls
    const daily = await asKey(secret);
    expect(daily.json().error.details.window).toBe("day");
    // moving the clock expired the people's access tokens
    for (const person of Object.values(w.people))
      Object.assign(person, await signIn(t, person.user.email));
  });

  it("can be revoked, rotated, expired and paused", async () => {
    const revoked = await createKey({});
    await t.http.post(`${base}/api-keys/${revoked.id}/revoke`, {}, w.people.admin);
    const res = await asKey(revoked.secret);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("INVALID_API_KEY");

    const rotated = await createKey({});
    const rotation = await t.http.post(`${base}/api-keys/${rotated.id}/rotate`, {}, w.people.admin);
    expect((await asKey(rotated.secret)).statusCode).toBe(401);
    expect((await asKey(rotation.body.data.secret)).statusCode).toBe(200);

    const expiring = await createKey({
      expiresAt: new Date(t.clock.now().getTime() + 60_000).toISOString(),
    });
    expect((await asKey(expiring.secret)).statusCode).toBe(200);
    t.clock.advance(61_000);
    expect((await asKey(expiring.secret)).statusCode).toBe(401);

    const paused = await createKey({});
    const patch = await t.http.patch(
      `${base}/api-keys/${paused.id}`,
      { isActive: false, name: "Paused" },
      w.people.admin,
    );
    expect(patch.body.data).toMatchObject({ status: "inactive", name: "Paused" });
    expect((await asKey(paused.secret)).statusCode).toBe(401);
    const listed = await t.http.get(`${base}/api-keys?status=revoked`, w.people.admin);
    expect(listed.body.data.map((k: { id: string }) => k.id)).toEqual([revoked.id]);
  });

  it("carry only permissions their creator holds, and cannot manage keys themselves", async () => {
    const tooMuch = await t.http.post(
      `${base}/api-keys`,
      { name: "x", scopes: ["api-keys:manage:organization"] },
      w.people.hr,
    );
    expect(tooMuch.status).toBe(403);
    const platformWide = await t.http.post(
      `${base}/api-keys`,
      { name: "x", scopes: ["users:read:all"] },
      w.people.admin,
    );
    expect(platformWide.status).toBe(422);
    const manager = await createKey({
      scopes: ["api-keys:manage:organization", "api-keys:read:organization"],
      accessLevel: "full-access",
    });
    expect((await asKey(manager.secret, "GET", `${base}/api-keys`)).statusCode).toBe(403);
  });
});
