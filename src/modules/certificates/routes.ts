import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import type { Ctx } from "../../platform/context.js";
import { envelope, ok } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { can } from "../../platform/policy/engine.js";
import { privacyForViewer, restrictionsForViewer } from "../access/learner-privacy.js";
import { courseTeam, visibleCourse } from "../catalog/policy.js";
import { visibleEnrollment } from "../enrollment/manage.js";
import { iso } from "../enrollment/present.js";
import { reachableLearners } from "../enrollment/queries.js";
import { badgeClass, badgeImage, badgeUrls, certificateUrls, issuerProfile } from "./badge.js";
import {
  certificateByNumber,
  certificatePdf,
  issueCertificate,
  issuerOf,
  linkedInUrls,
  revokeCertificate,
  settingsOf,
  statusOf,
  updateSettings,
  visibleCertificate,
} from "./certificates.js";
import type { CertificateRow } from "./schema.js";

const certificateSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    enrollmentId: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    recipientName: z.string(),
    courseTitle: z.string(),
    issuerName: z.string(),
    issuedAt: iso(),
    expiresAt: iso().nullable(),
    status: z.enum(["valid", "expired", "revoked"]),
    revokedAt: iso().nullable(),
    revokedReason: z.string().nullable(),
    verificationUrl: z
      .string()
      .describe("The public verification page of the web app (`/verify/{number}`)"),
    assertionUrl: z.string(),
    pdfUrl: z.string(),
    linkedIn: z.object({ share: z.string(), addToProfile: z.string() }),
  })
  .meta({ id: "Certificate" });

const verificationSchema = z
  .object({
    number: z.string(),
    status: z.enum(["valid", "expired", "revoked"]),
    recipientName: z.string(),
    courseTitle: z.string(),
    issuerName: z.string(),
    issuedAt: iso(),
    expiresAt: iso().nullable(),
    revokedAt: iso().nullable(),
    revokedReason: z.string().nullable(),
    assertionUrl: z.string(),
  })
  .meta({ id: "CertificateVerification" });

const settingsSchema = z
  .object({
    enabled: z.boolean(),
    validityDays: z.number().int().nullable(),
    title: z.string().nullable(),
    signatoryName: z.string().nullable(),
    signatoryTitle: z.string().nullable(),
  })
  .meta({ id: "CertificateSettings" });

const jsonLd = z.record(z.string(), z.unknown());

export function presentCertificate(c: CertificateRow, publicUrl: string, now: Date) {
  const urls = certificateUrls(publicUrl, c.certificate_number);
  return {
    id: c.id,
    number: c.certificate_number,
    enrollmentId: c.enrollment_id,
    userId: c.user_id,
    courseId: c.course_id,
    recipientName: c.recipient_name,
    courseTitle: c.course_title,
    issuerName: c.issuer_name,
    issuedAt: c.issued_at.toISOString(),
    expiresAt: c.expires_at?.toISOString() ?? null,
    status: statusOf(c, now),
    revokedAt: c.revoked_at?.toISOString() ?? null,
    revokedReason: c.revoked_reason,
    verificationUrl: urls.verification,
    assertionUrl: urls.assertion,
    pdfUrl: `${publicUrl}/api/v1/certificates/${c.id}/pdf`,
    linkedIn: linkedInUrls(c, urls.verification),
  };
}

function presentSettings(s: Awaited<ReturnType<typeof settingsOf>>) {
  return {
    enabled: s.enabled,
    validityDays: s.validity_days,
    title: s.title,
    signatoryName: s.signatory_name,
    signatoryTitle: s.signatory_title,
  };
}

/** Certificates, their public verification and Open Badges 2.0 documents. */
/** A certificate opened by someone other than its holder: the access log (docs/privacy.md). */
async function certificateRead(
  ctx: Ctx,
  cert: { id: string; user_id: string; organization_id: string | null },
  form: "certificate" | "certificate (pdf)",
): Promise<void> {
  await ctx.events.emit(ctx, "personal-data.read", {
    organizationId: cert.organization_id,
    subjectUserIds: [cert.user_id],
    what: "certificate",
    detail: `${form} ${cert.id}`,
  });
}

