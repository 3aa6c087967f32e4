import { randomInt } from "node:crypto";
import { audit } from "../../platform/audit/audit.js";
import { type AppEvents, type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { authorize, can } from "../../platform/policy/engine.js";
import { privacyForViewer } from "../access/learner-privacy.js";
import { certificationPending } from "../assessments/results.js";
import { courseForChange } from "../catalog/policy.js";
import { enrollmentTarget } from "../enrollment/manage.js";
import { recordEvents, requestContext } from "../events/record.js";
import { notify } from "../notifications/notify.js";
import { assertion, badgeClass, badgeUrls, certificateUrls, issuerProfile } from "./badge.js";
import { renderCertificatePdf } from "./pdf.js";
import type { CertificateRow, CertificateSettingsRow } from "./schema.js";

/**
 * Certificates (seed 002 certificates, seed 001 issueCertificate): issued when an enrollment
 * completes (unless the course turns them off), numbered, with a stored PDF and an Open Badges
 * 2.0 assertion at a public URL; expiry and revocation show on verification.
 */

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function certificateNumber(now: Date): string {
  const code = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `LYC-${now.getUTCFullYear()}-${code}`;
}

export type CertificateStatus = "valid" | "expired" | "revoked";

export function statusOf(cert: CertificateRow, now: Date): CertificateStatus {
  if (cert.revoked_at) return "revoked";
  if (cert.expires_at && cert.expires_at <= now) return "expired";
  return "valid";
}

/** LinkedIn links: share the verification page, or add the certification to a profile. */
export function linkedInUrls(cert: CertificateRow, verificationUrl: string) {
  const add = new URL("https://www.linkedin.com/profile/add");
  add.searchParams.set("startTask", "CERTIFICATION_NAME");
  add.searchParams.set("name", cert.course_title);
  add.searchParams.set("organizationName", cert.issuer_name);
  add.searchParams.set("issueYear", String(cert.issued_at.getUTCFullYear()));
  add.searchParams.set("issueMonth", String(cert.issued_at.getUTCMonth() + 1));
  if (cert.expires_at) {
    add.searchParams.set("expirationYear", String(cert.expires_at.getUTCFullYear()));
    add.searchParams.set("expirationMonth", String(cert.expires_at.getUTCMonth() + 1));
  }
  add.searchParams.set("certUrl", verificationUrl);
  add.searchParams.set("certId", cert.certificate_number);
  return {
    share: `https://www.linkedin.com/sharing/share-offsite/?url=${encodeURIComponent(verificationUrl)}`,
    addToProfile: add.toString(),
  };
}

export async function settingsOf(
  ctx: Ctx,
  courseId: string,
): Promise<Omit<CertificateSettingsRow, "created_at" | "updated_at" | "updated_by">> {
  const row = await ctx.db
    .selectFrom("certificate_settings")
    .selectAll()
    .where("course_id", "=", courseId)
    .executeTakeFirst();
  return (
    row ?? {
      course_id: courseId,
      enabled: true,
      validity_days: null,
      title: null,
      signatory_name: null,
      signatory_title: null,
    }
  );
}

export async function updateSettings(
  ctx: Ctx,
  courseId: string,
  patch: {
    enabled?: boolean;
    validityDays?: number | null;
    title?: string | null;
    signatoryName?: string | null;
    signatoryTitle?: string | null;
  },
) {
  const course = await courseForChange(ctx, courseId);
  const before = await settingsOf(ctx, courseId);
  const next = {
    enabled: patch.enabled ?? before.enabled,
    validity_days: patch.validityDays !== undefined ? patch.validityDays : before.validity_days,
    title: patch.title !== undefined ? patch.title : before.title,
    signatory_name: patch.signatoryName !== undefined ? patch.signatoryName : before.signatory_name,
    signatory_title:
      patch.signatoryTitle !== undefined ? patch.signatoryTitle : before.signatory_title,
  };
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    await tx.db
      .insertInto("certificate_settings")
      .values({
        course_id: courseId,
        ...next,
        updated_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("course_id").doUpdateSet({ ...next }))
      .execute();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "certificate-settings.update",
      entityType: "course",
      entityId: courseId,
      before,
      after: next,
    });
    return settingsOf(tx, courseId);
  });
}

/**
 * Who issues an organization's (or, with null, the platform's) certificates: its name and the
 * contact address its Open Badges profile must carry (the organization's contact email, else
 * the platform's).
 */
export async function issuerOf(
  ctx: Ctx,
  organizationId: string | null,
): Promise<{ name: string; email: string }> {
  const platform = { name: ctx.config.certificateIssuer, email: ctx.config.certificateIssuerEmail };
  if (!organizationId) return platform;
  const org = await ctx.db
    .selectFrom("organizations")
    .select(["name", "contact_email"])
    .where("id", "=", organizationId)
    .executeTakeFirstOrThrow();
  return { name: org.name, email: org.contact_email ?? platform.email };
}

