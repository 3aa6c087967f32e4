import type { Ctx } from "../../platform/context.js";
import { courseForStaff } from "../catalog/policy.js";
import { cohortForChange } from "../cohorts/cohorts.js";
import type { KitItemRow, RecordingRow } from "../cohorts/schema.js";
import { accessibleEnrollment } from "./access.js";

/**
 * Course material beyond lessons, as its readers see it: a cohort's recordings and a course's
 * enablement kit. The cohorts module writes them; reading them depends on enrollment, which
 * sits above cohorts, so the readers' side lives here.
 */

/** A cohort's session recordings: for the people who run it and the cohort's learners. */
export async function listRecordings(ctx: Ctx, cohortId: string): Promise<RecordingRow[]> {
  const enrolled =
    ctx.actor.kind === "user"
      ? await ctx.db
          .selectFrom("cohorts as h")
          .select("h.course_id")
          .where("h.id", "=", cohortId)
          .executeTakeFirst()
      : undefined;
  const enrollment =
    enrolled && ctx.actor.kind === "user"
      ? await accessibleEnrollment(ctx, ctx.actor.userId, enrolled.course_id)
      : null;
  // Learners of the cohort watch its recordings; everyone else needs to run the cohort.
  if (enrollment?.cohort_id !== cohortId) await cohortForChange(ctx, cohortId);
  return ctx.db
    .selectFrom("session_recordings")
    .selectAll()
    .where("cohort_id", "=", cohortId)
    .orderBy("recorded_at")
    .orderBy("created_at")
    .execute();
}

/** A course's enablement kit: slides, prompts, templates, chatbots and worksheets (seed 001). */
export async function listKitItems(ctx: Ctx, courseId: string): Promise<KitItemRow[]> {
  const learner =
    ctx.actor.kind === "user" && (await accessibleEnrollment(ctx, ctx.actor.userId, courseId));
  if (!learner) await courseForStaff(ctx, courseId);
  return ctx.db
    .selectFrom("kit_items")
    .selectAll()
    .where("course_id", "=", courseId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
}
