import sharp, { type Metadata } from "sharp";
import type { UserRow, UserUpdate } from "../../db/schema.js";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { sha256 } from "../../platform/crypto.js";
import { AppError } from "../../platform/http/errors.js";
import { newId } from "../../platform/ids.js";
import { assertMailAllowed } from "../../platform/limits.js";
import { normalizeEmail, sendVerification } from "./auth.js";
import { emailChangeNoticeMail } from "./mail.js";

export interface ProfilePatch {
  email?: string;
  firstName?: string;
  lastName?: string;
  displayName?: string | null;
  bio?: string | null;
  phone?: string | null;
  dateOfBirth?: string | null;
  gender?: string | null;
  country?: string | null;
  timezone?: string;
  preferredLanguage?: string;
}

const COLUMNS = {
  firstName: "first_name",
  lastName: "last_name",
  displayName: "display_name",
  bio: "bio",
  phone: "phone",
  dateOfBirth: "date_of_birth",
  gender: "gender",
  country: "country",
  timezone: "timezone",
  preferredLanguage: "preferred_language",
} as const satisfies Record<Exclude<keyof ProfilePatch, "email">, keyof UserRow>;

/**
 * Updates a person's own profile. A new email address does not take effect until it is
 * confirmed: it waits in `pendingEmail` while a link goes to it and a notice to the old one.
 */
export async function updateProfile(
  ctx: Ctx,
  userId: string,
  patch: ProfilePatch,
): Promise<UserRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const changes: Partial<Record<(typeof COLUMNS)[keyof typeof COLUMNS], string | null>> = {};
    for (const [field, column] of Object.entries(COLUMNS) as Array<
      [keyof typeof COLUMNS, (typeof COLUMNS)[keyof typeof COLUMNS]]
    >) {
      if (patch[field] !== undefined) changes[column] = patch[field] as string | null;
    }
    let pendingEmail: string | undefined;
    if (patch.email !== undefined) {
      const email = normalizeEmail(patch.email);
      if (email !== before.email) {
        const taken = await tx.db
          .selectFrom("users")
          .select("id")
          .where("email", "=", email)
          .executeTakeFirst();
        if (taken)
          throw new AppError("EMAIL_TAKEN", "Another account uses this email address", {
            field: "email",
          });
        // The link goes to an address anyone may type in, so it counts against that
        // mailbox's limit. The notice to the current address does not: only this account's
        // own sessions can cause it, and it must not be silenced.
        await assertMailAllowed(tx, email);
        pendingEmail = email;
      }
    }
    let user = before;
    if (Object.keys(changes).length || pendingEmail) {
      try {
        user = await tx.db
          .updateTable("users")
          .set({
            ...(changes as UserUpdate),
            ...(pendingEmail ? { pending_email: pendingEmail } : {}),
          })
          .where("id", "=", userId)
          .returningAll()
          .executeTakeFirstOrThrow();
      } catch (error) {
        if ((error as { code?: string }).code === "23514") {
          throw new AppError("VALIDATION_ERROR", "A profile field has an invalid value", {
            details: { constraint: (error as { constraint?: string }).constraint },
          });
        }
        throw error;
      }
    }
    if (pendingEmail) {
      await sendVerification(tx, user, pendingEmail);
      await tx.mailer.enqueue(tx.db, emailChangeNoticeMail(before, pendingEmail));
    }
    await auditUpdate(tx, {
      organizationId: null,
      action: "user.update",
      entityType: "user",
      entityId: userId,
      before,
      after: user,
    });
    return user;
  });
}

