import { createRequire } from "node:module";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createLesson } from "../catalog/content.js";
import { createCourse, publishCourse } from "../catalog/courses.js";
import { enroll } from "../enrollment/enroll.js";
import { recipientMatches } from "./badge.js";

const fonts = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

/** Reads a PDF with an independent reader (pdf.js) and returns its page count and text. */
async function readPdf(bytes: Buffer): Promise<{ pages: number; text: string; title: unknown }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts })
    .promise;
  let text = "";
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    text += content.items.map((item) => ("str" in item ? item.str : "")).join(" ");
  }
  const meta = await pdf.getMetadata();
  return { pages: pdf.numPages, text, title: (meta.info as { Title?: string }).Title };
}

let t: TestApp;
let instructor: Awaited<ReturnType<typeof signedInUser>>;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  instructor = await signedInUser(t, { platformAdmin: true, firstName: "Ines", lastName: "Tutor" });
});
afterAll(() => t.close());

async function oneLessonCourse(organizationId: string | null = null, instructorId?: string) {
  seq += 1;
  const course = await createCourse(t.system, {
    organizationId,
    code: `CERT-${seq}`,
    title: `Data Literacy ${seq}`,
    description: "Reading charts and numbers with confidence.",
    category: "testing",
    instructorId: instructorId ?? instructor.user.id,
    tags: ["data"],
  });
  const intro = await t.system.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  const lesson = await createLesson(t.system, intro.id, {
    title: "Only lesson",
    contentType: "text",
    content: { html: "<p>Charts</p>" },
  });
  await publishCourse(t.system, course.id);
  return { course, lesson };
}

async function finisher(
  courseId: string,
  lessonId: string,
  name?: { first: string; last: string },
) {
  const learner = await signedInUser(t, name ? { firstName: name.first, lastName: name.last } : {});
  const result = await enroll(t.system, { userId: learner.user.id, courseId, source: "self" });
  if (result.kind !== "enrolled") throw new Error("not enrolled");
  await t.http.post(`/api/v1/lessons/${lessonId}/start`, {}, learner);
  const done = await t.http.post(`/api/v1/lessons/${lessonId}/complete`, {}, learner);
  expect(done.body.data.courseCompleted).toBe(true);
  return { learner, enrollment: result.enrollment };
}

