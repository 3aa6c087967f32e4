import { sql } from "kysely";
import { auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { isUuid } from "../../platform/ids.js";
import {
  addTeamMember,
  createTeam,
  removeTeamMember,
  updateTeam,
} from "../organizations/structure.js";
import { badValue, notFound, ScimError } from "./errors.js";
import { GROUP_SCHEMA, parseFilter } from "./filter.js";
import { type AttributeMap, filterToSql, sortExpression } from "./filter-sql.js";
import { applyPatch } from "./patch.js";
import { listResponse, withVersion } from "./resources.js";
import { checkVersion, type ListQuery } from "./users.js";

type Json = Record<string, unknown>;

/**
 * SCIM Groups are the organization's teams: `displayName` is the team's name, members are the
 * team's members (people of the organization). A deleted group is a deactivated team: it
 * leaves the SCIM view and keeps its history.
 */

function selectGroup(ctx: Ctx, organizationId: string) {
  return ctx.db
    .selectFrom("teams as t")
    .where("t.organization_id", "=", organizationId)
    .where("t.is_active", "=", true)
    .select([
      "t.id",
      "t.name",
      "t.external_id",
      "t.created_at",
      "t.updated_at",
      sql<{ value: string; display: string }[]>`(
        select coalesce(jsonb_agg(jsonb_build_object('value', u.id, 'display', u.first_name || ' ' || u.last_name) order by u.last_name, u.id), '[]'::jsonb)
        from team_members tm join users u on u.id = tm.user_id
        where tm.team_id = t.id
      )`.as("members"),
    ]);
}

type GroupRow = Awaited<ReturnType<ReturnType<typeof selectGroup>["executeTakeFirstOrThrow"]>>;

export const GROUP_ATTRIBUTES: AttributeMap = (path) => {
  switch (path) {
    case "id":
      return { type: "string", expr: sql`t.id::text`, caseExact: true };
    case "externalid":
      return { type: "string", expr: sql`t.external_id`, caseExact: true };
    case "displayname":
      return { type: "string", expr: sql`t.name` };
    case "meta.created":
      return { type: "datetime", expr: sql`t.created_at` };
    case "meta.lastmodified":
      return { type: "datetime", expr: sql`t.updated_at` };
    case "members":
      return {
        type: "collection",
        some: (condition) =>
          sql<boolean>`exists (select 1 from team_members tm join users mu on mu.id = tm.user_id where tm.team_id = t.id and ${condition})`,
      };
    case "members.value":
      return { type: "string", expr: sql`tm.user_id::text`, caseExact: true };
    case "members.display":
      return { type: "string", expr: sql`(mu.first_name || ' ' || mu.last_name)` };
    default:
      return undefined;
  }
};

function presentGroup(row: GroupRow, baseUrl: string): Json {
  return withVersion({
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    displayName: row.name,
    members: row.members.map((m) => ({
      value: m.value,
      display: m.display,
      $ref: `${baseUrl}/Users/${m.value}`,
      type: "User",
    })),
    meta: {
      resourceType: "Group",
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${baseUrl}/Groups/${row.id}`,
    },
  });
}

async function loadGroup(ctx: Ctx, organizationId: string, groupId: string): Promise<GroupRow> {
  if (!isUuid(groupId)) throw notFound(`Group ${groupId} not found`);
  const row = await selectGroup(ctx, organizationId).where("t.id", "=", groupId).executeTakeFirst();
  if (!row) throw notFound(`Group ${groupId} not found`);
  return row;
}

export async function getGroup(ctx: Ctx, organizationId: string, groupId: string, baseUrl: string) {
  return presentGroup(await loadGroup(ctx, organizationId, groupId), baseUrl);
}

export async function listGroups(
  ctx: Ctx,
  organizationId: string,
  query: ListQuery,
  baseUrl: string,
) {
  const condition = query.filter
    ? filterToSql(parseFilter(query.filter), GROUP_ATTRIBUTES)
    : undefined;
  const base = ctx.db
    .selectFrom("teams as t")
    .where("t.organization_id", "=", organizationId)
    .where("t.is_active", "=", true);
  const descending = query.sortOrder?.toLowerCase() === "descending";
  const order = query.sortBy ? sortExpression(query.sortBy, GROUP_ATTRIBUTES) : sql`t.created_at`;
  let page = selectGroup(ctx, organizationId);
  if (condition) page = page.where(condition);
  const [total, rows] = await Promise.all([
    (condition ? base.where(condition) : base)
      .select(sql<string>`count(*)`.as("n"))
      .executeTakeFirstOrThrow(),
    query.paging.count === 0
      ? Promise.resolve([] as GroupRow[])
      : page
          .orderBy(order, descending ? "desc" : "asc")
          .orderBy("t.id")
          .offset(query.paging.startIndex - 1)
          .limit(query.paging.count)
          .execute(),
  ]);
  return listResponse(
    rows.map((r) => presentGroup(r, baseUrl)),
    Number(total.n),
    query.paging,
  );
}

interface GroupState {
  displayName: string;
  externalId: string | null;
  members: string[];
}

function field(object: unknown, name: string): unknown {
  if (typeof object !== "object" || object === null || Array.isArray(object)) return undefined;
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (object as Json)[key];
}

function groupStateOf(body: unknown): GroupState {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new ScimError(400, "The body must be a Group resource", "invalidSyntax");
  const displayName = field(body, "displayName");
  if (typeof displayName !== "string" || !displayName.trim() || displayName.trim().length > 200)
    throw badValue("displayName is required (at most 200 characters)");
  const externalId = field(body, "externalId");
  if (externalId !== undefined && externalId !== null && typeof externalId !== "string")
    throw badValue("externalId must be a string");
  const members = field(body, "members") ?? [];
  if (!Array.isArray(members)) throw badValue("members must be a list");
  const ids = members.map((m) => {
    const value = typeof m === "string" ? m : field(m, "value");
    if (typeof value !== "string" || !value) throw badValue("Every member needs a value");
    return value;
  });
  return {
    displayName: displayName.trim(),
    externalId: (externalId as string | null | undefined)?.trim() || null,
    members: [...new Set(ids)],
  };
}

const uniqueness = (message: string) => new ScimError(409, message, "uniqueness");

function scimConflicts<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error) => {
    if (error instanceof AppError && error.code === "ALREADY_EXISTS")
      throw uniqueness("A group with this displayName already exists");
    throw error;
  });
}

/** Every named member must be a person of this organization (others are refused alike). */
async function assertMembers(ctx: Ctx, organizationId: string, ids: string[]) {
  if (!ids.length) return;
  const valid = ids.filter(isUuid);
  const found = valid.length
    ? await ctx.db
        .selectFrom("organization_members")
        .select("user_id")
        .where("organization_id", "=", organizationId)
        .where("user_id", "in", valid)
        .execute()
    : [];
  const known = new Set(found.map((r) => r.user_id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown) throw badValue(`The member ${unknown} is not a user of this organization`);
}

async function assertExternalIdFree(
  ctx: Ctx,
  organizationId: string,
  externalId: string | null,
  groupId: string | null,
) {
  if (!externalId) return;
  let q = ctx.db
    .selectFrom("teams")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("external_id", "=", externalId);
  if (groupId) q = q.where("id", "!=", groupId);
  if (await q.executeTakeFirst()) throw uniqueness("Another group has this externalId");
}

async function applyGroup(
  tx: Ctx,
  organizationId: string,
  row: GroupRow,
  desired: GroupState,
): Promise<void> {
  await assertMembers(tx, organizationId, desired.members);
  await assertExternalIdFree(tx, organizationId, desired.externalId, row.id);
  if (desired.displayName !== row.name)
    await scimConflicts(updateTeam(tx, organizationId, row.id, { name: desired.displayName }));
  if (desired.externalId !== row.external_id) {
    const before = { external_id: row.external_id };
    await tx.db
      .updateTable("teams")
      .set({ external_id: desired.externalId })
      .where("id", "=", row.id)
      .execute();
    await auditUpdate(tx, {
      organizationId,
      action: "team.update",
      entityType: "team",
      entityId: row.id,
      before,
      after: { external_id: desired.externalId },
    });
  }
  const current = new Set(row.members.map((m) => m.value));
  const wanted = new Set(desired.members);
  for (const id of wanted)
    if (!current.has(id)) await addTeamMember(tx, organizationId, row.id, id);
  for (const id of current)
    if (!wanted.has(id)) await removeTeamMember(tx, organizationId, row.id, id);
}

export async function createGroup(
  ctx: Ctx,
  organizationId: string,
  body: unknown,
  baseUrl: string,
): Promise<Json> {
  const desired = groupStateOf(body);
  const id = await inTransaction(ctx, async (tx) => {
    await assertMembers(tx, organizationId, desired.members);
    await assertExternalIdFree(tx, organizationId, desired.externalId, null);
    const team = await scimConflicts(createTeam(tx, organizationId, { name: desired.displayName }));
    const row = await loadGroup(tx, organizationId, team.id);
    await applyGroup(tx, organizationId, row, desired);
    return team.id;
  });
  return getGroup(ctx, organizationId, id, baseUrl);
}

async function saveGroup(
  ctx: Ctx,
  organizationId: string,
  groupId: string,
  change: (row: GroupRow, resource: Json) => GroupState,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<Json> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadGroup(tx, organizationId, groupId);
    const resource = presentGroup(row, baseUrl);
    checkVersion(resource, ifMatch);
    await applyGroup(tx, organizationId, row, change(row, resource));
  });
  return getGroup(ctx, organizationId, groupId, baseUrl);
}

export function replaceGroup(
  ctx: Ctx,
  organizationId: string,
  groupId: string,
  body: unknown,
  ifMatch: string | undefined,
  baseUrl: string,
) {
  return saveGroup(ctx, organizationId, groupId, () => groupStateOf(body), ifMatch, baseUrl);
}

export function patchGroup(
  ctx: Ctx,
  organizationId: string,
  groupId: string,
  body: unknown,
  ifMatch: string | undefined,
  baseUrl: string,
) {
  return saveGroup(
    ctx,
    organizationId,
    groupId,
    (_row, resource) => {
      const patched = applyPatch(resource, body);
      const id = field(patched, "id");
      if (id !== groupId) throw new ScimError(400, "id cannot be changed", "mutability");
      return groupStateOf(patched);
    },
    ifMatch,
    baseUrl,
  );
}

/** DELETE /Groups/{id}: the team is deactivated, never deleted. */
export async function deactivateGroup(
  ctx: Ctx,
  organizationId: string,
  groupId: string,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadGroup(tx, organizationId, groupId);
    checkVersion(presentGroup(row, baseUrl), ifMatch);
    await updateTeam(tx, organizationId, groupId, { isActive: false });
  });
}