export async function certificateRoutes(app: App): Promise<void> {
  const tags = ["Certificates"];
  const numberParam = z.object({ number: z.string().trim().min(4).max(40) });

  app.get(
    "/api/v1/certificates/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My certificates",
        response: { 200: envelope(z.array(certificateSchema)) },
      },
    },
    async (request) => {
      const rows = await request.ctx.db
        .selectFrom("certificates")
        .selectAll()
        .where("user_id", "=", signedInUserId(request.actor))
        .orderBy("issued_at", "desc")
        .execute();
      const now = request.ctx.clock.now();
      return ok(rows.map((c) => presentCertificate(c, request.ctx.config.publicUrl, now)));
    },
  );

  app.get(
    "/api/v1/certificates/:certificateId",
    {
      config: { access: { permission: "certificates:read" } },
      schema: {
        tags,
        summary: "One certificate, with its verification, badge and LinkedIn links",
        description:
          "Not found for anyone but the holder when the holder keeps their certificates from others (privacy settings); verification by number stays public.",
        params: idParam("certificateId"),
        response: { 200: envelope(certificateSchema) },
      },
    },
    async (request) => {
      const cert = await visibleCertificate(request.ctx, request.params.certificateId);
      await certificateRead(request.ctx, cert, "certificate");
      return ok(presentCertificate(cert, request.ctx.config.publicUrl, request.ctx.clock.now()));
    },
  );

  app.get(
    "/api/v1/certificates/:certificateId/pdf",
    {
      config: { access: { permission: "certificates:read" } },
      schema: {
        tags,
        summary: "The certificate as PDF",
        description:
          "A revoked certificate is printed marked REVOKED, with the date and reason and without its validity.",
        params: idParam("certificateId"),
        produces: ["application/pdf"],
      },
    },
    async (request, reply) => {
      const cert = await visibleCertificate(request.ctx, request.params.certificateId);
      const pdf = await certificatePdf(request.ctx, cert);
      if (!pdf) throw new AppError("NOT_FOUND", "The certificate file is missing");
      await certificateRead(request.ctx, cert, "certificate (pdf)");
      return reply
        .type("application/pdf")
        .header("cache-control", "private, no-cache")
        .header("content-disposition", `inline; filename="${cert.certificate_number}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    "/api/v1/certificates/:certificateId/revoke",
    {
      config: { access: { permission: "certificates:manage" } },
      schema: {
        tags,
        summary: "Revoke a certificate (verification then shows it revoked, with the reason)",
        params: idParam("certificateId"),
        body: z.object({ reason: z.string().trim().min(3).max(1000) }),
        response: { 200: envelope(certificateSchema) },
      },
    },
    async (request) => {
      const cert = await revokeCertificate(
        request.ctx,
        request.params.certificateId,
        request.body.reason,
      );
      return ok(presentCertificate(cert, request.ctx.config.publicUrl, request.ctx.clock.now()));
    },
  );

  app.post(
    "/api/v1/enrollments/:enrollmentId/certificate",
    {
      config: { access: { permission: "certificates:manage" } },
      schema: {
        tags,
        summary: "Issue the certificate of a completed enrollment",
        description:
          "For courses that do not issue automatically, or to reissue after a revocation. Returns the live certificate when there is one.",
        params: idParam("enrollmentId"),
        response: { 201: envelope(certificateSchema) },
      },
    },
    async (request, reply) => {
      await visibleEnrollment(request.ctx, request.params.enrollmentId, "certificates:manage");
      const cert = await issueCertificate(request.ctx, request.params.enrollmentId, {
        automatic: false,
      });
      if (!cert) throw new AppError("UNPROCESSABLE", "No certificate was issued");
      reply.code(201);
      return ok(presentCertificate(cert, request.ctx.config.publicUrl, request.ctx.clock.now()));
    },
  );

  app.get(
    "/api/v1/courses/:courseId/certificates",
    {
      config: { access: { permission: "certificates:read" } },
      schema: {
        tags,
        summary: "Certificates issued for a course",
        description:
          "The course team sees all; organization readers those of the people they reach. Learners who keep their certificates from others (privacy settings) are left out.",
        params: idParam("courseId"),
        response: { 200: envelope(z.array(certificateSchema)) },
      },
    },
    async (request) => {
      const ctx = request.ctx;
      const course = await visibleCourse(ctx, request.params.courseId);
      const access = await ctx.actor.access();
      const team = await courseTeam(ctx, course);
      const whole = ["certificates:read", "certificates:manage"].some((ability) =>
        can(access, ability as "certificates:read", {
          organizationId: course.organization_id,
          assigneeIds: [team.instructorId, ...team.staff],
        }),
      );
      let q = ctx.db.selectFrom("certificates").selectAll().where("course_id", "=", course.id);
      if (!whole) {
        const { organizations, learners } = await reachableLearners(
          ctx,
          access,
          "certificates:read",
        );
        q = q.where((eb) =>
          eb.or([
            ...(organizations.length ? [eb("organization_id", "in", organizations)] : []),
            ...(learners.length ? [eb("user_id", "in", learners)] : []),
            eb.val(false),
          ]),
        );
      }
      const rows = await q.orderBy("issued_at", "desc").limit(1000).execute();
      const now = ctx.clock.now();
      // Learners who keep their certificates from others, or whose processing is restricted in
      // the certificate's organization, are left out (docs/privacy.md).
      const privacy = await privacyForViewer(
        ctx,
        rows.map((c) => c.user_id),
      );
      const restriction = await restrictionsForViewer(
        ctx,
        rows.map((c) => ({ userId: c.user_id, organizationId: c.organization_id })),
      );
      return ok(
        rows
          .filter(
            (c) =>
              !privacy.hides(c.user_id, "certificates") &&
              !restriction.restricted(c.user_id, c.organization_id),
          )
          .map((c) => presentCertificate(c, ctx.config.publicUrl, now)),
      );
    },
  );

  app.get(
    "/api/v1/courses/:courseId/certificate-settings",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "How a course issues certificates",
        params: idParam("courseId"),
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) => {
      await visibleCourse(request.ctx, request.params.courseId);
      return ok(presentSettings(await settingsOf(request.ctx, request.params.courseId)));
    },
  );

  app.put(
    "/api/v1/courses/:courseId/certificate-settings",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Turn automatic certificates on or off, set validity, title and signatory",
        params: idParam("courseId"),
        body: z
          .object({
            enabled: z.boolean(),
            validityDays: z.number().int().min(1).max(3650).nullable(),
            title: z.string().trim().min(1).max(200).nullable(),
            signatoryName: z.string().trim().min(1).max(200).nullable(),
            signatoryTitle: z.string().trim().min(1).max(200).nullable(),
          })
          .partial()
          .strict(),
        response: { 200: envelope(settingsSchema) },
      },
    },
    async (request) =>
      ok(presentSettings(await updateSettings(request.ctx, request.params.courseId, request.body))),
  );

  // Public: anyone holding a certificate number can check it, and badge verifiers follow the
  // Open Badges documents.

  app.get(
    "/api/v1/certificates/:number/verify",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "Verify a certificate by its number (public)",
        description: "Shows whether it is valid, expired or revoked (with the reason).",
        params: numberParam,
        response: { 200: envelope(verificationSchema) },
      },
    },
    async (request) => {
      const cert = await certificateByNumber(request.ctx, request.params.number);
      if (!cert) throw new AppError("NOT_FOUND", "No certificate has this number");
      return ok({
        number: cert.certificate_number,
        status: statusOf(cert, request.ctx.clock.now()),
        recipientName: cert.recipient_name,
        courseTitle: cert.course_title,
        issuerName: cert.issuer_name,
        issuedAt: cert.issued_at.toISOString(),
        expiresAt: cert.expires_at?.toISOString() ?? null,
        revokedAt: cert.revoked_at?.toISOString() ?? null,
        revokedReason: cert.revoked_reason,
        assertionUrl: certificateUrls(request.ctx.config.publicUrl, cert.certificate_number)
          .assertion,
      });
    },
  );

  app.get(
    "/api/v1/certificates/:number/assertion",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "The Open Badges 2.0 assertion (JSON-LD, public)",
        description:
          "A hosted assertion: its `id` is this URL. A revoked certificate answers 410 with `revoked: true` and the reason, as the standard asks.",
        params: numberParam,
        response: {
          200: jsonLd,
          410: z.object({ id: z.string(), revoked: z.literal(true), revocationReason: z.string() }),
        },
      },
    },
    async (request, reply) => {
      const cert = await certificateByNumber(request.ctx, request.params.number);
      if (!cert) throw new AppError("NOT_FOUND", "No certificate has this number");
      const id = certificateUrls(request.ctx.config.publicUrl, cert.certificate_number).assertion;
      reply.type("application/ld+json");
      if (cert.revoked_at) {
        reply.code(410);
        return { id, revoked: true as const, revocationReason: cert.revoked_reason ?? "" };
      }
      return cert.badge_data as Record<string, unknown>;
    },
  );

  app.get(
    "/api/v1/badges/courses/:courseId",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "A course's Open Badges 2.0 BadgeClass (public once a certificate is issued)",
        params: idParam("courseId"),
        response: { 200: jsonLd },
      },
    },
    async (request, reply) => {
      const course = await issuedCourse(request.ctx, request.params.courseId);
      const urls = badgeUrls(request.ctx.config.publicUrl, course.id, course.organization_id);
      reply.type("application/ld+json");
      return badgeClass({
        id: urls.badge,
        name: `${course.title} Completion`,
        description: course.description,
        image: urls.image,
        criteria: `Completed every lesson of ${course.title}.`,
        issuer: urls.issuer,
        tags: course.tags,
      });
    },
  );

  app.get(
    "/api/v1/badges/courses/:courseId/image.png",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: "A course's badge image (PNG, public once a certificate is issued)",
        params: idParam("courseId"),
        produces: ["image/png"],
      },
    },
    async (request, reply) => {
      const course = await issuedCourse(request.ctx, request.params.courseId);
      return reply
        .type("image/png")
        .header("cache-control", "public, max-age=86400")
        .send(await badgeImage(course.title, course.code));
    },
  );

  app.get(
    "/api/v1/badges/issuers/:issuerId",
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary:
          "An issuer's Open Badges 2.0 Profile (`platform`, or an organization that has issued)",
        params: z.object({ issuerId: z.union([z.literal("platform"), z.uuid()]) }),
        response: { 200: jsonLd },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const base = ctx.config.publicUrl;
      const id = `${base}/api/v1/badges/issuers/${request.params.issuerId}`;
      reply.type("application/ld+json");
      if (request.params.issuerId === "platform") {
        const platform = await issuerOf(ctx, null);
        return issuerProfile(id, platform.name, base, platform.email);
      }
      const org = await ctx.db
        .selectFrom("organizations as o")
        .select("o.id")
        .where("o.id", "=", request.params.issuerId)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("certificates as c")
              .innerJoin("courses as k", "k.id", "c.course_id")
              .select("c.id")
              .whereRef("k.organization_id", "=", "o.id"),
          ),
        )
        .executeTakeFirst();
      if (!org) throw new AppError("NOT_FOUND", "No such issuer");
      const issuer = await issuerOf(ctx, org.id);
      return issuerProfile(id, issuer.name, base, issuer.email);
    },
  );
}

/** A course that has issued a certificate: its badge is public from then on; others stay private. */
async function issuedCourse(ctx: Ctx, courseId: string) {
  const course = await ctx.db
    .selectFrom("courses as k")
    .select(["k.id", "k.title", "k.code", "k.description", "k.tags", "k.organization_id"])
    .where("k.id", "=", courseId)
    .where((eb) =>
      eb.exists(
        eb.selectFrom("certificates as c").select("c.id").whereRef("c.course_id", "=", "k.id"),
      ),
    )
    .executeTakeFirst();
  if (!course) throw new AppError("NOT_FOUND", "No badge is issued for this course");
  return course;
}
