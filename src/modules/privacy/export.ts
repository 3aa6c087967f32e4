import { createHash } from "node:crypto";
import JSZip from "jszip";
import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";

/**
 * A data export (GDPR art. 15 and 20): everything Lyceum holds about one person within the
 * request's scope — one organization, or the whole account — as one ZIP with a JSON file and
 * a CSV file per kind of data, and a manifest with the counts.
 */
interface Section {
  name: string;
  rows: Array<Record<string, unknown>>;
}

const OMIT = new Set(["password_hash", "token_hash", "key_hash", "secret", "secret_hash"]);

function clean(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    if (!OMIT.has(key)) out[key] = value instanceof Date ? value.toISOString() : value;
  return out;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  // Cells that a spreadsheet would read as a formula are quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: Array<Record<string, unknown>>): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export async function collectSubjectData(
  ctx: Ctx,
  userId: string,
  organizationId: string | null,
): Promise<Section[]> {
  const db = ctx.db;
  // biome-ignore lint/suspicious/noExplicitAny: each section narrows to the organization the same way
  const inOrg = <Q extends { where: (...args: any[]) => Q }>(q: Q, column: string): Q =>
    organizationId ? q.where(column, "=", organizationId) : q;
  const sections: Section[] = [];
  const push = (name: string, rows: Array<Record<string, unknown>>) =>
    sections.push({ name, rows: rows.map(clean) });

  push("profile", await db.selectFrom("users").selectAll().where("id", "=", userId).execute());
  push(
    "memberships",
    await inOrg(
      db.selectFrom("organization_members").selectAll().where("user_id", "=", userId),
      "organization_id",
    ).execute(),
  );
  push(
    "roles",
    await inOrg(
      db
        .selectFrom("user_roles")
        .innerJoin("roles", "roles.id", "user_roles.role_id")
        .select([
          "user_roles.organization_id",
          "roles.key as role",
          "user_roles.department_id",
          "user_roles.team_id",
        ])
        .where("user_roles.user_id", "=", userId),
      "user_roles.organization_id",
    ).execute(),
  );
  push(
    "teams",
    await inOrg(
      db.selectFrom("team_members").selectAll().where("user_id", "=", userId),
      "organization_id",
    ).execute(),
  );
  const enrollments = await inOrg(
    db.selectFrom("enrollments").selectAll().where("user_id", "=", userId),
    "organization_id",
  ).execute();
  push("enrollments", enrollments);
  const enrollmentIds = enrollments.map((e) => e.id);
  const byEnrollment = async (
    table: "lesson_progress" | "module_progress" | "quiz_attempts" | "quiz_results",
  ) =>
    enrollmentIds.length
      ? db.selectFrom(table).selectAll().where("enrollment_id", "in", enrollmentIds).execute()
      : [];
  push("lesson-progress", await byEnrollment("lesson_progress"));
  push("module-progress", await byEnrollment("module_progress"));
  const attempts = await byEnrollment("quiz_attempts");
  push("quiz-attempts", attempts);
  push(
    "quiz-answers",
    attempts.length
      ? await db
          .selectFrom("quiz_answers")
          .selectAll()
          .where(
            "attempt_id",
            "in",
            attempts.map((a) => a.id as string),
          )
          .execute()
      : [],
  );
  push("quiz-results", await byEnrollment("quiz_results"));
  push(
    "certificates",
    await inOrg(
      db.selectFrom("certificates").selectAll().where("user_id", "=", userId),
      "organization_id",
    ).execute(),
  );
  push(
    "course-ratings",
    enrollmentIds.length
      ? await db
          .selectFrom("course_ratings")
          .selectAll()
          .where("enrollment_id", "in", enrollmentIds)
          .execute()
      : [],
  );
  push(
    "notifications",
    await inOrg(
      db.selectFrom("notifications").selectAll().where("user_id", "=", userId),
      "organization_id",
    ).execute(),
  );
  push(
    "mail",
    await inOrg(
      db
        .selectFrom("mail_outbox")
        .select(["id", "to_address", "subject", "template", "status", "created_at", "sent_at"])
        .where("user_id", "=", userId),
      "organization_id",
    ).execute(),
  );
  push(
    "learning-events",
    await inOrg(
      db.selectFrom("learning_events").selectAll().where("learner_id", "=", userId),
      "organization_id",
    ).execute(),
  );
  let auditQuery = db
    .selectFrom("audit_logs")
    .select([
      "id",
      "organization_id",
      "actor_type",
      "actor_user_id",
      "action",
      "entity_type",
      "entity_id",
      "before",
      "after",
      "ip_address",
      "user_agent",
      "created_at",
    ])
    .where((eb) =>
      eb.or([
        eb("actor_user_id", "=", userId),
        eb("entity_id", "=", userId),
        // Records about their memberships are about them.
        eb(
          "entity_id",
          "in",
          eb
            .selectFrom("organization_members")
            .select(sql<string>`id::text`.as("id"))
            .where("user_id", "=", userId),
        ),
      ]),
    );
  if (organizationId) auditQuery = auditQuery.where("organization_id", "=", organizationId);
  push("audit-records", await auditQuery.orderBy("created_at").execute());
  push(
    "access-logs",
    await inOrg(
      db
        .selectFrom("privacy_access_logs")
        .select(["id", "organization_id", "viewer_user_id", "what", "detail", "created_at"])
        .where("subject_user_id", "=", userId),
      "organization_id",
    ).execute(),
  );
  push(
    "privacy-settings",
    await db.selectFrom("privacy_settings").selectAll().where("user_id", "=", userId).execute(),
  );
  push(
    "sessions",
    organizationId
      ? []
      : await db
          .selectFrom("user_sessions")
          .select([
            "id",
            "device_type",
            "browser",
            "os",
            "ip_address",
            "created_at",
            "last_accessed_at",
            "revoked_at",
          ])
          .where("user_id", "=", userId)
          .execute(),
  );
  return sections;
}

export async function buildExportZip(
  ctx: Ctx,
  input: { requestId: string; userId: string; organizationId: string | null },
): Promise<{ body: Buffer; checksum: string; counts: Record<string, number> }> {
  const sections = await collectSubjectData(ctx, input.userId, input.organizationId);
  const zip = new JSZip();
  const counts: Record<string, number> = {};
  for (const section of sections) {
    counts[section.name] = section.rows.length;
    zip.file(`json/${section.name}.json`, JSON.stringify(section.rows, null, 2));
    zip.file(`csv/${section.name}.csv`, toCsv(section.rows));
  }
  zip.file(
    "manifest.json",
    JSON.stringify(
      {
        requestId: input.requestId,
        subjectUserId: input.userId,
        organizationId: input.organizationId,
        scope: input.organizationId ? "organization" : "account",
        generatedAt: ctx.clock.now().toISOString(),
        counts,
      },
      null,
      2,
    ),
  );
  const body = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  return { body, checksum: createHash("sha256").update(body).digest("hex"), counts };
}
