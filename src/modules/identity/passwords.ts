import { hash, verify } from "@node-rs/argon2";

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

const COMMON = new Set([
  "password1!",
  "password123!",
  "p@ssw0rd",
  "p@ssword1",
  "qwerty123!",
  "welcome1!",
  "letmein1!",
  "admin123!",
  "changeme1!",
  "iloveyou1!",
]);

/**
 * Seed 002's password policy: at least 8 characters with upper and lower case letters, a
 * digit and a special character; at most 128; not a well-known password and not the email.
 * Returns what is missing, empty when the password is acceptable.
 */
export function passwordProblems(password: string, context: { email?: string } = {}): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push("at least 8 characters");
  if (password.length > 128) problems.push("at most 128 characters");
  if (!/[a-z]/.test(password)) problems.push("a lowercase letter");
  if (!/[A-Z]/.test(password)) problems.push("an uppercase letter");
  if (!/[0-9]/.test(password)) problems.push("a number");
  if (!/[^A-Za-z0-9]/.test(password)) problems.push("a special character");
  if (COMMON.has(password.toLowerCase())) problems.push("not a commonly used password");
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) {
    problems.push("not containing your email address");
  }
  return problems;
}
