import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import { audit } from "../../platform/audit/audit.js";
import {
  contentDigest,
  PLATFORM_CHAIN,
  REDACTION_ACTION,
  SEALED_COLUMNS,
} from "../../platform/audit/chain.js";
import { type Ctx, inTransaction } from "../../platform/context.js";

/**
 * Erasure by anonymization (GDPR art. 17). The person's rows keep their ids, so enrollments,
 * completions and scores still count in aggregate reports; what identifies them is replaced.
 *
 * - scope `organization`: what the organization holds — the membership's own fields, their
 *   certificates' recipient name, notifications (with their delivery log and waiting digest
 *   items) and mail of the organization, the personal values inside the organization's
 *   learning events, sync records, dead letters, webhook deliveries, exemption reasons and
 *   audit records.
 * - scope `account` (the platform administrator, or the person for their own account): the
 *   above in every organization, plus the account itself (name, address, profile, avatar),
 *   its sessions, tokens, second factor, password history and every notification and mail.
 *
 * Sealed audit records are redacted in place and marked with the erasure; an attestation
 * sealed into the same chain lists the digest of each one's redacted content, which the
 * verifier checks it against from then on (platform/audit/chain.ts). Every other change to a
 * sealed record still breaks verification.
 */
export interface ErasureResult {
  erasedName: string;
  erasedEmail: string;
  counts: Record<string, number>;
}

export const erasedNameOf = (userId: string) => `Erased person ${userId.slice(-8)}`;
export const erasedEmailOf = (userId: string) => `erased-${userId}@erased.invalid`;

const n = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
  Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0);