export const AVATAR_TYPES = {
  "image/jpeg": (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/png": (b: Buffer) =>
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  "image/webp": (b: Buffer) =>
    b.subarray(0, 4).toString("latin1") === "RIFF" &&
    b.subarray(8, 12).toString("latin1") === "WEBP",
} as const;

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
export const AVATAR_SIZES = [200, 50] as const;

/**
 * Stores a new avatar. The bytes must be a JPEG, PNG or WebP image of at most 5 MB that
 * decodes; it is re-encoded (which drops metadata and anything hidden in the file) as
 * 200×200 and 50×50 WebP squares. The previous avatar's files are deleted.
 */
export async function setAvatar(
  ctx: Ctx,
  userId: string,
  upload: { fileName: string; mimeType: string; body: Buffer },
): Promise<UserRow> {
  if (upload.body.length > AVATAR_MAX_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", "Avatars may be at most 5 MB");
  }
  const sniffed = (Object.keys(AVATAR_TYPES) as Array<keyof typeof AVATAR_TYPES>).find((t) =>
    AVATAR_TYPES[t](upload.body),
  );
  if (!sniffed) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Avatars must be JPEG, PNG or WebP images", {
      field: "file",
    });
  }
  let rendered: Buffer[];
  let meta: Metadata;
  try {
    meta = await sharp(upload.body).metadata();
    if (!meta.width || !meta.height || meta.width > 10_000 || meta.height > 10_000)
      throw new Error("bad size");
    rendered = await Promise.all(
      AVATAR_SIZES.map((size) =>
        sharp(upload.body)
          .rotate()
          .resize(size, size, { fit: "cover" })
          .webp({ quality: 85 })
          .toBuffer(),
      ),
    );
  } catch {
    throw new AppError("INVALID_FILE", "The image could not be read", { field: "file" });
  }
  const fileId = newId();
  const keys = AVATAR_SIZES.map((size) => `avatars/${userId}/${fileId}-${size}.webp`);
  await Promise.all(
    keys.map((key, i) => ctx.storage.put(key, rendered[i] as Buffer, "image/webp")),
  );
  let oldKeys: string[] = [];
  const user = await inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("users")
      .select("avatar_file_id")
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await tx.db
      .insertInto("file_uploads")
      .values({
        id: fileId,
        uploaded_by: userId,
        purpose: "avatar",
        file_name: upload.fileName.slice(0, 255),
        file_size: upload.body.length,
        mime_type: sniffed,
        storage_provider: ctx.storage.name,
        storage_key: keys[0] as string,
        checksum_sha256: sha256(upload.body),
        metadata: JSON.stringify({ width: meta.width, height: meta.height, variants: keys }),
        created_at: tx.clock.now(),
      })
      .execute();
    if (before.avatar_file_id) oldKeys = await retireAvatarFile(tx, before.avatar_file_id);
    const updated = await tx.db
      .updateTable("users")
      .set({ avatar_file_id: fileId })
      .where("id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: null,
      action: "user.avatar-set",
      entityType: "user",
      entityId: userId,
      before: { avatar_file_id: before.avatar_file_id },
      after: { avatar_file_id: fileId },
    });
    return updated;
  });
  await Promise.all(oldKeys.map((key) => ctx.storage.delete(key)));
  return user;
}

/** Marks an avatar's upload deleted and returns the storage keys of its variants to remove. */
async function retireAvatarFile(ctx: Ctx, fileId: string): Promise<string[]> {
  const old = await ctx.db
    .updateTable("file_uploads")
    .set({ deleted_at: ctx.clock.now() })
    .where("id", "=", fileId)
    .returning("metadata")
    .executeTakeFirst();
  return (old?.metadata as { variants?: string[] } | undefined)?.variants ?? [];
}

/** Removes a person's avatar and its files. */
export async function removeAvatar(ctx: Ctx, userId: string): Promise<UserRow> {
  let keys: string[] = [];
  const user = await inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("users")
      .select("avatar_file_id")
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.avatar_file_id) {
      keys = await retireAvatarFile(tx, before.avatar_file_id);
      await audit(tx, {
        organizationId: null,
        action: "user.avatar-remove",
        entityType: "user",
        entityId: userId,
        before: { avatar_file_id: before.avatar_file_id },
        after: { avatar_file_id: null },
      });
    }
    return tx.db
      .updateTable("users")
      .set({ avatar_file_id: null })
      .where("id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  await Promise.all(keys.map((key) => ctx.storage.delete(key)));
  return user;
}

/** The bytes of an avatar variant, or null when there is no such live avatar. */
export async function readAvatar(ctx: Ctx, fileId: string, size: 200 | 50): Promise<Buffer | null> {
  const file = await ctx.db
    .selectFrom("file_uploads")
    .select(["uploaded_by"])
    .where("id", "=", fileId)
    .where("purpose", "=", "avatar")
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!file?.uploaded_by) return null;
  return ctx.storage.get(`avatars/${file.uploaded_by}/${fileId}-${size}.webp`);
}
