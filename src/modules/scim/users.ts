import { sql } from "kysely";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { isUuid } from "../../platform/ids.js";
import { withAdminGuard } from "../access/assignments.js";
import { changeEnrollment } from "../enrollment/manage.js";
import { createProvisionedAccount, updateProvisionedAccount } from "../identity/provisioned.js";
import { revokeAllSessions } from "../identity/sessions.js";
import { accountAtOwnedDomain, ownsEmailDomain } from "../organizations/domains.js";
import { addMember } from "../organizations/service.js";
import { createDepartment } from "../organizations/structure.js";
import { badValue, notFound, ScimError } from "./errors.js";
import { ENTERPRISE_SCHEMA, parseFilter, USER_SCHEMA } from "./filter.js";
import { type AttributeMap, filterToSql, sortExpression } from "./filter-sql.js";
import { applyPatch, scimBoolean } from "./patch.js";
import { listResponse, type Paging, withVersion } from "./resources.js";

type Json = Record<string, unknown>;

/**
 * SCIM Users are the organization's members: `id` is the person's account id, `userName` and
 * the one work email are the account's address, `externalId` is kept per membership, and the
 * enterprise extension's department, manager and employee number are the membership's.
 * `active` is the membership's status; nothing here ever deletes a person.
 */

function userQuery(ctx: Ctx, organizationId: string) {
  return ctx.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .leftJoin("departments as d", "d.id", "m.department_id")
    .leftJoin("users as mgr", "mgr.id", "m.manager_user_id")
    .where("m.organization_id", "=", organizationId)
    .where("u.deleted_at", "is", null);
}

function selectUser(ctx: Ctx, organizationId: string) {
  return userQuery(ctx, organizationId).select([
    "m.id as membership_id",
    "m.user_id",
    "m.external_id",
    "m.status",
    "m.title",
    "m.employee_id",
    "m.manager_user_id",
    "m.account_provisioned",
    "m.seat_released",
    "m.created_at",
    "m.updated_at",
    "u.email",
    "u.first_name",
    "u.last_name",
    "u.display_name",
    "d.name as department_name",
    "mgr.first_name as manager_first_name",
    "mgr.last_name as manager_last_name",
    sql<{ value: string; display: string }[]>`(
      select coalesce(jsonb_agg(jsonb_build_object('value', t.id, 'display', t.name) order by t.name), '[]'::jsonb)
      from team_members tm join teams t on t.id = tm.team_id
      where tm.user_id = m.user_id and tm.organization_id = m.organization_id and t.is_active
    )`.as("groups"),
  ]);
}

export type UserRow = Awaited<ReturnType<ReturnType<typeof selectUser>["executeTakeFirstOrThrow"]>>;

/** The columns each filterable (and sortable) attribute reads. */
export const USER_ATTRIBUTES: AttributeMap = (path) => {
  switch (path) {
    case "id":
      return { type: "string", expr: sql`m.user_id::text`, caseExact: true };
    case "externalid":
      return { type: "string", expr: sql`m.external_id`, caseExact: true };
    case "username":
    case "emails":
    case "emails.value":
      return { type: "string", expr: sql`u.email` };
    case "emails.type":
      return { type: "constant", value: "work" };
    case "emails.primary":
      return { type: "constant", value: true };
    case "name.givenname":
      return { type: "string", expr: sql`u.first_name` };
    case "name.familyname":
      return { type: "string", expr: sql`u.last_name` };
    case "name.formatted":
      return { type: "string", expr: sql`(u.first_name || ' ' || u.last_name)` };
    case "displayname":
      return {
        type: "string",
        expr: sql`coalesce(u.display_name, u.first_name || ' ' || u.last_name)`,
      };
    case "title":
      return { type: "string", expr: sql`m.title` };
    case "active":
      return { type: "boolean", expr: sql`(m.status = 'active')` };
    case "meta.created":
      return { type: "datetime", expr: sql`m.created_at` };
    case "meta.lastmodified":
      return { type: "datetime", expr: sql`m.updated_at` };
    case "employeenumber":
      return { type: "string", expr: sql`m.employee_id`, caseExact: true };
    case "department":
      return { type: "string", expr: sql`d.name` };
    case "manager":
    case "manager.value":
      return { type: "string", expr: sql`m.manager_user_id::text`, caseExact: true };
    default:
      return undefined;
  }
};

