import { randomBytes } from "node:crypto";
import { domainToASCII } from "node:url";
import { audit } from "../../platform/audit/audit.js";
import { actorUserId } from "../../platform/auth/actor.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { widestScope } from "../../platform/policy/engine.js";
import { accountByEmail } from "../identity/auth.js";
import { isPublicMailDomain } from "./public-mail.js";
import type { OrganizationDomainRow } from "./schema.js";

/** The label under the domain where the TXT record goes: `_lyceum-challenge.<domain>`. */
const CHALLENGE_LABEL = "_lyceum-challenge";
/** What the TXT record says, followed by the claim's token. */
const CHALLENGE_PREFIX = "lyceum-verification=";
/** Claims one organization may hold, verified or not (so the list needs no pages). */
export const MAX_DOMAINS_PER_ORGANIZATION = 20;

const HOSTNAME =
  /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * A domain as stored: lower case, without a trailing dot, international names in their ASCII
 * (punycode) form. Anything that is not a host name answers VALIDATION_ERROR, and a public mail
 * service's domain PUBLIC_EMAIL_DOMAIN: nobody can own gmail.com's people.
 */
export function normalizeDomain(input: string, field = "domain"): string {
  const ascii = domainToASCII(input.trim().replace(/\.$/, "").toLowerCase());
  if (!ascii || !HOSTNAME.test(ascii)) {
    throw new AppError("VALIDATION_ERROR", "Expected a domain such as acme.com", {
      field,
      details: { issues: [{ path: field, message: "Expected a domain such as acme.com" }] },
    });
  }
  if (isPublicMailDomain(ascii)) {
    throw new AppError(
      "PUBLIC_EMAIL_DOMAIN",
      `${ascii} is a public mail service; anyone can have an address there, so no organization can claim it`,
      { field },
    );
  }
  return ascii;
}

/** The domain part of an email address, lower case. */
export function emailDomain(email: string): string {
  return (email.split("@")[1] ?? "").trim().toLowerCase();
}

/** The DNS record that proves a claim: its name and the exact value to publish. */
export function challengeOf(row: Pick<OrganizationDomainRow, "domain" | "verification_token">) {
  return {
    type: "TXT" as const,
    name: `${CHALLENGE_LABEL}.${row.domain}`,
    value: `${CHALLENGE_PREFIX}${row.verification_token}`,
  };
}

/** Every domain an organization claims, verified or not, by name. */
export function listDomains(ctx: Ctx, organizationId: string): Promise<OrganizationDomainRow[]> {
  return ctx.db
    .selectFrom("organization_domains")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("domain")
    .execute();
}

/** One claim of the organization; another organization's answers NOT_FOUND. */
export async function getDomain(
  ctx: Ctx,
  organizationId: string,
  domainId: string,
): Promise<OrganizationDomainRow> {
  const row = await ctx.db
    .selectFrom("organization_domains")
    .selectAll()
    .where("id", "=", domainId)
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Domain not found");
  return row;
}

/** The organizations' verified domains, by organization (for presenting organizations). */
export async function verifiedDomainsByOrganization(
  ctx: Ctx,
  organizationIds: string[],
): Promise<Map<string, string[]>> {
  const byOrg = new Map<string, string[]>(organizationIds.map((id) => [id, []]));
  if (!organizationIds.length) return byOrg;
  const rows = await ctx.db
    .selectFrom("organization_domains")
    .select(["organization_id", "domain"])
    .where("organization_id", "in", organizationIds)
    .where("status", "=", "verified")
    .orderBy("domain")
    .execute();
  for (const row of rows) byOrg.get(row.organization_id)?.push(row.domain);
  return byOrg;
}

/** Whether the organization has verified the domain of `email`. */
export async function ownsEmailDomain(
  ctx: Ctx,
  organizationId: string,
  email: string,
): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("organization_domains")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("domain", "=", emailDomain(email))
    .where("status", "=", "verified")
    .executeTakeFirst();
  return !!row;
}