/**
 * Issues the certificate of a completed enrollment. Idempotent: an enrollment with a live
 * certificate gets that one back. With `automatic`, a course that turned certificates off gets
 * none.
 */
export async function issueCertificate(
  ctx: Ctx,
  enrollmentId: string,
  options: { automatic: boolean },
): Promise<CertificateRow | null> {
  return inTransaction(ctx, async (tx) => {
    const enrollment = await tx.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", enrollmentId)
      .forUpdate()
      .executeTakeFirst();
    if (!enrollment) throw new AppError("NOT_FOUND", "Enrollment not found");
    if (enrollment.status !== "completed")
      throw new AppError("UNPROCESSABLE", "Certificates are issued for completed enrollments");
    const live = await tx.db
      .selectFrom("certificates")
      .selectAll()
      .where("enrollment_id", "=", enrollmentId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (live) return live;
    const settings = await settingsOf(tx, enrollment.course_id);
    if (options.automatic && !settings.enabled) return null;

    const [user, course] = await Promise.all([
      tx.db
        .selectFrom("users")
        .select(["first_name", "last_name", "email"])
        .where("id", "=", enrollment.user_id)
        .executeTakeFirstOrThrow(),
      tx.db
        .selectFrom("courses")
        .selectAll()
        .where("id", "=", enrollment.course_id)
        .executeTakeFirstOrThrow(),
    ]);
    const { name: issuerName, email: issuerEmail } = await issuerOf(tx, course.organization_id);
    const now = tx.clock.now();
    const number = certificateNumber(now);
    const expiresAt = settings.validity_days
      ? new Date(now.getTime() + settings.validity_days * 86_400_000)
      : null;
    const base = tx.config.publicUrl;
    const urls = {
      ...badgeUrls(base, course.id, course.organization_id),
      ...certificateUrls(base, number),
    };
    const recipient = `${user.first_name} ${user.last_name}`.trim();
    const issuer = issuerProfile(urls.issuer, issuerName, base, issuerEmail);
    const badge = badgeClass({
      id: urls.badge,
      name: `${course.title} Completion`,
      description: course.description ?? `Completed ${course.title}`,
      image: urls.image,
      criteria: `Completed every lesson of ${course.title}${course.delivery === "cohort-based" ? " in its cohort" : ""}.`,
      issuer: urls.issuer,
      tags: course.tags,
    });
    const badgeData = assertion({
      id: urls.assertion,
      email: user.email,
      badge,
      issuer,
      issuedOn: now,
      expires: expiresAt,
      evidence: urls.verification,
      name: badge.name,
      description: `Completed ${course.title} on ${now.toISOString().slice(0, 10)}`,
    });
    const pdf = await renderCertificatePdf({
      number,
      title: settings.title ?? "Certificate of Completion",
      recipient,
      course: course.title,
      issuer: issuerName,
      issuedAt: now,
      expiresAt,
      verificationUrl: urls.verification,
      signatoryName: settings.signatory_name,
      signatoryTitle: settings.signatory_title,
    });
    const pdfKey = `certificates/${course.id}/${number}.pdf`;
    await tx.storage.put(pdfKey, pdf, "application/pdf");
    const cert = await tx.db
      .insertInto("certificates")
      .values({
        certificate_number: number,
        enrollment_id: enrollment.id,
        user_id: enrollment.user_id,
        course_id: course.id,
        cohort_id: enrollment.cohort_id,
        organization_id: enrollment.organization_id ?? course.organization_id,
        recipient_name: recipient,
        course_title: course.title,
        issuer_name: issuerName,
        issued_at: now,
        expires_at: expiresAt,
        badge_data: JSON.stringify(badgeData),
        pdf_key: pdfKey,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: cert.organization_id,
      action: "certificate.issue",
      entityType: "certificate",
      entityId: cert.id,
      after: { number, enrollment_id: enrollment.id, automatic: options.automatic },
    });
    await recordEvents(tx, [
      {
        type: "certificate-issued",
        learnerId: enrollment.user_id,
        organizationId: enrollment.organization_id,
        courseId: course.id,
        cohortId: enrollment.cohort_id,
        enrollmentId: enrollment.id,
        data: { certificateNumber: number },
        context: requestContext(tx),
      },
    ]);
    await notify(tx, {
      userId: enrollment.user_id,
      organizationId: cert.organization_id,
      type: "certificate-issued",
      variables: { courseTitle: course.title, certificateNumber: number },
      data: { certificateId: cert.id, number },
      actionPath: `/certificates/${cert.id}`,
    });
    await tx.events.emit(tx, "certificate.issued", {
      certificateId: cert.id,
      certificateNumber: cert.certificate_number,
      enrollmentId: enrollment.id,
      userId: cert.user_id,
      courseId: cert.course_id,
      organizationId: cert.organization_id,
      expiresAt: cert.expires_at?.toISOString() ?? null,
    });
    return cert;
  });
}

/**
 * Certificates issue themselves when an enrollment completes. A course with a published
 * certification quiz certifies those who complete it and pass that quiz, in either order.
 */
export function subscribeCertificates(events: AppEvents): void {
  events.on("enrollment.completed", async (ctx, { enrollmentId }) => {
    const enrollment = await ctx.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", enrollmentId)
      .executeTakeFirstOrThrow();
    if (await certificationPending(ctx, enrollment)) return;
    await issueCertificate(ctx, enrollmentId, { automatic: true });
  });
  events.on("quiz.certification-passed", async (ctx, { enrollmentId }) => {
    const enrollment = await ctx.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", enrollmentId)
      .executeTakeFirstOrThrow();
    if (enrollment.status !== "completed" || (await certificationPending(ctx, enrollment))) return;
    await issueCertificate(ctx, enrollmentId, { automatic: true });
  });
}

/**
 * A certificate the actor may see (`certificates:read` over its learner, and not kept from them
 * by the holder's privacy settings), or NOT_FOUND; with `certificates:manage`, one they manage.
 */
export async function visibleCertificate(
  ctx: Ctx,
  certificateId: string,
  ability: "certificates:read" | "certificates:manage" = "certificates:read",
): Promise<CertificateRow> {
  const cert = await ctx.db
    .selectFrom("certificates")
    .selectAll()
    .where("id", "=", certificateId)
    .executeTakeFirst();
  if (!cert) throw new AppError("NOT_FOUND", "Certificate not found");
  const access = await ctx.actor.access();
  const target = await enrollmentTarget(ctx, {
    user_id: cert.user_id,
    course_id: cert.course_id,
    cohort_id: cert.cohort_id,
    organization_id: cert.organization_id,
  });
  if (!can(access, "certificates:read", target) && !can(access, "certificates:manage", target))
    throw new AppError("NOT_FOUND", "Certificate not found");
  if (ability === "certificates:manage") authorize(access, "certificates:manage", target);
  // A holder who keeps their certificates from others, or whose processing is restricted in
  // the certificate's organization: read as absent, as in the course's list (docs/privacy.md);
  // public verification by number is the holder's own choice to share.
  else if (
    (await privacyForViewer(ctx, [cert.user_id], cert.organization_id)).hides(
      cert.user_id,
      "certificates",
    )
  )
    throw new AppError("NOT_FOUND", "Certificate not found");
  return cert;
}

export async function revokeCertificate(
  ctx: Ctx,
  certificateId: string,
  reason: string,
): Promise<CertificateRow> {
  await visibleCertificate(ctx, certificateId, "certificates:manage");
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("certificates")
      .selectAll()
      .where("id", "=", certificateId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.revoked_at)
      throw new AppError("UNPROCESSABLE", "The certificate is already revoked");
    const cert = await tx.db
      .updateTable("certificates")
      .set({
        revoked_at: tx.clock.now(),
        revoked_reason: reason,
        revoked_by: tx.actor.kind === "user" ? tx.actor.userId : null,
      })
      .where("id", "=", certificateId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: cert.organization_id,
      action: "certificate.revoke",
      entityType: "certificate",
      entityId: cert.id,
      before: { revoked: false },
      after: { revoked: true, reason },
    });
    await tx.events.emit(tx, "certificate.revoked", {
      certificateId: cert.id,
      certificateNumber: cert.certificate_number,
      userId: cert.user_id,
      courseId: cert.course_id,
      organizationId: cert.organization_id,
      reason,
    });
    return cert;
  });
}

