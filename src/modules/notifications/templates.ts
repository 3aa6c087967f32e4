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

/** The live templates of some notification types and channels, read at once; `pick` resolves one. */
export interface TemplateSet {
  /**
   * The live template of a type on a channel for a person: the organization's active version
   * in their language, then the organization's in the default language, then the platform's
   * in their language, then the platform's in the default language. A platform step without
   * an active version of its own uses the built-in text.
   */
  pick(
    type: NotificationType,
    channel: TemplateChannel,
    language: string | null | undefined,
  ): ResolvedTemplate;
}

/**
 * Reads in one query the active templates an organization (and the platform) has for the
 * types and channels in the languages people may need (each one's candidates, see
 * `languageCandidates`), so that notifying many people, or showing every type, costs one
 * lookup and not one per person, type, channel and language.
 */
export async function loadTemplates(
  ctx: Ctx,
  input: {
    organizationId: string | null;
    types: readonly NotificationType[];
    channels: readonly TemplateChannel[];
    languages: readonly (string | null | undefined)[];
  },
): Promise<TemplateSet> {
  const languages = [...new Set(input.languages.flatMap(languageCandidates))];
  const { organizationId } = input;
  const rows =
    input.types.length && input.channels.length
      ? await ctx.db
          .selectFrom("notification_templates")
          .select([
            "id",
            "organization_id",
            "type",
            "channel",
            "language",
            "version",
            "subject",
            "body",
          ])
          .where("status", "=", "active")
          .where("type", "in", input.types)
          .where("channel", "in", input.channels)
          .where("language", "in", languages)
          .where((eb) =>
            organizationId
              ? eb.or([
                  eb("organization_id", "=", organizationId),
                  eb("organization_id", "is", null),
                ])
              : eb("organization_id", "is", null),
          )
          .execute()
      : [];
  type Source = "organization" | "system";
  const key = (source: Source, type: string, channel: string, language: string) =>
    `${source} ${type} ${channel} ${language}`;
  const live = new Map(
    rows.map((r) => [
      key(r.organization_id === null ? "system" : "organization", r.type, r.channel, r.language),
      r,
    ]),
  );
  const found = (
    source: Source,
    type: string,
    channel: string,
    language: string,
  ): ResolvedTemplate | null => {
    const row = live.get(key(source, type, channel, language));
    return row
      ? {
          subject: row.subject,
          body: row.body,
          templateId: row.id,
          version: row.version,
          language,
          source,
        }
      : null;
  };
  return {
    pick(type, channel, language) {
      const [own, ...rest] = languageCandidates(language);
      for (const lang of [own, DEFAULT_LANGUAGE].filter((l): l is string => !!l)) {
        const row = found("organization", type, channel, lang);
        if (row) return row;
      }
      for (const lang of [own, ...rest].filter((l): l is string => !!l)) {
        const row = found("system", type, channel, lang);
        if (row) return row;
        const builtin = builtinTemplate(type, channel, lang);
        if (builtin)
          return { ...builtin, templateId: null, version: 0, language: lang, source: "built-in" };
      }
      // every type has an English built-in text, so this is only reached for a bad channel
      throw new Error(`no template for ${type} on ${channel}`);
    },
  };
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
