import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const csv = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

/** A name server as `ip`, `ip:port` or `[ipv6]:port`, the forms `node:dns` accepts. */
function isNameServer(value: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  const plain = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(value);
  const [, host, port] = bracketed ?? plain ?? [undefined, value, undefined];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return isIP(host ?? "") !== 0;
}

/**
 * Environment variables Lyceum reads. Every variable is validated at start so a typo fails
 * loudly instead of silently falling back to a default.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  // Two at least: a report streaming from a cursor holds one while its progress uses another.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  LYCEUM_DATA_DIR: z.string().default("./data"),
  LYCEUM_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LYCEUM_SECRET_PREVIOUS: csv
    .pipe(z.array(z.string().min(32, "each previous secret must be at least 32 characters")))
    .default([]),
  LYCEUM_SERVICES: csv.pipe(z.array(z.enum(["web", "worker", "scheduler"])).min(1)).optional(),
  LYCEUM_SEED_DEMO: bool.default(true),
  LYCEUM_DEMO_PASSWORD: z.string().min(8).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_PRETTY: bool.optional(),
  LYCEUM_DEBUG_ERRORS: bool.default(false),
  CORS_ORIGINS: csv.default([]),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  COURSE_FILE_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  MAILS_PER_RECIPIENT_PER_HOUR: z.coerce.number().int().min(1).default(5),
  INVITES_PER_ORGANIZATION_PER_HOUR: z.coerce.number().int().min(1).default(1000),
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  TRUST_PROXY: bool.default(false),
  COOKIE_SECURE: bool.default(true),
  DEBUG_QUERY_COUNT: bool.default(false),
  MEMORY_CACHE: bool.default(true),
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().default("Lyceum <no-reply@lyceum.local>"),
  ALLOWED_EMAIL_DOMAINS: csv.default([]),
  DNS_SERVERS: csv
    .pipe(
      z.array(
        z
          .string()
          .refine(isNameServer, "name servers as ip, ip:port or [ipv6]:port, comma-separated"),
      ),
    )
    .default([]),
  DNS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  INTEGRATIONS_ALLOW_PRIVATE_NETWORK: bool.default(false),
  WEBHOOK_ALLOW_PRIVATE_NETWORK: bool.default(false),
  INTEGRATION_FILE_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  INTEGRATION_FILE_MAX_ROWS: z.coerce.number().int().min(1).default(100_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  PAYMENT_PROVIDER: z.enum(["local", "stripe"]).default("local"),
  STRIPE_SECRET_KEY: z.string().startsWith("sk_", "must be a Stripe secret key (sk_…)").optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .startsWith("whsec_", "must be a Stripe webhook signing secret (whsec_…)")
    .optional(),
  STRIPE_API_URL: z
    .url()
    .refine(
      (url) => /^https?:\/\/[^/?#]+\/?$/.test(url),
      "must be an origin such as https://api.stripe.com (no path: the library adds /v1/…)",
    )
    .default("https://api.stripe.com"),
  CHECKOUT_EXPIRY_MINUTES: z.coerce.number().int().min(30).max(1440).default(60),
  INVOICE_DUE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  CERTIFICATE_ISSUER_NAME: z.string().trim().min(1).max(200).default("Lyceum"),
  CERTIFICATE_ISSUER_EMAIL: z.email().optional(),
  AI_GRADER: z.enum(["local", "openai", "off"]).default("local"),
  AI_GRADER_URL: z.url().default("https://api.openai.com/v1"),
  AI_GRADER_MODEL: z.string().trim().min(1).max(100).default("gpt-4o-mini"),
  AI_GRADER_API_KEY: z.string().min(1).optional(),
  QUIZ_ABANDON_HOURS: z.coerce.number().int().min(1).max(8760).default(72),
  REPORT_JOBS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
  REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  STORAGE_PROVIDER: z.enum(["local", "s3"]).default("local"),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).max(40).default("us-east-1"),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_PATH_STYLE: bool.default(true),
  S3_PREFIX: z.string().max(200).default(""),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env["NODE_ENV"];
  host: string;
  port: number;
  publicUrl: string;
  database: {
    url?: string;
    poolSize: number;
    dataDir: string;
    /** Keep statements prepared on a PostgreSQL server's connections. */
    preparedStatements: boolean;
  };
  /**
   * Keep checked sessions, grants and anonymous catalog pages in memory, dropped at once
   * through the database's LISTEN/NOTIFY feed; off means reading them on every request.
   */
  memoryCache: boolean;
  dataDir: string;
  secret: string;
  /**
   * Secrets used before `secret`, newest first: stored ciphertexts sealed with keys derived
   * from them can still be opened (and re-sealed with the current key) after a rotation.
   */
  previousSecrets: string[];
  services: Array<"web" | "worker" | "scheduler">;
  seedDemo: boolean;
  demoPassword?: string;
  log: { level: Env["LOG_LEVEL"]; pretty: boolean };
  /** Puts the stack trace of server faults in error responses; never on by default. */
  debugErrors: boolean;
  http: {
    corsOrigins: string[];
    bodyLimit: number;
    uploadLimit: number;
    /** Largest file uploaded to a course (lesson video, audio, PDF …); streamed, never held in memory. */
    courseFileLimit: number;
    rateLimitPerMinute: number;
    authRateLimitPerMinute: number;
    trustProxy: boolean;
    cookieSecure: boolean;
    /** Adds `X-Query-Count` (the process's running total of database statements) to responses, for benchmarks. */
    queryCountHeader: boolean;
  };
  /** Abuse limits kept in the database, so they hold across restarts and processes. */
  limits: {
    /** Failed sign-ins from one client address, whatever the accounts, before it is refused. */
    loginFailuresPerAddressPerHour: number;
    /** Resets, verifications and invitations one mailbox receives. */
    mailsPerRecipientPerHour: number;
    /** Invitations one organization sends, single, resent or in batches. */
    invitesPerOrganizationPerHour: number;
    /** Registration attempts from one client address. */
    registrationsPerAddressPerHour: number;
  };
  mail: { smtpUrl?: string; from: string };
  allowedEmailDomains: string[];
  /** Where domain verification looks TXT records up: these servers, or the system's when empty. */
  dns: { servers: string[]; timeoutMs: number };
  /** Integrations may call systems on private networks (loopback, RFC 1918, link-local). */
  integrations: { allowPrivateNetwork: boolean };
  /** Outbound webhooks may be sent to private networks (docs/webhooks.md). */
  webhooks: { allowPrivateNetwork: boolean };
  /** Files of enrollments and completions imported into an integration (docs/integrations.md). */
  fileImports: { maxBytes: number; maxRows: number };
  shutdownTimeoutMs: number;
  payments: {
    provider: "local" | "stripe";
    stripe?: { secretKey: string; webhookSecret: string; apiUrl: string };
    checkoutExpiryMinutes: number;
    invoiceDueDays: number;
  };
  /** Who issues certificates of platform courses (organizations issue their own). */
  certificateIssuer: string;
  /** Contact address of the platform as a badge issuer (Open Badges 2.0 requires one). */
  certificateIssuerEmail: string;
  assessments: {
    /** Which grader suggests grades for open answers with a rubric. */
    grader: "local" | "openai" | "off";
    openai?: { url: string; model: string; apiKey: string };
    /** An attempt without a time limit left untouched this long is closed by the worker. */
    abandonAfterHours: number;
  };
  /** Where files go: the data folder, or an S3-compatible bucket. */
  storage: {
    provider: "local" | "s3";
    s3?: {
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      pathStyle: boolean;
      prefix: string;
    };
  };
  reports: {
    /** Report jobs one person may queue per hour. */
    jobsPerHour: number;
    /** Days a finished report's file is kept before it expires. */
    retentionDays: number;
  };
}

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates configuration from environment variables. In development the signing
 * secret is generated once and kept in the data folder; production requires LYCEUM_SECRET.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`),
    );
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.LYCEUM_DATA_DIR);
  if (env.NODE_ENV === "production" && !env.LYCEUM_SECRET) {
    throw new ConfigError(["LYCEUM_SECRET: required in production (32+ random characters)"]);
  }
  if (env.PAYMENT_PROVIDER === "stripe" && !(env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET)) {
    throw new ConfigError([
      "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: required when PAYMENT_PROVIDER=stripe",
    ]);
  }
  if (
    env.STORAGE_PROVIDER === "s3" &&
    !(env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY)
  ) {
    throw new ConfigError([
      "S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: required when STORAGE_PROVIDER=s3",
    ]);
  }
  if (env.AI_GRADER === "openai" && !env.AI_GRADER_API_KEY) {
    throw new ConfigError(["AI_GRADER_API_KEY: required when AI_GRADER=openai"]);
  }
  const secret = env.LYCEUM_SECRET ?? persistentDevSecret(dataDir, env.NODE_ENV);
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      dataDir,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    },
    memoryCache: env.MEMORY_CACHE,
    dataDir,
    secret,
    previousSecrets: env.LYCEUM_SECRET_PREVIOUS.filter((old) => old !== secret),
    services: env.LYCEUM_SERVICES ?? ["web", "worker", "scheduler"],
    seedDemo: env.LYCEUM_SEED_DEMO,
    demoPassword: env.LYCEUM_DEMO_PASSWORD,
    log: { level: env.LOG_LEVEL, pretty: env.LOG_PRETTY ?? env.NODE_ENV === "development" },
    debugErrors: env.LYCEUM_DEBUG_ERRORS,
    http: {
      corsOrigins: env.CORS_ORIGINS,
      bodyLimit: env.BODY_LIMIT_BYTES,
      uploadLimit: env.UPLOAD_LIMIT_BYTES,
      courseFileLimit: env.COURSE_FILE_LIMIT_BYTES,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
      authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      trustProxy: env.TRUST_PROXY,
      cookieSecure: env.COOKIE_SECURE,
      queryCountHeader: env.DEBUG_QUERY_COUNT,
    },
    limits: {
      loginFailuresPerAddressPerHour: env.LOGIN_FAILURES_PER_ADDRESS_PER_HOUR,
      mailsPerRecipientPerHour: env.MAILS_PER_RECIPIENT_PER_HOUR,
      invitesPerOrganizationPerHour: env.INVITES_PER_ORGANIZATION_PER_HOUR,
      registrationsPerAddressPerHour: env.REGISTRATIONS_PER_ADDRESS_PER_HOUR,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    allowedEmailDomains: env.ALLOWED_EMAIL_DOMAINS.map((d) => d.toLowerCase()),
    dns: { servers: env.DNS_SERVERS, timeoutMs: env.DNS_TIMEOUT_MS },
    integrations: { allowPrivateNetwork: env.INTEGRATIONS_ALLOW_PRIVATE_NETWORK },
    webhooks: { allowPrivateNetwork: env.WEBHOOK_ALLOW_PRIVATE_NETWORK },
    fileImports: {
      maxBytes: env.INTEGRATION_FILE_LIMIT_BYTES,
      maxRows: env.INTEGRATION_FILE_MAX_ROWS,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    payments: {
      provider: env.PAYMENT_PROVIDER,
      stripe:
        env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
          ? {
              secretKey: env.STRIPE_SECRET_KEY,
              webhookSecret: env.STRIPE_WEBHOOK_SECRET,
              apiUrl: env.STRIPE_API_URL.replace(/\/$/, ""),
            }
          : undefined,
      checkoutExpiryMinutes: env.CHECKOUT_EXPIRY_MINUTES,
      invoiceDueDays: env.INVOICE_DUE_DAYS,
    },
    certificateIssuer: env.CERTIFICATE_ISSUER_NAME,
    certificateIssuerEmail: env.CERTIFICATE_ISSUER_EMAIL ?? addressOf(env.MAIL_FROM),
    assessments: {
      grader: env.AI_GRADER,
      openai: env.AI_GRADER_API_KEY
        ? {
            url: env.AI_GRADER_URL.replace(/\/$/, ""),
            model: env.AI_GRADER_MODEL,
            apiKey: env.AI_GRADER_API_KEY,
          }
        : undefined,
      abandonAfterHours: env.QUIZ_ABANDON_HOURS,
    },
    storage: {
      provider: env.STORAGE_PROVIDER,
      s3:
        env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? {
              endpoint: env.S3_ENDPOINT,
              region: env.S3_REGION,
              bucket: env.S3_BUCKET,
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              pathStyle: env.S3_PATH_STYLE,
              prefix: env.S3_PREFIX,
            }
          : undefined,
    },
    reports: {
      jobsPerHour: env.REPORT_JOBS_PER_HOUR,
      retentionDays: env.REPORT_RETENTION_DAYS,
    },
  };
}

function persistentDevSecret(dataDir: string, env: string): string {
  if (env === "test") return randomBytes(32).toString("hex");
  const file = path.join(dataDir, "secret.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The address in a mailbox such as `Lyceum <no-reply@lyceum.local>`. */
function addressOf(mailbox: string): string {
  return (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();
}