/**
 * The account behind `email` when the organization has verified the address's domain and the
 * account has proven the address: the organization owns that mailbox, so it may add the
 * person without asking (as Google Workspace or Slack do for their own domains). Null otherwise.
 */
export async function accountAtOwnedDomain(
  ctx: Ctx,
  organizationId: string,
  email: string,
): Promise<string | null> {
  if (!(await ownsEmailDomain(ctx, organizationId, email))) return null;
  const user = await accountByEmail(ctx, email);
  return user?.email_verified ? user.id : null;
}

async function assertNotVerifiedElsewhere(ctx: Ctx, organizationId: string, domain: string) {
  const holder = await ctx.db
    .selectFrom("organization_domains")
    .select("id")
    .where("domain", "=", domain)
    .where("status", "=", "verified")
    .where("organization_id", "!=", organizationId)
    .executeTakeFirst();
  if (holder) throw domainTaken();
}

const domainTaken = () =>
  new AppError("DOMAIN_TAKEN", "Another organization has verified this email domain", {
    field: "domain",
  });

function newToken(): string {
  return randomBytes(16).toString("hex");
}

/**
 * Claims a domain for the organization: a pending claim with a fresh token, and the TXT record
 * to publish. A domain another organization has verified answers DOMAIN_TAKEN; several
 * organizations may hold pending claims to the same domain, and the first to prove it wins.
 */
export async function claimDomain(
  ctx: Ctx,
  organizationId: string,
  input: { domain: string },
): Promise<OrganizationDomainRow> {
  const domain = normalizeDomain(input.domain);
  return inTransaction(ctx, async (tx) => {
    await tx.db
      .selectFrom("organizations")
      .select("id")
      .where("id", "=", organizationId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const claims = await listDomains(tx, organizationId);
    if (claims.some((c) => c.domain === domain))
      throw new AppError("ALREADY_EXISTS", "The organization already claims this domain", {
        field: "domain",
      });
    if (claims.length >= MAX_DOMAINS_PER_ORGANIZATION)
      throw new AppError(
        "UNPROCESSABLE",
        `An organization claims at most ${MAX_DOMAINS_PER_ORGANIZATION} domains; remove one first`,
        { field: "domain" },
      );
    await assertNotVerifiedElsewhere(tx, organizationId, domain);
    const row = await tx.db
      .insertInto("organization_domains")
      .values({
        organization_id: organizationId,
        domain,
        verification_token: newToken(),
        created_by: actorUserId(tx.actor),
        created_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "domain.claim",
      entityType: "organization-domain",
      entityId: row.id,
      after: { domain, status: row.status },
    });
    return row;
  });
}

/**
 * Verifies a claim by looking its TXT record up (outside any transaction: DNS may be slow),
 * then marks it verified. The platform administrator may vouch for it instead
 * (`skipDnsCheck`), for deployments whose domains cannot be looked up. Verifying again an
 * already verified domain repeats the check and clears a missing-record mark.
 */
export async function verifyDomain(
  ctx: Ctx,
  organizationId: string,
  domainId: string,
  options: { skipDnsCheck?: boolean } = {},
): Promise<OrganizationDomainRow> {
  const claim = await getDomain(ctx, organizationId, domainId);
  if (options.skipDnsCheck && !(await isPlatformAdmin(ctx))) {
    throw new AppError(
      "FORBIDDEN",
      "Only platform administrators mark a domain verified without its DNS record",
      { field: "skipDnsCheck", details: { required: "domains:manage:all" } },
    );
  }
  await assertNotVerifiedElsewhere(ctx, organizationId, claim.domain);
  const checkedAt = ctx.clock.now();
  if (!options.skipDnsCheck) await checkChallenge(ctx, claim);
  return inTransaction(ctx, async (tx) => {
    const current = await tx.db
      .selectFrom("organization_domains")
      .selectAll()
      .where("id", "=", claim.id)
      .where("organization_id", "=", organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!current || current.verification_token !== claim.verification_token)
      throw new AppError("NOT_FOUND", "Domain not found");
    const firstTime = current.status !== "verified";
    let row: OrganizationDomainRow;
    try {
      row = await tx.db
        .updateTable("organization_domains")
        .set({
          status: "verified",
          verification_method: options.skipDnsCheck ? "platform" : "dns",
          verified_at: firstTime ? checkedAt : current.verified_at,
          verified_by: firstTime ? actorUserId(tx.actor) : current.verified_by,
          last_checked_at: options.skipDnsCheck ? current.last_checked_at : checkedAt,
          record_missing_since: null,
        })
        .where("id", "=", claim.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error, "organization_domains_verified_key")) throw domainTaken();
      throw error;
    }
    await audit(tx, {
      organizationId,
      action: firstTime ? "domain.verify" : "domain.recheck",
      entityType: "organization-domain",
      entityId: claim.id,
      before: { status: current.status, recordMissingSince: current.record_missing_since },
      after: { domain: row.domain, status: row.status, method: row.verification_method },
    });
    return row;
  });
}

