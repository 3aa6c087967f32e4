import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: "2048" } });
});
afterAll(() => t.close());

describe("HTTP pipeline", () => {
  it("answers health with the envelope and a request id", async () => {
    const res = await t.http.get("/api/v1/health");
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data.status).toBe("ok");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("echoes a well-formed incoming request id", async () => {
    const res = await t.http.request("GET", "/api/v1/health", {
      headers: { "x-request-id": "trace-123" },
    });
    expect(res.headers["x-request-id"]).toBe("trace-123");
  });

  it("sets security headers", async () => {
    const res = await t.http.get("/api/v1/health");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["content-security-policy"]).not.toContain("upgrade-insecure-requests");
    // Lesson media and embedded exercises come from where their authors host them.
    expect(res.headers["content-security-policy"]).toContain("media-src 'self' https: http:");
    expect(res.headers["content-security-policy"]).toContain("frame-src 'self' https:");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
  });

  it("reports readiness only once started", async () => {
    const before = await t.http.get("/api/v1/ready");
    expect(before.status).toBe(503);
    expect(before.body.error.code).toBe("SERVICE_UNAVAILABLE");
    await t.lyceum.start(false);
    const after = await t.http.get("/api/v1/ready");
    expect(after.status).toBe(200);
    expect(after.body.data.database.engine).toMatch(/pglite|postgres/);
  });

  it("answers unknown routes with 404 ROUTE_NOT_FOUND", async () => {
    const res = await t.http.get("/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: { code: "ROUTE_NOT_FOUND" } });
    expect(res.body.requestId).toBe(res.headers["x-request-id"]);
  });

  it("answers a wrong method with 405 and an Allow header", async () => {
    const res = await t.http.request("DELETE", "/api/v1/health");
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(res.headers.allow).toContain("GET");
  });

  it("answers invalid input with 400 VALIDATION_ERROR naming the field", async () => {
    const res = await t.http.post("/api/v1/auth/login", { email: "not-an-email", password: "x" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.field).toBe("email");
  });

  it("answers malformed JSON with 400 INVALID_JSON", async () => {
    const res = await t.http.request("POST", "/api/v1/auth/login", {
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INVALID_JSON");
  });

  it("answers an oversized body with 413", async () => {
    const res = await t.http.post("/api/v1/auth/login", {
      email: "a@b.co",
      password: "x".repeat(5000),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers an unsupported content type with 415", async () => {
    const res = await t.http.request("POST", "/api/v1/auth/login", {
      payload: "<xml/>",
      headers: { "content-type": "application/xml" },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers missing credentials with 401 and bad tokens with 401", async () => {
    const none = await t.http.get("/api/v1/users/me");
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("UNAUTHENTICATED");
    const bad = await t.http.get("/api/v1/users/me", { token: "garbage" });
    expect(bad.status).toBe(401);
  });

  it("answers a missing permission with 403", async () => {
    const { token } = await signedInUser(t);
    const res = await t.http.get("/api/v1/users", { token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
  });

  it("serves the OpenAPI 3.1 document and the docs page", async () => {
    const doc = await t.http.get("/api/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toContain("/api/v1/auth/login");
    const page = await t.http.get("/api/docs/");
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain("swagger");
  });
});
