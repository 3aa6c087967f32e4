import type { AppEvents, Ctx } from "../../platform/context.js";
import type { DomainEvents } from "../../platform/events.js";
import { startExecution } from "./engine.js";
import { TRIGGER_EVENT_NAMES, type TriggerEventName } from "./steps.js";

async function organizationOf(
  ctx: Ctx,
  name: TriggerEventName,
  payload: Record<string, unknown>,
): Promise<string | null> {
  if (typeof payload.organizationId === "string") return payload.organizationId;
  if (name === "enrollment.completed" && typeof payload.enrollmentId === "string") {
    const row = await ctx.db
      .selectFrom("enrollments")
      .select("organization_id")
      .where("id", "=", payload.enrollmentId)
      .executeTakeFirst();
    return row?.organization_id ?? null;
  }
  return null;
}

/**
 * Starts the executions of an organization's enabled workflows that a domain event triggers.
 * They are recorded in the emitter's transaction and run by the workflow job, so a workflow's
 * own steps (an assignment raising `enrollment.created`) never run inside another's. The
 * workflows of all the payloads' organizations are read in one statement, so a bulk
 * enrollment that no workflow listens to costs one statement, not one per person.
 */
async function onEvents(
  ctx: Ctx,
  name: TriggerEventName,
  payloads: Array<Record<string, unknown>>,
): Promise<void> {
  const byOrganization = new Map<string, Array<Record<string, unknown>>>();
  for (const payload of payloads) {
    const organizationId = await organizationOf(ctx, name, payload);
    if (!organizationId) continue;
    const list = byOrganization.get(organizationId) ?? [];
    list.push(payload);
    byOrganization.set(organizationId, list);
  }
  if (!byOrganization.size) return;
  const definitions = await ctx.db
    .selectFrom("workflow_definitions")
    .selectAll()
    .where("organization_id", "in", [...byOrganization.keys()])
    .where("trigger_type", "=", "event")
    .where("trigger_event", "=", name)
    .where("is_enabled", "=", true)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  for (const [organizationId, list] of byOrganization)
    for (const payload of list)
      for (const definition of definitions.filter((d) => d.organization_id === organizationId))
        await startExecution(
          ctx,
          definition,
          {
            trigger: name,
            subjectUserId: typeof payload.userId === "string" ? payload.userId : null,
            context: { event: name, ...payload },
          },
          { advance: false },
        );
}

export function subscribeWorkflows(events: AppEvents): void {
  for (const name of TRIGGER_EVENT_NAMES)
    events.onMany(name, (ctx, payloads: Array<DomainEvents[typeof name]>) =>
      onEvents(ctx, name, payloads as unknown as Array<Record<string, unknown>>),
    );
}
