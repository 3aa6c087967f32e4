import { z } from "zod";
import { done, envelope, isoDateTime, ok, okEmpty } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref, tenantRef } from "../../platform/references.js";
import { reportDefinition, reportFilters } from "./definition.js";
import type { ReportTemplateRow } from "./schema.js";
import {
  createTemplate,
  deleteTemplate,
  duplicateTemplate,
  generateFromTemplate,
  listTemplates,
  mayChange,
  shareTemplate,
  templateNames,
  templateVersions,
  updateTemplate,
  visibleTemplate,
} from "./templates.js";

const VISIBILITIES = ["private", "team", "department", "organization"] as const;
const FORMATS = ["csv", "json", "excel", "pdf"] as const;

const templateSchema = z
  .object({
    id: z.uuid(),
    familyId: z.uuid(),
    organizationId: z.uuid().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    slug: z.string(),
    reportType: z.enum(["predefined", "custom"]),
    predefinedType: z.string().nullable(),
    definition: z.record(z.string(), z.unknown()),
    defaultOutputFormat: z.enum(FORMATS),
    category: z.string(),
    tags: z.array(z.string()),
    icon: z.string().nullable(),
    color: z.string().nullable(),
    isSystem: z.boolean(),
    visibility: z.enum([...VISIBILITIES, "global"]),
    departmentId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    sharedWith: z.array(z.string()),
    usageCount: z.number().int(),
    lastUsedAt: isoDateTime().nullable(),
    version: z.number().int(),
    previousVersionId: z.uuid().nullable(),
    isLatest: z.boolean(),
    createdBy: z.uuid().nullable(),
    updatedAt: isoDateTime(),
  })
  .meta({ id: "ReportTemplate" });

const named = z.object({ id: z.uuid(), name: z.string() });

const templateDetailSchema = templateSchema
  .extend({
    owner: named.nullable().describe("Who saved the template (null for system templates)"),
    sharedWithPeople: z
      .array(named)
      .describe("The people of `sharedWith`, named (members no longer found are left out)"),
    team: named.nullable().describe("The team of team visibility"),
    department: named.nullable().describe("The department of department visibility"),
    abilities: z
      .object({
        change: z
          .boolean()
          .describe(
            "May edit, share and delete it: not a system template, and the caller's own or the caller manages reports",
          ),
      })
      .describe("What the caller may do with this template"),
  })
  .meta({ id: "ReportTemplateDetail" });

const templateVersionSchema = templateSchema
  .extend({
    author: named.nullable().describe("Who wrote this version (at updatedAt)"),
    team: named.nullable(),
    department: named.nullable(),
  })
  .meta({ id: "ReportTemplateVersion" });

function present(t: ReportTemplateRow) {
  return {
    id: t.id,
    familyId: t.family_id,
    organizationId: t.organization_id,
    name: t.name,
    description: t.description,
    slug: t.slug,
    reportType: t.report_type,
    predefinedType: t.predefined_type,
    definition: t.definition as Record<string, unknown>,
    defaultOutputFormat: t.default_output_format,
    category: t.category,
    tags: t.tags,
    icon: t.icon,
    color: t.color,
    isSystem: t.is_system,
    visibility: t.visibility,
    departmentId: t.department_id,
    teamId: t.team_id,
    sharedWith: t.shared_with,
    usageCount: t.usage_count,
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    version: t.version,
    previousVersionId: t.previous_version_id,
    isLatest: t.is_latest,
    createdBy: t.created_by,
    updatedAt: t.updated_at.toISOString(),
  };
}

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable(),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Lowercase words joined by hyphens")
    .max(100),
  definition: reportDefinition,
  defaultOutputFormat: z.enum(FORMATS),
  category: z.string().trim().min(1).max(60),
  tags: z.array(z.string().trim().min(1).max(40)).max(20),
  icon: z.string().max(60).nullable(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .nullable(),
  visibility: z.enum(VISIBILITIES),
  departmentId: ref("department").nullable(),
  teamId: ref("team").nullable(),
};

