import { z } from "zod";
import type { SessionRow, UserRow } from "../../db/schema.js";
import { isoDateTime } from "../../platform/http/envelope.js";

const iso = isoDateTime;

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    emailVerified: z.boolean(),
    pendingEmail: z.string().nullable().describe("A new address waiting for confirmation"),
    firstName: z.string(),
    lastName: z.string(),
    displayName: z.string().nullable(),
    fullName: z.string(),
    avatarUrl: z.string().nullable(),
    bio: z.string().nullable(),
    phone: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    gender: z.string().nullable(),
    country: z.string().nullable(),
    timezone: z.string(),
    preferredLanguage: z.string(),
    status: z.enum(["active", "suspended", "deactivated"]),
    lastLoginAt: iso().nullable(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "User" });

export type UserView = z.infer<typeof userSchema>;

export function avatarUrl(fileId: string | null): string | null {
  return fileId ? `/api/v1/files/avatars/${fileId}` : null;
}

/**
 * The columns `presentUser` reads: lists select these rather than every column (a password
 * hash, metadata and lock-out counters are never shown, and 50 rows of them cost the driver
 * and the database as much as the rest).
 */
export const USER_VIEW_COLUMNS = [
  "id",
  "email",
  "email_verified",
  "pending_email",
  "first_name",
  "last_name",
  "display_name",
  "avatar_file_id",
  "bio",
  "phone",
  "date_of_birth",
  "gender",
  "country",
  "timezone",
  "preferred_language",
  "status",
  "last_login_at",
  "created_at",
  "updated_at",
] as const satisfies ReadonlyArray<keyof UserRow>;

export type UserViewRow = Pick<UserRow, (typeof USER_VIEW_COLUMNS)[number]>;

/** A person as the API shows them; never the password hash or security counters. */
export function presentUser(user: UserViewRow): UserView {
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.email_verified,
    pendingEmail: user.pending_email,
    firstName: user.first_name,
    lastName: user.last_name,
    displayName: user.display_name,
    fullName: `${user.first_name} ${user.last_name}`,
    avatarUrl: avatarUrl(user.avatar_file_id),
    bio: user.bio,
    phone: user.phone,
    dateOfBirth: user.date_of_birth,
    gender: user.gender,
    country: user.country,
    timezone: user.timezone,
    preferredLanguage: user.preferred_language,
    status: user.status,
    lastLoginAt: user.last_login_at?.toISOString() ?? null,
    createdAt: user.created_at.toISOString(),
    updatedAt: user.updated_at.toISOString(),
  };
}

export const sessionSchema = z
  .object({
    id: z.uuid(),
    current: z.boolean(),
    transport: z.enum(["bearer", "cookie"]),
    deviceName: z.string().nullable(),
    deviceType: z.string().nullable(),
    browser: z.string().nullable(),
    os: z.string().nullable(),
    ipAddress: z.string().nullable(),
    lastAccessedAt: iso(),
    createdAt: iso(),
    expiresAt: iso(),
  })
  .meta({ id: "Session" });

export function presentSession(session: SessionRow, currentId: string) {
  return {
    id: session.id,
    current: session.id === currentId,
    transport: session.transport,
    deviceName: session.device_name,
    deviceType: session.device_type,
    browser: session.browser,
    os: session.os,
    ipAddress: session.ip_address,
    lastAccessedAt: session.last_accessed_at.toISOString(),
    createdAt: session.created_at.toISOString(),
    expiresAt: session.expires_at.toISOString(),
  };
}
