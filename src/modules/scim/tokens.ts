import type { Db } from "../../db/connection.js";
import { audit } from "../../platform/audit/audit.js";
import type { ScimTokenActor } from "../../platform/auth/actor.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { randomToken, sha256 } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { apiKeyAccess } from "../access/grants.js";
import type { ScimTokenRow } from "./schema.js";

export const SCIM_TOKEN_PREFIX = "lyscim_";

/**
 * What a provisioning token may do inside its organization: manage members, departments and
 * teams, and the enrollments a deactivation drops. Nothing else, and nowhere else.
 */
export const SCIM_PERMISSIONS = [
  "members:read:organization",
  "members:manage:organization",
  "departments:read:organization",
  "departments:manage:organization",
  "teams:read:organization",
  "teams:manage:organization",
  "enrollments:read:organization",
  "enrollments:manage:organization",
];

/** Creates a provisioning token; the secret is returned once and only its SHA-256 is kept. */
export async function createScimToken(
  ctx: Ctx,
  organizationId: string,
  input: { name: string },
): Promise<{ token: ScimTokenRow; secret: string }> {
  const secret = randomToken(32, SCIM_TOKEN_PREFIX);
  return inTransaction(ctx, async (tx) => {
    const token = await tx.db
      .insertInto("scim_tokens")
      .values({
        organization_id: organizationId,
        name: input.name,
        token_prefix: secret.slice(0, SCIM_TOKEN_PREFIX.length + 8),
        token_hash: sha256(secret),
        created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        created_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "scim-token.create",
      entityType: "scim-token",
      entityId: token.id,
      after: { name: token.name, token_prefix: token.token_prefix },
    });
    return { token, secret };
  });
}

export function listScimTokens(
  ctx: Ctx,
  organizationId: string,
  query: { page: number; limit: number; status?: "active" | "revoked" },
) {
  let q = ctx.db
    .selectFrom("scim_tokens")
    .selectAll()
    .where("organization_id", "=", organizationId);
  if (query.status === "active") q = q.where("revoked_at", "is", null);
  if (query.status === "revoked") q = q.where("revoked_at", "is not", null);
  return paginate(q, query, { column: "created_at", direction: "desc" }, "id");
}

/** Revokes a token for good: the next request with it is refused. */
export async function revokeScimToken(
  ctx: Ctx,
  organizationId: string,
  tokenId: string,
): Promise<ScimTokenRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("scim_tokens")
      .selectAll()
      .where("id", "=", tokenId)
      .where("organization_id", "=", organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError("NOT_FOUND", "Provisioning token not found");
    if (before.revoked_at) return before;
    const after = await tx.db
      .updateTable("scim_tokens")
      .set({
        revoked_at: tx.clock.now(),
        revoked_by: tx.actor.kind === "user" ? tx.actor.userId : null,
      })
      .where("id", "=", tokenId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "scim-token.revoke",
      entityType: "scim-token",
      entityId: tokenId,
      before: { revoked_at: null },
      after: { revoked_at: after.revoked_at },
    });
    return after;
  });
}

/**
 * Resolves a provisioning token to its actor, or null when it is unknown, revoked, or its
 * organization is suspended or deleted. Read from the database on every request, so a
 * revocation takes effect at once; records when the token was last used (one statement).
 */
export async function authenticateScimToken(
  db: Db,
  raw: string,
  now: Date,
): Promise<ScimTokenActor | null> {
  if (!raw.startsWith(SCIM_TOKEN_PREFIX)) return null;
  const token = await db
    .updateTable("scim_tokens as t")
    .from("organizations as o")
    .set({ last_used_at: now })
    .whereRef("o.id", "=", "t.organization_id")
    .where("t.token_hash", "=", sha256(raw))
    .where("t.revoked_at", "is", null)
    .where("o.deleted_at", "is", null)
    .where("o.status", "<>", "suspended")
    .returning(["t.id", "t.organization_id"])
    .executeTakeFirst();
  if (!token) return null;
  const access = apiKeyAccess(token.organization_id, SCIM_PERMISSIONS);
  return {
    kind: "scim-token",
    scimTokenId: token.id,
    organizationId: token.organization_id,
    access: async () => access,
  };
}
