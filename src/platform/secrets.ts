import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Secrets Lyceum must keep and later use in clear (an integration's API token, OAuth client
 * secret or password), sealed at rest with AES-256-GCM.
 *
 * The key is derived from the deployment secret (`LYCEUM_SECRET`) with HKDF-SHA256, so no
 * second secret has to be managed; a key id derived the same way (under another label) is
 * written with every ciphertext. After the deployment secret changes, the old one is listed in
 * `LYCEUM_SECRET_PREVIOUS`: ciphertexts are opened with whichever key their id names, new ones
 * are always sealed with the current key, and `needsRotation` finds the ones to re-seal.
 *
 * A sealed value reads `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts). The caller
 * names a context (`lms-integration:<id>`) that is authenticated with the data, so a ciphertext
 * copied onto another row does not open there.
 */

const VERSION = "v1";
const SALT = Buffer.from("lyceum/secret-box/v1");

export class SecretError extends Error {
  constructor(
    readonly reason: "unknown-key" | "malformed" | "tampered",
    message: string,
  ) {
    super(message);
    this.name = "SecretError";
  }
}

interface Key {
  id: string;
  key: Buffer;
}

function deriveKey(secret: string): Key {
  const material = Buffer.from(secret, "utf8");
  const key = Buffer.from(hkdfSync("sha256", material, SALT, "aes-256-gcm key", 32));
  const id = Buffer.from(hkdfSync("sha256", material, SALT, "key id", 6)).toString("hex");
  return { id, key };
}

export class SecretBox {
  private readonly current: Key;
  private readonly keys = new Map<string, Key>();

  /** `current` seals; `previous` (older deployment secrets) only open. */
  constructor(current: string, previous: readonly string[] = []) {
    this.current = deriveKey(current);
    for (const secret of [current, ...previous]) {
      const k = deriveKey(secret);
      if (!this.keys.has(k.id)) this.keys.set(k.id, k);
    }
  }

  /** The id of the key new values are sealed with. */
  get keyId(): string {
    return this.current.id;
  }

  /** Encrypts `plaintext`, bound to `context`. Each call uses a fresh random IV. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [
      VERSION,
      this.current.id,
      iv.toString("base64url"),
      body.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
    ].join(".");
  }

  /** Decrypts a sealed value with the key its id names; throws SecretError when it cannot. */
  open(sealed: string, context: string): string {
    const [version, keyId, iv, body, tag, ...rest] = sealed.split(".");
    if (version !== VERSION || !keyId || !iv || body === undefined || !tag || rest.length)
      throw new SecretError("malformed", "The stored secret is not in a form Lyceum reads");
    const key = this.keys.get(keyId);
    if (!key)
      throw new SecretError(
        "unknown-key",
        `The stored secret was encrypted with key ${keyId}, which this deployment does not hold; list the secret it came from in LYCEUM_SECRET_PREVIOUS`,
      );
    try {
      const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(body, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new SecretError("tampered", "The stored secret does not verify under its key");
    }
  }

  /** The key id a sealed value names (null when it is not a sealed value). */
  keyIdOf(sealed: string): string | null {
    const [version, keyId] = sealed.split(".");
    return version === VERSION && keyId ? keyId : null;
  }

  /** Whether a sealed value was made with another key than the current one. */
  needsRotation(sealed: string): boolean {
    return this.keyIdOf(sealed) !== this.current.id;
  }
}
