import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { NODE_ENV: "production", LYCEUM_SECRET: "s".repeat(40) } });
});
afterAll(() => t.close());

describe("OpenAPI document", () => {
  it("describes every registered route with a summary, tags, security and the error envelope", async () => {
    const doc = (await t.http.get("/api/v1/openapi.json")).body;
    const missing: string[] = [];
    for (const route of t.lyceum.routes) {
      if (route.url === "/api/v1/openapi.json") continue;
      const path = route.url.replace(/:(\w+)/g, "{$1}");
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      if (!operation) {
        missing.push(`${route.method} ${route.url}`);
        continue;
      }
      expect(operation.summary, `${route.method} ${route.url}`).toBeTruthy();
      expect(operation.tags?.length, `${route.method} ${route.url}`).toBeGreaterThan(0);
      expect(operation.responses["400"], `${route.method} ${route.url}`).toBeDefined();
      if (!("public" in route.access)) expect(operation.security.length).toBeGreaterThan(0);
    }
    expect(missing).toEqual([]);
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
    expect(doc.components.securitySchemes).toHaveProperty("bearerAuth");
  });
});

describe("unexpected failures", () => {
  it("answer 500 INTERNAL_ERROR in the envelope without internals in production", async () => {
    const { token } = await signedInUser(t);
    await t.lyceum.database.close();
    const res = await t.http.get("/api/v1/users/me", { token });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({
      success: false,
      error: { code: "INTERNAL_ERROR", message: "Something went wrong on our side" },
    });
    expect(res.body.error.stack).toBeUndefined();
    expect(res.body.requestId).toBe(res.headers["x-request-id"]);
  });
});
