import { Resolver } from "node:dns/promises";

/**
 * The answer to one TXT lookup: the records found (each record's character strings joined, as
 * DNS splits long values into 255-byte pieces), none (the name or its TXT records do not exist),
 * or a failure to get an answer at all (timeout, refused, SERVFAIL) — which must never be read
 * as "no record".
 */
export type TxtLookup =
  | { status: "found"; records: string[] }
  | { status: "not-found" }
  | { status: "failed"; reason: string };

/** Looks up DNS TXT records. Modules depend on this, never on `node:dns` directly. */
export interface TxtResolver {
  lookupTxt(name: string): Promise<TxtLookup>;
}

export interface DnsOptions {
  /** Name servers as `ip` or `ip:port` (`[ipv6]:port`); empty means the system's. */
  servers: string[];
  /** How long one query waits for an answer before it is retried (then fails). */
  timeoutMs: number;
}

/** Error codes of `node:dns` that mean the name or its records do not exist. */
const ABSENT = new Set(["ENOTFOUND", "ENODATA"]);

/**
 * The real resolver: `node:dns`'s `Resolver` (c-ares) asking the configured servers, or the
 * system's when none are configured. Each lookup is tried twice before it counts as failed.
 */
export class DnsTxtResolver implements TxtResolver {
  private readonly resolver: Resolver;

  constructor(options: DnsOptions) {
    this.resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
    if (options.servers.length) this.resolver.setServers(options.servers);
  }

  async lookupTxt(name: string): Promise<TxtLookup> {
    try {
      const records = await this.resolver.resolveTxt(name);
      return records.length
        ? { status: "found", records: records.map((chunks) => chunks.join("")) }
        : { status: "not-found" };
    } catch (error) {
      const code = (error as { code?: string }).code ?? "EUNKNOWN";
      if (ABSENT.has(code)) return { status: "not-found" };
      return { status: "failed", reason: code };
    }
  }
}
