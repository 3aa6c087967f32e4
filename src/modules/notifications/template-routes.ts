import { z } from "zod";
import { envelope, isoDateTime, ok } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { BUILTIN_LANGUAGES, builtinTemplate } from "./builtin-templates.js";
import { NOTIFICATION_TYPES, type NotificationType, variablesFor } from "./notify.js";
import type { NotificationTemplateRow, TemplateChannel } from "./schema.js";
import {
  approveTemplate,
  createDraft,
  listTemplates,
  loadTemplate,
  previewTexts,
  rejectTemplate,
  requireTemplateAccess,
  submitTemplate,
  TEMPLATE_PERMISSION,
  updateDraft,
} from "./template-admin.js";
import { loadTemplates } from "./templates.js";

const iso = isoDateTime;
const TYPES = Object.keys(NOTIFICATION_TYPES) as [NotificationType, ...NotificationType[]];
const CHANNELS = ["email", "in-app", "sms", "push"] as const satisfies readonly TemplateChannel[];
const STATUSES = ["draft", "pending-approval", "active", "retired"] as const;
const language = z
  .string()
  .regex(/^[a-z]{2}(-[A-Z]{2})?$/, "A language tag such as en or de-AT")
  .describe("Language tag: en, de, de-AT, …");

const templateSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid().nullable().describe("null: a system template"),
    type: z.string(),
    channel: z.enum(CHANNELS),
    language: z.string(),
    version: z.number().int(),
    status: z.enum(STATUSES),
    subject: z.string().describe("Subject of a mail, title of an in-app or push message"),
    body: z.string(),
    createdBy: z.uuid().nullable(),
    submittedBy: z.uuid().nullable(),
    submittedAt: iso().nullable(),
    approvedBy: z.uuid().nullable(),
    approvedAt: iso().nullable(),
    rejectedBy: z.uuid().nullable(),
    rejectedAt: iso().nullable(),
    rejectionReason: z.string().nullable(),
    retiredAt: iso().nullable(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "NotificationTemplate" });

