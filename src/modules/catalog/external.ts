import { createHash } from "node:crypto";
import { type Insertable, sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import type { CourseRow, CoursesTable } from "./schema.js";

/**
 * Courses of an external learning system, mirrored into an organization's catalog so reports
 * and compliance see all learning in one place. A mirrored course is published, invite-only
 * (nobody enrols in it here: its enrollments come from the integration), without a
 * certificate of ours, and read-only (policy.ts refuses changes with COURSE_EXTERNAL). It is
 * keyed by its integration and its id over there, so writing the same course again updates it.
 */
export interface ExternalCourseInput {
  externalId: string;
  code: string | null;
  title: string;
  summary: string | null;
  url: string | null;
}

export type MirrorOutcome = "created" | "updated" | "unchanged";

export interface MirroredCourse {
  externalId: string;
  /** Null only in a dry run, for a course not mirrored yet. */
  courseId: string | null;
  outcome: MirrorOutcome;
  /** Field → [before, after], for updates (and every field of a creation). */
  changes: Record<string, [unknown, unknown]>;
}

/** The columns a mirror writes, from what the external system says. */
function columnsOf(input: ExternalCourseInput) {
  return {
    title: input.title.trim().slice(0, 255) || input.externalId,
    description: input.summary ?? "",
    external_url: input.url,
  };
}

/**
 * A course code and slug of our own for a mirrored course, stable for the integration and the
 * external id (codes and slugs are unique across the platform, the external code is not).
 */
function identityOf(integrationId: string, input: ExternalCourseInput) {
  const hash = createHash("sha256")
    .update(`${integrationId}\u0000${input.externalId}`)
    .digest("hex")
    .slice(0, 10)
    .toUpperCase();
  const label = (input.code ?? "")
    .toUpperCase()
    .replace(/[^A-Z0-9_-]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, 30);
  const code = label ? `X-${label}-${hash}` : `X-${hash}`;
  return { code, slug: code.toLowerCase().replace(/[_-]+/g, "-") };
}

/**
 * Creates or updates the mirrors of `courses` in the organization's catalog (or, in a dry run,
 * only says what would change). `instructorId` stands as the mirrors' instructor (courses need
 * one): the person responsible for the integration.
 */
export async function mirrorExternalCourses(
  ctx: Ctx,
  target: { organizationId: string; integrationId: string; instructorId: string },
  courses: ExternalCourseInput[],
  options: { dryRun?: boolean } = {},
): Promise<MirroredCourse[]> {
  if (!courses.length) return [];
  const existing = await ctx.db
    .selectFrom("courses")
    .selectAll()
    .where("integration_id", "=", target.integrationId)
    .where(
      "external_id",
      "in",
      courses.map((c) => c.externalId),
    )
    .where("deleted_at", "is", null)
    .execute();
  const byExternal = new Map(existing.map((c) => [c.external_id as string, c]));
  const results: MirroredCourse[] = [];
  const inserts: Array<{ result: MirroredCourse; values: Insertable<CoursesTable> }> = [];
  const now = ctx.clock.now();
  // A course named twice in one batch is mirrored once, as it was named last.
  const unique = [...new Map(courses.map((c) => [c.externalId, c])).values()];
  for (const input of unique) {
    const after = columnsOf(input);
    const before = byExternal.get(input.externalId);
    if (!before) {
      const changes = Object.fromEntries(
        Object.entries(after).map(([key, value]) => [key, [null, value]]),
      ) as Record<string, [unknown, unknown]>;
      const result: MirroredCourse = {
        externalId: input.externalId,
        courseId: null,
        outcome: "created",
        changes,
      };
      results.push(result);
      const { code, slug } = identityOf(target.integrationId, input);
      inserts.push({
        result,
        values: {
          ...after,
          organization_id: target.organizationId,
          code,
          slug,
          instructor_id: target.instructorId,
          status: "published",
          published_at: now,
          enrollment_type: "invite",
          completion_certificate: false,
          allow_discussion: false,
          integration_id: target.integrationId,
          external_id: input.externalId,
          created_by: target.instructorId,
        },
      });
      continue;
    }
    const changes = diff(before, after);
    if (!Object.keys(changes).length) {
      results.push({
        externalId: input.externalId,
        courseId: before.id,
        outcome: "unchanged",
        changes,
      });
      continue;
    }
    if (!options.dryRun)
      await ctx.db
        .updateTable("courses")
        .set({ ...after, updated_at: now })
        .where("id", "=", before.id)
        .execute();
    results.push({
      externalId: input.externalId,
      courseId: before.id,
      outcome: "updated",
      changes,
    });
  }
  if (inserts.length && !options.dryRun) {
    // New mirrors in one statement; a mirror created meanwhile by another run is kept.
    const rows = await ctx.db
      .insertInto("courses")
      .values(inserts.map((i) => i.values))
      .onConflict((oc) =>
        oc
          .columns(["integration_id", "external_id"])
          .where(sql<boolean>`integration_id is not null and deleted_at is null`)
          .doUpdateSet({ updated_at: now }),
      )
      .returning(["id", "external_id"])
      .execute();
    const ids = new Map(rows.map((r) => [r.external_id as string, r.id]));
    for (const { result } of inserts) result.courseId = ids.get(result.externalId) ?? null;
  }
  return results;
}

function diff(
  before: CourseRow,
  after: ReturnType<typeof columnsOf>,
): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    const was = before[key as keyof CourseRow];
    if ((was ?? null) !== (value ?? null)) changes[key] = [was ?? null, value ?? null];
  }
  return changes;
}

/** The catalog ids of an integration's mirrored courses, by external id. */
export async function mirroredCourseIds(
  ctx: Ctx,
  integrationId: string,
  externalIds: string[],
): Promise<Map<string, string>> {
  if (!externalIds.length) return new Map();
  const rows = await ctx.db
    .selectFrom("courses")
    .select(["id", "external_id"])
    .where("integration_id", "=", integrationId)
    .where("external_id", "in", externalIds)
    .where("deleted_at", "is", null)
    .execute();
  return new Map(rows.map((r) => [r.external_id as string, r.id]));
}
