import { organizationOwnedKind, type RefKind } from "../../platform/references.js";

/** Privacy requests made in an organization, as path objects. */
export const privacyRefKinds: Record<string, RefKind> = {
  "privacy-request": organizationOwnedKind("Privacy request", "privacy_requests"),
};
