import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Selectable } from "kysely";
import type { FileUploadsTable } from "../../db/schema.js";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate, sortOf } from "../../platform/http/pagination.js";
import { newId } from "../../platform/ids.js";
import { can } from "../../platform/policy/engine.js";
import type { ByteRange, LocalFile } from "../../platform/storage/storage.js";
import { courseForChange, courseTarget, courseTeam, mayReadCourse } from "./policy.js";
import type { CourseRow } from "./schema.js";

/**
 * Files authors upload for their lessons (video, audio, PDF, images): stored under the
 * course in the configured storage, recorded in `file_uploads` with purpose `course-file`,
 * and read through `GET /course-files/{id}` by the course's people and enrolled learners.
 */

export type CourseFileRow = Selectable<FileUploadsTable>;

export const COURSE_FILE_PURPOSE = "course-file";

/**
 * Whether a person's enrollment opens a course's material now. Enrollments belong to a module
 * above the catalog, so the application passes the answer in (app.ts: `learnsFrom` from
 * progress/access.ts).
 */
export type LearnerAccess = (ctx: Ctx, userId: string, courseId: string) => Promise<boolean>;

const text = (b: Buffer, start: number, end: number) => b.subarray(start, end).toString("latin1");

/** ISO base media brands (bytes 8–11, after `ftyp`) taken as MP4 audio or video. */
const MP4_AUDIO = new Set(["M4A ", "M4B "]);
const MP4_VIDEO = new Set([
  "isom",
  "iso2",
  "iso4",
  "iso5",
  "iso6",
  "mp41",
  "mp42",
  "avc1",
  "M4V ",
  "dash",
  "MSNV",
]);

/**
 * An MPEG audio frame header without an ID3 tag: 11 sync bits, then a version, layer, bit
 * rate and sample rate that are not the reserved values (which rules out AAC's ADTS frames).
 */
