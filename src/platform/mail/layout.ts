export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The HTML body every Lyceum mail shares: a title, paragraphs and an optional button. */
export function mailPage(
  title: string,
  paragraphs: string[],
  action?: { label: string; url: string; shownUrl?: string },
  /** An image the mail client loads when the mail is opened (open tracking). */
  pixelUrl?: string,
): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("");
  const button = action
    ? `<p><a href="${escapeHtml(action.url)}" style="background:#1f4e79;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${escapeHtml(action.label)}</a></p><p style="font-size:12px;color:#555">${escapeHtml(action.shownUrl ?? action.url)}</p>`
    : "";
  const pixel = pixelUrl
    ? `<img src="${escapeHtml(pixelUrl)}" width="1" height="1" alt="" style="display:block;border:0">`
    : "";
  return `<!doctype html><html><body style="font-family:sans-serif;max-width:560px"><h2>${escapeHtml(title)}</h2>${body}${button}${pixel}</body></html>`;
}
