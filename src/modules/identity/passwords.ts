import { hash, verify } from "@node-rs/argon2";
import { PASSWORD_RULES } from "./password-policy.js";

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes). */
// algorithm 2 is Argon2id (the package exports it as an ambient const enum)
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (!passwordHash) {
    // Spend the same time as a real check so timing does not reveal missing accounts.
    await hash(password, OPTIONS);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, compared against when the account does not exist. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}

/**
 * Seed 002's password policy (password-policy.ts): at least 8 characters with upper and lower
 * case letters, a digit and a special character; at most 128; not a well-known password and
 * not the email. Returns what is missing, empty when the password is acceptable.
 */
export function passwordProblems(password: string, context: { email?: string } = {}): string[] {
  return PASSWORD_RULES.filter((rule) => !rule.met(password, context)).map((rule) => rule.text);
}
