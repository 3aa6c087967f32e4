import { z } from "zod";
import { isoDateTime as iso } from "../../platform/http/envelope.js";
import type { KitItemRow, RecordingRow } from "./schema.js";

/**
 * API shapes of session recordings and enablement kit items: the cohort routes (which change
 * them) and the learner-facing material routes in the progress module (which list them) answer
 * with the same objects.
 */

export const recordingSchema = z
  .object({
    id: z.uuid(),
    cohortId: z.uuid(),
    moduleId: z.uuid().nullable(),
    title: z.string(),
    videoUrl: z.string(),
    durationSeconds: z.number().int(),
    recordedAt: iso().nullable(),
  })
  .meta({ id: "SessionRecording" });

export const presentRecording = (r: RecordingRow) => ({
  id: r.id,
  cohortId: r.cohort_id,
  moduleId: r.module_id,
  title: r.title,
  videoUrl: r.video_url,
  durationSeconds: r.duration_seconds,
  recordedAt: r.recorded_at?.toISOString() ?? null,
});

export const kitSchema = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    title: z.string(),
    type: z.enum(["slides", "prompts", "template", "chatbot", "worksheet"]),
    url: z.string(),
    description: z.string().nullable(),
    position: z.number().int(),
  })
  .meta({ id: "KitItem" });

export const presentKit = (k: KitItemRow) => ({
  id: k.id,
  courseId: k.course_id,
  title: k.title,
  type: k.type,
  url: k.url,
  description: k.description,
  position: k.position,
});