export async function eraseSubject(
  ctx: Ctx,
  input: { requestId: string; userId: string; organizationId: string | null },
): Promise<ErasureResult> {
  const { requestId, userId, organizationId } = input;
  const account = organizationId === null;
  const erasedName = erasedNameOf(userId);
  const erasedEmail = erasedEmailOf(userId);
  return inTransaction(ctx, async (tx) => {
    const db = tx.db;
    const now = tx.clock.now();
    const user = await db
      .selectFrom("users")
      .select(["id", "email", "first_name", "last_name", "display_name", "phone", "avatar_file_id"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const organizations = account
      ? (
          await db
            .selectFrom("organization_members")
            .select("organization_id")
            .where("user_id", "=", userId)
            .execute()
        ).map((r) => r.organization_id)
      : [organizationId];
    // The values that identify the person, longest first so a full name goes before its parts.
    const fullName = `${user.first_name} ${user.last_name}`;
    const replacements: Array<[string, string]> = [
      [user.email, erasedEmail],
      [fullName, erasedName],
      ...(user.display_name ? [[user.display_name, erasedName] as [string, string]] : []),
      ...(user.phone ? [[user.phone, ""] as [string, string]] : []),
    ];
    const counts: Record<string, number> = {};
    const add = (key: string, value: number) => {
      counts[key] = (counts[key] ?? 0) + value;
    };
    const orgs = organizations.filter((o): o is string => !!o);

    if (orgs.length) {
      add(
        "memberships",
        n(
          await db
            .updateTable("organization_members")
            .set({ title: null, employee_id: null, external_id: null, updated_at: now })
            .where("user_id", "=", userId)
            .where("organization_id", "in", orgs)
            .executeTakeFirst(),
        ),
      );
      add(
        "certificates",
        n(
          await db
            .updateTable("certificates")
            .set({ recipient_name: erasedName })
            .where("user_id", "=", userId)
            .where("organization_id", "in", orgs)
            .executeTakeFirst(),
        ),
      );
      add(
        "invitations",
        n(
          await db
            .updateTable("organization_invites")
            .set({ email: erasedEmail })
            .where("email", "=", user.email)
            .where("organization_id", "in", orgs)
            .executeTakeFirst(),
        ),
      );
      add(
        "learningEvents",
        n(
          await db
            .updateTable("learning_events")
            .set({ context: "{}" })
            .where("learner_id", "=", userId)
            .where("organization_id", "in", orgs)
            .where(sql<boolean>`context <> '{}'::jsonb`)
            .executeTakeFirst(),
        ),
      );
      for (const [table, column] of JSON_COLUMNS)
        for (const [value, replacement] of replacements)
          add("jsonValues", await replaceInColumn(db, table, column, orgs, value, replacement));
      // An exemption's reason may name the person; the exemption itself stays as evidence.
      for (const [value, replacement] of replacements)
        add(
          "exemptionReasons",
          await replaceInColumn(db, "compliance_exemptions", "reason", orgs, value, replacement),
        );
    }

    // Notifications are about the person only: removed, not rewritten, with their delivery
    // log and the digest items still waiting (which hold the texts).
    for (const table of [
      "notifications",
      "notification_deliveries",
      "notification_digest_items",
    ] as const) {
      let query = db.deleteFrom(table).where("user_id", "=", userId);
      if (!account) query = query.where("organization_id", "in", orgs);
      add(
        table === "notifications" ? "notifications" : "notificationLog",
        n(await query.executeTakeFirst()),
      );
    }
    let mail = db
      .updateTable("mail_outbox")
      .set({ to_address: erasedEmail, subject: "(erased)", text_body: "", html_body: null })
      .where((eb) => eb.or([eb("user_id", "=", userId), eb("to_address", "=", user.email)]));
    if (!account) mail = mail.where("organization_id", "in", orgs);
    add("mail", n(await mail.executeTakeFirst()));

    if (account) {
      add(
        "sessions",
        n(
          await db
            .updateTable("user_sessions")
            .set({
              revoked_at: now,
              revoked_reason: "erased",
              ip_address: null,
              user_agent: null,
              location: null,
              device_name: null,
            })
            .where("user_id", "=", userId)
            .executeTakeFirst(),
        ),
      );
      await db
        .deleteFrom("refresh_tokens")
        .where("session_id", "in", (eb) =>
          eb.selectFrom("user_sessions").select("id").where("user_id", "=", userId),
        )
        .execute();
      for (const table of [
        "password_resets",
        "email_verifications",
        "password_history",
        "webauthn_challenges",
        "user_webauthn_credentials",
        "mfa_challenges",
        "user_mfa_recovery_codes",
        "user_mfa",
      ] as const)
        await db.deleteFrom(table).where("user_id", "=", userId).execute();
      await db.deleteFrom("privacy_settings").where("user_id", "=", userId).execute();
      await db
        .updateTable("users")
        .set({
          email: erasedEmail,
          email_verified: false,
          pending_email: null,
          password_hash: null,
          first_name: "Erased person",
          last_name: userId.slice(-8),
          display_name: null,
          avatar_file_id: null,
          bio: null,
          phone: null,
          date_of_birth: null,
          gender: null,
          country: null,
          status: "deactivated",
          suspended_reason: null,
          metadata: "{}",
          updated_at: now,
          deleted_at: now,
        })
        .where("id", "=", userId)
        .execute();
      if (user.avatar_file_id) {
        const file = await db
          .selectFrom("file_uploads")
          .select(["id", "storage_key"])
          .where("id", "=", user.avatar_file_id)
          .executeTakeFirst();
        if (file) {
          await db.deleteFrom("file_uploads").where("id", "=", file.id).execute();
          await tx.storage.delete(file.storage_key).catch(() => undefined);
        }
      }
      add("account", 1);
    }

    const chains = account ? [...orgs, null] : orgs;
    // Records about the person's memberships (entity: the membership) are about them too.
    const memberships = (
      await db
        .selectFrom("organization_members")
        .select("id")
        .where("user_id", "=", userId)
        .execute()
    ).map((r) => r.id);
    const partial: Array<[string, string]> = [user.last_name, user.first_name]
      .filter((v) => v.length >= 3)
      .map((v) => [v, "(erased)"]);
    add(
      "auditRecords",
      await redactAuditRecords(tx, {
        requestId,
        userId,
        chains,
        replacements: [...replacements, ...partial],
        needles: replacements.map(([from]) => from),
        aboutIds: [userId, ...memberships],
      }),
    );
    return { erasedName, erasedEmail, counts };
  });
}

/** The jsonb columns of the organizations' rows that may carry the person's address or name. */
const JSON_COLUMNS = [
  ["learning_events", "data"],
  ["integration_sync_records", "changes"],
  ["integration_dead_letters", "payload"],
  ["webhook_deliveries", "payload"],
] as const;

/** Replaces a string everywhere inside a jsonb or text column of the organizations' rows. */
async function replaceInColumn(
  db: Db,
  table: (typeof JSON_COLUMNS)[number][0] | "compliance_exemptions",
  column: string,
  organizations: string[],
  value: string,
  replacement: string,
): Promise<number> {
  if (!value) return 0;
  const json = table !== "compliance_exemptions";
  // Inside JSON text a string appears encoded (quotes and backslashes escaped).
  const encoded = json ? JSON.stringify(value).slice(1, -1) : value;
  const target = json ? JSON.stringify(replacement).slice(1, -1) : replacement;
  const text = json ? sql`${sql.ref(column)}::text` : sql.ref(column);
  const replaced = sql`replace(${text}, ${encoded}, ${target})`;
  const result = await sql`
    update ${sql.table(table)} set ${sql.ref(column)} = ${json ? sql`${replaced}::jsonb` : replaced}
    where organization_id = any(${organizations}::uuid[]) and strpos(${text}, ${encoded}) > 0`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}

/** Replaces the person's values at every depth of a record's before/after. */
function scrubValue(
  value: unknown,
  replacements: Array<[string, string]>,
  userId: string,
): unknown {
  if (typeof value === "string") {
    let out = value;
    for (const [from, to] of replacements) if (from) out = out.split(from).join(to);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, replacements, userId));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = scrubValue(v, replacements, userId);
    return out;
  }
  return value;
}

