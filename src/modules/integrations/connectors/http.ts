import type { z } from "zod";
import { publicOnlyFetch } from "./address-guard.js";
import { type ConnectorCredentials, ConnectorError, type ConnectorErrorKind } from "./types.js";

/**
 * The one HTTP layer every connector uses: Node's global fetch with a per-request timeout,
 * retries with backoff on timeouts, connection errors, 5xx and rate limiting (honouring the
 * server's Retry-After), answers validated against the documented shape, and every failure
 * turned into a ConnectorError said in plain words. Secrets never appear in a message.
 */

/** Query or form parameters; arrays repeat the key (`type[]=a&type[]=b`). */
export type Params = Record<string, string | number | boolean | null | undefined | string[]>;

export type HttpAuth =
  | { kind: "none" }
  | { kind: "bearer"; token: string }
  | { kind: "basic"; username: string; password: string }
  | { kind: "oauth2"; tokens: OAuth2TokenSource };

/** What a system-specific reader makes of an answer before the generic rules apply. */
export type RemoteVerdict =
  | { kind: "ok" }
  /** A rate-limit answer in the system's own words (Canvas's 403 "Rate Limit Exceeded"). */
  | { kind: "rate-limited"; retryAfterMs?: number }
  | { kind: "error"; error: ConnectorError };

export interface HttpClientOptions {
  /** The system's name as people know it, used in messages ("Moodle", "Canvas"). */
  system: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  auth: HttpAuth;
  /** Reads the system's own error conventions (e.g. Moodle's HTTP 200 `{exception}`). */
  inspect?: (answer: { status: number; body: unknown; headers: Headers }) => RemoteVerdict;
  /** Called after each answer; returns how long to pause before the next request (ms). */
  pace?: (headers: Headers) => number;
  /** Longest Retry-After honoured within one call; a longer one fails with `rate-limited`. */
  maxRetryAfterMs?: number;
  /** First backoff step; doubled per attempt, with jitter. */
  backoffBaseMs?: number;
  /** Values that must never appear in a message (tokens, keys, passwords). */
  secrets?: string[];
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  fetch?: typeof fetch;
}

export interface HttpRequest<T> {
  method: "GET" | "POST" | "DELETE";
  /** A path under the base address, or an absolute URL on the same origin (a `Link` cursor). */
  url: string;
  query?: Params;
  form?: Params;
  json?: unknown;
  schema: z.ZodType<T>;
  /** What is being fetched, for messages: "the course list", "enrolments of course 12". */
  what: string;
  signal?: AbortSignal;
}

export interface HttpAnswer<T> {
  data: T;
  status: number;
  headers: Headers;
}

const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
const DEFAULT_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * One request's signal: aborted by its own timeout (AbortSignal.timeout) or by the caller's
 * signal. Linked by hand and unlinked when the request ends, so a sync's long-lived signal
 * does not collect a listener per request.
 */
export function requestSignal(
  timeoutMs: number,
  caller?: AbortSignal,
): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const timeout = AbortSignal.timeout(timeoutMs);
  const controller = new AbortController();
  const onTimeout = () => controller.abort(timeout.reason);
  const onCaller = () => controller.abort(caller?.reason);
  timeout.addEventListener("abort", onTimeout, { once: true });
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener("abort", onCaller, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timeout.aborted && !caller?.aborted,
    dispose: () => {
      timeout.removeEventListener("abort", onTimeout);
      caller?.removeEventListener("abort", onCaller);
    },
  };
}

/** Appends parameters in the `key=value&key[]=v` form servers of this family expect. */
export function encodeParams(params: Params, into = new URLSearchParams()): URLSearchParams {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) into.append(key, item);
    else into.append(key, typeof value === "boolean" ? (value ? "1" : "0") : String(value));
  }
  return into;
}

