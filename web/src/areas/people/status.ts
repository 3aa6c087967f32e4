import type { MemberStatus } from "../../api/people";

/** A membership's status colour (the badge's text says the status; colour is a second cue). */
export const STATUS_COLOR: Record<MemberStatus, string> = { active: "teal.9", suspended: "red.9" };
