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

describe("answers in the document", () => {
  it("lists every status an operation can answer, with the codes behind each", async () => {
    const doc = (await t.http.get("/api/v1/openapi.json")).body;
    const enroll = doc.paths["/api/v1/enrollments"].post.responses;
    expect(Object.keys(enroll).sort()).toEqual(
      ["201", "400", "401", "402", "403", "404", "408", "409", "413", "415"]
        .concat(["422", "429", "431", "500", "503"])
        .sort(),
    );
    expect(enroll["409"].description).toBe("ALREADY_ENROLLED, ALREADY_WAITLISTED, CONFLICT");
    expect(enroll["402"].description).toBe("PAYMENT_REQUIRED");
    expect(enroll["409"].content).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } },
    });
    const login = doc.paths["/api/v1/auth/login"].post.responses;
    expect(login["423"].description).toBe("ACCOUNT_LOCKED");
    expect(login["401"].description).toContain("INVALID_CREDENTIALS");
    const publish = doc.paths["/api/v1/courses/{courseId}/publish"].post.responses;
    expect(publish["422"].description).toContain("COURSE_NOT_PUBLISHABLE");
    // Path parameters can be too long; reads have no body to be too large.
    const course = doc.paths["/api/v1/courses/{courseId}"].get.responses;
    expect(course["414"]).toBeDefined();
    expect(course["413"]).toBeUndefined();
    let writes = 0;
    for (const item of Object.values<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (method === "get") continue;
        writes += 1;
        for (const status of ["409", "413", "415"]) expect(op.responses[status]).toBeDefined();
      }
    }
    expect(writes).toBeGreaterThan(100);
  });

  it("documents the success of file downloads and CSV exports with their content types", async () => {
    const doc = (await t.http.get("/api/v1/openapi.json")).body;
    const binary = { schema: { type: "string", format: "binary" } };
    const ok = (path: string) => doc.paths[path].get.responses["200"].content;
    expect(ok("/api/v1/certificates/{certificateId}/pdf")).toEqual({ "application/pdf": binary });
    expect(ok("/api/v1/badges/courses/{courseId}/image.png")).toEqual({ "image/png": binary });
    expect(ok("/api/v1/files/avatars/{fileId}")).toEqual({ "image/webp": binary });
    expect(Object.keys(ok("/api/v1/report-files/{token}"))).toEqual([
      "text/csv",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/json",
      "application/pdf",
      "application/zip",
    ]);
    const pdfErrors = doc.paths["/api/v1/certificates/{certificateId}/pdf"].get.responses["404"];
    expect(Object.keys(pdfErrors.content)).toEqual(["application/json"]);
    for (const path of [
      "/api/v1/courses/{courseId}/enrollments",
      "/api/v1/users/me/transcript",
      "/api/v1/courses/{courseId}/gradebook",
    ]) {
      expect(Object.keys(ok(path))).toEqual(["application/json", "text/csv"]);
    }
    expect(doc.paths["/api/v1/notification-tracking/{token}/click"].get.responses["302"]).toEqual({
      description: "Leads to the app's page the link names (or its start page)",
      headers: { Location: { schema: { type: "string", format: "uri" } } },
    });
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const success = Object.keys(op.responses).filter((s) => /^[23]/.test(s));
        expect(success.length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
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
    expect(properties("ReportBase")).toEqual(["key", "label", "date", "requires", "allowed"]);
    const entity = schemas.ReportDimensionEntity;
    expect(Object.keys(entity.properties)).toEqual([
      "entity",
      "label",
      "description",
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
      "description",
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
      "precision",
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
      "dateRange",
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