/**
 * The certificate's PDF: the file stored at issue, or, once revoked, the same certificate
 * printed again with the revocation across it and no claim of validity (as its verification
 * page says). Title and signatory come from the course's current certificate settings.
 */
export async function certificatePdf(ctx: Ctx, cert: CertificateRow): Promise<Buffer | null> {
  if (!cert.revoked_at) return ctx.storage.get(cert.pdf_key);
  const settings = await settingsOf(ctx, cert.course_id);
  return renderCertificatePdf({
    number: cert.certificate_number,
    title: settings.title ?? "Certificate of Completion",
    recipient: cert.recipient_name,
    course: cert.course_title,
    issuer: cert.issuer_name,
    issuedAt: cert.issued_at,
    expiresAt: cert.expires_at,
    verificationUrl: certificateUrls(ctx.config.publicUrl, cert.certificate_number).verification,
    signatoryName: settings.signatory_name,
    signatoryTitle: settings.signatory_title,
    revoked: { at: cert.revoked_at, reason: cert.revoked_reason },
  });
}

export async function certificateByNumber(
  ctx: Ctx,
  number: string,
): Promise<CertificateRow | undefined> {
  return ctx.db
    .selectFrom("certificates")
    .selectAll()
    .where("certificate_number", "=", number.trim().toUpperCase())
    .executeTakeFirst();
}
