import { createHash, randomBytes } from "node:crypto";
import sharp from "sharp";
import { escapeHtml } from "../../platform/mail/layout.js";

/**
 * Open Badges 2.0 (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html):
 * hosted assertions whose `id` is their own public URL, a BadgeClass per course and an issuer
 * Profile, all served by Lyceum so any badge verifier can follow them.
 */

export const OB_CONTEXT = "https://w3id.org/openbadges/v2";

export function badgeUrls(publicUrl: string, courseId: string, organizationId: string | null) {
  const api = `${publicUrl}/api/v1`;
  return {
    issuer: `${api}/badges/issuers/${organizationId ?? "platform"}`,
    badge: `${api}/badges/courses/${courseId}`,
    image: `${api}/badges/courses/${courseId}/image.png`,
  };
}

export function certificateUrls(publicUrl: string, number: string) {
  const api = `${publicUrl}/api/v1`;
  return {
    assertion: `${api}/certificates/${number}/assertion`,
    // The web app's public page; the JSON answer is GET /api/v1/certificates/{number}/verify.
    verification: `${publicUrl}/verify/${number}`,
  };
}

/** An issuer Profile; Open Badges 2.0 requires its name, url and email. */
export function issuerProfile(id: string, name: string, url: string, email: string) {
  return { "@context": OB_CONTEXT, type: "Issuer", id, name, url, email };
}

export function badgeClass(input: {
  id: string;
  name: string;
  description: string;
  image: string;
  criteria: string;
  issuer: string;
  tags?: string[];
}) {
  return {
    "@context": OB_CONTEXT,
    type: "BadgeClass",
    id: input.id,
    name: input.name,
    description: input.description,
    image: input.image,
    criteria: { narrative: input.criteria },
    issuer: input.issuer,
    ...(input.tags?.length ? { tags: input.tags } : {}),
  };
}

/** A hosted assertion; the recipient's email is salted and hashed, never published. */
export function assertion(input: {
  id: string;
  email: string;
  badge: ReturnType<typeof badgeClass>;
  issuer: ReturnType<typeof issuerProfile>;
  issuedOn: Date;
  expires: Date | null;
  evidence: string;
  name: string;
  description: string;
}) {
  const salt = randomBytes(8).toString("hex");
  const identity = `sha256$${createHash("sha256")
    .update(input.email.toLowerCase() + salt)
    .digest("hex")}`;
  return {
    "@context": OB_CONTEXT,
    type: "Assertion",
    id: input.id,
    recipient: { type: "email", hashed: true, salt, identity },
    // Embedded so the assertion reads on its own; both also resolve at their ids.
    badge: { ...input.badge, issuer: input.issuer },
    verification: { type: "hosted" },
    issuedOn: input.issuedOn.toISOString(),
    ...(input.expires ? { expires: input.expires.toISOString() } : {}),
    evidence: input.evidence,
    // seed 001 badgeData fields, kept at the top level too
    name: input.name,
    description: input.description,
    image: input.badge.image,
    criteria: input.badge.criteria,
  };
}

/** Checks that a recipient email matches an assertion's hashed identity. */
export function recipientMatches(
  recipient: { salt: string; identity: string },
  email: string,
): boolean {
  const expected = `sha256$${createHash("sha256")
    .update(email.toLowerCase() + recipient.salt)
    .digest("hex")}`;
  return expected === recipient.identity;
}

/** A round badge image for a course, as PNG (rendered from SVG). */
export async function badgeImage(title: string, code: string): Promise<Buffer> {
  const words = title.split(/\s+/);
  const lines: string[] = [];
  for (const word of words) {
    const last = lines[lines.length - 1];
    if (last && `${last} ${word}`.length <= 16) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const shown = lines.slice(0, 3);
  const text = shown
    .map(
      (l, i) =>
        `<text x="200" y="${195 + (i - (shown.length - 1) / 2) * 34}" font-size="28" text-anchor="middle" font-family="sans-serif" font-weight="bold" fill="#ffffff">${escapeHtml(l)}</text>`,
    )
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">
<circle cx="200" cy="200" r="190" fill="#1f4e79"/>
<circle cx="200" cy="200" r="170" fill="none" stroke="#f2c14e" stroke-width="8"/>
${text}
<text x="200" y="310" font-size="20" text-anchor="middle" font-family="sans-serif" fill="#f2c14e">${escapeHtml(code)}</text>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