function mpegFrame(b: Buffer): boolean {
  if (b.length < 3 || b[0] !== 0xff || ((b[1] as number) & 0xe0) !== 0xe0) return false;
  const version = ((b[1] as number) >> 3) & 3;
  const layer = ((b[1] as number) >> 1) & 3;
  const bitrate = (b[2] as number) >> 4;
  const sampleRate = ((b[2] as number) >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && sampleRate !== 3;
}

/**
 * The types a course file may have, each recognized by its first bytes (what the client says
 * the type is counts for nothing). In order: the first that matches names the type.
 */
const COURSE_FILE_TYPES: ReadonlyArray<readonly [string, (head: Buffer) => boolean]> = [
  ["audio/mp4", (b) => text(b, 4, 8) === "ftyp" && MP4_AUDIO.has(text(b, 8, 12))],
  ["video/mp4", (b) => text(b, 4, 8) === "ftyp" && MP4_VIDEO.has(text(b, 8, 12))],
  [
    "video/webm",
    (b) => b.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) && b.includes("webm"),
  ],
  ["audio/mpeg", (b) => text(b, 0, 3) === "ID3" || mpegFrame(b)],
  ["video/ogg", (b) => text(b, 0, 4) === "OggS" && b.includes("\x80theora", 0, "latin1")],
  ["audio/ogg", (b) => text(b, 0, 4) === "OggS"],
  ["audio/wav", (b) => text(b, 0, 4) === "RIFF" && text(b, 8, 12) === "WAVE"],
  ["application/pdf", (b) => text(b, 0, 5) === "%PDF-"],
  [
    "image/png",
    (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ],
  ["image/jpeg", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ["image/webp", (b) => text(b, 0, 4) === "RIFF" && text(b, 8, 12) === "WEBP"],
];

/** How many leading bytes the types above look at. */
const SNIFF_BYTES = 64;

/** The type of a file from its first bytes, or null when it is none a course file may have. */
export function sniffCourseFile(head: Buffer): string | null {
  return COURSE_FILE_TYPES.find(([, matches]) => matches(head))?.[0] ?? null;
}

/** The types accepted, for the API description. */
export const COURSE_FILE_MIME_TYPES = COURSE_FILE_TYPES.map(([type]) => type);

/** A file name as shown and offered for download: no folders, no control characters. */
function cleanName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return clean.slice(0, 255) || "file";
}

interface Received {
  file: LocalFile;
  /** null when the first bytes are of no accepted type (the rest was read and dropped). */
  mimeType: string | null;
  /** The file went past the limit (the rest was read and dropped). */
  tooLarge: boolean;
}

/**
 * Writes an upload to a file on disk, measuring its size and SHA-256 and sniffing its type on
 * the way. Once the type is refused or the limit passed, what is left is read and dropped, so
 * the request is consumed either way.
 */
async function receive(
  stream: Readable & { truncated?: boolean },
  target: string,
  maxBytes: number,
): Promise<Received> {
  const out = createWriteStream(target);
  const hash = createHash("sha256");
  let size = 0;
  let head = Buffer.alloc(0);
  let mimeType: string | null | undefined;
  let tooLarge = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (mimeType === null || tooLarge) continue;
      if (size + chunk.length > maxBytes) {
        tooLarge = true;
        continue;
      }
      if (mimeType === undefined) {
        head = Buffer.concat([head, chunk]).subarray(0, SNIFF_BYTES);
        if (head.length >= SNIFF_BYTES) mimeType = sniffCourseFile(head);
        if (mimeType === null) continue;
      }
      size += chunk.length;
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
  if (mimeType === undefined) mimeType = sniffCourseFile(head);
  // The multipart parser stops at its own limit and marks the stream truncated.
  if (stream.truncated) tooLarge = true;
  return { file: { path: target, size, sha256: hash.digest("hex") }, mimeType, tooLarge };
}

/** What an upload hands over: the name the client gave and the bytes, read once. */
export interface Upload {
  fileName: string;
  stream: Readable & { truncated?: boolean };
  /** The largest file accepted (COURSE_FILE_LIMIT_BYTES). */
  maxBytes: number;
}

/**
 * Stores a file for a course the actor may edit (`courseForChange`, checked by the caller
 * before the upload is read). The type comes from the bytes; a file of another type answers
 * `415 UNSUPPORTED_MEDIA_TYPE`, one over the limit `413 PAYLOAD_TOO_LARGE`, and neither leaves
 * anything stored.
 */
export async function addCourseFile(
  ctx: Ctx,
  course: CourseRow,
  upload: Upload,
): Promise<CourseFileRow> {
  const dir = await mkdtemp(path.join(tmpdir(), "lyceum-upload-"));
  try {
    const received = await receive(upload.stream, path.join(dir, "upload"), upload.maxBytes);
    if (received.tooLarge) {
      throw new AppError(
        "PAYLOAD_TOO_LARGE",
        `Course files may be at most ${Math.floor(upload.maxBytes / 1024 / 1024) || 1} MB`,
        { field: "file", details: { maxBytes: upload.maxBytes } },
      );
    }
    const mimeType = received.mimeType;
    if (!mimeType) {
      throw new AppError(
        "UNSUPPORTED_MEDIA_TYPE",
        "Course files must be MP4, M4A, WebM, MP3, OGG or WAV media, PDF documents, or PNG, JPEG or WebP images",
        { field: "file", details: { accepted: COURSE_FILE_MIME_TYPES } },
      );
    }
    const fileId = newId();
    const key = `courses/${course.id}/${fileId}`;
    await ctx.storage.putFile(key, received.file, mimeType);
    try {
      return await inTransaction(ctx, async (tx) => {
        const row = await tx.db
          .insertInto("file_uploads")
          .values({
            id: fileId,
            organization_id: course.organization_id,
            uploaded_by: tx.actor.kind === "user" ? tx.actor.userId : null,
            purpose: COURSE_FILE_PURPOSE,
            file_name: cleanName(upload.fileName),
            file_size: received.file.size,
            mime_type: mimeType,
            storage_provider: tx.storage.name,
            storage_key: key,
            checksum_sha256: received.file.sha256,
            metadata: JSON.stringify({ courseId: course.id }),
            created_at: tx.clock.now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(tx, {
          organizationId: course.organization_id,
          action: "course-file.upload",
          entityType: "course-file",
          entityId: fileId,
          after: {
            courseId: course.id,
            name: row.file_name,
            sizeBytes: row.file_size,
            mimeType,
            sha256: row.checksum_sha256,
          },
        });
        return row;
      });
    } catch (error) {
      await ctx.storage.delete(key);
      throw error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A live course file with its course, or null. */
async function fileWithCourse(
  ctx: Ctx,
  fileId: string,
): Promise<{ file: CourseFileRow; course: CourseRow } | null> {
  const file = await ctx.db
    .selectFrom("file_uploads")
    .selectAll()
    .where("id", "=", fileId)
    .where("purpose", "=", COURSE_FILE_PURPOSE)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  const courseId = (file?.metadata as { courseId?: string } | undefined)?.courseId;
  if (!file || !courseId) return null;
  const course = await ctx.db
    .selectFrom("courses")
    .selectAll()
    .where("id", "=", courseId)
    .executeTakeFirst();
  return course ? { file, course } : null;
}

const fileNotFound = () => new AppError("NOT_FOUND", "File not found");

/**
 * A course file the actor may read: the course's editors, instructor and staff (and those who
 * read or manage its organization's courses), and learners whose enrollment opens the course
 * now. Anyone else, whatever the reason, is told it does not exist.
 */
export async function readableCourseFile(
  ctx: Ctx,
  fileId: string,
  learns: LearnerAccess,
): Promise<CourseFileRow> {
  const found = await fileWithCourse(ctx, fileId);
  if (!found) throw fileNotFound();
  const { file, course } = found;
  const access = await ctx.actor.access();
  if (!(await mayReadCourse(ctx, course, access))) throw fileNotFound();
  const team = await courseTeam(ctx, course);
  if (
    can(access, "courses:read", courseTarget(course, team, "staff")) ||
    can(access, "courses:manage", courseTarget(course, team, "editors"))
  ) {
    return file;
  }
  if (ctx.actor.kind === "user" && (await learns(ctx, ctx.actor.userId, course.id))) return file;
  throw fileNotFound();
}

/** The bytes of a course file (or a slice of them), or NOT_FOUND when storage lost them. */
export async function openCourseFile(
  ctx: Ctx,
  file: CourseFileRow,
  range?: ByteRange,
): Promise<Readable> {
  const stream = await ctx.storage.open(file.storage_key, range);
  if (!stream) throw fileNotFound();
  return stream;
}

/**
 * Deletes a course file: the record is kept (marked deleted, audited) and the bytes removed.
 * Needs the right to edit the course; who cannot see the course is told the file does not exist.
 */
export async function deleteCourseFile(ctx: Ctx, fileId: string): Promise<void> {
  const found = await fileWithCourse(ctx, fileId);
  if (!found) throw fileNotFound();
  const { file } = found;
  let course: CourseRow;
  try {
    course = await courseForChange(ctx, found.course.id);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") throw fileNotFound();
    throw error;
  }
  await inTransaction(ctx, async (tx) => {
    const deleted = await tx.db
      .updateTable("file_uploads")
      .set({ deleted_at: tx.clock.now() })
      .where("id", "=", file.id)
      .where("deleted_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!deleted) throw fileNotFound();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "course-file.delete",
      entityType: "course-file",
      entityId: file.id,
      before: {
        courseId: course.id,
        name: file.file_name,
        sizeBytes: file.file_size,
        mimeType: file.mime_type,
      },
    });
  });
  await ctx.storage.delete(file.storage_key);
}

export const COURSE_FILE_SORTS = ["createdAt", "name", "sizeBytes"] as const;
const SORT_COLUMNS = { createdAt: "created_at", name: "file_name", sizeBytes: "file_size" };

/** A course's live files, for its editors, paged (newest first by default). */
export async function listCourseFiles(
  ctx: Ctx,
  courseId: string,
  query: { page: number; limit: number; sort: string },
) {
  const course = await courseForChange(ctx, courseId);
  const q = ctx.db
    .selectFrom("file_uploads")
    .selectAll()
    .where("purpose", "=", COURSE_FILE_PURPOSE)
    .where(({ ref }) => ref("metadata", "->>").key("courseId" as never), "=", course.id)
    .where("deleted_at", "is", null);
  return paginate(q, query, sortOf(query.sort, SORT_COLUMNS), "id");
}
