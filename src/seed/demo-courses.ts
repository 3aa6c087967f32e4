import { createLesson, createModule } from "../modules/catalog/content.js";
import { createCourse, publishCourse } from "../modules/catalog/courses.js";
import type { Ctx } from "../platform/context.js";

/** Minimum study time of the demo's video lesson: short, so a newcomer can finish the course. */
const DEMO_VIDEO_MIN_SECONDS = 20;

/**
 * Demo catalog: a published self-paced course private to Northwind, a published cohort
 * course in the platform catalog with seed 001's session types, and a draft.
 */
export async function seedDemoCourses(
  ctx: Ctx,
  organizationId: string,
  instructorId: string,
): Promise<void> {
  const safety = await createCourse(ctx, {
    organizationId,
    instructorId,
    code: "NW-SAFE-101",
    title: "Workplace Safety Essentials",
    subtitle: "The yearly safety refresher every Northwind employee takes",
    description:
      "Hazards, reporting, first response and the habits that keep everyone safe at work.",
    category: "compliance",
    level: "beginner",
    tags: ["safety", "compliance"],
    learningOutcomes: ["Recognize common workplace hazards", "Report an incident correctly"],
  });
  const intro = await ctx.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", safety.id)
    .executeTakeFirstOrThrow();
  await createLesson(ctx, intro.id, {
    title: "Why safety matters",
    contentType: "text",
    content: {
      html: "<h2>Why safety matters</h2><p>Most incidents are preventable. This course shows how.</p>",
    },
    isPreview: true,
  });
  const hazards = await createModule(ctx, safety.id, { title: "Hazards and reporting" });
  await createLesson(ctx, hazards.id, {
    title: "Spotting hazards",
    contentType: "video",
    content: {
      url: "https://media.lyceum.local/demo/hazards.mp4",
      provider: "upload",
      durationSeconds: 540,
    },
    // The minimum study time rule stays; the demo asks for 20 s instead of a real course's
    // minutes, so someone trying Lyceum reaches a certificate in under a minute.
    minTimeSeconds: DEMO_VIDEO_MIN_SECONDS,
  });
  await createLesson(ctx, hazards.id, {
    title: "Reporting an incident",
    contentType: "pdf",
    content: { url: "https://media.lyceum.local/demo/incident-form.pdf", pageCount: 4 },
    durationMinutes: 10,
  });
  await publishCourse(ctx, safety.id);

  const ai = await createCourse(ctx, {
    instructorId,
    code: "AI-COHORT-1",
    title: "AI Enablement Cohort",
    description:
      "A two-day intensive cohort: sparks, workshops, masterclasses and implementation office hours.",
    category: "ai",
    level: "intermediate",
    delivery: "cohort-based",
    enrollmentType: "paid",
    priceAmount: 49_900,
    currency: "USD",
    capacity: 30,
    tags: ["ai", "cohort"],
  });
  const aiIntro = await ctx.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", ai.id)
    .executeTakeFirstOrThrow();
  await createLesson(ctx, aiIntro.id, {
    title: "Welcome and schedule",
    contentType: "text",
    content: { html: "<p>Two days, five kinds of sessions, one implementation plan.</p>" },
    isPreview: true,
  });
  const sessions = [
    { title: "Opening Spark", sessionType: "S", dayNumber: 1, orderInDay: 1 },
    { title: "Prompting Workshop", sessionType: "W", dayNumber: 1, orderInDay: 2 },
    { title: "Mini-Masterclass: Evaluation", sessionType: "MM", dayNumber: 1, orderInDay: 3 },
    { title: "Capability Session: Agents", sessionType: "CAP", dayNumber: 2, orderInDay: 1 },
    { title: "Implementation Office", sessionType: "IO", dayNumber: 2, orderInDay: 2 },
  ] as const;
  for (const session of sessions) {
    const module = await createModule(ctx, ai.id, session);
    await createLesson(ctx, module.id, {
      title: `${session.title} (live)`,
      contentType: "live-session",
      content: { startsAt: "2027-03-01T09:00:00Z", durationMinutes: 90, provider: "zoom" },
    });
  }
  await publishCourse(ctx, ai.id);

  await createCourse(ctx, {
    organizationId,
    instructorId,
    code: "NW-LEAD-201",
    title: "Leading Hybrid Teams (draft)",
    description: "Work in progress.",
    category: "leadership",
  });
}