function presentUser(row: UserRow, baseUrl: string): Json {
  const location = `${baseUrl}/Users/${row.user_id}`;
  return withVersion({
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    id: row.user_id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.email,
    name: {
      formatted: `${row.first_name} ${row.last_name}`,
      givenName: row.first_name,
      familyName: row.last_name,
    },
    displayName: row.display_name ?? `${row.first_name} ${row.last_name}`,
    ...(row.title ? { title: row.title } : {}),
    active: row.status === "active",
    emails: [{ value: row.email, type: "work", primary: true }],
    groups: row.groups.map((g) => ({
      value: g.value,
      display: g.display,
      $ref: `${baseUrl}/Groups/${g.value}`,
      type: "direct",
    })),
    [ENTERPRISE_SCHEMA]: {
      ...(row.employee_id ? { employeeNumber: row.employee_id } : {}),
      ...(row.department_name ? { department: row.department_name } : {}),
      ...(row.manager_user_id
        ? {
            manager: {
              value: row.manager_user_id,
              $ref: `${baseUrl}/Users/${row.manager_user_id}`,
              displayName: `${row.manager_first_name} ${row.manager_last_name}`,
            },
          }
        : {}),
    },
    meta: {
      resourceType: "User",
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location,
    },
  });
}

export async function loadRow(ctx: Ctx, organizationId: string, userId: string): Promise<UserRow> {
  if (!isUuid(userId)) throw notFound(`User ${userId} not found`);
  const row = await selectUser(ctx, organizationId)
    .where("m.user_id", "=", userId)
    .executeTakeFirst();
  if (!row) throw notFound(`User ${userId} not found`);
  return row;
}

export async function getUser(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  baseUrl: string,
): Promise<Json> {
  return presentUser(await loadRow(ctx, organizationId, userId), baseUrl);
}

export interface ListQuery {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  paging: Paging;
}

export async function listUsers(
  ctx: Ctx,
  organizationId: string,
  query: ListQuery,
  baseUrl: string,
) {
  const condition = query.filter
    ? filterToSql(parseFilter(query.filter), USER_ATTRIBUTES)
    : undefined;
  const filtered = <Q extends { where: (c: typeof condition & object) => Q }>(q: Q): Q =>
    condition ? q.where(condition) : q;
  const descending = query.sortOrder?.toLowerCase() === "descending";
  const order = query.sortBy ? sortExpression(query.sortBy, USER_ATTRIBUTES) : sql`m.created_at`;
  const [total, rows] = await Promise.all([
    filtered(userQuery(ctx, organizationId))
      .select(sql<string>`count(*)`.as("n"))
      .executeTakeFirstOrThrow(),
    query.paging.count === 0
      ? Promise.resolve([] as UserRow[])
      : filtered(selectUser(ctx, organizationId))
          .orderBy(order, descending ? "desc" : "asc")
          .orderBy("m.user_id")
          .offset(query.paging.startIndex - 1)
          .limit(query.paging.count)
          .execute(),
  ]);
  return listResponse(
    rows.map((r) => presentUser(r, baseUrl)),
    Number(total.n),
    query.paging,
  );
}

