import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, publishedCourse } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { multipart } from "../../../test/multipart.js";
import { MINUTE } from "../../platform/clock.js";
import { enroll } from "../enrollment/enroll.js";
import { sniffCourseFile } from "./files.js";

const LIMIT = 64 * 1024;

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let other: Awaited<ReturnType<typeof makeOrganization>>;
let courseId: string;

/** An MP4 file as far as its first bytes go: a `ftyp` box of brand isom, then noise. */
const mp4 = (size = 5000) =>
  Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from("ftypisom\0\0\x02\0isomiso2", "latin1"),
    randomBytes(size - 24),
  ]);
const pdf = (size = 2000) =>
  Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(size - 9, "%")]);
const png = () =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(200, 1),
  ]);

beforeAll(async () => {
  t = await createTestApp({ env: { COURSE_FILE_LIMIT_BYTES: String(LIMIT) } });
  w = await makeOrganization(t, {
    name: "Files Org",
    people: [
      { key: "instructor", roles: ["learner", "instructor"] },
      { key: "teachingAssistant", roles: ["learner", "instructor"] },
      { key: "enrolled", roles: ["learner"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  other = await makeOrganization(t, { name: "Other Org" });
  const course = await publishedCourse(t, {
    code: "FILES-1",
    title: "Media Course",
    organizationId: w.org.id,
    instructorId: w.people.instructor!.user.id,
  });
  courseId = course.id;
  await t.http.put(
    `/api/v1/courses/${courseId}/staff/${w.people.teachingAssistant!.user.id}`,
    { role: "teaching-assistant" },
    w.people.instructor,
  );
  await enroll(t.system, {
    userId: w.people.enrolled!.user.id,
    courseId,
    source: "admin",
  });
});
afterAll(() => t.close());

function upload(
  as: Credentials | undefined,
  name: string,
  type: string,
  bytes: Buffer,
  course = courseId,
) {
  return t.http.request("POST", `/api/v1/courses/${course}/files`, {
    ...multipart(name, type, bytes),
    as,
  });
}

/** A download as raw bytes (the test client reads bodies as text). */
async function download(fileId: string, as?: Credentials, headers: Record<string, string> = {}) {
  const res = await t.lyceum.app.inject({
    method: "GET",
    url: `/api/v1/course-files/${fileId}`,
    headers: { ...headers, ...(as?.token ? { authorization: `Bearer ${as.token}` } : {}) },
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    bytes: res.rawPayload,
    json: () => res.json(),
  };
}

const storedFiles = () =>
  t.system.db
    .selectFrom("file_uploads")
    .selectAll()
    .where("purpose", "=", "course-file")
    .orderBy("created_at")
    .execute();

describe("uploading course files", () => {
  it("stores an upload under its course and serves the same bytes back", async () => {
    const bytes = mp4();
    const res = await upload(w.people.instructor, "Week 1 – intro.mp4", "video/mp4", bytes);
    expect(res.status).toBe(201);
    const file = res.body.data;
    expect(file).toEqual({
      id: expect.any(String),
      name: "Week 1 – intro.mp4",
      sizeBytes: bytes.length,
      mimeType: "video/mp4",
      url: `http://lyceum.test/api/v1/course-files/${file.id}`,
      createdAt: t.clock.now().toISOString(),
    });
    const row = await t.system.db
      .selectFrom("file_uploads")
      .selectAll()
      .where("id", "=", file.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      purpose: "course-file",
      organization_id: w.org.id,
      uploaded_by: w.people.instructor!.user.id,
      storage_key: `courses/${courseId}/${file.id}`,
      checksum_sha256: createHash("sha256").update(bytes).digest("hex"),
      metadata: { courseId },
    });
    expect(t.storage.files.get(row.storage_key)?.body.equals(bytes)).toBe(true);
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "organization_id"])
      .where("entity_id", "=", file.id)
      .execute();
    expect(audit).toEqual([{ action: "course-file.upload", organization_id: w.org.id }]);

    const got = await download(file.id, w.people.instructor);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got.headers).toMatchObject({
      "content-type": "video/mp4",
      "content-length": String(bytes.length),
      "content-disposition": `inline; filename="Week 1 _ intro.mp4"; filename*=UTF-8''Week%201%20%E2%80%93%20intro.mp4`,
      "x-content-type-options": "nosniff",
      "cache-control": "private",
      "accept-ranges": "bytes",
      "x-frame-options": "SAMEORIGIN",
    });
    // Lyceum's own pages may frame it (a PDF lesson), no other site may.
    expect(got.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(got.headers["content-security-policy"]).not.toContain("frame-ancestors 'none'");

    // The address goes straight into a lesson's content.
    const detail = await t.http.get(`/api/v1/courses/${courseId}`, w.people.instructor);
    const lesson = await t.http.post(
      `/api/v1/modules/${detail.body.data.modules[0].id}/lessons`,
      { title: "Intro video", contentType: "video", content: { url: file.url } },
      w.people.instructor,
    );
    expect(lesson.status).toBe(201);
  });

  it("takes the type from the bytes, not from the name or the client", async () => {
    const res = await upload(w.people.instructor, "C:\\slides\\diagram.mp4", "video/mp4", png());
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name: "diagram.mp4", mimeType: "image/png" });
    const doc = await upload(w.people.instructor, "notes", "application/octet-stream", pdf());
    expect(doc.body.data.mimeType).toBe("application/pdf");
  });

  it("refuses files of other types, whatever they are called, and stores nothing", async () => {
    const before = await storedFiles();
    const keys = t.storage.files.size;
    for (const [name, bytes] of [
      ["lesson.mp4", Buffer.from("Just some text pretending to be a video, long enough to sniff.")],
      ["drawing.svg", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')],
      ["archive.zip", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(100)])],
      ["empty.pdf", Buffer.alloc(0)],
    ] as const) {
      const res = await upload(w.people.instructor, name, "video/mp4", bytes);
      expect(res.status, name).toBe(415);
      expect(res.body.error).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", field: "file" });
    }
    const json = await t.http.post(
      `/api/v1/courses/${courseId}/files`,
      { file: "x" },
      w.people.instructor,
    );
    expect(json.status).toBe(415);
    const elsewhere = await t.http.request("POST", `/api/v1/courses/${courseId}/files`, {
      ...multipart("a.pdf", "application/pdf", pdf(), "document"),
      as: w.people.instructor,
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error).toMatchObject({ code: "VALIDATION_ERROR", field: "file" });
    expect(await storedFiles()).toEqual(before);
    expect(t.storage.files.size).toBe(keys);
  });

  it("refuses files over the configured limit and stores nothing", async () => {
    const before = await storedFiles();
    const keys = t.storage.files.size;
    const res = await upload(w.people.instructor, "big.pdf", "application/pdf", pdf(LIMIT + 1));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", field: "file" });
    expect(await storedFiles()).toEqual(before);
    expect(t.storage.files.size).toBe(keys);
    const fits = await upload(w.people.instructor, "fits.pdf", "application/pdf", pdf(LIMIT));
    expect(fits.status).toBe(201);
  });

  it("needs the right to edit the course", async () => {
    const teachingAssistant = await upload(
      w.people.teachingAssistant,
      "a.pdf",
      "application/pdf",
      pdf(),
    );
    expect(teachingAssistant.status).toBe(403);
    expect((await upload(w.people.learner, "a.pdf", "application/pdf", pdf())).status).toBe(403);
    const outsider = await upload(other.people.admin, "a.pdf", "application/pdf", pdf());
    expect(outsider.status).toBe(404);
    expect(outsider.body.error.code).toBe("NOT_FOUND");
  });
});

describe("reading course files", () => {
  let fileId: string;
  let bytes: Buffer;

  beforeAll(async () => {
    bytes = mp4(3000);
    fileId = (await upload(w.people.instructor, "lecture.mp4", "video/mp4", bytes)).body.data.id;
  });

  it("serves the course's people and enrolled learners, and tells everyone else it does not exist", async () => {
    for (const as of [w.people.enrolled, w.people.teachingAssistant, w.people.admin]) {
      const got = await download(fileId, as);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBe(true);
    }
    for (const as of [w.people.learner, other.people.admin, undefined]) {
      const got = await download(fileId, as);
      expect(got.status).toBe(404);
      expect(got.json().error.code).toBe("NOT_FOUND");
      expect(got.bytes.includes(bytes.subarray(0, 24))).toBe(false);
    }
    // The same answer as for a file that never existed.
    const none = await download("0190a000-0000-7000-8000-000000000000", w.people.learner);
    expect(none.json().error.message).toBe(
      (await download(fileId, w.people.learner)).json().error.message,
    );
  });

  it("answers a single byte range with 206, and 416 past the end", async () => {
    const slice = await download(fileId, w.people.enrolled, { range: "bytes=100-199" });
    expect(slice.status).toBe(206);
    expect(slice.headers["content-range"]).toBe(`bytes 100-199/${bytes.length}`);
    expect(slice.headers["content-length"]).toBe("100");
    expect(slice.bytes.equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await download(fileId, w.people.enrolled, { range: "bytes=-10" });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const open = await download(fileId, w.people.enrolled, { range: "bytes=2990-" });
    expect(open.headers["content-range"]).toBe(`bytes 2990-2999/${bytes.length}`);
    expect(open.bytes.equals(bytes.subarray(2990))).toBe(true);
    const clipped = await download(fileId, w.people.enrolled, { range: "bytes=2995-99999" });
    expect(clipped.bytes.equals(bytes.subarray(2995))).toBe(true);
    const past = await download(fileId, w.people.enrolled, { range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers["content-range"]).toBe(`bytes */${bytes.length}`);
    expect(past.json().error.code).toBe("RANGE_NOT_SATISFIABLE");
    // Several ranges, or one this does not read, get the whole file.
    for (const range of ["bytes=0-1,5-6", "items=0-5", "bytes=9-3"]) {
      const whole = await download(fileId, w.people.enrolled, { range });
      expect(whole.status, range).toBe(200);
      expect(whole.bytes.equals(bytes)).toBe(true);
    }
    // Whoever may not read the file learns nothing from a range either.
    expect((await download(fileId, w.people.learner, { range: "bytes=0-1" })).status).toBe(404);
  });
});

describe("listing and deleting course files", () => {
  it("lists a course's files newest first to its editors, and deletes them", async () => {
    const course = await publishedCourse(t, {
      code: "FILES-2",
      title: "Second Media Course",
      organizationId: w.org.id,
      instructorId: w.people.instructor!.user.id,
    });
    const first = await upload(w.people.instructor, "one.pdf", "application/pdf", pdf(), course.id);
    t.clock.advance(MINUTE);
    const second = await upload(w.people.admin, "two.png", "image/png", png(), course.id);
    const list = await t.http.get(`/api/v1/courses/${course.id}/files`, w.people.instructor);
    expect(list.status).toBe(200);
    expect(list.body.data.map((f: { name: string }) => f.name)).toEqual(["two.png", "one.pdf"]);
    expect(list.body.meta.pagination).toMatchObject({ total: 2, page: 1 });
    const byName = await t.http.get(
      `/api/v1/courses/${course.id}/files?sort=name&limit=1`,
      w.people.instructor,
    );
    expect(byName.body.data.map((f: { name: string }) => f.name)).toEqual(["one.pdf"]);
    expect(byName.body.meta.pagination.hasNext).toBe(true);
    expect(
      (await t.http.get(`/api/v1/courses/${course.id}/files`, other.people.admin)).status,
    ).toBe(404);
    expect((await t.http.get(`/api/v1/courses/${course.id}/files`, w.people.learner)).status).toBe(
      403,
    );

    const id = first.body.data.id as string;
    const key = `courses/${course.id}/${id}`;
    expect((await t.http.delete(`/api/v1/course-files/${id}`, other.people.admin)).status).toBe(
      404,
    );
    expect((await t.http.delete(`/api/v1/course-files/${id}`, w.people.learner)).status).toBe(403);
    expect(t.storage.files.has(key)).toBe(true);
    const deleted = await t.http.delete(`/api/v1/course-files/${id}`, w.people.instructor);
    expect(deleted.status).toBe(200);
    expect(t.storage.files.has(key)).toBe(false);
    const row = await t.system.db
      .selectFrom("file_uploads")
      .select("deleted_at")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).toEqual(t.clock.now());
    const audit = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", id)
      .orderBy("created_at")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["course-file.upload", "course-file.delete"]);
    expect((await download(id, w.people.instructor)).status).toBe(404);
    expect((await t.http.delete(`/api/v1/course-files/${id}`, w.people.instructor)).status).toBe(
      404,
    );
    const after = await t.http.get(`/api/v1/courses/${course.id}/files`, w.people.instructor);
    expect(after.body.data.map((f: { id: string }) => f.id)).toEqual([second.body.data.id]);
  });
});

describe("recognizing file types", () => {
  it("knows each accepted type by its first bytes", () => {
    const at = (hex: string, rest = "") =>
      Buffer.concat([Buffer.from(hex.replace(/ /g, ""), "hex"), Buffer.from(rest, "latin1")]);
    expect(sniffCourseFile(Buffer.from("\0\0\0\x20ftypM4A \0\0\0\0", "latin1"))).toBe("audio/mp4");
    expect(sniffCourseFile(Buffer.from("\0\0\0\x20ftypheic\0\0\0\0", "latin1"))).toBeNull();
    expect(sniffCourseFile(at("1a45dfa3 9f4286 8101 4282 847765626d", "\x42\x87"))).toBe(
      "video/webm",
    );
    expect(sniffCourseFile(at("1a45dfa3 a34286 8101 4282 886d6174726f736b61"))).toBeNull();
    expect(sniffCourseFile(Buffer.from("ID3\x04\0\0\0\0\0\0", "latin1"))).toBe("audio/mpeg");
    expect(sniffCourseFile(at("fffb9064 00"))).toBe("audio/mpeg");
    // AAC in ADTS frames shares the sync bits but not the layer.
    expect(sniffCourseFile(at("fff15080 00"))).toBeNull();
    expect(sniffCourseFile(Buffer.from("OggS\0\x02", "latin1"))).toBe("audio/ogg");
    expect(sniffCourseFile(Buffer.from("RIFF\x24\0\0\0WAVEfmt ", "latin1"))).toBe("audio/wav");
    expect(sniffCourseFile(Buffer.from("RIFF\x24\0\0\0WEBPVP8 ", "latin1"))).toBe("image/webp");
    expect(sniffCourseFile(at("ffd8ffe0 0010"))).toBe("image/jpeg");
    expect(sniffCourseFile(Buffer.from("<!DOCTYPE html>", "latin1"))).toBeNull();
  });
});