function present(r: NotificationTemplateRow) {
  const at = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: r.id,
    organizationId: r.organization_id,
    type: r.type,
    channel: r.channel,
    language: r.language,
    version: r.version,
    status: r.status,
    subject: r.subject,
    body: r.body,
    createdBy: r.created_by,
    submittedBy: r.submitted_by,
    submittedAt: at(r.submitted_at),
    approvedBy: r.approved_by,
    approvedAt: at(r.approved_at),
    rejectedBy: r.rejected_by,
    rejectedAt: at(r.rejected_at),
    rejectionReason: r.rejection_reason,
    retiredAt: at(r.retired_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const typeSchema = z
  .object({
    type: z.string(),
    description: z.string(),
    emailByDefault: z.boolean(),
    variables: z.array(z.object({ name: z.string(), description: z.string() })),
    builtin: z
      .array(
        z.object({
          channel: z.enum(CHANNELS),
          language: z.string(),
          subject: z.string(),
          body: z.string(),
        }),
      )
      .describe("The built-in texts (version 0 of the system templates)"),
  })
  .meta({ id: "NotificationType" });

const previewSchema = z
  .object({
    subject: z.string(),
    body: z.string(),
    html: z.string().nullable().describe("The mail as sent, for the email channel"),
    values: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "NotificationTemplatePreview" });

const effectiveSchema = z
  .object({
    type: z.string(),
    channel: z.enum(CHANNELS),
    language: z.string().describe("The language of the texts used (after fallback)"),
    source: z.enum(["organization", "system", "built-in"]),
    templateId: z.uuid().nullable(),
    version: z.number().int(),
    subject: z.string(),
    body: z.string(),
  })
  .meta({ id: "EffectiveNotificationTemplate" });

const listQuery = z.object({
  type: z.enum(TYPES).optional(),
  channel: z.enum(CHANNELS).optional(),
  language: language.optional(),
  status: z.enum(STATUSES).optional(),
});

const newTemplate = z
  .object({
    type: z.enum(TYPES),
    channel: z.enum(CHANNELS),
    language,
    subject: z.string().max(500),
    body: z.string().min(1).max(20_000),
  })
  .strict();

const sampleValuesSchema = z
  .record(z.string(), z.string().max(2000))
  .optional()
  .describe("Values of variables for the preview; others get a sample value");

const org = idParam("organizationId");
const one = idParam("notificationTemplateId");

/**
 * Notification templates (issue 16 §2; seed 004 lms_notification_template): an
 * organization's overrides under `/organizations/{id}/notification-templates`, the system
 * templates (platform administrators) under `/notification-templates`, and the versions'
 * approval under `/notification-templates/{id}`.
 */
export async function notificationTemplateRoutes(app: App): Promise<void> {
  const tags = ["Notification templates"];

  app.get(
    "/api/v1/notification-types",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "The notification types with their variables and built-in texts",
        response: { 200: envelope(z.array(typeSchema)) },
      },
    },
    async () =>
      ok(
        TYPES.map((type) => ({
          type,
          description: NOTIFICATION_TYPES[type].description,
          emailByDefault: NOTIFICATION_TYPES[type].email,
          variables: Object.entries(variablesFor(type)).map(([name, description]) => ({
            name,
            description,
          })),
          builtin: BUILTIN_LANGUAGES.flatMap((lang) =>
            CHANNELS.flatMap((channel) => {
              const text = builtinTemplate(type, channel, lang);
              return text ? [{ channel, language: lang, ...text }] : [];
            }),
          ),
        })),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/notification-templates",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "An organization's template versions (its overrides of the system templates)",
        params: org,
        querystring: listQuery,
        response: { 200: envelope(z.array(templateSchema)) },
      },
    },
    async (request) =>
      ok(
        (await listTemplates(request.ctx, request.params.organizationId, request.query)).map(
          present,
        ),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/notification-templates/effective",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "The texts each type goes out with in a language, and where they come from",
        description:
          "Per type and channel: the organization's active version in the language, else its version in English, else the system's in the language, else the system's in English; a system step without an approved version uses the built-in text.",
        params: org,
        querystring: z.object({ language: language.default("en") }),
        response: { 200: envelope(z.array(effectiveSchema)) },
      },
    },
    async (request) => {
      const templates = await loadTemplates(request.ctx, {
        organizationId: request.params.organizationId,
        types: TYPES,
        channels: CHANNELS,
        languages: [request.query.language],
      });
      return ok(
        TYPES.flatMap((type) =>
          CHANNELS.map((channel) => {
            const t = templates.pick(type, channel, request.query.language);
            return {
              type,
              channel,
              language: t.language,
              source: t.source,
              templateId: t.templateId,
              version: t.version,
              subject: t.subject,
              body: t.body,
            };
          }),
        ),
      );
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/notification-templates",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "Write a new draft version of an organization's template",
        description:
          "Texts use `{{variable}}` and `{{#if variable}}…{{else}}…{{/if}}` with the type's variables only (see `/notification-types`); an unknown variable is refused naming it. The draft goes live once submitted and approved by someone else.",
        params: org,
        body: newTemplate,
        response: { 201: envelope(templateSchema) },
      },
    },
    async (request, reply) => {
      const row = await createDraft(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(present(row));
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/notification-templates/preview",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "Render unsaved template texts with sample values",
        params: org,
        body: newTemplate.extend({ values: sampleValuesSchema }).strict(),
        response: { 200: envelope(previewSchema) },
      },
    },
    async (request) => {
      const { type, channel, language: lang, subject, body, values } = request.body;
      return ok(previewTexts(type, channel, lang, { subject, body }, values));
    },
  );

  app.get(
    "/api/v1/notification-templates",
    {
      config: { access: { permission: TEMPLATE_PERMISSION, platform: true } },
      schema: {
        tags,
        summary: "The system template versions (platform administrators)",
        querystring: listQuery,
        response: { 200: envelope(z.array(templateSchema)) },
      },
    },
    async (request) => {
      await requireTemplateAccess(request.ctx, null);
      return ok((await listTemplates(request.ctx, null, request.query)).map(present));
    },
  );

  app.post(
    "/api/v1/notification-templates",
    {
      config: { access: { permission: TEMPLATE_PERMISSION, platform: true } },
      schema: {
        tags,
        summary: "Write a new draft version of a system template (platform administrators)",
        body: newTemplate,
        response: { 201: envelope(templateSchema) },
      },
    },
    async (request, reply) => {
      const row = await createDraft(request.ctx, null, request.body);
      reply.code(201);
      return ok(present(row));
    },
  );

  app.get(
    "/api/v1/notification-templates/:notificationTemplateId",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "One template version",
        params: one,
        response: { 200: envelope(templateSchema) },
      },
    },
    async (request) =>
      ok(present(await loadTemplate(request.ctx, request.params.notificationTemplateId))),
  );

  app.patch(
    "/api/v1/notification-templates/:notificationTemplateId",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "Change the texts of a draft",
        description: "Only drafts change; to change a live version, write a new draft.",
        params: one,
        body: z
          .object({ subject: z.string().max(500), body: z.string().min(1).max(20_000) })
          .partial()
          .strict(),
        response: { 200: envelope(templateSchema) },
      },
    },
    async (request) =>
      ok(
        present(
          await updateDraft(request.ctx, request.params.notificationTemplateId, request.body),
        ),
      ),
  );

  for (const [action, summary, run] of [
    ["submit", "Submit a draft for approval", submitTemplate],
    [
      "approve",
      "Approve a version: it goes live and the live one is retired (someone other than its author)",
      approveTemplate,
    ],
  ] as const) {
    app.post(
      `/api/v1/notification-templates/:notificationTemplateId/${action}`,
      {
        config: { access: { permission: TEMPLATE_PERMISSION, apiKeys: false } },
        schema: {
          tags,
          summary,
          params: one,
          response: { 200: envelope(templateSchema) },
        },
      },
      async (request) => ok(present(await run(request.ctx, request.params.notificationTemplateId))),
    );
  }

  app.post(
    "/api/v1/notification-templates/:notificationTemplateId/reject",
    {
      config: { access: { permission: TEMPLATE_PERMISSION, apiKeys: false } },
      schema: {
        tags,
        summary: "Send a version waiting for approval back to draft, with the reason",
        params: one,
        body: z.object({ reason: z.string().trim().min(1).max(2000) }).strict(),
        response: { 200: envelope(templateSchema) },
      },
    },
    async (request) =>
      ok(
        present(
          await rejectTemplate(
            request.ctx,
            request.params.notificationTemplateId,
            request.body.reason,
          ),
        ),
      ),
  );

  app.post(
    "/api/v1/notification-templates/:notificationTemplateId/preview",
    {
      config: { access: { permission: TEMPLATE_PERMISSION } },
      schema: {
        tags,
        summary: "Render a template version with sample values of its variables",
        params: one,
        body: z.object({ values: sampleValuesSchema }).strict().default({}),
        response: { 200: envelope(previewSchema) },
      },
    },
    async (request) => {
      const row = await loadTemplate(request.ctx, request.params.notificationTemplateId);
      return ok(
        previewTexts(
          row.type as NotificationType,
          row.channel,
          row.language,
          row,
          request.body.values,
        ),
      );
    },
  );
}
