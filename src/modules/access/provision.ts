import type { Db } from "../../db/connection.js";
import { ORGANIZATION_ROLES, PERMISSIONS, PLATFORM_ROLES, type RoleDefinition } from "./catalog.js";

/**
 * Brings the permissions table and the built-in roles in line with the catalog. A permission
 * new to this database is granted to the built-in roles whose definition lists it, in every
 * organization; permissions an administrator removed from a role stay removed.
 */
export async function syncCatalog(db: Db): Promise<{ added: string[] }> {
  const existing = new Set(
    (await db.selectFrom("permissions").select("key").execute()).map((r) => r.key),
  );
  const added = PERMISSIONS.filter((p) => !existing.has(p.key));
  if (added.length) {
    await db
      .insertInto("permissions")
      .values(added.map((p) => ({ ...p })))
      .execute();
  }
  for (const p of PERMISSIONS.filter((p) => existing.has(p.key))) {
    await db
      .updateTable("permissions")
      .set({ description: p.description })
      .where("key", "=", p.key)
      .where("description", "!=", p.description)
      .execute();
  }
  for (const def of PLATFORM_ROLES) await ensurePlatformRole(db, def);
  if (existing.size > 0 && added.length) {
    const addedKeys = new Set(added.map((p) => p.key));
    for (const def of [...ORGANIZATION_ROLES, ...PLATFORM_ROLES]) {
      const keys = def.permissions.filter((k) => addedKeys.has(k));
      if (!keys.length) continue;
      const roles = await db
        .selectFrom("roles")
        .select("id")
        .where("key", "=", def.key)
        .where("is_system", "=", true)
        .execute();
      for (const role of roles) {
        await db
          .insertInto("role_permissions")
          .values(keys.map((k) => ({ role_id: role.id, permission_key: k })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
  }
  return { added: added.map((p) => p.key) };
}

async function ensurePlatformRole(db: Db, def: RoleDefinition): Promise<void> {
  const found = await db
    .selectFrom("roles")
    .select("id")
    .where("organization_id", "is", null)
    .where("key", "=", def.key)
    .executeTakeFirst();
  if (found) return;
  const role = await db
    .insertInto("roles")
    .values({
      organization_id: null,
      key: def.key,
      name: def.name,
      description: def.description,
      is_system: true,
      data_access_level: def.dataAccessLevel,
      priority: def.priority,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("role_permissions")
    .values(def.permissions.map((k) => ({ role_id: role.id, permission_key: k })))
    .execute();
}

/** Gives a new organization its own copy of the built-in roles. */
export async function provisionOrganizationRoles(db: Db, organizationId: string): Promise<void> {
  const roles = await db
    .insertInto("roles")
    .values(
      ORGANIZATION_ROLES.map((def) => ({
        organization_id: organizationId,
        key: def.key,
        name: def.name,
        description: def.description,
        is_system: true,
        data_access_level: def.dataAccessLevel,
        priority: def.priority,
      })),
    )
    .returning(["id", "key"])
    .execute();
  const rows = roles.flatMap((role) => {
    const def = ORGANIZATION_ROLES.find((d) => d.key === role.key);
    return (def?.permissions ?? []).map((k) => ({ role_id: role.id, permission_key: k }));
  });
  if (rows.length) await db.insertInto("role_permissions").values(rows).execute();
}

/** The id of a role by key, in an organization or (null) on the platform. */
export async function roleIdByKey(
  db: Db,
  organizationId: string | null,
  key: string,
): Promise<string | undefined> {
  const query = db.selectFrom("roles").select("id").where("key", "=", key);
  const row = await (organizationId
    ? query.where("organization_id", "=", organizationId)
    : query.where("organization_id", "is", null)
  ).executeTakeFirst();
  return row?.id;
}
