import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The signature of a webhook delivery, inbound (docs/integrations-webhooks.md) and outbound
 * (docs/webhooks.md), in the scheme Stripe uses:
 * `Lyceum-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. Several
 * `v1` may be given (one per secret while the sender rotates); one matching is enough. The
 * timestamp must be within SIGNATURE_TOLERANCE_S of Lyceum's clock, so a captured delivery
 * cannot be replayed later.
 */

export const SIGNATURE_HEADER = "lyceum-signature";
export const DELIVERY_HEADER = "lyceum-delivery";
/** How far the signed timestamp may be from now, either way, in seconds. */
export const SIGNATURE_TOLERANCE_S = 300;

/** The HMAC of one timestamp and body under one secret, in hex. */
export function computeSignature(secret: string, timestamp: number, rawBody: Buffer | string) {
  return createHmac("sha256", secret)
    .update(`${timestamp}.`, "utf8")
    .update(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody)
    .digest("hex");
}

/** The `Lyceum-Signature` header for a body sent at `at` (senders, tests, the docs' example). */
export function signatureHeader(
  secrets: string | string[],
  rawBody: Buffer | string,
  at: Date,
): string {
  const t = Math.floor(at.getTime() / 1000);
  const list = Array.isArray(secrets) ? secrets : [secrets];
  return [`t=${t}`, ...list.map((s) => `v1=${computeSignature(s, t, rawBody)}`)].join(",");
}

/** Reads `t=…,v1=…[,v1=…]`; null when it is not of that form. */
export function parseSignatureHeader(
  header: unknown,
): { timestamp: number; signatures: Buffer[] } | null {
  if (typeof header !== "string" || header.length > 2000) return null;
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value))
      signatures.push(Buffer.from(value, "hex"));
  }
  if (timestamp === null || !signatures.length || signatures.length > 8) return null;
  return { timestamp, signatures };
}

/**
 * Whether the header signs `rawBody` under one of `secrets` with a timestamp inside the
 * window around `now`. Every comparison is made in constant time, and every candidate is
 * compared, so the time taken says nothing about which part failed.
 */
export function verifySignature(
  secrets: readonly string[],
  rawBody: Buffer,
  header: unknown,
  now: Date,
): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  const fresh = Math.abs(now.getTime() / 1000 - parsed.timestamp) <= SIGNATURE_TOLERANCE_S;
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, parsed.timestamp, rawBody), "hex");
    for (const given of parsed.signatures)
      if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched && fresh;
}