/**
 * Reads a Retry-After header (seconds or an HTTP date) as milliseconds from now; null when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** Replaces every secret in a message, so no error can carry a credential. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** Describes why a fetch threw (DNS, refused connection, TLS), without the request's URL. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause;
  switch (cause?.code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "its host name could not be resolved";
    case "ECONNREFUSED":
      return "the connection was refused";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "the connection was closed before it answered";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "the host cannot be reached from this server";
    case "CERT_HAS_EXPIRED":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return "its TLS certificate was not accepted";
    default:
      return "the connection failed";
  }
}

/** Summarises a schema failure as the first few paths that did not match. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? issue.path.join(".") : "the answer"))
    .join(", ");
}

interface Attempt<T> {
  ok?: HttpAnswer<T>;
  error?: ConnectorError;
  retry?: boolean;
  retryAfterMs?: number | null;
}

export class HttpClient {
  readonly system: string;
  private readonly base: URL;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly fetchImpl: typeof fetch;
  private readonly secrets: string[];
  private pauseUntil = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.system = options.system;
    try {
      this.base = new URL(options.baseUrl.replace(/\/+$/, "") + "/");
    } catch {
      throw new ConnectorError("unreachable", `The ${options.system} address is not a valid URL.`);
    }
    if (this.base.protocol !== "https:" && this.base.protocol !== "http:")
      throw new ConnectorError(
        "unreachable",
        `The ${options.system} address must start with https:// (or http://).`,
      );
    this.sleep = options.sleep ?? defaultSleep;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    const auth = options.auth;
    this.secrets = [
      ...(options.secrets ?? []),
      ...(auth.kind === "bearer" ? [auth.token] : []),
      ...(auth.kind === "basic" ? [auth.username, auth.password] : []),
    ].filter((s) => s.length > 0);
  }

  /** The origin every request (and every followed `Link` URL) must stay on. */
  get origin(): string {
    return this.base.origin;
  }

  /** Resolves a path or a same-origin absolute URL; refuses other origins (credentials go along). */
  resolve(url: string, query?: Params): URL {
    const resolved = /^https?:\/\//i.test(url)
      ? new URL(url)
      : new URL(url.replace(/^\/+/, ""), this.base);
    if (resolved.origin !== this.base.origin)
      throw new ConnectorError(
        "malformed",
        `${this.system} pointed to another site (${resolved.host}); Lyceum does not send credentials there.`,
      );
    if (query) encodeParams(query, resolved.searchParams);
    return resolved;
  }

  /** Sends one request, retrying what may succeed on a later try; answers validated data. */
  async request<T>(req: HttpRequest<T>): Promise<HttpAnswer<T>> {
    const url = this.resolve(req.url, req.query);
    let refreshedToken = false;
    for (let attempt = 0; ; attempt++) {
      const wait = this.pauseUntil - Date.now();
      if (wait > 0) await this.sleepOrAbort(wait, req.signal);
      const result = await this.attempt(url, req);
      if (result.ok) return result.ok;
      const error = result.error!;
      if (
        error.kind === "auth" &&
        this.options.auth.kind === "oauth2" &&
        !refreshedToken &&
        error.detail.status === 401
      ) {
        this.options.auth.tokens.invalidate();
        refreshedToken = true;
        attempt--;
        continue;
      }
      if (!result.retry || attempt >= this.options.maxRetries)
        throw this.finalError(error, attempt);
      const cap = this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
      if (result.retryAfterMs != null && result.retryAfterMs > cap)
        throw new ConnectorError(
          error.kind === "remote" ? "unreachable" : error.kind,
          `${this.system} asked Lyceum to wait ${Math.ceil(result.retryAfterMs / 1000)} s before asking again for ${req.what}; the sync will try later.`,
          { ...error.detail, retryAfterMs: result.retryAfterMs },
        );
      const backoff = Math.min(
        MAX_BACKOFF_MS,
        (this.options.backoffBaseMs ?? DEFAULT_BACKOFF_MS) * 2 ** attempt,
      );
      const delay = result.retryAfterMs ?? backoff * (0.5 + Math.random() / 2);
      await this.sleepOrAbort(delay, req.signal);
    }
  }

  private finalError(error: ConnectorError, attempt: number): ConnectorError {
    if (attempt === 0 || !error.transient) return error;
    const tries = attempt + 1;
    return new ConnectorError(
      error.kind,
      `${error.message.replace(/\.$/, "")} (gave up after ${tries} tries).`,
      error.detail,
    );
  }

  private async sleepOrAbort(ms: number, signal?: AbortSignal): Promise<void> {
    await this.sleep(ms, signal);
  }

  private async headers(req: HttpRequest<unknown>): Promise<Headers> {
    const headers = new Headers({ accept: "application/json" });
    const auth = this.options.auth;
    if (auth.kind === "bearer") headers.set("authorization", `Bearer ${auth.token}`);
    else if (auth.kind === "basic")
      headers.set(
        "authorization",
        `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`,
      );
    else if (auth.kind === "oauth2")
      headers.set("authorization", `Bearer ${await auth.tokens.token(req.signal)}`);
    if (req.form) headers.set("content-type", "application/x-www-form-urlencoded");
    else if (req.json !== undefined) headers.set("content-type", "application/json");
    return headers;
  }

  private fail(
    kind: ConnectorErrorKind,
    message: string,
    detail: ConnectorError["detail"] = {},
  ): ConnectorError {
    return new ConnectorError(kind, redact(message, this.secrets), detail);
  }

  private async attempt<T>(url: URL, req: HttpRequest<T>): Promise<Attempt<T>> {
    const linked = requestSignal(this.options.timeoutMs, req.signal);
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const response = await this.fetchImpl(url, {
        method: req.method,
        headers: await this.headers({ ...req, signal: linked.signal }),
        body: req.form
          ? encodeParams(req.form).toString()
          : req.json !== undefined
            ? JSON.stringify(req.json)
            : undefined,
        signal: linked.signal,
        redirect: "manual",
      });
      status = response.status;
      headers = response.headers;
      text = await response.text();
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (error instanceof ConnectorError) return { error, retry: error.transient };
      if (linked.timedOut())
        return {
          error: this.fail(
            "timeout",
            `${this.system} did not answer within ${this.options.timeoutMs} ms when Lyceum asked for ${req.what}.`,
          ),
          retry: true,
        };
      return {
        error: this.fail(
          "unreachable",
          `Lyceum could not reach ${this.system} at ${this.base.host}: ${describeNetworkError(error)}.`,
        ),
        retry: true,
      };
    } finally {
      linked.dispose();
    }
    const pause = this.options.pace?.(headers) ?? 0;
    if (pause > 0) this.pauseUntil = Math.max(this.pauseUntil, Date.now() + pause);

    let body: unknown = null;
    let parsed = false;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
        parsed = true;
      } catch {
        body = text;
      }
    }
    const retryAfter = parseRetryAfter(headers.get("retry-after"));
    const verdict = this.options.inspect?.({ status, body, headers }) ?? { kind: "ok" };
    if (verdict.kind === "rate-limited" || status === 429) {
      const wait =
        verdict.kind === "rate-limited" ? (verdict.retryAfterMs ?? retryAfter) : retryAfter;
      return {
        error: this.fail(
          "rate-limited",
          `${this.system} is limiting how fast Lyceum may call it (HTTP ${status}) when Lyceum asked for ${req.what}.`,
          { status, ...(wait != null ? { retryAfterMs: wait } : {}) },
        ),
        retry: true,
        retryAfterMs: wait,
      };
    }
    if (verdict.kind === "error") {
      const e = verdict.error;
      return {
        error: this.fail(e.kind, e.message, { status, ...e.detail }),
        retry: e.transient,
      };
    }
    if (status >= 300 && status < 400)
      return {
        error: this.fail(
          "remote",
          `${this.system} redirected the request for ${req.what} (HTTP ${status}); check that the address is the system's base address.`,
          { status },
        ),
      };
    if (status === 401)
      return {
        error: this.fail(
          "auth",
          `${this.system} refused Lyceum's credentials (HTTP 401): they are wrong, expired or revoked.`,
          { status },
        ),
      };
    if (status === 403)
      return {
        error: this.fail(
          "forbidden",
          `${this.system} accepted Lyceum's credentials but does not allow them to read ${req.what} (HTTP 403).`,
          { status },
        ),
      };
    if (status === 404)
      return {
        error: this.fail("not-found", `${this.system} could not find ${req.what} (HTTP 404).`, {
          status,
        }),
      };
    if (status === 502 || status === 503 || status === 504)
      return {
        error: this.fail(
          "unreachable",
          `${this.system} is temporarily unavailable (HTTP ${status}) when Lyceum asked for ${req.what}.`,
          { status },
        ),
        retry: true,
        retryAfterMs: retryAfter,
      };
    if (status >= 500)
      return {
        error: this.fail(
          "remote",
          `${this.system} failed with a server error (HTTP ${status}) when Lyceum asked for ${req.what}.`,
          { status },
        ),
        retry: true,
        retryAfterMs: retryAfter,
      };
    if (status >= 400)
      return {
        error: this.fail(
          "remote",
          `${this.system} refused the request for ${req.what} (HTTP ${status}).`,
          { status },
        ),
      };
    if (!parsed && text.length > 0)
      return {
        error: this.fail(
          "malformed",
          `${this.system} answered ${req.what} with something that is not JSON.`,
          { status },
        ),
      };
    const result = req.schema.safeParse(body);
    if (!result.success)
      return {
        error: this.fail(
          "malformed",
          `${this.system} answered ${req.what} in an unexpected shape (at ${describeIssues(result.error)}).`,
          { status },
        ),
      };
    return { ok: { data: result.data, status, headers } };
  }
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

