/**
 * Seed 002's password policy, in one place for the server (which decides) and the web app's
 * sign-up and reset forms (which show each rule as it is met). No imports, so the browser
 * build can take it as it is.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Well-known passwords refused whatever their mix of characters. */
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

export interface PasswordRule {
  /** Stable key; the web app translates it (`auth:password.rules.<key>`). */
  key:
    | "minLength"
    | "maxLength"
    | "lowercase"
    | "uppercase"
    | "digit"
    | "special"
    | "notCommon"
    | "notEmail";
  /** What the server's WEAK_PASSWORD message says is missing. */
  text: string;
  /** Rules shown only once broken (a too-long or well-known password, the email inside it). */
  hidden?: boolean;
  met(password: string, context: { email?: string }): boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    key: "minLength",
    text: `at least ${PASSWORD_MIN_LENGTH} characters`,
    met: (p) => p.length >= PASSWORD_MIN_LENGTH,
  },
  {
    key: "maxLength",
    text: `at most ${PASSWORD_MAX_LENGTH} characters`,
    hidden: true,
    met: (p) => p.length <= PASSWORD_MAX_LENGTH,
  },
  { key: "lowercase", text: "a lowercase letter", met: (p) => /[a-z]/.test(p) },
  { key: "uppercase", text: "an uppercase letter", met: (p) => /[A-Z]/.test(p) },
  { key: "digit", text: "a number", met: (p) => /[0-9]/.test(p) },
  { key: "special", text: "a special character", met: (p) => /[^A-Za-z0-9]/.test(p) },
  {
    key: "notCommon",
    text: "not a commonly used password",
    hidden: true,
    met: (p) => !COMMON.has(p.toLowerCase()),
  },
  {
    key: "notEmail",
    text: "not containing your email address",
    hidden: true,
    met: (p, { email }) => {
      const local = email?.split("@")[0]?.toLowerCase();
      return !(local && local.length >= 4 && p.toLowerCase().includes(local));
    },
  },
];
