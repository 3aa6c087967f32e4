import type {
  EffectiveTemplate,
  NotificationTemplate,
  NotificationTypeInfo,
  TemplateChannel,
} from "../../api/notificationTemplates";

/** One line of templates: a type on a channel in a language. */
export interface TemplateLine {
  type: string;
  channel: TemplateChannel;
  language: string;
}

/** The versions of one line, newest first. */
export function versionsOf(all: NotificationTemplate[], line: TemplateLine) {
  return all
    .filter(
      (v) => v.type === line.type && v.channel === line.channel && v.language === line.language,
    )
    .sort((a, b) => b.version - a.version);
}

/** The built-in text of a line: in its language, else in English; null when the channel has none. */
export function builtinOf(types: NotificationTypeInfo[], line: TemplateLine) {
  const type = types.find((t) => t.type === line.type);
  const of = (language: string) =>
    type?.builtin.find((b) => b.channel === line.channel && b.language === language);
  return of(line.language) ?? of("en") ?? null;
}

/**
 * The texts a new version starts from: the newest draft or version waiting for approval of
 * the line, else the one in use (the live override, the system's or the built-in text).
 */
export function startingTexts(
  versions: NotificationTemplate[],
  effective: Pick<EffectiveTemplate, "subject" | "body"> | null,
  builtin: { subject: string; body: string } | null,
): { subject: string; body: string } {
  const open = versions.find((v) => v.status === "draft" || v.status === "pending-approval");
  const live = versions.find((v) => v.status === "active");
  const from = open ?? live ?? effective ?? builtin;
  return { subject: from?.subject ?? "", body: from?.body ?? "" };
}

/**
 * Why the signed-in person may not approve a version waiting for approval (null: they may):
 * the approver is someone other than its author and its submitter.
 */
export function approvalBlock(
  version: Pick<NotificationTemplate, "status" | "createdBy" | "submittedBy">,
  userId: string,
): "not-pending" | "author" | "submitter" | null {
  if (version.status !== "pending-approval") return "not-pending";
  if (version.createdBy === userId) return "author";
  if (version.submittedBy === userId) return "submitter";
  return null;
}
