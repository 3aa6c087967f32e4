import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { audit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { AppError, notFound } from "../../platform/http/errors.js";
import { recordAccess } from "./access-log.js";
import type { RetentionArchiveRow } from "./schema.js";

/** The columns of archived rows that name a person (learning events, mail, notifications, audit). */
const PERSON_COLUMNS = ["learner_id", "user_id", "subject_user_id", "actor_user_id", "actor_id"];

/** The people an archive (gzip JSONL) holds data of, read as a stream so memory stays flat. */
async function peopleIn(stream: Readable): Promise<string[]> {
  const people = new Set<string>();
  const lines = createInterface({ input: stream.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    for (const column of PERSON_COLUMNS) {
      const value = row[column];
      if (typeof value === "string") people.add(value);
    }
  }
  return [...people];
}

/**
 * One archive file of the organization's archival log, for its privacy managers: the line (for
 * the file's name and size) and a stream of the stored gzip JSONL. Each download is audited and
 * logged as a read of the data of every person the archive names. Another organization's
 * archive, and a line without a file (a deletion, an anonymization), are not found.
 */
export async function openArchiveFile(
  ctx: Ctx,
  organizationId: string,
  archiveId: string,
): Promise<{ archive: RetentionArchiveRow; fileName: string; body: Readable }> {
  const archive = await ctx.db
    .selectFrom("retention_archives")
    .selectAll()
    .where("id", "=", archiveId)
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  if (!archive) throw notFound("Archive");
  if (!archive.file_key)
    throw new AppError("NOT_FOUND", "This line of the archival log has no file", {
      details: { action: archive.action },
    });
  const scan = await ctx.storage.open(archive.file_key);
  if (!scan) throw notFound("Archive file");
  const people = await peopleIn(scan);
  const body = await ctx.storage.open(archive.file_key);
  if (!body) throw notFound("Archive file");
  const known = people.length
    ? await ctx.db.selectFrom("users").select("id").where("id", "in", people).execute()
    : [];
  await recordAccess(ctx, {
    organizationId,
    subjectUserIds: known.map((u) => u.id),
    what: "retention-archive",
    detail: `${archive.category} archive of ${archive.created_at.toISOString().slice(0, 10)}`,
  });
  await audit(ctx, {
    organizationId,
    action: "retention-archive.downloaded",
    entityType: "retention-archive",
    entityId: archive.id,
    regulatoryImpact: "gdpr",
    dataSensitivity: "pii",
  });
  const day = archive.created_at.toISOString().slice(0, 10);
  return { archive, fileName: `lyceum-${archive.category}-${day}-${archive.id}.jsonl.gz`, body };
}
