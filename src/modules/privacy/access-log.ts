import type { Ctx } from "../../platform/context.js";
import { paginate } from "../../platform/http/pagination.js";

/**
 * Manager access logs (seed 001): each read of a person's data by someone else — a manager or an
 * administrator opening a member's page, their progress or transcript, an export that lists
 * them, a reminder sent to them — leaves a line: who looked, at whom, at what, when and from
 * where. Reads of one's own data are not logged. The person reads their lines ("who looked at my
 * data"), the organization's privacy managers read the organization's.
 */
export interface AccessRecord {
  organizationId: string | null;
  subjectUserIds: string[];
  what: string;
  detail?: string | null;
  /** Who learns of the data, when not the caller (a manager a reminder escalates to). */
  viewerUserId?: string | null;
}

export async function recordAccess(ctx: Ctx, record: AccessRecord): Promise<void> {
  const viewer = record.viewerUserId ?? (ctx.actor.kind === "user" ? ctx.actor.userId : null);
  const apiKey = !record.viewerUserId && ctx.actor.kind === "api-key" ? ctx.actor.apiKeyId : null;
  if (!viewer && !apiKey) return;
  const subjects = [...new Set(record.subjectUserIds)].filter((id) => id !== viewer);
  if (!subjects.length) return;
  const now = ctx.clock.now();
  for (let i = 0; i < subjects.length; i += 1000)
    await ctx.db
      .insertInto("privacy_access_logs")
      .values(
        subjects.slice(i, i + 1000).map((subject) => ({
          organization_id: record.organizationId,
          viewer_user_id: viewer,
          viewer_api_key_id: apiKey,
          subject_user_id: subject,
          what: record.what,
          detail: record.detail?.slice(0, 500) ?? null,
          ip_address: ctx.meta.ip,
          user_agent: ctx.meta.userAgent?.slice(0, 500) ?? null,
          created_at: now,
        })),
      )
      .execute();
}

/** A hook of this shape is handed to lower modules at wiring time (see app.ts). */
export type RecordAccess = typeof recordAccess;

export async function listAccessLogs(
  ctx: Ctx,
  filter: {
    organizationId?: string;
    subjectUserId?: string;
    viewerUserId?: string;
    page: number;
    limit: number;
  },
) {
  let query = ctx.db
    .selectFrom("privacy_access_logs as l")
    .leftJoin("users as v", "v.id", "l.viewer_user_id")
    .leftJoin("users as s", "s.id", "l.subject_user_id")
    .leftJoin("organizations as o", "o.id", "l.organization_id");
  if (filter.organizationId) query = query.where("l.organization_id", "=", filter.organizationId);
  if (filter.subjectUserId) query = query.where("l.subject_user_id", "=", filter.subjectUserId);
  if (filter.viewerUserId) query = query.where("l.viewer_user_id", "=", filter.viewerUserId);
  return paginate(
    query.select([
      "l.id",
      "l.organization_id",
      "l.viewer_user_id",
      "l.viewer_api_key_id",
      "l.subject_user_id",
      "l.what",
      "l.detail",
      "l.ip_address",
      "l.user_agent",
      "l.created_at",
      "v.first_name as viewer_first_name",
      "v.last_name as viewer_last_name",
      "s.first_name as subject_first_name",
      "s.last_name as subject_last_name",
      "o.name as organization_name",
    ]),
    filter,
    { column: "l.created_at", direction: "desc" },
    "l.id",
  );
}

/** Records the reads lower modules announce ("personal-data.read"). */
export function subscribePrivacy(events: import("../../platform/context.js").AppEvents): void {
  events.on("personal-data.read", async (ctx, payload) => {
    await recordAccess(ctx as Ctx, payload);
  });
}
