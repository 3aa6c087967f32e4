import { z } from "zod";
import {
  type ConnectionCheck,
  type ConnectionTestResult,
  ConnectorError,
  type ConnectorSpec,
} from "./types.js";

/** Collects the steps of a connection test, each said in words a person can act on. */
export class CheckList {
  readonly checks: ConnectionCheck[] = [];
  private readonly started = performance.now();
  system: ConnectionTestResult["system"];

  pass(step: string, message: string): void {
    this.checks.push({ step, ok: true, message });
  }

  fail(step: string, message: string): void {
    this.checks.push({ step, ok: false, message });
  }

  /**
   * Runs one step: its message on success, the failure's own words otherwise. A failed step
   * answers false so later steps that need it can be skipped; errors that are not a
   * connector's (bugs) are rethrown.
   */
  async step<T>(
    step: string,
    run: () => Promise<T>,
    describe: (value: T) => string,
  ): Promise<{ ok: true; value: T } | { ok: false; error: ConnectorError }> {
    try {
      const value = await run();
      this.pass(step, describe(value));
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
      this.fail(step, error.message);
      return { ok: false, error };
    }
  }

  /** Records the steps that could not run because an earlier one failed. */
  skip(steps: string[], because: string): void {
    for (const step of steps) this.fail(step, `Not tried: ${because}`);
  }

  result(): ConnectionTestResult {
    return {
      ok: this.checks.every((c) => c.ok),
      checks: this.checks,
      ...(this.system ? { system: this.system } : {}),
      latencyMs: Math.round(performance.now() - this.started),
    };
  }
}

/** Which way data flows: the connection test also checks the write permission for export. */
export const directionOption = z.enum(["import", "export", "both"]).default("import");

/** Validates a connector's options, saying in words which one is wrong. */
export function parseOptions<S extends z.ZodType>(
  system: string,
  schema: S,
  spec: ConnectorSpec,
): z.output<S> {
  const result = schema.safeParse(spec.options ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join(".") || "options";
  throw new ConnectorError(
    "unsupported",
    `The ${system} setting "${where}" is not valid: ${issue?.message ?? "unexpected value"}.`,
  );
}

/** Reads an offset cursor (`"200"`); a cursor of another shape is refused in words. */
export function offsetCursor(system: string, cursor: string | null | undefined): number {
  if (cursor == null || cursor === "") return 0;
  if (!/^\d+$/.test(cursor))
    throw new ConnectorError(
      "malformed",
      `The stored ${system} sync position "${cursor.slice(0, 40)}" is not one this connector wrote; run a full sync.`,
    );
  return Number(cursor);
}
