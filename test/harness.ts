import type { InjectOptions } from "fastify";
import { buildApp, type Lyceum } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { ManualClock } from "../src/platform/clock.js";
import { type Ctx, systemCtx } from "../src/platform/context.js";
import { undocumentedAnswers } from "../src/platform/http/openapi.js";
import { type MailTransport, MemoryTransport } from "../src/platform/mail/transport.js";
import { MemoryStorage } from "../src/platform/storage/storage.js";
import { freshDatabase } from "./database.js";

export interface TestApp {
  lyceum: Lyceum;
  clock: ManualClock;
  mail: MemoryTransport;
  storage: MemoryStorage;
  /** A system context for arranging data directly through services. */
  system: Ctx;
  http: HttpClient;
  /** The PostgreSQL database's URL (absent on PGlite, which lives inside this process). */
  databaseUrl?: string;
  /** Delivers queued mail now, as the worker would. */
  deliverMail(): Promise<void>;
  /**
   * Another Lyceum on the same database, clock and mail, with fresh in-memory state: a second
   * process, or this one after a restart. Closed with the test app.
   */
  sibling(): Promise<Lyceum>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  mailTransport?: MailTransport;
  /** Use the transport the configuration names (SMTP_URL) instead of the in-memory one. */
  configuredMail?: boolean;
  clockStart?: string;
  /** The built web app to serve (none unless given, whatever web/dist holds). */
  web?: import("../src/modules/system/web-app.js").WebBuild | null;
  /** Files somewhere else than memory (e.g. an S3 stand-in). */
  storage?: import("../src/platform/storage/storage.js").StorageProvider;
  /** Builds integration connectors in place of the real clients (local fakes, stand-ins). */
  connectors?: import("../src/modules/integrations/connectors/types.js").ConnectorFactory;
}

/** A Lyceum on a fresh database with a manual clock, in-memory mail and file storage. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    LYCEUM_DATA_DIR: "/tmp/lyceum-test-unused",
    PUBLIC_URL: "http://lyceum.test",
    RATE_LIMIT_PER_MINUTE: "100000",
    AUTH_RATE_LIMIT_PER_MINUTE: "100000",
    LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: "100000",
    MAILS_PER_RECIPIENT_PER_HOUR: "100000",
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: "100000",
    COOKIE_SECURE: "false",
    // No lookup leaves the machine: a closed local port answers every query with a failure.
    // Tests of domain verification point DNS_SERVERS at test/fake-dns.ts.
    DNS_SERVERS: "127.0.0.1:1",
    DNS_TIMEOUT_MS: "500",
    // The tests' external systems are local fakes on 127.0.0.1.
    INTEGRATIONS_ALLOW_PRIVATE_NETWORK: "true",
    ...options.env,
  });
  const clock = new ManualClock(options.clockStart ?? "2026-03-02T09:00:00Z");
  const mail = new MemoryTransport();
  const storage = new MemoryStorage();
  const database = await freshDatabase();
  const lyceum = await buildApp({
    config,
    database,
    clock,
    mailTransport: options.configuredMail ? undefined : (options.mailTransport ?? mail),
    storage: options.storage ?? storage,
    web: options.web ?? null,
    connectors: options.connectors,
  });
  const system: Ctx = systemCtx(lyceum.services, "test");
  const siblings: Lyceum[] = [];
  return {
    lyceum,
    clock,
    mail,
    storage,
    system,
    http: new HttpClient(lyceum),
    databaseUrl: database.url,
    deliverMail: async () => {
      await lyceum.services.mailer.deliverDue(lyceum.services.db, 1000);
    },
    sibling: async () => {
      const other = await buildApp({
        config,
        database,
        clock,
        mailTransport: options.configuredMail ? undefined : (options.mailTransport ?? mail),
        storage: options.storage ?? storage,
        web: options.web ?? null,
        connectors: options.connectors,
      });
      siblings.push(other);
      return other;
    },
    close: async () => {
      for (const other of siblings) await other.stop();
      await lyceum.stop();
      await database.close();
      // The OpenAPI document lists every status an operation answers; an answer outside it
      // fails the test file that provoked it (src/platform/http/openapi.ts).
      const undocumented = [...new Set(undocumentedAnswers.splice(0))];
      if (undocumented.length) {
        throw new Error(
          `answered with statuses the OpenAPI document does not list (add the codes to the route's config.errors, or run npm run route-errors):\n${undocumented.join("\n")}`,
        );
      }
    },
  };
}

export interface Credentials {
  token?: string;
  apiKey?: string;
  cookies?: Record<string, string>;
  csrf?: string;
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  cookies: Array<{ name: string; value: string; [k: string]: unknown }>;
}

/** Thin wrapper over Fastify's inject: JSON in, parsed JSON out. */
export class HttpClient {
  constructor(private readonly lyceum: Lyceum) {}

  async request<T = any>(
    method: InjectOptions["method"],
    url: string,
    options: {
      body?: unknown;
      as?: Credentials;
      headers?: Record<string, string>;
      payload?: InjectOptions["payload"];
    } = {},
  ): Promise<Res<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as?.token) headers.authorization = `Bearer ${options.as.token}`;
    if (options.as?.apiKey) headers["x-api-key"] = options.as.apiKey;
    if (options.as?.csrf) headers["x-csrf-token"] = options.as.csrf;
    const response = await this.lyceum.app.inject({
      method,
      url,
      headers,
      cookies: options.as?.cookies,
      ...(options.payload !== undefined
        ? { payload: options.payload }
        : options.body !== undefined
          ? { payload: options.body as object }
          : {}),
    });
    let body: unknown = response.body;
    if ((response.headers["content-type"] ?? "").toString().includes("json") && response.body) {
      body = JSON.parse(response.body);
    }
    return {
      status: response.statusCode,
      body: body as T,
      headers: response.headers as Res["headers"],
      cookies: response.cookies as Res["cookies"],
    };
  }

  get<T = any>(url: string, as?: Credentials) {
    return this.request<T>("GET", url, { as });
  }
  post<T = any>(url: string, body?: unknown, as?: Credentials) {
    return this.request<T>("POST", url, { body: body ?? {}, as });
  }
  put<T = any>(url: string, body?: unknown, as?: Credentials) {
    return this.request<T>("PUT", url, { body: body ?? {}, as });
  }
  patch<T = any>(url: string, body?: unknown, as?: Credentials) {
    return this.request<T>("PATCH", url, { body: body ?? {}, as });
  }
  delete<T = any>(url: string, as?: Credentials) {
    return this.request<T>("DELETE", url, { as });
  }
}
