import type { RawBuilder } from "kysely";

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

/** A person's memberships, ordered by organization name. */
export interface MembershipLookup {
  /**
   * As one JSON value inside another statement (`userId`: the person's id there, such as
   * the column `u.id`), so a profile and its memberships come back in one round trip.
   */
  json(userId: RawBuilder<string>): RawBuilder<unknown>;
  /** What `json` answered, as summaries. */
  fromJson(value: unknown): MembershipSummary[];
}