/** What a SCIM User body asks for, in Lyceum's terms. */
export interface UserState {
  email: string;
  externalId: string | null;
  givenName: string;
  familyName: string;
  displayName: string | null;
  title: string | null;
  active: boolean;
  employeeNumber: string | null;
  department: string | null;
  managerId: string | null;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function field(object: unknown, name: string): unknown {
  if (typeof object !== "object" || object === null || Array.isArray(object)) return undefined;
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (object as Json)[key];
}

function text(value: unknown, attribute: string, max = 200): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw badValue(`${attribute} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length > max) throw badValue(`${attribute} is longer than ${max} characters`);
  return trimmed || null;
}

/** Reads a full User resource (POST, PUT, or the result of a PATCH). */
export function userStateOf(body: unknown, current?: UserState): UserState {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new ScimError(400, "The body must be a User resource", "invalidSyntax");
  const userName = text(field(body, "userName"), "userName", 254);
  if (!userName) throw badValue("userName is required");
  let email = userName.toLowerCase();
  if (!EMAIL.test(email)) {
    const emails = field(body, "emails");
    const list = Array.isArray(emails) ? emails : [];
    const primary =
      list.find((e) => field(e, "primary") === true) ??
      list.find((e) => field(e, "type") === "work") ??
      list[0];
    const value = text(field(primary, "value"), "emails.value", 254)?.toLowerCase();
    if (!value || !EMAIL.test(value))
      throw badValue("userName must be an email address (or a work email must be given)");
    email = value;
  }
  const name = field(body, "name");
  const displayName = text(field(body, "displayName"), "displayName");
  const local = email.split("@")[0] as string;
  const words = displayName?.split(/\s+/) ?? [];
  const givenName =
    text(field(name, "givenName"), "name.givenName", 100) ??
    current?.givenName ??
    words[0] ??
    local.slice(0, 100);
  const familyName =
    text(field(name, "familyName"), "name.familyName", 100) ??
    current?.familyName ??
    (words.length > 1 ? words.slice(1).join(" ").slice(0, 100) : "-");
  const activeValue = field(body, "active");
  const extension = field(body, ENTERPRISE_SCHEMA);
  const manager = field(extension, "manager");
  const managerId =
    typeof manager === "string" ? manager : text(field(manager, "value"), "manager.value");
  return {
    email,
    externalId: text(field(body, "externalId"), "externalId", 500),
    givenName,
    familyName,
    displayName,
    title: text(field(body, "title"), "title"),
    active:
      activeValue === undefined || activeValue === null
        ? (current?.active ?? true)
        : scimBoolean(activeValue, "active"),
    employeeNumber: text(field(extension, "employeeNumber"), "employeeNumber"),
    department: text(field(extension, "department"), "department"),
    managerId: managerId?.trim() || null,
  };
}

export function stateOfRow(row: UserRow): UserState {
  return {
    email: row.email,
    externalId: row.external_id,
    givenName: row.first_name,
    familyName: row.last_name,
    displayName: row.display_name,
    title: row.title,
    active: row.status === "active",
    employeeNumber: row.employee_id,
    department: row.department_name,
    managerId: row.manager_user_id,
  };
}

const uniqueness = (message: string) => new ScimError(409, message, "uniqueness");

async function assertExternalIdFree(
  ctx: Ctx,
  organizationId: string,
  externalId: string | null,
  userId: string | null,
) {
  if (!externalId) return;
  let q = ctx.db
    .selectFrom("organization_members")
    .select("user_id")
    .where("organization_id", "=", organizationId)
    .where("external_id", "=", externalId);
  if (userId) q = q.where("user_id", "!=", userId);
  if (await q.executeTakeFirst()) throw uniqueness("Another user has this externalId");
}

/** The department of this name (any case), created when the organization has none yet. */
async function departmentIdOf(
  ctx: Ctx,
  organizationId: string,
  name: string | null,
): Promise<string | null> {
  if (!name) return null;
  const found = await ctx.db
    .selectFrom("departments")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`)
    .executeTakeFirst();
  if (found) return found.id;
  return (await createDepartment(ctx, organizationId, { name })).id;
}

async function assertManager(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  managerId: string | null,
) {
  if (!managerId) return;
  if (managerId === userId) throw badValue("A person cannot be their own manager");
  const found =
    isUuid(managerId) &&
    (await ctx.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", managerId)
      .executeTakeFirst());
  if (!found) throw badValue(`The manager ${managerId} is not a user of this organization`);
}

/** Whether the organization manages the account itself (not only the membership). */
async function ownsAccount(ctx: Ctx, organizationId: string, row: UserRow): Promise<boolean> {
  return row.account_provisioned || (await ownsEmailDomain(ctx, organizationId, row.email));
}

const DEPROVISIONED = "The organization's provisioning deactivated this person";

/**
 * Suspends the membership's consequences: the organization's seat goes back, every session of
 * the person ends at once, and their open enrollments in the organization's courses are
 * withdrawn (their progress is kept) so course and cohort seats go back too.
 */
