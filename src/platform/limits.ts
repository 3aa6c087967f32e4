import { normalizeIP } from "@fastify/rate-limit";
import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import type { Clock } from "./clock.js";
import { sha256 } from "./crypto.js";
import { AppError } from "./http/errors.js";

/**
 * Abuse limits kept in the database (`rate_limit_counters`), so they hold across restarts and
 * across every process that shares the database: failed sign-ins per client address, mails
 * per recipient, registrations per client address. The per-minute request limits of the HTTP
 * pipeline stay in memory; these are the ones an attacker must not reset by waiting for a
 * restart or by landing on another process.
 *
 * Each limit counts events in fixed windows and judges by a sliding-window estimate: the
 * current window's count plus the previous window's count weighted by how much of it still
 * overlaps the last `windowMs`. That avoids the double burst a plain fixed window allows at
 * its boundary, with two rows per subject instead of one row per event.
 */
export interface Limit {
  /** What is counted, e.g. `mail-recipient`; part of the counter's key. */
  kind: string;
  /** Events allowed within any `windowMs`. */
  max: number;
  windowMs: number;
}

export interface LimitState {
  /** Whether one more event fits under the limit. */
  allowed: boolean;
  /** The sliding-window count of events so far. */
  count: number;
  /** How long until one more event fits; 0 when it fits now. */
  retryAfterMs: number;
}

/** What the counters need: a database handle (the caller's transaction, if any) and a clock. */
export interface LimitCtx {
  db: Db;
  clock: Clock;
}

interface Window {
  start: Date;
  previousStart: Date;
  /** Milliseconds since the current window started. */
  elapsed: number;
  expiresAt: Date;
}

function windowAt(now: Date, windowMs: number): Window {
  const startMs = Math.floor(now.getTime() / windowMs) * windowMs;
  return {
    start: new Date(startMs),
    previousStart: new Date(startMs - windowMs),
    elapsed: now.getTime() - startMs,
    expiresAt: new Date(startMs + 2 * windowMs),
  };
}

/**
 * The sliding-window state for counts `previous` and `current` of two adjacent windows,
 * `elapsed` milliseconds into the current one. Exported for its unit test.
 */
export function slidingState(
  limit: Pick<Limit, "max" | "windowMs">,
  previous: number,
  current: number,
  elapsed: number,
): LimitState {
  const { max, windowMs } = limit;
  const count = current + previous * (1 - elapsed / windowMs);
  const room = max - 1;
  if (count <= room) return { allowed: true, count, retryAfterMs: 0 };
  let wait: number;
  if (current <= room) {
    // Within this window, once enough of the previous one has slid out.
    wait = windowMs * (1 - (room - current) / previous) - elapsed;
  } else {
    // In the next window, once enough of this one has slid out.
    wait = windowMs - elapsed + windowMs * (1 - room / current);
  }
  return { allowed: false, count, retryAfterMs: Math.max(1, Math.ceil(wait)) };
}

async function counts(ctx: LimitCtx, limit: Limit, subject: string, window: Window) {
  const rows = await ctx.db
    .selectFrom("rate_limit_counters")
    .select(["window_start", "count"])
    .where("kind", "=", limit.kind)
    .where("subject", "=", subject)
    .where("window_start", "in", [window.previousStart, window.start])
    .execute();
  const at = (d: Date) => rows.find((r) => r.window_start.getTime() === d.getTime())?.count ?? 0;
  return { previous: at(window.previousStart), current: at(window.start) };
}

/** Whether one more event for `subject` fits, without counting one. */
export async function peekLimit(ctx: LimitCtx, limit: Limit, subject: string): Promise<LimitState> {
  const window = windowAt(ctx.clock.now(), limit.windowMs);
  const key = sha256(subject);
  const { previous, current } = await counts(ctx, limit, key, window);
  return slidingState(limit, previous, current, window.elapsed);
}

/**
 * Counts one event for `subject` if it fits under the limit and says whether it did. The
 * increment is guarded in the statement itself, so concurrent callers never overshoot.
 */
export async function consumeLimit(
  ctx: LimitCtx,
  limit: Limit,
  subject: string,
): Promise<LimitState> {
  const window = windowAt(ctx.clock.now(), limit.windowMs);
  const key = sha256(subject);
  const { previous, current } = await counts(ctx, limit, key, window);
  const before = slidingState(limit, previous, current, window.elapsed);
  if (!before.allowed) return before;
  const carried = previous * (1 - window.elapsed / limit.windowMs);
  const bumped = await bump(ctx, limit, key, window, carried + 1);
  if (!bumped) {
    // A concurrent caller took the last place between the read and the write.
    const now = await counts(ctx, limit, key, window);
    return slidingState(limit, now.previous, now.current, window.elapsed);
  }
  return { allowed: true, count: carried + bumped.count, retryAfterMs: 0 };
}

/**
 * Counts one event for `subject` whether or not it fits (a failure that already happened)
 * and returns the state for the next event.
 */
