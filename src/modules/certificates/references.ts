import { personalKind, type RefKind } from "../../platform/references.js";

/**
 * Certificates, as references and path objects: one issued through an organization lives in
 * it; one outside any organization belongs to its holder (or, named by anyone, the platform
 * catalog's audience).
 */
export const certificateRefKinds: Record<string, RefKind> = {
  certificate: personalKind("Certificate", "certificates"),
};