async function deprovision(tx: Ctx, organizationId: string, userId: string): Promise<void> {
  await tx.db
    .updateTable("organizations")
    .set({ seats_used: sql`greatest(seats_used - 1, 0)` })
    .where("id", "=", organizationId)
    .execute();
  const sessions = await revokeAllSessions(tx, userId, "deprovisioned");
  const open = await tx.db
    .selectFrom("enrollments")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .where("status", "in", ["active", "suspended", "pending-payment"])
    .execute();
  for (const enrollment of open) await changeEnrollment(tx, enrollment.id, "drop", DEPROVISIONED);
  await audit(tx, {
    organizationId,
    action: "member.deprovision",
    entityType: "user",
    entityId: userId,
    after: { sessionsEnded: sessions, enrollmentsWithdrawn: open.map((e) => e.id) },
  });
}

/** Takes the organization's seat back for a reactivated person (refused when none is free). */
async function reprovision(tx: Ctx, organizationId: string): Promise<void> {
  const seat = await tx.db
    .updateTable("organizations")
    .set({ seats_used: sql`seats_used + 1` })
    .where("id", "=", organizationId)
    .where((eb) =>
      eb.or([eb("seats_purchased", "is", null), eb("seats_used", "<", eb.ref("seats_purchased"))]),
    )
    .returning("id")
    .executeTakeFirst();
  if (!seat)
    throw new AppError("SEATS_EXHAUSTED", "Every purchased seat of this organization is in use");
}

/** Makes the stored person match the desired state, in one transaction with its audit. */
export async function applyState(
  tx: Ctx,
  organizationId: string,
  row: UserRow,
  desired: UserState,
): Promise<void> {
  const current = stateOfRow(row);
  const userId = row.user_id;
  const accountChange =
    desired.email !== current.email ||
    desired.givenName !== current.givenName ||
    desired.familyName !== current.familyName ||
    (desired.displayName ?? null) !== (current.displayName ?? null);
  let accountChanged = false;
  if (accountChange) {
    if (await ownsAccount(tx, organizationId, row)) {
      accountChanged = true;
      const emailVerified =
        desired.email !== current.email &&
        (await ownsEmailDomain(tx, organizationId, desired.email));
      await updateProvisionedAccount(tx, userId, {
        email: desired.email,
        emailVerified,
        firstName: desired.givenName,
        lastName: desired.familyName,
        displayName: desired.displayName,
      });
    } else if (desired.email !== current.email) {
      // The person's own account (joined by invitation, outside the verified domains): its
      // address is theirs to change; the name is left as they keep it.
      throw new ScimError(
        400,
        "This person's account is their own; its userName cannot be changed by provisioning",
        "mutability",
      );
    }
  }
  await assertExternalIdFree(tx, organizationId, desired.externalId, userId);
  await assertManager(tx, organizationId, userId, desired.managerId);
  const departmentId = await departmentIdOf(tx, organizationId, desired.department);
  const deactivating = current.active && !desired.active;
  const reactivating = !current.active && desired.active;
  const before = await tx.db
    .selectFrom("organization_members")
    .selectAll()
    .where("id", "=", row.membership_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const set = {
    external_id: desired.externalId,
    title: desired.title,
    employee_id: desired.employeeNumber,
    department_id: departmentId,
    manager_user_id: desired.managerId,
    status: desired.active ? ("active" as const) : ("suspended" as const),
    ...(deactivating ? { seat_released: true } : {}),
    ...(reactivating ? { seat_released: false } : {}),
  };
  const changed =
    accountChanged || (Object.keys(set) as (keyof typeof set)[]).some((k) => before[k] !== set[k]);
  if (!changed) return;
  if (reactivating && before.seat_released) await reprovision(tx, organizationId);
  const after = await tx.db
    .updateTable("organization_members")
    .set({ ...set, updated_at: tx.clock.now() })
    .where("id", "=", row.membership_id)
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error) => {
      throw isUniqueViolation(error) ? uniqueness("Another user has this externalId") : error;
    });
  await auditUpdate(tx, {
    organizationId,
    action: "member.update",
    entityType: "organization-member",
    entityId: row.membership_id,
    before,
    after,
  });
  if (deactivating) await deprovision(tx, organizationId, userId);
}

