import { z } from "zod";
import { audit, systemLog } from "../../platform/audit/audit.js";
import { DAY } from "../../platform/clock.js";
import { type AppServices, type Ctx, inTransaction, systemCtx } from "../../platform/context.js";
import type { ScheduledTask } from "../../platform/jobs/scheduler.js";
import type { JobDefinition } from "../../platform/jobs/worker.js";
import { mailPage } from "../../platform/mail/layout.js";
import { holdersOf } from "../access/assignments.js";
import { challengeOf } from "./domains.js";
import type { OrganizationDomainRow } from "./schema.js";

export const DOMAIN_SCHEDULE: ScheduledTask[] = [
  { name: "domain-recheck", pattern: "0 40 3 * * *", job: "organizations.recheck-domains" },
];

/** A verified domain's record is looked up again once it is this old. */
const RECHECK_AFTER_MS = 7 * DAY;
/** Domains one run looks up, oldest check first; the next day's run takes the rest. */
const BATCH = 200;

/**
 * Looks the TXT record of DNS-verified domains up again, a week after their last check. A
 * record found clears any missing mark. A record gone marks the domain (`record_missing_since`)
 * and mails the organization's domain administrators once — and nothing more: the domain
 * stays verified and nobody loses their membership over a DNS edit; the administrators
 * republish the record or remove the domain. A lookup without an answer changes nothing.
 */
export async function recheckDomains(ctx: Ctx): Promise<Record<string, number>> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom("organization_domains as d")
    .innerJoin("organizations as o", "o.id", "d.organization_id")
    .selectAll("d")
    .select("o.name as organization_name")
    .where("d.status", "=", "verified")
    .where("d.verification_method", "=", "dns")
    .where("o.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("d.last_checked_at", "is", null),
        eb("d.last_checked_at", "<=", new Date(now.getTime() - RECHECK_AFTER_MS)),
      ]),
    )
    .orderBy("d.last_checked_at", (ob) => ob.asc().nullsFirst())
    .limit(BATCH)
    .execute();
  const counts = { checked: 0, found: 0, missing: 0, unanswered: 0 };
  for (const row of due) {
    const answer = await ctx.dns.lookupTxt(challengeOf(row).name);
    counts.checked += 1;
    if (answer.status === "failed") {
      counts.unanswered += 1;
      continue;
    }
    const present =
      answer.status === "found" && answer.records.some((r) => r.trim() === challengeOf(row).value);
    if (present) counts.found += 1;
    else counts.missing += 1;
    await inTransaction(ctx, (tx) => recordCheck(tx, row, present));
  }
  return counts;
}

/** A domain due for a check, with its organization's name for the mail. */
type DueDomain = OrganizationDomainRow & { organization_name: string };

async function recordCheck(ctx: Ctx, row: DueDomain, present: boolean) {
  const now = ctx.clock.now();
  const newlyMissing = !present && !row.record_missing_since;
  await ctx.db
    .updateTable("organization_domains")
    .set({
      last_checked_at: now,
      record_missing_since: present ? null : (row.record_missing_since ?? now),
    })
    .where("id", "=", row.id)
    .where("status", "=", "verified")
    .execute();
  if (!newlyMissing) return;
  await audit(ctx, {
    organizationId: row.organization_id,
    action: "domain.record-missing",
    entityType: "organization-domain",
    entityId: row.id,
    after: { domain: row.domain, recordMissingSince: now },
  });
  await systemLog(ctx, {
    event: "organization.domain-record-missing",
    level: "warn",
    organizationId: row.organization_id,
    message: `The TXT record proving ${row.domain} is gone; the domain stays verified`,
    metadata: { domain: row.domain, recordName: challengeOf(row).name },
  });
  await mailDomainAdministrators(ctx, row);
}

/** Mails everyone who may manage the organization's domains that a record went missing. */
async function mailDomainAdministrators(ctx: Ctx, row: DueDomain) {
  const admins = await holdersOf(
    ctx.db,
    row.organization_id,
    "domains:manage:organization",
    ctx.clock.now(),
  )
    .select(["u.id", "u.email"])
    .distinct()
    .execute();
  const record = challengeOf(row);
  const lines = [
    `Lyceum could no longer find the DNS record that proves ${row.organization_name} owns ${row.domain}.`,
    `It expected a TXT record at ${record.name} with the value ${record.value}.`,
    `The domain stays verified and nobody lost their membership. Publish the record again, or remove the domain from ${row.organization_name} if it is no longer yours.`,
  ];
  for (const admin of admins) {
    await ctx.mailer.enqueue(ctx.db, {
      to: admin.email,
      subject: `The DNS record of ${row.domain} is missing`,
      text: `${lines.join("\n\n")}\n`,
      html: mailPage(`The DNS record of ${row.domain} is missing`, lines),
      template: "domain-record-missing",
      userId: admin.id,
      organizationId: row.organization_id,
    });
  }
}

export function domainJobs(services: AppServices): JobDefinition[] {
  return [
    {
      name: "organizations.recheck-domains",
      payload: z.object({}).passthrough(),
      run: () => recheckDomains(systemCtx(services, "worker")),
    },
  ];
}
