import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A random, URL-safe token with `bytes` bytes of entropy, optionally prefixed (`lyk_…`). */
export function randomToken(bytes = 32, prefix = ""): string {
  return prefix + randomBytes(bytes).toString("base64url");
}

/** SHA-256 hex digest: how single-use tokens and API keys are stored. */
export function sha256(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}

export function hmac(secret: string, value: string): string {
  return createHmac("sha256", secret).update(value).digest("base64url");
}

/** Compares two strings in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
