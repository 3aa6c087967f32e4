import type { ChangeFeed } from "../../db/listener.js";

/**
 * The channel a change of an organization's security settings is announced on when its
 * transaction commits; the payload is the organization's id. Whatever writes
 * `organization_security_settings` announces it (see `updateSecuritySettings`).
 */
export const ORG_SECURITY_CHANNEL = "lyceum_org_security";

/** What the organization security guard enforces on requests in an organization's scope. */
export interface GuardRules {
  mfaRequired: boolean;
  sessionTimeoutMinutes: number | null;
  ipAllowList: string[];
}

/** Whether the rules ask anything of a request (settings may exist and enforce nothing). */
export function enforcesAnything(rules: GuardRules): boolean {
  return rules.mfaRequired || rules.sessionTimeoutMinutes !== null || rules.ipAllowList.length > 0;
}

/**
 * Per organization, whether its security settings enforce anything, kept in this process so
 * that requests in the scope of an organization that enforces nothing (most of them) cost no
 * query. Only "enforces nothing" answers a request from memory: an organization that enforces
 * something is read again with the session's state on each request, which also refreshes its
 * entry.
 *
 * As with the session cache, entries are trusted only after `sync()` has answered true for
 * the request (every announced change committed before it has been applied), and a fill is
 * stored only if no change arrived while it read.
 */
export class OrganizationSecurityCache {
  private readonly organizations = new Map<string, boolean>();
  /** Every organization that enforces something, when known (read again after any change). */
  private enforcingValue: ReadonlySet<string> | null = null;
  private generationValue = 0;
  private feed: ChangeFeed | null = null;

  constructor(private readonly maxOrganizations = 10_000) {}

  /** Trusts entries only while this feed confirms it is up to date. */
  attach(feed: ChangeFeed): void {
    this.feed = feed;
  }

  /** Whether entries may be used for a request arriving now (waits for the feed to catch up). */
  async sync(): Promise<boolean> {
    return this.feed ? this.feed.sync() : false;
  }

  get generation(): number {
    return this.generationValue;
  }

  /** An announced change of one organization's settings. */
  drop(organizationId: string): void {
    this.generationValue += 1;
    this.organizations.delete(organizationId);
    this.enforcingValue = null;
  }

  /** Forgets everything (the feed went down or came up). */
  reset(): void {
    this.generationValue += 1;
    this.organizations.clear();
    this.enforcingValue = null;
  }

  /** Whether the organization is known to enforce something; undefined when not known. */
  enforces(organizationId: string): boolean | undefined {
    if (this.enforcingValue) return this.enforcingValue.has(organizationId);
    return this.organizations.get(organizationId);
  }

  /**
   * Every organization whose settings enforce something, or undefined when not known (at
   * start, and after each change until it is read again). Requests naming objects outside any
   * organization's path use it: when it is empty no object's organization needs reading.
   */
  enforcing(): ReadonlySet<string> | undefined {
    return this.enforcingValue ?? undefined;
  }

  storeEnforcing(generation: number, organizations: Iterable<string>): void {
    if (generation !== this.generationValue) return;
    this.enforcingValue = new Set(organizations);
  }

  store(generation: number, organizationId: string, enforces: boolean): void {
    if (generation !== this.generationValue) return;
    // Bounded: the organization stored first is forgotten first (Map keeps insertion order).
    if (
      !this.organizations.has(organizationId) &&
      this.organizations.size >= this.maxOrganizations
    ) {
      const oldest = this.organizations.keys().next().value;
      if (oldest !== undefined) this.organizations.delete(oldest);
    }
    this.organizations.set(organizationId, enforces);
  }
}
