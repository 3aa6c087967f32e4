/**
 * The embeddable player address of a video hosted on YouTube or Vimeo (the lesson's
 * `provider`), which a <video> element cannot play; null when the URL is not one of theirs.
 */
export function hostedVideoEmbed(provider: unknown, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.replace(/^www\./, "");
  if (provider === "youtube") {
    const id =
      host === "youtu.be"
        ? parsed.pathname.slice(1)
        : (parsed.searchParams.get("v") ?? parsed.pathname.match(/\/embed\/([\w-]+)/)?.[1]);
    return id && /^[\w-]+$/.test(id) ? `https://www.youtube-nocookie.com/embed/${id}` : null;
  }
  if (provider === "vimeo") {
    const id = parsed.pathname.match(/(\d+)/)?.[1];
    return id ? `https://player.vimeo.com/video/${id}` : null;
  }
  return null;
}
