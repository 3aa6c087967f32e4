/**
 * Domains of public mail services, where anyone may open an address: no organization owns
 * one, so none can be claimed (a verified `gmail.com` would let its organization take in
 * half the world). A short list of the large services, not an exhaustive one; a domain of a
 * service missing here still needs its DNS record, which no customer can publish.
 */
const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "hotmail.fr",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "yahoo.fr",
  "ymail.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "t-online.de",
  "mail.com",
  "zoho.com",
  "yandex.com",
  "yandex.ru",
  "mail.ru",
  "qq.com",
  "163.com",
  "126.com",
  "fastmail.com",
  "tutanota.com",
  "hey.com",
  "orange.fr",
  "free.fr",
  "laposte.net",
  "libero.it",
]);

/** Whether `domain` (lower-case) is a public mail service's domain or one of its subdomains. */
export function isPublicMailDomain(domain: string): boolean {
  const labels = domain.split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    if (PUBLIC_MAIL_DOMAINS.has(labels.slice(i).join("."))) return true;
  }
  return false;
}