describe("certificates", () => {
  it("are issued on completion with a real PDF, a public verification and an Open Badges 2.0 assertion", async () => {
    const { course, lesson } = await oneLessonCourse();
    const { learner, enrollment } = await finisher(course.id, lesson.id, {
      first: "Ada",
      last: "Byron",
    });
    let res = await t.http.get("/api/v1/certificates/mine", learner);
    expect(res.body.data).toHaveLength(1);
    const cert = res.body.data[0];
    expect(cert).toMatchObject({
      enrollmentId: enrollment.id,
      recipientName: "Ada Byron",
      courseTitle: course.title,
      issuerName: "Lyceum",
      status: "valid",
      expiresAt: null,
    });
    expect(cert.number).toMatch(/^LYC-2026-[A-Z2-9]{10}$/);
    expect(cert.verificationUrl).toBe(`http://lyceum.test/verify/${cert.number}`);
    expect(cert.linkedIn.share).toContain(encodeURIComponent(cert.verificationUrl));
    const add = new URL(cert.linkedIn.addToProfile);
    expect(add.searchParams.get("certId")).toBe(cert.number);
    expect(add.searchParams.get("name")).toBe(course.title);

    const note = await t.system.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", learner.user.id)
      .where("type", "=", "certificate-issued")
      .execute();
    expect(note).toEqual([{ title: `Your certificate for ${course.title}` }]);

    // The PDF opens in an independent reader and says what it should.
    res = await t.http.get(`/api/v1/certificates/${cert.id}/pdf`, learner);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    const file = await t.lyceum.app.inject({
      method: "GET",
      url: `/api/v1/certificates/${cert.id}/pdf`,
      headers: { authorization: `Bearer ${learner.token}` },
    });
    const pdf = await readPdf(file.rawPayload);
    expect(pdf.pages).toBe(1);
    expect(pdf.title).toBe("Certificate of Completion — Ada Byron");
    for (const text of ["CERTIFICATE OF COMPLETION", "Ada Byron", course.title, cert.number])
      expect(pdf.text).toContain(text);

    // Anyone can verify it; the assertion is a hosted Open Badges 2.0 document.
    res = await t.http.get(`/api/v1/certificates/${cert.number.toLowerCase()}/verify`);
    expect(res.body.data).toMatchObject({ status: "valid", recipientName: "Ada Byron" });
    res = await t.http.get(`/api/v1/certificates/${cert.number}/assertion`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("application/ld+json");
    const a = res.body;
    expect(a).toMatchObject({
      "@context": "https://w3id.org/openbadges/v2",
      type: "Assertion",
      id: cert.assertionUrl,
      verification: { type: "hosted" },
      recipient: { type: "email", hashed: true },
      badge: {
        type: "BadgeClass",
        id: `http://lyceum.test/api/v1/badges/courses/${course.id}`,
        issuer: { type: "Issuer", name: "Lyceum", email: "no-reply@lyceum.local" },
      },
    });
    expect(Date.parse(a.issuedOn)).not.toBeNaN();
    expect(recipientMatches(a.recipient, learner.user.email)).toBe(true);
    expect(recipientMatches(a.recipient, "someone@else.example")).toBe(false);
    expect(JSON.stringify(a)).not.toContain(learner.user.email);

    res = await t.http.get(`/api/v1/badges/courses/${course.id}`);
    expect(res.body).toMatchObject({ type: "BadgeClass", name: `${course.title} Completion` });
    const image = await t.lyceum.app.inject({
      method: "GET",
      url: `/api/v1/badges/courses/${course.id}/image.png`,
    });
    expect(image.headers["content-type"]).toBe("image/png");
    expect(await sharp(image.rawPayload).metadata()).toMatchObject({ format: "png", width: 400 });
    res = await t.http.get("/api/v1/badges/issuers/platform");
    // Open Badges 2.0 requires the issuer's name, url and email.
    expect(res.body).toEqual({
      "@context": "https://w3id.org/openbadges/v2",
      type: "Issuer",
      id: "http://lyceum.test/api/v1/badges/issuers/platform",
      name: "Lyceum",
      url: "http://lyceum.test",
      email: "no-reply@lyceum.local",
    });

    // Someone else sees nothing of it.
    const stranger = await signedInUser(t);
    res = await t.http.get(`/api/v1/certificates/${cert.id}`, stranger);
    expect(res.status).toBe(404);
    res = await t.http.get(`/api/v1/certificates/${cert.id}/pdf`, stranger);
    expect(res.status).toBe(404);
  });

  it("are revoked with a reason, shown revoked on verification, and can be reissued", async () => {
    const { course, lesson } = await oneLessonCourse();
    const { learner, enrollment } = await finisher(course.id, lesson.id);
    const [cert] = (await t.http.get("/api/v1/certificates/mine", learner)).body.data;
    let res = await t.http.post(
      `/api/v1/certificates/${cert.id}/revoke`,
      { reason: "Plagiarised work" },
      learner,
    );
    expect(res.status).toBe(403);
    res = await t.http.post(
      `/api/v1/certificates/${cert.id}/revoke`,
      { reason: "Plagiarised work" },
      instructor,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "revoked", revokedReason: "Plagiarised work" });
    res = await t.http.get(`/api/v1/certificates/${cert.number}/verify`);
    expect(res.body.data).toMatchObject({ status: "revoked", revokedReason: "Plagiarised work" });
    res = await t.http.get(`/api/v1/certificates/${cert.number}/assertion`);
    expect(res.status).toBe(410);
    expect(res.body).toEqual({
      id: cert.assertionUrl,
      revoked: true,
      revocationReason: "Plagiarised work",
    });
    res = await t.http.post(
      `/api/v1/certificates/${cert.id}/revoke`,
      { reason: "again" },
      instructor,
    );
    expect(res.status).toBe(422);

    // Its PDF no longer claims validity: it is printed revoked, with date and reason.
    const file = await t.lyceum.app.inject({
      method: "GET",
      url: `/api/v1/certificates/${cert.id}/pdf`,
      headers: { authorization: `Bearer ${learner.token}` },
    });
    expect(file.statusCode).toBe(200);
    const pdf = await readPdf(file.rawPayload);
    expect(pdf.title).toMatch(/^REVOKED: /);
    expect(pdf.text).toContain(`REVOKED on ${t.clock.now().getUTCDate()}`);
    expect(pdf.text).toContain("Plagiarised work");
    expect(pdf.text).toContain("no longer valid");
    expect(pdf.text).toContain(cert.number);

    res = await t.http.post(`/api/v1/enrollments/${enrollment.id}/certificate`, {}, instructor);
    expect(res.status).toBe(201);
    expect(res.body.data.number).not.toBe(cert.number);
    expect(res.body.data.status).toBe("valid");
    res = await t.http.get(`/api/v1/courses/${course.id}/certificates`, instructor);
    expect(res.body.data.map((c: { status: string }) => c.status).sort()).toEqual([
      "revoked",
      "valid",
    ]);
  });

  it("follow the course's settings: off, validity, title and signatory; expiry shows on verification", async () => {
    const { course, lesson } = await oneLessonCourse();
    let res = await t.http.put(
      `/api/v1/courses/${course.id}/certificate-settings`,
      { enabled: false },
      instructor,
    );
    expect(res.body.data).toMatchObject({ enabled: false, validityDays: null });
    const first = await finisher(course.id, lesson.id);
    res = await t.http.get("/api/v1/certificates/mine", first.learner);
    expect(res.body.data).toEqual([]);

    res = await t.http.put(
      `/api/v1/courses/${course.id}/certificate-settings`,
      {
        enabled: true,
        validityDays: 30,
        title: "Certificate of Achievement",
        signatoryName: "Ines Tutor",
        signatoryTitle: "Lead Instructor",
      },
      instructor,
    );
    expect(res.body.data).toMatchObject({ enabled: true, validityDays: 30 });
    res = await t.http.put(
      `/api/v1/courses/${course.id}/certificate-settings`,
      { validityDays: 0 },
      instructor,
    );
    expect(res.status).toBe(400);
    const second = await finisher(course.id, lesson.id, { first: "Zoë", last: "Łukasz 李" });
    const [cert] = (await t.http.get("/api/v1/certificates/mine", second.learner)).body.data;
    expect(Date.parse(cert.expiresAt) - Date.parse(cert.issuedAt)).toBe(30 * 86_400_000);
    const file = await t.lyceum.app.inject({
      method: "GET",
      url: `/api/v1/certificates/${cert.id}/pdf`,
      headers: { authorization: `Bearer ${second.learner.token}` },
    });
    const pdf = await readPdf(file.rawPayload);
    for (const text of ["CERTIFICATE OF ACHIEVEMENT", "Zoë Lukasz ?", "Ines Tutor", "Valid until"])
      expect(pdf.text).toContain(text);

    t.clock.advance(31 * 86_400_000);
    res = await t.http.get(`/api/v1/certificates/${cert.number}/verify`);
    expect(res.body.data.status).toBe("expired");
  });

  it("are issued when staff mark an enrollment complete, and not twice", async () => {
    const { course } = await oneLessonCourse();
    const learner = await signedInUser(t);
    const result = await enroll(t.system, {
      userId: learner.user.id,
      courseId: course.id,
      source: "admin",
    });
    if (result.kind !== "enrolled") throw new Error("not enrolled");
    const fresh = await signedInUser(t, { platformAdmin: true });
    let res = await t.http.post(`/api/v1/enrollments/${result.enrollment.id}/complete`, {}, fresh);
    expect(res.status).toBe(200);
    res = await t.http.post(`/api/v1/enrollments/${result.enrollment.id}/certificate`, {}, fresh);
    expect(res.status).toBe(201);
    const rows = await t.system.db
      .selectFrom("certificates")
      .select("id")
      .where("enrollment_id", "=", result.enrollment.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(res.body.data.id).toBe(rows[0]?.id);
  });

  it("name an organization's contact email in its issuer profile, else the platform's", async () => {
    const { org, people } = await makeOrganization(t, {
      people: [{ key: "ada", roles: ["learner"] }],
    });
    const ada = people.ada as NonNullable<typeof people.ada>;
    const { course, lesson } = await oneLessonCourse(org.id, people.admin.user.id);
    const result = await enroll(t.system, {
      userId: ada.user.id,
      courseId: course.id,
      source: "admin",
    });
    if (result.kind !== "enrolled") throw new Error("not enrolled");
    await t.http.post(`/api/v1/lessons/${lesson.id}/start`, {}, ada);
    await t.http.post(`/api/v1/lessons/${lesson.id}/complete`, {}, ada);
    const [cert] = (await t.http.get("/api/v1/certificates/mine", ada)).body.data;
    const issuerUrl = `http://lyceum.test/api/v1/badges/issuers/${org.id}`;
    let res = await t.http.get(`/api/v1/certificates/${cert.number}/assertion`);
    expect(res.body.badge.issuer).toMatchObject({
      id: issuerUrl,
      name: org.name,
      email: "no-reply@lyceum.local",
    });
    await t.system.db
      .updateTable("organizations")
      .set({ contact_email: "learning@northwind.example" })
      .where("id", "=", org.id)
      .execute();
    res = await t.http.get(`/api/v1/badges/issuers/${org.id}`);
    expect(res.body).toEqual({
      "@context": "https://w3id.org/openbadges/v2",
      type: "Issuer",
      id: issuerUrl,
      name: org.name,
      url: "http://lyceum.test",
      email: "learning@northwind.example",
    });
  });

  it("keep badges of courses without certificates private", async () => {
    const { course } = await oneLessonCourse();
    for (const url of [
      `/api/v1/badges/courses/${course.id}`,
      `/api/v1/badges/courses/${course.id}/image.png`,
      "/api/v1/certificates/LYC-2026-NOSUCHCERT/verify",
      "/api/v1/certificates/LYC-2026-NOSUCHCERT/assertion",
      `/api/v1/badges/issuers/${course.id}`,
    ]) {
      const res = await t.http.get(url);
      expect(res.status).toBe(404);
    }
  });
});
