import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { builtinTemplate } from "./builtin-templates.js";
import { type NotificationType, variablesFor } from "./notify.js";
import type { TemplateChannel } from "./schema.js";
import {
  renderTemplate,
  TemplateSyntaxError,
  type TemplateValues,
  variablesOf,
} from "./template-language.js";

export const DEFAULT_LANGUAGE = "en";

export interface ResolvedTemplate {
  subject: string;
  body: string;
  templateId: string | null;
  /** 0 for the built-in text. */
  version: number;
  language: string;
  source: "organization" | "system" | "built-in";
}

/** The languages to try for a person, best first: theirs, its primary tag, then English. */
export function languageCandidates(language: string | null | undefined): string[] {
  const wanted = (language ?? "").trim();
  const primary = wanted.split(/[-_]/)[0]?.toLowerCase() ?? "";
  return [...new Set([wanted, primary, DEFAULT_LANGUAGE].filter(Boolean))];
}

/**
 * The live template of a type on a channel for a person: the organization's active version in
 * their language, then the organization's in the default language, then the platform's in
 * their language, then the platform's in the default language. A platform step without an
 * active version of its own uses the built-in text.
 */
export async function resolveTemplate(
  ctx: Ctx,
  input: {
    organizationId: string | null;
    type: NotificationType;
    channel: TemplateChannel;
    language: string | null | undefined;
  },
): Promise<ResolvedTemplate> {
  const languages = languageCandidates(input.language);
  const rows = await ctx.db
    .selectFrom("notification_templates")
    .select(["id", "organization_id", "language", "version", "subject", "body"])
    .where("status", "=", "active")
    .where("type", "=", input.type)
    .where("channel", "=", input.channel)
    .where("language", "in", languages)
    .where((eb) =>
      input.organizationId
        ? eb.or([
            eb("organization_id", "=", input.organizationId),
            eb("organization_id", "is", null),
          ])
        : eb("organization_id", "is", null),
    )
    .execute();
  const [own, ...rest] = languages;
  const orgLanguages = [own, DEFAULT_LANGUAGE].filter((l): l is string => !!l);
  for (const language of orgLanguages) {
    const row = rows.find((r) => r.organization_id !== null && r.language === language);
    if (row)
      return {
        subject: row.subject,
        body: row.body,
        templateId: row.id,
        version: row.version,
        language,
        source: "organization",
      };
  }
  for (const language of [own, ...rest].filter((l): l is string => !!l)) {
    const row = rows.find((r) => r.organization_id === null && r.language === language);
    if (row)
      return {
        subject: row.subject,
        body: row.body,
        templateId: row.id,
        version: row.version,
        language,
        source: "system",
      };
    const builtin = builtinTemplate(input.type, input.channel, language);
    if (builtin) return { ...builtin, templateId: null, version: 0, language, source: "built-in" };
  }
  // every type has an English built-in text, so this is only reached for a bad channel
  throw new Error(`no template for ${input.type} on ${input.channel}`);
}

/** Renders a template's subject and body. */
export function renderText(
  template: { subject: string; body: string },
  values: TemplateValues,
): { subject: string; body: string } {
  return {
    subject: renderTemplate(template.subject, values).trim(),
    body: renderTemplate(template.body, values).trim(),
  };
}

/**
 * Checks a template's texts: they must parse, and use only the type's variables. Refuses
 * with VALIDATION_ERROR naming the field and the unknown variable otherwise.
 */
export function checkTemplateText(
  type: NotificationType,
  texts: { subject: string; body: string },
): void {
  const known = variablesFor(type);
  for (const field of ["subject", "body"] as const) {
    let names: string[];
    try {
      names = variablesOf(texts[field]);
    } catch (error) {
      if (error instanceof TemplateSyntaxError)
        throw new AppError("VALIDATION_ERROR", error.message, { field });
      throw error;
    }
    const unknown = names.filter((n) => !Object.hasOwn(known, n));
    if (unknown.length)
      throw new AppError(
        "VALIDATION_ERROR",
        `Unknown variable ${unknown.map((n) => `{{${n}}}`).join(", ")} in ${field}: ${type} notifications know ${Object.keys(
          known,
        )
          .map((n) => `{{${n}}}`)
          .join(", ")}`,
        { field, details: { unknown } },
      );
  }
}

/** Sample values of a type's variables, for previews. */
export function sampleValues(type: NotificationType): TemplateValues {
  return Object.fromEntries(Object.keys(variablesFor(type)).map((name) => [name, `[${name}]`]));
}
