import { describe, expect, it } from "vitest";
import { CONNECTOR_OPTIONS, createConnector } from "./registry.js";
import { ConnectorError, type ConnectorSpec } from "./types.js";

const spec = (over: Partial<ConnectorSpec>): ConnectorSpec => ({
  allowPrivateNetwork: true,
  type: "moodle",
  baseUrl: "https://lms.example.org",
  credentials: { kind: "api-token", token: "token-value" },
  timeoutMs: 1000,
  maxRetries: 0,
  options: {},
  ...over,
});

describe("the connector registry", () => {
  it("has no connector for systems whose data is sent to Lyceum", () => {
    let error: unknown;
    try {
      createConnector(spec({ type: "file" }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe("unsupported");
  });

  it("publishes each connector's options with their defaults, for validation when saved", () => {
    expect(CONNECTOR_OPTIONS.moodle!.parse({})).toEqual({
      direction: "import",
      pageSize: 200,
      concurrency: 8,
      studentRoleId: 5,
      userAuth: "manual",
      roles: ["student"],
    });
    expect(CONNECTOR_OPTIONS.canvas!.safeParse({}).success).toBe(false);
    expect(CONNECTOR_OPTIONS.canvas!.parse({ accountId: 1 })).toMatchObject({ accountId: "1" });
    expect(CONNECTOR_OPTIONS.talentlms!.safeParse({ dateFormat: "YYMMDD" }).success).toBe(false);
  });

  it("refuses credentials a system does not take, in words", () => {
    expect(() =>
      createConnector(
        spec({ credentials: { kind: "basic", username: "u", password: "p" }, options: {} }),
      ),
    ).toThrow("web service token");
  });
});
