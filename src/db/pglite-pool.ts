import type { AsyncLocalStorage } from "node:async_hooks";
import { type PGlite, parse, protocol, type Results } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import { isStalePlan } from "./prepared.js";

const { serialize } = protocol;

/** Distinct statements kept prepared; others run unnamed. */
const MAX_PREPARED = 1000;

/** How long the one connection may pass from borrower to borrower before I/O gets a turn. */
const SLICE_MS = 5;

interface Prepared {
  name: string;
  /** Parameter type OIDs, to serialize values as PGlite does. */
  types: number[];
}

/**
 * Runs statements on PGlite like its own `query()`, but keeps each distinct parameterized
 * statement prepared (named) so it is parsed and planned once, and sends bind, describe,
 * execute and sync in one call into the engine. Statements without parameters (migrations,
 * several statements at once) go through `exec()` as before.
 */
class PreparedStatements {
  private readonly statements = new Map<string, Prepared>();
  /** Names are never reused: a stale statement is closed but its number is not handed out again. */
  private sequence = 0;

  constructor(private readonly pglite: PGlite) {}

  async exec(sql: string): Promise<Results> {
    return (await this.pglite.exec(sql)).at(-1) ?? { rows: [], fields: [], affectedRows: 0 };
  }

  async query(sql: string, params: readonly unknown[]): Promise<Results> {
    const statement = await this.prepare(sql);
    if (!statement) return this.pglite.query(sql, params as unknown[]);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.pglite.serializers[statement.types[i] as number];
      return serializer ? serializer(value) : String(value);
    });
    const { messages } = await this.pglite.execProtocol(
      concat([
        serialize.bind({ statement: statement.name, values }),
        serialize.describe({ type: "P" }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { throwOnError: false },
    );
    const error = messages.find((m) => m.name === "error") as
      | (Error & { code?: string })
      | undefined;
    if (error) {
      if (!isStalePlan(error)) throw error;
      // The table changed shape under the statement (a migration): forget it.
      this.statements.delete(sql);
      await this.pglite.execProtocol(
        concat([serialize.close({ type: "S", name: statement.name }), serialize.sync()]),
        { throwOnError: false },
      );
      if (this.pglite.isInTransaction()) throw error;
      return this.pglite.query(sql, params as unknown[]);
    }
    return parse.parseResults(messages, this.pglite.parsers)[0] as Results;
  }

  private async prepare(sql: string): Promise<Prepared | null> {
    const known = this.statements.get(sql);
    if (known) return known;
    if (this.statements.size >= MAX_PREPARED) return null;
    this.sequence += 1;
    const name = `lyceum_${this.sequence}`;
    const { messages } = await this.pglite.execProtocol(
      concat([
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
      { throwOnError: false },
    );
    const error = messages.find((m) => m.name === "error");
    if (error) throw error;
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    this.statements.set(sql, statement);
    return statement;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * PGlite is a single connection. This pool hands it out to one borrower at a time, in order,
 * which gives Kysely's transactions exclusive use of it. PGlite runs in this thread, so a
 * chain of borrowers could keep the event loop from reading sockets for as long as the queue
 * lasts; after a few milliseconds of back-to-back handovers the next one waits for the event
 * loop's next turn, so new requests are read and queued fairly instead of waiting seconds.
 */
export class PgliteSingleConnectionPool implements PostgresPool {
  private busy = false;
  private readonly waiters: Array<() => void> = [];
  private ended = false;
  private sliceStart = 0;
  private readonly statements: PreparedStatements;

  constructor(
    private readonly pglite: PGlite,
    private readonly scope: AsyncLocalStorage<{ holdsConnection: boolean }>,
  ) {
    this.statements = new PreparedStatements(pglite);
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.ended) throw new Error("database is closed");
    const scope = this.scope.getStore();
    if (scope?.holdsConnection) {
      throw new Error(
        "query sent outside the transaction that holds the embedded database's only connection: use the transaction handle",
      );
    }
    if (this.busy) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.sliceStart = performance.now();
    this.busy = true;
    if (scope) scope.holdsConnection = true;
    const statements = this.statements;
    let released = false;
    const client = {
      query: async (sql: string, parameters: ReadonlyArray<unknown>) => {
        // Without parameters the simple protocol runs, which also accepts several statements.
        const result =
          parameters.length === 0
            ? await statements.exec(sql)
            : await statements.query(sql, parameters);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release: () => {
        if (released) return;
        released = true;
        if (scope) scope.holdsConnection = false;
        this.handOver();
      },
    };
    return client as unknown as PostgresPoolClient;
  }

  private handOver(): void {
    const next = this.waiters.shift();
    if (!next) {
      this.busy = false;
      return;
    }
    const now = performance.now();
    if (now - this.sliceStart < SLICE_MS) {
      next();
      return;
    }
    this.sliceStart = now;
    setImmediate(next);
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.busy) await new Promise<void>((resolve) => this.waiters.push(resolve));
    await this.pglite.close();
  }
}

function commandOf(sql: string): "UPDATE" | "DELETE" | "INSERT" | "SELECT" | "MERGE" {
  const match = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge)\b/i.exec(sql);
  const word = (match?.[1] ?? /^\s*(\w+)/.exec(sql)?.[1] ?? "select").toUpperCase();
  if (word === "INSERT" || word === "UPDATE" || word === "DELETE" || word === "MERGE") return word;
  return "SELECT";
}
