import type { MemberStatus } from "../../api/people";

/** A membership's status colour (the badge's text says the status; colour is a second cue). */
export const STATUS_COLOR: Record<MemberStatus, string> = { active: "teal.9", suspended: "red.9" };

/** The badge of a member whose processing a data request restricts (white text stays AA). */
export const RESTRICTED_COLOR = "violet.9";