/**
 * OAuth 2 client-credentials tokens (RFC 6749 §4.4), fetched once and reused until shortly
 * before they expire. The client authenticates with HTTP basic, as §2.3.1 recommends.
 */
export class OAuth2TokenSource {
  private cached: CachedToken | null = null;
  private pending: Promise<CachedToken> | null = null;

  constructor(
    private readonly config: {
      system: string;
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      timeoutMs: number;
      fetch?: typeof fetch;
      now?: () => number;
    },
  ) {}

  /** Forgets the cached token, after the system refused it. */
  invalidate(): void {
    this.cached = null;
  }

  async token(signal?: AbortSignal): Promise<string> {
    const now = (this.config.now ?? Date.now)();
    if (this.cached && this.cached.expiresAt - 30_000 > now) return this.cached.value;
    this.pending ??= this.fetchToken(signal).finally(() => {
      this.pending = null;
    });
    this.cached = await this.pending;
    return this.cached.value;
  }

  private async fetchToken(signal?: AbortSignal): Promise<CachedToken> {
    const { system, clientId, clientSecret, scope, timeoutMs } = this.config;
    const secrets = [clientSecret];
    const linked = requestSignal(timeoutMs, signal);
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (scope) body.set("scope", scope);
    let response: Response;
    try {
      response = await (this.config.fetch ?? fetch)(this.config.tokenUrl, {
        method: "POST",
        headers: {
          accept: "application/json",
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
        },
        body: body.toString(),
        signal: linked.signal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (linked.timedOut())
        throw new ConnectorError(
          "timeout",
          `${system}'s token endpoint did not answer within ${timeoutMs} ms.`,
        );
      throw new ConnectorError(
        "unreachable",
        `Lyceum could not reach ${system}'s token endpoint: ${describeNetworkError(error)}.`,
      );
    } finally {
      linked.dispose();
    }
    const text = await response.text().catch(() => "");
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = null;
    }
    if (response.status === 400 || response.status === 401) {
      const code = typeof json?.error === "string" ? json.error : undefined;
      throw new ConnectorError(
        "auth",
        redact(
          `${system} refused the client id and secret when Lyceum asked for an access token${code ? ` (${code})` : ""}.`,
          secrets,
        ),
        { status: response.status, ...(code ? { remoteCode: code } : {}) },
      );
    }
    if (!response.ok)
      throw new ConnectorError(
        response.status >= 500 ? "unreachable" : "remote",
        `${system}'s token endpoint answered HTTP ${response.status}.`,
        { status: response.status },
      );
    const token = json?.access_token;
    if (typeof token !== "string" || token.length === 0)
      throw new ConnectorError(
        "malformed",
        `${system}'s token endpoint answered without an access_token.`,
      );
    const expiresIn = Number(json?.expires_in ?? 3600);
    const now = (this.config.now ?? Date.now)();
    return {
      value: token,
      expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
    };
  }
}

/** The HttpAuth for a connector's credentials. */
export function authFor(
  system: string,
  credentials: ConnectorCredentials,
  timeoutMs: number,
  allowPrivateNetwork = false,
): HttpAuth {
  switch (credentials.kind) {
    case "api-token":
      return { kind: "bearer", token: credentials.token };
    case "basic":
      return { kind: "basic", username: credentials.username, password: credentials.password };
    case "oauth2-client-credentials":
      return {
        kind: "oauth2",
        tokens: new OAuth2TokenSource({
          system,
          tokenUrl: credentials.tokenUrl,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          ...(credentials.scope ? { scope: credentials.scope } : {}),
          timeoutMs,
          ...(allowPrivateNetwork ? {} : { fetch: publicOnlyFetch(`${system}'s token endpoint`) }),
        }),
      };
  }
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Seconds since the epoch (0 meaning "never", as Moodle and TalentLMS say it) as a Date. */
export function fromEpochSeconds(value: number | string | null | undefined): Date | null {
  const n = typeof value === "string" ? Number(value) : value;
  if (n == null || !Number.isFinite(n) || n <= 0) return null;
  return new Date(n * 1000);
}

/** An ISO 8601 string as a Date, null when absent or unreadable. */
export function fromIso(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}
