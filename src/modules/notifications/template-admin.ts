import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { actorUserId, signedInUserId } from "../../platform/auth/actor.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { mailPage } from "../../platform/mail/layout.js";
import { can, widestScope } from "../../platform/policy/engine.js";
import { builtinActionLabel } from "./builtin-templates.js";
import { NOTIFICATION_TYPES, type NotificationType, paragraphsOf } from "./notify.js";
import type { NotificationTemplateRow, TemplateChannel, TemplateStatus } from "./schema.js";
import { renderTemplate, type TemplateValues } from "./template-language.js";
import { checkTemplateText, renderText, sampleValues } from "./templates.js";

/** Who may write an organization's templates; platform administrators write the system's. */
export const TEMPLATE_PERMISSION = "organizations:update";

/** Throws unless the actor may change templates of the organization (null: the system's). */
export async function requireTemplateAccess(ctx: Ctx, organizationId: string | null) {
  const access = await ctx.actor.access();
  const allowed = organizationId
    ? can(access, TEMPLATE_PERMISSION, { organizationId })
    : widestScope(access, TEMPLATE_PERMISSION, null) === "all";
  if (!allowed)
    throw new AppError(
      "FORBIDDEN",
      organizationId
        ? "You do not have permission to change this organization's notification templates"
        : "Only platform administrators change the system notification templates",
      { details: { required: TEMPLATE_PERMISSION } },
    );
}

/** A template version the actor may work on, or NOT_FOUND. */
export async function loadTemplate(
  ctx: Ctx,
  id: string,
  forUpdate = false,
): Promise<NotificationTemplateRow> {
  let q = ctx.db.selectFrom("notification_templates").selectAll().where("id", "=", id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Notification template not found");
  const access = await ctx.actor.access();
  const visible = row.organization_id
    ? can(access, TEMPLATE_PERMISSION, { organizationId: row.organization_id })
    : widestScope(access, TEMPLATE_PERMISSION, null) === "all";
  if (!visible) throw new AppError("NOT_FOUND", "Notification template not found");
  return row;
}

export interface TemplateFilter {
  type?: string;
  channel?: TemplateChannel;
  language?: string;
  status?: TemplateStatus;
}

export async function listTemplates(
  ctx: Ctx,
  organizationId: string | null,
  filter: TemplateFilter,
): Promise<NotificationTemplateRow[]> {
  let q = ctx.db
    .selectFrom("notification_templates")
    .selectAll()
    .where((eb) =>
      organizationId
        ? eb("organization_id", "=", organizationId)
        : eb("organization_id", "is", null),
    );
  if (filter.type) q = q.where("type", "=", filter.type);
  if (filter.channel) q = q.where("channel", "=", filter.channel);
  if (filter.language) q = q.where("language", "=", filter.language);
  if (filter.status) q = q.where("status", "=", filter.status);
  return q
    .orderBy("type")
    .orderBy("channel")
    .orderBy("language")
    .orderBy("version", "desc")
    .limit(1000)
    .execute();
}

export interface NewTemplate {
  type: NotificationType;
  channel: TemplateChannel;
  language: string;
  subject: string;
  body: string;
}

/** Writes a new draft version; the live version stays live until this one is approved. */
export async function createDraft(
  ctx: Ctx,
  organizationId: string | null,
  input: NewTemplate,
): Promise<NotificationTemplateRow> {
  await requireTemplateAccess(ctx, organizationId);
  checkTemplateText(input.type, input);
  return inTransaction(ctx, async (tx) => {
    // one writer per template line at a time, so version numbers never collide
    await sql`select pg_advisory_xact_lock(hashtext(${`notification-template:${organizationId ?? "system"}:${input.type}:${input.channel}:${input.language}`}))`.execute(
      tx.db,
    );
    const last = await tx.db
      .selectFrom("notification_templates")
      .select((eb) => eb.fn.max("version").as("version"))
      .where((eb) =>
        organizationId
          ? eb("organization_id", "=", organizationId)
          : eb("organization_id", "is", null),
      )
      .where("type", "=", input.type)
      .where("channel", "=", input.channel)
      .where("language", "=", input.language)
      .executeTakeFirst();
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("notification_templates")
      .values({
        organization_id: organizationId,
        type: input.type,
        channel: input.channel,
        language: input.language,
        version: Number(last?.version ?? 0) + 1,
        status: "draft",
        subject: input.subject,
        body: input.body,
        created_by: actorUserId(tx.actor),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "notification-template.create",
      entityType: "notification-template",
      entityId: row.id,
      after: {
        type: row.type,
        channel: row.channel,
        language: row.language,
        version: row.version,
        subject: row.subject,
        body: row.body,
      },
    });
    return row;
  });
}

function requireStatus(row: NotificationTemplateRow, status: TemplateStatus, doing: string) {
  if (row.status !== status)
    throw new AppError(
      "CONFLICT",
      `Only a ${status.replace("-", " ")} version can be ${doing}; this one is ${row.status.replace("-", " ")}`,
    );
}

/**
 * Changes the texts of a draft in place. Once submitted (waiting for approval, live or retired)
 * a version's texts stay as they were approved: `TEMPLATE_NOT_DRAFT`.
 */
export async function updateDraft(
  ctx: Ctx,
  id: string,
  patch: { subject?: string; body?: string },
): Promise<NotificationTemplateRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await loadTemplate(tx, id, true);
    await requireTemplateAccess(tx, before.organization_id);
    if (before.status !== "draft")
      throw new AppError(
        "TEMPLATE_NOT_DRAFT",
        `Only a draft can be edited; this version is ${before.status.replace("-", " ")}. Write a new draft instead.`,
        { details: { status: before.status } },
      );
    const next = { subject: patch.subject ?? before.subject, body: patch.body ?? before.body };
    checkTemplateText(before.type as NotificationType, next);
    const row = await tx.db
      .updateTable("notification_templates")
      .set({ ...next, updated_at: tx.clock.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "notification-template.update",
      entityType: "notification-template",
      entityId: id,
      before: { subject: before.subject, body: before.body },
      after: next,
    });
    return row;
  });
}

