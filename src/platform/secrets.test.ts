import { describe, expect, it } from "vitest";
import { SecretBox, SecretError } from "./secrets.js";

const CURRENT = "the-current-deployment-secret-0123456789";
const OLD = "the-previous-deployment-secret-987654321";

describe("sealed secrets", () => {
  it("seal with a fresh IV and open only in their own context", () => {
    const box = new SecretBox(CURRENT);
    const a = box.seal("s3cret", "lms-integration:1");
    const b = box.seal("s3cret", "lms-integration:1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("s3cret");
    expect(a.split(".")).toHaveLength(5);
    expect(box.keyIdOf(a)).toBe(box.keyId);
    expect(box.open(a, "lms-integration:1")).toBe("s3cret");
    expect(() => box.open(a, "lms-integration:2")).toThrow(SecretError);
  });

  it("refuse tampered and malformed values", () => {
    const box = new SecretBox(CURRENT);
    const parts = box.seal("s3cret", "c").split(".");
    const body = Buffer.from(parts[3] as string, "base64url");
    body[0] = (body[0] as number) ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => box.open(parts.join("."), "c")).toThrow(/does not verify/);
    expect(() => box.open("plain text", "c")).toThrow(/not in a form/);
  });

  it("derive a stable key id per secret, and open older keys after a rotation", () => {
    const old = new SecretBox(OLD);
    expect(new SecretBox(OLD).keyId).toBe(old.keyId);
    expect(old.keyId).not.toBe(new SecretBox(CURRENT).keyId);
    expect(old.keyId).toMatch(/^[0-9a-f]{12}$/);
    const sealed = old.seal("kept", "c");
    expect(() => new SecretBox(CURRENT).open(sealed, "c")).toThrow(/LYCEUM_SECRET_PREVIOUS/);
    const rotated = new SecretBox(CURRENT, [OLD]);
    expect(rotated.open(sealed, "c")).toBe("kept");
    expect(rotated.needsRotation(sealed)).toBe(true);
    const resealed = rotated.seal("kept", "c");
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(rotated.keyIdOf(resealed)).toBe(new SecretBox(CURRENT).keyId);
  });
});
