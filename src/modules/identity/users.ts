import { type ExpressionBuilder, sql } from "kysely";
import type { Database, UserRow, UserStatus } from "../../db/schema.js";
import { likePattern } from "../../db/values.js";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate, sortOf } from "../../platform/http/pagination.js";
import { USER_VIEW_COLUMNS, type UserViewRow } from "./presenter.js";
import { revokeAllSessions } from "./sessions.js";

export interface UserListQuery {
  page: number;
  limit: number;
  sort: string;
  search?: string;
  status?: UserStatus;
  organizationId?: string;
  role?: string;
  emailVerified?: boolean;
  createdFrom?: string;
  createdTo?: string;
}

export const USER_SORTS = ["createdAt", "email", "lastName", "lastLoginAt"] as const;
const SORT_COLUMNS = {
  createdAt: "u.created_at",
  email: "u.email",
  lastName: "u.last_name",
  lastLoginAt: "u.last_login_at",
};

/** Escapes LIKE wildcards so a search for `50%` matches the text `50%`. */

export interface UserListItem {
  user: UserViewRow & Pick<UserRow, "login_count">;
  organizations: Array<{ id: string; name: string }>;
  roles: string[];
}

/** The admin list of people (seed 002 §GET /users): filters, search, sort, pages. */
export async function listUsers(ctx: Ctx, query: UserListQuery) {
  let q = ctx.db
    .selectFrom("users as u")
    .select([...USER_VIEW_COLUMNS.map((c) => `u.${c}` as const), "u.login_count"])
    .where("u.deleted_at", "is", null);
  if (query.search) {
    const pattern = likePattern(query.search.trim());
    q = q.where((eb) =>
      eb.or([
        eb("u.email", "ilike", pattern),
        eb("u.first_name", "ilike", pattern),
        eb("u.last_name", "ilike", pattern),
        eb(sql`u.first_name || ' ' || u.last_name`, "ilike", pattern),
      ]),
    );
  }
  if (query.status) q = q.where("u.status", "=", query.status);
  if (query.emailVerified !== undefined) q = q.where("u.email_verified", "=", query.emailVerified);
  if (query.createdFrom) q = q.where("u.created_at", ">=", new Date(query.createdFrom));
  if (query.createdTo) q = q.where("u.created_at", "<", new Date(query.createdTo));
  if (query.organizationId) {
    const orgId = query.organizationId;
    q = q.where((eb: ExpressionBuilder<Database & { u: Database["users"] }, "u">) =>
      eb.exists(
        eb
          .selectFrom("organization_members as m")
          .select(sql`1`.as("one"))
          .whereRef("m.user_id", "=", "u.id")
          .where("m.organization_id", "=", orgId),
      ),
    );
  }
  if (query.role) {
    const role = query.role;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("user_roles as ur")
          .innerJoin("roles as r", "r.id", "ur.role_id")
          .select(sql`1`.as("one"))
          .whereRef("ur.user_id", "=", "u.id")
          .where("r.key", "=", role),
      ),
    );
  }
  // Each person's organizations and role keys come with the page, in the same statement, read
  // once for the page's people (one pass over memberships and one over roles, joined by
  // person) rather than by a subquery per row, which rescans both tables fifty times.
  type JoinBuilder = { onRef(a: string, op: "=", b: string): unknown };
  type Row = UserListItem["user"] & {
    member_of: Array<{ id: string; name: string }> | null;
    role_keys: string[] | null;
  };
  const { rows, pagination } = await paginate(
    q,
    query,
    sortOf(query.sort, SORT_COLUMNS),
    "u.id",
    (page) =>
      // biome-ignore lint/suspicious/noExplicitAny: the page's columns are typed by `q`
      (ctx.db.with("page", () => page as any) as any)
        .selectFrom("page as u")
        .selectAll("u")
        .select(["mo.member_of", "rk.role_keys"])
        .leftJoin(
          sql<{ user_id: string; member_of: Array<{ id: string; name: string }> }>`(
            select m.user_id,
                   json_agg(json_build_object('id', o.id, 'name', o.name) order by o.name) as member_of
            from organization_members m join organizations o on o.id = m.organization_id
            where m.user_id in (select id from page)
            group by m.user_id)`.as("mo"),
          (join: JoinBuilder) => join.onRef("mo.user_id", "=", "u.id"),
        )
        .leftJoin(
          sql<{ user_id: string; role_keys: string[] }>`(
            select k.user_id, json_agg(k.key order by k.key collate "C") as role_keys
            from (select distinct ur.user_id, r.key from user_roles ur join roles r on r.id = ur.role_id
                  where ur.user_id in (select id from page)) as k
            group by k.user_id)`.as("rk"),
          (join: JoinBuilder) => join.onRef("rk.user_id", "=", "u.id"),
        ) as unknown as { execute(): Promise<Row[]> },
  );
  const items: UserListItem[] = rows.map(({ member_of, role_keys, ...user }) => ({
    user,
    organizations: member_of ?? [],
    roles: role_keys ?? [],
  }));
  return { items, pagination };
}

/** Suspends or reactivates an account everywhere; suspension signs the person out. */
export async function setUserStatus(
  ctx: Ctx,
  userId: string,
  status: "active" | "suspended",
  reason: string | null,
): Promise<UserRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", userId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError("NOT_FOUND", "User not found");
    if (tx.actor.kind === "user" && tx.actor.userId === userId && status === "suspended") {
      throw new AppError("UNPROCESSABLE", "You cannot suspend your own account");
    }
    const after = await tx.db
      .updateTable("users")
      .set({
        status,
        suspended_at: status === "suspended" ? tx.clock.now() : null,
        suspended_reason: status === "suspended" ? reason : null,
      })
      .where("id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (status === "suspended") await revokeAllSessions(tx, userId, "account-suspended");
    await audit(tx, {
      organizationId: null,
      action: status === "suspended" ? "user.suspend" : "user.reactivate",
      entityType: "user",
      entityId: userId,
      before: { status: before.status, suspended_reason: before.suspended_reason },
      after: { status: after.status, suspended_reason: after.suspended_reason },
    });
    return after;
  });
}
