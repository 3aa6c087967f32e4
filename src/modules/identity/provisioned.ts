import type { UserRow } from "../../db/schema.js";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { roleIdByKey } from "../access/provision.js";
import { normalizeEmail } from "./auth.js";

/**
 * Accounts an organization's HR system provisions (SCIM, employee imports). They have no
 * password: the person chooses one through password recovery, which proves the address.
 */

export interface ProvisionedAccountInput {
  email: string;
  firstName: string;
  lastName: string;
  displayName?: string | null;
  /** The organization has verified the address's domain, so the address is known to be real. */
  emailVerified: boolean;
}

const emailTaken = () =>
  new AppError("EMAIL_TAKEN", "An account with this email already exists", { field: "email" });

/** Creates an account without a password, with the platform learner role. */
export async function createProvisionedAccount(
  ctx: Ctx,
  input: ProvisionedAccountInput,
): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const user = await tx.db
      .insertInto("users")
      .values({
        email,
        password_hash: null,
        first_name: input.firstName.trim(),
        last_name: input.lastName.trim(),
        display_name: input.displayName ?? null,
        email_verified: input.emailVerified,
        email_verified_at: input.emailVerified ? now : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error) => {
        throw isUniqueViolation(error) ? emailTaken() : error;
      });
    const learnerRole = await roleIdByKey(tx.db, null, "learner");
    if (learnerRole) {
      await tx.db
        .insertInto("user_roles")
        .values({ user_id: user.id, role_id: learnerRole, assigned_at: now })
        .execute();
    }
    await audit(tx, {
      organizationId: null,
      action: "user.provision",
      entityType: "user",
      entityId: user.id,
      after: {
        email,
        first_name: user.first_name,
        last_name: user.last_name,
        email_verified: user.email_verified,
      },
    });
    return user;
  });
}

export interface ProvisionedAccountPatch {
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  displayName?: string | null;
}

/**
 * Changes the name or address of an account an organization manages (the caller has checked
 * that it does). A changed address is taken as the organization states it.
 */
export async function updateProvisionedAccount(
  ctx: Ctx,
  userId: string,
  patch: ProvisionedAccountPatch,
): Promise<UserRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const email = patch.email !== undefined ? normalizeEmail(patch.email) : undefined;
    const changesEmail = email !== undefined && email !== before.email;
    const after = await tx.db
      .updateTable("users")
      .set({
        ...(changesEmail
          ? {
              email,
              pending_email: null,
              email_verified: patch.emailVerified ?? false,
              email_verified_at: patch.emailVerified ? tx.clock.now() : null,
            }
          : {}),
        ...(patch.firstName !== undefined ? { first_name: patch.firstName.trim() } : {}),
        ...(patch.lastName !== undefined ? { last_name: patch.lastName.trim() } : {}),
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        updated_at: tx.clock.now(),
      })
      .where("id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error) => {
        throw isUniqueViolation(error) ? emailTaken() : error;
      });
    await auditUpdate(tx, {
      organizationId: null,
      action: "user.provision-update",
      entityType: "user",
      entityId: userId,
      before: {
        email: before.email,
        first_name: before.first_name,
        last_name: before.last_name,
        display_name: before.display_name,
      },
      after: {
        email: after.email,
        first_name: after.first_name,
        last_name: after.last_name,
        display_name: after.display_name,
      },
    });
    return after;
  });
}
