import sanitizeHtml from "sanitize-html";
import { z } from "zod";
import type { LessonType } from "./schema.js";

const httpsUrl = z.url({ protocol: /^https$/ }).max(2000);
const anyUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** The content each lesson type carries. */
export const lessonContent = {
  video: z.object({
    url: anyUrl,
    provider: z.enum(["upload", "youtube", "vimeo", "other"]).default("other"),
    durationSeconds: z.number().int().min(0).max(86_400).optional(),
    captionsUrl: anyUrl.optional(),
  }),
  text: z.object({ html: z.string().max(500_000) }),
  pdf: z.object({ url: anyUrl, pageCount: z.number().int().min(1).max(100_000).optional() }),
  audio: z.object({ url: anyUrl, durationSeconds: z.number().int().min(0).max(86_400).optional() }),
  interactive: z.object({
    embedUrl: httpsUrl.describe("Embedded over HTTPS in a sandboxed frame"),
    height: z.number().int().min(100).max(4000).default(600),
  }),
  "live-session": z.object({
    startsAt: z.iso.datetime({ offset: true }),
    durationMinutes: z.number().int().min(1).max(1440),
    joinUrl: anyUrl.optional(),
    provider: z.enum(["zoom", "meet", "teams", "other"]).default("other"),
  }),
  "external-link": z.object({ url: anyUrl, label: z.string().max(200).optional() }),
} satisfies Record<LessonType, z.ZodType>;

export const LESSON_TYPES = Object.keys(lessonContent) as LessonType[];

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  "img",
  "h1",
  "h2",
  "figure",
  "figcaption",
  "video",
  "source",
];

/** Keeps the formatting of text lessons and drops scripts, handlers and unsafe URLs. */
export function sanitizeLessonHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ["href", "name", "target", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      video: ["src", "controls", "width", "height", "poster"],
      source: ["src", "type"],
      "*": ["class", "id"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https", "data"] },
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
  });
}

/** Words of a text lesson at 200 words a minute, at least one minute. */
export function readingMinutes(html: string): number {
  const words = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .split(/\s+/)
    .filter(Boolean).length;
  return Math.max(1, Math.ceil(words / 200));
}

/**
 * Validates and normalizes a lesson's content for its type, and works out its duration
 * when the author did not give one (video/audio length, reading time, session length).
 */
export function prepareContent(
  type: LessonType,
  content: unknown,
): { content: Record<string, unknown>; minutes: number | null } {
  const parsed = lessonContent[type].parse(content) as Record<string, unknown>;
  switch (type) {
    case "text": {
      const html = sanitizeLessonHtml(parsed.html as string);
      return { content: { html }, minutes: readingMinutes(html) };
    }
    case "video":
    case "audio": {
      const seconds = parsed.durationSeconds as number | undefined;
      return { content: parsed, minutes: seconds === undefined ? null : Math.ceil(seconds / 60) };
    }
    case "live-session":
      return { content: parsed, minutes: parsed.durationMinutes as number };
    default:
      return { content: parsed, minutes: null };
  }
}
