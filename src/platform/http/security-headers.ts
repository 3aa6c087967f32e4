import helmet, { type HelmetOptions } from "helmet";

/**
 * The security headers every answer carries (helmet's set: content security policy, HSTS,
 * frame and referrer policies …), computed once at start-up. The policy does not depend on
 * the request (no nonces), so building it again for every request, as the per-request
 * middleware does, would only cost time.
 */
export function securityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return Object.freeze(headers);
}

const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  // Lesson media, PDFs and interactive exercises live where their authors host them.
  mediaSrc: ["'self'", "https:", "http:"],
  frameSrc: ["'self'", "https:"],
  frameAncestors: ["'none'"],
  // Lyceum may be served over plain HTTP on a private network; never rewrite its URLs.
  upgradeInsecureRequests: null,
};

/** The policy Lyceum answers with. */
export const LYCEUM_SECURITY: HelmetOptions = {
  contentSecurityPolicy: { directives: DIRECTIVES },
  crossOriginResourcePolicy: { policy: "same-site" },
};

/**
 * The policy of files Lyceum's own pages show in a frame (an uploaded PDF in its lesson):
 * the same, except that Lyceum may frame them; other sites still may not.
 */
export const FRAMED_BY_LYCEUM: HelmetOptions = {
  contentSecurityPolicy: { directives: { ...DIRECTIVES, frameAncestors: ["'self'"] } },
  crossOriginResourcePolicy: { policy: "same-site" },
  xFrameOptions: { action: "sameorigin" },
};