/** Fields of a record about the person that say who they are, whatever their value. */
const PERSONAL_KEYS = new Set([
  "email",
  "firstName",
  "first_name",
  "lastName",
  "last_name",
  "displayName",
  "display_name",
  "name",
  "phone",
  "bio",
  "dateOfBirth",
  "date_of_birth",
  "title",
  "employeeId",
  "employee_id",
  "externalId",
  "external_id",
  "pendingEmail",
  "pending_email",
]);

function scrubPersonalKeys(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = PERSONAL_KEYS.has(key) && v !== null ? "(erased)" : v;
  return out;
}

/**
 * Redacts the person's values in the audit records of the given chains (null: the platform's):
 * records they did (their address and browser) and records about them or naming them.
 * Unsealed records are simply rewritten (their seal will cover the redacted content); sealed
 * ones are marked and attested, one attestation per chain.
 */
async function redactAuditRecords(
  tx: Ctx,
  input: {
    requestId: string;
    userId: string;
    chains: Array<string | null>;
    replacements: Array<[string, string]>;
    /** What selects a record that names them (their address, their full name). */
    needles: string[];
    /** Entities that are the person: their user id and memberships. */
    aboutIds: string[];
  },
): Promise<number> {
  const { requestId, userId, chains, replacements, aboutIds } = input;
  const needles = input.needles.filter(Boolean);
  let total = 0;
  for (const chain of chains) {
    const rows = await tx.db
      .selectFrom("audit_logs")
      .select([...SEALED_COLUMNS, "hash"])
      .where(
        sql<boolean>`coalesce(organization_id, ${PLATFORM_CHAIN}::uuid) = ${chain ?? PLATFORM_CHAIN}::uuid`,
      )
      .where((eb) =>
        eb.or([
          eb("actor_user_id", "=", userId),
          eb("entity_id", "in", aboutIds),
          ...needles.flatMap((needle) => [
            eb(sql<string>`before::text`, "like", `%${escapeLike(needle)}%`),
            eb(sql<string>`after::text`, "like", `%${escapeLike(needle)}%`),
          ]),
        ]),
      )
      .where("action", "<>", REDACTION_ACTION)
      .execute();
    const attested: Array<{ id: string; digest: string }> = [];
    for (const row of rows) {
      const about = row.entity_id !== null && aboutIds.includes(row.entity_id);
      const by = row.actor_user_id === userId;
      const redact = (v: unknown) => {
        const scrubbed = scrubValue(v, replacements, userId);
        return about ? scrubPersonalKeys(scrubbed) : scrubbed;
      };
      const next = {
        ...row,
        before: row.before === null ? null : redact(row.before),
        after: row.after === null ? null : redact(row.after),
        ip_address: by ? null : row.ip_address,
        user_agent: by ? null : row.user_agent,
      };
      const unchanged =
        JSON.stringify(next.before) === JSON.stringify(row.before) &&
        JSON.stringify(next.after) === JSON.stringify(row.after) &&
        next.ip_address === row.ip_address &&
        next.user_agent === row.user_agent;
      if (unchanged) continue;
      const sealed = row.hash !== null;
      await tx.db
        .updateTable("audit_logs")
        .set({
          before: next.before === null ? null : JSON.stringify(next.before),
          after: next.after === null ? null : JSON.stringify(next.after),
          ip_address: next.ip_address,
          user_agent: next.user_agent,
          ...(sealed ? { redacted_at: tx.clock.now(), redacted_by_request_id: requestId } : {}),
        })
        .where("id", "=", row.id)
        .execute();
      if (sealed) {
        const stored = await tx.db
          .selectFrom("audit_logs")
          .select([...SEALED_COLUMNS])
          .where("id", "=", row.id)
          .executeTakeFirstOrThrow();
        attested.push({ id: row.id, digest: contentDigest(stored) });
      }
      total += 1;
    }
    if (attested.length)
      await audit(tx, {
        organizationId: chain,
        action: REDACTION_ACTION,
        entityType: "privacy-request",
        entityId: requestId,
        after: { requestId, records: attested },
        justification: "Erasure of a person's data (data subject request)",
        riskLevel: "high",
        dataSensitivity: "pii",
        regulatoryImpact: "gdpr",
      });
  }
  return total;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
