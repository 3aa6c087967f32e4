import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";

/**
 * What other people may see of a learner (docs/privacy.md "Privacy settings" and
 * "Restriction"). The privacy module owns the settings and the requests; every module that shows
 * one person's data to another reads them through here, once per response for all the people
 * it shows (one query, whatever their number).
 *
 * The rule: a viewer other than the learner — a manager, an administrator, an instructor, an
 * API key — does not see what the learner keeps from managers, in every overview of people
 * (learner lists, transcripts, rosters, enrollment and progress views, certificate lists,
 * reports and their files). The one exception is grading: the staff of a course (its owner and
 * the instructors of its cohorts) keep the scores in the course's grading views (grading queue,
 * attempts, quiz results, gradebook), since grading cannot be done without them.
 */

export type HiddenFromManagers = "scores" | "activity" | "certificates";

/** The signed-in person behind the request, if any (API keys and jobs are no one). */
export function viewerOf(ctx: Ctx): string | null {
  return ctx.actor.kind === "user" ? ctx.actor.userId : null;
}

/**
 * What each learner keeps from managers: learner id → what to leave out. People without
 * settings, or who keep nothing, are not in the map.
 */
export async function learnerPrivacy(
  ctx: Ctx,
  userIds: string[],
): Promise<Map<string, HiddenFromManagers[]>> {
  const found = new Map<string, HiddenFromManagers[]>();
  if (!userIds.length) return found;
  const rows = await ctx.db
    .selectFrom("privacy_settings")
    .selectAll()
    .where("user_id", "in", [...new Set(userIds)])
    .execute();
  for (const row of rows) {
    const hidden: HiddenFromManagers[] = [];
    if (!row.show_scores) hidden.push("scores");
    if (!row.show_activity) hidden.push("activity");
    if (!row.show_certificates) hidden.push("certificates");
    if (hidden.length) found.set(row.user_id, hidden);
  }
  return found;
}

/**
 * What the caller may not see of each of `userIds` (learnerPrivacy without the caller's own
 * row): answers `hides(userId, what)`. With `organizationId` (the organization whose data the
 * view shows; null for the platform catalog), a person whose processing is restricted there
 * (or on the whole account) hides everything, and `restricted(userId)` says so. Callers that
 * handle restriction themselves (rosters, with rows of several organizations) leave it out.
 */
export async function privacyForViewer(
  ctx: Ctx,
  userIds: string[],
  organizationId?: string | null,
) {
  const viewer = viewerOf(ctx);
  const others = userIds.filter((id) => id !== viewer);
  const hidden = await learnerPrivacy(ctx, others);
  const restricted =
    organizationId === undefined
      ? new Set<string>()
      : await restrictedPeople(ctx, others, organizationId);
  return {
    hides: (userId: string, what: HiddenFromManagers) =>
      userId !== viewer &&
      (restricted.has(userId) || (hidden.get(userId)?.includes(what) ?? false)),
    restricted: (userId: string) => userId !== viewer && restricted.has(userId),
  };
}

/**
 * SQL: the person in `userColumn` has their processing restricted in the organization in
 * `organization` (a column, or an id) or on the whole account. For searches: a search by
 * name or address must not find a restricted person, whose name a list leaves blank.
 */
export function restrictedSql(userColumn: string, organization: { column: string } | string) {
  const org =
    typeof organization === "string" ? sql`${organization}` : sql.ref(organization.column);
  return sql<boolean>`exists (select 1 from privacy_requests pr where pr.type = 'restriction' and pr.status = 'completed' and pr.subject_user_id = ${sql.ref(userColumn)} and (pr.organization_id = ${org} or pr.organization_id is null))`;
}

/**
 * The people among `userIds` whose processing is restricted in the organization (a restriction
 * of the organization, or one on the whole account), as the privacy module records it.
 */
export async function restrictedPeople(
  ctx: Pick<Ctx, "db">,
  userIds: string[],
  organizationId: string | null,
): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const found = new Set<string>();
  const unique = [...new Set(userIds)];
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await ctx.db
      .selectFrom("privacy_requests")
      .select("subject_user_id")
      .where("type", "=", "restriction")
      .where("status", "=", "completed")
      .where("subject_user_id", "in", unique.slice(i, i + 5000))
      .where((eb) =>
        organizationId
          ? eb.or([eb("organization_id", "=", organizationId), eb("organization_id", "is", null)])
          : eb("organization_id", "is", null),
      )
      .execute();
    for (const r of rows) found.add(r.subject_user_id);
  }
  return found;
}

/**
 * Which of the people a view shows, each in their organization, the caller may not see because
 * their processing is restricted (restrictedPeople; one query per organization at hand). The
 * caller's own rows are never restricted for them, as in reports.
 */
export async function restrictionsForViewer(
  ctx: Ctx,
  people: Array<{ userId: string; organizationId: string | null }>,
) {
  const viewer = viewerOf(ctx);
  const found = new Set<string>();
  const key = (userId: string, organizationId: string | null) => `${organizationId}/${userId}`;
  for (const organizationId of new Set(people.map((p) => p.organizationId))) {
    const ids = people
      .filter((p) => p.organizationId === organizationId && p.userId !== viewer)
      .map((p) => p.userId);
    for (const userId of await restrictedPeople(ctx, ids, organizationId))
      found.add(key(userId, organizationId));
  }
  return {
    restricted: (userId: string, organizationId: string | null) =>
      found.has(key(userId, organizationId)),
  };
}
