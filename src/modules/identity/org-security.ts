// Per-organization security rules (seed 004 13.4.11): MFA required, an idle session timeout,
// an IP allow-list for people, and a password policy stricter than the platform's.
import { BlockList, isIP } from "node:net";
import type { FastifyRequest } from "fastify";
import { sql } from "kysely";
import type { UserRow } from "../../db/schema.js";
import { auditUpdate, systemLog } from "../../platform/audit/audit.js";
import type { UserActor } from "../../platform/auth/actor.js";
import { DAY, MINUTE } from "../../platform/clock.js";
import { type AppServices, type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { pathObjects } from "../../platform/http/references.js";
import { isUuid } from "../../platform/ids.js";
import { hasMfa } from "./mfa.js";
import {
  enforcesAnything,
  ORG_SECURITY_CHANNEL,
  type OrganizationSecurityCache,
} from "./org-security-cache.js";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy.js";
import { verifyPassword } from "./passwords.js";
import type {
  OrganizationPasswordPolicy,
  OrganizationSecuritySettingsRow,
} from "./security-schema.js";

export interface SecuritySettings {
  mfaRequired: boolean;
  sessionTimeoutMinutes: number | null;
  ipAllowList: string[];
  passwordPolicy: Required<
    Pick<OrganizationPasswordPolicy, "minLength" | "minDigits" | "minSpecial" | "historyCount">
  > & {
    maxAgeDays: number | null;
  };
}

export const DEFAULT_PASSWORD_POLICY: SecuritySettings["passwordPolicy"] = {
  minLength: PASSWORD_MIN_LENGTH,
  minDigits: 1,
  minSpecial: 1,
  historyCount: 0,
  maxAgeDays: null,
};

export const MAX_PASSWORD_HISTORY = 24;

function present(row: OrganizationSecuritySettingsRow | undefined): SecuritySettings {
  const policy = row?.password_policy ?? {};
  return {
    mfaRequired: row?.mfa_required ?? false,
    sessionTimeoutMinutes: row?.session_timeout_minutes ?? null,
    ipAllowList: row?.ip_allow_list ?? [],
    passwordPolicy: {
      minLength: policy.minLength ?? DEFAULT_PASSWORD_POLICY.minLength,
      minDigits: policy.minDigits ?? DEFAULT_PASSWORD_POLICY.minDigits,
      minSpecial: policy.minSpecial ?? DEFAULT_PASSWORD_POLICY.minSpecial,
      historyCount: policy.historyCount ?? 0,
      maxAgeDays: policy.maxAgeDays ?? null,
    },
  };
}

/** An organization's settings (the platform's defaults when it never set any). */
export async function getSecuritySettings(
  ctx: Ctx,
  organizationId: string,
): Promise<SecuritySettings> {
  const row = await ctx.db
    .selectFrom("organization_security_settings")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  return present(row);
}

/** `a.b.c.d/n` or an IPv6 network, or a single address; normalized, or null when invalid. */
export function parseCidr(
  rule: string,
): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address = "", prefixText, ...rest] = rule.trim().split("/");
  if (rest.length) return null;
  const version = isIP(address);
  if (!version) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix < 0 || prefix > max) return null;
  return { address: address.toLowerCase(), prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** Whether `ip` falls inside one of `rules` (IPv4-mapped IPv6 addresses count as IPv4). */
export function ipAllowed(ip: string | null, rules: readonly string[]): boolean {
  if (!rules.length) return true;
  if (!ip) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped?.[1] ?? ip;
  const family = isIP(address);
  if (!family) return false;
  const list = new BlockList();
  for (const rule of rules) {
    const parsed = parseCidr(rule);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface SecuritySettingsInput {
  mfaRequired: boolean;
  sessionTimeoutMinutes: number | null;
  ipAllowList: string[];
  passwordPolicy: {
    minLength: number;
    minDigits: number;
    minSpecial: number;
    historyCount: number;
    maxAgeDays: number | null;
  };
}

/**
 * Replaces an organization's settings. Refused when they would shut out the person making the
 * change: an allow-list without their address, or MFA required while they have none.
 */
export async function updateSecuritySettings(
  ctx: Ctx,
  organizationId: string,
  input: SecuritySettingsInput,
): Promise<SecuritySettings> {
  const ipAllowList = [
    ...new Set(
      input.ipAllowList.map((rule) => {
        const parsed = parseCidr(rule);
        if (!parsed) {
          throw new AppError("VALIDATION_ERROR", `${rule} is not an IP address or CIDR network`, {
            field: "ipAllowList",
          });
        }
        return `${parsed.address}/${parsed.prefix}`;
      }),
    ),
  ];
  if (ipAllowList.length && ctx.actor.kind === "user" && !ipAllowed(ctx.meta.ip, ipAllowList)) {
    throw new AppError(
      "IP_ALLOW_LIST_LOCKOUT",
      `The allow-list does not include your address (${ctx.meta.ip}); you would lock yourself out`,
      { field: "ipAllowList", details: { address: ctx.meta.ip } },
    );
  }
  if (input.mfaRequired && ctx.actor.kind === "user") {
    if (!(await hasMfa(ctx, ctx.actor.userId))) {
      throw new AppError(
        "MFA_ENROLLMENT_REQUIRED",
        "Turn on two-step sign-in for your own account before requiring it",
        { field: "mfaRequired", details: { enroll: "/account#two-step" } },
      );
    }
  }
  const policy = input.passwordPolicy;
  const stored: OrganizationPasswordPolicy = {
    minLength: policy.minLength,
    minDigits: policy.minDigits,
    minSpecial: policy.minSpecial,
    historyCount: policy.historyCount,
    ...(policy.maxAgeDays !== null ? { maxAgeDays: policy.maxAgeDays } : {}),
  };
  return inTransaction(ctx, async (tx) => {
    const before = await getSecuritySettings(tx, organizationId);
    const now = tx.clock.now();
    const values = {
      mfa_required: input.mfaRequired,
      session_timeout_minutes: input.sessionTimeoutMinutes,
      ip_allow_list: ipAllowList,
      password_policy: JSON.stringify(stored),
      updated_by: tx.actor.kind === "user" ? tx.actor.userId : null,
      updated_at: now,
    };
    const row = await tx.db
      .insertInto("organization_security_settings")
      .values({ organization_id: organizationId, ...values, created_at: now })
      .onConflict((oc) => oc.column("organization_id").doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    // Each process's guard drops what it knew of the organization when this commits.
    await sql`select pg_notify(${ORG_SECURITY_CHANNEL}, ${organizationId})`.execute(tx.db);
    const after = present(row);
    await auditUpdate(tx, {
      organizationId,
      action: "organization.security-settings-update",
      entityType: "organization",
      entityId: organizationId,
      before,
      after,
      riskLevel: "high",
    });
    await systemLog(tx, {
      event: "organization.security-settings-updated",
      level: "warn",
      organizationId,
      userId: tx.actor.kind === "user" ? tx.actor.userId : null,
    });
    return after;
  });
}

/** The strictest password rules of the organizations a person is an active member of. */
export async function strictestPasswordPolicy(
  ctx: Ctx,
  userId: string,
): Promise<SecuritySettings["passwordPolicy"]> {
  const rows = await ctx.db
    .selectFrom("organization_security_settings as s")
    .innerJoin("organization_members as m", "m.organization_id", "s.organization_id")
    .innerJoin("organizations as o", "o.id", "s.organization_id")
    .select("s.password_policy")
    .where("m.user_id", "=", userId)
    .where("m.status", "=", "active")
    .where("o.deleted_at", "is", null)
    .execute();
  const result = { ...DEFAULT_PASSWORD_POLICY };
  for (const { password_policy: p } of rows) {
    result.minLength = Math.max(result.minLength, p.minLength ?? 0);
    result.minDigits = Math.max(result.minDigits, p.minDigits ?? 0);
    result.minSpecial = Math.max(result.minSpecial, p.minSpecial ?? 0);
    result.historyCount = Math.max(result.historyCount, p.historyCount ?? 0);
    if (p.maxAgeDays)
      result.maxAgeDays = Math.min(result.maxAgeDays ?? Number.POSITIVE_INFINITY, p.maxAgeDays);
  }
  return result;
}

/**
 * The organizations' rules for a new password beyond the platform's: length, digits, special
 * characters, and none of the last N passwords (the current one included). Throws WEAK_PASSWORD
 * or PASSWORD_REUSED.
 */
export async function assertOrganizationPasswordRules(
  ctx: Ctx,
  user: Pick<UserRow, "id" | "password_hash">,
  password: string,
): Promise<void> {
  const policy = await strictestPasswordPolicy(ctx, user.id);
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if ((password.match(/[0-9]/g)?.length ?? 0) < policy.minDigits)
    problems.push(`at least ${policy.minDigits} numbers`);
  if ((password.match(/[^A-Za-z0-9]/g)?.length ?? 0) < policy.minSpecial)
    problems.push(`at least ${policy.minSpecial} special characters`);
  if (problems.length) {
    throw new AppError(
      "WEAK_PASSWORD",
      `Your organization's password policy needs ${problems.join(", ")}`,
      { field: "password", details: { requirements: problems, policy } },
    );
  }
  if (policy.historyCount > 0) {
    const earlier = await ctx.db
      .selectFrom("password_history")
      .select("password_hash")
      .where("user_id", "=", user.id)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(policy.historyCount - 1)
      .execute();
    const hashes = [user.password_hash, ...earlier.map((r) => r.password_hash)].filter(
      (h): h is string => Boolean(h),
    );
    for (const hash of hashes) {
      if (await verifyPassword(hash, password)) {
        throw new AppError(
          "PASSWORD_REUSED",
          `Choose a password you have not used for your last ${policy.historyCount} passwords`,
          { field: "password", details: { historyCount: policy.historyCount } },
        );
      }
    }
  }
}

/** Keeps the password being replaced, for the reuse rule; at most 24 per person. */
export async function rememberPassword(
  ctx: Ctx,
  userId: string,
  oldHash: string | null,
): Promise<void> {
  if (!oldHash) return;
  await ctx.db
    .insertInto("password_history")
    .values({ user_id: userId, password_hash: oldHash, created_at: ctx.clock.now() })
    .execute();
  await ctx.db
    .deleteFrom("password_history")
    .where("user_id", "=", userId)
    .where(
      "id",
      "not in",
      ctx.db
        .selectFrom("password_history")
        .select("id")
        .where("user_id", "=", userId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(MAX_PASSWORD_HISTORY),
    )
    .execute();
}

/** At sign-in: refuses a password older than the strictest maximum age of the person's organizations. */
export async function assertPasswordFresh(ctx: Ctx, user: UserRow): Promise<void> {
  const policy = await strictestPasswordPolicy(ctx, user.id);
  if (!policy.maxAgeDays) return;
  const changed = user.password_changed_at ?? user.created_at;
  const expiresAt = new Date(changed.getTime() + policy.maxAgeDays * DAY);
  if (expiresAt <= ctx.clock.now()) {
    await systemLog(ctx, {
      event: "auth.password-expired",
      level: "warn",
      userId: user.id,
      metadata: { maxAgeDays: policy.maxAgeDays },
    });
    throw new AppError(
      "PASSWORD_EXPIRED",
      `Your password is older than ${policy.maxAgeDays} days; set a new one with the reset link`,
      {
        details: {
          maxAgeDays: policy.maxAgeDays,
          expiredAt: expiresAt.toISOString(),
          reset: "/api/v1/auth/forgot-password",
        },
      },
    );
  }
}

/** How often a session's activity in an organization with an idle timeout is written. */
const ACTIVITY_TOUCH_MS = MINUTE;

/**
 * The organization's rules for people acting in its scope: the IP allow-list, MFA required,
 * and the idle timeout. A request acts in an organization when it names it or one of its
 * objects:
 * - its path is under `/organizations/{organizationId}`;
 * - its path names an object of the organization outside that prefix (`/courses/{courseId}`,
 *   `/enrollments/{enrollmentId}`, `/attempts/{attemptId}` …: every parameter listed in
 *   PATH_KINDS, src/platform/http/references.ts), whatever the person's part in it (a
 *   learner reading their own enrollment acts in the organization as much as its staff);
 * - its body or query names one (a course's `organizationId`, ids of another object), checked
 *   with the request's references (src/platform/http/references.ts), or a service calls
 *   `ctx.enterOrganization` for one it found on its own (learning-event batches).
 * Applies to the organization's members; platform administrators acting through platform-wide
 * grants and API keys (which have their own allow-lists) are not covered. A person in two
 * organizations answers to each one's rules only where they act in it.
 *
 * Cost per request of a person, with the cache: nothing when no organization named (or, for
 * path objects, no organization at all) enforces any of these, the usual case; where one
 * does, one statement reads the organizations of the path's objects, and one per
 * organization that enforces something reads its settings with the member's session state.
 * Without the cache (memory cache off, or its change feed down) each of those is read.
 */
export function organizationSecurityGuard(
  services: AppServices,
  cache: OrganizationSecurityCache | null = null,
) {
  return async (request: FastifyRequest): Promise<void> => {
    const actor = request.actor;
    if (actor?.kind !== "user") return;
    // One wait for the change feed per request, however many organizations it enters.
    let synced: Promise<boolean> | undefined;
    const sync = () => {
      if (!synced) {
        // The authenticator's answer when it asked the same feed for this request.
        if (cache) request.feedSynced ??= cache.sync();
        synced = cache && request.feedSynced ? request.feedSynced : Promise.resolve(false);
      }
      return synced;
    };
    const entered = new Map<string, Promise<void>>();
    const enter = (organizationId: string): Promise<void> => {
      let check = entered.get(organizationId);
      if (!check) {
        check = applyRules(services, cache, sync, request, actor, organizationId);
        entered.set(organizationId, check);
      }
      return check;
    };
    request.ctx.enterOrganization = enter;

    const organizationId = (request.params as Record<string, unknown> | undefined)?.organizationId;
    if (typeof organizationId === "string" && isUuid(organizationId)) await enter(organizationId);

    const objects = pathObjects(request.params);
    if (!objects.length) return;
    if (await sync()) {
      const enforcing = cache ? await enforcingOrganizations(services, cache) : undefined;
      if (enforcing && !enforcing.size) return;
    }
    const loaded = await services.references.load(services.db, objects);
    for (const object of objects) {
      const home = services.references.homeIn(loaded, object.kind, object.id);
      if (home) await enter(home);
    }
  };
}

/** Every organization whose settings enforce something, from the cache or read into it. */
async function enforcingOrganizations(
  services: AppServices,
  cache: OrganizationSecurityCache,
): Promise<ReadonlySet<string>> {
  const known = cache.enforcing();
  if (known) return known;
  const generation = cache.generation;
  const rows = await services.db
    .selectFrom("organization_security_settings")
    .select("organization_id")
    .where((eb) =>
      eb.or([
        eb("mfa_required", "=", true),
        eb("session_timeout_minutes", "is not", null),
        eb(sql<number>`cardinality(ip_allow_list)`, ">", 0),
      ]),
    )
    .execute();
  const organizations = new Set(rows.map((r) => r.organization_id));
  cache.storeEnforcing(generation, organizations);
  return organizations;
}

/** Throws when the organization's rules refuse the person's request; nothing for non-members. */
async function applyRules(
  services: AppServices,
  cache: OrganizationSecurityCache | null,
  sync: () => Promise<boolean>,
  request: FastifyRequest,
  actor: UserActor,
  organizationId: string,
): Promise<void> {
  const cached = await sync();
  if (cached && cache?.enforces(organizationId) === false) return;
  const generation = cache?.generation ?? 0;
  const row = await services.db
    .selectFrom("organization_security_settings as s")
    .leftJoin("organization_members as m", (join) =>
      join.onRef("m.organization_id", "=", "s.organization_id").on("m.user_id", "=", actor.userId),
    )
    .leftJoin("user_sessions as us", (join) =>
      join.on("us.id", "=", actor.sessionId).on("us.user_id", "=", actor.userId),
    )
    .leftJoin("user_mfa as mfa", "mfa.user_id", "m.user_id")
    .leftJoin("session_organization_activity as a", (join) =>
      join
        .onRef("a.organization_id", "=", "s.organization_id")
        .on("a.session_id", "=", actor.sessionId),
    )
    .select([
      "m.user_id as member",
      "s.mfa_required",
      "s.session_timeout_minutes",
      "s.ip_allow_list",
      "us.mfa_verified_at",
      "mfa.confirmed_at as mfa_confirmed_at",
      "a.last_seen_at",
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("user_webauthn_credentials as wk")
              .select("wk.id")
              .whereRef("wk.user_id", "=", "m.user_id"),
          )
          .as("has_webauthn"),
    ])
    .where("s.organization_id", "=", organizationId)
    .executeTakeFirst();
  if (cached) {
    const rules = row && {
      mfaRequired: row.mfa_required,
      sessionTimeoutMinutes: row.session_timeout_minutes,
      ipAllowList: row.ip_allow_list,
    };
    cache?.store(generation, organizationId, rules ? enforcesAnything(rules) : false);
  }
  if (!row?.member) return;
  const ctx = { ...request.ctx };
  if (row.ip_allow_list.length && !ipAllowed(request.ip, row.ip_allow_list)) {
    await systemLog(ctx, {
      event: "organization.ip-refused",
      level: "warn",
      organizationId,
      userId: actor.userId,
    });
    throw new AppError(
      "IP_NOT_ALLOWED",
      "This organization does not allow access from your network address",
      { details: { organizationId } },
    );
  }
  if (row.mfa_required) {
    if (!row.mfa_confirmed_at && !row.has_webauthn) {
      throw new AppError(
        "MFA_ENROLLMENT_REQUIRED",
        "This organization requires two-step sign-in; turn it on for your account first",
        { details: { organizationId, enroll: "/account#two-step" } },
      );
    }
    if (!row.mfa_verified_at) {
      throw new AppError(
        "MFA_SESSION_REQUIRED",
        "This organization requires two-step sign-in; sign in again with your code",
        { details: { organizationId } },
      );
    }
  }
  if (row.session_timeout_minutes) {
    const now = services.clock.now();
    if (
      row.last_seen_at &&
      now.getTime() - row.last_seen_at.getTime() > row.session_timeout_minutes * MINUTE
    ) {
      throw new AppError(
        "SESSION_IDLE_TIMEOUT",
        `This session was idle in the organization for more than ${row.session_timeout_minutes} minutes; sign in again`,
        { details: { organizationId, timeoutMinutes: row.session_timeout_minutes } },
      );
    }
    if (!row.last_seen_at || now.getTime() - row.last_seen_at.getTime() > ACTIVITY_TOUCH_MS) {
      await services.db
        .insertInto("session_organization_activity")
        .values({
          session_id: actor.sessionId,
          organization_id: organizationId,
          last_seen_at: now,
        })
        .onConflict((oc) =>
          oc.columns(["session_id", "organization_id"]).doUpdateSet({ last_seen_at: now }),
        )
        .execute();
    }
  }
}

/** The platform's password bounds, for the settings' schema. */
export const PASSWORD_BOUNDS = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
