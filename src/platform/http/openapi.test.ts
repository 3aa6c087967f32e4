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

describe("report metadata catalog", () => {
  it("describes each route's answer with a named schema", async () => {
    const doc = (await t.http.get("/api/v1/openapi.json")).body;
    const schemas = doc.components.schemas;
    const data = (part: string) =>
      doc.paths[`/api/v1/organizations/{organizationId}/report-metadata/${part}`].get.responses[
        "200"
      ].content["application/json"].schema.properties.data;
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const properties = (name: string) => Object.keys(schemas[name]?.properties ?? {});

    expect(data("dimensions")).toEqual(ref("ReportDimensions"));
    expect(schemas.ReportDimensions.properties).toEqual({
      bases: { type: "array", items: ref("ReportBase") },
      dimensions: { type: "array", items: ref("ReportDimensionEntity") },
    });
    expect(properties("ReportBase")).toEqual(["key", "label"]);
    const entity = schemas.ReportDimensionEntity;
    expect(Object.keys(entity.properties)).toEqual([
      "entity",
      "label",
      "bases",
      "available",
      "reason",
      "requires",
      "allowed",
      "fields",
    ]);
    expect(entity.required).toEqual(Object.keys(entity.properties));
    expect(entity.properties.entity.enum).toContain("certificate");
    expect(entity.properties.reason.type).toEqual(["string", "null"]);
    expect(Object.keys(entity.properties.fields.items.properties)).toEqual([
      "key",
      "field",
      "label",
      "type",
    ]);
    expect(entity.properties.fields.items.properties.type.enum).toEqual([
      "id",
      "string",
      "number",
      "date",
      "boolean",
    ]);

    expect(data("measures")).toEqual({ type: "array", items: ref("ReportMeasureType") });
    expect(properties("ReportMeasureType")).toEqual([
      "type",
      "label",
      "bases",
      "field",
      "format",
      "definition",
    ]);
    expect(schemas.ReportMeasureType.properties.type.enum).toContain("completion-rate");

    expect(data("slicers")).toEqual({ type: "array", items: ref("ReportSlicerType") });
    expect(properties("ReportSlicerType")).toEqual([
      "type",
      "fieldTypes",
      "options",
      "granularities",
      "supported",
    ]);
    expect(schemas.ReportSlicerType.required).toEqual(["type", "fieldTypes", "options"]);

    expect(data("groups")).toEqual(ref("ReportGroupOptions"));
    expect(properties("ReportGroupOptions")).toEqual(["granularities", "sortBy", "options"]);

    expect(data("filters")).toEqual(ref("ReportFilterOptions"));
    expect(properties("ReportFilterOptions")).toEqual([
      "structured",
      "dateRangeFields",
      "operators",
    ]);
    expect(schemas.ReportFilterOptions.properties.operators.items.enum).toContain("between");
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