async function save(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  change: (row: UserRow) => UserState,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<Json> {
  await withAdminGuard(ctx, organizationId, async (tx) => {
    const row = await loadRow(tx, organizationId, userId);
    checkVersion(presentUser(row, baseUrl), ifMatch);
    await applyState(tx, organizationId, row, change(row));
  });
  return getUser(ctx, organizationId, userId, baseUrl);
}

/** `If-Match`: the stored version must be one of those named (or `*`), else 412. */
export function checkVersion(resource: Json, ifMatch: string | undefined): void {
  if (!ifMatch) return;
  const version = (resource.meta as Json).version as string;
  const wanted = ifMatch.split(",").map((v) => v.trim());
  const bare = (v: string) => v.replace(/^W\//, "");
  if (wanted.includes("*") || wanted.some((v) => bare(v) === bare(version))) return;
  throw new ScimError(412, "The resource has changed since the version given in If-Match");
}

/**
 * POST /Users: a new account and membership, or, for an address of an email domain the
 * organization verified whose account has proven it, the existing account made a member (the
 * organization owns that mailbox). Any other existing account answers 409: people outside the
 * organization's domains join by invitation, with their consent.
 */
export async function createUser(
  ctx: Ctx,
  organizationId: string,
  body: unknown,
  baseUrl: string,
): Promise<Json> {
  const desired = userStateOf(body);
  const userId = await withAdminGuard(ctx, organizationId, (tx) =>
    provisionPerson(tx, organizationId, desired),
  );
  return getUser(ctx, organizationId, userId, baseUrl);
}

/**
 * Brings a person who is not yet a member into the organization in the desired state: a new
 * account, or an existing one inside the organization's verified domains (see createUser).
 */
export async function provisionPerson(
  tx: Ctx,
  organizationId: string,
  desired: UserState,
): Promise<string> {
  const existing = await tx.db
    .selectFrom("users")
    .select("id")
    .where("email", "=", desired.email)
    .executeTakeFirst();
  let userId: string;
  let provisioned = false;
  if (existing) {
    const member = await tx.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", existing.id)
      .executeTakeFirst();
    if (member) throw uniqueness("A user with this userName already exists");
    const owned = await accountAtOwnedDomain(tx, organizationId, desired.email);
    if (owned !== existing.id)
      throw uniqueness(
        "This userName belongs to an account outside the organization's verified email domains; invite the person instead",
      );
    userId = existing.id;
  } else {
    const verified = await ownsEmailDomain(tx, organizationId, desired.email);
    const user = await createProvisionedAccount(tx, {
      email: desired.email,
      firstName: desired.givenName,
      lastName: desired.familyName,
      displayName: desired.displayName,
      emailVerified: verified,
    });
    userId = user.id;
    provisioned = true;
  }
  await assertExternalIdFree(tx, organizationId, desired.externalId, null);
  await addMember(tx, organizationId, { userId, source: "integration" });
  if (provisioned) {
    await tx.db
      .updateTable("organization_members")
      .set({ account_provisioned: true })
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .execute();
  }
  const row = await loadRow(tx, organizationId, userId);
  await applyState(tx, organizationId, row, desired);
  return userId;
}

/** PUT /Users/{id}: the resource replaced by the body (read-only attributes ignored). */
export function replaceUser(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  body: unknown,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<Json> {
  return save(
    ctx,
    organizationId,
    userId,
    (row) => {
      const desired = userStateOf(body, stateOfRow(row));
      const id = field(body, "id");
      if (id !== undefined && id !== userId)
        throw new ScimError(400, "id cannot be changed", "mutability");
      return desired;
    },
    ifMatch,
    baseUrl,
  );
}

/** PATCH /Users/{id}: the operations applied to the current resource, then saved. */
export function patchUser(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  body: unknown,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<Json> {
  return save(
    ctx,
    organizationId,
    userId,
    (row) => {
      const current = presentUser(row, baseUrl);
      const patched = applyPatch(current, body);
      return userStateOf(patched, stateOfRow(row));
    },
    ifMatch,
    baseUrl,
  );
}

/** DELETE /Users/{id}: deactivation; the person and their history stay. */
export async function deactivateUser(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  ifMatch: string | undefined,
  baseUrl: string,
): Promise<void> {
  await save(
    ctx,
    organizationId,
    userId,
    (row) => ({ ...stateOfRow(row), active: false }),
    ifMatch,
    baseUrl,
  );
}
