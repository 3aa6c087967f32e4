import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig({ NODE_ENV: "test" });
    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
    expect(config.services).toEqual(["web", "worker", "scheduler"]);
    expect(config.publicUrl).toBe("http://localhost:3000");
  });

  it("reads PORT, DATABASE_URL, LYCEUM_DATA_DIR and lists", () => {
    const config = loadConfig({
      NODE_ENV: "test",
      PORT: "8080",
      DATABASE_URL: "postgres://u@db:5432/lyceum",
      LYCEUM_DATA_DIR: "/var/lib/lyceum",
      CORS_ORIGINS: "https://a.example, https://b.example",
      LYCEUM_SERVICES: "web",
    });
    expect(config.port).toBe(8080);
    expect(config.database.url).toBe("postgres://u@db:5432/lyceum");
    expect(config.dataDir).toBe("/var/lib/lyceum");
    expect(config.http.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(config.services).toEqual(["web"]);
  });

  it("rejects invalid values with every problem named", () => {
    try {
      loadConfig({
        NODE_ENV: "test",
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        LYCEUM_SERVICES: "web,ftp",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const issues = (error as ConfigError).issues.join("\n");
      expect(issues).toContain("PORT");
      expect(issues).toContain("DATABASE_URL");
      expect(issues).toContain("LYCEUM_SERVICES");
    }
  });

  it("requires a secret in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/LYCEUM_SECRET/);
    const config = loadConfig({ NODE_ENV: "production", LYCEUM_SECRET: "x".repeat(40) });
    expect(config.secret).toBe("x".repeat(40));
  });

  it("chooses the AI grader, and needs a key for an API-backed one", () => {
    expect(loadConfig({ NODE_ENV: "test" }).assessments).toMatchObject({
      grader: "local",
      abandonAfterHours: 72,
    });
    expect(() => loadConfig({ NODE_ENV: "test", AI_GRADER: "openai" })).toThrow(
      /AI_GRADER_API_KEY/,
    );
    const config = loadConfig({
      NODE_ENV: "test",
      AI_GRADER: "openai",
      AI_GRADER_URL: "http://llm.internal:8000/v1/",
      AI_GRADER_API_KEY: "key",
      QUIZ_ABANDON_HOURS: "12",
    });
    expect(config.assessments).toEqual({
      grader: "openai",
      openai: { url: "http://llm.internal:8000/v1", model: "gpt-4o-mini", apiKey: "key" },
      abandonAfterHours: 12,
    });
  });

  it("configures Stripe from its keys and an API origin", () => {
    expect(() => loadConfig({ NODE_ENV: "test", PAYMENT_PROVIDER: "stripe" })).toThrow(
      /STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/,
    );
    const keys = { STRIPE_SECRET_KEY: "sk_test_1", STRIPE_WEBHOOK_SECRET: "whsec_1" };
    expect(
      loadConfig({ NODE_ENV: "test", PAYMENT_PROVIDER: "stripe", ...keys }).payments,
    ).toMatchObject({
      provider: "stripe",
      stripe: {
        secretKey: "sk_test_1",
        webhookSecret: "whsec_1",
        apiUrl: "https://api.stripe.com",
      },
    });
    const local = loadConfig({
      NODE_ENV: "test",
      ...keys,
      STRIPE_API_URL: "http://127.0.0.1:12111/",
    });
    expect(local.payments.stripe?.apiUrl).toBe("http://127.0.0.1:12111");
    expect(() =>
      loadConfig({ NODE_ENV: "test", ...keys, STRIPE_API_URL: "https://proxy.example/stripe" }),
    ).toThrow(/STRIPE_API_URL/);
  });

  it("keeps files locally unless an S3 bucket is configured in full", () => {
    expect(loadConfig({ NODE_ENV: "test" }).storage).toEqual({ provider: "local", s3: undefined });
    expect(() => loadConfig({ NODE_ENV: "test", STORAGE_PROVIDER: "s3" })).toThrow(/S3_BUCKET/);
    const config = loadConfig({
      NODE_ENV: "test",
      STORAGE_PROVIDER: "s3",
      S3_ENDPOINT: "https://minio.internal:9000",
      S3_BUCKET: "lyceum",
      S3_ACCESS_KEY_ID: "id",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_PATH_STYLE: "false",
    });
    expect(config.storage.s3).toEqual({
      endpoint: "https://minio.internal:9000",
      region: "us-east-1",
      bucket: "lyceum",
      accessKeyId: "id",
      secretAccessKey: "secret",
      pathStyle: false,
      prefix: "",
    });
  });
});

describe("DNS configuration", () => {
  it("uses the system's name servers unless DNS_SERVERS names some", () => {
    expect(loadConfig({ NODE_ENV: "test" }).dns).toEqual({ servers: [], timeoutMs: 5000 });
    const config = loadConfig({
      NODE_ENV: "test",
      DNS_SERVERS: "9.9.9.9, 127.0.0.1:5353, 2620:fe::fe, [::1]:53",
      DNS_TIMEOUT_MS: "1500",
    });
    expect(config.dns).toEqual({
      servers: ["9.9.9.9", "127.0.0.1:5353", "2620:fe::fe", "[::1]:53"],
      timeoutMs: 1500,
    });
  });

  it("refuses a name server that is not an address", () => {
    for (const bad of ["dns.example", "127.0.0.1:99999", "[dns]:53", "1.2.3"]) {
      expect(() => loadConfig({ NODE_ENV: "test", DNS_SERVERS: bad }), bad).toThrow(/DNS_SERVERS/);
    }
  });
});
