import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { authorize } from "../../platform/policy/engine.js";
import type { LookupValueRow } from "./schema.js";

/**
 * Lookup values of a category: the global ones, plus an organization's own when asked for
 * and the caller belongs to it (or reads it as the system or a platform administrator).
 */
export async function listLookupValues(
  ctx: Ctx,
  query: { category?: string; organizationId?: string; includeInactive?: boolean },
): Promise<LookupValueRow[]> {
  if (query.organizationId && !(await mayReadOrganizationValues(ctx, query.organizationId))) {
    throw new AppError("NOT_FOUND", "Organization not found");
  }
  let q = ctx.db.selectFrom("lookup_values").selectAll();
  q = query.organizationId
    ? q.where((eb) =>
        eb.or([
          eb("organization_id", "is", null),
          eb("organization_id", "=", query.organizationId as string),
        ]),
      )
    : q.where("organization_id", "is", null);
  if (query.category) q = q.where("category", "=", query.category);
  if (!query.includeInactive) q = q.where("is_active", "=", true);
  return q.orderBy("category").orderBy("sort_order").orderBy("key").execute();
}

async function mayReadOrganizationValues(ctx: Ctx, organizationId: string): Promise<boolean> {
  const access = await ctx.actor.access();
  if (access.system || access.grants.some((g) => g.scope === "all")) return true;
  if (ctx.actor.kind === "api-key") return ctx.actor.organizationId === organizationId;
  if (ctx.actor.kind !== "user") return false;
  const member = await ctx.db
    .selectFrom("organization_members")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", ctx.actor.userId)
    .where("status", "=", "active")
    .executeTakeFirst();
  return !!member;
}

export interface LookupInput {
  category: string;
  key: string;
  displayAs: string;
  description?: string | null;
  sortOrder?: number;
  isActive?: boolean;
  metadata?: Record<string, unknown>;
}

/** Adds a value at runtime: global (platform) or for one organization. */
export async function createLookupValue(
  ctx: Ctx,
  organizationId: string | null,
  input: LookupInput,
): Promise<LookupValueRow> {
  if (organizationId) {
    const global = await ctx.db
      .selectFrom("lookup_values")
      .select("id")
      .where("organization_id", "is", null)
      .where("category", "=", input.category)
      .where("key", "=", input.key)
      .executeTakeFirst();
    if (global)
      throw new AppError("ALREADY_EXISTS", "A platform-wide value with this key exists", {
        field: "key",
      });
  }
  return inTransaction(ctx, async (tx) => {
    try {
      const row = await tx.db
        .insertInto("lookup_values")
        .values({
          organization_id: organizationId,
          category: input.category,
          key: input.key,
          display_as: input.displayAs,
          description: input.description ?? null,
          sort_order: input.sortOrder ?? 0,
          is_active: input.isActive ?? true,
          metadata: JSON.stringify(input.metadata ?? {}),
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, {
        organizationId,
        action: "lookup-value.create",
        entityType: "lookup-value",
        entityId: row.id,
        after: row,
      });
      return row;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("ALREADY_EXISTS", `${input.category}/${input.key} already exists`, {
          field: "key",
        });
      throw error;
    }
  });
}

/** Renames, reorders or (de)activates a value. System values keep their key and category. */
export async function updateLookupValue(
  ctx: Ctx,
  id: string,
  patch: Partial<Omit<LookupInput, "category" | "key">>,
): Promise<LookupValueRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("lookup_values")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    const hidden =
      !before ||
      (before.organization_id && !(await mayReadOrganizationValues(tx, before.organization_id)));
    if (!before || hidden) throw new AppError("NOT_FOUND", "Lookup value not found");
    authorize(await tx.actor.access(), "lookup-values:manage", {
      organizationId: before.organization_id,
    });
    const after = await tx.db
      .updateTable("lookup_values")
      .set({
        ...(patch.displayAs !== undefined ? { display_as: patch.displayAs } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.sortOrder !== undefined ? { sort_order: patch.sortOrder } : {}),
        ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
        ...(patch.metadata !== undefined ? { metadata: JSON.stringify(patch.metadata) } : {}),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: before.organization_id,
      action: "lookup-value.update",
      entityType: "lookup-value",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}