async function isPlatformAdmin(ctx: Ctx): Promise<boolean> {
  if (ctx.actor.kind === "system") return true;
  return widestScope(await ctx.actor.access(), "domains:manage", null) === "all";
}

/**
 * Looks the claim's TXT record up and throws unless one of the records carries its value:
 * DOMAIN_VERIFICATION_FAILED when the record is missing or says something else (with what was
 * expected and found), DNS_LOOKUP_FAILED when no name server answered.
 */
async function checkChallenge(ctx: Ctx, claim: OrganizationDomainRow): Promise<void> {
  const expected = challengeOf(claim);
  const answer = await ctx.dns.lookupTxt(expected.name);
  if (answer.status === "failed") {
    throw new AppError(
      "DNS_LOOKUP_FAILED",
      `No name server answered for ${expected.name} (${answer.reason}); try again later`,
      { details: { recordName: expected.name, reason: answer.reason } },
    );
  }
  const found = answer.status === "found" ? answer.records.map((r) => r.trim()) : [];
  if (found.includes(expected.value)) return;
  throw new AppError(
    "DOMAIN_VERIFICATION_FAILED",
    found.length
      ? `The TXT records at ${expected.name} do not carry ${expected.value}`
      : `No TXT record found at ${expected.name}; publish it and try again (DNS changes may take a while to show)`,
    {
      details: {
        reason: found.length ? "value-mismatch" : "record-not-found",
        recordName: expected.name,
        expected: expected.value,
        found: found.slice(0, 10).map((r) => r.slice(0, 255)),
      },
    },
  );
}

/**
 * Removes a claim. A verified domain stops letting people in without an invitation; the
 * members it brought in stay.
 */
export async function removeDomain(
  ctx: Ctx,
  organizationId: string,
  domainId: string,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const removed = await tx.db
      .deleteFrom("organization_domains")
      .where("id", "=", domainId)
      .where("organization_id", "=", organizationId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) throw new AppError("NOT_FOUND", "Domain not found");
    await audit(tx, {
      organizationId,
      action: "domain.remove",
      entityType: "organization-domain",
      entityId: removed.id,
      before: { domain: removed.domain, status: removed.status },
    });
  });
}

/**
 * Records a domain as verified on the platform's word, for organizations the platform
 * administrator (or an operator on the command line) creates with a domain.
 */
export async function addVerifiedDomain(
  ctx: Ctx,
  organizationId: string,
  input: string,
): Promise<OrganizationDomainRow> {
  const domain = normalizeDomain(input);
  await assertNotVerifiedElsewhere(ctx, organizationId, domain);
  const now = ctx.clock.now();
  try {
    return await ctx.db
      .insertInto("organization_domains")
      .values({
        organization_id: organizationId,
        domain,
        verification_token: newToken(),
        status: "verified",
        verification_method: "platform",
        verified_at: now,
        verified_by: actorUserId(ctx.actor),
        created_by: actorUserId(ctx.actor),
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error, "organization_domains_verified_key")) throw domainTaken();
    throw error;
  }
}
