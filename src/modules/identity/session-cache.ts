import type { ChangeFeed } from "../../db/listener.js";
import type { ActorAccess } from "../../platform/policy/engine.js";

/** The channel the database announces access changes on (see the access_change_feed migration). */
export const ACCESS_CHANNEL = "lyceum_access";

interface CachedSession {
  expiresAt: number;
  lastAccessedAt: number;
}

interface CachedUser {
  sessions: Map<string, CachedSession>;
  access?: { value: ActorAccess; validUntil: number | null };
}

/** Sessions remembered per person; older ones are read from the database again when used. */
const MAX_SESSIONS_PER_USER = 20;

/** What a fill saw when it started: it may only be stored if nothing changed meanwhile. */
export type Generation = number;

/**
 * Sessions found open (with their active owners) and people's grants, kept in this process.
 *
 * Entries are only trusted after `sync()` has answered true for the request: the feed then has
 * delivered every change committed before the request arrived (a sign-out, a revoked session,
 * a suspension, a role taken away), and `drop` removed what it named. When the feed is down
 * `sync()` answers false and callers check the database on every request, as without a cache.
 *
 * A fill (a database read that misses the cache) notes the generation before it reads and is
 * stored only if no change arrived meanwhile, so a read that raced a revocation is never kept.
 */
export class SessionCache {
  private readonly users = new Map<string, CachedUser>();
  private generationValue = 0;
  private feed: ChangeFeed | null = null;

  constructor(private readonly maxUsers = 20_000) {}

  /** Trusts entries only while this feed confirms it is up to date. */
  attach(feed: ChangeFeed): void {
    this.feed = feed;
  }

  /** Whether entries may be used for a request arriving now (waits for the feed to catch up). */
  async sync(): Promise<boolean> {
    return this.feed ? this.feed.sync() : false;
  }

  get generation(): Generation {
    return this.generationValue;
  }

  /** A payload from the feed: `u:<user id>` drops that person, `*` everything. */
  drop(payload: string): void {
    this.generationValue += 1;
    if (payload.startsWith("u:")) this.users.delete(payload.slice(2));
    else this.users.clear();
  }

  /** Forgets everything (the feed went down or came up). */
  reset(): void {
    this.generationValue += 1;
    this.users.clear();
  }

  /** An open session of an active person, if known; a session past its expiry is forgotten. */
  session(userId: string, sessionId: string, now: Date): CachedSession | undefined {
    const user = this.users.get(userId);
    const session = user?.sessions.get(sessionId);
    if (!user || !session) return undefined;
    if (session.expiresAt <= now.getTime()) {
      user.sessions.delete(sessionId);
      return undefined;
    }
    return session;
  }

  storeSession(
    generation: Generation,
    userId: string,
    sessionId: string,
    session: { expiresAt: Date; lastAccessedAt: Date },
  ): void {
    if (generation !== this.generationValue) return;
    const sessions = this.userEntry(userId).sessions;
    // Bounded per person too (someone signing in from a script opens a session each run).
    if (!sessions.has(sessionId) && sessions.size >= MAX_SESSIONS_PER_USER) {
      const oldest = sessions.keys().next().value;
      if (oldest !== undefined) sessions.delete(oldest);
    }
    sessions.set(sessionId, {
      expiresAt: session.expiresAt.getTime(),
      lastAccessedAt: session.lastAccessedAt.getTime(),
    });
  }

  /** A person's grants, unless one of their role assignments has expired since they were read. */
  access(userId: string, now: Date): ActorAccess | undefined {
    const cached = this.users.get(userId)?.access;
    if (!cached) return undefined;
    if (cached.validUntil !== null && cached.validUntil <= now.getTime()) return undefined;
    return cached.value;
  }

  storeAccess(
    generation: Generation,
    userId: string,
    access: ActorAccess,
    validUntil: Date | null,
  ): void {
    if (generation !== this.generationValue) return;
    this.userEntry(userId).access = {
      value: deepFreeze(access),
      validUntil: validUntil?.getTime() ?? null,
    };
  }

  private userEntry(userId: string): CachedUser {
    let user = this.users.get(userId);
    if (!user) {
      // Bounded: the oldest person is forgotten first (Map keeps insertion order).
      if (this.users.size >= this.maxUsers) {
        const oldest = this.users.keys().next().value;
        if (oldest !== undefined) this.users.delete(oldest);
      }
      user = { sessions: new Map() };
      this.users.set(userId, user);
    }
    return user;
  }
}

/** Shared between requests, so nobody may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
