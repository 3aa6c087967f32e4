import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { type ChangeFeed, type ChangeHandlers, listenPglite, PgChangeFeed } from "./listener.js";
import { PgliteSingleConnectionPool } from "./pglite-pool.js";
import { keepStatementsPrepared } from "./prepared.js";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;
export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /** Runs raw SQL made of several statements (migrations, test resets). */
  exec(sql: string): Promise<void>;
  /**
   * Subscribes to notification channels (LISTEN): on a server through a dedicated
   * connection that reconnects by itself, on PGlite through the engine's own callbacks.
   */
  listen(
    channels: string[],
    handlers: ChangeHandlers,
    onStateChange?: (live: boolean, error?: Error) => void,
  ): Promise<ChangeFeed>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** A postgres:// URL. Without one, the embedded engine is used. */
  url?: string;
  /** Folder for the embedded engine's files; `memory://` or undefined keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  /** Keep parameterized statements prepared on a server's connections (default true). */
  preparedStatements?: boolean;
}

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

/**
 * Opens the database: a PostgreSQL server when a URL is given, the embedded PGlite engine
 * otherwise. Both hand back the same Kysely instance type and the same value types
 * (int8 and numeric as numbers, dates as `YYYY-MM-DD` strings, timestamptz as Date).
 */
export async function connect(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.url)
    return connectPostgres(options.url, options.poolSize ?? 10, options.preparedStatements ?? true);
  return connectPglite(options.dataDir);
}

async function connectPostgres(
  url: string,
  max: number,
  prepare: boolean,
): Promise<DatabaseHandle> {
  const parsers: Record<number, (v: string) => unknown> = {
    [OID.INT8]: Number,
    [OID.NUMERIC]: Number,
    [OID.DATE]: (v) => v,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection can break (server restart, network); pg reports that on the pool,
  // and an unhandled report would end the process. The next query opens a new connection.
  pool.on("error", (error) => {
    process.emitWarning(`PostgreSQL connection lost: ${error.message}`);
  });
  if (prepare) keepStatementsPrepared(pool);
  const db = countingKysely(new PostgresDialect({ pool }));
  return {
    db,
    engine: "postgres",
    exec: async (sql) => {
      await pool.query(sql);
    },
    listen: async (channels, handlers, onStateChange) => {
      const counter = queryCounts.get(db);
      const feed = new PgChangeFeed(url, channels, handlers, {
        onStatement: () => {
          if (counter) counter.queries += 1;
        },
        onStateChange,
      });
      await feed.start();
      return feed;
    },
    close: () => db.destroy(),
  };
}

async function connectPglite(dataDir?: string): Promise<DatabaseHandle> {
  if (dataDir && !dataDir.startsWith("memory://"))
    mkdirSync(path.resolve(dataDir), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: dataDir && !dataDir.startsWith("memory://") ? path.resolve(dataDir) : undefined,
    parsers: { [OID.NUMERIC]: Number, [OID.DATE]: (v: string) => v },
  });
  const pool = new PgliteSingleConnectionPool(pglite, transactionScope);
  const db = countingKysely(new PostgresDialect({ pool }));
  embedded.add(db);
  return {
    db,
    engine: "pglite",
    exec: async (sql) => {
      const client = await pool.connect();
      try {
        await pglite.exec(sql);
      } finally {
        client.release();
      }
    },
    listen: (channels, handlers) => listenPglite(pglite, channels, handlers),
    close: async () => {
      await db.destroy();
    },
  };
}

/** Queries run through each handle since it was opened (a transaction counts toward the handle it was opened from). */
const queryCounts = new WeakMap<Db, { queries: number }>();

/**
 * A Kysely instance that counts the queries it runs (one increment per statement, through
 * Kysely's log hook), so benchmarks can report queries per request.
 */
function countingKysely(dialect: PostgresDialect): Db {
  const counter = { queries: 0 };
  const db = new Kysely<Database>({
    dialect,
    log: () => {
      counter.queries += 1;
    },
  });
  queryCounts.set(db, counter);
  return db;
}

/**
 * How many statements a database handle (or a transaction opened from it) has run since it
 * was opened: the running total behind the `DEBUG_QUERY_COUNT` response header.
 */
export function queryCount(db: Db): number {
  return queryCounts.get(db)?.queries ?? 0;
}

/** Handles on the embedded engine, where a misused outer handle would wait forever. */
const embedded = new WeakSet<Db>();

/** Whether a handle is the embedded engine's (one connection shared by everything). */
export const isEmbedded = (db: Db): boolean => embedded.has(db);

/** Marks the async context of a running transaction, so misuse can be detected. */
const transactionScope = new AsyncLocalStorage<{ holdsConnection: boolean }>();

/**
 * Runs `fn` in a transaction. Use this instead of `db.transaction()` so that, on the embedded
 * engine, a query sent through the outer `db` from inside the transaction fails fast instead
 * of waiting forever for the one connection.
 */
export function transaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  // The check needs async context tracking, which costs on every promise: keep it to PGlite.
  if (!embedded.has(db)) return db.transaction().execute((trx) => fn(trx));
  return transactionScope.run({ holdsConnection: false }, () =>
    db.transaction().execute((trx) => fn(trx)),
  );
}
