import { createCohort, transitionCohort } from "../modules/cohorts/cohorts.js";
import { addKitItem, addRecording } from "../modules/cohorts/materials.js";
import { createAccessCode } from "../modules/enrollment/access-codes.js";
import { enroll } from "../modules/enrollment/enroll.js";
import { createAnnouncement } from "../modules/feedback/announcements.js";
import { rateCourse, respondToRating } from "../modules/feedback/ratings.js";
import { completeLesson, startLesson } from "../modules/progress/tracking.js";
import type { Ctx } from "../platform/context.js";

/** The seeding context acting as a learner (their own enrollments; no other grants). */
export function actingAs(ctx: Ctx, userId: string): Ctx {
  return {
    ...ctx,
    actor: {
      kind: "user",
      userId,
      sessionId: "demo-seed",
      transport: "bearer",
      access: async () => ({ userId, grants: [], departments: {}, ledTeams: {} }),
    },
  };
}

/**
 * Demo learning: Northwind's safety course assigned as compliance training with learners at
 * different stages (one finished with a certificate, one half-way, others not started, two of
 * them past their due date), a rating with the instructor's answer, an announcement, and the
 * AI cohort full with a waitlist, a recording, a kit item and an access code.
 */
export async function seedDemoLearning(
  ctx: Ctx,
  organizationId: string,
  users: Record<string, string>,
): Promise<void> {
  const course = async (code: string) =>
    ctx.db.selectFrom("courses").selectAll().where("code", "=", code).executeTakeFirstOrThrow();
  const safety = await course("NW-SAFE-101");
  const ai = await course("AI-COHORT-1");
  const as = (userId: string) => actingAs(ctx, userId);

  const inDays = (days: number) => new Date(ctx.clock.now().getTime() + days * 86_400_000);
  // Two of them are late (due ten days ago), so the assignments page has someone to chase.
  const late = new Set(["department-admin", "hr-admin"]);
  for (const key of ["learner", "teaching-assistant", "manager", "department-admin", "hr-admin"]) {
    const due = late.has(key) ? inDays(-10) : inDays(30);
    await enroll(ctx, {
      userId: users[key] as string,
      courseId: safety.id,
      organizationId,
      source: "compliance",
      assignedBy: users["training-coordinator"] ?? null,
      dueAt: due,
      isMandatory: true,
      isCompliance: true,
    });
  }
  const lessons = await ctx.db
    .selectFrom("lessons")
    .select("id")
    .where("course_id", "=", safety.id)
    .orderBy("position")
    .execute();
  const study = async (userId: string, lessonIds: string[]) => {
    for (const id of lessonIds) {
      await startLesson(as(userId), id);
      // Study time as if the lesson had been watched (seeding does not wait).
      await ctx.db
        .updateTable("lesson_progress")
        .set({ time_spent_seconds: 600, last_position: 540 })
        .where("lesson_id", "=", id)
        .where("user_id", "=", userId)
        .execute();
      await completeLesson(as(userId), id);
    }
  };
  // Finished (issues a certificate), and half-way.
  await study(
    users.learner as string,
    lessons.map((l) => l.id),
  );
  await study(
    users.manager as string,
    lessons.slice(0, 2).map((l) => l.id),
  );

  const rating = await rateCourse(ctx, users.learner as string, safety.id, {
    rating: 5,
    title: "Short and useful",
    content: "The hazard video is the best part. Took me about half an hour.",
  });
  await respondToRating(ctx, rating.id, "Thank you! The video was filmed in our own warehouse.");
  await createAnnouncement(ctx, safety.id, {
    title: "Fire drill on Friday",
    content: "<p>The yearly fire drill is this Friday at 10:00. Meet at assembly point B.</p>",
    priority: "high",
  });

  const cohort = await createCohort(ctx, ai.id, {
    name: "March 2027",
    startsAt: "2027-03-01T09:00:00Z",
    endsAt: "2027-03-02T17:00:00Z",
    timezone: "Europe/London",
    capacity: 3,
  });
  await transitionCohort(ctx, cohort.id, "open");
  for (const key of [
    "instructor",
    "content-admin",
    "report-viewer",
    "auditor",
    "compliance-officer",
  ]) {
    await enroll(ctx, {
      userId: users[key] as string,
      courseId: ai.id,
      cohortId: cohort.id,
      organizationId,
      source: "admin",
      waitlist: true,
    });
  }
  await addRecording(ctx, cohort.id, {
    title: "Info session recording",
    videoUrl: "https://media.lyceum.local/demo/ai-info-session.mp4",
    durationSeconds: 1800,
  });
  await addKitItem(ctx, ai.id, {
    title: "Prompt pattern cards",
    type: "prompts",
    url: "https://media.lyceum.local/demo/prompt-cards.pdf",
  });
  await createAccessCode(ctx, ai.id, {
    code: "NORTHWIND-AI",
    description: "Sponsored places for Northwind",
    maxUses: 10,
    cohortId: cohort.id,
  });
}
