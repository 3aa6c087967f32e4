import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { pageQuery } from "../../platform/http/pagination.js";
import { FRAMED_BY_LYCEUM, securityHeaders } from "../../platform/http/security-headers.js";
import { type App, idParam } from "../../platform/http/server.js";
import type { ByteRange } from "../../platform/storage/storage.js";
import {
  addCourseFile,
  COURSE_FILE_MIME_TYPES,
  COURSE_FILE_SORTS,
  deleteCourseFile,
  type LearnerAccess,
  listCourseFiles,
  openCourseFile,
  readableCourseFile,
} from "./files.js";
import { courseForChange } from "./policy.js";
import { courseFileSchema, presentCourseFile } from "./presenter.js";

/** A course file's security headers: Lyceum's pages may frame it (a PDF lesson). */
const FRAMEABLE_BY_LYCEUM = securityHeaders(FRAMED_BY_LYCEUM);

/**
 * `Range: bytes=…` of a request, for a file of `size` bytes: one range, or null to send the
 * whole file (no header, several ranges, or a header this does not read, as RFC 9110 allows).
 * A range starting past the end answers `416` with the file's size.
 */
function requestedRange(header: string | undefined, size: number): ByteRange | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start: number;
  let end: number;
  if (match[1] === "") {
    // The last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0) throw unsatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== "" && Number(match[2]) < start) return null;
  }
  if (start >= size) throw unsatisfiable(size);
  return { start, end };
}

const unsatisfiable = (size: number) =>
  new AppError("RANGE_NOT_SATISFIABLE", "The requested range starts past the end of the file", {
    headers: { "content-range": `bytes */${size}` },
    details: { sizeBytes: size },
  });

/** `inline` with the name twice: plain ASCII for old clients, and UTF-8 (RFC 6266, 8187). */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Course files: what authors upload for their lessons (video, audio, PDF, images) and the
 * address learners read them at. `learns` says whether an enrollment opens a course now (the
 * enrollment rules sit above the catalog; app.ts passes them in).
 */
export async function courseFileRoutes(app: App, learns: LearnerAccess): Promise<void> {
  const tags = ["Course files"];

  app.post(
    "/api/v1/courses/:courseId/files",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Upload a file for a course's lessons",
        description: `multipart/form-data with one \`file\` part, at most \`COURSE_FILE_LIMIT_BYTES\` (200 MiB unless configured; \`413 PAYLOAD_TOO_LARGE\` above, and nothing is stored). The type is read from the bytes, whatever the client calls it: ${COURSE_FILE_MIME_TYPES.join(", ")}; anything else answers \`415 UNSUPPORTED_MEDIA_TYPE\`. Needs the right to edit the course (its instructor, co-instructors who edit content, content administrators). The answer's \`url\` goes into a lesson's content.`,
        consumes: ["multipart/form-data"],
        params: idParam("courseId"),
        response: { 201: envelope(courseFileSchema) },
      },
    },
    async (request, reply) => {
      // Who may not change the course is refused before a byte of the upload is read.
      const course = await courseForChange(request.ctx, request.params.courseId);
      const maxBytes = request.ctx.config.http.courseFileLimit;
      if (!request.isMultipart()) {
        throw new AppError(
          "UNSUPPORTED_MEDIA_TYPE",
          "Send the file as multipart/form-data in a 'file' field",
        );
      }
      const part = await request.file({ limits: { fileSize: maxBytes } });
      if (!part || part.fieldname !== "file") {
        // Read the part to its end, so the request is consumed before the answer.
        part?.file.resume();
        throw new AppError("VALIDATION_ERROR", "Send the file in a 'file' field", {
          field: "file",
        });
      }
      const file = await addCourseFile(request.ctx, course, {
        fileName: part.filename,
        stream: part.file,
        maxBytes,
      });
      reply.code(201);
      return ok(presentCourseFile(file, request.ctx.config.publicUrl));
    },
  );

  app.get(
    "/api/v1/courses/:courseId/files",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "A course's files (for the people who may edit it)",
        params: idParam("courseId"),
        querystring: pageQuery(COURSE_FILE_SORTS, { sort: "-createdAt" }),
        response: { 200: listEnvelope(courseFileSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listCourseFiles(
        request.ctx,
        request.params.courseId,
        request.query,
      );
      const publicUrl = request.ctx.config.publicUrl;
      return okList(
        rows.map((row) => presentCourseFile(row, publicUrl)),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/course-files/:fileId",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "A course file's bytes",
        description:
          "For the course's editors, instructor and staff, and learners whose enrollment opens the course now; everyone else gets `404 NOT_FOUND`. Answers `inline` with the file's type. One `Range: bytes=…` is honoured (`206` with `Content-Range`; `416 RANGE_NOT_SATISFIABLE` past the end); several ranges get the whole file.",
        params: idParam("fileId"),
        produces: COURSE_FILE_MIME_TYPES,
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const file = await readableCourseFile(ctx, request.params.fileId, learns);
      const range = requestedRange(request.headers.range, file.file_size);
      const body = await openCourseFile(ctx, file, range ?? undefined);
      reply
        .header("content-type", file.mime_type)
        .header("content-disposition", contentDisposition(file.file_name))
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "private")
        .header("accept-ranges", "bytes")
        .headers(FRAMEABLE_BY_LYCEUM);
      if (range) {
        reply
          .code(206)
          .header("content-range", `bytes ${range.start}-${range.end}/${file.file_size}`)
          .header("content-length", range.end - range.start + 1);
      } else {
        reply.header("content-length", file.file_size);
      }
      return reply.send(body);
    },
  );

  app.delete(
    "/api/v1/course-files/:fileId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Delete a course file",
        description:
          "For the people who may edit the course. The bytes are removed; lessons that still point at the file's address get `404` there.",
        params: idParam("fileId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteCourseFile(request.ctx, request.params.fileId);
      return done();
    },
  );
}
