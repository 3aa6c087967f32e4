import { organizationOwnedKind, type RefKind } from "../../platform/references.js";

/** An organization's lookup values, as path objects. */
export const eventRefKinds: Record<string, RefKind> = {
  "lookup-value": organizationOwnedKind("Lookup value", "lookup_values"),
};