/** Report templates (seed 000 §4.1.2). */
export async function reportTemplateRoutes(app: App): Promise<void> {
  const tags = ["Report templates"];
  const templateParams = idParam("templateId");
  const jobSummary = z.object({ id: z.uuid(), status: z.string(), name: z.string() });

  app.post(
    "/api/v1/organizations/:organizationId/report-templates",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Save a report definition as a template",
        params: idParam("organizationId"),
        body: z.object(fields).partial().required({ name: true, definition: true }),
        response: { 201: envelope(templateSchema) },
      },
    },
    async (request, reply) => {
      const t = await createTemplate(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(present(t));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/report-templates",
    {
      config: { access: { permission: "reports:read" } },
      schema: {
        tags,
        summary: "Templates the caller sees: system ones and the organization's shared with them",
        params: idParam("organizationId"),
        querystring: z.object({
          category: z.string().max(60).optional(),
          tag: z.string().max(40).optional(),
          search: z.string().trim().min(1).max(100).optional(),
          system: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional(),
        }),
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
    "/api/v1/report-templates/:templateId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "A template (its latest version)",
        params: templateParams,
        description:
          "With the names of its author, of the people, team and department it is shared with, and what the caller may do with it.",
        querystring: z.object({ organizationId: ref("organization").optional() }),
        response: { 200: envelope(templateDetailSchema) },
      },
    },
    async (request) => {
      const t = await visibleTemplate(
        request.ctx,
        request.params.templateId,
        request.query.organizationId,
      );
      const names = await templateNames(request.ctx, [t]);
      return ok({
        ...present(t),
        owner: names.person(t.created_by),
        sharedWithPeople: t.shared_with.flatMap((id) => names.person(id) ?? []),
        team: names.place(t.team_id),
        department: names.place(t.department_id),
        abilities: { change: await mayChange(request.ctx, t) },
      });
    },
  );

  app.get(
    "/api/v1/report-templates/:templateId/versions",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Every version of a template, newest first",
        description:
          "Each whole, with who wrote it: compare neighbours to see what changed. System templates need the organization they are seen in.",
        params: templateParams,
        querystring: z.object({ organizationId: ref("organization").optional() }),
        response: { 200: envelope(z.array(templateVersionSchema)) },
      },
    },
    async (request) => {
      const versions = await templateVersions(
        request.ctx,
        request.params.templateId,
        request.query.organizationId,
      );
      const names = await templateNames(request.ctx, versions);
      return ok(
        versions.map((v) => ({
          ...present(v),
          author: names.person(v.updated_by),
          team: names.place(v.team_id),
          department: names.place(v.department_id),
        })),
      );
    },
  );

  app.put(
    "/api/v1/report-templates/:templateId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Change a template: writes a new version and keeps the previous one",
        params: templateParams,
        body: z.object(fields).partial().strict(),
        response: { 200: envelope(templateSchema) },
      },
    },
    async (request) =>
      ok(present(await updateTemplate(request.ctx, request.params.templateId, request.body))),
  );

  app.delete(
    "/api/v1/report-templates/:templateId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Delete a template (every version)",
        params: templateParams,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteTemplate(request.ctx, request.params.templateId);
      return done();
    },
  );

  app.post(
    "/api/v1/report-templates/:templateId/duplicate",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "A private copy of a template (system ones too) to change",
        params: templateParams,
        body: z.object({ organizationId: ref("organization").optional() }).default({}),
        response: { 201: envelope(templateSchema) },
      },
    },
    async (request, reply) => {
      const t = await duplicateTemplate(
        request.ctx,
        request.params.templateId,
        request.body.organizationId,
      );
      reply.code(201);
      return ok(present(t));
    },
  );

  app.post(
    "/api/v1/report-templates/:templateId/share",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Share a template with people, or with a team, department or the organization",
        params: templateParams,
        body: z.object({
          userIds: z.array(ref("user")).max(200).optional(),
          visibility: z.enum(VISIBILITIES).optional(),
          departmentId: ref("department").optional(),
          teamId: ref("team").optional(),
        }),
        response: { 200: envelope(templateSchema) },
      },
    },
    async (request) =>
      ok(present(await shareTemplate(request.ctx, request.params.templateId, request.body))),
  );

  app.post(
    "/api/v1/report-templates/:templateId/generate",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Queue a report job from a template, with filter overrides",
        description: "A report job makes a file: needs reports:export, like queuing a job.",
        params: templateParams,
        body: z.object({
          organizationId: tenantRef().optional().describe("Needed for system templates"),
          name: z.string().trim().min(1).max(200).optional(),
          outputFormat: z.enum(["csv", "json", "excel", "pdf"]).optional(),
          priority: z.enum(["critical", "high", "normal", "low", "scheduled"]).optional(),
          filters: reportFilters
            .optional()
            .describe("Replace these filters of the template's definition"),
          webhook: z
            .object({ url: z.url().max(2000), secret: z.string().min(16).max(200) })
            .nullable()
            .optional()
            .describe("POSTed the result, signed with the secret (X-Lyceum-Signature)"),
        }),
        response: { 201: envelope(jobSummary) },
      },
    },
    async (request, reply) => {
      const job = await generateFromTemplate(request.ctx, request.params.templateId, request.body);
      reply.code(201);
      return ok({ id: job.id, status: job.status, name: job.name });
    },
  );
}
