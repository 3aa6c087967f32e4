import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Every URL the server can put in a mail or a notification, as templates read from its
 * sources (src, tests left out): the rest of each template literal after `…publicUrl}`, and
 * every `actionPath:` value (a notification's link, mailed with the notice). `${…}` parts
 * become `:param`. A literal kept in a constant (`const base = \`${publicUrl}/courses/${id}\``)
 * stands for the literals of its file that continue it (`${base}?payment=success`).
 */
export const PARAM = ":param";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** The template literal's text from `start` to its closing backtick, with `${…}` as :param. */
function literalFrom(text: string, start: number): string {
  let out = "";
  let i = start;
  while (i < text.length && text[i] !== "`") {
    if (text.startsWith("${", i)) {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text[i] === "{") depth += 1;
        else if (text[i] === "}") depth -= 1;
        i += 1;
      }
      out += PARAM;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

export interface FoundTemplate {
  template: string;
  /** Where it was found, relative to the repository (for the failure message). */
  file: string;
}

/** The templates of one file's `publicUrl}` literals and `actionPath:` values. */
function templatesIn(text: string, file: string): FoundTemplate[] {
  const found: FoundTemplate[] = [];
  const marker = "publicUrl}";
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    const rest = literalFrom(text, at + marker.length);
    const opening = text.lastIndexOf("`", at);
    const constant = /const\s+(\w+)\s*=\s*$/.exec(text.slice(Math.max(0, opening - 60), opening));
    const continued: string[] = [];
    if (constant) {
      const use = `\`\${${constant[1]}}`;
      for (let u = text.indexOf(use); u >= 0; u = text.indexOf(use, u + 1))
        continued.push(rest + literalFrom(text, u + use.length));
    }
    for (const template of continued.length ? continued : [rest]) {
      // A literal's escapes (a log line's \n) are no part of the link.
      const link = template.replace(/\\[nt]/g, " ").trim();
      found.push({ template: link || "/", file });
    }
  }
  const actionPath = /actionPath:\s*(?:`([^`]*)`|"([^"]*)")/g;
  for (const match of text.matchAll(actionPath)) {
    const literal = match[1] ?? match[2] ?? "";
    found.push({ template: literal.replace(/\$\{[^}]*\}/g, PARAM), file });
  }
  return found;
}

/** Every template the server's sources produce, each once, with the files producing it. */
export function collectMailedTemplates(root: string): Map<string, string[]> {
  const templates = new Map<string, string[]>();
  for (const file of sourceFiles(path.join(root, "src"))) {
    const relative = path.relative(root, file);
    for (const { template } of templatesIn(readFileSync(file, "utf8"), relative)) {
      const files = templates.get(template) ?? [];
      if (!files.includes(relative)) files.push(relative);
      templates.set(template, files);
    }
  }
  return templates;
}