/** Asks for approval of a draft. */
export async function submitTemplate(ctx: Ctx, id: string): Promise<NotificationTemplateRow> {
  const userId = signedInUserId(ctx.actor, "A person submits a template for approval");
  return inTransaction(ctx, async (tx) => {
    const before = await loadTemplate(tx, id, true);
    await requireTemplateAccess(tx, before.organization_id);
    requireStatus(before, "draft", "submitted");
    const now = tx.clock.now();
    const row = await tx.db
      .updateTable("notification_templates")
      .set({ status: "pending-approval", submitted_by: userId, submitted_at: now, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "notification-template.submit",
      entityType: "notification-template",
      entityId: id,
      before: { status: before.status },
      after: { status: row.status },
    });
    return row;
  });
}

/**
 * Approves a version waiting for approval: it goes live, and the version live until now is
 * retired. The approver must be someone other than its author and its submitter.
 */
export async function approveTemplate(ctx: Ctx, id: string): Promise<NotificationTemplateRow> {
  const userId = signedInUserId(ctx.actor, "A person approves a template");
  return inTransaction(ctx, async (tx) => {
    const before = await loadTemplate(tx, id, true);
    await requireTemplateAccess(tx, before.organization_id);
    requireStatus(before, "pending-approval", "approved");
    if (userId === before.created_by || userId === before.submitted_by)
      throw new AppError(
        "FORBIDDEN",
        "Someone other than the author and the submitter approves a template version",
      );
    const now = tx.clock.now();
    const retired = await tx.db
      .updateTable("notification_templates")
      .set({ status: "retired", retired_at: now, updated_at: now })
      .where((eb) =>
        before.organization_id
          ? eb("organization_id", "=", before.organization_id)
          : eb("organization_id", "is", null),
      )
      .where("type", "=", before.type)
      .where("channel", "=", before.channel)
      .where("language", "=", before.language)
      .where("status", "=", "active")
      .returning(["id", "version"])
      .execute();
    const row = await tx.db
      .updateTable("notification_templates")
      .set({ status: "active", approved_by: userId, approved_at: now, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "notification-template.approve",
      entityType: "notification-template",
      entityId: id,
      before: { status: before.status },
      after: { status: row.status, retired: retired.map((r) => r.version) },
    });
    return row;
  });
}

/** Sends a version waiting for approval back to draft, with the reason. */
export async function rejectTemplate(
  ctx: Ctx,
  id: string,
  reason: string,
): Promise<NotificationTemplateRow> {
  const userId = signedInUserId(ctx.actor, "A person rejects a template");
  return inTransaction(ctx, async (tx) => {
    const before = await loadTemplate(tx, id, true);
    await requireTemplateAccess(tx, before.organization_id);
    requireStatus(before, "pending-approval", "rejected");
    const now = tx.clock.now();
    const row = await tx.db
      .updateTable("notification_templates")
      .set({
        status: "draft",
        rejected_by: userId,
        rejected_at: now,
        rejection_reason: reason,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "notification-template.reject",
      entityType: "notification-template",
      entityId: id,
      before: { status: before.status },
      after: { status: row.status, rejection_reason: reason },
    });
    return row;
  });
}

export interface Preview {
  subject: string;
  body: string;
  /** The mail's HTML, for the email channel. */
  html: string | null;
  values: TemplateValues;
}

/** Renders texts with sample values of the type's variables (or the values given). */
export function previewTexts(
  type: NotificationType,
  channel: TemplateChannel,
  language: string,
  texts: { subject: string; body: string },
  values: Record<string, string> = {},
): Preview {
  checkTemplateText(type, texts);
  const all: TemplateValues = { ...sampleValues(type), ...values };
  const out = renderText(texts, all);
  return {
    ...out,
    html:
      channel === "email"
        ? mailPage(out.subject, paragraphsOf(out.body), {
            label: renderTemplate(builtinActionLabel(type, language), all),
            url: "https://lyceum.example/…",
          })
        : null,
    values: all,
  };
}

export function isNotificationType(type: string): type is NotificationType {
  return Object.hasOwn(NOTIFICATION_TYPES, type);
}
