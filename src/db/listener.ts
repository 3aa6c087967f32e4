import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** What a subscriber to notification channels is told. */
export interface ChangeHandlers {
  /** A payload committed on one of the channels. */
  onNotify(channel: string, payload: string): void;
  /**
   * Notifications may have been missed (the feed went down, or just came up): everything
   * derived from earlier ones must be dropped.
   */
  onReset(): void;
}

/** A subscription to PostgreSQL notification channels (LISTEN/NOTIFY). */
export interface ChangeFeed {
  /**
   * Resolves `true` once every notification committed before the call has been handed to
   * `onNotify`, or `false` when the feed is down (nothing it delivered can be trusted then).
   */
  sync(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * PGlite runs in this process on one connection and hands a transaction's notifications to
 * their callbacks (as microtasks) while it reads the COMMIT's answer, before the committing
 * code resumes: whatever was committed is already delivered, so `sync` has nothing to wait for.
 */
export async function listenPglite(
  pglite: PGlite,
  channels: string[],
  handlers: ChangeHandlers,
): Promise<ChangeFeed> {
  const unlisten = await Promise.all(
    channels.map((channel) =>
      pglite.listen(channel, (payload) => handlers.onNotify(channel, payload)),
    ),
  );
  handlers.onReset();
  const synced = Promise.resolve(true);
  return {
    sync: () => synced,
    close: async () => {
      for (const stop of unlisten) await stop().catch(() => undefined);
    },
  };
}

/** How the listening connection shows in `pg_stat_activity`. */
export const FEED_APPLICATION = "lyceum-change-feed";

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * A dedicated connection to a PostgreSQL server that LISTENs on channels, reconnecting when
 * it breaks. `sync` sends an empty statement on that connection (one for every caller waiting
 * since the last one was sent): PostgreSQL signals listening sessions before it acknowledges
 * a COMMIT, and hands a session the notifications it received before answering its next
 * statement, so when the answer arrives every notification committed before the call has
 * been delivered. A caller that saw a change committed (say, a sign-out answered by another
 * process) and then asks `sync` is guaranteed to see its notification.
 */
export class PgChangeFeed implements ChangeFeed {
  private client: pg.Client | null = null;
  private live = false;
  private closed = false;
  private waiting: Array<(ok: boolean) => void> = [];
  private inFlight = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channels: string[],
    private readonly handlers: ChangeHandlers,
    private readonly options: {
      /** Counts each statement sent, like the pool's queries. */
      onStatement?: () => void;
      onStateChange?: (live: boolean, error?: Error) => void;
    } = {},
  ) {}

  /** Connects and listens; on failure the feed stays down and keeps retrying. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: FEED_APPLICATION,
    });
    this.client = client;
    client.on("notification", (message) => {
      if (client === this.client && this.live)
        this.handlers.onNotify(message.channel, message.payload ?? "");
    });
    client.on("error", (error) => this.down(client, error));
    client.on("end", () => this.down(client, new Error("connection ended")));
    try {
      await client.connect();
      for (const channel of this.channels)
        await client.query(`listen "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      this.down(client, error as Error);
      return;
    }
    if (client !== this.client || this.closed) return;
    // Anything committed while no connection listened was missed.
    this.handlers.onReset();
    this.live = true;
    this.retryMs = RETRY_MIN_MS;
    this.options.onStateChange?.(true);
  }

  private down(client: pg.Client, error: Error): void {
    if (client !== this.client) return;
    this.client = null;
    const wasLive = this.live;
    this.live = false;
    this.handlers.onReset();
    for (const resolve of this.waiting.splice(0)) resolve(false);
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (wasLive) this.options.onStateChange?.(false, error);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  sync(): Promise<boolean> {
    if (!this.live) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  /** Sends one empty statement for everyone waiting; callers arriving meanwhile wait for the next. */
  private pump(): void {
    const client = this.client;
    if (this.inFlight || !this.waiting.length || !client || !this.live) return;
    const batch = this.waiting.splice(0);
    this.inFlight = true;
    this.options.onStatement?.();
    client.query("").then(
      () => this.settle(batch, client === this.client && this.live),
      () => this.settle(batch, false),
    );
  }

  private settle(batch: Array<(ok: boolean) => void>, ok: boolean): void {
    this.inFlight = false;
    for (const resolve of batch) resolve(ok);
    this.pump();
  }

  /** Whether notifications are being received now. */
  get isLive(): boolean {
    return this.live;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.live = false;
    for (const resolve of this.waiting.splice(0)) resolve(false);
    await client?.end().catch(() => undefined);
  }
}
