import { audit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { SecretError } from "../../platform/secrets.js";
import { type SftpSettings, testSftp } from "./connectors/sftp.js";
import {
  type ConnectionCheck,
  type ConnectorCredentials,
  ConnectorError,
  type ConnectorErrorKind,
} from "./connectors/types.js";
import { openCredentials } from "./credentials.js";
import { sftpOptionsOf, sftpSettingsOf } from "./files/sftp-poll.js";
import { visibleIntegration } from "./integrations.js";
import { rulesOf } from "./presenter.js";
import { applyRules, crossCheck, type Problem, type Rules } from "./rules.js";
import type { ConnectionStatus, IntegrationMethod } from "./schema.js";

export interface ConnectionTestAnswer {
  ok: boolean;
  /** The integration's connection status after the test. */
  connectionStatus: ConnectionStatus;
  /** What went wrong, in one sentence; null when everything worked. */
  message: string | null;
  /** The failure's kind when the test could not finish (`auth`, `unreachable`, `unsupported` …). */
  errorKind: ConnectorErrorKind | "not-configured" | null;
  checks: ConnectionCheck[];
  system: { name?: string; version?: string } | null;
  latencyMs: number | null;
  testedAt: string;
}

/** The secret values of credentials (never shorter ones: they would redact ordinary words). */
function secretValues(credentials: ConnectorCredentials): string[] {
  const values =
    credentials.kind === "api-token"
      ? [credentials.token]
      : credentials.kind === "basic"
        ? [credentials.password]
        : [credentials.clientSecret];
  return values.filter((v) => v.length >= 4);
}

/** A connector's words with any secret it let slip (a token in a URL) blanked out. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    out = out.split(secret).join("[redacted]");
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join("[redacted]");
  }
  return out;
}

/** Methods by which data arrives at Lyceum: there is nothing to call. */
const INBOUND_METHODS = new Set<IntegrationMethod>(["file-upload", "webhook", "manual-entry"]);

/** Why the configuration itself stops a test before any call is made; null when it does not. */
function notConfigured(integration: {
  base_url: string | null;
  auth_type: string;
  credentials_sealed: string | null;
}): string | null {
  if (!integration.base_url) return "Set the system's base URL before testing the connection.";
  if (integration.auth_type === "none")
    return "Choose an auth type and give its credentials before testing the connection.";
  if (!integration.credentials_sealed)
    return "No credentials are stored; give them before testing the connection.";
  return null;
}

/**
 * Tests an integration's connection: builds its connector (the injected factory), asks the
 * system to answer, and stores what happened (connection status, last test time, the error,
 * the count of consecutive failures), audited. A connector's failure — refused credentials,
 * an unreachable host, a type Lyceum has no connector for — is an answer (`ok: false` with the
 * reason), never a server error. No database transaction is held while the system is called.
 */
export async function testConnection(ctx: Ctx, id: string): Promise<ConnectionTestAnswer> {
  const integration = await visibleIntegration(ctx, id);
  const started = Date.now();
  /** The secrets in clear, kept out of everything the test answers, stores or logs. */
  const secrets: string[] = [];
  let answer: Omit<ConnectionTestAnswer, "connectionStatus" | "testedAt">;
  const problem = notConfigured(integration);
  if (sftpOptionsOf(integration)) {
    // A file integration that picks its files up from an SFTP server: test that server.
    try {
      const settings = sftpSettingsOf(ctx, integration) as SftpSettings;
      if (settings.password) secrets.push(settings.password);
      const result = await testSftp(settings);
      const failed = result.checks.find((c) => !c.ok);
      answer = {
        ok: result.ok && !failed,
        message: result.ok && !failed ? null : (failed?.message ?? "The connection test failed."),
        errorKind: null,
        checks: result.checks,
        system: result.system ?? null,
        latencyMs: result.latencyMs,
      };
    } catch (error) {
      if (!(error instanceof ConnectorError || error instanceof SecretError)) throw error;
      answer = {
        ok: false,
        message:
          error instanceof SecretError
            ? `The stored credentials cannot be read: ${error.message}. Give them again.`
            : error.message,
        errorKind: error instanceof ConnectorError ? error.kind : "not-configured",
        checks: [],
        system: null,
        latencyMs: null,
      };
    }
  } else if (INBOUND_METHODS.has(integration.method)) {
    answer = {
      ok: false,
      message: `A ${integration.method} integration receives its data: Lyceum calls nothing, so there is no connection to test.`,
      errorKind: "unsupported",
      checks: [],
      system: null,
      latencyMs: null,
    };
  } else if (problem) {
    answer = {
      ok: false,
      message: problem,
      errorKind: "not-configured",
      checks: [],
      system: null,
      latencyMs: null,
    };
  } else {
    try {
      const credentials = openCredentials(ctx, integration);
      if (credentials) secrets.push(...secretValues(credentials));
      if (!credentials) throw new ConnectorError("auth", "No credentials are stored.");
      const connector = ctx.connectors({
        type: integration.lms_type,
        baseUrl: integration.base_url as string,
        credentials,
        timeoutMs: integration.timeout_seconds * 1000,
        maxRetries: integration.max_retries,
        options: integration.options,
        allowPrivateNetwork: ctx.config.integrations.allowPrivateNetwork,
      });
      const budget = integration.timeout_seconds * 1000 * (integration.max_retries + 1) + 5000;
      const result = await connector.testConnection(AbortSignal.timeout(budget));
      const failed = result.checks.find((c) => !c.ok);
      answer = {
        ok: result.ok && !failed,
        message: result.ok && !failed ? null : (failed?.message ?? "The connection test failed."),
        errorKind: null,
        checks: result.checks,
        system: result.system ?? null,
        latencyMs: result.latencyMs,
      };
    } catch (error) {
      if (error instanceof ConnectorError) {
        answer = {
          ok: false,
          message: error.message,
          errorKind: error.kind,
          checks: [],
          system: null,
          latencyMs: Date.now() - started,
        };
      } else if (error instanceof SecretError) {
        answer = {
          ok: false,
          message: `The stored credentials cannot be read: ${error.message}. Give them again.`,
          errorKind: "not-configured",
          checks: [],
          system: null,
          latencyMs: null,
        };
      } else if ((error as Error)?.name === "TimeoutError") {
        answer = {
          ok: false,
          message: "The system did not answer in time.",
          errorKind: "timeout",
          checks: [],
          system: null,
          latencyMs: Date.now() - started,
        };
      } else {
        ctx.log.error(
          {
            integrationId: id,
            error: redact(`${(error as Error)?.name}: ${(error as Error)?.message}`, secrets),
          },
          "connection test failed unexpectedly",
        );
        answer = {
          ok: false,
          message: "The connection test failed unexpectedly; the server log has the details.",
          errorKind: "remote",
          checks: [],
          system: null,
          latencyMs: Date.now() - started,
        };
      }
    }
  }
  answer = {
    ...answer,
    message: answer.message === null ? null : redact(answer.message, secrets),
    checks: answer.checks.map((c) => ({ ...c, message: redact(c.message, secrets) })),
  };
  const connectionStatus: ConnectionStatus = answer.ok
    ? "connected"
    : answer.errorKind === "unsupported" || answer.errorKind === "not-configured"
      ? "disconnected"
      : "error";
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .updateTable("lms_integrations")
      .set((eb) => ({
        connection_status: connectionStatus,
        last_tested_at: now,
        last_error: answer.message,
        error_count: answer.ok ? 0 : eb("error_count", "+", 1),
      }))
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw new AppError("NOT_FOUND", "Integration not found");
    await audit(tx, {
      organizationId: integration.organization_id,
      action: "lms-integration.test-connection",
      entityType: "lms-integration",
      entityId: id,
      before: { connectionStatus: integration.connection_status },
      after: {
        connectionStatus,
        ok: answer.ok,
        errorKind: answer.errorKind,
        message: answer.message,
        checks: answer.checks.map((c) => ({ step: c.step, ok: c.ok })),
      },
    });
    return { ...answer, connectionStatus, testedAt: now.toISOString() };
  });
}

/**
 * Applies rules to a sample external record and answers the Lyceum record with its problems.
 * The stored rules, or rules sent with the sample (to try them before saving); nothing is stored.
 */
export async function previewMapping(
  ctx: Ctx,
  id: string,
  sample: Record<string, unknown>,
  override: Partial<Rules>,
): Promise<{ record: Record<string, unknown>; problems: Problem[] }> {
  const integration = await visibleIntegration(ctx, id);
  const rules = { ...rulesOf(integration), ...override };
  const issue = crossCheck(rules)[0];
  if (issue) throw new AppError("VALIDATION_ERROR", issue.message, { field: issue.path });
  return applyRules(rules, sample);
}
