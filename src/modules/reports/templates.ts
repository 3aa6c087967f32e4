import { type ExpressionBuilder, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import { likePattern } from "../../db/values.js";
import { signedInUserId } from "../../platform/auth/actor.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { holds } from "../../platform/policy/engine.js";
import { slugify } from "../../platform/slug.js";
import { revealed } from "./compile.js";
import { createReportJob } from "./jobs.js";
import { PREDEFINED_ABILITIES } from "./predefined.js";
import type {
  OutputFormat,
  ReportJobRow,
  ReportPriority,
  ReportTemplateRow,
  TemplateVisibility,
} from "./schema.js";
import { requireDefinition } from "./service.js";

/**
 * Report templates (seed 000 §3.1.2, §4.1.2): saved definitions with a slug, category and tags,
 * visibility (private, team, department, organization; global for the predefined system
 * templates), sharing with people, usage tracking, and versions — an edit writes a new version
 * and keeps the previous one; only the latest counts.
 */

export interface TemplateInput {
  name: string;
  description?: string | null;
  slug?: string;
  definition: unknown;
  defaultOutputFormat?: OutputFormat;
  category?: string;
  tags?: string[];
  icon?: string | null;
  color?: string | null;
  visibility?: Exclude<TemplateVisibility, "global">;
  departmentId?: string | null;
  teamId?: string | null;
}

const userOf = (ctx: Ctx) => signedInUserId(ctx.actor, "Templates belong to people");

/** Where the caller sits in an organization: their departments and teams. */
async function placesOf(ctx: Ctx, organizationId: string, userId: string) {
  const [departments, teams] = await Promise.all([
    ctx.db
      .selectFrom("organization_members")
      .select("department_id")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .where("department_id", "is not", null)
      .execute(),
    ctx.db
      .selectFrom("team_members")
      .select("team_id")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .execute(),
  ]);
  return {
    departments: departments.map((d) => d.department_id as string),
    teams: teams.map((t) => t.team_id),
  };
}

/** The latest versions the caller sees in an organization (and the global system templates). */
async function visibleWhere(ctx: Ctx, organizationId: string) {
  const userId = userOf(ctx);
  const access = await ctx.actor.access();
  const manager = holds(access, "reports:manage", organizationId);
  const places = await placesOf(ctx, organizationId, userId);
  // A template whose fields need a permission the caller lacks (integration health needs
  // integrations:manage) is not offered: it could not run.
  const missing = PREDEFINED_ABILITIES.filter((a) => !revealed(access, a, organizationId));
  return (eb: ExpressionBuilder<Database, "report_templates">) =>
    eb.and([
      eb("is_latest", "=", true),
      eb("deleted_at", "is", null),
      ...(missing.length
        ? [
            eb(
              sql<boolean>`required_permissions && array[${sql.join(missing)}]::text[]`,
              "=",
              false,
            ),
          ]
        : []),
      eb.or([
        eb("organization_id", "is", null),
        eb.and([
          eb("organization_id", "=", organizationId),
          manager
            ? eb.val(true)
            : eb.or([
                eb("visibility", "=", "organization"),
                eb("created_by", "=", userId),
                eb(sql<boolean>`${userId} = any(shared_with)`, "=", true),
                ...(places.departments.length
                  ? [
                      eb.and([
                        eb("visibility", "=", "department"),
                        eb("department_id", "in", places.departments),
                      ]),
                    ]
                  : []),
                ...(places.teams.length
                  ? [eb.and([eb("visibility", "=", "team"), eb("team_id", "in", places.teams)])]
                  : []),
              ]),
        ]),
      ]),
    ]);
}

export async function listTemplates(
  ctx: Ctx,
  organizationId: string,
  query: { category?: string; tag?: string; search?: string; system?: boolean },
) {
  const visible = await visibleWhere(ctx, organizationId);
  let q = ctx.db.selectFrom("report_templates").selectAll().where(visible);
  if (query.category) q = q.where("category", "=", query.category);
  if (query.tag) q = q.where(sql<boolean>`${query.tag} = any(tags)`);
  if (query.system !== undefined) q = q.where("is_system", "=", query.system);
  if (query.search)
    q = q.where((eb) =>
      eb.or([
        eb("name", "ilike", likePattern(query.search as string)),
        eb("slug", "ilike", likePattern(query.search as string)),
      ]),
    );
  return q.orderBy("is_system", "desc").orderBy("name").execute();
}

/** A template (its latest version) the caller may see, in the context of an organization. */
export async function visibleTemplate(
  ctx: Ctx,
  templateId: string,
  organizationId?: string,
): Promise<ReportTemplateRow> {
  const row = await ctx.db
    .selectFrom("report_templates")
    .selectAll()
    .where("id", "=", templateId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  const org = row?.organization_id ?? organizationId;
  if (!row || !org) throw new AppError("NOT_FOUND", "Template not found");
  if (!holds(await ctx.actor.access(), "reports:read", org))
    throw new AppError("NOT_FOUND", "Template not found");
  const visible = await visibleWhere(ctx, org);
  const latest = await ctx.db
    .selectFrom("report_templates")
    .selectAll()
    .where("family_id", "=", row.family_id)
    .where(visible)
    .executeTakeFirst();
  if (!latest) throw new AppError("NOT_FOUND", "Template not found");
  return latest;
}

/**
 * Whether the caller may change a template (edit, share, delete): never a system one; the
 * author's own, or any of the organization's for report managers (as forChange decides).
 */
export async function mayChange(ctx: Ctx, template: ReportTemplateRow): Promise<boolean> {
  if (template.is_system || !template.organization_id) return false;
  return (
    template.created_by === userOf(ctx) ||
    holds(await ctx.actor.access(), "reports:manage", template.organization_id)
  );
}

export interface Named {
  id: string;
  name: string;
}

/**
 * The names a template's page shows: of the people its versions name (author, who wrote each
 * version, whom it is shared with) and of its team and department, all of its organization.
 */
export async function templateNames(ctx: Ctx, rows: ReportTemplateRow[]) {
  const ids = [
    ...new Set(rows.flatMap((r) => [r.created_by, r.updated_by, ...r.shared_with]).filter(Boolean)),
  ] as string[];
  const org = rows[0]?.organization_id ?? null;
  const teamIds = [...new Set(rows.map((r) => r.team_id).filter(Boolean))] as string[];
  const departmentIds = [...new Set(rows.map((r) => r.department_id).filter(Boolean))] as string[];
  const [users, teams, departments] = await Promise.all([
    ids.length
      ? ctx.db
          .selectFrom("users")
          .select(["id", "first_name", "last_name"])
          .where("id", "in", ids)
          .execute()
      : [],
    org && teamIds.length
      ? ctx.db
          .selectFrom("teams")
          .select(["id", "name"])
          .where("organization_id", "=", org)
          .where("id", "in", teamIds)
          .execute()
      : [],
    org && departmentIds.length
      ? ctx.db
          .selectFrom("departments")
          .select(["id", "name"])
          .where("organization_id", "=", org)
          .where("id", "in", departmentIds)
          .execute()
      : [],
  ]);
  const people = new Map(users.map((u) => [u.id, `${u.first_name} ${u.last_name}`]));
  const places = new Map([...teams, ...departments].map((p) => [p.id, p.name]));
  const named = (id: string | null, from: Map<string, string>): Named | null =>
    id && from.has(id) ? { id, name: from.get(id) as string } : null;
  return {
    person: (id: string | null) => named(id, people),
    place: (id: string | null) => named(id, places),
  };
}

async function forChange(ctx: Ctx, templateId: string): Promise<ReportTemplateRow> {
  const system = await ctx.db
    .selectFrom("report_templates")
    .select("id")
    .where("id", "=", templateId)
    .where("is_system", "=", true)
    .executeTakeFirst();
  if (system)
    throw new AppError("FORBIDDEN", "System templates cannot be changed; duplicate one instead");
  const template = await visibleTemplate(ctx, templateId);
  if (!(await mayChange(ctx, template)))
    throw new AppError("FORBIDDEN", "Only the template's author or a report manager may change it");
  return template;
}

async function placement(
  ctx: Ctx,
  organizationId: string,
  visibility: TemplateInput["visibility"],
  input: Pick<TemplateInput, "departmentId" | "teamId">,
) {
  const places = await placesOf(ctx, organizationId, userOf(ctx));
  if (visibility === "department") {
    const id = input.departmentId ?? places.departments[0];
    if (!id)
      throw new AppError("VALIDATION_ERROR", "Name the department to share with", {
        field: "departmentId",
      });
    const dept = await ctx.db
      .selectFrom("departments")
      .select("id")
      .where("id", "=", id)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!dept) throw new AppError("NOT_FOUND", "No such department", { field: "departmentId" });
    return { department_id: id, team_id: null };
  }
  if (visibility === "team") {
    const id = input.teamId ?? places.teams[0];
    if (!id)
      throw new AppError("VALIDATION_ERROR", "Name the team to share with", { field: "teamId" });
    const team = await ctx.db
      .selectFrom("teams")
      .select("id")
      .where("id", "=", id)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!team) throw new AppError("NOT_FOUND", "No such team", { field: "teamId" });
    return { department_id: null, team_id: id };
  }
  return { department_id: null, team_id: null };
}

