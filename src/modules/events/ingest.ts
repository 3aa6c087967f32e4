import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { can } from "../../platform/policy/engine.js";
import {
  actorScope,
  collectRefs,
  type FoundRef,
  ref,
  scopeWithTenants,
  tenantRef,
} from "../../platform/references.js";
import { activeEventTypes, type EventInput, recordEvents, requestContext } from "./record.js";

export const MAX_BATCH = 500;

/** The ability that records events (the route requires it; each item is checked against it). */
export const INGEST_PERMISSION = "learning-events:create";

/** One event as clients send it. */
export const clientEvent = z.object({
  type: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(100)
    .describe("An active activity-event lookup key"),
  learnerId: ref("user")
    .optional()
    .describe("Defaults to the signed-in person; required for API keys"),
  organizationId: tenantRef()
    .nullable()
    .optional()
    .describe("Defaults to the API key's organization"),
  courseId: ref("course").nullable().optional(),
  cohortId: ref("cohort").nullable().optional(),
  contentId: ref("content").nullable().optional().describe("A lesson, module or quiz"),
  enrollmentId: ref("enrollment").nullable().optional(),
  sessionId: z.string().max(100).nullable().optional(),
  occurredAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Defaults to now; at most 5 minutes ahead and 30 days back"),
  durationSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export type ClientEvent = z.infer<typeof clientEvent>;

export interface ItemResult {
  index: number;
  status: "accepted" | "rejected";
  id?: string;
  error?: { code: string; message: string; field?: string };
}

const MAX_AHEAD_MS = 5 * 60_000;
const MAX_BEHIND_MS = 30 * 24 * 3_600_000;

/**
 * Batched ingestion for clients: each event is validated and authorized on its own, the
 * valid ones are stored together, and the answer says per item what happened. Learners
 * record their own events; API keys and organization-wide recorders record their members'.
 */
export async function ingestEvents(
  ctx: Ctx,
  raw: unknown[],
): Promise<{ accepted: number; rejected: number; results: ItemResult[] }> {
  if (raw.length > MAX_BATCH) {
    throw new AppError("VALIDATION_ERROR", `Send at most ${MAX_BATCH} events per batch`, {
      field: "events",
    });
  }
  const access = await ctx.actor.access();
  const results: ItemResult[] = [];
  const accepted: Array<{ index: number; input: EventInput }> = [];
  const now = ctx.clock.now().getTime();
  const parsed = raw.map((item) => clientEvent.safeParse(item));
  const orgIds = parsed.map((p) => (p.success ? (p.data.organizationId ?? defaultOrg(ctx)) : null));
  const [types, memberships, unresolved] = await Promise.all([
    activeEventTypes(ctx, orgIds),
    membershipsFor(ctx, parsed),
    unresolvedReferences(ctx, parsed),
  ]);

  for (const [index, result] of parsed.entries()) {
    const reject = (code: string, message: string, field?: string) =>
      results.push({
        index,
        status: "rejected",
        error: { code, message, ...(field ? { field } : {}) },
      });
    if (!result.success) {
      const issue = result.error.issues[0];
      reject("VALIDATION_ERROR", issue?.message ?? "invalid", issue?.path.join("."));
      continue;
    }
    const event = result.data;
    const learnerId = event.learnerId ?? (ctx.actor.kind === "user" ? ctx.actor.userId : undefined);
    if (!learnerId) {
      reject("VALIDATION_ERROR", "Name the learner", "learnerId");
      continue;
    }
    const organizationId =
      event.organizationId === undefined ? defaultOrg(ctx) : event.organizationId;
    if (!(types.get(organizationId ?? "") ?? types.get(""))?.has(event.type)) {
      reject("VALIDATION_ERROR", `Unknown or inactive event type ${event.type}`, "type");
      continue;
    }
    const occurredAt = event.occurredAt ? new Date(event.occurredAt) : new Date(now);
    if (occurredAt.getTime() > now + MAX_AHEAD_MS || occurredAt.getTime() < now - MAX_BEHIND_MS) {
      reject("VALIDATION_ERROR", "occurredAt is too far from now", "occurredAt");
      continue;
    }
    const missing = unresolved.missing.get(index);
    if (missing) {
      const error = ctx.references.notFound(missing);
      reject(error.code, error.message, error.field);
      continue;
    }
    // The rules of every organization the event is recorded in or names an object of.
    const refusal = await organizationsRefuse(ctx, [
      ...(organizationId ? [organizationId] : []),
      ...(unresolved.homes.get(index) ?? []),
    ]);
    if (refusal) {
      reject(refusal.code, refusal.message);
      continue;
    }
    if (organizationId && !memberships.get(organizationId)?.has(learnerId)) {
      reject("NOT_FOUND", "The learner is not a member of this organization", "learnerId");
      continue;
    }
    if (
      !can(access, INGEST_PERMISSION, {
        organizationId: organizationId ?? null,
        ownerId: learnerId,
      })
    ) {
      reject("FORBIDDEN", "You may not record events for this learner", "learnerId");
      continue;
    }
    accepted.push({
      index,
      input: {
        type: event.type,
        learnerId,
        organizationId: organizationId ?? null,
        courseId: event.courseId,
        cohortId: event.cohortId,
        contentId: event.contentId,
        enrollmentId: event.enrollmentId,
        sessionId: event.sessionId,
        occurredAt,
        durationSeconds: event.durationSeconds,
        data: event.data,
        context: requestContext(ctx),
        source: "client",
      },
    });
  }

  if (accepted.length) {
    // One statement: all accepted events are stored, or none.
    const rows = await recordEvents(
      ctx,
      accepted.map((a) => a.input),
    );
    for (const [i, row] of rows.entries()) {
      results.push({
        index: (accepted[i] as { index: number }).index,
        status: "accepted",
        id: row.id,
      });
    }
  }
  results.sort((a, b) => a.index - b.index);
  return { accepted: accepted.length, rejected: results.length - accepted.length, results };
}

/**
 * The first reference of each event that does not resolve inside the event's organization
 * (courses, cohorts, content, enrollments and learners named in it), by item index; and the
 * organizations each event's references live in.
 */
async function unresolvedReferences(
  ctx: Ctx,
  parsed: Array<ReturnType<typeof clientEvent.safeParse>>,
): Promise<{ missing: Map<number, FoundRef>; homes: Map<number, Set<string>> }> {
  const found = parsed.flatMap((p, index) => {
    if (!p.success) return [];
    const org = p.data.organizationId === undefined ? defaultOrg(ctx) : p.data.organizationId;
    return collectRefs(clientEvent, p.data, String(index), org);
  });
  const missing = new Map<number, FoundRef>();
  const homes = new Map<number, Set<string>>();
  if (!found.length) return { missing, homes };
  const access = await ctx.actor.access();
  const base = actorScope(ctx.actor, access, { permission: INGEST_PERMISSION });
  const loaded = await ctx.references.load(ctx.db, found);
  for (const ref of found) {
    const home = ctx.references.homeIn(loaded, ref.kind, ref.id);
    if (!home) continue;
    const index = Number(ref.path.split(".")[0]);
    homes.set(index, (homes.get(index) ?? new Set()).add(home));
  }
  for (const ref of ctx.references.unresolvedIn(
    loaded,
    found,
    scopeWithTenants(base, ctx.actor, access, INGEST_PERMISSION),
  )) {
    const [index, ...field] = ref.path.split(".");
    if (!missing.has(Number(index))) missing.set(Number(index), { ...ref, path: field.join(".") });
  }
  return { missing, homes };
}

/** The refusal of the first organization whose rules refuse the person (see `enterOrganization`). */
async function organizationsRefuse(
  ctx: Ctx,
  organizationIds: readonly string[],
): Promise<AppError | null> {
  if (!ctx.enterOrganization) return null;
  for (const organizationId of new Set(organizationIds)) {
    try {
      await ctx.enterOrganization(organizationId);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  }
  return null;
}

function defaultOrg(ctx: Ctx): string | null {
  return ctx.actor.kind === "api-key" ? ctx.actor.organizationId : null;
}

async function membershipsFor(ctx: Ctx, parsed: Array<ReturnType<typeof clientEvent.safeParse>>) {
  const pairs = parsed.flatMap((p) => {
    if (!p.success) return [];
    const org = p.data.organizationId ?? defaultOrg(ctx);
    const learner = p.data.learnerId ?? (ctx.actor.kind === "user" ? ctx.actor.userId : undefined);
    return org && learner ? [{ org, learner }] : [];
  });
  const map = new Map<string, Set<string>>();
  if (!pairs.length) return map;
  const rows = await ctx.db
    .selectFrom("organization_members")
    .select(["organization_id", "user_id"])
    .where("organization_id", "in", [...new Set(pairs.map((p) => p.org))])
    .where("user_id", "in", [...new Set(pairs.map((p) => p.learner))])
    .execute();
  for (const row of rows) {
    const set = map.get(row.organization_id) ?? new Set<string>();
    set.add(row.user_id);
    map.set(row.organization_id, set);
  }
  return map;
}
