import type { Db } from "../../db/connection.js";

/**
 * What `/users/me` shows about the organizations a person belongs to. Identity sits below
 * organizations, so it declares the shape and the lookup it needs; the organizations module
 * implements it (`organizations/memberships.ts`) and the application passes it in when it
 * registers the user routes.
 */
export interface MembershipSummary {
  organization: { id: string; name: string; slug: string; status: string };
  status: "active" | "suspended";
  title: string | null;
  department: { id: string; name: string } | null;
  teams: Array<{ id: string; name: string; role: "member" | "lead" }>;
  roles: string[];
  joinedAt: Date;
}

/** Loads a person's memberships, ordered by organization name. */
export type MembershipLookup = (db: Db, userId: string) => Promise<MembershipSummary[]>;