async function freeSlug(ctx: Ctx, organizationId: string, wanted: string, familyId?: string) {
  let slug = wanted;
  for (let n = 2; ; n++) {
    const taken = await ctx.db
      .selectFrom("report_templates")
      .select("family_id")
      .where("organization_id", "=", organizationId)
      .where("slug", "=", slug)
      .where("is_latest", "=", true)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!taken || taken.family_id === familyId) return slug;
    slug = `${wanted}-${n}`;
  }
}

export async function createTemplate(
  ctx: Ctx,
  organizationId: string,
  input: TemplateInput,
): Promise<ReportTemplateRow> {
  const userId = userOf(ctx);
  if (!holds(await ctx.actor.access(), "reports:read", organizationId))
    throw new AppError("FORBIDDEN", "Templates need reports:read in this organization");
  const definition = await requireDefinition(ctx, organizationId, input.definition, "definition");
  const visibility = input.visibility ?? "private";
  const place = await placement(ctx, organizationId, visibility, input);
  if (input.slug) {
    const taken = await freeSlug(ctx, organizationId, input.slug);
    if (taken !== input.slug)
      throw new AppError("SLUG_TAKEN", "Another template has this slug", { field: "slug" });
  }
  const slug =
    input.slug ?? (await freeSlug(ctx, organizationId, slugify(input.name, "report", 80)));
  const id = crypto.randomUUID();
  const now = ctx.clock.now();
  return ctx.db
    .insertInto("report_templates")
    .values({
      id,
      family_id: id,
      organization_id: organizationId,
      name: input.name,
      description: input.description ?? null,
      slug,
      report_type: "custom",
      definition: JSON.stringify(definition),
      default_output_format: input.defaultOutputFormat ?? "csv",
      category: input.category ?? "general",
      tags: input.tags ?? [],
      icon: input.icon ?? null,
      color: input.color ?? null,
      visibility,
      ...place,
      shared_with: [],
      required_permissions: ["reports:read"],
      created_by: userId,
      updated_by: userId,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Writes a new version with the changes; the previous one is kept and no longer latest. */
export async function updateTemplate(
  ctx: Ctx,
  templateId: string,
  patch: Partial<TemplateInput>,
): Promise<ReportTemplateRow> {
  const current = await forChange(ctx, templateId);
  const org = current.organization_id as string;
  const definition =
    patch.definition !== undefined
      ? JSON.stringify(await requireDefinition(ctx, org, patch.definition, "definition"))
      : JSON.stringify(current.definition);
  const visibility = patch.visibility ?? (current.visibility as TemplateInput["visibility"]);
  const place =
    patch.visibility || patch.departmentId !== undefined || patch.teamId !== undefined
      ? await placement(ctx, org, visibility, {
          departmentId: patch.departmentId ?? current.department_id,
          teamId: patch.teamId ?? current.team_id,
        })
      : { department_id: current.department_id, team_id: current.team_id };
  if (patch.slug && patch.slug !== current.slug) {
    const free = await freeSlug(ctx, org, patch.slug, current.family_id);
    if (free !== patch.slug)
      throw new AppError("SLUG_TAKEN", "Another template has this slug", { field: "slug" });
  }
  return inTransaction(ctx, async (tx) => {
    const locked = await tx.db
      .updateTable("report_templates")
      .set({ is_latest: false })
      .where("id", "=", current.id)
      .where("is_latest", "=", true)
      .returning("id")
      .executeTakeFirst();
    if (!locked) throw new AppError("CONFLICT", "The template changed meanwhile; reload it");
    const now = tx.clock.now();
    const { id: _id, created_at: _c, updated_at: _u, ...rest } = current;
    return tx.db
      .insertInto("report_templates")
      .values({
        ...rest,
        definition,
        name: patch.name ?? current.name,
        description: patch.description !== undefined ? patch.description : current.description,
        slug: patch.slug ?? current.slug,
        default_output_format: patch.defaultOutputFormat ?? current.default_output_format,
        category: patch.category ?? current.category,
        tags: patch.tags ?? current.tags,
        icon: patch.icon !== undefined ? patch.icon : current.icon,
        color: patch.color !== undefined ? patch.color : current.color,
        visibility,
        ...place,
        version: current.version + 1,
        previous_version_id: current.id,
        is_latest: true,
        updated_by: userOf(tx),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function deleteTemplate(ctx: Ctx, templateId: string): Promise<void> {
  const template = await forChange(ctx, templateId);
  await ctx.db
    .updateTable("report_templates")
    .set({ deleted_at: ctx.clock.now() })
    .where("family_id", "=", template.family_id)
    .execute();
}

export async function templateVersions(ctx: Ctx, templateId: string, organizationId?: string) {
  const template = await visibleTemplate(ctx, templateId, organizationId);
  return ctx.db
    .selectFrom("report_templates")
    .selectAll()
    .where("family_id", "=", template.family_id)
    .orderBy("version", "desc")
    .execute();
}

/** A private copy for the caller (of any template they see, system ones included). */
export async function duplicateTemplate(
  ctx: Ctx,
  templateId: string,
  organizationId?: string,
): Promise<ReportTemplateRow> {
  const source = await visibleTemplate(ctx, templateId, organizationId);
  const org = source.organization_id ?? organizationId;
  if (!org)
    throw new AppError("VALIDATION_ERROR", "Name the organization to copy a system template into", {
      field: "organizationId",
    });
  return createTemplate(ctx, org, {
    name: `${source.name} (copy)`.slice(0, 200),
    description: source.description,
    definition: source.definition,
    defaultOutputFormat: source.default_output_format,
    category: source.category,
    tags: source.tags.filter((t) => t !== "predefined"),
    icon: source.icon,
    color: source.color,
    visibility: "private",
  });
}

/** Shares a template with people of its organization, or changes its visibility. */
export async function shareTemplate(
  ctx: Ctx,
  templateId: string,
  input: {
    userIds?: string[];
    visibility?: TemplateInput["visibility"];
    departmentId?: string;
    teamId?: string;
  },
): Promise<ReportTemplateRow> {
  const template = await forChange(ctx, templateId);
  const org = template.organization_id as string;
  const users = input.userIds ?? [];
  if (users.length) {
    const members = await ctx.db
      .selectFrom("organization_members")
      .select("user_id")
      .where("organization_id", "=", org)
      .where("user_id", "in", users)
      .where("status", "=", "active")
      .execute();
    const missing = users.filter((u) => !members.some((m) => m.user_id === u));
    if (missing.length)
      throw new AppError("VALIDATION_ERROR", "Share with members of the organization", {
        field: "userIds",
        details: { notMembers: missing },
      });
  }
  const place = input.visibility
    ? await placement(ctx, org, input.visibility, input)
    : { department_id: template.department_id, team_id: template.team_id };
  return ctx.db
    .updateTable("report_templates")
    .set({
      shared_with: [...new Set([...template.shared_with, ...users])],
      ...(input.visibility ? { visibility: input.visibility } : {}),
      ...place,
    })
    .where("id", "=", template.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A template's definition with some of its filters replaced (generate, schedules). */
export function withFilters(
  template: Pick<ReportTemplateRow, "definition">,
  filters?: Record<string, unknown> | null,
): Record<string, unknown> {
  const base = template.definition as Record<string, unknown>;
  return filters ? { ...base, filters: { ...((base.filters as object) ?? {}), ...filters } } : base;
}

/** Queues a report job from a template (with filter overrides) and counts the use. */
export async function generateFromTemplate(
  ctx: Ctx,
  templateId: string,
  input: {
    organizationId?: string;
    name?: string;
    outputFormat?: OutputFormat;
    priority?: ReportPriority;
    filters?: Record<string, unknown>;
    webhook?: { url: string; secret: string } | null;
  },
): Promise<ReportJobRow> {
  const template = await visibleTemplate(ctx, templateId, input.organizationId);
  const org = template.organization_id ?? input.organizationId;
  if (!org)
    throw new AppError("VALIDATION_ERROR", "Name the organization to run a system template in", {
      field: "organizationId",
    });
  const definition = withFilters(template, input.filters);
  const format = input.outputFormat ?? template.default_output_format;
  const job = await createReportJob(ctx, org, {
    name: input.name ?? template.name,
    definition,
    outputFormat: format,
    priority: input.priority,
    reportType: template.predefined_type ?? "custom",
    webhook: input.webhook,
  });
  await ctx.db
    .updateTable("report_templates")
    .set({
      usage_count: sql`usage_count + 1`,
      last_used_at: ctx.clock.now(),
      last_used_by: userOf(ctx),
    })
    .where("id", "=", template.id)
    .execute();
  return ctx.db
    .updateTable("report_jobs")
    .set({ template_id: template.id })
    .where("id", "=", job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
