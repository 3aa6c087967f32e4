import type { BrowserContext } from "playwright-core";
import { createLesson } from "../../src/modules/catalog/content.js";
import type { Ctx } from "../../src/platform/context.js";

/**
 * Course material shared by the journeys: a lesson of each of the seven types, and the
 * routes that serve their media (a generated tone, a tiny PDF, an embedded exercise) to the
 * browser so that nothing comes from the network.
 */

/** A one-second tone as 8-bit mono PCM WAV: real media the browser plays to its end. */
export function toneWav(seconds = 1, rate = 8000): Buffer {
  const samples = seconds * rate;
  const wav = Buffer.alloc(44 + samples);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + samples, 4);
  wav.write("WAVEfmt ", 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate, 28);
  wav.writeUInt16LE(1, 32);
  wav.writeUInt16LE(8, 34);
  wav.write("data", 36);
  wav.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) wav[44 + i] = 128 + Math.round(60 * Math.sin(i / 4));
  return wav;
}

export const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/** The lesson material lives elsewhere; the browser gets it from here, never the network. */
export async function routeLessonMaterial(context: BrowserContext, serverUrl: string) {
  await context.route(`${serverUrl}/media/**`, (route) => {
    const pdf = route.request().url().endsWith(".pdf");
    const body = pdf ? PDF : toneWav();
    const contentType = pdf ? "application/pdf" : "audio/wav";
    // Byte ranges, as a file server answers them: a player seeks only in media served so.
    const range = /^bytes=(\d+)-(\d*)$/.exec(route.request().headers().range ?? "");
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
      return route.fulfill({
        status: 206,
        contentType,
        headers: {
          "accept-ranges": "bytes",
          "content-range": `bytes ${start}-${end}/${body.length}`,
        },
        body: body.subarray(start, end + 1),
      });
    }
    return route.fulfill({ status: 200, contentType, headers: { "accept-ranges": "bytes" }, body });
  });
  await context.route("https://*.example.org/**", (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      body: "<!doctype html><html lang=en><title>Exercise</title><p>Drag the planets.</p></html>",
    }),
  );
}

/** The seven lessons' titles, in the order they are added (one per lesson type). */
export const EVERY_LESSON_TYPE = {
  video: "Watching the sky",
  text: "Reading the stars",
  pdf: "Star chart",
  audio: "Night sounds",
  interactive: "Plot a course",
  live: "Ask an astronomer",
  link: "Further reading",
} as const;

/**
 * Adds one lesson of each of the seven types to the module, in the order of
 * `EVERY_LESSON_TYPE`, and returns their ids by title. The video counts as complete after
 * one second of study (the server's clock must move on for it); the live session started ten
 * minutes before `now` and runs for an hour.
 */
export async function addEveryLessonType(
  ctx: Ctx,
  moduleId: string,
  serverUrl: string,
  now: number,
): Promise<Record<string, string>> {
  const lessons: Record<string, string> = {};
  const add = async (title: string, input: Omit<Parameters<typeof createLesson>[2], "title">) => {
    lessons[title] = (await createLesson(ctx, moduleId, { title, ...input })).id;
  };
  const titles = EVERY_LESSON_TYPE;
  await add(titles.video, {
    contentType: "video",
    content: { url: `${serverUrl}/media/sky.wav`, provider: "upload", durationSeconds: 1 },
    minTimeSeconds: 1,
  });
  await add(titles.text, {
    contentType: "text",
    content: { html: "<h2>The pole star</h2><p>Polaris stays put while the sky turns.</p>" },
  });
  await add(titles.pdf, {
    contentType: "pdf",
    content: { url: `${serverUrl}/media/chart.pdf` },
  });
  await add(titles.audio, {
    contentType: "audio",
    content: { url: `${serverUrl}/media/night.wav` },
  });
  await add(titles.interactive, {
    contentType: "interactive",
    content: { embedUrl: "https://exercises.example.org/plot", height: 300 },
  });
  await add(titles.live, {
    contentType: "live-session",
    content: {
      startsAt: new Date(now - 10 * 60_000).toISOString(),
      durationMinutes: 60,
      joinUrl: "https://meet.example.org/astronomer",
    },
  });
  await add(titles.link, {
    contentType: "external-link",
    content: { url: "https://library.example.org/stars", label: "the star atlas" },
  });
  return lessons;
}