export async function recordLimit(
  ctx: LimitCtx,
  limit: Limit,
  subject: string,
): Promise<LimitState> {
  const window = windowAt(ctx.clock.now(), limit.windowMs);
  const key = sha256(subject);
  const { previous } = await counts(ctx, limit, key, window);
  const row = await bump(ctx, limit, key, window);
  if (!row) throw new Error("counter upsert returned nothing");
  return slidingState(limit, previous, row.count, window.elapsed);
}

/**
 * Adds one to the current window's counter; with `upTo`, only while the sliding count plus
 * this event (`upTo`, the carried part included) stays within the limit — nothing otherwise.
 */
function bump(
  ctx: LimitCtx,
  limit: Limit,
  key: string,
  window: ReturnType<typeof windowAt>,
  upTo?: number,
): Promise<{ count: number } | undefined> {
  return ctx.db
    .insertInto("rate_limit_counters")
    .values({
      kind: limit.kind,
      subject: key,
      window_start: window.start,
      count: 1,
      expires_at: window.expiresAt,
    })
    .onConflict((oc) => {
      const update = oc
        .columns(["kind", "subject", "window_start"])
        .doUpdateSet({ count: sql`rate_limit_counters.count + 1` });
      return upTo === undefined
        ? update
        : update.where(
            sql<boolean>`rate_limit_counters.count + ${upTo}::float8 <= ${limit.max}::int`,
          );
    })
    .returning("count")
    .executeTakeFirst();
}

/** The `RATE_LIMITED` error for a refused event, with `Retry-After`. */
export function limitError(message: string, limit: Limit, state: LimitState): AppError {
  return new AppError("RATE_LIMITED", message, {
    details: { rule: limit.kind, limit: limit.max, retryAfterMs: state.retryAfterMs },
    headers: { "retry-after": String(Math.max(1, Math.ceil(state.retryAfterMs / 1000))) },
  });
}

/**
 * The client address a limit counts against: IPv4 as is (an IPv4-mapped IPv6 address as its
 * IPv4 form), IPv6 as its /64 network, since one subscriber usually holds a whole /64 and
 * could otherwise take a fresh address for every request.
 */
export function clientAddress(ip: string): string {
  return normalizeIP(ip, 64);
}

/**
 * The mailbox a mail limit counts against: the address in lower case without a `+tag` in its
 * local part, so `Ann+1@x.org` and `ann@x.org` share one count (they reach one inbox).
 */
export function mailbox(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf("@");
  if (at < 1) return address;
  const local = address.slice(0, at);
  const plus = local.indexOf("+");
  return `${plus > 0 ? local.slice(0, plus) : local}${address.slice(at)}`;
}

const HOUR_MS = 3_600_000;

/** Mails that other people can cause to be sent to an address (reset, verification, invitation). */
function mailRecipientLimit(config: { limits: { mailsPerRecipientPerHour: number } }): Limit {
  return { kind: "mail-recipient", max: config.limits.mailsPerRecipientPerHour, windowMs: HOUR_MS };
}

/**
 * Counts one mail to `email` against the per-recipient limit. Not `allowed` means the
 * recipient has had its share this hour and the mail must not be sent.
 */
export async function allowMailTo(
  ctx: LimitCtx & { config: { limits: { mailsPerRecipientPerHour: number } } },
  email: string,
): Promise<LimitState> {
  return consumeLimit(ctx, mailRecipientLimit(ctx.config), `mail:${mailbox(email)}`);
}

/**
 * Counts one mail to `email`, refusing with `RATE_LIMITED` when the recipient has had its
 * share this hour. For mails whose sender is told (registration, email change, invitations);
 * answers that must not reveal an account use `allowMailTo` and stay silent instead.
 */
export async function assertMailAllowed(
  ctx: LimitCtx & { config: { limits: { mailsPerRecipientPerHour: number } } },
  email: string,
): Promise<void> {
  const state = await allowMailTo(ctx, email);
  if (!state.allowed) {
    throw limitError(
      "This address has received too many messages; try again later",
      mailRecipientLimit(ctx.config),
      state,
    );
  }
}

/** Invitations one organization sends (single, resent or in batches), whoever sends them. */
function organizationInviteLimit(config: {
  limits: { invitesPerOrganizationPerHour: number };
}): Limit {
  return {
    kind: "invites-organization",
    max: config.limits.invitesPerOrganizationPerHour,
    windowMs: HOUR_MS,
  };
}

/**
 * Counts one invitation mail of an organization, refusing with `RATE_LIMITED` once it has sent
 * its share this hour: a batch of invitations or a script cannot turn one organization's
 * account into a mass mailer.
 */
export async function assertInviteAllowed(
  ctx: LimitCtx & { config: { limits: { invitesPerOrganizationPerHour: number } } },
  organizationId: string,
): Promise<void> {
  const limit = organizationInviteLimit(ctx.config);
  const state = await consumeLimit(ctx, limit, `org-invites:${organizationId}`);
  if (!state.allowed) {
    throw limitError(
      "This organization has sent too many invitations; try again later",
      limit,
      state,
    );
  }
}
